"""Generates the scenario files of this directory: ``NAME.jsonl`` (the feed as delivered) and ``NAME.json``
(description, expected alerts, set-up, the time to replay until).

Run ``.venv/bin/python -m tests.scenarios.build`` after changing it; the generated files are committed so
that other tools (the MQTT simulator, the ``controlroom replay`` command) can use them as they are.

Every trip runs on the shipped reference data: vehicle trips on route R-KH-01 (Kaohsiung Terminal 4
KHC104 → Terminal 5 KHC103, 4.6 km, 200 m corridor, 15 allowed minutes), leaving through gate KH-G7
(inspection required) and, for passive seals, entering through KH-G8. For each alert code there is one
scenario that must raise it and a near miss that must not.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from controlroom.domain.identifiers import iso6346_check_digit
from controlroom.rules.geometry import EARTH_RADIUS_M, Geofence, RouteLine, haversine_m

HERE = Path(__file__).parent
REFERENCE = HERE.parent.parent / "resources" / "reference"
TPE = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 23, 9, 0, 0, tzinfo=TPE)
ROUTE_ID = "R-KH-01"
ORIGIN, DESTINATION = "KHC104", "KHC103"
EXIT_GATE, ENTRY_GATE = "KH-G7", "KH-G8"
OPERATORS = [
    {"operator_id": "OP-KHC104-01", "name": "四櫃專責人員", "stations": ["KHC104"]},
    {"operator_id": "OP-KHC103-01", "name": "五櫃專責人員", "stations": ["KHC103"]},
]


def _load(name: str) -> list[dict[str, Any]]:
    with (REFERENCE / f"{name}.json").open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = json.load(handle)[name]
    return rows


_ROUTE = next(r for r in _load("routes") if r["route_id"] == ROUTE_ID)
_FENCES = [Geofence.of(s["code"], s["geofence"]) for s in _load("stations")]
_LINE = RouteLine.of(ROUTE_ID, _ROUTE["line"], _ROUTE["corridor_m"])


def _ts(at: datetime) -> str:
    return at.isoformat()


def _points_along(step_m: float) -> list[tuple[float, float]]:
    """(lat, lon) every ``step_m`` metres along the route, ending on its last point."""
    line = [(p[1], p[0]) for p in _ROUTE["line"]]
    out = [line[0]]
    carry = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(line):
        seg = haversine_m(lat1, lon1, lat2, lon2)
        pos = step_m - carry
        while pos < seg:
            f = pos / seg
            out.append((lat1 + (lat2 - lat1) * f, lon1 + (lon2 - lon1) * f))
            pos += step_m
        carry = seg - (pos - step_m)
    if out[-1] != line[-1]:
        out.append(line[-1])
    return out


def _north(lat: float, lon: float, metres: float) -> tuple[float, float]:
    return lat + math.degrees(metres / EARTH_RADIUS_M), lon


def _off_route(lat: float, lon: float, metres: float) -> tuple[float, float]:
    """A point ``metres`` away to the north-west that is off the corridor and outside every station."""
    for distance in (metres, metres * 1.5, metres * 2):
        for bearing in range(315, 315 - 360, -30):
            rad = math.radians(bearing)
            k = EARTH_RADIUS_M * math.cos(math.radians(lat))
            p = (
                lat + math.degrees(distance * math.cos(rad) / EARTH_RADIUS_M),
                lon + math.degrees(distance * math.sin(rad) / k),
            )
            if not _LINE.in_corridor(*p) and not any(f.contains(*p) for f in _FENCES):
                return p
    raise AssertionError("no off-route point found")


def _container(idx: int) -> str:
    head = f"TGHU{700000 + idx:06d}"
    return head + str(iso6346_check_digit(head))


@dataclass
class Feed:
    """Collects messages; ``at`` defaults to the observation time (on-time delivery)."""

    lines: list[tuple[datetime, str, Any]] = field(default_factory=list)
    seqs: dict[str, int] = field(default_factory=dict)

    def add(self, ts: datetime, topic: str, payload: Any, at: datetime | None = None) -> None:
        self.lines.append((at or ts, topic, payload))

    def seq(self, device: str) -> int:
        self.seqs[device] = self.seqs.get(device, 0) + 1
        return self.seqs[device]

    def cn(self, ts: datetime, cn_no: str, **data: Any) -> None:
        self.add(ts, f"iot/v1/cn/{cn_no}", {"cn_no": cn_no, "ts": _ts(ts), **data})

    def sealing(self, ts: datetime, cn_no: str, seal_no: str) -> None:
        payload = {
            "cn_no": cn_no,
            "ts": _ts(ts),
            "seal_no": seal_no,
            "operator_id": "OP-KHC104-01",
            "station": ORIGIN,
            "photo_id": f"IMG-SEAL-{cn_no}",
        }
        self.add(ts, f"iot/v1/cn/{cn_no}/sealing", payload)

    def fix(self, ts: datetime, unit: str, lat: float, lon: float, speed: float, power: str = "main") -> None:
        payload = {
            "unit_id": unit,
            "seq": self.seq(unit + "/t"),
            "ts": _ts(ts),
            "lat": round(lat, 7),
            "lon": round(lon, 7),
            "speed_kmh": speed,
            "fix": "3d",
            "power": power,
        }
        self.add(ts, f"iot/v1/units/{unit}/telemetry", payload)

    def unit_event(self, ts: datetime, unit: str, event: str, **extra: Any) -> None:
        payload = {"unit_id": unit, "seq": self.seq(unit + "/e"), "ts": _ts(ts), "event": event, **extra}
        self.add(ts, f"iot/v1/units/{unit}/events", payload)

    def seal(
        self,
        ts: datetime,
        seal: str,
        unit: str,
        *,
        state: str = "locked",
        pin: str = "ok",
        tamper: bool = False,
        battery: int = 80,
        at: tuple[float, float] | None = None,
        link: str = "ble",
    ) -> None:
        payload: dict[str, Any] = {
            "seal_id": seal,
            "seq": self.seq(seal + "/s"),
            "ts": _ts(ts),
            "state": state,
            "pin": pin,
            "tamper": tamper,
            "battery_pct": battery,
            "unit_id": unit,
            "link": link,
        }
        if at is not None:
            payload["lat"], payload["lon"] = round(at[0], 7), round(at[1], 7)
        self.add(ts, f"iot/v1/seals/{seal}/status", payload)

    def seal_event(self, ts: datetime, seal: str, event: str, **extra: Any) -> None:
        payload = {"seal_id": seal, "seq": self.seq(seal + "/e"), "ts": _ts(ts), "event": event, **extra}
        self.add(ts, f"iot/v1/seals/{seal}/events", payload)

    def gate(
        self, ts: datetime, gate: str, direction: str, plate: str, container: str, inspected: bool
    ) -> None:
        payload = {
            "gate_id": gate,
            "ts": _ts(ts),
            "direction": direction,
            "plate": plate,
            "container_no": container,
            "inspected": inspected,
        }
        self.add(ts, f"iot/v1/gates/{gate}/passages", payload)

    def passive(self, ts: datetime, seal_no: str, op: str, station: str, operator: str, cn_no: str) -> None:
        payload = {
            "seal_no": seal_no,
            "ts": _ts(ts),
            "op": op,
            "station": station,
            "operator_id": operator,
            "cn_no": cn_no,
            "photo_id": f"IMG-{op.upper()}-{cn_no}",
        }
        self.add(ts, f"iot/v1/passive/{seal_no}/reads", payload)

    def jsonl(self) -> str:
        ordered = sorted(enumerate(self.lines), key=lambda item: (item[1][0], item[0]))
        out = [
            json.dumps({"at": _ts(at), "topic": topic, "payload": payload}, ensure_ascii=False)
            for _i, (at, topic, payload) in ordered
        ]
        return "\n".join(out) + "\n"


@dataclass
class Vehicle:
    """A vehicle-seal trip on R-KH-01 with hooks for every variation the scenarios need."""

    idx: int
    deadline: datetime | None = T0 + timedelta(hours=2)
    speed_kmh: float = 30.0
    exit_states: tuple[str, ...] = ("locked",)  # seal states reported before the gate
    inspected: bool = True
    wait_in_origin: timedelta = timedelta(0)
    unit_gap: tuple[int, timedelta] | None = None  # (drive fix index, gap)
    unit_stops_at: int | None = None  # drive fix index after which the unit is silent for good
    seal_gap: tuple[int, timedelta] | None = None
    seal_stops_at: int | None = None
    seal_offset: Callable[[int], float] = lambda _i: 0.0  # metres north of the unit, per drive fix
    off_route: frozenset[int] = frozenset()
    stop: tuple[int, timedelta] | None = None  # (drive fix index, duration) stopped off the stations
    battery: Callable[[int], int] = lambda _i: 80
    pin_fault_at: int | None = None
    tamper_at: int | None = None
    power_removed_at: int | None = None
    power_removed_before_sealing: bool = False
    complete: bool = True
    drive: bool = True
    after: list[str] = field(default_factory=list)  # "pin_fault", "tamper", "power_removed"
    feed: Feed = field(default_factory=Feed)
    _last: dict[str, datetime] = field(default_factory=dict)
    _gap_start: dict[str, datetime] = field(default_factory=dict)
    _resumed: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        i = self.idx
        self.cn_no = f"CN26KH{i:04d}"
        self.container = _container(i)
        self.plate = f"KLA-{1000 + i}"
        self.seal_no = f"VS{i:05d}"
        self.unit = f"VU{i:05d}"

    def build(self) -> tuple[Feed, datetime]:
        f = self.feed
        cn: dict[str, Any] = {
            "action": "new",
            "container_no": self.container,
            "plate": self.plate,
            "driver_id": "A123456789",
            "origin": ORIGIN,
            "destination": DESTINATION,
            "seal_type": "vehicle",
            "seal_no": self.seal_no,
            "tool_type": 1,
            "route_id": ROUTE_ID,
        }
        if self.deadline is not None:
            cn["deadline"] = _ts(self.deadline)
        f.cn(T0, self.cn_no, **cn)
        start = _points_along(100)[0]
        if self.power_removed_before_sealing:
            f.unit_event(T0 + timedelta(seconds=40), self.unit, "power_removed")
            f.unit_event(T0 + timedelta(seconds=50), self.unit, "power_restored")
        f.unit_event(T0 + timedelta(minutes=1), self.unit, "seal_paired", seal_id=self.seal_no)
        f.unit_event(T0 + timedelta(minutes=1, seconds=5), self.unit, "driver_login", driver_id="A123456789")
        for ts in (T0 + timedelta(minutes=1, seconds=30), T0 + timedelta(minutes=2, seconds=30)):
            f.fix(ts, self.unit, *start, 0.0)
        states = list(self.exit_states)
        for k, state in enumerate(states):
            f.seal(T0 + timedelta(minutes=2, seconds=30 * k), self.seal_no, self.unit, state=state, at=start)
        f.sealing(T0 + timedelta(minutes=3), self.cn_no, self.seal_no)
        f.fix(T0 + timedelta(minutes=3, seconds=30), self.unit, *start, 0.0)
        f.seal(T0 + timedelta(minutes=3, seconds=40), self.seal_no, self.unit, state=states[-1], at=start)
        self._last = {
            "unit": T0 + timedelta(minutes=3, seconds=30),
            "seal": T0 + timedelta(minutes=3, seconds=40),
        }
        t = T0 + timedelta(minutes=4)
        f.gate(t, EXIT_GATE, "out", self.plate, self.container, self.inspected)
        waited = timedelta(0)
        while waited < self.wait_in_origin:
            waited += timedelta(seconds=60)
            f.fix(t + waited, self.unit, *start, 0.0)
            f.seal(t + waited, self.seal_no, self.unit, at=start)
        t += waited
        arrival = t
        if self.drive:
            arrival = self._drive(t)
        if self.complete:
            last = _points_along(100)[-1]
            f.seal_event(arrival + timedelta(seconds=10), self.seal_no, "unlocked", method="geofence")
            f.seal(arrival + timedelta(seconds=12), self.seal_no, self.unit, state="free", at=last)
            if self.unit_stops_at is None:
                f.fix(arrival + timedelta(seconds=40), self.unit, *last, 0.0)
            after = arrival + timedelta(minutes=2)
            for what in self.after:
                if what == "pin_fault":
                    f.seal(after, self.seal_no, self.unit, state="free", pin="fault", at=last)
                    f.seal_event(after, self.seal_no, "pin_fault")
                elif what == "tamper":
                    f.seal(after, self.seal_no, self.unit, state="free", tamper=True, at=last)
                    f.seal_event(after, self.seal_no, "tamper")
                elif what == "power_removed":
                    f.unit_event(after, self.unit, "power_removed")
        return f, arrival

    def _drive(self, t: datetime) -> datetime:
        points = _points_along(self.speed_kmh / 3.6 * 30)
        for i, (lat, lon) in enumerate(points):
            t += timedelta(seconds=30)
            if self.stop is not None and i == self.stop[0]:
                stop_end = t + self.stop[1]
                while t < stop_end:
                    self._report(i, t, lat, lon, 0.0, last=False)
                    t = min(t + timedelta(seconds=60), stop_end)
                self._report(i, t, lat, lon, 0.0, last=False)
                t += timedelta(seconds=30)
            p = _off_route(lat, lon, 600) if i in self.off_route else (lat, lon)
            self._report(i, t, p[0], p[1], self.speed_kmh, last=i == len(points) - 1)
        return t

    def _report(self, i: int, t: datetime, lat: float, lon: float, speed: float, *, last: bool) -> None:
        f = self.feed
        power = "backup" if self.power_removed_at is not None and i >= self.power_removed_at else "main"
        if i == self.power_removed_at:
            f.unit_event(t, self.unit, "power_removed")
        for ts in self._emit("unit", self.unit_stops_at, self.unit_gap, i, t):
            f.fix(ts, self.unit, lat, lon, speed, power)
        if not (i % 2 == 0 or last or speed == 0.0):
            return
        for ts in self._emit("seal", self.seal_stops_at, self.seal_gap, i, t):
            f.seal(
                ts,
                self.seal_no,
                self.unit,
                pin="fault" if i == self.pin_fault_at else "ok",
                tamper=i == self.tamper_at,
                battery=self.battery(i),
                at=_north(lat, lon, self.seal_offset(i)),
                link="lte" if self.unit_stops_at is not None else "ble",
            )
            if i == self.pin_fault_at:
                f.seal_event(ts, self.seal_no, "pin_fault")
            if i == self.tamper_at:
                f.seal_event(ts, self.seal_no, "tamper")

    def _emit(
        self, device: str, stops_at: int | None, gap: tuple[int, timedelta] | None, i: int, t: datetime
    ) -> list[datetime]:
        """When the device reports at this step: never after ``stops_at``; during a gap (from its last
        report once past drive fix ``gap[0]``, lasting ``gap[1]``) not at all, then exactly at its end."""
        if stops_at is not None and i > stops_at:
            return []
        out = [t]
        if gap is not None and i > gap[0]:
            start = self._gap_start.setdefault(device, self._last[device])
            end = start + gap[1]
            if t < end:
                out = []
            elif device not in self._resumed:
                self._resumed.add(device)
                out = [end] if t == end else [end, t]
        if out:
            self._last[device] = out[-1]
        return out


@dataclass
class Passive:
    """A passive-seal trip KHC104 → KHC103: exit read, gate out, gate in, arrival read."""

    idx: int
    deadline: datetime | None = None  # default: exit + 15 route minutes
    exit_read: bool = True
    gate_in: timedelta | None = timedelta(minutes=14)
    arrival: timedelta | None = timedelta(minutes=16)
    arrival_operator: str = "OP-KHC103-01"
    feed: Feed = field(default_factory=Feed)

    def build(self) -> Feed:
        f = self.feed
        i = self.idx
        cn_no, seal_no = f"CN26KP{i:04d}", f"PS{i:05d}"
        plate, container = f"KLB-{1000 + i}", _container(500 + i)
        cn: dict[str, Any] = {
            "action": "new",
            "container_no": container,
            "plate": plate,
            "origin": ORIGIN,
            "destination": DESTINATION,
            "seal_type": "passive",
            "seal_no": seal_no,
            "tool_type": 3,
            "route_id": ROUTE_ID,
        }
        if self.deadline is not None:
            cn["deadline"] = _ts(self.deadline)
        f.cn(T0, cn_no, **cn)
        if self.exit_read:
            f.passive(T0 + timedelta(minutes=3), seal_no, "exit", ORIGIN, "OP-KHC104-01", cn_no)
        f.gate(T0 + timedelta(minutes=4), EXIT_GATE, "out", plate, container, True)
        if self.gate_in is not None:
            f.gate(T0 + self.gate_in, ENTRY_GATE, "in", plate, container, True)
        if self.arrival is not None:
            f.passive(T0 + self.arrival, seal_no, "arrival", DESTINATION, self.arrival_operator, cn_no)
        return f


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    expect: tuple[tuple[str, int], ...]  # (code, occurrences)
    build: Callable[[int], tuple[Feed, datetime]]
    order_independent: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def vehicle(**kwargs: Any) -> Callable[[int], tuple[Feed, datetime]]:
    return lambda idx: Vehicle(idx, **kwargs).build()


def passive(**kwargs: Any) -> Callable[[int], tuple[Feed, datetime]]:
    def make(idx: int) -> tuple[Feed, datetime]:
        feed = Passive(idx, **kwargs).build()
        return feed, max(at for at, _t, _p in feed.lines)

    return make


def _gap(kind: str, seconds: int) -> Callable[[int], tuple[Feed, datetime]]:
    gap = timedelta(seconds=seconds)
    return lambda idx: (
        Vehicle(idx, unit_gap=(6, gap)) if kind == "unit" else Vehicle(idx, seal_gap=(5, gap))
    ).build()


MIN = timedelta(minutes=1)
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("vehicle_normal", "A vehicle-seal trip that goes by the book: no alert.", (), vehicle()),
    Scenario(
        "cn_replace_refused",
        "A replace and a cancel after the vehicle seal is confirmed are refused "
        "(recorded with the reason); the trip runs normally.",
        (),
        vehicle(),
        extra={"cn_changes": True},
    ),
    # SEAL_PIN_FAULT
    Scenario(
        "seal_pin_fault",
        "Pin fault report and event mid-route: one alert, one occurrence.",
        (("SEAL_PIN_FAULT", 1),),
        vehicle(pin_fault_at=6),
    ),
    Scenario(
        "seal_pin_fault_near",
        "Pin fault only after the seal unlocked in the destination.",
        (),
        vehicle(after=["pin_fault"]),
        order_independent=False,  # an event after the end, delivered before the end, counts
    ),
    # SEAL_LOST
    Scenario(
        "seal_lost",
        "The seal falls silent mid-route for good; the unit arrives.",
        (("SEAL_LOST", 1),),
        vehicle(seal_stops_at=5, complete=False),
        order_independent=False,
        extra={"until_after_end": 0},
    ),
    Scenario(
        "seal_lost_near",
        "The seal is silent for 4 min 59 s, then reports again.",
        (),
        _gap("seal", 299),
        order_independent=False,
    ),
    # SEAL_SEPARATED
    Scenario(
        "seal_separated",
        "Seal fix 350 m from the unit in 3 consecutive seal reports.",
        (("SEAL_SEPARATED", 1),),
        vehicle(seal_offset=lambda i: 350.0 if 4 <= i <= 8 else 0.0),
    ),
    Scenario(
        "seal_separated_near",
        "299 m in 3 reports, then 350 m in only 2 consecutive reports.",
        (),
        vehicle(seal_offset=lambda i: 299.0 if 2 <= i <= 6 else 350.0 if 10 <= i <= 12 else 0.0),
    ),
    # UNIT_POWER_REMOVED
    Scenario(
        "unit_power_removed",
        "power_removed event and backup-power fixes mid-route: one occurrence.",
        (("UNIT_POWER_REMOVED", 1),),
        vehicle(power_removed_at=6),
    ),
    Scenario(
        "unit_power_removed_near",
        "Power removed and restored before the sealing; again after unsealing.",
        (),
        vehicle(power_removed_before_sealing=True, after=["power_removed"]),
        order_independent=False,  # an event after the end, delivered before the end, counts
    ),
    # VEHICLE_LOST
    Scenario(
        "vehicle_lost",
        "The unit falls silent mid-route; the seal (LTE) reports on and unseals.",
        (("VEHICLE_LOST", 1),),
        vehicle(unit_stops_at=6),
        order_independent=False,
    ),
    Scenario(
        "vehicle_lost_near",
        "The unit is silent for 4 min 59 s, then reports again.",
        (),
        _gap("unit", 299),
        order_independent=False,
    ),
    # Dependent alerts
    Scenario(
        "power_removed_then_lost",
        "Unit power cut: the unit and the BLE-relayed seal fall silent. The "
        "seal's loss of contact is linked to its cause.",
        (("UNIT_POWER_REMOVED", 1), ("VEHICLE_LOST", 1), ("SEAL_LOST", 1)),
        vehicle(power_removed_at=6, unit_stops_at=6, seal_stops_at=6, complete=False),
        order_independent=False,
        extra={"caused_by": {"SEAL_LOST": "UNIT_POWER_REMOVED"}, "until_after_end": 0},
    ),
    # SEAL_BROKEN
    Scenario(
        "seal_broken",
        "Tamper reported mid-route (status and event): one occurrence.",
        (("SEAL_BROKEN", 1),),
        vehicle(tamper_at=8),
    ),
    Scenario(
        "seal_broken_near",
        "Tamper only after the seal unlocked in the destination.",
        (),
        vehicle(after=["tamper"]),
        order_independent=False,  # an event after the end, delivered before the end, counts
    ),
    # EXIT_UNSEALED
    Scenario(
        "exit_unsealed",
        "The seal is only inserted, never locked, when the truck passes the gate out.",
        (("EXIT_UNSEALED", 1),),
        vehicle(exit_states=("inserted", "inserted")),
        order_independent=False,
    ),
    Scenario(
        "exit_unsealed_near",
        "Inserted at first, locked before the gate.",
        (),
        vehicle(exit_states=("inserted", "locked")),
    ),
    # ARRIVAL_LATE (it was overdue before it arrived, so OVERDUE_NOT_ARRIVED comes first)
    Scenario(
        "arrival_late",
        "No CN deadline: sealing + 15 route minutes; the truck crawls at 12 km/h.",
        (("OVERDUE_NOT_ARRIVED", 1), ("ARRIVAL_LATE", 1)),
        vehicle(deadline=None, speed_kmh=12.0),
        order_independent=False,
    ),
    Scenario(
        "arrival_late_near", "Route deadline, arrives after about 10 minutes.", (), vehicle(deadline=None)
    ),
    # OVERDUE_NOT_ARRIVED
    Scenario(
        "overdue_not_arrived",
        "Sealed, then waits in the origin yard past the 15-minute deadline.",
        (("OVERDUE_NOT_ARRIVED", 1),),
        vehicle(deadline=None, wait_in_origin=16 * MIN, drive=False, complete=False),
        order_independent=False,
        extra={"until_after_end": 0},
    ),
    Scenario(
        "overdue_not_arrived_near",
        "Waits in the origin yard; replay stops at the deadline itself.",
        (),
        vehicle(deadline=None, wait_in_origin=14 * MIN, drive=False, complete=False),
        order_independent=False,
        extra={"until_deadline": True},
    ),
    # SEAL_LOW_BATTERY
    Scenario(
        "seal_low_battery",
        "Battery falls to 19 % mid-route: one alert, later reports are the same episode.",
        (("SEAL_LOW_BATTERY", 1),),
        vehicle(battery=lambda i: 21 if i < 8 else 19),
    ),
    Scenario(
        "seal_low_battery_near", "Battery falls to 20 %.", (), vehicle(battery=lambda i: 21 if i < 8 else 20)
    ),
    # GATE_NO_INSPECTION
    Scenario(
        "gate_no_inspection",
        "Out through KH-G7 (inspection required) without 儀檢.",
        (("GATE_NO_INSPECTION", 1),),
        vehicle(inspected=False),
    ),
    Scenario("gate_no_inspection_near", "Out through KH-G7 with 儀檢 done.", (), vehicle(inspected=True)),
    # ROUTE_DEVIATION
    Scenario(
        "route_deviation",
        "4 consecutive fixes 600 m off the corridor.",
        (("ROUTE_DEVIATION", 1),),
        vehicle(off_route=frozenset({6, 7, 8, 9})),
    ),
    Scenario(
        "route_deviation_near",
        "3 consecutive fixes off the corridor, twice.",
        (),
        vehicle(off_route=frozenset({3, 4, 5, 9, 10, 11})),
    ),
    # ABNORMAL_STOP
    Scenario(
        "abnormal_stop",
        "Stopped for 15 minutes on the road, outside every station.",
        (("ABNORMAL_STOP", 1),),
        vehicle(stop=(7, 15 * MIN)),
    ),
    Scenario(
        "abnormal_stop_near",
        "Stopped for 14 min 30 s.",
        (),
        vehicle(stop=(7, timedelta(minutes=14, seconds=30))),
    ),
    # Passive / paper seals
    Scenario(
        "passive_normal",
        "Passive seal: exit read, gate out, gate in, arrival read in time by an "
        "operator of the destination: no alert.",
        (),
        passive(),
    ),
    Scenario(
        "s2_not_read_at_exit",
        "Passive seal passes the gate out with no exit read.",
        (("S2", 1),),
        passive(exit_read=False),
        order_independent=False,
    ),
    Scenario("s2_near", "Exit read one minute before the gate.", (), passive(exit_read=True)),
    Scenario(
        "s3_late_entry",
        "Arrival read 2 minutes after the deadline (exit read + 15 min); S7 was raised at the deadline.",
        (("S7", 1), ("S3", 1)),
        passive(gate_in=None, arrival=timedelta(minutes=20)),
        order_independent=False,
    ),
    Scenario(
        "s3_near",
        "Arrival read exactly at the deadline.",
        (),
        passive(gate_in=None, arrival=timedelta(minutes=18)),
    ),
    Scenario(
        "s4_unauthorised_reader",
        "Arrival read by the origin's operator, not authorised for KHC103.",
        (("S4", 1),),
        passive(arrival_operator="OP-KHC104-01"),
    ),
    Scenario("s4_near", "Arrival read by the destination's own operator.", (), passive()),
    Scenario(
        "s7_overdue_not_entered",
        "No arrival read by the deadline; escalation due 12 h later.",
        (("S7", 1),),
        passive(gate_in=None, arrival=None),
        order_independent=False,
        extra={"until_after_end": 60},
    ),
    Scenario(
        "s7_near",
        "Arrival read one second before the deadline.",
        (),
        passive(gate_in=None, arrival=timedelta(minutes=17, seconds=59)),
    ),
    Scenario(
        "s8_not_read_at_arrival",
        "Gate in at the destination, arrival read only 40 minutes later.",
        (("S8", 1),),
        passive(deadline=T0 + timedelta(hours=3), arrival=timedelta(minutes=54)),
        order_independent=False,
    ),
    Scenario(
        "s8_near",
        "Arrival read 29 min 59 s after the gate in.",
        (),
        passive(deadline=T0 + timedelta(hours=3), arrival=timedelta(minutes=43, seconds=59)),
    ),
)


def _cn_changes(feed: Feed, idx: int, at: datetime) -> None:
    v = Vehicle(idx)
    feed.cn(at, v.cn_no, action="cancel")
    feed.cn(
        at + timedelta(seconds=1),
        v.cn_no,
        action="replace",
        container_no=v.container,
        plate=v.plate,
        origin=ORIGIN,
        destination=DESTINATION,
        seal_type="vehicle",
        seal_no=v.seal_no,
        tool_type=2,
    )


def main() -> None:
    for old in HERE.glob("*.jsonl"):
        old.unlink()
    for idx, scenario in enumerate(SCENARIOS, start=1):
        feed, end = scenario.build(idx)
        if scenario.extra.get("cn_changes"):
            _cn_changes(feed, idx, T0 + timedelta(minutes=6))
        if scenario.extra.get("until_deadline"):
            until = T0 + timedelta(minutes=18)
        else:
            until = end + timedelta(minutes=scenario.extra.get("until_after_end", 30))
        (HERE / f"{scenario.name}.jsonl").write_text(feed.jsonl(), encoding="utf-8")
        sidecar = {
            "description": scenario.description,
            "until": _ts(until),
            "expect": [{"code": code, "occurrences": n} for code, n in scenario.expect],
            "order_independent": scenario.order_independent,
            "setup": {"operators": OPERATORS},
        }
        if "caused_by" in scenario.extra:
            sidecar["caused_by"] = scenario.extra["caused_by"]
        (HERE / f"{scenario.name}.json").write_text(
            json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
