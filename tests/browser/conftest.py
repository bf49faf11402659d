"""Browser-test fixtures: a real ``yishu serve`` on loopback over the demo district plus the API
tests' 涉密 source (classified network on, one key per role), Debian's chromium driven by
Playwright, and axe-core.

- ``server``: ``.url`` and ``.keys`` (role -> API key); session-wide, its own process and store.
- ``page``: a fresh browser context and page; the test fails on any request to a host other than
  the server (the request is refused first), on any console error and on any uncaught exception.
- ``axe``: ``axe(page)`` -> the serious and critical violations axe-core finds on the page.

Written by the pages helper (issue 10) while the shared fixture the assets helper owns was not
there; replace freely, keeping these three names.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.api.catalog import ACCESS, KEYS, SECRET

pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "api" / "static" / "vendor" / "axe-core" / "axe.min.js"


@dataclass
class Server:
    url: str
    keys: dict[str, str] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    import httpx
    import yaml

    from graph.store import CatalogStore
    from loaders import load_path
    from yishu.config import DEMO_DIR
    from yishu.demo import load_demo

    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium is not installed ({CHROMIUM})")
    home = tmp_path_factory.mktemp("browser")
    store = CatalogStore(home / "store")
    load_demo(store, DEMO_DIR)  # with its history: the bulletin page has quarters to compare
    load_path(store, SECRET, "apix-secret")
    store.close()
    cfg = home / "access.yaml"
    cfg.write_text(yaml.safe_dump(ACCESS, allow_unicode=True), encoding="utf-8")
    port = _free_port()
    log = (home / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "yishu", "serve", "--store",
                             str(home / "store"), "--port", str(port), "--access-config",
                             str(cfg), "--log-level", "warning"], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("yishu serve did not start: "
                               + (home / "serve.log").read_text(encoding="utf-8")[-2000:])
        time.sleep(0.2)
    yield Server(url, dict(KEYS))
    proc.terminate()
    proc.wait(30)
    log.close()


@pytest.fixture(scope="session")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    problems: list[str] = []
    host = urlparse(server.url).netloc

    def only_the_server(route):
        if urlparse(route.request.url).netloc != host:
            problems.append(f"request to another host: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    pg.route("**/*", only_the_server)
    pg.on("console", lambda m: problems.append(f"console error: {m.text}")
          if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    yield pg
    context.close()
    assert problems == []


@pytest.fixture
def axe():
    if not AXE.exists():
        pytest.skip("axe-core is not vendored (api/static/vendor/axe-core/axe.min.js)")
    source = AXE.read_text(encoding="utf-8")

    def run(pg) -> list[dict]:
        if not pg.evaluate("() => typeof window.axe !== 'undefined'"):
            pg.add_script_tag(content=source)
        found = pg.evaluate("""async () => (await axe.run(document)).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))""")
        return [v for v in found if v["impact"] in ("serious", "critical")]

    return run
