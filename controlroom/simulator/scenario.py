"""Seeded, pure generation of a feed scenario: what yards, trucks, seals, gates and phones would publish.

:func:`generate` returns :class:`ScenarioMessage` items (publication time, topic, payload) in time
order. It touches no network and no clock: the same configuration and seed always give the same list,
which :func:`write_jsonl` turns into a replay file (``{"at", "topic", "payload"}`` per line).

Each truck runs one trip on a designated route of the reference data:

- vehicle-seal trips: CN ``new`` (sometimes a ``replace``), driver login and seal pairing, the seal
  locks, the yard confirms the sealing, the truck leaves through an origin gate, the unit reports
  every 10 s moving / 60 s parked and the seal every 30 s and on each change, the seal unlocks by
  geofence on arrival (gate ``in`` where the destination has a gate), the seal is unpaired and the
  unit stays parked reporting every 60 s until the scenario ends;
- passive- and paper-seal trips: CN ``new``, exit read, gate ``out``, gate ``in``, arrival read.

With probability ``fault_rate`` a trip carries one fault; faults are dealt round-robin from a
seeded shuffle of every alert code of the contract, so enough faulty trips cover them all.
Independently, ``fault_rate`` also scales how often a malformed message or a duplicate is mixed in,
and some CN notes are issued and then cancelled.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

from controlroom.domain.identifiers import iso6346_check_digit
from controlroom.feed.topics import DEFAULT_ROOT, MessageKind, topic_for
from controlroom.simulator.world import Gate, Route, World

__all__ = [
    "ALERT_CODES",
    "PASSIVE_FAULTS",
    "TAIPEI",
    "VEHICLE_FAULTS",
    "ScenarioMessage",
    "SimulationConfig",
    "generate",
    "rfc3339",
    "scenario_setup",
    "write_jsonl",
]

TAIPEI = timezone(timedelta(hours=8))
VEHICLE_FAULTS = (
    "SEAL_PIN_FAULT",
    "SEAL_LOST",
    "SEAL_SEPARATED",
    "UNIT_POWER_REMOVED",
    "VEHICLE_LOST",
    "SEAL_BROKEN",
    "EXIT_UNSEALED",
    "ARRIVAL_LATE",
    "OVERDUE_NOT_ARRIVED",
    "SEAL_LOW_BATTERY",
    "GATE_NO_INSPECTION",
    "ROUTE_DEVIATION",
    "ABNORMAL_STOP",
)
PASSIVE_FAULTS = ("S2", "S3", "S4", "S7", "S8")
ALERT_CODES = VEHICLE_FAULTS + PASSIVE_FAULTS

_MIN = 60.0
_SILENCE_S = 7 * _MIN  # longer than the 5-minute lost-contact threshold
_STOP_S = 17 * _MIN  # longer than the 15-minute abnormal-stop threshold
_OWNERS = ("TGHU", "MSCU", "EISU", "OOLU", "CSNU", "YMLU", "WHLU", "EGHU", "EMCU", "TCNU")
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
# Faults that need a long enough drive (a silence or a stop must fit before arrival).
_LONG_DRIVE = {"SEAL_LOST": 13 * _MIN, "VEHICLE_LOST": 13 * _MIN}


def _whole(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def rfc3339(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class SimulationConfig:
    trucks: int = 10
    seed: int = 1
    fault_rate: float = 0.1
    start: datetime = datetime(2026, 11, 22, 8, 0, tzinfo=TAIPEI)
    duration_s: float | None = None  # cut the timeline after this much simulated time
    topic_root: str = DEFAULT_ROOT
    stagger_s: float = 10 * _MIN  # trips start spread over this much simulated time
    tail_s: float = 45 * _MIN  # keep parked units reporting this long after the last deadline
    max_route_minutes: float = 120  # drive only routes allowing at most this long (bounds the volume)

    def __post_init__(self) -> None:
        if self.trucks < 0:
            raise ValueError("trucks must be >= 0")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate must be within 0..1")
        if self.start.utcoffset() is None:
            raise ValueError("start must be an aware datetime")


class ScenarioMessage(NamedTuple):
    at: datetime  # when it is published
    topic: str
    payload: dict[str, Any] | str  # a str is sent as is (malformed messages)

    def payload_bytes(self) -> bytes:
        if isinstance(self.payload, str):
            return self.payload.encode("utf-8")
        return json.dumps(self.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def to_json_line(self) -> str:
        return json.dumps(
            {"at": rfc3339(self.at), "topic": self.topic, "payload": self.payload},
            ensure_ascii=False,
            separators=(",", ":"),
        )


def scenario_setup(world: World) -> dict[str, Any]:
    """What the feed does not carry but the scenario assumes: one operator per station, ``OP-{code}-01``,
    who may act for that station only (S4 is an arrival read by someone who may not)."""
    return {
        "operators": [
            {"operator_id": f"OP-{code}-01", "name": f"Operator {code}", "stations": [code]}
            for code in sorted(world.stations)
        ]
    }


def write_jsonl(
    messages: Iterable[ScenarioMessage], path: Path, *, sidecar: dict[str, Any] | None = None
) -> int:
    """Write a replay file; with ``sidecar`` also ``NAME.json`` beside it (description, set-up)."""
    count = 0
    path = Path(path)
    with path.open("w", encoding="utf-8") as handle:
        for message in messages:
            handle.write(message.to_json_line() + "\n")
            count += 1
    if sidecar is not None:
        path.with_suffix(".json").write_text(
            json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return count


def _speed_kmh(route: Route) -> float:
    """Cruise speed that covers the route in about 65 % of its allowed time, within 10..80 km/h."""
    wanted = (route.length_m / 1000) / (0.65 * route.allowed_minutes / 60)
    return min(80.0, max(10.0, wanted))


def _travel_s(route: Route) -> float:
    return route.length_m / (_speed_kmh(route) / 3.6)


@dataclass
class _Emitter:
    """Collects one truck's messages and keeps its devices' seq counters."""

    root: str
    rng: random.Random
    messages: list[ScenarioMessage] = field(default_factory=list)
    seqs: dict[str, int] = field(default_factory=dict)

    def seq(self, device: str) -> int:
        value = self.seqs.get(device)
        if value is None:
            value = self.rng.randrange(0, 5000)
        self.seqs[device] = (value + 1) % 2**32
        return value

    def emit(self, at: datetime, kind: MessageKind, topic_id: str, payload: dict[str, Any] | str) -> None:
        self.messages.append(ScenarioMessage(_whole(at), topic_for(kind, topic_id, self.root), payload))


class _TripBuilder:
    """One truck's trip, with at most one fault."""

    def __init__(self, index: int, config: SimulationConfig, world: World, fault: str | None) -> None:
        self.n = index + 1
        self.config = config
        self.world = world
        self.fault = fault
        self.rng = random.Random(f"controlroom-sim:{config.seed}:{index}")
        self.out = _Emitter(config.topic_root, self.rng)
        rng = self.rng
        self.passive = fault in PASSIVE_FAULTS or (fault is None and rng.random() < 0.25)
        self.route = self._choose_route()
        self.t0 = config.start + timedelta(seconds=rng.uniform(0, config.stagger_s))
        self.cn_no = f"CN{config.start:%y%m%d}{config.seed % 1000:03d}{self.n:05d}"
        owner = _OWNERS[(config.seed + index) % len(_OWNERS)]
        serial = f"{owner}{(config.seed * 7919 + self.n * 104_729) % 1_000_000:06d}"
        self.container_no = f"{serial}{iso6346_check_digit(serial)}"
        letters = "".join(rng.choice(_PLATE_LETTERS) for _ in range(3))
        self.plate = f"{letters}-{rng.randrange(1000, 10000)}"
        self.driver_id = f"D{rng.randrange(10**8, 10**9)}"
        self.unit_id = f"VU{config.seed % 1000:03d}{self.n:05d}"
        self.seal_id = f"VS{config.seed % 1000:03d}{self.n:05d}"
        prefix = "EP" if rng.random() < 0.4 else "PS"
        self.passive_seal = f"{prefix}{config.seed % 1000:03d}{self.n:06d}"
        self.seal_type = ("paper" if prefix == "EP" else "passive") if self.passive else "vehicle"
        self.speed_kmh = _speed_kmh(self.route)
        self.travel_s = _travel_s(self.route)
        self.depart = self.t0 + timedelta(minutes=8)
        self.stop_start_s, self.stop_len_s = self._plan_stop()
        self.drive_end = self.depart + timedelta(seconds=self.travel_s + self.stop_len_s)
        self.arrival = self._find_arrival()
        self.deadline = self._deadline()

    # -- planning ------------------------------------------------------------------------------

    def _choose_route(self) -> Route:
        world, fault = self.world, self.fault
        limit = self.config.max_route_minutes
        candidates = [r for r in world.routes if r.allowed_minutes <= limit] or list(world.routes)
        if not candidates:
            raise ValueError("the reference data has no designated route to drive on")

        def fits(route: Route) -> bool:
            if fault in ("GATE_NO_INSPECTION",) and not world.gates_of(route.origin, inspection=True):
                return False
            if fault in ("S2", "EXIT_UNSEALED") and not world.gates_of(route.origin):
                return False
            if fault == "S8" and not world.gates_of(route.destination):
                return False
            return _travel_s(route) >= _LONG_DRIVE.get(fault or "", 0.0)

        fitting = [r for r in candidates if fits(r)] or candidates
        return self.rng.choice(fitting)

    def _plan_stop(self) -> tuple[float, float]:
        if self.fault != "ABNORMAL_STOP":
            return 0.0, 0.0
        route, speed = self.route, self.speed_kmh / 3.6
        for fraction in (0.45, 0.35, 0.55, 0.25, 0.65, 0.15, 0.75):
            lat, lon, _ = route.position(route.length_m * fraction)
            if not self.world.inside_any_station(lat, lon):
                return route.length_m * fraction / speed, _STOP_S
        return route.length_m * 0.5 / speed, _STOP_S

    def _drive(self, at: datetime) -> tuple[float, float, float, float, bool]:
        """(lat, lon, heading, speed km/h, moving) of the truck at ``at``."""
        elapsed = (at - self.depart).total_seconds()
        if elapsed <= 0:
            lat, lon, heading = self.route.position(0)
            return lat, lon, heading, 0.0, False
        stopped = min(max(elapsed - self.stop_start_s, 0.0), self.stop_len_s)
        distance = (elapsed - stopped) * self.speed_kmh / 3.6
        lat, lon, heading = self.route.position(distance)
        if distance >= self.route.length_m:
            return lat, lon, heading, 0.0, False
        if self.stop_len_s and self.stop_start_s <= elapsed < self.stop_start_s + self.stop_len_s:
            return lat, lon, heading, round(self.rng.uniform(0, 1.5), 1), False
        return lat, lon, heading, round(self.speed_kmh * self.rng.uniform(0.85, 1.15), 1), True

    def _find_arrival(self) -> datetime:
        destination = self.world.stations[self.route.destination]
        step = timedelta(seconds=10)
        at = self.depart + step
        while at < self.drive_end:
            elapsed = (at - self.depart).total_seconds()
            stopped = min(max(elapsed - self.stop_start_s, 0.0), self.stop_len_s)
            lat, lon, _ = self.route.position((elapsed - stopped) * self.speed_kmh / 3.6)
            if destination.contains(lat, lon):
                return at
            at += step
        return self.drive_end

    def _deadline(self) -> datetime:
        seconds = {"ARRIVAL_LATE": 0.85, "OVERDUE_NOT_ARRIVED": 0.5, "S3": 0.5}.get(self.fault or "")
        if seconds is not None:
            return self.depart + timedelta(seconds=self.travel_s * seconds)
        return self.depart + timedelta(minutes=self.route.allowed_minutes)

    def _at(self, fraction: float) -> datetime:
        return self.depart + timedelta(seconds=self.travel_s * fraction)

    def _origin_gate(self, inspection: bool | None = None) -> Gate | None:
        gates = self.world.gates_of(self.route.origin, inspection=inspection) or self.world.gates_of(
            self.route.origin
        )
        return gates[0] if gates else None

    @property
    def end_of_activity(self) -> datetime:
        return max(self.arrival, self.deadline)

    # -- messages ------------------------------------------------------------------------------

    def _cn(self, at: datetime, action: str, cn_no: str | None = None, **extra: Any) -> None:
        payload: dict[str, Any] = {"cn_no": cn_no or self.cn_no, "action": action, "ts": rfc3339(at)}
        if action != "cancel":
            payload |= {
                "container_no": self.container_no,
                "plate": self.plate,
                "driver_id": self.driver_id,
                "origin": self.route.origin,
                "destination": self.route.destination,
                "seal_type": self.seal_type,
                "seal_no": self.passive_seal if self.passive else self.seal_id,
                "tool_type": 1 if self.passive else 4,
                "route_id": self.route.route_id,
            }
            if self.fault in ("ARRIVAL_LATE", "OVERDUE_NOT_ARRIVED", "S3") or self.passive:
                payload["deadline"] = rfc3339(self.deadline)
        payload |= extra
        self.out.emit(at, MessageKind.CN_NOTE, cn_no or self.cn_no, payload)

    def _gate(self, at: datetime, gate: Gate, direction: str, inspected: bool = True) -> None:
        payload = {
            "gate_id": gate.gate_id,
            "ts": rfc3339(at),
            "direction": direction,
            "plate": self.plate,
            "container_no": self.container_no,
            "inspected": inspected,
        }
        self.out.emit(at, MessageKind.GATE_PASSAGE, gate.gate_id, payload)

    def build(self, end: datetime) -> list[ScenarioMessage]:
        rng = self.rng
        self._cn(self.t0, "new")
        if rng.random() < 0.2:  # the yard corrects the note before sealing
            self._cn(self.t0 + timedelta(minutes=1), "replace", tool_type=2 if self.passive else 5)
        if rng.random() < 0.1:  # a note issued by mistake and withdrawn
            spare = f"{self.cn_no}X"
            self._cn(self.t0 + timedelta(seconds=30), "new", cn_no=spare)
            self._cn(self.t0 + timedelta(minutes=3), "cancel", cn_no=spare)
        if self.passive:
            self._passive_trip()
        else:
            self._vehicle_trip(end)
        self._noise(end)
        return self.out.messages

    def _passive_trip(self) -> None:
        fault, route = self.fault, self.route
        operator = f"OP-{route.origin}-01"
        if fault != "S2":
            self._passive_read(self.t0 + timedelta(minutes=5), "exit", route.origin, operator)
        gate = self._origin_gate()
        if gate is not None:
            self._gate(self.depart, gate, "out")
        if fault == "S7":
            return  # never arrives
        arrival = self.drive_end
        if fault == "S3":
            arrival = max(arrival, self.deadline + timedelta(minutes=10))
        in_gates = self.world.gates_of(route.destination)
        if in_gates:
            self._gate(arrival, in_gates[0], "in")
        if fault == "S8":
            return  # passed the gate in, never read at arrival
        reader = operator if fault == "S4" else f"OP-{route.destination}-01"
        self._passive_read(arrival + timedelta(minutes=3), "arrival", route.destination, reader)

    def _passive_read(self, at: datetime, op: str, station: str, operator: str) -> None:
        fence = self.world.stations[station].fence.ring[0]
        payload = {
            "seal_no": self.passive_seal,
            "ts": rfc3339(at),
            "op": op,
            "station": station,
            "operator_id": operator,
            "cn_no": self.cn_no,
            "photo_id": f"PH{self.n:05d}{op[0].upper()}",
            "lat": round(fence[1], 6),
            "lon": round(fence[0], 6),
        }
        self.out.emit(at, MessageKind.PASSIVE_READ, self.passive_seal, payload)

    def _vehicle_trip(self, end: datetime) -> None:
        fault, rng, unit, seal = self.fault, self.rng, self.unit_id, self.seal_id
        t0 = self.t0
        login, pair, lock = (t0 + timedelta(minutes=m) for m in (2, 3, 4))
        sealing = t0 + timedelta(minutes=6)
        unlock = self.arrival + timedelta(seconds=5)
        seal_end = unlock + timedelta(minutes=5)

        def unit_event(at: datetime, event: str, **extra: Any) -> None:
            body = {"unit_id": unit, "seq": self.out.seq(unit), "ts": rfc3339(at), "event": event} | extra
            self.out.emit(at, MessageKind.UNIT_EVENT, unit, body)

        def seal_event(at: datetime, event: str, **extra: Any) -> None:
            body = {"seal_id": seal, "seq": self.out.seq(seal), "ts": rfc3339(at), "event": event} | extra
            self.out.emit(at, MessageKind.SEAL_EVENT, seal, body)

        unit_event(login, "driver_login", driver_id=self.driver_id)
        unit_event(pair, "seal_paired", seal_id=seal)
        seal_event(lock, "locked")
        if fault != "EXIT_UNSEALED":
            confirmation = {
                "cn_no": self.cn_no,
                "ts": rfc3339(sealing),
                "seal_no": seal,
                "operator_id": f"OP-{self.route.origin}-01",
                "station": self.route.origin,
                "photo_id": f"PH{self.n:05d}S",
            }
            self.out.emit(sealing, MessageKind.SEALING, self.cn_no, confirmation)
        gate = self._origin_gate(inspection=True if fault == "GATE_NO_INSPECTION" else None)
        if gate is not None:
            self._gate(self.depart, gate, "out", inspected=fault != "GATE_NO_INSPECTION")
        in_gates = self.world.gates_of(self.route.destination)
        if in_gates:
            self._gate(self.arrival, in_gates[0], "in")
        seal_event(unlock, "unlocked", method="geofence")
        unit_event(seal_end - timedelta(minutes=1), "seal_unpaired", seal_id=seal)
        unit_event(seal_end, "driver_logout")

        # Fault windows
        power_off = power_on = None
        if fault == "UNIT_POWER_REMOVED":
            power_off, power_on = self._at(0.3), self._at(0.3) + timedelta(minutes=3)
            unit_event(power_off, "power_removed")
            unit_event(power_on, "power_restored")
        unit_silent = (self._at(0.15), self._at(0.15) + timedelta(seconds=_SILENCE_S))
        seal_silent = unit_silent
        pin_fault_at = self._at(0.5) if fault == "SEAL_PIN_FAULT" else None
        broken_at = self._at(0.5) if fault == "SEAL_BROKEN" else None
        separated = (self._at(0.3), self._at(0.3) + timedelta(minutes=2.5))
        deviation = (self._at(0.4), self._at(0.4) + timedelta(seconds=85))
        if pin_fault_at is not None:
            seal_event(pin_fault_at, "pin_fault")
        if broken_at is not None:
            seal_event(broken_at, "tamper")

        def within(window: tuple[datetime, datetime], at: datetime) -> bool:
            return window[0] <= at < window[1]

        # Vehicle unit telemetry: from login until the end, 10 s moving / 60 s parked.
        at = login
        while at <= end:
            lat, lon, heading, speed, moving = self._drive(at)
            if fault == "ROUTE_DEVIATION" and within(deviation, at):
                lat += 0.0135  # about 1.5 km north of the route
            if not (fault == "VEHICLE_LOST" and within(unit_silent, at)):
                body: dict[str, Any] = {
                    "unit_id": unit,
                    "seq": self.out.seq(unit),
                    "ts": rfc3339(at),
                    "lat": round(lat, 6),
                    "lon": round(lon, 6),
                    "speed_kmh": speed,
                    "heading_deg": round(heading, 1),
                    "fix": "3d",
                    "power": "backup" if power_off and power_on and power_off <= at < power_on else "main",
                    "plate": self.plate,
                }
                if at < seal_end:
                    body["driver_id"] = self.driver_id
                self.out.emit(at, MessageKind.UNIT_TELEMETRY, unit, body)
            at += timedelta(seconds=10 if moving or self.depart <= at < self.drive_end else 60)

        # Seal status: every 30 s and on every change, from pairing until it is taken back.
        battery_start = 23 if fault == "SEAL_LOW_BATTERY" else rng.randrange(60, 101)
        battery_end = 15 if fault == "SEAL_LOW_BATTERY" else battery_start - 2
        span = max((seal_end - pair).total_seconds(), 1.0)
        changes = sorted(t for t in (lock, unlock, pin_fault_at, broken_at) if t is not None)
        times = sorted({*changes, *(pair + timedelta(seconds=30 * k) for k in range(int(span // 30) + 1))})
        for at in times:
            if at > seal_end or at > end:
                break
            if fault == "SEAL_LOST" and within(seal_silent, at):
                continue
            lat, lon, _, _, _ = self._drive(at)
            if fault == "ROUTE_DEVIATION" and within(deviation, at):
                lat += 0.0135  # the seal travels with the truck
            link = "ble"
            if fault == "SEAL_SEPARATED" and within(separated, at):
                lat, lon, link = lat - 0.008, lon + 0.006, "lte"  # about 1 km away from the unit
            fraction = (at - pair).total_seconds() / span
            state = "inserted" if at < lock else ("locked" if at < unlock else "free")
            status: dict[str, Any] = {
                "seal_id": seal,
                "seq": self.out.seq(seal),
                "ts": rfc3339(at),
                "state": state,
                "pin": "fault"
                if pin_fault_at and pin_fault_at <= at < pin_fault_at + timedelta(minutes=2)
                else "ok",
                "tamper": bool(broken_at and at >= broken_at),
                "battery_pct": round(battery_start + (battery_end - battery_start) * fraction),
                "lat": round(lat, 6),
                "lon": round(lon, 6),
                "unit_id": unit,
                "link": link,
            }
            self.out.emit(at, MessageKind.SEAL_STATUS, seal, status)

    def _noise(self, end: datetime) -> None:
        """Malformed messages and duplicates, more of them with a higher fault rate."""
        rng, rate, root = self.rng, self.config.fault_rate, self.config.topic_root
        if rate <= 0:
            return
        if rng.random() < rate * 0.5:
            at = self.t0 + timedelta(seconds=rng.uniform(60, 600))
            variant = rng.randrange(5)
            ts = rfc3339(at)
            payload: dict[str, Any] | str
            if variant == 0:
                topic, payload = topic_for(MessageKind.UNIT_TELEMETRY, self.unit_id, root), '{"unit_id": "'
            elif variant == 1:
                topic = topic_for(MessageKind.UNIT_TELEMETRY, self.unit_id, root)
                payload = {"unit_id": self.unit_id, "seq": 1, "ts": ts, "lat": 123.0, "lon": 120.3}
                payload |= {"speed_kmh": 10, "fix": "3d", "power": "main"}
            elif variant == 2:
                topic = topic_for(MessageKind.SEAL_STATUS, self.seal_id, root)
                payload = {"seal_id": self.seal_id, "seq": 1, "ts": ts, "state": "locked", "pin": "ok"}
                payload |= {"tamper": False, "battery_pct": 140, "link": "ble"}
            elif variant == 3:
                bad = self.container_no[:10] + str((int(self.container_no[10]) + 1) % 10)
                topic = topic_for(MessageKind.CN_NOTE, f"{self.cn_no}B", root)
                payload = {"cn_no": f"{self.cn_no}B", "action": "new", "ts": ts, "container_no": bad}
                payload |= {"plate": self.plate, "origin": self.route.origin, "seal_type": "vehicle"}
                payload |= {"destination": self.route.destination, "seal_no": "X1", "tool_type": 4}
            else:
                topic, payload = f"{root}/units/{self.unit_id}/diagnostics", {"ts": ts}
            self.out.messages.append(ScenarioMessage(_whole(at), topic, payload))
        duplicates = []
        for message in self.out.messages:
            device = "/units/" in message.topic or "/seals/" in message.topic
            if device and rng.random() < rate * 0.02:
                later = message.at + timedelta(seconds=rng.uniform(1, 30))
                if later <= end:
                    duplicates.append(message._replace(at=_whole(later)))
        self.out.messages.extend(duplicates)


def _deal_faults(config: SimulationConfig) -> list[str | None]:
    rng = random.Random(f"controlroom-sim-faults:{config.seed}")
    deck = list(ALERT_CODES)
    rng.shuffle(deck)
    dealt: list[str | None] = []
    next_card = 0
    for _ in range(config.trucks):
        if config.fault_rate > 0 and rng.random() < config.fault_rate:
            dealt.append(deck[next_card % len(deck)])
            next_card += 1
        else:
            dealt.append(None)
    return dealt


def generate(config: SimulationConfig, world: World) -> list[ScenarioMessage]:
    """Every message of the scenario, in publication order (stable for equal times)."""
    trips = [_TripBuilder(i, config, world, fault) for i, fault in enumerate(_deal_faults(config))]
    if config.duration_s is not None:
        end = config.start + timedelta(seconds=config.duration_s)
    elif trips:
        end = max(t.end_of_activity for t in trips) + timedelta(seconds=config.tail_s)
    else:
        end = config.start
    messages = [m for trip in trips for m in trip.build(end) if m.at <= end]
    messages.sort(key=lambda m: m.at)
    return messages
