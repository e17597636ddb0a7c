"""A private mosquitto broker on a free loopback port: for the demo (no site broker) and for the tests.

It runs ``mosquitto -c <conf>`` with its own persistence directory, so sessions and queued QoS-1
messages survive a broker restart. Run as root, mosquitto 2 would switch to the ``mosquitto`` user
and then fail to write a persistence directory owned by root; the configuration says ``user root``
in that case, so it keeps the identity it was started with.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "LocalBroker",
    "MosquittoNotInstalledError",
    "demo_broker_dir",
    "find_mosquitto",
    "free_port",
    "start_local_broker",
]

logger = logging.getLogger(__name__)

_SEARCH = ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto")


class MosquittoNotInstalledError(RuntimeError):
    """mosquitto is needed for a local broker and was not found."""


def find_mosquitto() -> str:
    found = shutil.which("mosquitto") or next((p for p in _SEARCH if os.access(p, os.X_OK)), None)
    if found is None:
        raise MosquittoNotInstalledError(
            "mosquitto is not installed: run scripts/setup (Debian package 'mosquitto'), "
            "or give a broker URL with --broker / CONTROLROOM_BROKER_URL"
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _alive(pid: int) -> bool:
    """Running (a zombie, whose cmdline is empty, counts as gone)."""
    try:
        return bool(Path(f"/proc/{pid}/cmdline").read_bytes())
    except OSError:
        return False


@dataclass
class LocalBroker:
    """One mosquitto process; ``stop()`` and ``start()`` again keep the port and the persisted state."""

    data_dir: Path
    port: int
    executable: str
    host: str = "127.0.0.1"
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    @property
    def conf_path(self) -> Path:
        return self.data_dir / "mosquitto.conf"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "mosquitto.log"

    def _write_conf(self) -> None:
        lines = [
            f"listener {self.port} {self.host}",
            "allow_anonymous true",
            "persistence true",
            f"persistence_location {self.data_dir}/",
            "autosave_interval 30",
            # Hold what a persistent subscriber misses while away (the default of 1000 would drop more).
            "max_queued_messages 1000000",
            "max_inflight_messages 100",
            f"log_dest file {self.log_path}",
            "log_type error",
            "log_type warning",
            "log_type notice",
        ]
        if os.name == "posix" and os.geteuid() == 0:
            lines.append("user root")  # do not drop to 'mosquitto': it could not write data_dir
        self.conf_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @property
    def pid_path(self) -> Path:
        return self.data_dir / "controlroom-mosquitto.pid"

    def _stop_leftover(self) -> None:
        """A broker left running on this directory by a process that died: stop it first, or two
        brokers would write the same persistence file."""
        try:
            pid = int(self.pid_path.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return
        if str(self.conf_path).encode() not in cmdline:
            return
        logger.warning("stopping a leftover mosquitto (pid %d) on %s", pid, self.data_dir)
        try:
            os.kill(pid, 15)
            for _ in range(200):
                if not _alive(pid):
                    break
                time.sleep(0.025)
        except OSError:
            pass

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._stop_leftover()
        self._write_conf()
        self.process = subprocess.Popen(
            [self.executable, "-c", str(self.conf_path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.pid_path.write_text(f"{self.process.pid}\n", encoding="ascii")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                stderr = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
                self.process = None
                raise RuntimeError(f"mosquitto exited at start-up: {stderr.strip()} {log.strip()[-500:]}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.2):
                    logger.info("local mosquitto listening on %s (data in %s)", self.url, self.data_dir)
                    return
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"mosquitto did not accept connections on {self.url} within {timeout} s")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate (SIGTERM: mosquitto saves its persistence file) and wait."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr is not None:
            process.stderr.close()
        self.pid_path.unlink(missing_ok=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> LocalBroker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def demo_broker_dir() -> Path:
    """Where the demo's broker keeps its persistence file: under the user data directory."""
    from controlroom.settings import user_data_dir

    return user_data_dir() / "mosquitto"


def start_local_broker(data_dir: Path | None = None, *, port: int | None = None) -> LocalBroker:
    """Start mosquitto on ``127.0.0.1:port`` (a free port if None) with persistence in ``data_dir``
    (default: :func:`demo_broker_dir`). Sessions and queued messages survive a restart there."""
    data_dir = data_dir if data_dir is not None else demo_broker_dir()
    broker = LocalBroker(Path(data_dir), port or free_port(), find_mosquitto())
    broker.start()
    return broker
