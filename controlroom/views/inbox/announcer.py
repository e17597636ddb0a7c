"""Announce new high-severity alerts until they are acknowledged: a flashing row and a sound.

The sound is a short two-tone chime written as a WAV file into a private temporary directory at
run time and played with QSoundEffect when Qt Multimedia loads and an audio output exists; otherwise
(no audio stack, headless, tests) it falls back to ``QApplication.beep``. The officer can silence
the sound; the row keeps flashing until the alert is acknowledged, and a new high alert
re-arms the sound.
"""

from __future__ import annotations

import logging
import math
import struct
import tempfile
import wave
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import QApplication

from controlroom.views.inbox.model import InboxModel

logger = logging.getLogger(__name__)

FLASH_MS = 600
SOUND_EVERY_MS = 5000
_RATE = 22050


def write_chime(path: Path) -> Path:
    """A 0.6 s two-tone chime (880 Hz then 660 Hz), 16-bit mono."""
    frames = bytearray()
    for i in range(int(_RATE * 0.6)):
        t = i / _RATE
        tone = 880.0 if t < 0.3 else 660.0
        envelope = min(1.0, (0.3 - (t % 0.3)) * 20, (t % 0.3) * 50)
        frames += struct.pack("<h", int(12000 * envelope * math.sin(2 * math.pi * tone * t)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(_RATE)
        out.writeframes(bytes(frames))
    return path


def _sound_effect(parent: QObject, directory: Path) -> Any | None:
    """A QSoundEffect with the chime, or None where Qt Multimedia or an audio output is missing."""
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect  # optional: needs an audio stack
    except ImportError as error:
        logger.info("Qt Multimedia unavailable (%s); alerts will use the system beep", error)
        return None
    if not QMediaDevices.audioOutputs():
        logger.info("no audio output; alerts will use the system beep")
        return None
    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(write_chime(directory / "alert.wav"))))
    effect.setVolume(0.8)
    return effect


class Announcer(QObject):
    """Flashes announced rows in the model and sounds until every announced alert is acknowledged."""

    sounded = Signal()
    changed = Signal()

    def __init__(self, model: InboxModel, sound: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._pending: set[int] = set()
        self._flash_on = False
        self._silenced = False
        self._sound_enabled = sound
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._effect: Any | None = None
        self.sound_count = 0
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_MS)
        self._flash.timeout.connect(self._toggle)
        self._repeat = QTimer(self)
        self._repeat.setInterval(SOUND_EVERY_MS)
        self._repeat.timeout.connect(self._sound)

    @property
    def pending(self) -> frozenset[int]:
        return frozenset(self._pending)

    @property
    def silenced(self) -> bool:
        return self._silenced

    def announce(self, alert_ids: set[int] | frozenset[int] | list[int]) -> None:
        new = set(alert_ids) - self._pending
        if not new:
            return
        self._pending |= new
        self._silenced = False
        if not self._flash.isActive():
            self._flash.start()
        self._sound()
        if not self._repeat.isActive():
            self._repeat.start()
        self.changed.emit()

    def settle(self, alert_ids: set[int] | frozenset[int] | list[int]) -> None:
        """These alerts were acknowledged (or shelved, handled, closed): stop announcing them."""
        if not self._pending & set(alert_ids):
            return
        self._pending -= set(alert_ids)
        if not self._pending:
            self.stop()
        else:
            self._model.set_flash(frozenset(self._pending), self._flash_on)
        self.changed.emit()

    def silence(self) -> None:
        self._silenced = True
        self._repeat.stop()
        self.changed.emit()

    def stop(self) -> None:
        self._flash.stop()
        self._repeat.stop()
        self._flash_on = False
        self._model.set_flash(frozenset(), False)

    def close(self) -> None:
        self._pending.clear()
        self.stop()
        if self._effect is not None:
            self._effect.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def _toggle(self) -> None:
        self._flash_on = not self._flash_on
        self._model.set_flash(frozenset(self._pending), self._flash_on)

    def _sound(self) -> None:
        if self._silenced or not self._pending or not self._sound_enabled:
            return
        if self._effect is None and self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="controlroom-sound-")
            self._effect = _sound_effect(self, Path(self._tmp.name))
        if self._effect is not None:
            self._effect.play()
        else:
            QApplication.beep()
        self.sound_count += 1
        self.sounded.emit()
