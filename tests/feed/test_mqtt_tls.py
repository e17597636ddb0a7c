"""The feed over TLS with a username and password, against a real mosquitto with its own CA."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from controlroom.feed.mqtt import BrokerConfig, FeedSubscriber, make_client
from controlroom.services.local_broker import find_mosquitto, free_port
from tests.support.mosquitto import drain

USER, PASSWORD = "jmc-ingest", "s3cret-feed-pass"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _certificates(directory: Path) -> None:
    """A private CA and a server certificate for 127.0.0.1 (made here, never committed)."""
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=controlroom test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        cwd=directory,
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        cwd=directory,
    )
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "san.ext",
        "-out",
        "server.crt",
        cwd=directory,
    )


@pytest.fixture(scope="module")
def tls_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    directory = tmp_path_factory.mktemp("mqtts")
    _certificates(directory)
    passwd = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
    subprocess.run(
        [passwd, "-b", "-c", str(directory / "passwd"), USER, PASSWORD], check=True, capture_output=True
    )
    port = free_port()
    lines = [
        f"listener {port} 127.0.0.1",
        f"cafile {directory / 'ca.crt'}",
        f"certfile {directory / 'server.crt'}",
        f"keyfile {directory / 'server.key'}",
        "allow_anonymous false",
        f"password_file {directory / 'passwd'}",
        "persistence false",
    ]
    if os.geteuid() == 0:
        lines.append("user root")
    (directory / "mosquitto.conf").write_text("\n".join(lines) + "\n")
    process = subprocess.Popen(
        [find_mosquitto(), "-c", str(directory / "mosquitto.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.1)
    try:
        yield port, directory
    finally:
        process.terminate()
        process.wait(10)


def _config(port: int, directory: Path, password: str, client_id: str) -> BrokerConfig:
    return BrokerConfig.from_url(
        f"mqtts://127.0.0.1:{port}",
        client_id=client_id,
        username=USER,
        password=password,
        ca_file=str(directory / "ca.crt"),
    )


def test_subscriber_receives_over_tls_with_credentials(tls_broker: tuple[int, Path]) -> None:
    port, directory = tls_broker
    subscriber = FeedSubscriber(_config(port, directory, PASSWORD, "t-tls-sub"))
    subscriber.start()
    try:
        assert subscriber.wait_connected(10)

        async def send() -> None:
            async with make_client(
                _config(port, directory, PASSWORD, "t-tls-pub"), persistent=False
            ) as client:
                await client.publish("iot/v1/units/VU1/telemetry", b"{}", qos=1)

        with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
            runner.run(send())
        [delivery] = drain(subscriber, 1)
        assert delivery.message.topic == "iot/v1/units/VU1/telemetry"
    finally:
        subscriber.stop()


@pytest.mark.allow_logged_errors
def test_wrong_password_never_connects(tls_broker: tuple[int, Path]) -> None:
    port, directory = tls_broker
    subscriber = FeedSubscriber(_config(port, directory, "not-the-password", "t-tls-bad"))
    subscriber.start()
    try:
        assert not subscriber.wait_connected(3)
    finally:
        subscriber.stop()
