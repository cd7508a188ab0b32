"""Links: only http(s) addresses without credentials are opened, only on a click; the rest refused.

`QDesktopServices.openUrl` and `QMessageBox.warning` are replaced by recorders so that no browser
starts and no modal box blocks the test; the code deciding what to open is the app's own.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from faceledger.data.database import Database
from faceledger.data.links import lookalike_warning, normalised_url, refuse_reason
from faceledger.ui.main_window import MainWindow

WEB_ONLY = "Only web addresses"
REFUSED: dict[str, tuple[str, str]] = {  # name -> (address, words of the reason)
    "file": ("file:///etc/passwd", WEB_ONLY),
    "file-windows": ("file:///C:/Windows/System32/calc.exe", WEB_ONLY),
    "file-upper": ("FILE:///etc/passwd", WEB_ONLY),
    "javascript": ("javascript:alert(1)", WEB_ONLY),
    "javascript-spaced": ("  javascript:alert(1)", WEB_ONLY),
    "data": ("data:text/html,<script>alert(1)</script>", WEB_ONLY),
    "ftp": ("ftp://example.org/file", WEB_ONLY),
    "mailto": ("mailto:someone@example.org", WEB_ONLY),
    "smb": ("smb://host/share", WEB_ONLY),
    "custom-scheme": ("faceledger-evil:run", WEB_ONLY),
    "ms-settings": ("ms-settings:privacy", WEB_ONLY),
    "relative": ("example.org/page", WEB_ONLY),
    "unc-backslash": ("\\\\host\\share\\file.exe", "UNC"),
    "unc-slash": ("//host/share/file.exe", "UNC"),
    "user-password": ("https://user:password@example.org/", "user name or password"),
    "user-only": ("http://user@example.org/", "user name or password"),
    "at-in-host": ("https://example.org@evil.example/", "user name or password"),
    "backslash-at": ("https://example.org\\@evil.example/", "user name or password"),
    "backslash-host": ("https://example.org\\evil/", "invalid host"),
    "empty": ("", "empty"),
    "spaces": ("   ", "empty"),
    "control-newline": ("https://example.org/\nfile:///etc/passwd", "control characters"),
    "control-nul": ("https://example.org/\x00", "control characters"),
    "control-tab": ("https://exa\tmple.org/", "control characters"),
    "control-del": ("https://example.org/\x7f", "control characters"),
    "no-host": ("https://", "no host"),
    "no-slashes": ("https:example.org", "no host"),
    "port-only": ("https://:443/", "no host"),
}
# Pass the text rules but are not valid URLs for Qt: refused by the window's second check, so that
# what would be opened is exactly what was checked.
REFUSED_BY_QT = {
    "space-in-host": "https://exa mple.org/",
    "bad-port": "https://example.org:99999/",
    "bracket-host": "https://[not-ipv6]/",
}
OPENED = {
    "https": "https://www.aclu.org/news/privacy-technology/",
    "http": "http://example.org/report.pdf",
    "upper-scheme": "HTTPS://EXAMPLE.ORG/",
    "query-with-at": "https://example.org/search?q=a@b",
    "fragment": "https://example.org/page#section",
    "port": "https://example.org:8443/x",
    "padded": "  https://example.org/  ",
}


@pytest.mark.parametrize("url, words", list(REFUSED.values()), ids=list(REFUSED))
def test_refuse_reason_refuses(url: str, words: str) -> None:
    reason = refuse_reason(url)
    assert reason and words in reason and reason.endswith(".") and "\n" not in reason


@pytest.mark.parametrize("url", list(OPENED.values()), ids=list(OPENED))
def test_refuse_reason_allows_web_addresses(url: str) -> None:
    assert refuse_reason(url) is None


@pytest.fixture()
def recorders(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    opened: list[str] = []
    warned: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    return opened, warned


def test_window_refuses_with_a_message(window: MainWindow, recorders: tuple[list[str], list[str]]) -> None:
    opened, warned = recorders
    refusals: list[tuple[str, str]] = []
    window.url_refused.connect(lambda u, r: refusals.append((u, r)))
    for n, url in enumerate([*(u for u, _ in REFUSED.values()), *REFUSED_BY_QT.values()], start=1):
        assert window.open_url(url) is False, url
        assert opened == [], url
        assert len(warned) == n and len(refusals) == n, url
        assert refusals[-1] == (url, refusals[-1][1]) and refusals[-1][1] in warned[-1]


def test_window_opens_web_addresses(window: MainWindow, recorders: tuple[list[str], list[str]]) -> None:
    opened, warned = recorders
    for n, url in enumerate(OPENED.values(), start=1):
        assert window.open_url(url) is True, url
        assert warned == [] and len(opened) == n, url
        assert QUrl(opened[-1]).scheme() in ("http", "https") and not QUrl(opened[-1]).userInfo()
        assert opened[-1] == QUrl(url.strip()).toString()


def test_links_open_only_on_a_click(
    qtbot, window: MainWindow, recorders: tuple[list[str], list[str]]
) -> None:  # type: ignore[no-untyped-def]
    """Showing a record with source links opens nothing; clicking one opens exactly that one."""
    opened, _warned = recorders
    window.navigate("vendors", "idemia")
    page = window.current_page()
    assert opened == []
    url = window.repos.vendors.citations("idemia")[0].source.url
    page.detail.anchorClicked.emit(QUrl(url))
    assert opened == [QUrl(url).toString()]


def test_hostile_link_in_the_detail_pane_is_refused(
    window: MainWindow, recorders: tuple[list[str], list[str]]
) -> None:
    opened, warned = recorders
    window.navigate("vendors", "idemia")
    window.current_page().detail.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == [] and len(warned) == 1


# -- stored addresses: as they are, every one openable ----------------------------------------------
URL_COLUMNS = {
    "sources": ("url",),
    "vendors": ("website", "link"),
    "studies": ("url", "link"),
    "datasets": ("url", "licence_url"),
    "events": ("link",),
    "customers": ("link",),
    "deployments": ("link",),
}


def test_every_bundled_address_can_be_opened(db: Database) -> None:
    seen = 0
    for table, columns in URL_COLUMNS.items():
        for column in columns:
            for rid, url in db.query(f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" <> \'\''):
                assert refuse_reason(url) is None, (table, rid, url)
                assert "&amp;" not in url, (table, rid, url)
                seen += 1
    assert seen > 600
    websites = dict(db.query("SELECT id, website FROM vendors WHERE website <> ''"))
    assert websites["ibm"] == "https://ibm.com" and len(websites) >= 8  # bare domains given https


@pytest.mark.parametrize(
    "text, stored",
    [
        ("ibm.com", "https://ibm.com"),
        (" clearview.ai ", "https://clearview.ai"),
        ("nec.com/en/global/", "https://nec.com/en/global/"),
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("not a domain", "not a domain"),
    ],
)
def test_the_build_gives_a_bare_domain_the_https_scheme(text: str, stored: str) -> None:
    assert normalised_url(text) == stored


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "https://user:pw@example.org/", "not a domain"]
)
def test_the_build_refuses_an_address_the_app_would_not_open(url: str) -> None:
    from db import build

    with pytest.raises(build.BuildError, match="not an address the app can open"):
        build.checked_url(url, "db/sources/x.toml: source 'x': field 'url'")


def test_an_address_with_ampersands_reaches_the_browser_as_stored(
    window: MainWindow, recorders: tuple[list[str], list[str]]
) -> None:
    """The detail pane's link for the Somerville meeting record, clicked as Qt delivers it."""
    opened, warned = recorders
    stored = window.repos.sources.get("se-s91").url
    assert "&MeetingID=" in stored
    window.navigate("sources", "se-s91")
    detail = window.current_page().detail
    hrefs = []
    block = detail.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href.startswith("http"):
                hrefs.append(href)
            it += 1
        block = block.next()
    assert hrefs, "the pane shows the address as a link"
    detail.anchorClicked.emit(QUrl(hrefs[0]))
    assert warned == [] and opened == [QUrl(stored).toString()]
    assert "&amp;" not in opened[0]


LOOKALIKES = {
    "mixed-scripts": ("https://\u0430pple.com/login", "mixes Cyrillic and Latin letters"),
    "punycode": ("https://xn--pple-43d.com/login", "reads as \u0430pple.com"),
    "greek-omicron": ("https://micr\u03bfsoft.com/", "mixes Greek and Latin letters"),
}


@pytest.mark.parametrize("url, words", list(LOOKALIKES.values()), ids=list(LOOKALIKES))
def test_a_lookalike_host_is_warned_about_and_opened_only_if_confirmed(
    url: str,
    words: str,
    window: MainWindow,
    recorders: tuple[list[str], list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened, warned = recorders
    assert lookalike_warning(url) is not None and words in str(lookalike_warning(url))
    assert window.open_url(url) is False  # the warning's default: Cancel
    assert opened == [] and len(warned) == 1 and words in warned[0] and url in warned[0]
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        lambda parent, title, text, *a: warned.append(text) or QMessageBox.StandardButton.Open,
    )
    assert window.open_url(url) is True
    assert len(opened) == 1 and len(warned) == 2


@pytest.mark.parametrize(
    "url",
    [*OPENED.values(), "https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/", "https://www.aclu.org/"],
)
def test_an_ordinary_host_is_not_warned_about(url: str) -> None:
    assert lookalike_warning(url) is None
