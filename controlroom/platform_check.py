"""Refuse known-bad runtime combinations before they crash the interpreter mid-shift."""

from __future__ import annotations

import sys


def qt_runtime_problem(python: tuple[int, int], pyside: tuple[int, int]) -> str | None:
    """PySide6 6.12 leaks a reference to None per void call on CPython < 3.12 and aborts within seconds."""
    if pyside >= (6, 12) and python < (3, 12):
        return (
            f"PySide6 {pyside[0]}.{pyside[1]} aborts CPython {python[0]}.{python[1]} "
            "(Fatal Python error: none_dealloc). Use PySide6 < 6.12 or Python >= 3.12."
        )
    return None


def ensure_qt_runtime() -> None:
    import PySide6

    version = PySide6.__version_info__
    problem = qt_runtime_problem((sys.version_info.major, sys.version_info.minor), (version[0], version[1]))
    if problem:
        raise SystemExit(f"controlroom: {problem}")
