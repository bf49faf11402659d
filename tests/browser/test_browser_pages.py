"""The web catalog in a real browser (Debian's chromium through Playwright) against a real
``yishu serve`` on loopback (the ``server``, ``page`` and ``axe`` fixtures of this folder's
conftest): every page loads with no console error and no request to any other host; the three
user walks of issue 10; what anonymous and admin see, in the pages and in the data the pages
fetch; axe-core finds no serious or critical violation. With ``YISHU_SCREENSHOTS=docs/img`` the
main pages are saved as pictures for the docs."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest

from tests.api.catalog import PERSONS, PHONE, leaks

EXAMPLE = (Path(__file__).parents[2] / "api/web/sparql_examples/1-resources-per-department.rq"
           ).read_text(encoding="utf-8")
SECRET_QUERY = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), \"APIX\") || "
                "CONTAINS(STR(?o), \"APIX\")) }")
PAGES = {  # name: url (the main pages; the pictures are named after them)
    "home": "/",
    "search": "/search?q=低保",
    "department": "/department/YX-MZ",
    "resource": "/resource/R-MZ-DB",
    "item": "/item/R-MZ-DB/公民身份号码",
    "element": "/element?q=身份证号",
    "system": "/system/YX-S-MZ-JZ",
    "dashboard": "/dashboard?sort=score&order=asc",
    "bulletin": "/bulletin?quarter=2026Q3",
    "signin": "/signin",
    "query": "/query?query=" + quote(EXAMPLE),
}
ADMIN_PAGES = {"admin": "/admin"}
PROBES = ["/", "/query?query=" + quote(SECRET_QUERY), "/search?q=接口测试", "/department/D-APIX", "/resource/RES-APIX-OPEN",
          "/item/RES-APIX-OPEN/人员编号", "/element/DE-APIX", "/system/S-APIX-OPEN",
          "/dashboard?department=D-APIX"]
SHOTS = os.environ.get("YISHU_SCREENSHOTS")


def signin(page, server, role: str) -> None:
    page.goto(server.url + "/signin")
    page.fill("#key", server.keys[role])
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url(server.url + "/")


def _settle(page) -> None:
    """Wait for what the page loads after it is shown (the lineage picture)."""
    if page.locator("#cy").count():
        page.wait_for_selector("#cy[data-ready]", state="attached", timeout=15_000)
    if page.locator("#impact").count():
        page.wait_for_selector("#impact[data-ready]", state="attached", timeout=15_000)


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 1200})
        page.wait_for_timeout(300)
        page.screenshot(path=str(Path(SHOTS) / f"web-{name}.png"), full_page=False)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_clean(page, server, name):
    """No console error, no request to another host (the ``page`` fixture checks both)."""
    page.goto(server.url + PAGES[name])
    _settle(page)
    assert page.locator("main h1").count() == 1
    _shot(page, name)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(page, server, axe, name):
    page.goto(server.url + PAGES[name])
    _settle(page)
    assert axe(page) == []


def test_admin_pages_load_clean(page, server):
    signin(page, server, "admin")
    for name, url in ADMIN_PAGES.items():
        page.goto(server.url + url)
        assert page.locator("#sources").count() == 1
        _shot(page, name)


def test_admin_pages_are_accessible(page, server, axe):
    signin(page, server, "admin")
    for url in ADMIN_PAGES.values():
        page.goto(server.url + url)
        assert axe(page) == []


def test_english_pages(page, server):
    page.goto(server.url + "/resource/R-MZ-DB?lang=en")
    _settle(page)
    assert "Data resource" in page.inner_text("main")
    assert page.get_attribute("html", "lang") == "en"
    page.goto(server.url + "/dashboard")  # the choice is remembered
    assert "Audit dashboard" in page.inner_text("main h1")


# -- the three walks ----------------------------------------------------------------------------
def test_walk_governance_officer(page, server):
    """Dashboard → sort by score → the worst department → a finding → the entity it names."""
    signin(page, server, "governance")
    page.click("nav >> text=审计看板")
    page.click("#ranking-table thead a[data-sort=score]")
    page.wait_for_url(re.compile(r"sort=score"))
    scores = [float(s) for s in page.locator("#ranking-table tbody td.score").all_inner_texts()
              if s != "—"]
    assert scores == sorted(scores) and len(scores) > 5
    worst = page.locator("#ranking-table tbody tr").first
    code = worst.get_attribute("data-code")
    worst.locator("a").first.click()
    page.wait_for_url(f"**/department/{code}")
    finding = page.locator("table.findings tbody tr").first
    link = finding.locator("td").nth(2).locator("a")
    target = unquote(link.get_attribute("href"))
    link.click()
    page.wait_for_url(re.compile(re.escape(server.url) + r"/\w+/"))
    assert unquote(urlparse(page.url).path) == target
    assert page.locator("main h1").count() == 1 and "未找到" not in page.inner_text("main h1")


def test_walk_analyst(page, server):
    """Search 低保 → the resource → lineage upstream depth 3 → click an upstream resource."""
    page.goto(server.url + "/")
    page.fill("#q", "低保")
    page.wait_for_selector("#suggest li a")  # suggestions as you type
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    page.click("table.results a[href='/resource/R-MZ-DB']")
    page.wait_for_url("**/resource/R-MZ-DB")
    _settle(page)
    page.select_option("#lineage-form select[name=direction]", "UPSTREAM")
    page.fill("#lineage-form input[name=depth]", "3")
    before = page.get_attribute("#cy", "data-ready")
    page.click("#lineage-form button[type=submit]")
    page.wait_for_function(f"document.querySelector('#cy').dataset.ready !== '{before}'")
    assert "节点" in page.inner_text("#lineage-status")
    if page.evaluate("() => typeof window.yishuCy !== 'undefined'"):  # the picture: click it
        page.locator("#cy").scroll_into_view_if_needed()
        page.wait_for_timeout(300)  # cytoscape re-reads its box on the scroll event
        pos = page.evaluate("""() => window.yishuCy.nodes().filter(
            n => n.data('kind') === 'resource' && n.data('code') === 'R-JC-RK')[0]
            .renderedPosition()""")
        page.locator("#cy").click(position={"x": pos["x"], "y": pos["y"]})
    else:  # cytoscape not installed: the same answer as a table, opened
        page.click("#lineage-table a[href='/resource/R-JC-RK']")
    page.wait_for_url("**/resource/R-JC-RK")
    assert "人口综合库" in page.inner_text("main h1")


def test_walk_integrator(page, server):
    """Type 身份证号 → RESOLVED, with the source system."""
    page.goto(server.url + "/element")
    page.fill("#one-source-q", "身份证号")
    page.click("form[action='/element'] button[type=submit]")
    assert page.inner_text("#status") == "RESOLVED"
    row = page.inner_text("#candidates tbody tr")
    assert "江东省人口基础信息库" in row and "JD-S-RK" in row


# -- who sees what, in the pages and in the data they fetch ---------------------------------------
def _seen(page, server, urls) -> str:
    bodies: list[str] = []

    def keep(resp):
        if resp.url.startswith(server.url) and "/static/" not in resp.url:
            try:
                bodies.append(resp.text())
            except Exception:  # noqa: BLE001 - a redirect has no body
                pass

    page.on("response", keep)
    for url in urls:
        page.goto(server.url + url)
        _settle(page)
        page.fill("#q", "接口测试")
        page.wait_for_timeout(400)  # the suggestions' data
        bodies.append(page.content())
    page.remove_listener("response", keep)
    return "\n".join(bodies)


def test_anonymous_sees_no_secret_or_personal_data(page, server):
    text = _seen(page, server, PROBES)
    assert leaks(text, classified=False, phones=False, persons=False) == []
    assert "接口测试涉密" not in text


def test_admin_does(page, server):
    signin(page, server, "admin")
    text = _seen(page, server, PROBES)
    assert PHONE in text and all(p in text for p in PERSONS)
    assert "RES-APIX-SEC" in text and "接口测试涉密名单" in text


def test_graphiql_runs_a_query_with_the_network_closed(page, server):
    """Every request to another host fails the test (the ``page`` fixture); GraphiQL still loads
    and answers."""
    page.goto(server.url + "/graphql")
    page.wait_for_selector(".graphiql-execute-button", timeout=20_000)
    page.evaluate("q => document.querySelector('.graphiql-query-editor .CodeMirror')"
                  ".CodeMirror.setValue(q)", '{ resolveSource(element: "身份证号") { status } }')
    page.click(".graphiql-execute-button")
    page.wait_for_function("document.querySelector('.result-window') && "
                           "document.querySelector('.result-window').innerText.includes('RESOLVED')",
                           timeout=20_000)


def test_openapi_page_loads_with_the_network_closed(page, server):
    page.goto(server.url + "/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=20_000)
