"""Refuse known-bad runtime combinations before they crash the interpreter mid-shift."""

from __future__ import annotations

import os
import shutil
import subprocess
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


def webengine_sandbox_usable() -> bool:
    """Chromium's sandbox needs a non-root user who may create user namespaces; without one (root, or
    a locked-down container) QtWebEngine aborts instead of starting, so the caller turns it off."""
    if not sys.platform.startswith("linux"):
        return True
    if os.geteuid() == 0:
        return False
    unshare = shutil.which("unshare")
    if unshare is None:
        return True  # cannot tell: keep the sandbox
    try:
        return subprocess.run([unshare, "--user", "true"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return True


def prepare_webengine_environment() -> None:
    """Set before the first QtWebEngine import. The map page is local and offline (non-local requests
    are blocked), so running it unsandboxed where the sandbox cannot start is the lesser evil."""
    if "QTWEBENGINE_DISABLE_SANDBOX" not in os.environ and not webengine_sandbox_usable():
        os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
