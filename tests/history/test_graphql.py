"""GraphQL ``query @asOf(at: …)`` and ``diff`` through the in-process app, each role seeing what
it may — including a 涉密 resource that existed only in an old version."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from shapes.audit import audit
from tests.api.catalog import ACCESS, KEYS
from tests.history.files import CLASSIFIED, fresh

THEN = "2026-02-15T12:00:00+08:00"  # the first district version: R-QWB-JW (涉密) exists
NOW = "2026-08-15T12:00:00+08:00"


@pytest.fixture(scope="module")
def gql(history):
    app = create_app(OxigraphGraph(history), history, AccessConfig.from_dict(ACCESS))
    with TestClient(app, raise_server_exceptions=False) as client:
        def run(query: str, role: str | None = None, variables: dict | None = None) -> dict:
            headers = {"X-API-Key": KEYS[role]} if role else {}
            r = client.post("/graphql", json={"query": query, "variables": variables or {}},
                            headers=headers)
            assert r.status_code == 200, r.text
            return r.json()

        yield run


def _codes(body: dict) -> list[str]:
    return [e["node"]["code"] for e in body["data"]["resources"]["edges"]]


def test_a_classified_entry_of_an_old_version_is_hidden_from_roles_that_may_not_see_it(gql):
    q = 'query R($t: DateTime!, $c: String!) @asOf(at: $t) { resource(code: $c) { code } }'
    seen = gql(q, "governance", {"t": THEN, "c": CLASSIFIED})
    assert seen["data"]["resource"]["code"] == CLASSIFIED
    for role in ("analyst", "integrator", None):
        body = gql(q, role, {"t": THEN, "c": CLASSIFIED})
        assert body["data"]["resource"] is None
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # today it is gone for everyone
    today = gql('query R($c: String!) { resource(code: $c) { code } }', "governance",
                {"c": CLASSIFIED})
    assert today["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    listing = ("query L($t: DateTime!) @asOf(at: $t) { resources(first: 200) { totalCount "
               "edges { node { code } } } }")
    assert CLASSIFIED in _codes(gql(listing, "governance", {"t": THEN}))
    assert CLASSIFIED not in _codes(gql(listing, "analyst", {"t": THEN}))
    assert CLASSIFIED not in _codes(gql(listing, "governance", {"t": NOW}))
    found = gql('query S($t: DateTime!) @asOf(at: $t) { search(text: "机要") { '
                '... on Resource { code } } }', "analyst", {"t": THEN})
    assert CLASSIFIED not in [x.get("code") for x in found["data"]["search"]]


def test_as_of_answers_equal_a_fresh_load(gql, history_files):
    when = dt.datetime.fromisoformat(THEN)
    ref = fresh(history_files, when)
    g = OxigraphGraph(ref)
    q = """query Q($t: DateTime!) @asOf(at: $t) {
      resources(first: 200) { totalCount }
      lineage(node: "resource:R-MZ-DB", direction: UPSTREAM, depth: 5) { totalNodes }
      resolveSource(element: "element:DE-0101") { status }
      oneSourceReport { counts { status count } }
      audit { asOf score figures { key value } }
    }"""
    body = gql(q, "governance", {"t": THEN})
    assert "errors" not in body, body
    d = body["data"]
    from graph.model import Direction

    assert d["resources"]["totalCount"] == g.list("resource", first=200).total
    assert d["lineage"]["totalNodes"] == g.lineage("resource:R-MZ-DB", Direction.UPSTREAM,
                                                   5).total_nodes
    assert d["resolveSource"]["status"] == g.resolve_source("element:DE-0101").status.value
    want = audit(ref, as_of=when.date())
    assert d["audit"]["asOf"] == "2026-02-15"
    assert d["audit"]["score"] == pytest.approx(want.scores[None].score)
    assert {f["key"]: f["value"] for f in d["audit"]["figures"]} == pytest.approx(
        {k: f.value for k, f in want.figures[None].items()})


def test_diff_through_graphql_follows_the_role(gql):
    q = """query D($a: DateTime!, $b: DateTime!) { diff(from: $a, to: $b) { departments {
            department kinds { kind changes { change code fields { field old new } } } }
            edges { change type } statuses { element old new } } }"""
    full = gql(q, "governance", {"a": THEN, "b": NOW})["data"]["diff"]
    limited = gql(q, "analyst", {"a": THEN, "b": NOW})["data"]["diff"]

    def codes(d):
        return {(c["change"], c["code"]) for dept in d["departments"] for k in dept["kinds"]
                for c in k["changes"]}

    assert ("removed", CLASSIFIED) in codes(full)
    assert ("added", "R-MZ-NEW") in codes(full) and ("added", "R-MZ-NEW") in codes(limited)
    assert not any(CLASSIFIED in c for _, c in codes(limited))
    assert {"element": "DE-0101", "old": "RESOLVED", "new": "MISSING"} in full["statuses"]


def test_bad_as_of_is_a_located_error(gql):
    body = gql('query @asOf(at: "yesterday") { me { role } }', "analyst")
    assert body["data"] is None and body["errors"]
    body = gql('query @asOf(at: "2020-01-01T00:00:00+08:00") { resources { totalCount } }',
               "analyst")
    assert body["data"]["resources"]["totalCount"] == 0  # nothing was loaded yet
