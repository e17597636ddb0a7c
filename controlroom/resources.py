"""Where the shipped files of `resources/` are: beside the package in a checkout, inside a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    path = resource_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"resource missing: {path} (run the set-up command to build assets)")
    return path
