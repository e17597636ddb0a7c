"""Cost of live map updates: 1,000 and 5,000 trucks, each reporting once a second.

Positions arrive spread over the second (ten slices of the fleet every 100 ms) and go through
MapView.set_trucks; the view pushes one batch per 1 s tick. Per batch we record the Python encode time,
the runJavaScript round trip (the cost of set_trucks, which encodes each truck as it arrives, is
recorded per slice), the time fleet.update spends in JavaScript and the time from the start of
fleet.update to the next animation frame (the canvas repaint). A 10 ms QTimer measures how late the GUI
thread gets to it (its worst stall). Offscreen, software rendering, 1920x1080.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/map_update.py [--seconds 20] [--sizes 1000 5000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from controlroom.views.map.map_view import MapView, TruckMarker, TruckState, UpdateStats
from controlroom.views.map.page import MapOptions, build_map_page, reference_from_files

KAOHSIUNG_PORT = (22.585, 120.31)


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class StallProbe:
    """A 10 ms timer; the worst lateness of its ticks is the longest the GUI thread was busy."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval_ms = interval_ms
        self.lateness: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.lateness.clear()
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        elapsed = self._clock.nsecsElapsed() / 1e6
        self._clock.restart()
        self.lateness.append(max(0.0, elapsed - self.interval_ms))


class Fleet:
    """n trucks driving random headings around the port; one slice reports per call."""

    def __init__(self, n: int, seed: int = 7) -> None:
        rng = random.Random(seed)
        self.rng = rng
        self.n = n
        self.lat = [KAOHSIUNG_PORT[0] + rng.uniform(-0.05, 0.05) for _ in range(n)]
        self.lon = [KAOHSIUNG_PORT[1] + rng.uniform(-0.06, 0.06) for _ in range(n)]
        self.heading = [rng.uniform(0, 360) for _ in range(n)]
        self.alert = [rng.random() < 0.02 for _ in range(n)]
        self.lost = [rng.random() < 0.02 for _ in range(n)]

    def report(self, first: int, last: int) -> list[TruckMarker]:
        out = []
        for i in range(first, last):
            if not self.lost[i]:
                rad = math.radians(self.heading[i])
                self.lat[i] += 0.0001 * math.cos(rad)
                self.lon[i] += 0.0001 * math.sin(rad)
                self.heading[i] = (self.heading[i] + self.rng.uniform(-10, 10)) % 360
            out.append(
                TruckMarker(
                    trip_id=i + 1,
                    lat=self.lat[i],
                    lon=self.lon[i],
                    heading=None if self.lost[i] else self.heading[i],
                    state=TruckState.LOST if self.lost[i] else TruckState.MOVING,
                    label=f"KL{i:05d}",
                    age_s=700.0 if self.lost[i] else 1.0,
                    alert=self.alert[i],
                )
            )
        return out


def _summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1),
        "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max": round(ordered[-1], 1),
    }


def run(view: MapView, n: int, seconds: float) -> dict[str, Any]:
    fleet = Fleet(n)
    view.set_trucks(fleet.report(0, n))  # everyone on the map before measuring
    _wait(2500)
    batches: list[UpdateStats] = []
    frames: list[float] = []

    def on_batch(stats: object) -> None:
        assert isinstance(stats, UpdateStats)
        batches.append(stats)

        def read_frame(result: object) -> None:
            if isinstance(result, str) and result:
                frame = float(json.loads(result)["lastFrameMs"])
                if frame > 0:
                    frames.append(frame)

        QTimer.singleShot(300, lambda: view.run_js("fleet.statsJson()", read_frame))

    slices = 10
    position = [0]

    feed_ms: list[float] = []

    def feed() -> None:
        k = position[0] % slices
        markers = fleet.report(k * n // slices, (k + 1) * n // slices)
        t0 = time.perf_counter()
        view.set_trucks(markers)  # encodes each truck as it arrives
        feed_ms.append((time.perf_counter() - t0) * 1000)
        position[0] += 1

    feeder = QTimer()
    feeder.setInterval(1000 // slices)
    feeder.timeout.connect(feed)
    probe = StallProbe()
    view.batch_pushed.connect(on_batch)
    started = time.perf_counter()
    feeder.start()
    probe.start()
    _wait(int(seconds * 1000))
    probe.stop()
    feeder.stop()
    _wait(500)
    view.batch_pushed.disconnect(on_batch)
    lateness = sorted(probe.lateness)
    return {
        "trucks": n,
        "seconds": round(time.perf_counter() - started, 1),
        "batches": len(batches),
        "batch_size": _summary([float(b.count) for b in batches]),
        "set_trucks_ms_per_slice": _summary(feed_ms),
        "slice_size": n // slices,
        "python_batch_build_ms": _summary([b.encode_ms for b in batches]),
        "round_trip_ms": _summary([b.round_trip_ms for b in batches]),
        "js_update_ms": _summary([b.js_ms for b in batches]),
        "js_update_to_next_frame_ms": _summary(frames),
        "gui_stall_ms": {
            "max": round(lateness[-1], 1) if lateness else None,
            "p99": round(lateness[int(0.99 * (len(lateness) - 1))], 1) if lateness else None,
            "ticks": len(lateness),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory(prefix="controlroom-map-bench-") as folder:
        page = build_map_page(
            Path(folder), reference_from_files(), MapOptions(center=KAOHSIUNG_PORT, zoom=12)
        )
        results = []
        for n in args.sizes:
            view = MapView(update_interval_ms=1000)
            view.resize(1920, 1080)
            view.show()
            loop = QEventLoop()
            view.loaded.connect(lambda _ok, loop=loop: loop.quit())
            view.load_page(page)
            loop.exec()
            results.append(run(view, n, args.seconds))
            view.shutdown()
            view.close()
            view.deleteLater()
            _wait(200)
    print(json.dumps({"qt": "offscreen, software rendering", "results": results}, indent=2))
    app.quit()


if __name__ == "__main__":
    main()
