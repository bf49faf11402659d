"""The sharing procedure's REST face (``POST /api/v1/requests``, ``…/{id}/actions``, and the same
for objections) through real HTTP: the same policy, write log and answers as the GraphQL
mutations, refusals as error bodies with their HTTP status."""

from __future__ import annotations

import httpx
import pytest

from graph.workflow_store import read_log

ACCESS = {"keys": [  # served by the fixture `server` (conftest.py)
    {"name": "mz", "role": "analyst", "key": "k-mz", "department": "D-MZ"},
    {"name": "ga", "role": "analyst", "key": "k-ga", "department": "D-GA"},
    {"name": "gov", "role": "governance", "key": "k-gov", "department": "D-GOV"},
    {"name": "nodept", "role": "governance", "key": "k-nodept"},
]}
FILE = {"resource": "RES-HJ", "purpose": "低保审核", "scenario": "低保资格核验",
        "items": "姓名,身份证号"}
GQL_ACT = """mutation($a: String!, $x: WorkflowAction!, $c: String!) {
  actOnSharingApplication(application: $a, action: $x, comment: $c) {
    id resource requester provider conditional state stateZh dueBy
    steps { seq action actor department at comment state } } }"""


def post(url: str, path: str, key: str, body: dict) -> httpx.Response:
    return httpx.post(url + path, json=body, headers={"X-API-Key": key}, timeout=30)


def test_file_review_reply_over_rest(server):
    srv, store = server
    r = post(srv.url, "/api/v1/requests", "k-mz", FILE)
    assert r.status_code == 201, r.text
    filed = r.json()
    assert (filed["state"], filed["stateZh"], filed["provider"], filed["requester"]) == (
        "FILED", "待符合性审查", "D-GA", "D-MZ")
    assert filed["dueBy"] and filed["steps"][0]["action"] == "FILE"
    app = filed["id"]
    r = post(srv.url, f"/api/v1/requests/{app}/actions", "k-gov", {"action": "PASS"})
    assert r.status_code == 200 and r.json()["state"] == "FORWARDED"
    r = post(srv.url, f"/api/v1/requests/{app}/actions", "k-ga",
             {"action": "APPROVE", "comment": "同意"})
    done = r.json()
    assert done["state"] == "APPROVED" and done["dueBy"] is None
    assert [(s["action"], s["department"], s["actor"]) for s in done["steps"]] == [
        ("FILE", "D-MZ", "mz"), ("PASS", "D-GOV", "gov"), ("APPROVE", "D-GA", "ga")]
    accepted = [(e.actor, e.operation) for e in read_log(store)
                if e.outcome == "ACCEPTED" and e.target.endswith(app)]
    assert sorted(accepted) == [("ga", "APPROVE"), ("gov", "PASS")]


def test_rest_and_graphql_answer_alike(server):
    """The REST answer is the GraphQL type's fields: act once through each face on two
    applications and compare everything but the ids and instants."""
    srv, _ = server
    a = post(srv.url, "/api/v1/requests", "k-mz", FILE).json()["id"]
    b = post(srv.url, "/api/v1/requests", "k-mz", FILE).json()["id"]
    rest = post(srv.url, f"/api/v1/requests/{a}/actions", "k-gov",
                {"action": "RETURN", "comment": "补充依据"}).json()
    gql = httpx.post(srv.url + "/graphql", headers={"X-API-Key": "k-gov"}, timeout=30, json={
        "query": GQL_ACT, "variables": {"a": b, "x": "RETURN", "c": "补充依据"}}).json()[
        "data"]["actOnSharingApplication"]

    def strip(d: dict) -> dict:
        return {**{k: v for k, v in d.items() if k != "id"},
                "steps": [{k: v for k, v in s.items() if k != "at"} for s in d["steps"]]}

    assert strip(rest) == strip(gql)
    assert set(rest) == set(gql)


@pytest.mark.parametrize(("key", "action", "comment", "status", "code"), [
    ("k-mz", "APPROVE", "", 403, "FORBIDDEN"),  # the requester replies for the provider
    ("k-nodept", "PASS", "", 403, "FORBIDDEN"),  # a key of no department
    ("k-ga", "APPROVE", "", 409, "ILLEGAL_TRANSITION"),  # not reviewed yet
    ("k-gov", "RETURN", "", 400, "COMMENT_REQUIRED"),
])
def test_refusals_over_rest_are_logged(server, key, action, comment, status, code):
    srv, store = server
    app = post(srv.url, "/api/v1/requests", "k-mz", FILE).json()["id"]
    if action == "APPROVE" and key == "k-mz":
        post(srv.url, f"/api/v1/requests/{app}/actions", "k-gov", {"action": "PASS"})
    r = post(srv.url, f"/api/v1/requests/{app}/actions", key,
             {"action": action, "comment": comment})
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code and err["zh"] and err["en"]
    # denied by the policy, or refused by the procedure (a missing comment, or an action the
    # state does not allow at all — no party to check, still logged)
    logged = {"FORBIDDEN": [(action, "DENIED")], "COMMENT_REQUIRED": [(action, "REFUSED")],
              "ILLEGAL_TRANSITION": [(action, "REFUSED")]}[code]
    assert [(e.operation, e.outcome) for e in read_log(store) if e.target.endswith(app)
            and e.outcome != "ACCEPTED"] == logged


def test_a_wrong_state_action_is_logged_for_governance(server):
    """APPROVE on a withdrawn application: refused (409, naming the state) and written to the
    write log as REFUSED with the caller and its department, which governance staff read
    through ``/api/v1/write-log`` (the reason as its comment) as they read a department
    replying for another."""
    srv, store = server
    app = post(srv.url, "/api/v1/requests", "k-mz", FILE).json()["id"]
    r = post(srv.url, f"/api/v1/requests/{app}/actions", "k-mz", {"action": "WITHDRAW"})
    assert r.json()["state"] == "WITHDRAWN"
    r = post(srv.url, f"/api/v1/requests/{app}/actions", "k-ga",
             {"action": "APPROVE", "comment": "同意"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "ILLEGAL_TRANSITION"
    assert "已撤回" in r.json()["error"]["zh"]
    page = httpx.get(srv.url + "/api/v1/write-log", params={"operation": "APPROVE", "first": 500},
                     headers={"X-API-Key": "k-gov"}, timeout=30).json()
    mine = [e for e in page["entries"] if e["target"].endswith(app)]
    assert [(e["actor"], e["department"], e["outcome"]) for e in mine] == [
        ("ga", "D-GA", "REFUSED")]
    assert "WITHDRAWN" in mine[0]["comment"]  # the reason it was refused
    entry = [e for e in read_log(store) if e.target.endswith(app) and e.outcome == "REFUSED"]
    assert [e.operation for e in entry] == ["APPROVE"]
    # an objection alike: VERIFY after it was withdrawn
    obj = post(srv.url, "/api/v1/objections", "k-mz", {
        "resource": "RES-HJ", "category": "INCOMPLETE", "description": "缺少字段"}).json()["id"]
    path = f"/api/v1/objections/{obj}/actions"
    assert post(srv.url, path, "k-mz", {"action": "WITHDRAW"}).status_code == 200
    r = post(srv.url, path, "k-ga", {"action": "VERIFY"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "ILLEGAL_TRANSITION"
    assert [(e.actor, e.operation, e.outcome) for e in read_log(store)
            if e.target.endswith(obj) and e.outcome != "ACCEPTED"] == [
        ("ga", "OBJECTION_VERIFY", "REFUSED")]


def test_unknown_application_bad_action_and_hidden_key(server):
    srv, _ = server
    r = post(srv.url, "/api/v1/requests/nope/actions", "k-gov", {"action": "PASS"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND"
    r = post(srv.url, "/api/v1/requests/nope/actions", "k-gov", {"action": "LAUNCH"})
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["where"] == "body.action"
    r = post(srv.url, "/api/v1/requests", "wrong-key", FILE)
    assert r.status_code == 401
    r = post(srv.url, "/api/v1/requests", "k-mz", {**FILE, "resource": "RES-NONE"})
    assert r.status_code == 404 and "RES-NONE" in r.json()["error"]["en"]


def test_both_procedures_refuse_unknown_cases_and_resources_alike(server):
    """An unknown case is named in both languages; opening one on an unknown resource is
    refused and logged under the step's own operation (FILE, RAISE_OBJECTION), as a key of no
    department opening one is denied."""
    srv, store = server
    for path, action, zh, en in (
            ("/api/v1/requests", "PASS", "共享申请不存在：nope", "no such application: nope"),
            ("/api/v1/objections", "VERIFY", "数据异议不存在：nope", "no such objection: nope")):
        r = post(srv.url, f"{path}/nope/actions", "k-gov", {"action": action})
        assert r.status_code == 404
        assert (r.json()["error"]["zh"], r.json()["error"]["en"]) == (zh, en)
    raise_body = {"category": "INCOMPLETE", "description": "缺少字段"}
    for key in ("k-mz", "k-nodept"):
        for path, body in (("/api/v1/requests", FILE), ("/api/v1/objections", raise_body)):
            r = post(srv.url, path, key, {**body, "resource": "RES-GONE"})
            assert r.status_code == (404 if key == "k-mz" else 403), r.text
    assert sorted((e.actor, e.department.rsplit("/", 1)[-1], e.operation, e.outcome)
                  for e in read_log(store) if e.target.endswith("/RES-GONE")) == [
        ("mz", "D-MZ", "FILE", "REFUSED"), ("mz", "D-MZ", "RAISE_OBJECTION", "REFUSED"),
        ("nodept", "", "FILE", "DENIED"), ("nodept", "", "RAISE_OBJECTION", "DENIED")]


def test_objection_over_rest(server):
    srv, store = server
    r = post(srv.url, "/api/v1/objections", "k-mz", {
        "resource": "RES-HJ", "item": "姓名", "category": "OUTDATED",
        "description": "户籍地址过期", "evidence": "比对结果 12 条"})
    assert r.status_code == 201, r.text
    obj = r.json()
    assert (obj["provider"], obj["raiser"], obj["item"], obj["state"]) == (
        "D-GA", "D-MZ", "姓名", "RAISED")
    path = f"/api/v1/objections/{obj['id']}/actions"
    r = post(srv.url, path, "k-mz", {"action": "CORRECT", "comment": "自己改"})
    assert r.status_code == 403
    r = post(srv.url, path, "k-ga", {"action": "REJECT"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "COMMENT_REQUIRED"
    r = post(srv.url, path, "k-ga", {"action": "CORRECT", "comment": "已按迁移登记更正"})
    assert r.status_code == 200 and r.json()["state"] == "CORRECTED"
    log = [(e.actor, e.operation, e.outcome) for e in read_log(store)
           if e.target.endswith(obj["id"])]
    assert ("mz", "OBJECTION_CORRECT", "DENIED") in log
    assert ("ga", "OBJECTION_CORRECT", "ACCEPTED") in log


def test_the_openapi_page_lists_the_procedure(server):
    srv, _ = server
    paths = httpx.get(srv.url + "/openapi.json", timeout=30).json()["paths"]
    for p in ("/api/v1/requests", "/api/v1/requests/{ident}/actions", "/api/v1/objections",
              "/api/v1/objections/{ident}/actions"):
        assert "post" in paths[p], p
