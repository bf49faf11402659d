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

from dataclasses import dataclass, field

import pytest

from tests.api.catalog import ACCESS, KEYS, SECRET
from tests.browser.serving import AXE, CHROMIUM, need_chromium, only_the_server, served

pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class Server:
    url: str
    keys: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    from graph.store import CatalogStore
    from loaders import load_path
    from yishu.config import DEMO_DIR
    from yishu.demo import load_demo

    need_chromium()
    home = tmp_path_factory.mktemp("browser")
    store = CatalogStore(home / "store")
    load_demo(store, DEMO_DIR)  # with its history: the bulletin page has quarters to compare
    load_path(store, SECRET, "apix-secret")
    store.close()
    with served(home, ACCESS, "--store", str(home / "store")) as url:
        yield Server(url, dict(KEYS))


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
    only_the_server(pg, server.url, problems)
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
