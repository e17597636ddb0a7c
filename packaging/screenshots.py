"""Take the documentation screenshots offscreen: `.venv/bin/python packaging/screenshots.py [OUT_DIR]`.

Builds the real main window on a fresh demo database (SQLite in a temp dir) signed in as a sample
user, waits for its data, and saves PNGs to docs/screenshots/ by default.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    out = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    )
    out.mkdir(parents=True, exist_ok=True)
    from controlroom.app import prepare_qt_environment

    prepare_qt_environment()
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from controlroom.storage.database import open_database
    from controlroom.storage.reference import stations_json
    from controlroom.views.i18n import Translations
    from controlroom.views.main_window import MainWindow
    from controlroom.views.tasks import TaskRunner
    from controlroom.views.theme import apply_theme

    app = QApplication(sys.argv)
    apply_theme(app)
    Translations(app).switch("zh_TW")
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(f"sqlite:///{tmp}/demo.db")
        tasks = TaskRunner()

        def load() -> list[dict[str, object]]:
            with database.transaction() as session:
                return stations_json(session)

        user = {"username": "duty1", "display_name": "陳值勤", "role": "duty_officer"}
        window = MainWindow(tasks, load, user, "sqlite (demo)")
        window.resize(1400, 800)
        window.show()
        loop = QEventLoop()
        QTimer.singleShot(1500, loop.quit)
        loop.exec()
        window.grab().save(str(out / "main_window.png"))
        tasks.shutdown()
        database.dispose()
    print(f"saved {out / 'main_window.png'}")  # noqa: T201


if __name__ == "__main__":
    main()
