"""The answers over the hand-counted fixture (tests/usage/conftest.py): who uses a resource, how
much and for what; zombie data (also audit rule USE-001); usage per responsibility — through
GraphQL for a role that sees 涉密 entries (admin on a classified network) and one that does not
(analyst), and the admin REST import."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from graph.usage import usage_of, zombies
from tests.api.catalog import ACCESS, KEYS
from tests.usage.catalog import USAGE

D = dt.date
RU = """query($r: String!, $from: Date, $to: Date) { resourceUsage(resource: $r, from: $from,
  to: $to) { calls failures firstDay lastDay
  byDepartment { department { code } calls failures days }
  bySystem { system { code } calls failures days }
  byScenario { scenario calls failures days } } }"""
ZOMBIES = """query($days: Int!, $asOf: Date) { zombieResources(days: $days, asOf: $asOf) {
  resource { code } provider { code } lastCalled } }"""
RESP = """query($r: String!) { responsibilityUsage(responsibility: $r) { calls failures
  byResource { resource { code } calls } byDepartment { department { code } calls } } }"""


@pytest.fixture(scope="module")
def client(used):
    app = create_app(OxigraphGraph(used), used, AccessConfig.from_dict(ACCESS))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def gql(client, query: str, role: str | None, **variables) -> dict:
    headers = {"X-API-Key": KEYS[role]} if role else {}
    r = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_who_uses_a_resource_counted_by_hand(used):
    hj = used.base + "resource/RES-HJ"
    s = usage_of(used, hj)
    assert (s.calls, s.failures, s.first_day, s.last_day) == (217, 4, D(2025, 9, 1), D(2025, 9, 3))
    assert [(r.key.rsplit("/", 1)[1], r.calls, r.failures, r.days) for r in s.by_department] == [
        ("D-MZ", 200, 3, 2), ("D-GOV", 10, 1, 1), ("D-APIX", 7, 0, 1)]
    assert [(r.key, r.calls) for r in s.by_scenario] == [
        ("低保资格核验", 200), ("人口统计", 10), ("保密核查", 7)]
    one_day = usage_of(used, hj, D(2025, 9, 2), D(2025, 9, 2))
    assert (one_day.calls, one_day.failures) == (90, 1)


def test_resource_usage_through_graphql_by_role(client):
    admin = gql(client, RU, "admin", r="RES-HJ")["data"]["resourceUsage"]
    assert (admin["calls"], admin["failures"], admin["lastDay"]) == (217, 4, "2025-09-03")
    assert [(d["department"]["code"], d["calls"]) for d in admin["byDepartment"]] == [
        ("D-MZ", 200), ("D-GOV", 10), ("D-APIX", 7)]
    assert [(s["system"] and s["system"]["code"], s["calls"]) for s in admin["bySystem"]] == [
        ("S-DB", 200), (None, 10), ("S-APIX-SEC", 7)]
    # the analyst cannot see S-APIX-SEC (涉密): its calls are not there at all
    analyst = gql(client, RU, "analyst", r="RES-HJ")["data"]["resourceUsage"]
    assert (analyst["calls"], analyst["failures"], analyst["lastDay"]) == (210, 4, "2025-09-02")
    assert "保密核查" not in str(analyst) and "S-APIX-SEC" not in str(analyst)
    ranged = gql(client, RU, None, r="RES-HJ", **{"from": "2025-09-02", "to": "2025-09-02"})
    assert ranged["data"]["resourceUsage"]["calls"] == 90


def test_a_hidden_resource_answers_like_an_unknown_one(client):
    hidden = gql(client, RU, "analyst", r="RES-APIX-SEC")
    unknown = gql(client, RU, "analyst", r="RES-NOPE")
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert hidden["errors"][0]["message"].replace("RES-APIX-SEC", "X") == \
        unknown["errors"][0]["message"].replace("RES-NOPE", "X")
    assert gql(client, RU, "admin", r="RES-APIX-SEC")["data"]["resourceUsage"]["calls"] == 50


def test_zombies_counted_by_hand(used):
    codes = lambda zs: [(z.resource.rsplit("/", 1)[1], z.last_called) for z in zs]  # noqa: E731
    # 30 days up to 2025-09-30: RES-HJ was called; RES-DB never; RES-APIX-OPEN last on 06-01;
    # RES-APIX-SEC is 不予共享 (not a shared resource)
    assert codes(zombies(used, D(2025, 9, 30), 30)) == [("RES-DB", None),
                                                        ("RES-APIX-OPEN", D(2025, 6, 1))]
    # the window is the N days ending on as-of: a call on 09-03 keeps RES-HJ alive up to 10-02
    assert "RES-HJ" not in str(codes(zombies(used, D(2025, 10, 2), 30)))
    assert ("RES-HJ", D(2025, 9, 3)) in codes(zombies(used, D(2025, 10, 3), 30))
    # calls after as-of do not count
    assert codes(zombies(used, D(2025, 8, 31), 30))[-1] == ("RES-APIX-OPEN", D(2025, 6, 1))
    assert ("RES-HJ", None) in codes(zombies(used, D(2025, 8, 31), 30))


def test_zombies_through_graphql_by_role(client):
    admin = gql(client, ZOMBIES, "admin", days=30, asOf="2025-10-02")["data"]["zombieResources"]
    assert [(z["resource"]["code"], z["provider"]["code"], z["lastCalled"]) for z in admin] == [
        ("RES-DB", "D-MZ", None), ("RES-APIX-OPEN", "D-APIX", "2025-06-01")]
    # for the analyst the 涉密 system's call on 09-03 does not exist: RES-HJ is a zombie
    analyst = gql(client, ZOMBIES, "analyst", days=30, asOf="2025-10-02")["data"][
        "zombieResources"]
    assert [z["resource"]["code"] for z in analyst] == ["RES-DB", "RES-APIX-OPEN", "RES-HJ"]
    bad = gql(client, ZOMBIES, None, days=0)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_ARGUMENT"


def test_no_usage_statistics_no_zombies(store):
    assert zombies(store, D(2025, 9, 30), 30) == []


def test_usage_per_responsibility(client):
    # R-APIX produces RES-APIX-SEC (涉密, 50 calls) and RES-APIX-OPEN (4 calls)
    admin = gql(client, RESP, "admin", r="R-APIX")["data"]["responsibilityUsage"]
    assert admin["calls"] == 54
    assert [(r["resource"]["code"], r["calls"]) for r in admin["byResource"]] == [
        ("RES-APIX-SEC", 50), ("RES-APIX-OPEN", 4)]
    analyst = gql(client, RESP, "analyst", r="R-APIX")["data"]["responsibilityUsage"]
    assert analyst["calls"] == 4 and "RES-APIX-SEC" not in str(analyst)
    hj = gql(client, RESP, "analyst", r="R-HJ")["data"]["responsibilityUsage"]
    assert hj["calls"] == 210 and [d["department"]["code"] for d in hj["byDepartment"]] == [
        "D-MZ", "D-GOV"]


def test_zombie_audit_finding(used, store):
    from shapes.audit import audit

    found = [(f.focus_ref, f.department, f.severity)
             for f in audit(used, as_of="2025-09-30").findings if f.rule == "USE-001"]
    # default 90 days up to 2025-09-30: calls after 2025-07-02 count
    assert sorted(found) == [("resource:RES-APIX-OPEN", "D-APIX", "Warning"),
                             ("resource:RES-DB", "D-MZ", "Warning")]
    assert sorted(f.focus_ref for f in audit(used, as_of="2025-12-31").findings
                  if f.rule == "USE-001") == ["resource:RES-APIX-OPEN", "resource:RES-DB",
                                              "resource:RES-HJ"]
    # the reference engine (pyshacl) agrees
    assert sorted((f.focus_ref, f.department, f.severity) for f in audit(
        used, as_of="2025-09-30", engine="pyshacl").findings if f.rule == "USE-001") == found
    # without any usage statistics there is no finding, and no focus node (no score changes)
    bare = audit(store, as_of="2025-09-30")
    assert [f for f in bare.findings if f.rule == "USE-001"] == []
    assert all("USE-001" not in s.by_rule for s in bare.scores.values())
    assert audit(used, as_of="2025-09-30").scores["D-MZ"].by_rule["USE-001"] == (1, 1)


def test_admin_rest_import(store):
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))
    with TestClient(app, raise_server_exceptions=False) as c:
        files = {"file": ("platform.csv", USAGE.read_bytes(), "text/csv")}
        refused = c.post("/admin/usage", files=files, headers={"X-API-Key": KEYS["governance"]})
        assert refused.status_code == 403
        ok = c.post("/admin/usage", files=files, headers={"X-API-Key": KEYS["admin"]})
        assert ok.status_code == 200, ok.text
        assert (ok.json()["source"], ok.json()["records"], ok.json()["calls"]) == (
            "usage-platform", 6, 271)
        bad = USAGE.read_bytes() + b"RES-HJ,D-MZ,S-DB,2025-09-09,1,0,,x\n"
        r = c.post("/admin/usage", files={"file": ("platform.csv", bad, "text/csv")},
                   headers={"X-API-Key": KEYS["admin"]})
        assert r.status_code == 422
        assert [(e["file"], e["row"], e["column"], e["value"]) for e in r.json()["errors"]] == [
            ("platform.csv", 8, "第8列/column 8", "x")]
        assert gql(c, RU, "admin", r="RES-HJ")["data"]["resourceUsage"]["calls"] == 217
        who = {s.name: s.loaded_by for s in store.sources()}
        assert who["usage-platform"] == "test-admin"
