"""Enumerations stored in the database; values are stable strings, never renamed."""

from enum import StrEnum


class CustomsHouse(StrEnum):
    KEELUNG = "keelung"
    TAIPEI = "taipei"
    TAICHUNG = "taichung"
    KAOHSIUNG = "kaohsiung"


class StationKind(StrEnum):
    CONTAINER_YARD = "container_yard"
    BONDED_WAREHOUSE = "bonded_warehouse"
    CONTAINER_TERMINAL = "container_terminal"
    INLAND_YARD = "inland_yard"
    AIR_CARGO = "air_cargo"


class SealType(StrEnum):
    VEHICLE = "vehicle"
    PASSIVE = "passive"
    PAPER = "paper"
    OTHER = "other"


class SealLifecycle(StrEnum):
    """Registry state of a physical seal; technicians move it through diagnosis [001 伍 二]."""

    IN_SERVICE = "in_service"
    UNDER_DIAGNOSIS = "under_diagnosis"
    REPAIRED = "repaired"
    SCRAPPED = "scrapped"


class CNAction(StrEnum):
    NEW = "new"
    REPLACE = "replace"
    CANCEL = "cancel"


class CNStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class TripState(StrEnum):
    PLANNED = "planned"  # CN note received, nothing sealed or read yet
    SEALED = "sealed"  # vehicle seal confirmed, not yet through the exit
    IN_TRANSIT = "in_transit"
    ARRIVED = "arrived"  # inside the destination geofence, not yet unsealed / read
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class SealFamily(StrEnum):
    VEHICLE = "vehicle"
    PASSIVE = "passive"


class AlertStatus(StrEnum):
    """ISA-18.2 style alarm states."""

    UNACKNOWLEDGED = "unacknowledged"
    ACKNOWLEDGED = "acknowledged"
    SHELVED = "shelved"
    IN_HANDLING = "in_handling"
    AWAITING_SIGNOFF = "awaiting_signoff"
    CLOSED = "closed"


class CaseStatus(StrEnum):
    OPEN = "open"
    AWAITING_SIGNOFF = "awaiting_signoff"
    RETURNED = "returned"
    SIGNED_OFF = "signed_off"
    CLOSED = "closed"


class SignOffDecision(StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"


class BenchTransport(StrEnum):
    BLE = "ble"
    NFC = "nfc"
