"""Ingest events cross from the ingest thread to the GUI thread here, and are delivered in batches
on a timer, so the map and the lists repaint at their own pace rather than once per message."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from controlroom.services.ingest import IngestEvent


class EventBridge(QObject):
    batch = Signal(list)  # list[IngestEvent], on the GUI thread

    def __init__(self, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: list[IngestEvent] = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._drain)
        self._timer.start(interval_ms)

    def push(self, event: IngestEvent) -> None:
        """Called on any thread (the ingest consumer)."""
        with self._lock:
            self._pending.append(event)

    def _drain(self) -> None:
        with self._lock:
            events, self._pending = self._pending, []
        if events:
            self.batch.emit(events)
