"""Build the generated assets the application loads at run time (never committed).

- resources/i18n/*.qm from the committed .ts translation sources (pyside6-lrelease);
- resources/web/leaflet and resources/basemap (Leaflet and the offline Taiwan land layer, from npm).
Each step is skipped when its output is newer than its inputs, so set-up stays fast.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_map_assets import build_map_assets

ROOT = Path(__file__).resolve().parent.parent
logger = logging.getLogger("build_assets")


def _stale(output: Path, inputs: list[Path]) -> bool:
    return not output.exists() or any(p.stat().st_mtime > output.stat().st_mtime for p in inputs)


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        raise SystemExit(f"build_assets: {name} not found; run scripts/setup")
    return found


def build_translations() -> None:
    for source in sorted((ROOT / "resources" / "i18n").glob("*.ts")):
        target = source.with_suffix(".qm")
        if _stale(target, [source]):
            subprocess.run(
                [_tool("pyside6-lrelease"), "-silent", str(source), "-qm", str(target)], check=True
            )
            logger.info("built %s", target.relative_to(ROOT))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="build_assets: %(message)s")
    build_translations()
    build_map_assets(ROOT)


if __name__ == "__main__":
    main()
