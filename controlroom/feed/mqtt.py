"""The MQTT transport of the feed: a subscriber thread with its own asyncio loop, and the broker settings.

Design (docs: platform notes §3, style habit 5):

- :class:`FeedSubscriber` runs aiomqtt in its own ``threading.Thread`` that owns an
  ``asyncio.SelectorEventLoop`` (works on Windows too, where qasync's default loop cannot run
  aiomqtt). It never touches Qt; consumers read a bounded ``queue.Queue`` of :class:`Delivery`.
- Persistent session: a stable client id, and ``clean_start=False`` + a session expiry interval
  (MQTT 5, the default) or ``clean_session=False`` (MQTT 3.1.1), so the broker keeps the
  subscription and queues QoS-1 messages while the product is away.
- **Acknowledge after commit.** paho-mqtt 2.2 has ``manual_ack``; aiomqtt 2.5.1 does not expose it,
  but its paho client is reachable and ``manual_ack_set(True)`` before connecting switches paho to
  it. Each delivery carries an :class:`AckToken`; the consumer calls :meth:`FeedSubscriber.ack`
  once the batch is committed, and only then does the broker get the PUBACK. A crash between
  receipt and commit therefore loses nothing: the broker still holds the message in flight and
  sends it again (DUP) when the session resumes; the ingest layer's de-duplication absorbs a
  message that was committed but whose PUBACK was lost. A token from an earlier connection is
  never sent (the packet id could now belong to another message); the broker redelivers those.
- Back-pressure without loss: when the queue is full the receive loop waits. With manual ack the
  broker can have at most ``receive_maximum`` (MQTT 5) or its ``max_inflight_messages`` (3.1.1)
  unacknowledged messages out to us, so the wait propagates to the broker instead of growing a
  buffer in aiomqtt.
- aiomqtt has no automatic reconnect: the loop reconnects and resubscribes with exponential
  backoff (capped) on every ``MqttError``, until :meth:`FeedSubscriber.stop` cancels it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import random
import socket
import ssl
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

import aiomqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from controlroom.feed.health import FeedHealth
from controlroom.feed.raw import RawMessage
from controlroom.feed.topics import DEFAULT_ROOT

__all__ = [
    "AckToken",
    "BrokerConfig",
    "Delivery",
    "FeedSubscriber",
    "default_client_id",
    "make_client",
]

logger = logging.getLogger(__name__)

Protocol = Literal["5", "3.1.1"]
_SCHEMES = {"mqtt": (False, 1883), "tcp": (False, 1883), "mqtts": (True, 8883), "ssl": (True, 8883)}


def default_client_id() -> str:
    """A client id that stays the same across restarts on one workstation, so its session survives."""
    host = "".join(c for c in socket.gethostname() if c.isalnum() or c in "-_")[:40] or "host"
    return f"controlroom-{host}"


@dataclass(frozen=True)
class BrokerConfig:
    """Where the feed's broker is and how to log in. Build it with :meth:`from_url`."""

    host: str
    port: int = 1883
    tls: bool = False
    client_id: str = field(default_factory=default_client_id)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    topic_root: str = DEFAULT_ROOT
    keepalive: int = 30
    protocol: Protocol = "5"
    session_expiry_s: int = 7 * 24 * 3600  # MQTT 5: how long the broker keeps our session offline
    receive_maximum: int = 1000  # MQTT 5: unacknowledged QoS-1 messages the broker may send us

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        client_id: str | None = None,
        username: str | None = None,
        password: str | None = None,
        ca_file: str | None = None,
        cert_file: str | None = None,
        key_file: str | None = None,
        topic_root: str = DEFAULT_ROOT,
        keepalive: int = 30,
        protocol: Protocol = "5",
    ) -> BrokerConfig:
        """Parse ``mqtt://[user[:password]@]host[:port]`` or ``mqtts://…``; keyword options win over the URL.

        The query may carry ``client_id`` and ``protocol`` (``5`` or ``3.1.1``).
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _SCHEMES:
            raise ValueError(f"broker URL must start with mqtt:// or mqtts://, not {scheme or '(none)'}://")
        if not parts.hostname:
            raise ValueError("broker URL has no host")
        if parts.path not in ("", "/"):
            raise ValueError("broker URL must not have a path")
        tls, default_port = _SCHEMES[scheme]
        try:
            port = parts.port or default_port
        except ValueError as error:
            raise ValueError(f"broker URL has a bad port: {error}") from None
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        chosen_protocol = query.get("protocol", protocol)
        if chosen_protocol not in ("5", "3.1.1"):
            raise ValueError("protocol must be 5 or 3.1.1")
        if cert_file is None and key_file is not None:
            raise ValueError("a client key needs a client certificate")
        return cls(
            host=parts.hostname,
            port=port,
            tls=tls,
            client_id=client_id or query.get("client_id") or default_client_id(),
            username=username
            if username is not None
            else (unquote(parts.username) if parts.username else None),
            password=password
            if password is not None
            else (unquote(parts.password) if parts.password else None),
            ca_file=ca_file,
            cert_file=cert_file,
            key_file=key_file,
            topic_root=topic_root,
            keepalive=keepalive,
            protocol="5" if chosen_protocol == "5" else "3.1.1",
        )

    @property
    def url(self) -> str:
        """The broker's address without credentials, for logs and the status bar."""
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"

    @property
    def subscription(self) -> str:
        root = self.topic_root.strip("/")
        return f"{root}/#" if root else "#"

    def with_client_id(self, client_id: str) -> BrokerConfig:
        return replace(self, client_id=client_id)


def _tls_context(config: BrokerConfig) -> ssl.SSLContext | None:
    if not config.tls:
        return None
    context = ssl.create_default_context(cafile=config.ca_file)
    if config.cert_file:
        context.load_cert_chain(config.cert_file, config.key_file)
    return context


def make_client(
    config: BrokerConfig, *, persistent: bool = True, client_id: str | None = None
) -> aiomqtt.Client:
    """An aiomqtt client for ``config`` (call inside the running loop that will use it).

    ``persistent``: resume the broker-side session (subscriber). Publishers pass False.
    """
    kwargs: dict[str, Any] = {
        "hostname": config.host,
        "port": config.port,
        "username": config.username,
        "password": config.password,
        "identifier": client_id or config.client_id,
        "keepalive": config.keepalive,
        "tls_context": _tls_context(config),
        "timeout": 10.0,
    }
    if config.protocol == "5":
        properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        properties.SessionExpiryInterval = config.session_expiry_s if persistent else 0
        properties.ReceiveMaximum = config.receive_maximum
        kwargs["protocol"] = aiomqtt.ProtocolVersion.V5
        kwargs["clean_start"] = not persistent
        kwargs["properties"] = properties
    else:
        kwargs["protocol"] = aiomqtt.ProtocolVersion.V311
        kwargs["clean_session"] = not persistent
    client = aiomqtt.Client(**kwargs)
    client.pending_calls_threshold = 10_000  # a publisher may have many QoS-1 publishes in flight
    return client


@dataclass(frozen=True, slots=True)
class AckToken:
    """What it takes to acknowledge one QoS-1 message: the connection it came on and its packet id."""

    connection: int
    mid: int
    qos: int


@dataclass(frozen=True, slots=True)
class Delivery:
    message: RawMessage
    token: AckToken | None  # None when no acknowledgement is owed (QoS 0, or manual ack off)


class FeedSubscriber:
    """Subscribes ``{root}/#`` at QoS 1 in its own thread and puts :class:`Delivery` items on ``queue``.

    ``start()`` returns at once; ``wait_connected()`` waits for the first subscription. ``stop()``
    cancels the loop, disconnects cleanly and joins the thread. Call :meth:`ack` with deliveries
    once their effects are committed (with ``manual_ack=False`` paho acknowledges on receipt and
    :meth:`ack` does nothing).
    """

    def __init__(
        self,
        config: BrokerConfig,
        *,
        queue_size: int = 10_000,
        health: FeedHealth | None = None,
        manual_ack: bool = True,
        backoff_initial_s: float = 0.5,
        backoff_max_s: float = 30.0,
        put_poll_s: float = 0.01,
    ) -> None:
        self.config = config
        self.queue: queue.Queue[Delivery] = queue.Queue(maxsize=queue_size)
        self.health = health or FeedHealth()
        self._manual_ack = manual_ack
        self._backoff_initial = backoff_initial_s
        self._backoff_max = backoff_max_s
        self._put_poll = put_poll_s
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._client: aiomqtt.Client | None = None
        self._connection = 0
        self._subscribed = threading.Event()
        self._loop_ready = threading.Event()
        self._session_subscribed = False
        self._random = random.Random()

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the subscriber was already started")
        self._loop_ready.clear()
        self._thread = threading.Thread(target=self._run, name=f"mqtt-{self.config.client_id}", daemon=True)
        self._thread.start()
        self._loop_ready.wait()

    def wait_connected(self, timeout: float | None = None) -> bool:
        """Wait until connected and subscribed; False on timeout."""
        return self._subscribed.wait(timeout)

    @property
    def connected(self) -> bool:
        return self._subscribed.is_set()

    def stop(self, timeout: float = 15.0) -> None:
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop already closed
            loop.call_soon_threadsafe(self._cancel)
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError(f"MQTT thread {thread.name} did not stop within {timeout} s")
        self._thread = None

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _run(self) -> None:
        loop = asyncio.SelectorEventLoop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            self._task = loop.create_task(self._main())
            self._loop_ready.set()
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(self._task)
        finally:
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                asyncio.set_event_loop(None)
                loop.close()

    # -- acknowledgement -----------------------------------------------------------------------

    def ack(self, deliveries: Iterable[Delivery]) -> None:
        """Acknowledge committed deliveries (thread-safe; the PUBACKs go out on the MQTT thread)."""
        tokens = [d.token for d in deliveries if d.token is not None]
        loop = self._loop
        if not tokens or loop is None or not self._manual_ack:
            return
        with contextlib.suppress(RuntimeError):  # loop closed: the broker redelivers on resume
            loop.call_soon_threadsafe(self._send_acks, tokens)

    def _send_acks(self, tokens: list[AckToken]) -> None:
        client = self._client
        if client is None:
            return
        paho = client._client
        for token in tokens:
            if token.connection == self._connection:
                paho.ack(token.mid, token.qos)

    # -- the receive loop ----------------------------------------------------------------------

    async def _main(self) -> None:
        backoff = self._backoff_initial
        while True:
            self._session_subscribed = False
            try:
                await self._session()
            except aiomqtt.MqttError as error:
                self.health.set_connected(False, str(error))
                logger.warning(
                    "MQTT connection to %s failed or was lost (%s); reconnecting in %.1f s",
                    self.config.url,
                    error,
                    backoff,
                )
            except Exception as error:  # a bug or a bad setting (e.g. TLS files): keep the loop alive
                self.health.set_connected(False, f"{type(error).__name__}: {error}")
                logger.exception(
                    "unexpected error in the MQTT receive loop for %s; retrying", self.config.url
                )
            else:  # the broker ended the message stream without an error
                self.health.set_connected(False, "message stream ended")
            finally:
                self._client = None
                self._subscribed.clear()
            if self._session_subscribed:  # it had worked: start the backoff again from the bottom
                backoff = self._backoff_initial
            await asyncio.sleep(backoff * (0.8 + 0.4 * self._random.random()))
            backoff = min(backoff * 2, self._backoff_max)

    async def _session(self) -> None:
        client = make_client(self.config, persistent=True)
        if self._manual_ack:
            # aiomqtt 2.5 does not expose paho's manual_ack; switch it on its paho client.
            client._client.manual_ack_set(True)
        async with client:
            self._connection += 1
            connection = self._connection
            self._client = client
            await client.subscribe(self.config.subscription, qos=1)
            self._subscribed.set()
            self._session_subscribed = True
            self.health.set_connected(True)
            logger.info(
                "subscribed to %s on %s as %s",
                self.config.subscription,
                self.config.url,
                self.config.client_id,
            )
            async for message in client.messages:
                raw = RawMessage(str(message.topic), bytes(message.payload), datetime.now(UTC))
                self.health.record_messages(1)
                token = (
                    AckToken(connection, message.mid, message.qos)
                    if self._manual_ack and message.qos > 0
                    else None
                )
                await self._put(Delivery(raw, token))

    async def _put(self, delivery: Delivery) -> None:
        """Hand a delivery to the consumer; while the queue is full, wait (never drop)."""
        while True:
            try:
                self.queue.put_nowait(delivery)
                return
            except queue.Full:
                await asyncio.sleep(self._put_poll)
