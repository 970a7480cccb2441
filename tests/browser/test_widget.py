"""The availability widget in a real browser: headless Chromium, driven by Selenium.

The API runs as a live server on one origin; the embedding page is served from two others: one on
the publishable key's allowlist, which must render the times the API gives, and one that is not,
which must render the refusal and receive no data. A screenshot of each is saved.
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from api.accounts.models import Role
from api.availability.services import slots_sync
from api.counsellors.models import Region
from api.organisations.keys import api_key_create
from api.organisations.models import ApiKeyKind
from api.widgets.script import widget_integrity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("KOLLEGA_SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)
PAGE = """<!doctype html>
<html lang="{language}">
<head><meta charset="utf-8"><title>Kollegastøtte</title>
<style>body {{ font-family: sans-serif; max-width: 34rem; margin: 2rem; }}
kollega-availability {{ --kollega-accent: #7a1f3d; }}</style></head>
<body>
<h1>Kollegastøtte</h1>
<p>Trenger du noen å snakke med? Våre kollegaveiledere har taushetsplikt.</p>
<kollega-availability key="{key}" language="{language}" region="vestland" days="14"
  link="https://www.example.org/kollegastotte"></kollega-availability>
<script src="{api}/widget/v1.js" integrity="{integrity}" crossorigin="anonymous"></script>
</body></html>
"""


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.server.page.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def page_servers() -> Iterator[Any]:
    """Starts servers of one HTML page each, every one on its own localhost origin."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start() -> http.server.ThreadingHTTPServer:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
        server.page = ""  # type: ignore[attr-defined]
        server.origin = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture
def browser(tmp_path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=700,600",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    yield driver
    driver.quit()


def widget_state(driver: webdriver.Chrome) -> dict[str, Any]:
    state: dict[str, Any] = driver.execute_script(
        """
        const root = document.querySelector('kollega-availability')?.shadowRoot;
        if (!root || !root.querySelector('section')) return {ready: false};
        const section = root.querySelector('section');
        return {
          ready: section.getAttribute('aria-busy') === 'false',
          times: [...root.querySelectorAll('time')].map(t => t.getAttribute('datetime')),
          message: root.querySelector('[part=message]')?.textContent || null,
          heading: root.querySelector('h2')?.textContent,
          link: root.querySelector('a')?.getAttribute('href') || null,
        };
        """
    )
    return state


def rendered(driver: webdriver.Chrome) -> dict[str, Any]:
    WebDriverWait(driver, 20).until(lambda d: widget_state(d)["ready"])
    return widget_state(driver)


def test_the_widget_renders_the_apis_times_on_an_allowed_origin_and_refuses_elsewhere(
    live_server, page_servers, browser, organisation, make_counsellor, make_user, client
):
    vestland = Region.objects.create(organisation=organisation, code="vestland", name="Vestland")
    for name, weekday in (("Ingrid", 1), ("Kari", 3)):
        counsellor = make_counsellor(display_name=name, regions=(vestland,), video=True)
        counsellor.rules.create(
            weekday=weekday, start="17:00", end="19:00", slot_minutes=45, phone=True, video=True
        )
        slots_sync(counsellor=counsellor)
    allowed, elsewhere = page_servers(), page_servers()
    key = api_key_create(
        organisation=organisation,
        kind=ApiKeyKind.PUBLISHABLE,
        name="site",
        created_by=make_user(Role.COORDINATOR, organisation=organisation),
        allowed_origins=[allowed.origin],
    ).key
    allowed.page = elsewhere.page = PAGE.format(
        key=key, language="nb", api=live_server.url, integrity=widget_integrity()
    )
    expected = client.get(f"/v1/public/availability?key={key}&region=vestland&days=14&language=nb").json()
    assert expected["groups"], "the schedules should give open slots"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    browser.get(allowed.origin)
    shown = rendered(browser)
    browser.save_screenshot(str(SCREENSHOTS / "widget-allowed.png"))

    assert shown["times"] == [group["next_free"] for group in expected["groups"]]
    assert shown["heading"] == "Neste ledige samtaler"
    assert shown["message"] is None
    assert shown["link"] == "https://www.example.org/kollegastotte"

    browser.get(elsewhere.origin)
    refused = rendered(browser)
    browser.save_screenshot(str(SCREENSHOTS / "widget-refused.png"))

    assert refused["times"] == []
    assert refused["message"] == "Ledige tider kan ikke vises på denne siden."
    for name in ("widget-allowed.png", "widget-refused.png"):
        assert (SCREENSHOTS / name).stat().st_size > 1000
