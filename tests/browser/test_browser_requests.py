"""The sharing-request forms and the usage section in a real browser (Debian's chromium through
Playwright) against a real ``yishu serve --demo`` on loopback (the demo district and its usage
statistics), with department keys: 民政局 files a request for 公安分局's resource, the data
authority (数据局, governance) passes it, 公安分局 approves it, and the state changes on the page;
another department's key is offered no action and its forged POST is refused. No console error,
no request to another host, no serious accessibility violation.

With ``YISHU_SCREENSHOTS=docs/img`` the pictures docs/img/web-requests.png and web-usage.png are
taken."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.serving import AXE, need_chromium, only_the_server, served

pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

KEYS = {"mz": "k-wf-mz", "ga": "k-wf-ga", "sjj": "k-wf-sjj", "ny": "k-wf-ny"}
ACCESS = {"anonymous": True, "keys": [
    {"name": "民政局经办", "role": "analyst", "key": KEYS["mz"], "department": "YX-MZ"},
    {"name": "公安分局经办", "role": "analyst", "key": KEYS["ga"], "department": "YX-GA"},
    {"name": "数据局审查", "role": "governance", "key": KEYS["sjj"], "department": "YX-SJJ"},
    {"name": "农业农村局经办", "role": "analyst", "key": KEYS["ny"], "department": "YX-NY"},
]}
RESOURCE = "R-GA-HK"  # 户籍业务办理信息, provided by YX-GA (有条件共享)
SHOTS = os.environ.get("YISHU_SCREENSHOTS")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    home = tmp_path_factory.mktemp("wf-browser")
    with served(home, ACCESS, "--demo", "--store", str(home / "store"), timeout=90) as url:
        yield url


@pytest.fixture
def as_who(browser, site):
    """``as_who(name)`` → a page of a fresh context of the folder's browser (one Playwright per
    process) signed in with that key (None: anonymous); each checked for console errors and
    requests to other hosts."""
    contexts, problems = [], []

    def open_as(name: str | None):
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
        contexts.append(context)
        pg = context.new_page()
        only_the_server(pg, site, problems)
        pg.on("console", lambda m: problems.append(f"console error: {m.text}")
              if m.type == "error" and "status of 403" not in m.text
              and "status of 400" not in m.text else None)
        pg.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
        if name:
            pg.goto(site + "/signin")
            pg.fill("#key", KEYS[name])
            pg.click("form[action='/signin'] button[type=submit]")
            pg.wait_for_url(site + "/")
        return pg

    yield open_as
    for c in contexts:
        c.close()
    assert problems == []


def axe(pg) -> list[dict]:
    if not AXE.exists():
        return []
    if not pg.evaluate("() => typeof window.axe !== 'undefined'"):
        pg.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = pg.evaluate("""async () => (await axe.run(document)).violations.map(v => ({
        id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def shot(pg, name: str, selector: str | None = None) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    pg.set_viewport_size({"width": 1280, "height": 1100})
    if selector:
        pg.locator(selector).scroll_into_view_if_needed()
        pg.evaluate("s => document.querySelector(s).scrollIntoView({block: 'start'})", selector)
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(Path(SHOTS) / f"web-{name}.png"), full_page=False)


def card(pg, ident: str):
    return pg.locator(f"#req-{ident}")


def buttons(pg, ident: str) -> list[str]:
    loc = card(pg, ident).locator("button[name=action]")
    return [loc.nth(i).get_attribute("value") for i in range(loc.count())]


def test_usage_section_of_a_resource(as_who, site):
    pg = as_who(None)
    pg.goto(site + "/resource/R-JC-RK")
    usage = pg.locator("#usage")
    assert "次调用" in usage.inner_text()
    depts = usage.locator("table[data-usage=department] tbody tr")
    assert depts.count() >= 3
    assert "云溪区行政审批局" in depts.first.inner_text()
    pg.fill("#usage-from", "2025-11-01")
    pg.fill("#usage-to", "2025-11-30")
    pg.click("#usage button[type=submit]")
    pg.wait_for_url(re.compile(r"from=2025-11-01"))
    assert "2025-11-03 – 2025-11-17" in pg.locator("#usage").inner_text()
    assert axe(pg) == []
    pg.goto(site + "/resource/R-JC-RK")
    shot(pg, "usage", "#usage")


def test_file_pass_approve_in_the_browser(as_who, site):
    mz = as_who("mz")
    mz.goto(site + f"/resource/{RESOURCE}")
    form = mz.locator("#apply form")
    assert "云溪区民政局" in form.inner_text()
    assert axe(mz) == []
    # a missing field: the error is next to it, in Chinese first
    mz.fill("#f-scenario", "低保申请人户籍核验")
    form.locator("button[type=submit]").click()
    mz.wait_for_load_state()
    assert "必填" in mz.locator("#err-purpose").inner_text()
    assert mz.locator("#f-scenario").input_value() == "低保申请人户籍核验"
    mz.fill("#f-purpose", "最低生活保障资格审核")
    mz.locator("#apply input[name=items]").first.check()
    mz.select_option("#f-system", "YX-S-MZ-JZ")
    mz.fill("#f-basis", "《社会救助暂行办法》第十一条")
    mz.locator("#apply form button[type=submit]").click()
    mz.wait_for_url(re.compile(r"/requests\?filed=(\w+)"))
    ident = re.search(r"filed=(\w+)", mz.url).group(1)
    assert card(mz, ident).get_attribute("data-state") == "FILED"
    assert buttons(mz, ident) == ["WITHDRAW"]
    assert axe(mz) == []

    ny = as_who("ny")  # another department: the request is not there, and nothing to do
    ny.goto(site + "/requests")
    assert card(ny, ident).count() == 0 and ny.locator("button[name=action]").count() == 0

    sjj = as_who("sjj")  # the data authority reviews
    sjj.goto(site + "/requests")
    assert buttons(sjj, ident) == ["PASS", "RETURN"]
    card(sjj, ident).locator("button[value=PASS]").click()
    sjj.wait_for_url(re.compile(r"done="))
    assert card(sjj, ident).count() == 0  # no longer waiting for the authority

    mz.goto(site + "/requests")
    assert card(mz, ident).get_attribute("data-state") == "FORWARDED"
    assert buttons(mz, ident) == ["WITHDRAW"]  # the requester cannot approve its own request
    # a forged POST (the requester approving) is refused, and the state stays
    token = mz.locator(f"#req-{ident} input[name=csrf]").get_attribute("value")
    forged = mz.request.post(site + f"/requests/{ident}/act",
                             form={"csrf": token, "action": "APPROVE", "comment": "自己批"})
    assert forged.status == 403 and "答复部门" in forged.text()
    forged = ny.request.post(site + f"/requests/{ident}/act",
                             form={"action": "APPROVE", "comment": "无令牌"})
    assert forged.status == 403

    ga = as_who("ga")  # the provider answers
    ga.goto(site + "/requests")
    assert buttons(ga, ident) == ["APPROVE", "APPROVE_WITH_CONDITIONS", "REFUSE", "ASK_MORE"]
    card(ga, ident).locator("button[value=REFUSE]").click()  # no reason: refused, shown there
    ga.wait_for_load_state()
    assert "须填写理由或意见" in ga.locator(f"#e-{ident}").inner_text()
    shot(ga, "requests", "main h1")  # the provider's turn: steps, buttons, the error in place
    ga.fill(f"#c-{ident}", "同意，仅限低保资格审核使用，不得留存")
    card(ga, ident).locator("button[value=APPROVE]").click()
    ga.wait_for_url(re.compile(r"done="))
    assert card(ga, ident).get_attribute("data-state") == "APPROVED"
    assert buttons(ga, ident) == []

    mz.goto(site + "/requests")
    steps = card(mz, ident).locator("table.steps tbody tr")
    assert [steps.nth(i).locator("td").nth(1).inner_text() for i in range(steps.count())] == [
        "提出申请", "审查通过", "同意共享"]
    assert card(mz, ident).get_attribute("data-state") == "APPROVED"
    assert axe(mz) == []


def test_objection_in_the_browser(as_who, site):
    mz = as_who("mz")
    mz.goto(site + f"/resource/{RESOURCE}")
    form = mz.locator("#object form")
    form.locator("button[type=submit]").click()  # nothing chosen: errors beside the fields
    mz.wait_for_load_state()
    assert "请选择异议类型" in mz.locator("#oerr-category").inner_text()
    mz.select_option("#o-category", "INCONSISTENT")
    mz.fill("#o-description", "办理记录中的户籍地址与人口综合库不一致")
    mz.fill("#o-evidence", "2025-11 比对：3 条记录地址不同")
    mz.locator("#object form button[type=submit]").click()
    mz.wait_for_url(re.compile(r"/objections\?raised=(\w+)"))
    ident = re.search(r"raised=(\w+)", mz.url).group(1)
    assert mz.locator(f"#obj-{ident}").get_attribute("data-state") == "RAISED"
    assert axe(mz) == []

    ny = as_who("ny")
    ny.goto(site + "/objections")
    assert ny.locator(f"#obj-{ident}").count() == 0

    ga = as_who("ga")
    ga.goto(site + "/objections")
    ga.locator(f"#obj-{ident} button[value=VERIFY]").click()
    ga.wait_for_url(re.compile(r"done="))
    ga.fill(f"#oc-{ident}", "已按人口综合库更正 3 条地址")
    ga.locator(f"#obj-{ident} button[value=CORRECT]").click()
    ga.wait_for_url(re.compile(r"done="))
    assert ga.locator(f"#obj-{ident}").get_attribute("data-state") == "CORRECTED"
    assert axe(ga) == []
