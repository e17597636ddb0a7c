"""Qt-free persistence models: the SQLAlchemy ORM tables of the whole domain.

Nothing under this package imports Qt; Qt item-model adapters live with the views.
"""

from controlroom.models.alerts import Alert, AlertOccurrence
from controlroom.models.audit import AuditEntry
from controlroom.models.base import Base
from controlroom.models.bench import BenchResult, BenchSession
from controlroom.models.cases import Attachment, Case, HandlingAction, SignOff
from controlroom.models.feed import DeadLetter, ProcessedMessage
from controlroom.models.fleet import Driver, Seal, SealRegistryEvent, Vehicle, VehicleUnit
from controlroom.models.reference import (
    ContactWindow,
    Gate,
    Operator,
    OperatorStation,
    Route,
    Station,
    Threshold,
)
from controlroom.models.shifts import Handover, HandoverItem, Shift
from controlroom.models.telemetry import (
    DeviceEvent,
    GatePassage,
    PassiveRead,
    PositionReport,
    SealStatusReport,
)
from controlroom.models.trips import CNNote, CNRevision, Trip
from controlroom.models.users import User

__all__ = [
    "Alert",
    "AlertOccurrence",
    "Attachment",
    "AuditEntry",
    "Base",
    "BenchResult",
    "BenchSession",
    "CNNote",
    "CNRevision",
    "Case",
    "ContactWindow",
    "DeadLetter",
    "DeviceEvent",
    "Driver",
    "Gate",
    "GatePassage",
    "HandlingAction",
    "Handover",
    "HandoverItem",
    "Operator",
    "OperatorStation",
    "PassiveRead",
    "PositionReport",
    "ProcessedMessage",
    "Route",
    "Seal",
    "SealRegistryEvent",
    "SealStatusReport",
    "Shift",
    "SignOff",
    "Station",
    "Threshold",
    "Trip",
    "User",
    "Vehicle",
    "VehicleUnit",
]
