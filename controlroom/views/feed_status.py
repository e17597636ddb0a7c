"""The status-bar view of the feed's health: connected, messages/s, last message age, dead letters.

A degraded feed (disconnected, or connected but silent) is shown with text, an icon-like mark and the
alarm colour, so it is noticed from across the room; a healthy feed stays calm grey.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from controlroom.feed.health import HealthSnapshot
from controlroom.views.theme import ALARM_HIGH, MUTED


class FeedStatus(QWidget):
    def __init__(
        self,
        snapshot: Callable[[], HealthSnapshot | None],
        parent: QWidget | None = None,
        interval_ms: int = 1000,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("feed_status")
        self._snapshot = snapshot
        self.state = QLabel()
        self.state.setObjectName("feed_state")
        self.rate = QLabel()
        self.age = QLabel()
        self.dead = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label in (self.state, self.rate, self.age, self.dead):
            layout.addWidget(label)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(interval_ms)
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        snap = self._snapshot()
        if snap is None:
            self._show(self.tr("■ Feed: not started"), degraded=True)
            for label in (self.rate, self.age, self.dead):
                label.clear()
            return
        if snap.degraded:
            self._show(self.tr("▲ Feed degraded: {reason}").format(reason=self._reason(snap)), degraded=True)
        else:
            self._show(self.tr("● Feed connected"), degraded=False)
        self.rate.setText(self.tr("{rate:.1f} msg/s").format(rate=snap.messages_per_s))
        if snap.last_message_age_s is None:
            self.age.setText(self.tr("no message yet"))
        else:
            self.age.setText(self.tr("last message {age:.0f} s ago").format(age=snap.last_message_age_s))
        self.dead.setText(self.tr("dead letters {count}").format(count=snap.dead_letters))

    def _reason(self, snap: HealthSnapshot) -> str:
        """The core states reasons in English for logs; the officer reads them in the UI language."""
        if not snap.connected:
            return self.tr("disconnected")
        if snap.reason == "central ingest silent":
            return self.tr("no new data from the central ingest")
        if snap.last_message_age_s is not None:
            return self.tr("no message for {seconds:.0f} s").format(seconds=snap.last_message_age_s)
        return self.tr("silent")

    def _show(self, text: str, degraded: bool) -> None:
        self.state.setText(text)
        colour = ALARM_HIGH if degraded else MUTED
        weight = "bold" if degraded else "normal"
        self.state.setStyleSheet(f"color: {colour}; font-weight: {weight};")
