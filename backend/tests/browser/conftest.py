"""Browser journeys: the real app (uvicorn subprocess, built web app, the test database) driven by
Debian's chromium through Playwright. Screenshots of the main pages are saved as test artifacts in
``test-artifacts/screenshots`` at the repository root."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright

from boxoffice.config import REPO_ROOT
from tests.conftest import REDIS_URL, TEST_DB_URL

CHROMIUM = os.environ.get("BOXOFFICE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts" / "screenshots"
BACKEND = REPO_ROOT / "backend"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(test_database: str) -> Iterator[str]:
    """The whole product on a loopback port: API, Socket.IO and the built web app."""
    if not (REPO_ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.fail("the web app is not built: run `make web` (make test does)")
    port = _free_port()
    env = {
        **os.environ,
        "BOXOFFICE_DATABASE_URL": TEST_DB_URL,
        "BOXOFFICE_REDIS_URL": REDIS_URL,
        "BOXOFFICE_JOB_BROKER": "memory",
        "BOXOFFICE_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "BOXOFFICE_COOKIE_SECURE": "false",  # plain http on loopback; production keeps Secure
        "BOXOFFICE_MOCK_PAYMENT_DELAY_SECONDS": "0.5",
        "BOXOFFICE_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "boxoffice.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=BACKEND,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the app did not start: " + (process.stderr.read().decode() if process.stderr else ""))
        time.sleep(0.2)
    yield base
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (scripts/ensure-chromium.sh)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    tab = await context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    await context.close()


async def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def assert_accessible(page: Page, name: str) -> None:
    """axe-core audit of the current page: no serious or critical violations."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in bad]
    assert not bad, f"{name}: accessibility violations {details}"
