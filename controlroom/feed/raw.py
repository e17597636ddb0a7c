"""A message exactly as the broker delivered it: what the transport hands to the ingest pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RawMessage:
    topic: str
    payload: bytes
    received_at: datetime
