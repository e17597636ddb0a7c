"""Run blocking work (database, files) on a worker thread and deliver the result on the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

logger = logging.getLogger(__name__)


class TaskRunner(QObject):
    """Owns one small thread pool; callbacks run in the thread that owns this object (the GUI thread)."""

    _finished = Signal(object, object, object)  # callback, result, error

    def __init__(self, parent: QObject | None = None, workers: int = 2) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="controlroom-task")
        self._pending: set[Future[Any]] = set()
        self._closed = False
        self._finished.connect(self._deliver)

    def submit(
        self,
        work: Callable[[], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Future[Any]:
        if self._closed:
            logger.debug("task submitted after shutdown ignored")
            future: Future[Any] = Future()
            future.cancel()
            return future
        future = self._pool.submit(work)
        self._pending.add(future)

        def done(f: Future[Any]) -> None:
            self._pending.discard(f)
            error = f.exception()
            self._finished.emit(on_error if error else on_result, None if error else f.result(), error)

        future.add_done_callback(done)
        return future

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    @Slot(object, object, object)
    def _deliver(
        self, callback: Callable[[Any], None] | None, result: Any, error: BaseException | None
    ) -> None:
        if error is not None and callback is None:
            logger.error("background task failed", exc_info=error)
            return
        if callback is not None:
            callback(error if error is not None else result)

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)


class TaskGroup:
    """A panel's share of the TaskRunner: counts its own pending work (tests and screenshots wait for
    `idle`) and sends failures to the panel's error handler unless a call brings its own."""

    def __init__(self, runner: TaskRunner, on_error: Callable[[BaseException], None]) -> None:
        self._runner = runner
        self._on_error = on_error
        self._pending = 0

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def submit(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._pending += 1

        def finished(result: Any) -> None:
            self._pending -= 1
            done(result)

        def failed(error: BaseException) -> None:
            self._pending -= 1
            (on_error or self._on_error)(error)

        self._runner.submit(work, finished, failed)
