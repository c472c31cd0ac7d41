"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

The live server runs in a thread of this process, so the shared settings of tests/conftest.py
(MEDIA_ROOT in tmp_path, fast password hashing, plain static storage) apply to it too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the main thread (switching to it through
# greenlets), and from its start to the end of the session `asyncio.get_running_loop()` finds that
# loop. Django then takes every ORM call of the test thread (load_demo(), the flush of
# transactional_db) for a call from async code and raises SynchronousOnlyOperation. Those calls
# are plain synchronous ones that never run concurrently with the loop, so the check is switched
# off. Set at import because the loop outlives the browser tests: later tests in the same session
# make ORM calls with it still there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
DEMO_PASSWORD = "zhenggai-demo"  # zhenggai.demo.loader.DEMO_PASSWORD, typed as a user would


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test; without chromium they are skipped, not failed."""
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: `make browser-deps` installs Debian's chromium")
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not os.access(CHROMIUM, os.X_OK):
                item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so that the page fixture knows a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: `make browser-deps` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo install: the round of X社区党工委 (2020 deadlines: most measures are red) and its logins."""
    from zhenggai.demo.loader import load_demo

    load_demo()


@pytest.fixture
def screenshot() -> Iterator:
    """`screenshot(page, "name")` saves build/screenshots/name.png (the whole page).

    caret="initial": to hide the caret, Playwright sets an inline caret colour on every input and
    leaves an empty style="" behind; htmx then copies that attribute when it settles a swapped
    card, which the Content-Security-Policy (style-src 'self') blocks and reports.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    return take


def _tiny_pdf() -> bytes:
    """A small but well-formed one-page PDF (the server checks that a .pdf starts with %PDF-)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def pdf_file(tmp_path):
    """`pdf_file("名称.pdf")`: a real PDF of that name in tmp_path, to upload as evidence."""

    def make(name: str) -> Path:
        path = tmp_path / name
        path.write_bytes(_tiny_pdf())
        return path

    return make


def _new_page(browser, live_server, request, **context_options) -> Iterator:
    """A page in a fresh context (own cookies); fails the test on a script error or a server error."""
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    # Console errors include Content-Security-Policy violations. The app has no favicon:
    # chromium's request for one failing is not the page's fault. Nor is a page the test opened
    # answering 4xx (a refusal it expects): chromium logs that as an error too. A script, style or
    # fragment answering 4xx is still caught, as its address is not the page's.
    def on_console(message) -> None:
        url = message.location.get("url", "")
        if message.type != "error" or url.endswith("/favicon.ico"):
            return
        if url == page.url and re.search(r"status of 4\d\d", message.text):
            return
        problems.append(f"console {message.type}: {message.text} ({message.location})")

    page.on("console", on_console)
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status} from {response.request.method} {response.url}")
            if response.status >= 500
            else None
        ),
    )
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)
    failure_shot = SCREENSHOTS / f"FAILED-{test_name}.png"
    failure_shot.unlink(missing_ok=True)
    yield page
    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed and not page.is_closed():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(failure_shot), full_page=True, caret="initial")
    context.close()
    assert not problems, "the browser saw errors:\n" + "\n".join(problems)


@pytest.fixture
def page(browser, live_server, request) -> Iterator:
    """A desktop-sized page."""
    yield from _new_page(browser, live_server, request, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser, live_server, request) -> Iterator:
    """A page as a 375 px wide phone shows it (the meta viewport is honoured)."""
    yield from _new_page(
        browser,
        live_server,
        request,
        viewport={"width": 375, "height": 812},  # an iPhone X/11 Pro class phone
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def log_in():
    """`log_in(page, username)`: through the real form (and so through django-axes), as a person would."""

    def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return log_in
