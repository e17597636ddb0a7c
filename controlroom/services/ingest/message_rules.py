"""`MessageRules`: what one valid message changes, dispatched to the handler of its topic kind.

It is the one class the pipeline calls per message; the handlers themselves live in handlers_*.py.
"""

from __future__ import annotations

from controlroom.feed import messages as fm
from controlroom.feed.messages import FeedMessage
from controlroom.services.ingest.handlers_cn import CNHandlers
from controlroom.services.ingest.handlers_gate import GateHandlers
from controlroom.services.ingest.handlers_passive import PassiveReadHandlers
from controlroom.services.ingest.handlers_seal import SealHandlers
from controlroom.services.ingest.handlers_unit import UnitHandlers


class MessageRules(UnitHandlers, SealHandlers, CNHandlers, GateHandlers, PassiveReadHandlers):
    """What one message changes: stored observation, trip state, alerts."""

    def handle(self, msg: FeedMessage) -> None:
        model = msg.model
        if isinstance(model, fm.UnitTelemetry):
            self.telemetry(model)
        elif isinstance(model, fm.UnitEvent):
            self.unit_event(model)
        elif isinstance(model, fm.SealStatus):
            self.seal_status(model)
        elif isinstance(model, fm.SealEvent):
            self.seal_event(model)
        elif isinstance(model, fm.CNNote):
            self.cn_note(model)
        elif isinstance(model, fm.Sealing):
            self.sealing(model)
        elif isinstance(model, fm.GatePassage):
            self.gate_passage(model)
        else:
            self.passive_read(model)
