"""MapView: the offline map page in a QWebEngineView, fed with truck positions in batches on a timer.

Positions arrive at the data rate (`set_trucks`, any number of calls per second); the view keeps only
the latest state per truck and pushes ONE `fleet.update(...)` per tick, and only when something changed
and the previous batch has been taken by the page. Clicks come back through QWebChannel.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from controlroom.views.map.page import MapOptions, MapReference, build_map_page, default_page_dir
from controlroom.views.tasks import TaskRunner

logger = logging.getLogger(__name__)
READY_GRACE_MS = 20_000

LOCAL_SCHEMES = frozenset({"file", "qrc", "data"})


class TruckState(StrEnum):
    MOVING = "moving"
    STOPPED = "stopped"
    LOST = "lost"  # lost contact: no fix for longer than the threshold


@dataclass(frozen=True, slots=True)
class TruckMarker:
    """What the map shows of one monitored trip."""

    trip_id: int
    lat: float
    lon: float
    heading: float | None  # degrees clockwise from north
    state: TruckState
    label: str  # plate or CN number
    age_s: float  # seconds since the last fix
    alert: bool  # an alert is open on the trip

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.trip_id,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "heading": None if self.heading is None else round(self.heading),
            "state": self.state.value,
            "label": self.label,
            "age_s": round(self.age_s),
            "alert": self.alert,
        }

    def encode(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class UpdateStats:
    """The last batch pushed to the page: size, Python encode time, round trip, time spent in JS."""

    count: int = 0
    encode_ms: float = 0.0
    round_trip_ms: float = 0.0
    js_ms: float = 0.0
    batches: int = 0


class LocalOnlyInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request that is not file:, qrc: or data: (or under an allowed prefix) and counts it."""

    def __init__(self, allowed_prefixes: Iterable[str] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._allowed = tuple(p for p in allowed_prefixes if p)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() in LOCAL_SCHEMES:
            return
        text = url.toString()
        if self._allowed and text.startswith(self._allowed):
            return
        info.block(True)
        self.blocked.append(text)
        logger.warning("map page: blocked a non-local request to %s", url.host() or text[:80])


class _Page(QWebEnginePage):
    """Sends the page's console to Python logging (a JavaScript error is a bug and logged as one)."""

    _LEVELS: ClassVar[dict[QWebEnginePage.JavaScriptConsoleMessageLevel, int]] = {
        QWebEnginePage.JavaScriptConsoleMessageLevel.InfoMessageLevel: logging.DEBUG,
        QWebEnginePage.JavaScriptConsoleMessageLevel.WarningMessageLevel: logging.WARNING,
        QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel: logging.ERROR,
    }

    def javaScriptConsoleMessage(
        self, level: QWebEnginePage.JavaScriptConsoleMessageLevel, message: str, line: int, source: str
    ) -> None:
        logger.log(self._LEVELS.get(level, logging.WARNING), "map page: %s (%s:%d)", message, source, line)


class _Bridge(QObject):
    """The object the page sees as `bridge` through QWebChannel."""

    clicked = Signal(int)
    released = Signal()
    ready = Signal()

    @Slot(int)
    def truckClicked(self, trip_id: int) -> None:
        self.clicked.emit(trip_id)

    @Slot()
    def followReleased(self) -> None:
        self.released.emit()

    @Slot()
    def pageReady(self) -> None:
        self.ready.emit()


class MapView(QWidget):
    """The live map. Load a page built by `page.build_map_page`, then feed it with `set_trucks`."""

    loaded = Signal(bool)
    truck_clicked = Signal(int)
    follow_released = Signal()
    batch_pushed = Signal(object)  # UpdateStats, after the page has taken a batch

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        update_interval_ms: int = 1000,
        allowed_url_prefixes: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        # children are deleted in creation order: the view (and its page) before the profile, so Qt
        # never warns that a profile was released while its page still existed
        self._view = QWebEngineView(self)
        profile = QWebEngineProfile(self)  # off the record: no cache or cookies on disk
        allowed = tuple(allowed_url_prefixes)
        self._interceptor = LocalOnlyInterceptor(allowed, profile)
        profile.setUrlRequestInterceptor(self._interceptor)
        page = _Page(profile, self._view)
        # a file: page may reach the network only when a site tile server is configured, and then
        # only under its prefix (the interceptor blocks the rest)
        page.settings().setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, bool(allowed)
        )
        self._bridge = _Bridge(self)
        self._channel = QWebChannel(page)
        self._channel.registerObject("bridge", self._bridge)
        page.setWebChannel(self._channel)
        self._view.setPage(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)

        # trip id → the truck's latest state, already encoded as JSON (encoding as data arrives spreads
        # the cost over the second instead of one long stall at the tick)
        self._pending: dict[int, str] = {}
        self._latest: dict[int, str] = {}  # every truck on the map, to repopulate a reloaded page
        self._removed: set[int] = set()
        self._follow: int | None = None
        self._follow_dirty = False
        self._ready = False
        self._in_flight = False
        self.stats = UpdateStats()

        self._timer = QTimer(self)
        self._timer.setInterval(update_interval_ms)
        self._timer.timeout.connect(self.flush)
        self._page_path: Path | None = None
        page.loadFinished.connect(self._on_load_finished)
        page.renderProcessTerminated.connect(self._on_renderer_gone)
        self._bridge.clicked.connect(self.truck_clicked)
        self._bridge.released.connect(self._on_follow_released)
        self._bridge.ready.connect(self._on_bridge_ready)

    # -- page ---------------------------------------------------------------------------------------

    def load_page(self, page: Path) -> None:
        """Load a page written by `build_map_page` (from a file, so its relative assets resolve)."""
        self._ready = False
        self._in_flight = False
        self._timer.stop()
        self._page_path = page
        self._view.load(QUrl.fromLocalFile(str(page)))

    def build_and_load(
        self,
        runner: TaskRunner,
        reference: MapReference,
        options: MapOptions | None = None,
        out_dir: Path | None = None,
    ) -> None:
        """Write the page on the runner's worker thread, then load it here; `loaded` reports the end."""
        folder = out_dir or default_page_dir()
        runner.submit(lambda: build_map_page(folder, reference, options), self.load_page, self._build_failed)

    def _build_failed(self, error: BaseException) -> None:
        logger.error("could not build the map page", exc_info=error)
        self.loaded.emit(False)

    @property
    def blocked_requests(self) -> list[str]:
        """Non-local requests the page tried and the interceptor blocked (should stay empty)."""
        return list(self._interceptor.blocked)

    @property
    def web_view(self) -> QWebEngineView:
        return self._view

    @property
    def is_ready(self) -> bool:
        return self._ready

    def run_js(self, script: str, callback: Any = None) -> None:
        """Run a script in the page; with a callback, the script's result (return JSON strings)."""
        if callback is None:
            self._view.page().runJavaScript(script)
        else:
            self._view.page().runJavaScript(script, 0, callback)

    @Slot(bool)
    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            logger.error("map page failed to load")
            self.loaded.emit(False)
            return
        self.run_js("typeof fleet !== 'undefined' && fleet.ready === true", self._on_ready_checked)

    def _on_ready_checked(self, ready: object) -> None:
        # On success the page calls bridge.pageReady() once its QWebChannel is connected, which can
        # come after loadFinished on a busy machine: only a page still not ready after a grace period
        # has failed.
        if ready is not True and not self._ready:
            QTimer.singleShot(READY_GRACE_MS, self, self._check_ready_late)

    def _check_ready_late(self) -> None:
        if not self._ready and self._page_path is not None:
            logger.error("map page loaded but its fleet layer did not start")
            self.loaded.emit(False)

    @Slot()
    def _on_bridge_ready(self) -> None:
        # a fresh page knows no trucks: give it all of them, and the follow lock
        self._pending = dict(self._latest)
        self._removed = set()
        self._follow_dirty = self._follow is not None
        self._in_flight = False
        self._ready = True
        self._timer.start()
        self.flush()
        self.loaded.emit(True)

    # -- trucks -------------------------------------------------------------------------------------

    def set_trucks(self, markers: Iterable[TruckMarker]) -> None:
        """Buffer the latest state per truck; the next tick pushes them in one batch. Never blocks."""
        for marker in markers:
            encoded = marker.encode()
            self._pending[marker.trip_id] = encoded
            self._latest[marker.trip_id] = encoded
            self._removed.discard(marker.trip_id)

    def remove_trucks(self, trip_ids: Iterable[int]) -> None:
        for trip_id in trip_ids:
            self._pending.pop(trip_id, None)
            self._latest.pop(trip_id, None)
            self._removed.add(trip_id)

    def follow(self, trip_id: int | None) -> None:
        """Lock the map onto a truck (None releases); applied with the next batch."""
        self._follow = trip_id
        self._follow_dirty = True
        if self._ready and not self._in_flight:
            self.flush()

    @property
    def followed(self) -> int | None:
        return self._follow

    @property
    def dirty(self) -> bool:
        return bool(self._pending or self._removed or self._follow_dirty)

    @Slot()
    def flush(self) -> None:
        """Push what changed since the last batch as ONE runJavaScript call (skipped while one is out)."""
        if not self._ready or self._in_flight or not self.dirty:
            return
        started = time.perf_counter()
        parts = []
        count = len(self._pending)
        if self._pending:
            batch = "[" + ",".join(self._pending.values()) + "]"
            parts.append(f"var r = fleet.update({json.dumps(batch)});")
        else:
            parts.append("var r = JSON.stringify({n: 0, ms: 0});")
        if self._removed:
            parts.append(f"fleet.remove({json.dumps(json.dumps(sorted(self._removed)))});")
        if self._follow_dirty:
            parts.append(f"fleet.follow({json.dumps(self._follow)});")
        self._pending = {}
        self._removed = set()
        self._follow_dirty = False
        encoded = time.perf_counter()
        self._in_flight = True

        def done(result: object) -> None:
            self._in_flight = False
            finished = time.perf_counter()
            js_ms = 0.0
            if isinstance(result, str) and result:
                js_ms = float(json.loads(result).get("ms", 0.0))
            self.stats = UpdateStats(
                count=count,
                encode_ms=(encoded - started) * 1000,
                round_trip_ms=(finished - encoded) * 1000,
                js_ms=js_ms,
                batches=self.stats.batches + 1,
            )
            self.batch_pushed.emit(self.stats)

        self.run_js("(function () {" + "".join(parts) + "return r;})()", done)

    def _on_renderer_gone(self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int) -> None:
        self._ready = False
        self._timer.stop()
        if status == QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus:
            return
        logger.error("map renderer process ended (%s, exit code %d); reloading the page", status.name, code)
        if self._page_path is not None:
            self.load_page(self._page_path)

    @Slot()
    def _on_follow_released(self) -> None:
        self._follow = None
        self.follow_released.emit()

    def fit_trucks(self, max_zoom: int = 12) -> None:
        """Zoom the map to show every truck (no-op before the page is ready or without trucks)."""
        if self._ready:
            options = f"{{maxZoom: {int(max_zoom)}, padding: [40, 40]}}"
            self.run_js(
                "if (fleet.group && fleet.group.getLayers().length) "
                f"fleet.map.fitBounds(fleet.group.getBounds(), {options});"
            )

    def fit_once_when_trucks_arrive(self) -> None:
        """The first batch with trucks frames them; after that the officer's pan and zoom are left alone."""

        def first(stats: object) -> None:
            if self._latest:
                self.batch_pushed.disconnect(first)
                self.fit_trucks()

        self.batch_pushed.connect(first)

    def shutdown(self) -> None:
        """Stop the repaint timer (the composition root calls this on quit)."""
        self._timer.stop()
        self._page_path = None  # a page still starting up is no longer expected to report
