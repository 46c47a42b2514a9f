"""Real-browser tests of the built site: fixtures.

The site is built once per session from the SHIPPED entries (``entries/``) with
``ATLAS_DOWNLOADS=0``, served by a quiet ``http.server`` on 127.0.0.1 and a free
port, and visited with Debian's Chromium through Playwright (never a browser that
Playwright downloads: no ``playwright install``). Every test is marked ``browser``:
``pytest -m "not browser"`` skips them all.

When Playwright, Chromium or axe-core is missing the tests skip, except under CI
(``CI`` set), where they fail with a message saying what to install.

Pages come from :class:`Browse`, which records, per visit, console errors, page
errors, failed requests, responses >= 400 and every request to a host other than
127.0.0.1. The browser sends such a request to a proxy on a closed local port, so
it fails without leaving the machine; a page opened with ``route=True`` also passes
every request through ``page.route("**/*")``, which records it and aborts a foreign one.

Environment: ``ATLAS_CHROMIUM`` (default /usr/bin/chromium), ``AXE_CORE_JS`` (an
axe.min.js to use instead of axe-playwright-python's copy), ``ATLAS_BROWSER_SITE``
(a site built beforehand, to skip the build while writing tests; ignored under CI).
Screenshots and the page-weight report go to ``screenshots/`` (ignored by git).
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "screenshots"
CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}
INSTALL_HINT = (
    "pip install playwright==1.65.2 axe-playwright-python==0.1.8 and "
    "apt-get install -y chromium (never `playwright install`)"
)
HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- marker


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: real-browser test of the built site (Chromium via Playwright); deselect with -m 'not browser'")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _missing(what: str) -> None:
    """Fail under CI (the browser tests must run there), skip elsewhere."""
    message = f"browser tests need {what}; install with: {INSTALL_HINT}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# --------------------------------------------------------------------------- site and server


@dataclass(frozen=True)
class Site:
    """The built site on disk and the origin that serves it."""

    root: Path
    origin: str  # http://127.0.0.1:PORT

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def path_of(self, url: str) -> str:
        """The site path of a URL of this origin: ``http://127.0.0.1:1/forums/`` → ``forums/``."""
        return urllib.parse.urlsplit(url).path.lstrip("/")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site without logging; lets the browser cache for the session, as a CDN would."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_site(target: Path, *, downloads: bool = False) -> Path:
    """``mkdocs build --strict`` of the shipped entries into ``target``."""
    env = {k: v for k, v in os.environ.items() if k not in {"ATLAS_ENTRIES", "ATLAS_OFFLINE"}}
    env.update(NO_MKDOCS_2_WARNING="1", ATLAS_DOWNLOADS="1" if downloads else "0")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO_ROOT / "mkdocs.yml"), "-d", str(target)]
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"mkdocs build failed:\n{done.stdout}\n{done.stderr}"
    assert (target / "index.html").is_file(), f"no index.html in {target}"
    return target


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the shipped entries (no downloads: no PDF, no offline zip).

    ``ATLAS_BROWSER_SITE=path`` tests a site built beforehand instead (quicker while
    writing tests; CI always builds).
    """
    prebuilt = os.environ.get("ATLAS_BROWSER_SITE")
    if prebuilt and not os.environ.get("CI"):
        assert (Path(prebuilt) / "index.html").is_file(), f"ATLAS_BROWSER_SITE={prebuilt} holds no built site"
        return Path(prebuilt)
    return build_site(tmp_path_factory.mktemp("browser") / "site")


@pytest.fixture(scope="session")
def site(site_dir: Path) -> Iterator[Site]:
    """A static HTTP server of the built site on 127.0.0.1 and a free port, stopped at the end."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="atlas-site-server", daemon=True)
    thread.start()
    try:
        yield Site(site_dir, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------- crawl (no browser)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.assets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])  # type: ignore[arg-type]
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])  # type: ignore[arg-type]
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])  # type: ignore[arg-type]
        elif tag == "link" and a.get("href") and {"stylesheet", "icon"} & set((a.get("rel") or "").split()):
            self.assets.append(a["href"])  # type: ignore[arg-type]
        elif tag in {"script", "img"} and a.get("src"):
            self.assets.append(a["src"])  # type: ignore[arg-type]


@dataclass
class Crawled:
    """One URL fetched by the crawl."""

    url: str
    status: int
    content_type: str = ""
    html: str = ""
    links: list[str] = field(default_factory=list)  # absolute, fragments kept
    assets: list[str] = field(default_factory=list)  # absolute
    ids: set[str] = field(default_factory=set)
    linked_from: str = ""


@dataclass
class Crawl:
    pages: dict[str, Crawled]  # URL without fragment → result
    seconds: float

    @property
    def html_pages(self) -> dict[str, Crawled]:
        return {u: p for u, p in self.pages.items() if p.status == 200 and p.content_type.startswith("text/html")}


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type() if exc.headers else "", b""


@pytest.fixture(scope="session")
def crawl(site: Site) -> Crawl:
    """Every same-origin URL reachable by <a href> from the home page (assets fetched too), each once."""
    started = time.monotonic()
    pages: dict[str, Crawled] = {}
    queue: list[tuple[str, str]] = [(site.url(""), "")]
    while queue:
        url, source = queue.pop(0)
        if url in pages:
            continue
        assert url.startswith(site.origin + "/"), url
        status, content_type, body = _fetch(url)
        page = Crawled(url, status, content_type, linked_from=source)
        pages[url] = page
        if status != 200 or content_type != "text/html":
            continue
        page.html = body.decode("utf-8")
        parser = _PageParser()
        parser.feed(page.html)
        page.ids = parser.ids
        page.links = [urllib.parse.urljoin(url, href) for href in parser.links]
        page.assets = [urllib.parse.urljoin(url, src) for src in parser.assets]
        for target in page.links + page.assets:
            bare = urllib.parse.urldefrag(target).url
            if bare.startswith(site.origin + "/") and bare not in pages:
                queue.append((bare, url))
    return Crawl(pages, time.monotonic() - started)


# --------------------------------------------------------------------------- browser


def _closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright.

    Every request to a host other than 127.0.0.1 goes to a proxy on a closed
    local port and fails there: the browser never leaves this machine, and the
    pages record such a request as foreign and failed.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the Python package playwright")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _missing(f"Chromium at {CHROMIUM}")
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            proxy={"server": f"http://127.0.0.1:{_closed_port()}", "bypass": "127.0.0.1"},
        )
    except Exception as exc:
        manager.stop()
        _missing(f"a Chromium that starts ({CHROMIUM}: {exc})")
    try:
        yield browser
    finally:
        browser.close()
        manager.stop()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's axe.min.js: from $AXE_CORE_JS when set, else the copy in axe-playwright-python."""
    path = os.environ.get("AXE_CORE_JS")
    if not path:
        try:
            import axe_playwright_python.base as axe_base
        except ImportError:
            _missing("axe-core (the Python package axe-playwright-python, or AXE_CORE_JS=path/to/axe.min.js)")
        path = str(axe_base.AXE_FILE_PATH)
    if not os.path.isfile(path):
        _missing(f"axe-core's axe.min.js at {path}")
    return Path(path).read_text(encoding="utf-8")


SEARCH_INDEX = "search/search_index.json"  # every page's search worker fetches it


class Browse:
    """A page at one viewport, recording what went wrong since the last visit.

    It records console errors, page errors, failed requests, responses >= 400,
    and requests to any host but 127.0.0.1. With ``route=True`` every request
    also passes through ``page.route("**/*")``, which records its URL (and aborts
    a foreign one); without, ``requests`` is filled from the request events.
    """

    def __init__(self, page: Any, site: Site, viewport: str, *, route: bool = False) -> None:
        self.page = page
        self.site = site
        self.viewport = viewport
        self.requests: list[str] = []  # every request URL since the page opened
        self.routed: list[str] = []  # every URL that passed the route (route=True)
        self.foreign: list[str] = []
        self.problems: list[str] = []
        self._inflight: set[Any] = set()
        self._seen: list[str] = []  # request URLs since the last visit
        self._leaving = ""  # the page a navigation leaves: its unfinished requests are cancelled
        self.left_behind: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("request", self._on_request)
        page.on("requestfinished", lambda request: self._inflight.discard(request))
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)
        if route:
            page.route("**/*", self._route)

    # recorders ---------------------------------------------------------------------------

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            self.problems.append(f"console error: {message.text} (at {location.get('url', '?')}:{location.get('lineNumber', '?')})")

    def _on_request(self, request: Any) -> None:
        self._inflight.add(request)
        self.requests.append(request.url)
        self._seen.append(request.url)
        if self._is_foreign(request.url):
            self.foreign.append(request.url)

    def _on_failed(self, request: Any) -> None:
        self._inflight.discard(request)
        referer = urllib.parse.urldefrag(request.headers.get("referer", "")).url
        if "ERR_ABORTED" in (request.failure or "") and referer and referer == self._leaving:
            # Chromium fetches the favicon after the load event; leaving the page cancels it.
            self.left_behind.append(request.url)
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _on_response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    @staticmethod
    def _is_foreign(url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme not in {"data", "blob", "about", "javascript"} and parts.hostname != "127.0.0.1"

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.routed.append(url)
        if self._is_foreign(url):
            route.abort("blockedbyclient")
        else:
            route.continue_()

    # visiting ----------------------------------------------------------------------------

    def url(self, path: str = "") -> str:
        return self.site.url(path)

    def forget(self) -> None:
        """Start over for a new test: no records."""
        self.reset()
        self.requests.clear()
        self.routed.clear()
        self.foreign.clear()
        self.left_behind.clear()

    def reset(self) -> None:
        """Forget what went wrong so far; call it before an action that navigates."""
        self.problems.clear()
        self._seen.clear()
        self._leaving = urllib.parse.urldefrag(self.page.url).url

    def visit(self, path: str = "") -> Any:
        """Load a page of the site, wait until it is done loading, and assert nothing went wrong."""
        self.reset()
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
        self.settle(path)
        return self.page

    def settle(self, where: str) -> None:
        """Wait until the page has loaded, its search worker has fetched the index and no request
        is in flight (quicker than Playwright's 500 ms "networkidle"); assert nothing went wrong."""
        self.page.wait_for_load_state("load")
        index = self.url(SEARCH_INDEX)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if index in self._seen and not self._inflight:
                break
            self.page.wait_for_timeout(25)
        else:
            pending = sorted(r.url for r in self._inflight)
            raise AssertionError(f"{where} [{self.viewport}]: still loading after 15 s (search index fetched: {index in self._seen}; pending: {pending})")
        self.assert_clean(where)

    def assert_clean(self, where: str) -> None:
        where = f"{where or 'home'} [{self.viewport}]"
        assert not self.problems, f"{where}: console errors or failed requests:\n" + "\n".join(self.problems)
        assert not self.foreign, f"{where}: requests to hosts other than 127.0.0.1:\n" + "\n".join(self.foreign)

    # Material's header controls ----------------------------------------------------------

    def open_search(self) -> Any:
        """Focus Material's search box; on the phone it sits behind the header's search button."""
        button = self.page.locator('.md-header label[for="__search"]')
        if button.count() and button.first.is_visible():
            button.first.click()
        box = self.page.locator("input.md-search__input")
        box.wait_for(state="visible")
        box.click()
        return box

    def search(self, query: str) -> list[str]:
        """Type a query; wait until the results settle; return the result links' URLs (in order)."""
        box = self.open_search()
        box.fill(query)
        box.press("End")  # Material reads the query on keyup (and once its worker is ready)
        results = self.page.locator(".md-search-result__list a.md-search-result__link")
        results.first.wait_for(state="attached", timeout=15_000)
        last: list[str] = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the worker answers asynchronously: wait for a stable list
            current = results.evaluate_all("els => els.map(e => e.href)")
            if current and current == last:
                break
            last = current
            self.page.wait_for_timeout(150)
        return last

    def open_drawer(self) -> None:
        """Open Material's navigation drawer (the phone's menu button)."""
        self.page.locator('.md-header label[for="__drawer"]').first.click()
        self.page.locator("nav.md-nav--primary").first.wait_for(state="visible")

    def palette_scheme(self) -> str:
        return self.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")

    def toggle_palette(self) -> str:
        """Click the visible palette toggle and return the new scheme."""
        before = self.palette_scheme()
        toggles = self.page.locator('[data-md-component="palette"] label')
        visible = [toggles.nth(i) for i in range(toggles.count()) if toggles.nth(i).is_visible()]
        assert len(visible) == 1, f"expected one visible palette toggle, found {len(visible)}"
        visible[0].click()
        self.page.wait_for_function("before => document.body.getAttribute('data-md-color-scheme') !== before", arg=before)
        return self.palette_scheme()


def new_context(browser: Any, viewport: str) -> Any:
    context = browser.new_context(**VIEWPORTS[viewport], color_scheme="light", service_workers="block")
    context.set_default_timeout(15_000)
    return context


@pytest.fixture(scope="session")
def shared_pages(browser: Any, site: Site) -> Iterator[dict[str, Browse]]:
    """One page per viewport, reused by the tests in turn: opening a page costs Chromium
    half a second on this machine, and a warm HTTP cache keeps the suite fast. Each test
    starts with empty records and leaves the site's storage cleared (no palette choice leaks)."""
    pages: dict[str, Browse] = {}
    yield pages
    for browse in pages.values():
        browse.page.context.close()


@pytest.fixture
def open_browse(browser: Any, site: Site, shared_pages: dict[str, Browse]) -> Iterator[Callable[..., Browse]]:
    """``open_browse("phone")`` → a page at that viewport for this test.

    ``fresh=True`` gives a new page in a context of its own (an empty cache);
    ``route=True`` (implies fresh) passes every request through ``page.route("**/*")``.
    """
    used: list[Browse] = []
    own: list[Any] = []

    def open_(viewport: str, *, fresh: bool = False, route: bool = False) -> Browse:
        if fresh or route:
            context = new_context(browser, viewport)
            own.append(context)
            browse = Browse(context.new_page(), site, viewport, route=route)
        else:
            if viewport not in shared_pages or shared_pages[viewport].page.is_closed():
                shared_pages[viewport] = Browse(new_context(browser, viewport).new_page(), site, viewport)
            browse = shared_pages[viewport]
            browse.forget()
        used.append(browse)
        return browse

    yield open_
    for browse in used:
        try:
            if not browse.page.is_closed() and browse.page.url.startswith(site.origin):
                browse.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        except Exception:
            browse.page.context.close()
            if shared_pages.get(browse.viewport) is browse:
                del shared_pages[browse.viewport]
    for context in own:
        context.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def browse(open_browse: Callable[..., Browse], viewport: str) -> Browse:
    """A new page at the test's viewport (desktop and phone)."""
    return open_browse(viewport)


@pytest.fixture
def phone(open_browse: Callable[..., Browse]) -> Browse:
    return open_browse("phone")


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# --------------------------------------------------------------------------- the entries, read from YAML


@pytest.fixture(scope="session")
def entries() -> dict[str, dict[str, Any]]:
    """The shipped entries as plain YAML data, by id (each with its file's path under ``_path``)."""
    import yaml

    found: dict[str, dict[str, Any]] = {}
    for path in sorted((REPO_ROOT / "entries").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["_path"] = path
        found[data["id"]] = data
    return found
