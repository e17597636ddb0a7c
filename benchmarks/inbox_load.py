"""The alert inbox against a large history: load 1,000,000 alerts into SQLite, then time the inbox.

    .venv/bin/python benchmarks/inbox_load.py [--rows 1000000] [--open 2000] [--db PATH] [--keep]

Bulk-loads historical alerts (two years, almost all closed, a few thousand open) straight through
the SQLite driver, then measures what the officer waits for: the inbox's initial load (open alerts
plus the recently closed), building the Qt model and proxy over it, filtering and sorting it, and
the database-side history search (filter, sort, one page, with and without the total count).
Memory is reported as the tracemalloc peak of the inbox load and the process's RSS. Prints JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from controlroom.domain.catalogue import CATALOGUE
from controlroom.models.enums import AlertStatus
from controlroom.rules.clock import ManualClock
from controlroom.services.inbox import (
    Assignment,
    HistoryQuery,
    InboxFilter,
    InboxService,
    SortKey,
    filter_rows,
    flood_groups,
    sort_rows,
)
from controlroom.storage.database import open_database

NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
SPAN = timedelta(days=730)
STATIONS = ["KHC101", "KHC102", "KHC103", "KHC104", "KHY201", "KHB301", "KLC101", "KLC102"]
STATIONS += ["KLY201", "KLY202", "TPC101", "TPY201", "TPB301", "TCC101", "TCB201", "TCY301"]
# Passive seals carry almost all the load today [004]: weight their codes up.
WEIGHTS = {code: (6 if kind.family.value == "passive" else 1) for code, kind in CATALOGUE.items()}
OPEN_STATES = [s.value for s in AlertStatus if s is not AlertStatus.CLOSED]
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's DATETIME storage format on SQLite (UTC, naive)


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(work: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best of ``repeat`` wall-clock times in milliseconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, (time.perf_counter() - start) * 1000)
    return round(best, 2), result


def _alerts(count: int, open_count: int, seed: int = 20261123) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(seed)
    codes, weights = list(WEIGHTS), list(WEIGHTS.values())
    for n in range(count):
        code = rng.choices(codes, weights)[0]
        kind = CATALOGUE[code]
        is_open = n >= count - open_count  # the newest alerts are the open ones
        if is_open:
            raised = NOW - timedelta(seconds=rng.randint(0, 3 * 86400))
            status = rng.choice(OPEN_STATES)
        else:
            raised = NOW - SPAN + timedelta(seconds=int(SPAN.total_seconds() * n / count))
            status = AlertStatus.CLOSED.value
        origin, destination = rng.sample(STATIONS, 2)
        stamp = raised.replace(tzinfo=None).strftime(_SQLITE_TIME)
        yield (
            code,
            kind.family.value,
            kind.severity.value,
            kind.side.value,
            status,
            f"CN{raised:%Y%m%d}{n % 100000:05d}",
            f"TGHU{n % 10_000_000:07d}",
            f"K{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}{n % 10000:04d}",
            f"VS{n:08d}",
            origin,
            destination,
            stamp,
            stamp,
            1 + (n % 7 == 0) * rng.randint(1, 5),
            "{}",
            "duty1" if status != AlertStatus.UNACKNOWLEDGED.value and n % 3 else None,
            1,
        )


def bulk_load(url: str, count: int, open_count: int, batch: int = 50_000) -> dict[str, Any]:
    database = open_database(url)  # migrated and seeded
    columns = (
        "code, family, severity, side, status, cn_no, container_no, plate, seal_no, origin, destination, "
        "raised_at, last_occurrence_at, occurrences, facts, assignee, version"
    )
    sql = f"INSERT INTO alerts ({columns}) VALUES ({', '.join('?' * 17)})"
    start = time.perf_counter()
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        rows = _alerts(count, open_count)
        while True:
            chunk = [row for _, row in zip(range(batch), rows, strict=False)]
            if not chunk:
                break
            cursor.executemany(sql, chunk)
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    seconds = time.perf_counter() - start
    database.dispose()
    return {
        "rows": count,
        "open": open_count,
        "seconds": round(seconds, 2),
        "rows_per_s": round(count / seconds),
    }


def measure_inbox(url: str) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from controlroom.services.inbox import AlertList
    from controlroom.views.inbox.model import Col, InboxModel, InboxProxy

    app = QApplication.instance() or QApplication([])
    database = open_database(url, upgrade=False, seed=False)
    inbox = InboxService(database, ManualClock(NOW))
    inbox.station_houses()
    result: dict[str, Any] = {}

    gc.collect()
    tracemalloc.start()
    load_ms, rows = _timed(inbox.load_open)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["open_load"] = {"ms": load_ms, "rows": len(rows), "tracemalloc_peak_mb": round(peak / 2**20, 2)}
    result["open_load_repeat_ms"] = _timed(inbox.load_open, repeat=3)[0]

    gc.collect()
    tracemalloc.start()
    model_ms, (alerts, model, proxy) = _timed(lambda: _model(AlertList, InboxModel, InboxProxy, rows))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["qt_model_build"] = {"ms": model_ms, "tracemalloc_peak_mb": round(peak / 2**20, 2)}
    query = proxy.filter
    result["qt_filter_ms"] = {
        "text_search_plate": _timed(lambda: proxy.set_filter(query.with_(text="KAB")))[0],
        "code_S7": _timed(lambda: proxy.set_filter(InboxFilter(codes=frozenset({"S7"}))))[0],
        "house_kaohsiung_unassigned": _timed(
            lambda: proxy.set_filter(InboxFilter(customs_house="kaohsiung", assignment=Assignment.UNASSIGNED))
        )[0],
        "clear": _timed(lambda: proxy.set_filter(InboxFilter()))[0],
    }
    result["qt_sort_ms"] = {
        "severity": _timed(lambda: proxy.sort(Col.SEVERITY, Qt.SortOrder.AscendingOrder))[0],
        "time_desc": _timed(lambda: proxy.sort(Col.TIME, Qt.SortOrder.DescendingOrder))[0],
        "state": _timed(lambda: proxy.sort(Col.STATE, Qt.SortOrder.AscendingOrder))[0],
    }
    newest = rows[0]
    result["qt_live_insert_ms"] = _timed(
        lambda: alerts.add_or_update([type(newest)(**{**_fields(newest), "id": 10**9, "raised_at": NOW})])
    )[0]
    result["plain_filter_sort_ms"] = {
        "filter_text": _timed(lambda: filter_rows(rows, InboxFilter(text="KAB")), repeat=3)[0],
        "sort_severity": _timed(lambda: sort_rows(rows, SortKey.SEVERITY), repeat=3)[0],
        "flood_groups_all_open": _timed(lambda: flood_groups(rows), repeat=3)[0],
    }

    history = {
        "newest_page_no_count": HistoryQuery(count_total=False),
        "newest_page_with_count": HistoryQuery(),
        "code_and_house_page": HistoryQuery(
            filter=InboxFilter(codes=frozenset({"S7"}), customs_house="keelung")
        ),
        "plate_search_page": HistoryQuery(filter=InboxFilter(text="KAB12")),
        "closed_oldest_first": HistoryQuery(
            filter=InboxFilter(states=frozenset({AlertStatus.CLOSED})), descending=False, count_total=False
        ),
        "one_month_window": HistoryQuery(since=NOW - timedelta(days=60), until=NOW - timedelta(days=30)),
        "deep_page_offset_500000": HistoryQuery(offset=500_000, count_total=False),
    }
    result["history_ms"] = {}
    for name, q in history.items():
        ms, page = _timed(lambda q=q: inbox.history(q))  # type: ignore[misc]
        result["history_ms"][name] = {"ms": ms, "rows": len(page.rows), "total": page.total}

    gc.collect()
    tracemalloc.start()
    ms, page = _timed(lambda: inbox.history(HistoryQuery(limit=100_000, count_total=False)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["history_100k_rows"] = {
        "ms": ms,
        "tracemalloc_peak_mb": round(peak / 2**20, 2),
        "bytes_per_row_peak": round(peak / max(1, len(page.rows))),
    }
    result["rss_mb"] = round(_rss_mb(), 1)
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    model.detach()
    database.dispose()
    del app
    return result


def _fields(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in row.__dataclass_fields__}


def _model(alert_list: Any, model_cls: Any, proxy_cls: Any, rows: list[Any]) -> tuple[Any, Any, Any]:
    alerts = alert_list(rows)
    model = model_cls(alerts, lambda: NOW)
    proxy = proxy_cls()
    proxy.setSourceModel(model)
    proxy.sort(0, proxy.sortOrder())
    return alerts, model, proxy


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=2_000, help="how many of the rows are open alerts")
    parser.add_argument("--db", type=Path, help="SQLite file (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="inbox-bench-") as tmp:
        path = args.db or Path(tmp) / "inbox.db"
        if path.exists():
            path.unlink()
        url = f"sqlite:///{path}"
        report: dict[str, Any] = {"backend": "sqlite", "python": sys.version.split()[0]}
        report["bulk_insert"] = bulk_load(url, args.rows, args.open)
        report["db_file_mb"] = round(path.stat().st_size / 2**20, 1)
        report.update(measure_inbox(url))
        if args.keep and args.db is None:
            kept = Path.cwd() / "inbox-bench.db"
            path.replace(kept)
            report["kept"] = str(kept)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
