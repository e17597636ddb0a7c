"""The composition root: settings → database → services → feed → main window, with an explicit
start-up and shutdown sequence. Everything else receives what it needs in its constructor."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from sqlalchemy.engine import make_url

from controlroom.domain.roles import Role
from controlroom.platform_check import ensure_qt_runtime, prepare_webengine_environment
from controlroom.settings import Settings
from controlroom.storage import users
from controlroom.storage.database import Database, open_database

logger = logging.getLogger(__name__)


class AccountService:
    """What the account dialogs may do; each call is one transaction, run on a worker thread."""

    def __init__(self, database: Database) -> None:
        self._database = database

    @staticmethod
    def _session(user: Any) -> dict[str, Any]:
        return {"username": user.username, "display_name": user.display_name, "role": user.role.value}

    def needs_bootstrap(self) -> bool:
        with self._database.transaction() as session:
            return users.needs_bootstrap(session)

    def create_administrator(self, username: str, display_name: str, password: str) -> dict[str, Any]:
        with self._database.transaction() as session:
            if not users.needs_bootstrap(session):
                raise users.AccountError("admin_exists", "an administrator already exists")
            user = users.add_user(
                session,
                username=username,
                display_name=display_name,
                role=Role.ADMINISTRATOR,
                password=password,
                actor=f"bootstrap:{username}",
            )
            return self._session(user)

    def login(self, username: str, password: str) -> dict[str, Any]:
        with self._database.transaction() as session:
            user = users.authenticate(session, username, password)
            if user is None:
                raise users.AccountError("bad_credentials", "wrong username or password")
            return self._session(user)


def prepare_qt_environment() -> None:
    """QtWebEngine cannot start its sandbox as root or without user namespaces: see platform_check."""
    prepare_webengine_environment()


def run_gui(settings: Settings, demo: bool = False) -> int:
    ensure_qt_runtime()
    prepare_qt_environment()
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must be loaded before the QApplication exists)
    from PySide6.QtWidgets import QApplication

    from controlroom.views.i18n import Translations
    from controlroom.views.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("controlroom")
    app.setOrganizationName("controlroom")
    apply_theme(app)
    translations = Translations(app)
    translations.switch(settings.language)
    database = open_database(settings.db_url)
    try:
        session = _sign_in(database)
        if session is None:
            return 1
        shell = Shell(app, settings, database, translations, session, demo)
        shell.start()
        code = app.exec()
        shell.stop()
        return code
    finally:
        database.dispose()
        translations.switch("en")  # leave the QApplication as it was found (it may be embedded)


def _sign_in(database: Database) -> dict[str, Any] | None:
    from PySide6.QtWidgets import QDialog

    from controlroom.views.account_dialogs import BootstrapDialog, LoginDialog
    from controlroom.views.tasks import TaskRunner

    tasks = TaskRunner()
    accounts = AccountService(database)
    try:
        dialog: BootstrapDialog | LoginDialog
        if accounts.needs_bootstrap():
            dialog = BootstrapDialog(tasks, accounts.create_administrator)
        else:
            dialog = LoginDialog(tasks, accounts.login)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.session if accepted else None
    finally:
        tasks.shutdown()


def watched_health(last: Any, silence_s: float = 120.0) -> Any:
    """The feed as a client workstation sees it: through the age of the newest fix in the database."""
    from datetime import UTC, datetime

    from controlroom.feed.health import HealthSnapshot

    age = None if last is None else (datetime.now(UTC) - last).total_seconds()
    degraded = age is None or age > silence_s
    reason = "central ingest silent" if degraded else ""
    return HealthSnapshot(
        connected=True,
        messages_per_s=0.0,
        last_message_at=last,
        last_message_age_s=age,
        messages_total=0,
        dead_letters=0,
        reconnects=0,
        degraded=degraded,
        reason=reason,
    )


class Shell:
    """Owns the running services and the window; rebuilds the window when the language changes."""

    def __init__(
        self,
        app: Any,
        settings: Settings,
        database: Database,
        translations: Any,
        session: dict[str, Any],
        demo: bool,
    ) -> None:
        from controlroom.rules.clock import SystemClock
        from controlroom.services.cases import Actor, CaseService
        from controlroom.services.fleet import FleetPicture
        from controlroom.services.inbox import InboxService
        from controlroom.views.event_bridge import EventBridge
        from controlroom.views.tasks import TaskRunner

        self.app, self.settings, self.database, self.translations = app, settings, database, translations
        self.session = session
        self.demo = demo
        self.clock = SystemClock()
        self.actor = Actor(session["username"], Role(session["role"]))
        self.tasks = TaskRunner(app)
        self.cases = CaseService(database, self.clock)
        self.inbox = InboxService(database, self.clock)
        self.fleet = FleetPicture()
        self.bridge = EventBridge()
        self.feed: Any = None
        self.watcher: Any = None
        self.window: Any = None
        self.wall: Any = None
        self.map_reference: Any = None

    # -- start and stop ----------------------------------------------------------------------------

    def start(self) -> None:
        from controlroom.views.map.page import MapReference

        def load() -> Any:
            from controlroom.storage.reference import gates_json, routes_json, stations_json

            self.fleet.load(self.database)
            with self.database.transaction() as session:
                return MapReference(stations_json(session), routes_json(session), gates_json(session))

        self.map_reference = load()  # before the first window: a few small queries at start-up
        self.build_window()
        self.bridge.batch.connect(self._on_events)
        self._start_feed()

    def _start_feed(self) -> None:
        """Demo: the embedded fleet. With a broker: our own ingest. Otherwise: watch the shared database."""
        if self.demo:
            from controlroom.demo import DemoFeed, DemoOptions

            options = DemoOptions(broker_url=self.settings.broker_url)
            self.feed = DemoFeed(self.database, options, on_event=self.bridge.push)
            self.tasks.submit(self.feed.start, self._feed_started, self._feed_failed)
        elif self.settings.broker_url:
            from controlroom.feed.mqtt import BrokerConfig
            from controlroom.services.live import LiveIngest

            config = BrokerConfig.from_url(
                self.settings.broker_url,
                topic_root=self.settings.topic_root,
                password=os.environ.get("CONTROLROOM_BROKER_PASSWORD"),
            )
            self.feed = LiveIngest(self.database, config, on_event=self.bridge.push)
            self.feed.start()
        else:
            self._watch_database()

    def _watch_database(self) -> None:
        """Client of a central ingest: learn of changes by polling the shared database."""
        from PySide6.QtCore import QTimer

        from controlroom.services.watch import DatabaseWatcher

        watcher = DatabaseWatcher(self.database)
        self.watcher = watcher
        self._poll_timer = QTimer()
        self._poll_timer.timeout.connect(lambda: self.tasks.submit(watcher.poll, self._on_events))
        self._poll_timer.start(2000)
        self.tasks.submit(watcher.poll, self._on_events)

    def _feed_started(self, _result: object) -> None:
        from controlroom.services.fleet import fetch_active

        # The demo replayed its history straight into the database: read the picture again.
        self.tasks.submit(lambda: fetch_active(self.database), self.fleet.replace)
        if self.window is not None:
            self.window.panels.inbox.load()
            self.window.show_feed_started()

    def _feed_failed(self, error: BaseException) -> None:
        logger.error("the feed could not start: %s", error)
        if self.window is not None:
            self.window.statusBar().showMessage(
                self.window.tr("The feed could not start: {error}").format(error=error)
            )

    def health(self) -> Any:
        if self.watcher is not None:
            return watched_health(self.watcher.last_received_at)
        if self.feed is None:
            return None
        return self.feed.health_snapshot()

    def stop(self) -> None:
        if self.watcher is not None:
            self._poll_timer.stop()
        if self.feed is not None:
            self.feed.stop()
        from PySide6.QtCore import QCoreApplication, QEvent

        for view in (self.wall, self.window):
            if view is not None:
                view.shutdown()
                view.close()
                view.deleteLater()
        self.wall = self.window = None
        self.tasks.shutdown()
        # Delete the windows now, while the application still exists: a web page outliving its
        # profile at exit crashes QtWebEngine.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    # -- windows -----------------------------------------------------------------------------------

    def build_window(self) -> None:
        from controlroom.services import fleet as fleet_service
        from controlroom.storage.reference import stations_json
        from controlroom.views.cases.panel import CasePanel
        from controlroom.views.inbox.panel import InboxPanel
        from controlroom.views.main_window import MainWindow, Panels
        from controlroom.views.map.map_view import MapView
        from controlroom.views.map.page import MapOptions
        from controlroom.views.trips_panel import TripsPanel

        def load_detail(trip_id: int, done: Any) -> None:
            self.tasks.submit(lambda: fleet_service.trip_detail(self.database, trip_id), done)

        def load_stations() -> list[dict[str, Any]]:
            with self.database.transaction() as session:
                return stations_json(session)

        def reload_trips(trip_ids: set[int]) -> None:
            self.tasks.submit(lambda: fleet_service.fetch_trips(self.database, trip_ids), self.fleet.merge)

        map_view = MapView(allowed_url_prefixes=(self.settings.tile_url or "",))
        language = "zh" if self.translations.language == "zh_TW" else "en"
        options = MapOptions(language=language, tile_url=self.settings.tile_url)
        map_view.build_and_load(self.tasks, self.map_reference, options)
        panels = Panels(
            map=map_view,
            trips=TripsPanel(load_detail),
            inbox=InboxPanel(self.tasks, self.inbox, self.cases, self.actor),
            case=CasePanel(self.tasks, self.cases, self.actor, self.clock),
        )
        label = make_url(self.settings.db_url).render_as_string(hide_password=True)
        window = MainWindow(
            self.tasks,
            panels,
            self.fleet,
            load_stations,
            reload_trips,
            self.session,
            label,
            self.health,
            self.clock.now,
        )
        window.language_requested.connect(self.switch_language)
        window.wall_requested.connect(self.show_wall)
        window.resize(1600, 1000)
        window.show()
        panels.inbox.load()
        self.window = window

    def _on_events(self, events: list[Any]) -> None:
        if self.window is not None:
            self.window.on_events(events)
        if self.wall is not None:
            self.wall.on_events(events)

    def switch_language(self, language: str) -> None:
        """Qt widgets take their texts when built: save the layout, rebuild the window in the new language."""
        old = self.window
        old.save_layout()
        self.translations.switch(language)
        self.window = None
        old.shutdown()
        old.close()
        old.deleteLater()
        self.build_window()

    def show_wall(self) -> None:
        from controlroom.views.map.map_view import MapView
        from controlroom.views.map.page import MapOptions
        from controlroom.views.wall import WallWindow

        if self.wall is not None and self.wall.isVisible():
            self.wall.raise_()
            return
        map_view = MapView()
        map_view.build_and_load(self.tasks, self.map_reference, MapOptions(zoom=9))
        self.wall = WallWindow(map_view, self.fleet, self.clock.now, self.translations.language)
        self.window.repaint_fleet()
        self.wall.show_on_wall()
