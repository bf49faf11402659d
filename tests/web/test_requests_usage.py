"""The sharing-request forms and the usage section in the pages (issue 13), in-process over
tests/fixtures/small plus the API tests' 涉密 source and the usage fixture, with department keys:
file a request on a resource page, pass it as the authority, approve it as the provider; the
actions each key is offered; errors next to the field; forged and CSRF-less POSTs refused;
涉密 entries absent."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from graph.workflow_store import read_log
from tests.usage.catalog import USAGE, catalog

ACCESS = {"classified_network": True, "keys": [
    {"name": "mz", "role": "analyst", "key": "k-mz", "department": "D-MZ"},
    {"name": "ga", "role": "analyst", "key": "k-ga", "department": "D-GA"},
    {"name": "gov", "role": "governance", "key": "k-gov", "department": "D-GOV"},
    {"name": "adm", "role": "admin", "key": "k-adm"},
]}


@pytest.fixture(scope="module")
def site():
    from loaders.usage import import_usage_file

    store = catalog()
    import_usage_file(store, USAGE)
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, store


def H(key: str | None) -> dict:
    return {"X-API-Key": key} if key else {}


def csrf(c, key: str | None = "k-mz") -> str:
    html = c.get("/resource/RES-HJ", headers=H(key)).text
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def errors(html: str) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]*)<', html)


def actions(html: str, ident: str) -> list[str]:
    card = html.split(f'id="req-{ident}"', 1)[1].split("</article>", 1)[0]
    return re.findall(r'name="action" value="(\w+)"', card)


def file(c, key="k-mz", **fields) -> str:
    data = {"csrf": csrf(c, key), "purpose": "低保审核", "scenario": "低保资格核验",
            "items": ["姓名", "身份证号"], "system": "S-DB", **fields}
    r = c.post("/resource/RES-HJ/request", data=data, headers=H(key), follow_redirects=False)
    assert r.status_code == 303, errors(r.text)
    return re.search(r"filed=(\w+)", r.headers["location"]).group(1)


def test_usage_section_counts_by_role(site):
    c, _ = site
    html = c.get("/resource/RES-HJ", headers=H("k-adm")).text
    section = html.split('id="usage"', 1)[1].split("</section>", 1)[0]
    assert "<strong>217</strong>" in section and "S-APIX-SEC" in section
    assert "2025-09-01 – 2025-09-03" in section
    # anonymous and the analyst do not see the 涉密 system nor count its calls
    for key in (None, "k-mz"):
        section = c.get("/resource/RES-HJ", headers=H(key)).text.split('id="usage"', 1)[1]
        section = section.split("</section>", 1)[0]
        assert "<strong>210</strong>" in section and "S-APIX-SEC" not in section
        assert "保密核查" not in section
    one_day = c.get("/resource/RES-HJ?from=2025-09-02&to=2025-09-02").text
    assert "<strong>90</strong>" in one_day
    bad = c.get("/resource/RES-HJ?from=2025-9-2").text
    assert "YYYY-MM-DD" in "".join(errors(bad))
    none = c.get("/resource/RES-DB").text.split('id="usage"', 1)[1].split("</section>", 1)[0]
    assert "没有调用记录" in none


def test_the_form_is_offered_to_department_keys_only(site):
    c, _ = site
    assert 'action="/resource/RES-HJ/request"' in c.get("/resource/RES-HJ",
                                                         headers=H("k-mz")).text
    for key, says in ((None, "用属于某部门的密钥登录"), ("k-adm", "不属于任何部门")):
        html = c.get("/resource/RES-HJ", headers=H(key)).text
        assert 'action="/resource/RES-HJ/request"' not in html and says in html
    assert "不予共享" in c.get("/resource/RES-APIX-SEC", headers=H("k-adm")).text


def test_file_pass_approve_through_the_pages(site):
    c, store = site
    ident = file(c)
    mine = c.get(f"/requests?filed={ident}", headers=H("k-mz")).text
    assert "申请已提交" in mine and actions(mine, ident) == ["WITHDRAW"]
    assert 'data-state="FILED"' in mine and "姓名，身份证号" in mine and "S-DB 社会救助系统" in mine
    # the provider may not act before the review; the authority sees it waiting
    assert f'id="req-{ident}"' in c.get("/requests", headers=H("k-ga")).text
    assert actions(c.get("/requests", headers=H("k-ga")).text, ident) == []
    assert actions(c.get("/requests", headers=H("k-gov")).text, ident) == ["PASS", "RETURN"]
    r = c.post(f"/requests/{ident}/act", data={"csrf": csrf(c, "k-gov"), "action": "PASS"},
               headers=H("k-gov"), follow_redirects=False)
    assert r.status_code == 303
    provider = c.get("/requests", headers=H("k-ga")).text
    assert actions(provider, ident) == ["APPROVE", "APPROVE_WITH_CONDITIONS", "REFUSE",
                                        "ASK_MORE"]
    # refusing needs a reason: the error is next to the comment field, nothing recorded
    r = c.post(f"/requests/{ident}/act", data={"csrf": csrf(c, "k-ga"), "action": "REFUSE"},
               headers=H("k-ga"))
    assert r.status_code == 400
    card = r.text.split(f'id="req-{ident}"', 1)[1].split("</article>", 1)[0]
    assert re.search(rf'id="e-{ident}" role="alert">[^<]*须填写理由或意见', card)
    # the error names the action by its label, never its code
    said = re.search(rf'id="e-{ident}" role="alert">([^<]*)<', card).group(1)
    assert "「不予共享」" in said and "REFUSE" not in said
    r = c.post(f"/requests/{ident}/act", data={"csrf": csrf(c, "k-ga"), "action": "APPROVE",
                                               "comment": "同意，按最小必要原则使用"},
               headers=H("k-ga"), follow_redirects=False)
    assert r.status_code == 303
    done = c.get("/requests", headers=H("k-mz")).text
    card = done.split(f'id="req-{ident}"', 1)[1].split("</article>", 1)[0]
    assert 'data-state="APPROVED"' in done and actions(done, ident) == []
    assert re.findall(r"<tr><td>\d+</td><td>([^<]+)</td>", card) == [
        "提出申请", "审查通过", "同意共享"]
    ok = [(e.actor, e.operation) for e in read_log(store)
          if e.target.endswith(ident) or e.operation == "FILE"]
    assert ("gov", "PASS") in ok and ("ga", "APPROVE") in ok


def test_another_department_gets_no_buttons_and_a_forged_post_is_refused(site):
    c, store = site
    ident = file(c)
    c.post(f"/requests/{ident}/act", data={"csrf": csrf(c, "k-gov"), "action": "PASS"},
           headers=H("k-gov"))
    # D-MZ filed it: it may only withdraw; a forged APPROVE is refused and logged
    assert actions(c.get("/requests", headers=H("k-mz")).text, ident) == ["WITHDRAW"]
    r = c.post(f"/requests/{ident}/act", data={"csrf": csrf(c), "action": "APPROVE",
                                               "comment": "自己批"}, headers=H("k-mz"))
    assert r.status_code == 403 and "不是该申请的答复部门 D-GA" in "".join(errors(r.text))
    assert [(e.actor, e.operation) for e in read_log(store)
            if e.outcome == "DENIED" and e.target.endswith(ident)] == [("mz", "APPROVE")]
    # without the CSRF token nothing happens, not even for the right department
    r = c.post(f"/requests/{ident}/act", data={"action": "APPROVE"}, headers=H("k-ga"))
    assert r.status_code == 403 and "表单已过期" in "".join(errors(r.text))
    r = c.post("/resource/RES-HJ/request", data={"purpose": "x", "scenario": "y"},
               headers=H("k-mz"))
    assert r.status_code == 403
    state = re.search(rf'id="req-{ident}" data-state="(\w+)"',
                      c.get("/requests", headers=H("k-ga")).text).group(1)
    assert state == "FORWARDED"


def test_field_errors_are_next_to_their_fields(site):
    c, _ = site
    r = c.post("/resource/RES-HJ/request", data={"csrf": csrf(c), "purpose": "",
                                                  "scenario": ""}, headers=H("k-mz"))
    assert r.status_code == 400
    assert re.search(r'id="f-purpose"[^>]*aria-invalid="true"[^>]*>\s*<span class="error" '
                     r'id="err-purpose">必填', r.text)
    assert 'id="err-scenario">必填' in r.text
    en = c.post("/resource/RES-HJ/request?lang=en", data={"csrf": csrf(c), "purpose": "x",
                                                          "scenario": ""}, headers=H("k-mz"))
    assert 'id="err-scenario">Required: give the scenario' in en.text
    assert 'value="x"' in en.text  # what was typed is kept
    c.get("/?lang=zh")  # back to Chinese for the other tests (the choice is a cookie)


def test_hidden_resources_cannot_be_requested_or_seen(site):
    c, _ = site
    r = c.post("/resource/RES-APIX-SEC/request", data={"csrf": csrf(c), "purpose": "a",
                                                        "scenario": "b"}, headers=H("k-mz"))
    unknown = c.post("/resource/RES-NOPE/request", data={"csrf": csrf(c), "purpose": "a",
                                                          "scenario": "b"}, headers=H("k-mz"))
    assert r.status_code == unknown.status_code == 404
    assert r.text.replace("RES-APIX-SEC", "X") == unknown.text.replace("RES-NOPE", "X")


def test_requests_page_needs_a_caller(site):
    c, _ = site
    r = c.get("/requests", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")
    html = c.get("/requests", headers=H("k-adm")).text  # an admin key without a department
    assert "待数据主管部门审查" in html and 'name="action"' not in html


def _state(html: str, ident: str) -> str:
    return re.search(rf'id="obj-{ident}" data-state="(\w+)"', html).group(1)


def test_objections_through_the_pages(site):
    c, store = site
    data = {"csrf": csrf(c), "category": "OUTDATED", "item": "姓名",
            "description": "户籍地址未随迁移更新", "evidence": "2025-09 比对结果 12 条不一致"}
    r = c.post("/resource/RES-HJ/objection", data=data, headers=H("k-mz"),
               follow_redirects=False)
    assert r.status_code == 303
    ident = re.search(r"raised=(\w+)", r.headers["location"]).group(1)
    mine = c.get("/objections", headers=H("k-mz")).text
    card = mine.split(f'id="obj-{ident}"', 1)[1].split("</article>", 1)[0]
    assert _state(mine, ident) == "RAISED" and "数据过期" in card and "姓名" in card
    assert re.findall(r'name="action" value="(\w+)"', card) == ["WITHDRAW"]
    provider = c.get("/objections", headers=H("k-ga")).text
    card = provider.split(f'id="obj-{ident}"', 1)[1].split("</article>", 1)[0]
    assert re.findall(r'name="action" value="(\w+)"', card) == ["VERIFY", "CORRECT", "REJECT"]
    # another department neither sees it nor may act on it
    assert f'id="obj-{ident}"' not in c.get("/objections", headers=H("k-gov")).text
    r = c.post(f"/objections/{ident}/act", data={"csrf": csrf(c, "k-gov"), "action": "CORRECT",
                                                 "comment": "代为更正"}, headers=H("k-gov"))
    assert r.status_code == 403
    assert [(e.actor, e.operation) for e in read_log(store)
            if e.outcome == "DENIED" and e.target.endswith(ident)] == [("gov", "OBJECTION_CORRECT")]
    r = c.post(f"/objections/{ident}/act", data={"action": "VERIFY"}, headers=H("k-ga"))
    assert r.status_code == 403  # no CSRF token
    r = c.post(f"/objections/{ident}/act", data={"csrf": csrf(c, "k-ga"), "action": "REJECT"},
               headers=H("k-ga"))
    assert r.status_code == 400 and "须填写理由或意见" in "".join(errors(r.text))
    for action, comment in (("VERIFY", ""), ("CORRECT", "已按公安户籍库更新地址")):
        r = c.post(f"/objections/{ident}/act", data={"csrf": csrf(c, "k-ga"), "action": action,
                                                     "comment": comment},
                   headers=H("k-ga"), follow_redirects=False)
        assert r.status_code == 303
    done = c.get("/objections", headers=H("k-mz")).text
    assert _state(done, ident) == "CORRECTED"
    card = done.split(f'id="obj-{ident}"', 1)[1].split("</article>", 1)[0]
    assert re.findall(r"<tr><td>\d+</td><td>([^<]+)</td>", card) == [
        "提出异议", "受理核实", "已更正"]


def test_objection_form_errors_next_to_the_field(site):
    c, _ = site
    r = c.post("/resource/RES-HJ/objection", data={"csrf": csrf(c), "category": "",
                                                    "description": ""}, headers=H("k-mz"))
    assert r.status_code == 400
    assert 'id="oerr-category">请选择异议类型' in r.text
    assert 'id="oerr-description">必填' in r.text
    hidden = c.post("/resource/RES-APIX-SEC/objection", data={"csrf": csrf(c)},
                    headers=H("k-mz"))
    assert hidden.status_code == 404
