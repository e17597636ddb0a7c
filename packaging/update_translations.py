"""Refresh the .ts translation sources from the code (pyside6-lupdate) — a developer tool.

Run after adding or changing user-visible strings, then fill the new <translation> entries
(pyside6-linguist, or by editing the XML) and commit the .ts file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("zh_TW",)


def main() -> None:
    sources = sorted(str(p) for p in (ROOT / "controlroom" / "views").rglob("*.py"))
    lupdate = str(Path(sys.executable).parent / "pyside6-lupdate")
    for language in LANGUAGES:
        target = ROOT / "resources" / "i18n" / f"controlroom_{language}.ts"
        subprocess.run(
            [lupdate, "-no-obsolete", "-locations", "none", *sources, "-ts", str(target)], check=True
        )


if __name__ == "__main__":
    main()
