"""Every page, every role, in-process: the pages answer, say what they should, and show nothing
the role may not see — through the same probes as the API's access tests."""

from __future__ import annotations

import pytest

from tests.api.catalog import HAS_DEMO, PERSONS, PHONE, leaks
from tests.web.pages import ROLES

pytestmark = pytest.mark.skipif(not HAS_DEMO, reason="the demo district is needed")

# Pages about the entries next to the 涉密 ones, and the catalog-wide pages.
PROBED = [
    "/", "/search?q=接口测试", "/search?q=人员编号", "/search.json?q=接口测试",
    "/search.json?q=APIX", "/department/D-APIX", "/resource/RES-APIX-OPEN",
    "/resource/RES-APIX-OPEN/lineage.json?depth=5&direction=BOTH",
    "/resource/RES-APIX-OPEN/impact.json", "/lineage.json?node=department:D-APIX&depth=5",
    "/resource/RES-APIX-OPEN/lineage.json?depth=5&granularity=ITEM",
    "/lineage.json?node=department:D-APIX&direction=DOWNSTREAM&depth=5",
    "/item/RES-APIX-OPEN/人员编号", "/element/DE-APIX", "/element?q=测试编号",
    "/system/S-APIX-OPEN", "/responsibility/R-APIX", "/dashboard",
    "/dashboard?department=D-APIX", "/dashboard/audit.xlsx", "/dashboard/audit.csv",
    "/dashboard/audit.html",
]
SECRET_NAMES = ("接口测试涉密名单", "接口测试涉密系统")


def _text(r) -> str:
    if r.headers["content-type"].startswith("application/vnd.openxml"):
        import io

        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(r.content))
        return "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True)
                         for c in row if c is not None)
    return r.text


@pytest.mark.parametrize("url", PROBED)
def test_anonymous_sees_nothing_secret_or_personal(page, url):
    r = page(url)
    assert r.status_code == 200, (url, r.text[:500])
    text = _text(r)
    assert leaks(text, classified=False, phones=False, persons=False) == [], url
    assert not [n for n in SECRET_NAMES if n in text], url


@pytest.mark.parametrize("role", ROLES[1:])
@pytest.mark.parametrize("url", PROBED)
def test_each_role_sees_what_it_may(page, url, role):
    from tests.api.catalog import ROLE_VIEW

    persons, phones, classified = ROLE_VIEW[role]
    r = page(url, role)
    assert r.status_code == 200, (url, r.text[:500])
    assert leaks(_text(r), classified=classified, phones=phones, persons=persons) == []


def test_admin_sees_what_anonymous_does_not(page):
    dept = page("/department/D-APIX", "admin").text
    assert PHONE in dept and all(p in dept for p in PERSONS)
    assert "RES-APIX-SEC" in dept and "S-APIX-SEC" in dept and "REQ-APIX-1" in dept
    lin = page("/resource/RES-APIX-OPEN/lineage.json?depth=5", "admin").json()
    assert "RES-APIX-SEC" in [n["code"] for n in lin["nodes"]]
    assert "RES-APIX-SEC" in page("/search.json?q=接口测试", "admin").text
    assert page("/resource/RES-APIX-SEC", "admin").status_code == 200
    trace = page("/item/RES-APIX-OPEN/人员编号", "admin").text
    assert "RES-APIX-SEC" in trace and "权威来源" in trace
    analyst = page("/department/D-APIX", "analyst").text
    assert "孙首席" in analyst and PHONE not in analyst


def _same(html: str, code: str) -> str:
    from urllib.parse import quote

    return html.replace(quote(code, safe=""), "X").replace(quote(code), "X").replace(code, "X")


@pytest.mark.parametrize("kind,code", [("resource", "RES-APIX-SEC"), ("system", "S-APIX-SEC"),
                                        ("flow", "F-APIX-1"), ("request", "REQ-APIX-1"),
                                        ("item", "RES-APIX-SEC/人员编号")])
def test_hidden_page_answers_like_an_unknown_code(page, kind, code):
    hidden = page(f"/{kind}/{code}")
    unknown = page(f"/{kind}/{code}-NONE")
    assert hidden.status_code == unknown.status_code == 404
    assert _same(hidden.text, code) == _same(unknown.text, f"{code}-NONE")
    if kind == "resource":
        a = page(f"/resource/{code}/lineage.json")
        b = page(f"/resource/{code}-NONE/lineage.json")
        assert a.status_code == b.status_code == 404
        assert a.text.replace(code, "X") == b.text.replace(f"{code}-NONE", "X")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_for_every_role(page, codes, role):
    urls = ["/", f"/search?q={codes.synonym}", f"/department/{codes.department}",
            f"/resource/{codes.resource}", f"/item/{codes.item}", f"/element/{codes.element}",
            f"/element?q={codes.synonym}", "/element", f"/system/{codes.system}", "/dashboard",
            "/signin"]
    for url in urls:
        r = page(url, role)
        assert r.status_code == 200, (url, r.text[:300])
        assert r.headers["content-type"].startswith("text/html")
        assert '<main id="main">' in r.text and "<h1>" in r.text
    assert page("/admin", role).status_code == (200 if role == "admin" else 404)


def test_search_best_first_and_as_you_type(page):
    hits = page("/search.json?q=R-MZ-DB").json()["results"]
    assert hits[0]["code"] == "R-MZ-DB" and hits[0]["url"] == "/resource/R-MZ-DB"
    by_synonym = page("/search.json?q=身份证号").json()["results"]
    assert "DE-0101" in [h["code"] for h in by_synonym if h["kind"] == "element"]
    items = [h for h in page("/search.json?q=低保").json()["results"] if h["kind"] == "item"]
    assert items and all(h["context"] for h in items)  # the resource it belongs to
    html = page("/search?q=低保").text
    assert 'href="/resource/R-MZ-DB"' in html  # the analyst reaches the resource


def test_home_counts_figures_and_worst_departments(page):
    html = page("/").text
    for words in ("按需共享率", "分钟级需求满足率", "接入率", "上云率", "职责数据一数一源覆盖率",
                  "违规最多的部门", "demo-district"):
        assert words in html
    assert 'href="/department/YX-CL"' in html  # the demo's 一数多源 CONFLICT department


def test_department_page(page):
    html = page("/department/YX-MZ", "admin").text
    for words in ("云溪区民政局", "职责事项", "所需数据元", "产生资源", "R-MZ-DB", "YX-S-MZ-JZ",
                  "提出的共享需求", "收到的共享需求", "审计得分", "一数一源", "施红英"):
        assert words in html, words
    assert "施红英" not in page("/department/YX-MZ").text


def test_resource_page_and_lineage(page):
    html = page("/resource/R-MZ-DB").text
    for words in ("最低生活保障对象信息", "有条件共享", "云溪区民政局", "社会救助综合管理系统",
                  "公民身份号码", "取自", "影响分析", "impact.json",
                  'data-url="/resource/R-MZ-DB/lineage.json"'):
        assert words in html, words
    from api.web.view import VENDOR

    # the picture's library is asked for exactly when it is installed (no request to a 404)
    assert ("/static/vendor/cytoscape/cytoscape.min.js" in html) == (
        VENDOR / "cytoscape" / "cytoscape.min.js").is_file()
    imp = page("/resource/R-MZ-DB/impact.json").json()
    assert imp["resources"]["count"] >= 1 and imp["departments"]["shown"][0]["url"].startswith("/")
    assert page("/resource/RES-APIX-SEC/impact.json").status_code == 404
    lin = page("/resource/R-MZ-DB/lineage.json?direction=UPSTREAM&depth=3").json()
    codes = {n["code"] for n in lin["nodes"]}
    assert "R-JC-RK" in codes and lin["root"].endswith("/resource/R-MZ-DB")
    ids = {n["id"] for n in lin["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in lin["edges"])
    assert all(n["url"].startswith("/") for n in lin["nodes"])
    assert lin["shown_nodes"] == len(lin["nodes"]) == lin["total_nodes"]
    shallow = page("/resource/R-MZ-DB/lineage.json?depth=1").json()
    assert shallow["truncated"] is True and len(shallow["nodes"]) < len(lin["nodes"])
    items = page("/resource/R-MZ-DB/lineage.json?depth=2&granularity=ITEM").json()
    assert {n["kind"] for n in items["nodes"]} >= {"item"}
    assert page("/resource/R-MZ-DB/lineage.json?depth=11").status_code == 422
    assert page("/resource/R-MZ-DB/lineage.json?direction=SIDEWAYS").status_code == 422


def test_lineage_marks_cycles_and_sensitivity(page):
    # the demo's planted defects (examples/demo-district/DEFECTS.md): a derivation cycle
    # R-GXQ-QF <-> R-ZJ-ZZ (ODS-005) and a level-2 resource derived from a level-3 one (SEC-003)
    cyc = page("/resource/R-GXQ-QF/lineage.json?direction=UPSTREAM&depth=3").json()
    assert cyc["cycles"] >= 1
    marked = {n["code"] for n in cyc["nodes"] if n["in_cycle"]}
    assert {"R-GXQ-QF", "R-ZJ-ZZ"} <= marked
    assert any(e["in_cycle"] for e in cyc["edges"])
    sec = page("/resource/R-YB-TJ/lineage.json?direction=UPSTREAM&depth=2").json()
    root = next(n for n in sec["nodes"] if n["root"])
    assert root["below_upstream"] is True and root["sensitivity"] == "二级"
    assert root["upstream_sensitivity"] == "三级"


def test_item_trace_page(page, codes):
    html = page(f"/item/{codes.item}").text
    assert "溯源" in html and "权威来源" in html
    assert "R-JDGA-RK" in html or codes.upstream in html
    for words in ("部门", "信息系统", "经由平台", "交换方式", "设定依据"):
        assert words in html


def test_element_one_source(page):
    html = page("/element?q=身份证号").text
    assert "RESOLVED" in html and "JD-S-RK" in html and "JD-GAT" in html
    assert 'id="candidates"' in html and "重复采集" in html
    missing = page("/element?q=没有这个数据元")
    assert missing.status_code == 200 and "没有编码、标准名称或同义词" in missing.text


def test_system_page(page, codes):
    html = page(f"/system/{codes.system}").text
    for words in ("运行状态", "接入共享平台", "部署方式", "来源于本系统的数据资源", "R-MZ-DB"):
        assert words in html


def test_dashboard_sort_filter_download(page):
    html = page("/dashboard?sort=score&order=asc").text
    assert 'aria-sort="ascending"' in html and "按需共享率" in html
    import re

    scores = [float(s) for s in re.findall(r'<td class="num score">([\d.]+)</td>', html)]
    assert scores == sorted(scores) and len(scores) >= 10
    desc = page("/dashboard?sort=score&order=desc").text
    assert [float(s) for s in re.findall(r'<td class="num score">([\d.]+)</td>', desc)] == \
        sorted(scores, reverse=True)
    only = page("/dashboard?severity=Violation").text
    assert 'data-severity="Warning"' not in only and 'data-severity="Violation"' in only
    r = page("/dashboard/audit.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert 'href="/dashboard/audit.html"' in html and 'href="/dashboard/audit.csv"' in html
    report = page("/dashboard/audit.html")
    assert report.status_code == 200 and "审计报告" in report.text
    assert "rule" in page("/dashboard/audit.csv").text.splitlines()[0]
    assert page("/dashboard/audit.pdf").status_code == 400


def test_language_toggle(fresh_client):
    page = fresh_client.get
    en = page("/resource/R-MZ-DB?lang=en")
    assert "Data resource" in en.text and "Sharing type" in en.text and "Shared on conditions" in en.text and 'lang="en"' in en.text
    assert "yishu_lang=en" in en.headers["set-cookie"]
    assert "Data resource" in page("/resource/R-MZ-DB").text  # the cookie remembers
    assert "数据资源" in page("/resource/R-MZ-DB?lang=zh").text


def test_dashboard_status_and_a_new_audit_after_a_load(admin_app_client):
    c, store = admin_app_client
    first = c.get("/dashboard")
    assert first.status_code == 200 and 'id="ranking-table"' in first.text
    status = c.get("/dashboard/status.json").json()
    assert status["state"] == "done" and status["finished_at"] and status["total"] > 0
    assert status["done"] == status["total"]
    from loaders import load_path
    from tests.api.catalog import SECRET

    load_path(store, SECRET, "apix-secret")  # a new version of the store: a new audit
    shown = c.get("/dashboard").text  # the last result at once, the new one on its way
    assert "D-APIX" not in shown
    import time

    deadline = time.monotonic() + 60
    while c.get("/dashboard/status.json").json()["runs"] == status["runs"]:
        assert time.monotonic() < deadline, "the new audit did not finish"
        time.sleep(0.1)
    assert "D-APIX" in c.get("/dashboard").text


def test_element_conflict_mismatch_and_recollection(page):
    conflict = page("/element/DE-0603").text  # the demo's planted ODS-001
    assert "CONFLICT" in conflict and conflict.count("<tr><td><a href=\"/item/") >= 2
    assert "YX-CL" in conflict and "YX-MZ" in conflict
    assert "MISMATCH" in page("/element/DE-0501").text  # ODS-002
    resolved = page("/element/DE-0101").text
    assert 'id="recollections"' in resolved and "R-JY-ZS/学生身份证号" in resolved  # ODS-004


def test_trace_break_is_shown_with_its_reason(page):
    html = page("/item/R-SF-TJ/当事人婚姻状况").text  # the demo's planted LIN-001
    assert "链路中断" in html and 'class="break"' in html and "hop broken" in html


def test_the_three_things_make_demo_suggests_work(page):
    import re

    from yishu.cli_serve import _welcome

    text = _welcome("http://127.0.0.1:8000", demo=True)
    urls = re.findall(r"http://127\.0\.0\.1:8000(/\S*)", text)
    assert urls[0] == "/" and len(urls) == 4 and "Ctrl-C" in text
    for url in urls:
        r = page(url.split("#")[0])
        assert r.status_code == 200 and "未找到" not in r.text, url
    assert "RESOLVED" in page(urls[1]).text
