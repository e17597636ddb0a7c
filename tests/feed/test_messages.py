"""Feed contract v1 (protocol.md): parsing, rejection, dedupe keys and personal-data hygiene."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from controlroom.feed.messages import (
    CNNote,
    DedupeKey,
    FeedMessage,
    GatePassage,
    MessageKind,
    PassiveRead,
    Rejection,
    SealEvent,
    Sealing,
    SealStatus,
    UnitEvent,
    UnitTelemetry,
    dedupe_key,
    parse_message,
    referenced_stations,
)
from controlroom.feed.topics import match_topic, subscription_filters, topic_for

TS = "2026-11-22T08:15:30+08:00"
DRIVER = "A123456789"  # a personal identifier: must never show up in repr or rejection text
CONTAINER = "CSQU3054383"  # valid ISO 6346 check digit
CONTAINER_BAD_CHECK = "CSQU3054384"


def telemetry(**over: Any) -> dict[str, Any]:
    return {
        "unit_id": "U1",
        "seq": 7,
        "ts": TS,
        "lat": 22.6,
        "lon": 120.3,
        "speed_kmh": 42.5,
        "heading_deg": 90,
        "fix": "3d",
        "power": "main",
        "plate": "KLA-1234",
        "driver_id": DRIVER,
    } | over


def unit_event(event: str, **over: Any) -> dict[str, Any]:
    return {"unit_id": "U1", "seq": 8, "ts": TS, "event": event} | over


def seal_status(**over: Any) -> dict[str, Any]:
    return {
        "seal_id": "S1",
        "seq": 3,
        "ts": TS,
        "state": "locked",
        "pin": "ok",
        "tamper": False,
        "battery_pct": 87,
        "lat": 22.6,
        "lon": 120.3,
        "unit_id": "U1",
        "link": "ble",
    } | over


def seal_event(event: str, **over: Any) -> dict[str, Any]:
    return {"seal_id": "S1", "seq": 4, "ts": TS, "event": event} | over


def cn_note(action: str = "new", **over: Any) -> dict[str, Any]:
    return {
        "cn_no": "CN1",
        "action": action,
        "ts": TS,
        "container_no": CONTAINER,
        "plate": "kla 1234",
        "driver_id": DRIVER,
        "origin": "KHH01",
        "destination": "KEL02",
        "seal_type": "vehicle",
        "seal_no": "S1",
        "tool_type": 1,
        "deadline": "2026-11-22T14:00:00+08:00",
        "route_id": "R9",
    } | over


def sealing(**over: Any) -> dict[str, Any]:
    return {
        "cn_no": "CN1",
        "ts": TS,
        "seal_no": "S1",
        "operator_id": "OP7",
        "station": "KHH01",
        "photo_id": "PH1",
    } | over


def gate_passage(**over: Any) -> dict[str, Any]:
    return {
        "gate_id": "G5",
        "ts": TS,
        "direction": "out",
        "plate": "KLA-1234",
        "container_no": CONTAINER,
        "inspected": True,
    } | over


def passive_read(**over: Any) -> dict[str, Any]:
    return {
        "seal_no": "P1",
        "ts": TS,
        "op": "exit",
        "station": "KHH01",
        "operator_id": "OP7",
        "cn_no": "CN1",
        "photo_id": "PH2",
        "lat": 22.6,
        "lon": 120.3,
        "location_tag": "TAG-3",
    } | over


T_TELEMETRY = "iot/v1/units/U1/telemetry"
T_UNIT_EVENTS = "iot/v1/units/U1/events"
T_SEAL_STATUS = "iot/v1/seals/S1/status"
T_SEAL_EVENTS = "iot/v1/seals/S1/events"
T_CN = "iot/v1/cn/CN1"
T_SEALING = "iot/v1/cn/CN1/sealing"
T_GATE = "iot/v1/gates/G5/passages"
T_PASSIVE = "iot/v1/passive/P1/reads"


def encode(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def accept(topic: str, obj: object, **kw: Any) -> FeedMessage:
    result = parse_message(topic, obj if isinstance(obj, bytes) else encode(obj), **kw)
    assert isinstance(result, FeedMessage), result
    return result


def reject(topic: str, obj: object, **kw: Any) -> Rejection:
    result = parse_message(topic, obj if isinstance(obj, bytes) else encode(obj), **kw)
    assert isinstance(result, Rejection), result
    return result


# ------------------------------------------------------------------ valid messages, every topic


def test_telemetry_valid() -> None:
    msg = accept(T_TELEMETRY, telemetry())
    assert msg.kind is MessageKind.UNIT_TELEMETRY
    m = msg.model
    assert isinstance(m, UnitTelemetry)
    assert (m.unit_id, m.seq, m.lat, m.lon, m.speed_kmh, m.heading_deg) == ("U1", 7, 22.6, 120.3, 42.5, 90.0)
    assert (m.fix, m.power, m.plate, m.driver_id) == ("3d", "main", "KLA1234", DRIVER)
    assert m.ts == datetime(2026, 11, 22, 0, 15, 30, tzinfo=UTC)
    assert m.ts.utcoffset() == timedelta(hours=8)  # the sender's offset is kept
    assert (msg.device, msg.seq, msg.ts) == ("unit:U1", 7, m.ts)


def test_telemetry_minimal_fix_none_backup_power() -> None:
    obj = telemetry(fix="none", power="backup", lat=-90, lon=180, speed_kmh=0)
    for optional in ("heading_deg", "plate", "driver_id"):
        del obj[optional]
    m = accept(T_TELEMETRY, obj).model
    assert isinstance(m, UnitTelemetry)
    assert (m.heading_deg, m.plate, m.driver_id, m.fix, m.power) == (None, None, None, "none", "backup")


@pytest.mark.parametrize(
    ("event", "extra"),
    [
        ("power_removed", {}),
        ("power_restored", {}),
        ("driver_login", {"driver_id": DRIVER}),
        ("driver_logout", {}),
        ("seal_paired", {"seal_id": "S1"}),
        ("seal_unpaired", {"seal_id": "S1"}),
    ],
)
def test_unit_events_valid(event: str, extra: dict[str, str]) -> None:
    msg = accept(T_UNIT_EVENTS, unit_event(event, **extra))
    m = msg.model
    assert isinstance(m, UnitEvent)
    assert m.event == event
    assert m.driver_id == extra.get("driver_id")
    assert m.seal_id == extra.get("seal_id")
    assert (msg.kind, msg.device, msg.seq) == (MessageKind.UNIT_EVENT, "unit:U1", 8)


def test_unit_event_extras_of_other_events_are_ignored() -> None:
    # driver_id is defined for driver_login only; elsewhere it is an unknown field, even if malformed.
    m = accept(T_UNIT_EVENTS, unit_event("power_removed", driver_id=12, seal_id=["x"])).model
    assert isinstance(m, UnitEvent)
    assert (m.driver_id, m.seal_id) == (None, None)


def test_seal_status_valid() -> None:
    msg = accept(T_SEAL_STATUS, seal_status())
    m = msg.model
    assert isinstance(m, SealStatus)
    assert (m.state, m.pin, m.tamper, m.battery_pct, m.link, m.unit_id) == (
        "locked",
        "ok",
        False,
        87,
        "ble",
        "U1",
    )
    assert (msg.kind, msg.device, msg.seq) == (MessageKind.SEAL_STATUS, "seal:S1", 3)


@pytest.mark.parametrize("state", ["free", "inserted", "locked"])
def test_seal_status_states_without_fix(state: str) -> None:
    obj = seal_status(state=state, pin="fault", tamper=True, battery_pct=0, link="lte")
    del obj["lat"], obj["lon"], obj["unit_id"]
    m = accept(T_SEAL_STATUS, obj).model
    assert isinstance(m, SealStatus)
    assert (m.state, m.lat, m.lon, m.unit_id, m.tamper) == (state, None, None, None, True)


@pytest.mark.parametrize("event", ["locked", "pin_fault", "tamper", "low_battery"])
def test_seal_events_valid(event: str) -> None:
    msg = accept(T_SEAL_EVENTS, seal_event(event))
    assert isinstance(msg.model, SealEvent)
    assert (msg.model.event, msg.model.method) == (event, None)
    assert (msg.kind, msg.device, msg.seq) == (MessageKind.SEAL_EVENT, "seal:S1", 4)


@pytest.mark.parametrize("method", ["geofence", "app_ble", "app_offline", "cut"])
def test_seal_unlocked_valid(method: str) -> None:
    m = accept(T_SEAL_EVENTS, seal_event("unlocked", method=method)).model
    assert isinstance(m, SealEvent)
    assert (m.event, m.method) == ("unlocked", method)


@pytest.mark.parametrize("action", ["new", "replace"])
def test_cn_new_and_replace_valid(action: str) -> None:
    msg = accept(T_CN, cn_note(action))
    m = msg.model
    assert isinstance(m, CNNote)
    assert m.action == action
    assert (m.container_no, m.plate, m.driver_id, m.seal_type, m.seal_no, m.tool_type) == (
        CONTAINER,
        "KLA1234",
        DRIVER,
        "vehicle",
        "S1",
        1,
    )
    assert m.deadline == datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    assert (msg.kind, msg.device, msg.seq) == (MessageKind.CN_NOTE, None, None)
    assert referenced_stations(msg) == ("KHH01", "KEL02")


def test_cn_optional_fields_may_be_absent() -> None:
    obj = cn_note("new", seal_type="passive", tool_type=7)
    del obj["driver_id"], obj["deadline"], obj["route_id"]
    m = accept(T_CN, obj).model
    assert isinstance(m, CNNote)
    assert (m.driver_id, m.deadline, m.route_id, m.tool_type) == (None, None, None, 7)


def test_cn_cancel_needs_only_cn_no_and_ignores_note_data() -> None:
    msg = accept(T_CN, {"cn_no": "CN1", "action": "cancel", "ts": TS})
    assert isinstance(msg.model, CNNote)
    assert msg.model.action == "cancel"
    assert referenced_stations(msg) == ()
    # note data on a cancel is not part of a cancel: ignored, even when it would be invalid
    msg = accept(T_CN, cn_note("cancel", container_no=CONTAINER_BAD_CHECK, origin="???"))
    assert isinstance(msg.model, CNNote)
    assert (msg.model.container_no, msg.model.origin, msg.model.driver_id) == (None, None, None)


def test_sealing_valid() -> None:
    msg = accept(T_SEALING, sealing())
    m = msg.model
    assert isinstance(m, Sealing)
    assert (m.cn_no, m.seal_no, m.operator_id, m.station, m.photo_id) == ("CN1", "S1", "OP7", "KHH01", "PH1")
    assert (msg.kind, msg.device, msg.seq) == (MessageKind.SEALING, None, None)
    assert referenced_stations(msg) == ("KHH01",)


@pytest.mark.parametrize("direction", ["out", "in"])
@pytest.mark.parametrize("inspected", [True, False])
def test_gate_passage_valid(direction: str, inspected: bool) -> None:
    msg = accept(T_GATE, gate_passage(direction=direction, inspected=inspected))
    m = msg.model
    assert isinstance(m, GatePassage)
    assert (m.direction, m.inspected, m.plate, m.container_no) == (direction, inspected, "KLA1234", CONTAINER)
    assert (msg.kind, msg.device, msg.seq) == (MessageKind.GATE_PASSAGE, None, None)
    assert referenced_stations(msg) == ()


@pytest.mark.parametrize("op", ["exit", "arrival", "read_only"])
def test_passive_read_valid(op: str) -> None:
    msg = accept(T_PASSIVE, passive_read(op=op))
    m = msg.model
    assert isinstance(m, PassiveRead)
    assert (m.op, m.station, m.operator_id, m.cn_no, m.photo_id, m.location_tag) == (
        op,
        "KHH01",
        "OP7",
        "CN1",
        "PH2",
        "TAG-3",
    )
    assert (msg.kind, msg.device, msg.seq) == (MessageKind.PASSIVE_READ, None, None)
    assert referenced_stations(msg) == ("KHH01",)


def test_passive_read_minimal() -> None:
    obj = passive_read()
    for optional in ("photo_id", "lat", "lon", "location_tag"):
        del obj[optional]
    m = accept(T_PASSIVE, obj).model
    assert isinstance(m, PassiveRead)
    assert (m.photo_id, m.lat, m.lon, m.location_tag) == (None, None, None, None)


# ------------------------------------------------------------------ lenient where the contract is


@pytest.mark.parametrize(
    ("topic", "obj"),
    [
        (T_TELEMETRY, telemetry(firmware="2.1", extra={"nested": [1, 2, None]})),
        (T_UNIT_EVENTS, unit_event("driver_logout", reason="timeout")),
        (T_SEAL_STATUS, seal_status(rssi=-70, temperature_c=31.5)),
        (T_SEAL_EVENTS, seal_event("tamper", zone="cable")),
        (T_CN, cn_note(portal_user="x", remarks=None)),
        (T_SEALING, sealing(app_version="3")),
        (T_GATE, gate_passage(lane=4, ocr_confidence=0.93)),
        (T_PASSIVE, passive_read(nfc_uid="04A2")),
    ],
)
def test_unknown_fields_are_ignored(topic: str, obj: dict[str, Any]) -> None:
    msg = accept(topic, obj)
    assert not hasattr(msg.model, "firmware")


def test_plates_are_normalised() -> None:
    for raw in ("KLA-1234", "kla 1234", " k-l-a 1 2 3 4 ", "ＫＬＡ－１２３４"):
        m = accept(T_GATE, gate_passage(plate=raw)).model
        assert isinstance(m, GatePassage)
        assert m.plate == "KLA1234"


def test_timestamp_forms() -> None:
    for ts, expected in [
        ("2026-11-22T00:15:30Z", datetime(2026, 11, 22, 0, 15, 30, tzinfo=UTC)),
        ("2026-11-22t00:15:30z", datetime(2026, 11, 22, 0, 15, 30, tzinfo=UTC)),
        ("2026-11-21T20:15:30.250-04:00", datetime(2026, 11, 22, 0, 15, 30, 250000, tzinfo=UTC)),
        ("2026-11-22T08:15:30.123456789+08:00", datetime(2026, 11, 22, 0, 15, 30, 123456, tzinfo=UTC)),
    ]:
        m = accept(T_SEALING, sealing(ts=ts)).model
        assert m.ts == expected
        assert m.ts.tzinfo is not None


def test_integer_is_accepted_for_a_number() -> None:
    m = accept(T_TELEMETRY, telemetry(lat=22, lon=120, speed_kmh=0, heading_deg=360)).model
    assert isinstance(m, UnitTelemetry)
    assert (m.lat, m.lon, m.heading_deg) == (22.0, 120.0, 360.0)


def test_empty_optional_text_counts_as_absent() -> None:
    m = accept(T_TELEMETRY, telemetry(plate="", driver_id="")).model
    assert isinstance(m, UnitTelemetry)
    assert (m.plate, m.driver_id) == (None, None)


def test_utf8_bom_and_non_ascii_text_accepted() -> None:
    m = accept(T_PASSIVE, b"\xef\xbb\xbf" + encode(passive_read(location_tag="高雄港 第5貨櫃場"))).model
    assert isinstance(m, PassiveRead)
    assert m.location_tag == "高雄港 第5貨櫃場"


def test_payload_of_exactly_max_bytes_is_accepted() -> None:
    payload = encode(sealing())
    accept(T_SEALING, payload, max_bytes=len(payload))
    assert reject(T_SEALING, payload, max_bytes=len(payload) - 1).code == "oversize"


def test_custom_root() -> None:
    msg = accept("customs/feed/v1/cn/CN1/sealing", sealing(), root="customs/feed/v1/")
    assert msg.kind is MessageKind.SEALING
    assert reject(T_SEALING, sealing(), root="customs/feed/v1").code == "unknown_topic"


# ------------------------------------------------------------------ rejections


def _without(obj: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in names}


LATIN1 = json.dumps(passive_read(location_tag="café"), ensure_ascii=False).encode("latin-1")

BAD_INPUT: list[tuple[str, str, bytes | dict[str, Any] | list[Any], str, str]] = [
    # (id, topic, payload, code, text the detail must contain)
    ("invalid json", T_TELEMETRY, b'{"unit_id": "U1", ', "json", "invalid JSON"),
    ("trailing garbage", T_TELEMETRY, encode(telemetry()) + b"x", "json", "invalid JSON"),
    ("empty payload", T_TELEMETRY, b"", "json", "invalid JSON"),
    ("NaN", T_TELEMETRY, encode(telemetry()).replace(b"22.6", b"NaN"), "json", "NaN"),
    ("Infinity", T_TELEMETRY, encode(telemetry()).replace(b"42.5", b"Infinity"), "json", "Infinity"),
    ("-Infinity", T_TELEMETRY, encode(telemetry()).replace(b"42.5", b"-Infinity"), "json", "Infinity"),
    ("overflowing number", T_TELEMETRY, encode(telemetry()).replace(b"42.5", b"1e999"), "json", "too large"),
    ("duplicate member", T_TELEMETRY, b'{"unit_id": "U1", "unit_id": "U2"}', "json", "more than once"),
    ("json array", T_TELEMETRY, [telemetry()], "not_object", "array"),
    ("json string", T_TELEMETRY, b'"hello"', "not_object", "string"),
    ("json null", T_TELEMETRY, b"null", "not_object", "null"),
    ("json number", T_TELEMETRY, b"42", "not_object", "number"),
    ("latin-1", T_PASSIVE, LATIN1, "encoding", "UTF-8"),
    ("utf-16 with BOM", T_SEALING, json.dumps(sealing()).encode("utf-16"), "encoding", "UTF-8"),
    ("utf-16-le", T_SEALING, json.dumps(sealing()).encode("utf-16-le"), "encoding", "UTF-16"),
    ("utf-32", T_SEALING, json.dumps(sealing()).encode("utf-32"), "encoding", "UTF-8"),
    ("lone surrogate", T_SEALING, json.dumps(sealing(photo_id="\ud800")).encode(), "encoding", "surrogate"),
    ("missing lat", T_TELEMETRY, _without(telemetry(), "lat"), "schema", "lat: Field required"),
    ("missing ts", T_SEALING, _without(sealing(), "ts"), "schema", "ts: Field required"),
    ("missing tamper", T_SEAL_STATUS, _without(seal_status(), "tamper"), "schema", "tamper: Field required"),
    (
        "missing inspected",
        T_GATE,
        _without(gate_passage(), "inspected"),
        "schema",
        "inspected: Field required",
    ),
    ("missing op", T_PASSIVE, _without(passive_read(), "op"), "schema", "op: Field required"),
    ("missing photo_id", T_SEALING, _without(sealing(), "photo_id"), "schema", "photo_id: Field required"),
    ("empty station", T_SEALING, sealing(station=""), "schema", "station: String should have at least 1"),
    ("string for lat", T_TELEMETRY, telemetry(lat="22.6"), "schema", "lat: Input should be a valid number"),
    (
        "bool for speed",
        T_TELEMETRY,
        telemetry(speed_kmh=True),
        "schema",
        "speed_kmh: Input should be a valid",
    ),
    ("string for seq", T_TELEMETRY, telemetry(seq="7"), "schema", "seq: Input should be a valid integer"),
    ("float for seq", T_TELEMETRY, telemetry(seq=7.0), "schema", "seq: Input should be a valid integer"),
    (
        "string true for tamper",
        T_SEAL_STATUS,
        seal_status(tamper="true"),
        "schema",
        "tamper: Input should be",
    ),
    (
        "1 for tamper",
        T_SEAL_STATUS,
        seal_status(tamper=1),
        "schema",
        "tamper: Input should be a valid boolean",
    ),
    (
        "float for battery",
        T_SEAL_STATUS,
        seal_status(battery_pct=87.5),
        "schema",
        "battery_pct: Input should be",
    ),
    ("whole float battery", T_SEAL_STATUS, seal_status(battery_pct=87.0), "schema", "battery_pct: Input"),
    ("string inspected", T_GATE, gate_passage(inspected="yes"), "schema", "inspected: Input should be"),
    (
        "number for unit_id",
        T_TELEMETRY,
        telemetry(unit_id=1),
        "schema",
        "unit_id: Input should be a valid string",
    ),
    (
        "string tool_type",
        T_CN,
        cn_note(tool_type="1"),
        "schema",
        "tool_type: Input should be a valid integer",
    ),
    ("number for ts", T_SEALING, sealing(ts=1763770530), "schema", "ts: Input should be an RFC 3339"),
    ("lat 123", T_TELEMETRY, telemetry(lat=123), "schema", "lat: Input should be less than or equal to 90"),
    (
        "lat -91",
        T_TELEMETRY,
        telemetry(lat=-91),
        "schema",
        "lat: Input should be greater than or equal to -90",
    ),
    ("lon 181", T_TELEMETRY, telemetry(lon=181), "schema", "lon: Input should be less than or equal to 180"),
    (
        "seal lat 123",
        T_SEAL_STATUS,
        seal_status(lat=123),
        "schema",
        "lat: Input should be less than or equal",
    ),
    ("passive lon -200", T_PASSIVE, passive_read(lon=-200), "schema", "lon: Input should be greater than or"),
    (
        "battery 140",
        T_SEAL_STATUS,
        seal_status(battery_pct=140),
        "schema",
        "battery_pct: Input should be less",
    ),
    (
        "battery -1",
        T_SEAL_STATUS,
        seal_status(battery_pct=-1),
        "schema",
        "battery_pct: Input should be greater",
    ),
    (
        "tool_type 8",
        T_CN,
        cn_note(tool_type=8),
        "schema",
        "tool_type: Input should be less than or equal to 7",
    ),
    ("tool_type 0", T_CN, cn_note(tool_type=0), "schema", "tool_type: Input should be greater than or equal"),
    ("heading 361", T_TELEMETRY, telemetry(heading_deg=361), "schema", "heading_deg: Input should be less"),
    ("heading -1", T_TELEMETRY, telemetry(heading_deg=-1), "schema", "heading_deg: Input should be greater"),
    (
        "negative speed",
        T_TELEMETRY,
        telemetry(speed_kmh=-0.1),
        "schema",
        "speed_kmh: Input should be greater",
    ),
    ("seq 2^32", T_TELEMETRY, telemetry(seq=2**32), "schema", "seq: Input should be less than or equal"),
    (
        "seq -1",
        T_SEAL_STATUS,
        seal_status(seq=-1),
        "schema",
        "seq: Input should be greater than or equal to 0",
    ),
    ("huge int lat", T_TELEMETRY, telemetry(lat=10**400), "schema", "lat:"),
    ("lat without lon", T_SEAL_STATUS, _without(seal_status(), "lon"), "schema", "lat, lon: give both"),
    ("lon without lat", T_PASSIVE, _without(passive_read(), "lat"), "schema", "lat, lon: give both"),
    (
        "cn check digit",
        T_CN,
        cn_note(container_no=CONTAINER_BAD_CHECK),
        "schema",
        "container_no: ISO 6346 check",
    ),
    (
        "gate check digit",
        T_GATE,
        gate_passage(container_no="MSCU1234567"),
        "schema",
        "container_no: ISO 6346",
    ),
    (
        "container format",
        T_GATE,
        gate_passage(container_no="CSQU305438"),
        "schema",
        "container_no: Input should",
    ),
    (
        "lowercase container",
        T_GATE,
        gate_passage(container_no="csqu3054383"),
        "schema",
        "container_no: Input",
    ),
    ("fix 4d", T_TELEMETRY, telemetry(fix="4d"), "schema", "fix: Input should be '3d', '2d' or 'none'"),
    (
        "power solar",
        T_TELEMETRY,
        telemetry(power="solar"),
        "schema",
        "power: Input should be 'main' or 'backup'",
    ),
    ("state open", T_SEAL_STATUS, seal_status(state="open"), "schema", "state: Input should be 'free'"),
    (
        "pin broken",
        T_SEAL_STATUS,
        seal_status(pin="broken"),
        "schema",
        "pin: Input should be 'ok' or 'fault'",
    ),
    ("link wifi", T_SEAL_STATUS, seal_status(link="wifi"), "schema", "link: Input should be 'ble' or 'lte'"),
    ("unit event explode", T_UNIT_EVENTS, unit_event("explode"), "schema", "event: Input should be"),
    ("seal event explode", T_SEAL_EVENTS, seal_event("explode"), "schema", "event: Input should be"),
    ("method teleport", T_SEAL_EVENTS, seal_event("unlocked", method="teleport"), "schema", "method: Input"),
    (
        "action delete",
        T_CN,
        cn_note("delete"),
        "schema",
        "action: Input should be 'new', 'replace' or 'cancel'",
    ),
    ("seal_type wax", T_CN, cn_note(seal_type="wax"), "schema", "seal_type: Input should be"),
    (
        "direction up",
        T_GATE,
        gate_passage(direction="up"),
        "schema",
        "direction: Input should be 'out' or 'in'",
    ),
    ("op write", T_PASSIVE, passive_read(op="write"), "schema", "op: Input should be 'exit', 'arrival'"),
    (
        "naive ts",
        T_TELEMETRY,
        telemetry(ts="2026-11-22T08:15:30"),
        "schema",
        "ts: Input should have a UTC offset",
    ),
    (
        "naive deadline",
        T_CN,
        cn_note(deadline="2026-11-22T14:00:00"),
        "schema",
        "deadline: Input should have",
    ),
    ("date only ts", T_SEALING, sealing(ts="2026-11-22"), "schema", "ts: Input should be an RFC 3339"),
    (
        "no seconds ts",
        T_SEALING,
        sealing(ts="2026-11-22T08:15+08:00"),
        "schema",
        "ts: Input should be an RFC",
    ),
    ("offset without colon", T_SEALING, sealing(ts="2026-11-22T08:15:30+0800"), "schema", "ts: Input should"),
    (
        "31 November",
        T_SEALING,
        sealing(ts="2026-11-31T08:15:30Z"),
        "schema",
        "ts: Input should be a real date",
    ),
    (
        "offset +25:00",
        T_SEALING,
        sealing(ts="2026-11-22T08:15:30+25:00"),
        "schema",
        "ts: Input should be a real",
    ),
    (
        "year 1 east of UTC",
        T_SEALING,
        sealing(ts="0001-01-01T00:00:00+08:00"),
        "schema",
        "ts: Input should be",
    ),
    (
        "login no driver",
        T_UNIT_EVENTS,
        unit_event("driver_login"),
        "schema",
        "driver_id: Field required when",
    ),
    (
        "paired no seal",
        T_UNIT_EVENTS,
        unit_event("seal_paired"),
        "schema",
        "seal_id: Field required when event",
    ),
    (
        "unpaired no seal",
        T_UNIT_EVENTS,
        unit_event("seal_unpaired"),
        "schema",
        "seal_id: Field required when",
    ),
    (
        "unlocked no method",
        T_SEAL_EVENTS,
        seal_event("unlocked"),
        "schema",
        "method: Field required when event",
    ),
    (
        "new without data",
        T_CN,
        {"cn_no": "CN1", "action": "new", "ts": TS},
        "schema",
        "Field required when action",
    ),
    (
        "replace without plate",
        T_CN,
        _without(cn_note("replace"), "plate"),
        "schema",
        "plate: Field required when",
    ),
    ("new empty plate", T_CN, cn_note(plate=" - "), "schema", "plate: Field required when action is 'new'"),
    ("gate empty plate", T_GATE, gate_passage(plate="--"), "schema", "plate: Plate should not be empty"),
    (
        "control char in id",
        T_SEALING,
        sealing(operator_id="OP\n7"),
        "schema",
        "operator_id: String should not",
    ),
    ("unit id mismatch", "iot/v1/units/U2/telemetry", telemetry(), "topic_mismatch", "unit_id"),
    (
        "unit event mismatch",
        "iot/v1/units/U2/events",
        unit_event("power_removed"),
        "topic_mismatch",
        "unit_id",
    ),
    ("seal id mismatch", "iot/v1/seals/S2/status", seal_status(), "topic_mismatch", "seal_id"),
    ("seal event mismatch", "iot/v1/seals/S2/events", seal_event("locked"), "topic_mismatch", "seal_id"),
    ("cn mismatch", "iot/v1/cn/CN2", cn_note(), "topic_mismatch", "cn_no"),
    ("sealing mismatch", "iot/v1/cn/CN2/sealing", sealing(), "topic_mismatch", "cn_no"),
    ("gate mismatch", "iot/v1/gates/G6/passages", gate_passage(), "topic_mismatch", "gate_id"),
    ("passive mismatch", "iot/v1/passive/P2/reads", passive_read(), "topic_mismatch", "seal_no"),
    ("id case differs", "iot/v1/units/u1/telemetry", telemetry(), "topic_mismatch", "unit_id"),
    ("unknown kind", "iot/v1/units/U1/diagnostics", telemetry(), "unknown_topic", "iot/v1"),
    ("other root", "iot/v2/units/U1/telemetry", telemetry(), "unknown_topic", "topic"),
    ("too short", "iot/v1/units/U1", telemetry(), "unknown_topic", "topic"),
    ("too long", "iot/v1/cn/CN1/sealing/x", sealing(), "unknown_topic", "topic"),
    ("empty id", "iot/v1/units//telemetry", telemetry(), "unknown_topic", "topic"),
    ("trailing slash", "iot/v1/cn/CN1/", cn_note(), "unknown_topic", "topic"),
    ("wildcard id", "iot/v1/units/+/telemetry", telemetry(), "unknown_topic", "topic"),
    ("wrong case", "IOT/v1/units/U1/telemetry", telemetry(), "unknown_topic", "topic"),
    ("empty topic", "", telemetry(), "unknown_topic", "topic"),
    ("oversize", T_TELEMETRY, encode(telemetry(pad="x" * 70_000)), "oversize", "65536"),
]


@pytest.mark.parametrize(
    ("topic", "payload", "code", "needle"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUT],
)
def test_bad_input_is_rejected(topic: str, payload: bytes | dict[str, Any], code: str, needle: str) -> None:
    result = reject(topic, payload)
    assert result.code == code
    assert needle in result.detail
    assert DRIVER not in result.detail


def test_schema_detail_lists_every_problem_without_values() -> None:
    result = reject(T_TELEMETRY, telemetry(lat=123, fix="4d", speed_kmh=-5, unit_id=None))
    assert result.code == "schema"
    for field in ("lat:", "fix:", "speed_kmh:", "unit_id:"):
        assert field in result.detail
    assert "123" not in result.detail
    assert "4d" not in result.detail.replace("'3d', '2d'", "")


def test_rejection_is_frozen() -> None:
    result = reject(T_TELEMETRY, b"{")
    with pytest.raises(AttributeError):
        result.code = "schema"  # type: ignore[misc]


# ------------------------------------------------------------------ personal data


def test_driver_id_never_in_repr_or_str() -> None:
    messages = [
        accept(T_TELEMETRY, telemetry()),
        accept(T_UNIT_EVENTS, unit_event("driver_login", driver_id=DRIVER)),
        accept(T_CN, cn_note()),
    ]
    for msg in messages:
        assert getattr(msg.model, "driver_id", None) == DRIVER  # it is there ...
        for text in (repr(msg), str(msg), repr(msg.model), str(msg.model), repr(dedupe_key(msg))):
            assert DRIVER not in text  # ... but never shown


@pytest.mark.parametrize(
    ("topic", "obj"),
    [
        (T_TELEMETRY, telemetry(driver_id=DRIVER + "\x07")),
        (T_TELEMETRY, telemetry(lat=123)),
        (T_UNIT_EVENTS, unit_event("driver_login", driver_id=DRIVER, seq=-1)),
        (T_UNIT_EVENTS, unit_event("driver_login", driver_id=DRIVER + "\n")),
        (T_CN, cn_note(container_no=CONTAINER_BAD_CHECK)),
        (T_CN, cn_note(origin=DRIVER + "\t")),
        (T_CN, cn_note(plate=DRIVER + "\x00")),
        (T_CN, cn_note(container_no=DRIVER)),
        ("iot/v1/cn/CN9", cn_note()),
        (T_UNIT_EVENTS, unit_event(DRIVER, driver_id=DRIVER)),
    ],
)
def test_driver_id_never_in_rejection(topic: str, obj: dict[str, Any]) -> None:
    result = reject(topic, obj)
    assert DRIVER not in result.detail
    assert DRIVER not in repr(result)


def test_driver_id_never_in_validation_error_text() -> None:
    obj = telemetry(driver_id=DRIVER + "\x01")
    with pytest.raises(ValidationError) as info:
        UnitTelemetry.model_validate(obj)
    assert DRIVER not in str(info.value)
    assert DRIVER not in repr(info.value)


# ------------------------------------------------------------------ dedupe


def test_dedupe_key_equal_for_same_device_seq_ts() -> None:
    first = accept(T_SEAL_STATUS, seal_status(link="ble"))
    # the same report relayed by the unit and sent over LTE, the instant written in another offset
    second = accept(T_SEAL_STATUS, seal_status(link="lte", ts="2026-11-22T00:15:30Z"))
    assert dedupe_key(first) == dedupe_key(second)
    assert dedupe_key(first) == (
        MessageKind.SEAL_STATUS,
        "seal:S1",
        3,
        datetime(2026, 11, 22, 0, 15, 30, tzinfo=UTC),
    )
    assert isinstance(dedupe_key(first), DedupeKey)
    assert len({dedupe_key(first), dedupe_key(second)}) == 1


def test_dedupe_key_differs_when_ts_or_seq_or_device_differs() -> None:
    base = dedupe_key(accept(T_TELEMETRY, telemetry()))
    assert base != dedupe_key(accept(T_TELEMETRY, telemetry(ts="2026-11-22T08:15:31+08:00")))
    assert base != dedupe_key(accept(T_TELEMETRY, telemetry(seq=8)))
    assert base != dedupe_key(accept("iot/v1/units/U2/telemetry", telemetry(unit_id="U2")))


def test_dedupe_key_seq_wraps_around() -> None:
    low = dedupe_key(accept(T_TELEMETRY, telemetry(seq=0, ts="2026-11-23T08:00:00+08:00")))
    high = dedupe_key(accept(T_TELEMETRY, telemetry(seq=2**32 - 1)))
    assert low != high


def test_dedupe_key_separates_telemetry_from_events() -> None:
    tele = dedupe_key(accept(T_TELEMETRY, telemetry(seq=8)))
    event = dedupe_key(accept(T_UNIT_EVENTS, unit_event("power_removed", seq=8)))
    assert (tele.source, tele.discriminator, tele.ts) == (event.source, event.discriminator, event.ts)
    assert tele != event


@pytest.mark.parametrize(
    ("topic", "make"),
    [(T_CN, cn_note), (T_SEALING, sealing), (T_GATE, gate_passage), (T_PASSIVE, passive_read)],
)
def test_content_key_for_messages_without_seq(topic: str, make: Any) -> None:
    obj = make()
    key = dedupe_key(accept(topic, obj))
    assert isinstance(key.discriminator, str)
    assert len(key.discriminator) == 64
    # a redelivery, with members in another order and an unknown field added, is the same message
    shuffled = dict(reversed(list(obj.items()))) | {"relay": "yard-gw-2"}
    assert dedupe_key(accept(topic, shuffled)) == key
    # another instant is another message
    assert dedupe_key(accept(topic, make(ts="2026-11-22T08:15:31+08:00"))) != key


def test_content_key_differs_when_content_differs() -> None:
    base = dedupe_key(accept(T_CN, cn_note()))
    assert base != dedupe_key(accept(T_CN, cn_note(action="replace")))
    assert base != dedupe_key(accept(T_CN, cn_note(destination="TPE03")))
    assert base != dedupe_key(accept(T_CN, cn_note(driver_id="B987654321")))
    assert base == dedupe_key(accept(T_CN, cn_note(plate="KLA1234")))  # same plate once normalised
    gate_out = dedupe_key(accept(T_GATE, gate_passage(direction="out")))
    gate_in = dedupe_key(accept(T_GATE, gate_passage(direction="in")))
    assert gate_out != gate_in
    assert dedupe_key(accept(T_SEALING, sealing())) != dedupe_key(accept(T_CN, cn_note()))


def test_dedupe_key_does_not_depend_on_root() -> None:
    a = accept(T_SEALING, sealing())
    b = accept("other/root/cn/CN1/sealing", sealing(), root="other/root")
    assert dedupe_key(a) == dedupe_key(b)


# ------------------------------------------------------------------ models and wrapper in Python


def test_feed_message_refuses_a_model_of_another_kind() -> None:
    model = accept(T_SEALING, sealing()).model
    with pytest.raises(TypeError):
        FeedMessage(MessageKind.CN_NOTE, T_CN, model)


def test_models_are_frozen_and_accept_aware_datetimes() -> None:
    tz = timezone(timedelta(hours=8))
    m = Sealing(
        cn_no="CN1",
        ts=datetime(2026, 11, 22, 8, 15, 30, tzinfo=tz),
        seal_no="S1",
        operator_id="OP7",
        station="KHH01",
        photo_id="PH1",
    )
    with pytest.raises(ValidationError):
        m.station = "X"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Sealing(
            cn_no="CN1",
            ts=datetime(2026, 11, 22, 8, 15, 30),
            seal_no="S1",
            operator_id="OP7",
            station="KHH01",
            photo_id="PH1",
        )


def test_referenced_stations_deduplicates() -> None:
    msg = accept(T_CN, cn_note(origin="KHH01", destination="KHH01"))
    assert referenced_stations(msg) == ("KHH01",)
    assert referenced_stations(accept(T_TELEMETRY, telemetry())) == ()
    assert referenced_stations(accept(T_SEAL_STATUS, seal_status())) == ()


# ------------------------------------------------------------------ topics


def test_topics_round_trip() -> None:
    for kind in MessageKind:
        topic = topic_for(kind, "X-1")
        match = match_topic(topic)
        assert match is not None
        assert (match.kind, match.topic_id) == (kind, "X-1")
    assert topic_for(MessageKind.CN_NOTE, "CN1") == "iot/v1/cn/CN1"
    assert topic_for(MessageKind.SEALING, "CN1", root="r/") == "r/cn/CN1/sealing"
    with pytest.raises(ValueError, match="topic identifier"):
        topic_for(MessageKind.CN_NOTE, "a/b")


def test_subscription_filters() -> None:
    assert set(subscription_filters()) == {
        "iot/v1/units/+/telemetry",
        "iot/v1/units/+/events",
        "iot/v1/seals/+/status",
        "iot/v1/seals/+/events",
        "iot/v1/cn/+",
        "iot/v1/cn/+/sealing",
        "iot/v1/gates/+/passages",
        "iot/v1/passive/+/reads",
    }


# ------------------------------------------------------------------ never raises

FIELD_NAMES = sorted(
    {
        name
        for model in (
            UnitTelemetry,
            UnitEvent,
            SealStatus,
            SealEvent,
            CNNote,
            Sealing,
            GatePassage,
            PassiveRead,
        )
        for name in model.model_fields
    }
)
TOPIC_IDS = st.sampled_from(["U1", "S1", "CN1", "G5", "P1", "", "+", "a/b"])
TOPICS = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda kind, tid: f"iot/v1/{kind}/{tid}",
        st.sampled_from(["units", "seals", "cn", "gates"]),
        TOPIC_IDS,
    ),
    st.builds(
        lambda kind, tid: topic_for(kind, tid) if tid and "/" not in tid and "+" not in tid else tid,
        st.sampled_from(list(MessageKind)),
        TOPIC_IDS,
    ),
)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            TS,
            "2026-11-22T08:15:30",
            "0001-01-01T00:00:00+08:00",
            "9999-12-31T23:59:59-08:00",
            CONTAINER,
            CONTAINER_BAD_CHECK,
            "3d",
            "none",
            "main",
            "locked",
            "unlocked",
            "driver_login",
            "seal_paired",
            "new",
            "replace",
            "cancel",
            "vehicle",
            "out",
            "exit",
            "read_only",
            "geofence",
            "U1",
            "S1",
            "CN1",
            "G5",
            "P1",
            "",
            "-",
        ]
    ),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topic=TOPICS, payload=st.binary(max_size=300), max_bytes=st.integers(min_value=0, max_value=70_000))
def test_never_raises_on_arbitrary_bytes(topic: str, payload: bytes, max_bytes: int) -> None:
    result = parse_message(topic, payload, max_bytes=max_bytes)
    assert isinstance(result, FeedMessage | Rejection)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(list(MessageKind)),
    tid=st.sampled_from(["U1", "S1", "CN1", "G5", "P1"]),
    obj=st.dictionaries(st.sampled_from(FIELD_NAMES), JSON_VALUES, max_size=14),
)
def test_never_raises_on_arbitrary_objects(kind: MessageKind, tid: str, obj: dict[str, Any]) -> None:
    result = parse_message(topic_for(kind, tid), json.dumps(obj).encode())
    assert isinstance(result, FeedMessage | Rejection)
    if isinstance(result, Rejection):
        assert result.detail
    else:
        dedupe_key(result)
        referenced_stations(result)
        repr(result)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), kind=st.sampled_from(list(MessageKind)))
def test_never_raises_on_mutated_valid_messages(data: st.DataObject, kind: MessageKind) -> None:
    topic, obj = {
        MessageKind.UNIT_TELEMETRY: (T_TELEMETRY, telemetry()),
        MessageKind.UNIT_EVENT: (T_UNIT_EVENTS, unit_event("driver_login", driver_id=DRIVER)),
        MessageKind.SEAL_STATUS: (T_SEAL_STATUS, seal_status()),
        MessageKind.SEAL_EVENT: (T_SEAL_EVENTS, seal_event("unlocked", method="cut")),
        MessageKind.CN_NOTE: (T_CN, cn_note()),
        MessageKind.SEALING: (T_SEALING, sealing()),
        MessageKind.GATE_PASSAGE: (T_GATE, gate_passage()),
        MessageKind.PASSIVE_READ: (T_PASSIVE, passive_read()),
    }[kind]
    field = data.draw(st.sampled_from(sorted(obj)))
    obj = obj | {field: data.draw(JSON_VALUES)}
    result = parse_message(topic, encode(obj))
    assert isinstance(result, FeedMessage | Rejection)
    if isinstance(result, Rejection):
        assert DRIVER not in result.detail
    else:
        assert DRIVER not in repr(result)
        dedupe_key(result)


def test_python_datetime_that_overflows_utc_is_refused() -> None:
    with pytest.raises(ValidationError, match="in range"):
        Sealing(
            cn_no="CN1",
            ts=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=8))),
            seal_no="S1",
            operator_id="OP7",
            station="KHH01",
            photo_id="PH1",
        )
