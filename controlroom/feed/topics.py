"""MQTT topic names of feed contract v1 (protocol.md, "Topics").

Every topic carries one identifier segment (``{unit_id}``, ``{seal_id}``, ``{cn_no}``, ``{gate_id}``
or ``{seal_no}``) that the payload must repeat. This module only knows the shapes of the topic
names; what the payloads must contain lives in :mod:`controlroom.feed.messages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DEFAULT_ROOT",
    "MessageKind",
    "TopicMatch",
    "match_topic",
    "subscription_filters",
    "topic_for",
]

DEFAULT_ROOT = "iot/v1"


class MessageKind(StrEnum):
    """One value per topic of the contract (sections 1-8 of protocol.md)."""

    UNIT_TELEMETRY = "unit_telemetry"  # units/{unit_id}/telemetry
    UNIT_EVENT = "unit_event"  # units/{unit_id}/events
    SEAL_STATUS = "seal_status"  # seals/{seal_id}/status
    SEAL_EVENT = "seal_event"  # seals/{seal_id}/events
    CN_NOTE = "cn_note"  # cn/{cn_no}
    SEALING = "sealing"  # cn/{cn_no}/sealing
    GATE_PASSAGE = "gate_passage"  # gates/{gate_id}/passages
    PASSIVE_READ = "passive_read"  # passive/{seal_no}/reads


# kind -> (first segment, last segment or None for the two-segment cn/{cn_no} topic)
_SHAPES: dict[MessageKind, tuple[str, str | None]] = {
    MessageKind.UNIT_TELEMETRY: ("units", "telemetry"),
    MessageKind.UNIT_EVENT: ("units", "events"),
    MessageKind.SEAL_STATUS: ("seals", "status"),
    MessageKind.SEAL_EVENT: ("seals", "events"),
    MessageKind.CN_NOTE: ("cn", None),
    MessageKind.SEALING: ("cn", "sealing"),
    MessageKind.GATE_PASSAGE: ("gates", "passages"),
    MessageKind.PASSIVE_READ: ("passive", "reads"),
}
_BY_SHAPE: dict[tuple[str, str | None], MessageKind] = {shape: kind for kind, shape in _SHAPES.items()}
# Characters that can never be part of one identifier segment of a published topic name:
# the level separator, the MQTT wildcards and U+0000 (forbidden in MQTT strings).
_FORBIDDEN_IN_SEGMENT = frozenset("/+#\x00")


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """A recognised topic: its kind and the identifier taken from its identifier segment."""

    kind: MessageKind
    topic_id: str


def _prefix(root: str) -> str:
    root = root.strip("/")
    return f"{root}/" if root else ""


def _valid_segment(segment: str) -> bool:
    return bool(segment) and not (_FORBIDDEN_IN_SEGMENT & set(segment))


def match_topic(topic: str, root: str = DEFAULT_ROOT) -> TopicMatch | None:
    """The kind and identifier of a feed topic, or None if ``topic`` is not one of the contract's.

    Matching is exact and case-sensitive, as MQTT topic names are: no trailing or doubled ``/``,
    and the identifier segment must not be empty.
    """
    prefix = _prefix(root)
    if not topic.startswith(prefix):
        return None
    parts = topic[len(prefix) :].split("/")
    if len(parts) == 2:
        shape: tuple[str, str | None] = (parts[0], None)
    elif len(parts) == 3:
        shape = (parts[0], parts[2])
    else:
        return None
    kind = _BY_SHAPE.get(shape)
    if kind is None or not _valid_segment(parts[1]):
        return None
    return TopicMatch(kind, parts[1])


def topic_for(kind: MessageKind, topic_id: str, root: str = DEFAULT_ROOT) -> str:
    """The topic name a message of ``kind`` about ``topic_id`` is published on."""
    if not _valid_segment(topic_id):
        raise ValueError("a topic identifier must be non-empty and contain no '/', '+', '#' or NUL")
    first, last = _SHAPES[kind]
    tail = f"/{last}" if last is not None else ""
    return f"{_prefix(root)}{first}/{topic_id}{tail}"


def subscription_filters(root: str = DEFAULT_ROOT) -> tuple[str, ...]:
    """MQTT topic filters that subscribe to every topic of the contract and nothing else."""
    prefix = _prefix(root)
    return tuple(
        f"{prefix}{first}/+" + (f"/{last}" if last is not None else "") for first, last in _SHAPES.values()
    )
