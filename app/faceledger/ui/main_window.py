"""The main window: navigation, pages, history and menus. It owns the wiring: pages emit
signals, the window connects them (drill-downs through `ui/navigation.py`) and fills its own menus.
It is always built lazily (docs/startup.md): navigation and empty menus first, the rest after the
first paint."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from faceledger.data.dates import data_date, readable_date
from faceledger.data.entities import ENTITIES
from faceledger.data.links import lookalike_warning, refuse_reason
from faceledger.data.repositories import Repositories
from faceledger.startup import after_first_paint
from faceledger.ui import style
from faceledger.ui.accessibility import name_navigation
from faceledger.ui.settings import Settings

if TYPE_CHECKING:
    # Imported where first used: none of them is needed for the window's first paint (a Qt
    # class's Python type, with its enums, is made when first named: QKeySequence, QAction,
    # QMouseEvent and the rest cost a few milliseconds together).
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QAction, QCloseEvent, QKeySequence

    from faceledger.ui.about_page import AboutPage
    from faceledger.ui.charts_page import ChartsPage
    from faceledger.ui.entity_page import EntityPage
    from faceledger.ui.export_dialog import ExportController
    from faceledger.ui.global_search import GlobalSearch
    from faceledger.ui.navigation import Navigator

PAGE_ORDER = (
    "vendors",
    "customers",
    "deployments",
    "customer_counts",
    "studies",
    "events",
    "sources",
    "datasets",
)


# Qt.ItemDataRole.UserRole, where the navigation items keep their entity. Qt takes the role as an
# int; naming it through `Qt` before the first paint would create the Python enums of the whole Qt
# namespace (about 100, 15 ms): `Qt` is imported after the first paint.
USER_ROLE = 0x0100
DEFAULT_SIZE = (1360, 840)  # the window's first size, made smaller to fit a smaller screen
CHARTS_ENTRY = ("charts", "Charts\n3 charts", "Charts (Ctrl+9)")  # its page: ui/charts_page.py
# Its page: ui/about_page.py, also the first start's welcome.
ABOUT_ENTRY = ("about", "About the data", "About the data: sources, licences, dates (Ctrl+0)")


class History:
    """Back/forward over visited records (entity, id)."""

    def __init__(self) -> None:
        self._items: list[tuple[str, str]] = []
        self._pos = -1

    def push(self, item: tuple[str, str]) -> None:
        if 0 <= self._pos < len(self._items) and self._items[self._pos] == item:
            return
        del self._items[self._pos + 1 :]
        self._items.append(item)
        self._pos = len(self._items) - 1

    def back(self) -> tuple[str, str] | None:
        if self._pos > 0:
            self._pos -= 1
            return self._items[self._pos]
        return None

    def forward(self) -> tuple[str, str] | None:
        if self._pos + 1 < len(self._items):
            self._pos += 1
            return self._items[self._pos]
        return None

    @property
    def can_back(self) -> bool:
        return self._pos > 0

    @property
    def can_forward(self) -> bool:
        return self._pos + 1 < len(self._items)


class LazyPages(dict[str, "EntityPage"]):
    """Pages by entity, each built by `factory` the first time it is asked for."""

    def __init__(self, factory: Callable[[str], EntityPage]) -> None:
        super().__init__()
        self._factory = factory

    def __missing__(self, entity: str) -> EntityPage:
        page = self._factory(entity)
        self[entity] = page
        return page


class MainWindow(QMainWindow):
    """Built by the composition root with everything it needs passed in."""

    url_refused = Signal(str, str)
    started = Signal()  # the first page, the Charts page and the export actions are in place

    def __init__(self, repos: Repositories, settings: Settings, parent: QWidget | None = None) -> None:
        """The window's first paint shows the navigation, the menus (empty) and the status bar;
        the first page (Vendors) is built right after that paint (`finish_start`), and once its
        rows have painted the Charts page, the menus' actions and the export actions. A page asked
        for earlier (`show_page`, `current_page`) is built when asked for."""
        super().__init__(parent)
        self.repos = repos
        self.settings = settings
        self.history = History()
        self._navigating = False
        self._started = False
        self._rest_done = False
        self._last_page: EntityPage | None = None
        self._charts: ChartsPage | None = None
        self._about: AboutPage | None = None
        self.welcome = False  # show the About page as a welcome when the first page is built
        self._navigator: Navigator | None = None
        self.export_controller: ExportController | None = None  # with the File menu's export actions
        self.setWindowTitle("FaceLedger — face recognition and law enforcement, with sources")
        self.setObjectName("mainWindow")
        # Pages are built when first shown: start-up builds only the Vendors page.
        self.pages: LazyPages = LazyPages(self._make_page)
        self._build()
        self._build_menus()
        self._connect_signals()
        self._restore_state()
        after_first_paint(self, self.finish_start)

    def finish_start(self) -> None:
        """Build what the first paint does not show: the first page at once; then, once its rows
        have painted, the Charts page, the export actions of the File menu and the mouse's
        back/forward buttons. Called right after the window's first paint."""
        if self._started:
            return
        self._started = True
        from PySide6.QtCore import Qt  # noqa: PLC0415

        self._build_actions()
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The status bar (about 4 ms to build) comes with the first page, in the frame after the first.
        self.statusBar().addPermanentWidget(self.data_label)
        if self._last_page is None:
            self.show_page(PAGE_ORDER[0])
        if self.welcome:
            self.show_welcome()
            if self.isVisible():  # the welcome is the first page shown: the rest waits for its paint
                self.about.painted.connect(lambda: QTimer.singleShot(0, self._finish_rest))
                QTimer.singleShot(2000, self._finish_rest)  # unless it is never painted (minimised)
                return
        page = self._last_page
        if page is not None and not page.painted_or_hidden:
            # The rest (export actions, Charts, an application-wide event filter that makes PySide
            # load the Python types of most Qt classes) waits until the page's rows have painted.
            page.background_started.connect(lambda: QTimer.singleShot(0, self._finish_rest))
        else:
            QTimer.singleShot(0, self._finish_rest)

    def _finish_rest(self) -> None:
        if self._rest_done:
            return
        self._rest_done = True
        from faceledger.ui.export_dialog import ExportController  # noqa: PLC0415 (not at start)

        controller = ExportController(self, self.repos, self.settings, self.current_page)
        self.file_menu.insertActions(self.act_brief, controller.actions)  # the exports head the menu
        self.file_menu.insertSeparator(self.act_quit)
        self.addActions(controller.actions)
        self.export_controller = controller
        self.charts  # noqa: B018 (the page behind the navigation's Charts entry, Ctrl+9)
        self.about  # noqa: B018 (the About the data page, Ctrl+0)
        # Back/forward mouse buttons anywhere in the window. An application-wide Python event
        # filter makes PySide wrap every object and event of the application, which first loads
        # the Python types (and ~190 enums, ~30 ms) of most Qt classes: after the first paint.
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.started.emit()

    @property
    def charts(self) -> ChartsPage:
        """The Charts page (Ctrl+9, the navigation's last entry), built after the first page."""
        if self._charts is None:
            from faceledger.ui.charts_page import ChartsPage  # noqa: PLC0415 (not at start)

            page = ChartsPage(self.repos.db, self)
            self.stack.addWidget(page)
            page.deployments_requested.connect(self.navigator.open_deployments)
            page.events_requested.connect(self.navigator.open_events)
            page.record_requested.connect(self.navigator.open_record)
            self._charts = page
        return self._charts

    @property
    def about(self) -> AboutPage:
        """The About the data page (Ctrl+0), also the first start's welcome."""
        if self._about is None:
            from faceledger.ui.about_page import AboutPage  # noqa: PLC0415 (not at start)

            page = AboutPage(self.repos.db, self)
            self.stack.addWidget(page)
            page.navigate_requested.connect(self.navigate)
            page.page_requested.connect(self.show_page)
            page.open_url_requested.connect(self.open_url)
            self._about = page
        return self._about

    @property
    def navigator(self) -> Navigator:
        """Drill-downs from one page to another (the charts' bars)."""
        if self._navigator is None:
            from faceledger.ui.navigation import Navigator  # noqa: PLC0415 (not at start)

            self._navigator = Navigator(self)
        return self._navigator

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(190)
        self.stack = QStackedWidget(self)
        for i, entity in enumerate(PAGE_ORDER):
            repo = self.repos.for_entity(entity)
            n = repo.total()
            item = QListWidgetItem(f"{ENTITIES[entity].title}\n{n:,} record{'' if n == 1 else 's'}")
            item.setData(USER_ROLE, entity)
            item.setToolTip(f"{ENTITIES[entity].title} (Ctrl+{i + 1})")
            self.nav.addItem(item)
        for key, text, tip in (CHARTS_ENTRY, ABOUT_ENTRY):  # their pages are installed on first use
            item = QListWidgetItem(text)
            item.setData(USER_ROLE, key)
            item.setToolTip(tip)
            self.nav.addItem(item)
        # The first page's entry is current from the start (its signal is connected later): the
        # list would otherwise make its first row current when it first takes the focus, and so
        # build that page before the first paint.
        self.nav.setCurrentRow(0)
        self.nav.setFixedWidth(170)
        self.nav.setWordWrap(True)
        style.style_navigation(self.nav)
        name_navigation(self.nav)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._global_search: GlobalSearch | None = None
        meta = self.repos.db.meta()
        when = data_date(self.repos.db)
        self.data_label = QLabel(
            (f"Data as of {readable_date(when)} · " if when else "")
            + f"version {meta.get('data_version', '?')} · read-only · offline"
        )
        self.data_label.setObjectName("dataVersion")

    def _action(
        self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None, slot: Any, menu: Any
    ) -> QAction:
        from PySide6.QtGui import QAction, QKeySequence  # noqa: PLC0415 (after the first paint)

        act = QAction(text, self)
        if shortcut is not None:
            # setShortcuts([...]) sets the same one shortcut; setShortcut()'s overload resolution
            # creates the Python enums of the whole Qt namespace (about 15 ms at start-up).
            act.setShortcuts([QKeySequence(shortcut)])
        act.triggered.connect(slot)
        menu.addAction(act)
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        """The menu bar's menus, empty: their actions are added by `finish_start` (16 actions with
        their shortcuts take a few milliseconds the first paint does not need)."""
        mb = self.menuBar()
        self.file_menu = mb.addMenu("&File")
        self.edit_menu = mb.addMenu("&Edit")
        self.go_menu = mb.addMenu("&Go")
        self.help_menu = mb.addMenu("&Help")

    def _build_actions(self) -> None:
        from PySide6.QtGui import QKeySequence  # noqa: PLC0415 (after the first paint)

        self.act_brief = self._action("&Brief…", "Ctrl+P", lambda: self.open_brief(), self.file_menu)
        self.act_quit = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close, self.file_menu)
        edit = self.edit_menu
        self.act_copy_citation = self._action("Copy &citation", "Ctrl+Shift+C", self.copy_citation, edit)
        self._action("&Find in page", QKeySequence.StandardKey.Find, self._on_find, edit)
        self._action("&Search everything", "Ctrl+K", self.open_global_search, edit)
        go = self.go_menu
        self.act_back = self._action("&Back", "Alt+Left", self.go_back, go)
        self.act_forward = self._action("&Forward", "Alt+Right", self.go_forward, go)
        go.addSeparator()
        for i, entity in enumerate(PAGE_ORDER):
            self._action(
                ENTITIES[entity].title, f"Ctrl+{i + 1}", lambda _=False, e=entity: self.show_page(e), go
            )
        self._action("&Charts", "Ctrl+9", self.show_charts, go)
        act_about = self._action("&About the data", "Ctrl+0", self.show_about, go)
        self.help_menu.addAction(act_about)
        self._action(
            "Data &licences and attribution", None, lambda: self.show_page("datasets"), self.help_menu
        )
        self._update_history_actions()

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)

    def _make_page(self, entity: str) -> EntityPage:
        """Build a page on first use: signals wired, saved column layout restored."""
        if entity not in PAGE_ORDER:
            raise KeyError(entity)
        from faceledger.ui.entity_page import EntityPage  # noqa: PLC0415

        page = EntityPage(self.repos, self.repos.for_entity(entity), self)
        page.navigate_requested.connect(self.navigate)
        page.selection_changed.connect(self._on_page_selection_changed)
        page.open_url_requested.connect(self.open_url)
        page.detail.brief_requested.connect(self.open_brief)
        self._restore_page_state(entity, page)
        self.stack.addWidget(page)
        return page

    @property
    def global_search(self) -> GlobalSearch:
        """The Ctrl+K palette, built on first use."""
        if self._global_search is None:
            from faceledger.ui.global_search import GlobalSearch  # noqa: PLC0415

            self._global_search = GlobalSearch(self.repos.search, self)
            self._global_search.navigate_requested.connect(self.navigate)
        return self._global_search

    # -- public -------------------------------------------------------------------------------
    def current_page(self) -> EntityPage:
        from faceledger.ui.entity_page import EntityPage  # noqa: PLC0415

        widget = self.stack.currentWidget()
        if isinstance(widget, EntityPage):
            return widget
        if self._last_page is None:  # asked before the first page was built
            return self.show_page(PAGE_ORDER[0])
        return self._last_page  # the Charts page is shown: record actions use the page seen last

    def nav_row(self, key: str) -> int:
        """The navigation's row for `key` (a record type, "charts" or "about")."""
        return next(i for i in range(self.nav.count()) if self.nav.item(i).data(USER_ROLE) == key)

    def select_nav_row(self, key: str) -> None:
        """Mark `key`'s navigation entry current without asking for its page again."""
        row = self.nav_row(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)

    def show_page(self, entity: str) -> EntityPage:
        page = self.pages[entity]
        self.stack.setCurrentWidget(page)
        self._last_page = page
        self.select_nav_row(entity)
        page.ensure_selection()
        return page

    def show_charts(self) -> ChartsPage:
        """Show the Charts page, its deployment filters following the Deployments page's."""
        page = self.charts
        self.navigator.charts_shown(page)
        self.stack.setCurrentWidget(page)
        self.select_nav_row(CHARTS_ENTRY[0])
        self.show_message(
            "Charts: hover a bar for its details and sources; click it to open the records behind it."
        )
        return page

    def show_about(self) -> AboutPage:
        """Show the About the data page."""
        page = self.about
        self.stack.setCurrentWidget(page)
        self.select_nav_row(ABOUT_ENTRY[0])
        return page

    def show_welcome(self) -> AboutPage:
        """The first start's welcome: the About page with a welcome heading, remembered as shown."""
        page = self.about
        page.set_welcome(True)
        self.settings.mark_welcome_shown()
        return self.show_about()

    def show_message(self, text: str) -> None:
        """A message in the status bar, for ten seconds."""
        self.statusBar().showMessage(text, 10_000)

    def navigate(self, entity: str, record_id: str) -> bool:
        """Open a record on its page and remember it in the history."""
        ok = self._show(entity, record_id)
        if ok:
            self.history.push((entity, record_id))
            self._update_history_actions()
        return ok

    def go_back(self) -> None:
        item = self.history.back()
        if item is not None:
            self._show(*item)
        self._update_history_actions()

    def go_forward(self) -> None:
        item = self.history.forward()
        if item is not None:
            self._show(*item)
        self._update_history_actions()

    def open_global_search(self) -> None:
        self.global_search.open_palette()

    def copy_citation(self) -> str:
        text = self.current_page().detail.citation()
        if text:
            clipboard = QGuiApplication.clipboard()
            clipboard.setText(text)
            self.statusBar().showMessage("Citation copied to the clipboard.", 4000)
        else:
            self.statusBar().showMessage("Select a record to copy its citation.", 4000)
        return text

    def open_brief(self, entity: str = "", record_id: str = "") -> str:
        """The brief of a vendor or customer (by default the one in the detail pane): print or save."""
        from faceledger.ui.brief_dialog import open_brief  # noqa: PLC0415 (on first use)

        detail = self.current_page().detail
        if not entity and detail.record is not None and detail.entity is not None:
            entity, record_id = detail.entity, detail.record.id
        if entity not in ("vendors", "customers") or not record_id:
            self.statusBar().showMessage("Select a vendor or a customer to make its brief.", 4000)
            return ""
        done = open_brief(self, self.repos, entity, record_id)
        if done:
            self.statusBar().showMessage(done, 8000)
        return done

    def open_url(self, url: str) -> bool:
        """Open a web address in the browser (called on a click); refuse anything else, with a message."""
        from PySide6.QtCore import QUrl  # noqa: PLC0415 (not on the start path)
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

        text = (url or "").strip()
        reason = refuse_reason(text)

        qurl = QUrl(text, QUrl.ParsingMode.StrictMode)
        if reason is None and (
            not qurl.isValid() or qurl.scheme() not in ("http", "https") or qurl.userInfo() or not qurl.host()
        ):
            reason = "The web address is not valid."  # what Qt would open must be what was checked
        if reason is not None:
            self.url_refused.emit(url, reason)
            QMessageBox.warning(self, "Address not opened", f"{reason}\n\n{url}")
            return False
        warning = lookalike_warning(text)
        if warning is not None:  # a host that may imitate another: the user decides
            answer = QMessageBox.warning(
                self,
                "Check this address",
                f"{warning}\n\n{text}\n\nOpen it anyway?",
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Open:
                return False
        from PySide6.QtGui import QDesktopServices  # noqa: PLC0415

        QDesktopServices.openUrl(qurl)
        self.statusBar().showMessage(f"Opened in your browser: {text}", 5000)
        return True

    # -- internals ----------------------------------------------------------------------------
    def _show(self, entity: str, record_id: str) -> bool:
        if entity not in PAGE_ORDER:
            return False
        self._navigating = True
        try:
            page = self.show_page(entity)
            return page.show_record(record_id)
        finally:
            self._navigating = False

    def _update_history_actions(self) -> None:
        if not self._started:
            return  # the actions come after the first paint (`_build_actions` updates them)
        self.act_back.setEnabled(self.history.can_back)
        self.act_forward.setEnabled(self.history.can_forward)

    def _restore_state(self) -> None:
        """Saved layout; a value that cannot be restored is discarded (with a notice), never fatal.
        A size saved on another screen (a laptop taken off its large monitor) is not a fault: Qt
        declines it, and the window simply opens at the default size that fits this screen."""
        geometry = self.settings.byte_array("window/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            return
        if geometry is not None and not _geometry_from_another_screen(geometry):
            self.settings.discard("window/geometry")
        screen = self.screen()
        room = screen.availableGeometry() if screen is not None else None
        if room is None or room.isEmpty():
            self.resize(*DEFAULT_SIZE)
        else:
            self.resize(min(DEFAULT_SIZE[0], room.width()), min(DEFAULT_SIZE[1], room.height()))

    def _restore_page_state(self, entity: str, page: EntityPage) -> None:
        state = self.settings.byte_array(f"columns/{entity}")
        if state is not None and not page.table.horizontalHeader().restoreState(state):
            self.settings.discard(f"columns/{entity}")
        sizes = self.settings.byte_array(f"splitter/{entity}")
        if sizes is not None and not page.splitter.restoreState(sizes):
            self.settings.discard(f"splitter/{entity}")

    def save_state(self) -> None:
        self.settings.set_value("window/geometry", self.saveGeometry())
        for entity, page in self.pages.items():
            self.settings.set_value(f"columns/{entity}", page.table.horizontalHeader().saveState())
            self.settings.set_value(f"splitter/{entity}", page.splitter.saveState())
        self.settings.sync()

    # -- events and slots ---------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.MouseButtonPress:
            return False  # every event of the application passes here: the common path first
        from PySide6.QtCore import Qt  # noqa: PLC0415 (see USER_ROLE)
        from PySide6.QtGui import QMouseEvent  # noqa: PLC0415 (not needed for the first paint)

        if isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
        return False

    def _on_nav_row_changed(self, row: int) -> None:
        if 0 <= row < len(PAGE_ORDER):
            self.show_page(PAGE_ORDER[row])
        elif row == self.nav_row(CHARTS_ENTRY[0]):
            self.show_charts()
        elif row == self.nav_row(ABOUT_ENTRY[0]):
            self.show_about()

    def _on_page_selection_changed(self, entity: str, record_id: str) -> None:
        if not self._navigating:
            self.history.push((entity, record_id))
            self._update_history_actions()

    def _on_find(self) -> None:
        self.current_page().focus_search()


def _geometry_from_another_screen(geometry: QByteArray) -> bool:
    """Whether a saved window geometry is well formed (QWidget.saveGeometry's layout: a magic
    number, then version 3 or later) and so was declined only because it was saved on a screen
    of another width."""
    data = bytes(geometry.data())
    return len(data) >= 66 and data[:4] == b"\x01\xd9\xd0\xcb" and int.from_bytes(data[4:6], "big") >= 3
