"""Typed messages of feed contract v1 and the parser that turns an MQTT message into one.

The contract is protocol.md ("Feed contract v1"). Every payload is checked here against the schema of its
topic; what needs reference data or state (known stations, duplicates, ordering) is left to the
ingest layer, which gets :func:`referenced_stations` and :func:`dedupe_key` for it.

Rules applied to every model:

- unknown fields are ignored (forward compatibility);
- types are strict: no string becomes a number, no ``"true"`` or ``1`` becomes a boolean, no
  ``50.0`` becomes an integer; a JSON integer is accepted where a number is expected;
- ``ts`` and ``deadline`` are RFC 3339 date-times with an offset (``Z`` or ``+08:00``), parsed to
  aware datetimes that keep the sender's offset;
- text fields must not contain control characters; required ones must not be empty, and an
  empty optional one counts as absent;
- fields that belong to one ``event`` or ``action`` only (``driver_id`` of ``driver_login``,
  ``method`` of ``unlocked``, the note's data on a ``cancel``) are ignored on the others, as any
  other field the contract does not define for that message would be;
- ``driver_id`` is personal data: it is left out of ``repr()``/``str()``, and no validation
  message ever quotes an input value.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Any, Final, Literal, NamedTuple, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from controlroom.domain.identifiers import is_valid_container_no, normalize_plate
from controlroom.feed._strictjson import PayloadError, decode_object
from controlroom.feed.topics import DEFAULT_ROOT, MessageKind, match_topic

__all__ = [
    "DEFAULT_MAX_BYTES",
    "CNAction",
    "CNNote",
    "DedupeKey",
    "Direction",
    "FeedMessage",
    "FeedModel",
    "Fix",
    "GatePassage",
    "Link",
    "MessageKind",
    "PassiveOp",
    "PassiveRead",
    "PinState",
    "Power",
    "Rejection",
    "RejectionCode",
    "SealEvent",
    "SealEventType",
    "SealState",
    "SealStatus",
    "SealType",
    "Sealing",
    "UnitEvent",
    "UnitEventType",
    "UnitTelemetry",
    "UnlockMethod",
    "content_digest",
    "dedupe_key",
    "parse_message",
    "referenced_stations",
]

DEFAULT_MAX_BYTES: Final = 65536
SEQ_MAX: Final = 2**32 - 1

# --------------------------------------------------------------------------------------------
# Enumerations of the contract
# --------------------------------------------------------------------------------------------

Fix = Literal["3d", "2d", "none"]
Power = Literal["main", "backup"]
UnitEventType = Literal[
    "power_removed", "power_restored", "driver_login", "driver_logout", "seal_paired", "seal_unpaired"
]
SealState = Literal["free", "inserted", "locked"]
PinState = Literal["ok", "fault"]
Link = Literal["ble", "lte"]
SealEventType = Literal["locked", "unlocked", "pin_fault", "tamper", "low_battery"]
UnlockMethod = Literal["geofence", "app_ble", "app_offline", "cut"]
CNAction = Literal["new", "replace", "cancel"]
SealType = Literal["vehicle", "passive", "paper", "other"]
Direction = Literal["out", "in"]
PassiveOp = Literal["exit", "arrival", "read_only"]

# --------------------------------------------------------------------------------------------
# Field types
# --------------------------------------------------------------------------------------------

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTAINER_FORMAT = re.compile(r"[A-Z]{3}[UJZ][0-9]{7}")
_RFC3339 = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[Tt](?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})(?:\.(?P<frac>\d+))?"
    r"(?:(?P<z>[Zz])|(?P<sign>[+-])(?P<oh>\d{2}):(?P<om>\d{2}))?",
    re.ASCII,
)


def _check_text(value: str) -> str:
    if not value:
        raise PydanticCustomError("feed_string_too_short", "String should have at least 1 character")
    if _CONTROL_CHARS.search(value):
        raise PydanticCustomError("feed_control_characters", "String should not contain control characters")
    return value


def _empty_to_none(value: object) -> object:
    return None if value == "" else value


def _check_optional_text(value: str | None) -> str | None:
    return None if value is None else _check_text(value)


def _check_plate(value: str) -> str:
    plate = normalize_plate(value)
    if not plate:
        raise PydanticCustomError(
            "feed_plate_empty", "Plate should not be empty once '-' and spaces are dropped"
        )
    return _check_text(plate)


def _check_optional_plate(value: str | None) -> str | None:
    if value is None or not normalize_plate(value):
        return None
    return _check_plate(value)


def _check_container_no(value: str) -> str:
    if not _CONTAINER_FORMAT.fullmatch(value):
        raise PydanticCustomError(
            "feed_iso6346_format",
            "Input should be an ISO 6346 container number: 3 owner letters, category U, J or Z, "
            "6 serial digits and a check digit, upper-case, without separators",
        )
    if not is_valid_container_no(value):
        raise PydanticCustomError("feed_iso6346_check_digit", "ISO 6346 check digit does not match")
    return value


def _parse_timestamp(value: object) -> datetime:
    """RFC 3339 date-time with an offset; an aware datetime is accepted as is (Python callers)."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise PydanticCustomError("feed_timezone_aware", "Input should have a UTC offset")
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise PydanticCustomError(
                "feed_rfc3339_range", "Input should be a date and time in range"
            ) from None
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("feed_rfc3339_type", "Input should be an RFC 3339 date-time string")
    m = _RFC3339.fullmatch(value)
    if m is None:
        raise PydanticCustomError(
            "feed_rfc3339",
            "Input should be an RFC 3339 date-time: YYYY-MM-DDThh:mm:ss[.fraction] and Z or ±hh:mm",
        )
    if m["z"] is None and m["sign"] is None:
        raise PydanticCustomError(
            "feed_rfc3339_offset", "Input should have a UTC offset such as +08:00 or Z (RFC 3339)"
        )
    second = int(m["s"])
    micro = int((m["frac"] or "0")[:6].ljust(6, "0"))
    if second == 60:  # RFC 3339 leap second: datetime has no room for it; keep it within the minute
        second, micro = 59, 999_999
    try:
        if m["z"] is not None:
            tz = UTC
        else:
            oh, om = int(m["oh"]), int(m["om"])
            if oh > 23 or om > 59:
                raise ValueError
            offset = timedelta(hours=oh, minutes=om)
            tz = timezone(-offset if m["sign"] == "-" else offset)
        parsed = datetime(
            int(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"]), int(m["mi"]), second, micro, tzinfo=tz
        )
        parsed.astimezone(UTC)  # years 1 and 9999 can overflow once shifted to UTC
    except (ValueError, OverflowError):
        raise PydanticCustomError(
            "feed_rfc3339_range", "Input should be a real date and time (a field is out of range)"
        ) from None
    return parsed


Text = Annotated[str, AfterValidator(_check_text)]
OptionalText = Annotated[str | None, BeforeValidator(_empty_to_none), AfterValidator(_check_optional_text)]
Plate = Annotated[str, AfterValidator(_check_plate)]
OptionalPlate = Annotated[str | None, BeforeValidator(_empty_to_none), AfterValidator(_check_optional_plate)]
ContainerNo = Annotated[str, AfterValidator(_check_container_no)]
Timestamp = Annotated[datetime, PlainValidator(_parse_timestamp)]
Seq = Annotated[int, Field(ge=0, le=SEQ_MAX)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]

# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(
        strict=True,
        extra="ignore",
        frozen=True,
        allow_inf_nan=False,
        hide_input_in_errors=True,
    )


def _require_pair(model: BaseModel, first: str, second: str) -> None:
    if (getattr(model, first) is None) != (getattr(model, second) is None):
        raise PydanticCustomError(
            "feed_pair_required",
            "{first}, {second}: give both or neither",
            {"first": first, "second": second},
        )


def _keep_applicable(
    data: Any, selector: str, extras: dict[str, frozenset[str]], all_extras: frozenset[str]
) -> Any:
    """Drop fields that the contract defines only for other values of ``selector``."""
    if not isinstance(data, dict):
        return data
    chosen = data.get(selector)
    applicable = extras.get(chosen, frozenset()) if isinstance(chosen, str) else frozenset()
    return {k: v for k, v in data.items() if k not in all_extras or k in applicable}


def _require_applicable(model: BaseModel, selector: str, required: frozenset[str]) -> None:
    missing = sorted(name for name in required if getattr(model, name) is None)
    if missing:
        raise PydanticCustomError(
            "feed_missing_for_selector",
            "{fields}: Field required when {selector} is '{value}'",
            {"fields": ", ".join(missing), "selector": selector, "value": getattr(model, selector)},
        )


class UnitTelemetry(_Model):
    """Topic ``units/{unit_id}/telemetry``: vehicle unit position (§1)."""

    unit_id: Text
    seq: Seq
    ts: Timestamp
    lat: Latitude
    lon: Longitude
    speed_kmh: Annotated[float, Field(ge=0)]
    heading_deg: Annotated[float, Field(ge=0, le=360)] | None = None
    fix: Fix  # with "none", lat/lon are the last known position
    power: Power
    plate: OptionalPlate = None
    driver_id: OptionalText = Field(default=None, repr=False)


_UNIT_EVENT_EXTRAS: dict[str, frozenset[str]] = {
    "driver_login": frozenset({"driver_id"}),
    "seal_paired": frozenset({"seal_id"}),
    "seal_unpaired": frozenset({"seal_id"}),
}
_ALL_UNIT_EVENT_EXTRAS = frozenset({"driver_id", "seal_id"})


class UnitEvent(_Model):
    """Topic ``units/{unit_id}/events`` (§2). ``driver_id`` only with ``driver_login``,
    ``seal_id`` only with ``seal_paired``/``seal_unpaired`` (required there, ignored elsewhere)."""

    unit_id: Text
    seq: Seq
    ts: Timestamp
    event: UnitEventType
    driver_id: OptionalText = Field(default=None, repr=False)
    seal_id: OptionalText = None

    @model_validator(mode="before")
    @classmethod
    def _drop_inapplicable(cls, data: Any) -> Any:
        return _keep_applicable(data, "event", _UNIT_EVENT_EXTRAS, _ALL_UNIT_EVENT_EXTRAS)

    @model_validator(mode="after")
    def _require_extras(self) -> Self:
        _require_applicable(self, "event", _UNIT_EVENT_EXTRAS.get(self.event, frozenset()))
        return self


class SealStatus(_Model):
    """Topic ``seals/{seal_id}/status``: vehicle seal state (§3)."""

    seal_id: Text
    seq: Seq
    ts: Timestamp
    state: SealState
    pin: PinState
    tamper: bool
    battery_pct: Annotated[int, Field(ge=0, le=100)]
    lat: Latitude | None = None
    lon: Longitude | None = None
    unit_id: OptionalText = None
    link: Link

    @model_validator(mode="after")
    def _fix_is_a_pair(self) -> Self:
        _require_pair(self, "lat", "lon")
        return self


_SEAL_EVENT_EXTRAS: dict[str, frozenset[str]] = {"unlocked": frozenset({"method"})}
_ALL_SEAL_EVENT_EXTRAS = frozenset({"method"})


class SealEvent(_Model):
    """Topic ``seals/{seal_id}/events`` (§4). ``method`` is required with ``unlocked`` and ignored
    with the other events."""

    seal_id: Text
    seq: Seq
    ts: Timestamp
    event: SealEventType
    method: UnlockMethod | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_inapplicable(cls, data: Any) -> Any:
        return _keep_applicable(data, "event", _SEAL_EVENT_EXTRAS, _ALL_SEAL_EVENT_EXTRAS)

    @model_validator(mode="after")
    def _require_extras(self) -> Self:
        _require_applicable(self, "event", _SEAL_EVENT_EXTRAS.get(self.event, frozenset()))
        return self


_CN_DATA = frozenset(
    {
        "container_no",
        "plate",
        "driver_id",
        "origin",
        "destination",
        "seal_type",
        "seal_no",
        "tool_type",
        "deadline",
        "route_id",
    }
)
_CN_REQUIRED = frozenset(
    {"container_no", "plate", "origin", "destination", "seal_type", "seal_no", "tool_type"}
)
_CN_EXTRAS: dict[str, frozenset[str]] = {"new": _CN_DATA, "replace": _CN_DATA, "cancel": frozenset()}


class CNNote(_Model):
    """Topic ``cn/{cn_no}``: CN transport note (§5).

    With ``new`` and ``replace`` the note's data (container_no, plate, origin, destination,
    seal_type, seal_no, tool_type) is required; a ``cancel`` is identified by ``cn_no`` alone and
    any note data it carries is ignored. ``origin``/``destination`` must be known stations: the
    ingest layer checks them with :func:`referenced_stations`.
    """

    cn_no: Text
    action: CNAction
    ts: Timestamp
    container_no: ContainerNo | None = None
    plate: OptionalPlate = None
    driver_id: OptionalText = Field(default=None, repr=False)
    origin: OptionalText = None
    destination: OptionalText = None
    seal_type: SealType | None = None
    seal_no: OptionalText = None
    tool_type: Annotated[int, Field(ge=1, le=7)] | None = None  # G14E4
    deadline: Timestamp | None = None
    route_id: OptionalText = None

    @model_validator(mode="before")
    @classmethod
    def _drop_inapplicable(cls, data: Any) -> Any:
        return _keep_applicable(data, "action", _CN_EXTRAS, _CN_DATA)

    @model_validator(mode="after")
    def _require_data(self) -> Self:
        if self.action != "cancel":
            _require_applicable(self, "action", _CN_REQUIRED)
        return self


class Sealing(_Model):
    """Topic ``cn/{cn_no}/sealing``: sealing confirmed by the yard's responsible person (§6)."""

    cn_no: Text
    ts: Timestamp
    seal_no: Text
    operator_id: Text
    station: Text
    photo_id: Text


class GatePassage(_Model):
    """Topic ``gates/{gate_id}/passages``: port gate or automated lane (§7)."""

    gate_id: Text
    ts: Timestamp
    direction: Direction
    plate: Plate
    container_no: ContainerNo
    inspected: bool  # radiation/X-ray inspection (儀檢) done


class PassiveRead(_Model):
    """Topic ``passive/{seal_no}/reads``: passive or e-paper seal read with the phone app (§8)."""

    seal_no: Text
    ts: Timestamp
    op: PassiveOp  # read_only: the 讀取確認 record
    station: Text
    operator_id: Text
    cn_no: Text
    photo_id: OptionalText = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    location_tag: OptionalText = None

    @model_validator(mode="after")
    def _fix_is_a_pair(self) -> Self:
        _require_pair(self, "lat", "lon")
        return self


FeedModel = UnitTelemetry | UnitEvent | SealStatus | SealEvent | CNNote | Sealing | GatePassage | PassiveRead


class _KindInfo(NamedTuple):
    model: type[FeedModel]
    id_field: str  # payload field that must equal the topic's identifier segment
    source_prefix: str  # "unit" -> "unit:U1"
    has_seq: bool


_KINDS: dict[MessageKind, _KindInfo] = {
    MessageKind.UNIT_TELEMETRY: _KindInfo(UnitTelemetry, "unit_id", "unit", True),
    MessageKind.UNIT_EVENT: _KindInfo(UnitEvent, "unit_id", "unit", True),
    MessageKind.SEAL_STATUS: _KindInfo(SealStatus, "seal_id", "seal", True),
    MessageKind.SEAL_EVENT: _KindInfo(SealEvent, "seal_id", "seal", True),
    MessageKind.CN_NOTE: _KindInfo(CNNote, "cn_no", "cn", False),
    MessageKind.SEALING: _KindInfo(Sealing, "cn_no", "cn", False),
    MessageKind.GATE_PASSAGE: _KindInfo(GatePassage, "gate_id", "gate", False),
    MessageKind.PASSIVE_READ: _KindInfo(PassiveRead, "seal_no", "passive", False),
}

# --------------------------------------------------------------------------------------------
# Parse results
# --------------------------------------------------------------------------------------------

RejectionCode = Literal[
    "unknown_topic",
    "oversize",
    "encoding",
    "json",
    "not_object",
    "schema",
    "topic_mismatch",
    "unknown_station",  # raised by the ingest layer, which holds the station list
]


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a message was refused. ``detail`` names fields and constraints, never input values."""

    code: RejectionCode
    detail: str


@dataclass(frozen=True, slots=True)
class FeedMessage:
    """A valid message of the feed: its kind, the topic it came on and its typed model."""

    kind: MessageKind
    topic: str
    model: FeedModel

    def __post_init__(self) -> None:
        if not isinstance(self.model, _KINDS[self.kind].model):
            raise TypeError(f"a {self.kind} message needs a {_KINDS[self.kind].model.__name__} model")

    @property
    def source(self) -> str:
        """What the message is about, e.g. ``unit:U1``, ``seal:S1``, ``cn:CN1``, ``gate:G1``,
        ``passive:P1`` (the identifier is the payload's, equal to the topic's segment)."""
        info = _KINDS[self.kind]
        return f"{info.source_prefix}:{getattr(self.model, info.id_field)}"

    @property
    def device(self) -> str | None:
        """The publishing device whose ``seq`` counter the message carries, or None without seq."""
        return self.source if _KINDS[self.kind].has_seq else None

    @property
    def seq(self) -> int | None:
        model = self.model
        if isinstance(model, UnitTelemetry | UnitEvent | SealStatus | SealEvent):
            return model.seq
        return None

    @property
    def ts(self) -> datetime:
        """Time of the observation (aware, in the sender's offset), not of delivery."""
        return self.model.ts


class DedupeKey(NamedTuple):
    """Identity of a message for duplicate suppression; equal keys mean "same message".

    ``discriminator`` is the device's ``seq`` for messages that carry one, else a SHA-256 hex digest
    of the message's canonical content. ``ts`` is normalised to UTC so that one instant written
    with two offsets gives one key.
    """

    kind: MessageKind
    source: str
    discriminator: int | str
    ts: datetime


def _canonical(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def content_digest(model: FeedModel) -> str:
    """SHA-256 of the model's canonical JSON: fields as validated (plates normalised, unknown and
    inapplicable fields dropped), absent fields omitted, times in UTC, keys sorted."""
    data = _canonical(model.model_dump(mode="python", exclude_none=True))
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def dedupe_key(msg: FeedMessage) -> DedupeKey:
    """Key under which a repeat of ``msg`` must have no effect.

    Units and seals (protocol.md: "a repeated (device, seq, ts) is a duplicate"):
    ``(kind, device, seq, ts)``. The kind is included because the contract does not say whether
    a unit's telemetry and events share one counter; a true repeat always comes back on its own
    topic, so adding the kind can never miss a duplicate, while leaving it out could drop an event
    whose seq and ts happen to equal a position report's. A seal status relayed over BLE and sent
    over LTE is one report: the key ignores content such as ``link``.

    CN notes, sealings, gate passages and passive reads carry no seq, so the contract defines no
    identity for them; yet QoS 1 redelivers them, and a replayed CN ``new`` after its ``cancel``
    must not revive the note. Their key is ``(kind, source, content digest, ts)``: two deliveries
    are one message iff they say the same thing about the same thing at the same instant. The
    digest is of the validated content (see :func:`content_digest`), so adding an unknown field or
    writing the plate with a dash does not make a different message, and the topic root is not part
    of the key, so changing it does not invalidate stored keys.
    """
    discriminator: int | str = msg.seq if msg.seq is not None else content_digest(msg.model)
    return DedupeKey(msg.kind, msg.source, discriminator, msg.ts.astimezone(UTC))


def referenced_stations(msg: FeedMessage) -> tuple[str, ...]:
    """Station codes the message names, for the ingest layer to check against the known stations
    (a code it does not know rejects the message with code ``unknown_station``).

    CN ``new``/``replace``: origin and destination; sealing and passive reads: station; everything
    else (including a CN ``cancel``, whose note data is ignored) names none. Gate passages name a
    gate, not a station. Duplicates are removed, order kept.
    """
    model = msg.model
    codes: tuple[str | None, ...]
    if isinstance(model, CNNote):
        codes = (model.origin, model.destination)
    elif isinstance(model, Sealing | PassiveRead):
        codes = (model.station,)
    else:
        codes = ()
    return tuple(dict.fromkeys(code for code in codes if code is not None))


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------

_MAX_LISTED_ERRORS = 10
_ECHO_MIN_LEN = 4


def _describe(exc: ValidationError) -> str:
    parts: list[str] = []
    errors = exc.errors(include_url=False, include_context=False)
    for err in errors[:_MAX_LISTED_ERRORS]:
        loc = ".".join(str(part) for part in err["loc"])
        msg = err["msg"]
        raw = err.get("input")
        # Our own ("feed_") messages never quote input; should one of pydantic's ever do so, hide it.
        if (
            not err["type"].startswith("feed_")
            and isinstance(raw, str)
            and len(raw) >= _ECHO_MIN_LEN
            and raw in msg
        ):
            msg = f"Input is not valid ({err['type']})"
        parts.append(f"{loc}: {msg}" if loc else msg)
    if len(errors) > _MAX_LISTED_ERRORS:
        parts.append(f"and {len(errors) - _MAX_LISTED_ERRORS} more")
    return "; ".join(parts)


def parse_message(
    topic: str, payload: bytes, *, root: str = DEFAULT_ROOT, max_bytes: int = DEFAULT_MAX_BYTES
) -> FeedMessage | Rejection:
    """Turn one MQTT message into a :class:`FeedMessage`, or say why it is refused.

    Checks in order: topic (``unknown_topic``), size (``oversize``: more than ``max_bytes``),
    UTF-8 (``encoding``), JSON syntax (``json``), object (``not_object``), schema (``schema``),
    payload identifier equal to the topic's (``topic_mismatch``). Never raises for bad input.
    """
    match = match_topic(topic, root)
    if match is None:
        return Rejection("unknown_topic", f"topic is not one of the feed topics under '{root.strip('/')}'")
    if len(payload) > max_bytes:
        return Rejection("oversize", f"payload is {len(payload)} bytes, more than the limit of {max_bytes}")
    try:
        data = decode_object(payload)
    except PayloadError as exc:
        return Rejection(exc.code, exc.detail)
    info = _KINDS[match.kind]
    try:
        model = info.model.model_validate(data)
    except ValidationError as exc:
        return Rejection("schema", _describe(exc))
    if getattr(model, info.id_field) != match.topic_id:
        return Rejection(
            "topic_mismatch", f"{info.id_field}: does not equal the {info.id_field} segment of the topic"
        )
    return FeedMessage(match.kind, topic, model)
