"""Take the documentation screenshots offscreen: `.venv/bin/python packaging/screenshots.py [OUT_DIR]`.

Runs the real application shell in demo mode (a temporary SQLite database, a private broker, the
simulated fleet) signed in as a sample duty officer, waits for live data, and saves PNGs of the main
window, the wall screen and the English variant to docs/screenshots/ by default.
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
    from controlroom.app import Shell, prepare_qt_environment

    prepare_qt_environment()
    import PySide6.QtWebEngineWidgets  # noqa: F401
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from controlroom.settings import Settings
    from controlroom.storage.database import open_database
    from controlroom.views.i18n import Translations
    from controlroom.views.theme import apply_theme

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    app = QApplication(sys.argv)
    app.setOrganizationName("controlroom-screenshots")
    from PySide6.QtCore import QSettings

    QSettings().clear()  # the default layout, not whatever the last run left
    apply_theme(app)
    translations = Translations(app)
    translations.switch("zh_TW")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{tmp}/demo.db")
        database = open_database(settings.db_url)
        user = {"username": "duty1", "display_name": "陳值勤", "role": "duty_officer"}
        shell = Shell(app, settings, database, translations, user, demo=True)
        shell.start()
        shell.window.resize(1920, 1080)
        wait(45000)  # history replay, map page, first live alerts
        shell.window.grab().save(str(out / "main_window.png"))
        # Kaohsiung harbour close up: geofences, routes, gates and the trucks between the terminals.
        shell.window.panels.map.run_js("fleet.map.setView([22.575, 120.312], 14);")
        wait(3000)
        shell.window.panels.map.grab().save(str(out / "map.png"))
        shell.show_wall()
        shell.wall.showNormal()  # the offscreen platform has no second screen to fill
        shell.wall.resize(1920, 1080)
        wait(8000)
        shell.wall.grab().save(str(out / "wall.png"))
        shell.wall.close()
        shell.switch_language("en")
        shell.window.resize(1920, 1080)
        wait(8000)
        shell.window.grab().save(str(out / "main_window_en.png"))
        shell.stop()
        database.dispose()
    print(f"saved screenshots in {out}")  # noqa: T201


if __name__ == "__main__":
    main()
