"""The MQTT transport against a real mosquitto started by the test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from controlroom.feed.mqtt import BrokerConfig, FeedSubscriber
from controlroom.services.local_broker import LocalBroker
from tests.support.mosquitto import assert_quiet, broker_fixture, drain, publish


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    yield from broker_fixture(tmp_path_factory)


def _config(broker: LocalBroker, client_id: str, **options: object) -> BrokerConfig:
    return BrokerConfig.from_url(broker.url, client_id=client_id, **options)  # type: ignore[arg-type]


@pytest.fixture
def running() -> Iterator[list[FeedSubscriber]]:
    """Subscribers a test starts; all are stopped (and their threads joined) afterwards."""
    started: list[FeedSubscriber] = []
    yield started
    for subscriber in started:
        subscriber.stop()


def _start(running: list[FeedSubscriber], config: BrokerConfig, **kwargs: object) -> FeedSubscriber:
    subscriber = FeedSubscriber(config, backoff_initial_s=0.1, backoff_max_s=0.5, **kwargs)  # type: ignore[arg-type]
    running.append(subscriber)
    subscriber.start()
    assert subscriber.wait_connected(10), "subscriber did not connect"
    return subscriber


def test_broker_url_parsing() -> None:
    config = BrokerConfig.from_url(
        "mqtts://ops:s%40cret@broker.example:9883?client_id=jmc-1", ca_file="/ca.pem"
    )
    assert (config.host, config.port, config.tls) == ("broker.example", 9883, True)
    assert (config.username, config.password, config.client_id) == ("ops", "s@cret", "jmc-1")
    assert config.url == "mqtts://broker.example:9883" and "s@cret" not in repr(config)
    assert BrokerConfig.from_url("mqtt://h").port == 1883
    assert BrokerConfig.from_url("mqtts://h").port == 8883
    assert BrokerConfig.from_url("mqtt://h?protocol=3.1.1").protocol == "3.1.1"
    assert BrokerConfig.from_url("mqtt://h", topic_root="x/y/").subscription == "x/y/#"
    for bad in ("http://h", "mqtt://", "mqtt://h/path", "mqtt://h:99999"):
        with pytest.raises(ValueError, match="broker URL"):
            BrokerConfig.from_url(bad)


@pytest.mark.parametrize("protocol", ["5", "3.1.1"])
def test_subscriber_receives_what_is_published(
    broker: LocalBroker, running: list[FeedSubscriber], protocol: str
) -> None:
    subscriber = _start(running, _config(broker, f"t-recv-{protocol}", protocol=protocol))
    sent = [(f"iot/v1/units/U{i}/telemetry", {"n": i}) for i in range(20)]
    publish(broker.url, [*sent, ("other/root/x", b"ignored")])
    got = drain(subscriber, 20)
    assert [d.message.topic for d in got] == [t for t, _ in sent]
    assert got[3].message.payload == b'{"n": 3}'
    assert got[0].message.received_at.tzinfo is not None
    assert all(d.token is not None for d in got)
    assert_quiet(subscriber)
    health = subscriber.health.snapshot()
    assert health.connected and not health.degraded


@pytest.mark.parametrize("protocol", ["5", "3.1.1"])
def test_persistent_session_keeps_what_was_published_while_away(
    broker: LocalBroker, running: list[FeedSubscriber], protocol: str
) -> None:
    config = _config(broker, f"t-persist-{protocol}", protocol=protocol)
    first = _start(running, config)
    first.stop()
    publish(broker.url, [(f"iot/v1/seals/S{i}/status", {"i": i}) for i in range(50)])
    again = _start(running, config)
    got = drain(again, 50)
    assert sorted(int(d.message.topic.split("/")[3][1:]) for d in got) == list(range(50))
    assert_quiet(again)


@pytest.mark.parametrize("protocol", ["5", "3.1.1"])
def test_unacknowledged_messages_are_redelivered_after_a_crash(
    broker: LocalBroker, running: list[FeedSubscriber], protocol: str
) -> None:
    """Received but not committed (no ack) when the app stops: the broker sends them again."""
    config = _config(broker, f"t-redeliver-{protocol}", protocol=protocol)
    first = _start(running, config)
    publish(broker.url, [(f"iot/v1/cn/CN{i}", {"i": i}) for i in range(10)])
    drain(first, 10, ack=False)  # "crash" before the commit: nothing acknowledged
    first.stop()
    again = _start(running, config)
    got = drain(again, 10)
    assert sorted(d.message.topic for d in got) == sorted(f"iot/v1/cn/CN{i}" for i in range(10))
    again.stop()
    third = _start(running, config)  # acknowledged now: not sent a third time
    assert_quiet(third, 0.5)


def test_reconnects_and_resubscribes_after_broker_restart(
    broker: LocalBroker, running: list[FeedSubscriber]
) -> None:
    subscriber = _start(running, _config(broker, "t-restart"))
    publish(broker.url, [("iot/v1/units/U1/telemetry", b"before")])
    drain(subscriber, 1)
    broker.restart()
    deadline = time.monotonic() + 10
    while subscriber.health.snapshot().reconnects < 1:
        assert time.monotonic() < deadline, "no reconnect"
        time.sleep(0.05)
    assert subscriber.wait_connected(10)
    publish(broker.url, [("iot/v1/units/U1/telemetry", b"after")])
    assert [d.message.payload for d in drain(subscriber, 1)] == [b"after"]
    assert subscriber.health.snapshot().connected


def test_back_pressure_waits_and_drops_nothing(broker: LocalBroker, running: list[FeedSubscriber]) -> None:
    subscriber = _start(running, _config(broker, "t-pressure"), queue_size=5)
    total = 300
    publisher = threading.Thread(
        target=publish, args=(broker.url, [(f"iot/v1/gates/G{i}/passages", str(i)) for i in range(total)])
    )
    publisher.start()
    time.sleep(0.5)  # the consumer is slow to start: the queue fills and the receive loop waits
    assert subscriber.queue.full()
    got = []
    while len(got) < total:
        batch = drain(subscriber, min(7, total - len(got)))
        got.extend(batch)
    publisher.join(10)
    assert sorted(int(d.message.payload) for d in got) == list(range(total))
    assert_quiet(subscriber)


def test_stop_leaves_no_thread(broker: LocalBroker) -> None:
    before = {t.name for t in threading.enumerate()}
    subscriber = FeedSubscriber(_config(broker, "t-stop"))
    subscriber.start()
    assert subscriber.wait_connected(10)
    subscriber.stop()
    assert {t.name for t in threading.enumerate()} <= before


def test_unreachable_broker_is_retried_and_reported(running: list[FeedSubscriber]) -> None:
    from controlroom.services.local_broker import free_port

    subscriber = FeedSubscriber(BrokerConfig.from_url(f"mqtt://127.0.0.1:{free_port()}", client_id="t-down"))
    running.append(subscriber)
    subscriber.start()
    assert not subscriber.wait_connected(0.5)
    health = subscriber.health.snapshot()
    assert health.degraded and health.reason.startswith("disconnected")


def test_without_manual_ack_a_crash_after_receipt_loses_the_messages(
    broker: LocalBroker, running: list[FeedSubscriber]
) -> None:
    """The window that manual ack closes: paho acknowledges on receipt, so the broker forgets them."""
    config = _config(broker, "t-autoack")
    first = _start(running, config, manual_ack=False)
    publish(broker.url, [(f"iot/v1/cn/A{i}", {"i": i}) for i in range(5)])
    assert all(d.token is None for d in drain(first, 5, ack=False))
    first.stop()
    again = _start(running, config, manual_ack=False)
    assert_quiet(again, 0.5)
