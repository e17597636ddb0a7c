"""The `controlroom` command: the GUI demo and the headless tools (database, users, audit, reference data).

This module is the CLI's output layer: it alone prints. Heavy imports stay inside the commands so
that `controlroom --help` is quick and headless commands never load Qt.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from controlroom import __version__
from controlroom.settings import Settings

logger = logging.getLogger(__name__)
Handler = Callable[[argparse.Namespace, Settings], int]


def _db(args: argparse.Namespace, settings: Settings, **options: Any) -> Any:
    """Open (migrate, seed) the command's database; it is disposed when the command returns."""
    from controlroom.storage.database import open_database

    database = open_database(args.db or settings.db_url, **options)
    args.resources.callback(database.dispose)
    return database


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise SystemExit("passwords do not match")
    return first


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from controlroom.app import run_gui

    return run_gui(settings.model_copy(update={"db_url": args.db or settings.db_url}), demo=True)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from controlroom.app import run_gui

    update = {"db_url": args.db or settings.db_url, "broker_url": args.broker or settings.broker_url}
    return run_gui(settings.model_copy(update=update), demo=False)


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from controlroom.storage import migrate
    from controlroom.storage.engine import make_engine

    engine = make_engine(args.db or settings.db_url)
    if args.action == "upgrade":
        migrate.upgrade(engine, args.revision or "head")
    elif args.action == "downgrade":
        migrate.downgrade(engine, args.revision or "base")
    print(migrate.current_revision(engine) or "(empty)")
    engine.dispose()
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    from controlroom.storage.seed import seed_reference_data

    database = _db(args, settings, seed=False)
    with database.transaction() as session:
        report = seed_reference_data(session, overwrite=args.overwrite)
    print(json.dumps({"inserted": report.inserted, "updated": report.updated}, ensure_ascii=False))
    return 0


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    from controlroom.domain.roles import Role
    from controlroom.storage import users

    database = _db(args, settings)
    actor = f"cli:{getpass.getuser()}"
    try:
        if args.action == "add":
            password = _read_password(args)
            with database.transaction() as session:
                users.add_user(
                    session,
                    username=args.username,
                    display_name=args.name or args.username,
                    role=Role(args.role),
                    password=password,
                    actor=actor,
                    customs_house=args.customs_house,
                )
            print(f"added {args.username} ({args.role})")
        elif args.action == "passwd":
            password = _read_password(args)
            with database.transaction() as session:
                users.set_password(session, username=args.username, password=password, actor=actor)
            print(f"password changed for {args.username}")
        else:
            with database.transaction() as session:
                rows = [
                    {"username": u.username, "name": u.display_name, "role": u.role.value, "active": u.active}
                    for u in users.list_users(session)
                ]
            _emit(rows, args.json, ("username", "name", "role", "active"))
    except users.AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from controlroom.storage import audit

    database = _db(args, settings)
    with database.transaction() as session:
        report = audit.verify(session)
    if report.ok:
        print(f"audit chain intact: {report.entries} entries")
        return 0
    print(f"audit chain BROKEN at entry {report.broken_at}: {report.reason}")
    return 1


def cmd_reference(args: argparse.Namespace, settings: Settings) -> int:
    from controlroom.storage import reference

    database = _db(args, settings)
    with database.transaction() as session:
        rows = {
            "stations": reference.stations_json,
            "routes": reference.routes_json,
            "gates": reference.gates_json,
        }[args.command](session)
    columns = {
        "stations": ("code", "name_zh", "customs_house"),
        "routes": ("route_id", "origin", "destination"),
        "gates": ("gate_id", "station", "inspection_required"),
    }[args.command]
    _emit(rows, args.json, columns)
    return 0


def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import datetime
    from pathlib import Path

    from controlroom.services.replay import ReplayError, replay_file

    until = None
    if args.until:
        until = datetime.fromisoformat(args.until.replace("Z", "+00:00"))
        if until.tzinfo is None:
            raise SystemExit("--until needs a UTC offset, e.g. 2026-11-22T10:00:00+08:00")
    database = _db(args, settings)
    try:
        stats = replay_file(database, Path(args.file), until=until)
    except (ReplayError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    print(
        json.dumps(
            {
                "accepted": stats.accepted,
                "rejected": stats.rejected,
                "duplicates": stats.duplicates,
                "alerts": stats.alerts,
            }
        )
    )
    return 0


def cmd_alerts(args: argparse.Namespace, settings: Settings) -> int:
    from controlroom.services.queries import alerts_json

    database = _db(args, settings)
    with database.transaction() as session:
        rows = alerts_json(session)
    database.dispose()
    _emit(rows, args.json, ("raised_at", "code", "status", "cn_no", "plate", "seal_no", "occurrences"))
    return 0


def cmd_deadletters(args: argparse.Namespace, settings: Settings) -> int:
    from controlroom.services.queries import dead_letters_json

    database = _db(args, settings)
    with database.transaction() as session:
        rows = dead_letters_json(session)
    database.dispose()
    _emit(rows, args.json, ("received_at", "topic", "reason_code", "reason"))
    return 0


def _broker_config(args: argparse.Namespace, settings: Settings, default_client_id: str | None = None) -> Any:
    import os

    from controlroom.feed.mqtt import BrokerConfig

    url = args.broker or settings.broker_url
    if not url:
        raise SystemExit("give the broker with --broker mqtt[s]://host[:port] (or CONTROLROOM_BROKER_URL)")
    try:
        return BrokerConfig.from_url(
            url,
            client_id=args.client_id or default_client_id,
            username=args.username,
            password=os.environ.get("CONTROLROOM_BROKER_PASSWORD"),
            ca_file=args.ca_file,
            cert_file=args.cert_file,
            key_file=args.key_file,
            topic_root=args.topic_root or settings.topic_root,
        )
    except ValueError as error:
        raise SystemExit(f"bad broker URL: {error}") from None


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    import signal
    import threading

    from controlroom.services.live import LiveIngest

    config = _broker_config(args, settings)
    database = _db(args, settings)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    live = LiveIngest(database, config)
    try:
        live.start()
        print(f"ingesting {config.subscription} from {config.url} as {config.client_id}", file=sys.stderr)
        while not stop.wait(args.status_every):
            health = live.health_snapshot()
            state = f"DEGRADED ({health.reason})" if health.degraded else "ok"
            print(
                f"feed {state}: {health.messages_per_s:.1f} msg/s, {health.messages_total} received, "
                f"{health.dead_letters} dead letters, {health.reconnects} reconnects",
                file=sys.stderr,
            )
    finally:
        live.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        database.dispose()
    stats = live.stats()
    print(
        json.dumps(
            {
                "processed": stats.processed,
                "accepted": stats.accepted,
                "rejected": stats.rejected,
                "duplicates": stats.duplicates,
                "alerts": stats.alerts,
                "failures": stats.failures,
            }
        )
    )
    return 0


def cmd_simulate(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import datetime
    from pathlib import Path

    from controlroom.simulator.scenario import TAIPEI, SimulationConfig, generate, scenario_setup, write_jsonl
    from controlroom.simulator.world import load_world

    world = load_world()
    start = datetime.fromisoformat(args.start) if args.start else datetime.now(TAIPEI).replace(microsecond=0)
    try:
        config = SimulationConfig(
            trucks=args.trucks,
            seed=args.seed,
            fault_rate=args.fault_rate,
            start=start,
            duration_s=args.duration,
            topic_root=args.topic_root or settings.topic_root,
        )
    except ValueError as error:
        raise SystemExit(str(error)) from None
    messages = generate(config, world)
    if args.jsonl:
        sidecar = {
            "description": f"simulator: {args.trucks} trucks, seed {args.seed}, fault rate {args.fault_rate}",
            "setup": scenario_setup(world),
        }
        count = write_jsonl(messages, Path(args.jsonl), sidecar=sidecar)
        print(json.dumps({"written": count, "file": args.jsonl}))
        return 0
    from controlroom.simulator.publisher import run_publish

    broker = _broker_config(args, settings, default_client_id=f"controlroom-sim-{args.seed}")
    if args.speedup <= 0:
        raise SystemExit("--speedup must be positive")
    print(f"publishing {len(messages)} messages to {broker.url} at {args.speedup}x", file=sys.stderr)
    try:
        count = run_publish(messages, broker, speedup=args.speedup)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    print(json.dumps({"published": count}))
    return 0


def _emit(rows: list[dict[str, Any]], as_json: bool, columns: Sequence[str]) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        print("\t".join(str(row[c]) for c in columns))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="controlroom", description="Customs joint management center")
    parser.add_argument("--version", action="version", version=f"controlroom {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--db", help="database URL (default: SQLite in the user data directory)")
        command.set_defaults(handler=handler)
        return command

    add("demo", cmd_demo, "start the desktop application on the embedded defaults")
    run = add(
        "run",
        cmd_run,
        "start the desktop application: own ingest with --broker, else a client of a "
        "central ingest that shares the database",
    )
    run.add_argument(
        "--broker", help="mqtt[s]://host:port of the feed broker (password: CONTROLROOM_BROKER_PASSWORD)"
    )

    db = add("db", cmd_db, "show, upgrade or downgrade the database schema")
    db.add_argument("action", choices=("current", "upgrade", "downgrade"))
    db.add_argument("revision", nargs="?")

    seed = add("seed", cmd_seed, "load the shipped reference data (stations, routes, gates, thresholds)")
    seed.add_argument("--overwrite", action="store_true", help="replace rows an administrator edited")

    users = add("users", cmd_users, "add users, change passwords, list users")
    users.add_argument("action", choices=("add", "list", "passwd"))
    users.add_argument("username", nargs="?")
    users.add_argument(
        "--role",
        default="duty_officer",
        choices=(
            "duty_officer",
            "section_chief",
            "division_chief",
            "unit_head",
            "technician",
            "administrator",
        ),
    )
    users.add_argument("--name", help="display name")
    users.add_argument("--customs-house", choices=("keelung", "taipei", "taichung", "kaohsiung"))
    users.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    users.add_argument("--json", action="store_true")

    audit = add("audit", cmd_audit, "verify the hash-chained audit log")
    audit.add_argument("action", choices=("verify",))

    for name in ("stations", "routes", "gates"):
        reference = add(name, cmd_reference, f"list the {name} of the reference data")
        reference.add_argument("--json", action="store_true", help="GeoJSON geometry, one object per row")

    replay = add("replay", cmd_replay, "replay a recorded feed (JSON Lines) through the ingest pipeline")
    replay.add_argument("file", help='JSONL: one {"at", "topic", "payload"} per line')
    replay.add_argument("--until", help="advance the clock to this RFC 3339 time at the end, firing timers")

    alerts = add("alerts", cmd_alerts, "list the alerts")
    alerts.add_argument("--json", action="store_true")

    deadletters = add("deadletters", cmd_deadletters, "list the rejected feed messages (dead letters)")
    deadletters.add_argument("--json", action="store_true")

    def broker_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--broker", help="mqtt://host[:port] or mqtts://… (default: CONTROLROOM_BROKER_URL)"
        )
        command.add_argument(
            "--client-id", help="MQTT client id (keep it stable: the session survives restarts)"
        )
        command.add_argument("--topic-root", help="feed topic root (default iot/v1)")
        command.add_argument("--username", help="broker user (password from CONTROLROOM_BROKER_PASSWORD)")
        command.add_argument("--ca-file", help="CA certificates for mqtts")
        command.add_argument("--cert-file", help="client certificate for mqtts")
        command.add_argument("--key-file", help="client key for mqtts")

    ingest = add("ingest", cmd_ingest, "headless live ingest from the MQTT feed until SIGINT/SIGTERM")
    broker_options(ingest)
    ingest.add_argument("--status-every", type=float, default=60.0, help="seconds between status lines")

    simulate = add("simulate", cmd_simulate, "publish a seeded simulated feed (trucks, seals, gates, faults)")
    broker_options(simulate)
    simulate.add_argument("--trucks", type=int, default=10)
    simulate.add_argument("--speedup", type=float, default=1.0, help="simulated seconds per real second")
    simulate.add_argument("--seed", type=int, default=1)
    simulate.add_argument("--fault-rate", type=float, default=0.1, help="share of trips with a fault (0..1)")
    simulate.add_argument(
        "--duration", type=float, help="simulated seconds (default: until every trip is over)"
    )
    simulate.add_argument("--start", help="RFC 3339 start of the simulated time (default: now, +08:00)")
    simulate.add_argument("--jsonl", help="write a replay file (and its sidecar) instead of publishing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "users" and args.action in ("add", "passwd") and not args.username:
        raise SystemExit("users add/passwd need a USERNAME")
    handler: Handler = args.handler
    with contextlib.ExitStack() as resources:
        args.resources = resources
        return handler(args, Settings())


if __name__ == "__main__":
    sys.exit(main())
