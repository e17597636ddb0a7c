"""The start-up guard refuses PySide6 6.12 on CPython 3.11, which aborts the interpreter."""

from __future__ import annotations

import subprocess
import sys

from controlroom.platform_check import qt_runtime_problem


def test_bad_combination_is_refused_and_good_ones_pass() -> None:
    assert qt_runtime_problem((3, 11), (6, 12)) is not None
    assert "none_dealloc" in (qt_runtime_problem((3, 11), (6, 13)) or "")
    assert qt_runtime_problem((3, 11), (6, 11)) is None
    assert qt_runtime_problem((3, 12), (6, 12)) is None


def test_installed_runtime_is_a_good_combination() -> None:
    import PySide6

    version = PySide6.__version_info__
    assert qt_runtime_problem(sys.version_info[:2], (version[0], version[1])) is None


def test_cli_help_lists_the_subcommands_without_loading_qt() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from controlroom.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        "print(out.getvalue())\n"
        "print('QT_LOADED' if 'PySide6' in sys.modules else 'QT_FREE')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    for command in ("demo", "db", "seed", "users", "audit", "stations", "routes", "gates"):
        assert command in result.stdout
    assert result.stdout.strip().endswith("QT_FREE")


def test_webengine_sandbox_is_only_kept_where_it_can_start(monkeypatch: object) -> None:
    """As root (this CI) the sandbox cannot start; the application then turns it off by itself."""
    import os

    from controlroom.platform_check import webengine_sandbox_usable

    if os.geteuid() == 0:
        assert webengine_sandbox_usable() is False
    else:
        usable = subprocess.run(["unshare", "--user", "true"], capture_output=True).returncode == 0
        assert webengine_sandbox_usable() is usable
