"""The sharing-application mutations through real HTTP (uvicorn on loopback) with department
keys; a department cannot reply for another, and the attempt is logged."""

from __future__ import annotations

from graph.workflow_store import read_log
from tests.workflow.served import gql

ACCESS = {"keys": [  # served by the fixture `server` (conftest.py)
    {"name": "mz", "role": "analyst", "key": "k-mz", "department": "D-MZ"},
    {"name": "ga", "role": "analyst", "key": "k-ga", "department": "D-GA"},
    {"name": "gov", "role": "governance", "key": "k-gov", "department": "D-GOV"},
    {"name": "nodept", "role": "governance", "key": "k-nodept"},
]}
FILE = """mutation($r: String!) { fileSharingApplication(resource: $r, purpose: "低保审核",
  scenario: "低保资格核验", items: "姓名,身份证号") { id state provider dueBy } }"""
ACT = """mutation($a: String!, $x: WorkflowAction!, $c: String!) {
  actOnSharingApplication(application: $a, action: $x, comment: $c) {
    state stateZh steps { seq action department state } } }"""


def test_file_review_reply(server):
    srv, _store = server
    filed = gql(srv.url, "k-mz", FILE, r="RES-HJ")["data"]["fileSharingApplication"]
    assert filed["state"] == "FILED" and filed["provider"] == "D-GA" and filed["dueBy"]
    app = filed["id"]
    assert gql(srv.url, "k-gov", ACT, a=app, x="PASS", c="")["data"][
        "actOnSharingApplication"]["state"] == "FORWARDED"
    done = gql(srv.url, "k-ga", ACT, a=app, x="APPROVE", c="同意")["data"][
        "actOnSharingApplication"]
    assert done["state"] == "APPROVED"
    assert [(s["action"], s["department"]) for s in done["steps"]] == [
        ("FILE", "D-MZ"), ("PASS", "D-GOV"), ("APPROVE", "D-GA")]


def test_a_department_cannot_reply_for_another_and_it_is_logged(server):
    srv, store = server
    app = gql(srv.url, "k-mz", FILE, r="RES-HJ")["data"]["fileSharingApplication"]["id"]
    gql(srv.url, "k-gov", ACT, a=app, x="PASS", c="")
    body = gql(srv.url, "k-mz", ACT, a=app, x="APPROVE", c="自己批")
    err = body["errors"][0]
    assert err["extensions"]["code"] == "FORBIDDEN" and "D-GA" in err["message"]
    denied = [e for e in read_log(store) if e.outcome == "DENIED" and e.target.endswith(app)]
    assert [(e.actor, e.operation) for e in denied] == [("mz", "APPROVE")]
    # an analyst key cannot review either
    body = gql(srv.url, "k-mz", ACT, a=app, x="WITHDRAW", c="")
    assert body["data"]["actOnSharingApplication"]["state"] == "WITHDRAWN"


def test_wrong_transition_over_http_names_the_state(server):
    srv, store = server
    app = gql(srv.url, "k-mz", FILE, r="RES-HJ")["data"]["fileSharingApplication"]["id"]
    err = gql(srv.url, "k-ga", ACT, a=app, x="APPROVE", c="")["errors"][0]
    assert err["extensions"]["code"] == "ILLEGAL_TRANSITION"
    assert "待符合性审查" in err["message"] and "FILED" in err["message"]
    # the attempt is in the write log, as a department replying for another is
    assert [(e.actor, e.operation, e.outcome) for e in read_log(store)
            if e.target.endswith(app) and e.outcome != "ACCEPTED"] == [
        ("ga", "APPROVE", "REFUSED")]


def test_a_key_without_a_department_cannot_write(server):
    srv, store = server
    app = gql(srv.url, "k-mz", FILE, r="RES-HJ")["data"]["fileSharingApplication"]["id"]
    err = gql(srv.url, "k-nodept", ACT, a=app, x="PASS", c="")["errors"][0]
    assert err["extensions"]["code"] == "FORBIDDEN" and "no department" in err["message"]
    assert [e.operation for e in read_log(store)
            if e.actor == "nodept" and e.outcome == "DENIED"] == ["PASS"]
