"""Reads of the sharing procedures through real HTTP: sharingKpis (beside the sharing.csv
figures), and the write log — visible to governance and admin through GraphQL and REST, paged
with signed cursors, FORBIDDEN to everyone else."""

from __future__ import annotations

import httpx
import pytest

from graph.store import CatalogStore
from loaders import load_path
from tests.common import SMALL
from tests.workflow.history import history
from tests.workflow.served import gql, serving

ACCESS = {"keys": [
    {"name": "mz", "role": "analyst", "key": "k-mz", "department": "D-MZ"},
    {"name": "ga", "role": "integrator", "key": "k-ga", "department": "D-GA"},
    {"name": "gov", "role": "governance", "key": "k-gov", "department": "D-GOV"},
    {"name": "root", "role": "admin", "key": "k-admin"},
]}
FILE = """mutation { fileSharingApplication(resource: "RES-HJ", purpose: "p", scenario: "s") {
  id } }"""
KPIS = """query($d: Date, $dept: String) { sharingKpis(asOf: $d, department: $dept) {
  asOf department fromSteps { key zh numerator denominator pending value target meetsTarget }
  fromSharingCsv { key numerator denominator } } }"""
LOG = """query($first: Int!, $after: String, $actor: String, $op: String) {
  writeLog(first: $first, after: $after, actor: $actor, operation: $op) {
    total hasNextPage endCursor entries { actor department operation outcome target } } }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """This module's own (not the folder's): on disk, with the history and four filings."""
    store = CatalogStore(tmp_path_factory.mktemp("wf") / "store")  # on disk: /sparql needs it
    load_path(store, SMALL, "small")
    history(store)
    with serving(store, ACCESS) as srv:
        for _ in range(3):
            gql(srv.url, "k-mz", FILE)
        gql(srv.url, "k-ga", FILE)  # integrator D-GA files too (its own resource: allowed)
        yield srv, store


def test_sharing_kpis_as_of_a_date_beside_the_csv_figures(server):
    srv, _ = server
    k = gql(srv.url, "k-mz", KPIS, d="2025-10-14")["data"]["sharingKpis"]
    steps = {f["key"]: (f["numerator"], f["denominator"], f["pending"]) for f in k["fromSteps"]}
    assert steps == {"on_demand_sharing": (3, 5, 1), "satisfied_within_minute": (2, 5, 1),
                     "answered_within_day": (3, 5, 1), "objections_on_time": (1, 3, 1)}
    assert [f["key"] for f in k["fromSharingCsv"]] == [
        "on_demand_sharing", "answered_within_minute", "answered_within_day"]
    assert all(f["denominator"] > 0 for f in k["fromSharingCsv"])  # the small sharing.csv
    ga = gql(srv.url, "k-mz", KPIS, d="2025-10-14", dept="D-GA")["data"]["sharingKpis"]
    assert ga["department"] == "D-GA"
    assert ga["fromSteps"][0]["numerator"] == 2 and ga["fromSteps"][0]["denominator"] == 4
    none = gql(srv.url, "k-mz", KPIS, d="2025-10-14", dept="D-GOV")["data"]["sharingKpis"]
    assert all(f["denominator"] == 0 and f["value"] is None for f in none["fromSteps"])


@pytest.mark.parametrize("key", ["k-gov", "k-admin"])
def test_write_log_is_readable_by_governance_and_paged(server, key):
    srv, _ = server
    first = gql(srv.url, key, LOG, first=2, actor="mz", op="FILE")["data"]["writeLog"]
    n = first["total"]
    assert n >= 3 and first["hasNextPage"]  # 3 filed at start (+1 per earlier run of this test)
    assert [(e["actor"], e["department"], e["operation"], e["outcome"])
            for e in first["entries"]] == [("mz", "D-MZ", "FILE", "ACCEPTED")] * 2
    # a write between pages does not shift the next page
    gql(srv.url, "k-mz", FILE)
    nxt = gql(srv.url, key, LOG, first=2, after=first["endCursor"], actor="mz", op="FILE")[
        "data"]["writeLog"]
    assert len(nxt["entries"]) == min(2, n - 2) and nxt["total"] == n + 1
    # a cursor of another question fails its signature
    err = gql(srv.url, key, LOG, first=2, after=first["endCursor"], actor="ga")["errors"][0]
    assert err["extensions"]["code"] == "BAD_CURSOR"
    r = httpx.get(srv.url + "/api/v1/write-log", params={"actor": "ga", "first": 5},
                  headers={"X-API-Key": key}, timeout=30)
    assert r.status_code == 200
    assert {(e["actor"], e["operation"]) for e in r.json()["entries"]} == {("ga", "FILE")}


@pytest.mark.parametrize("key", ["k-mz", "k-ga"])
def test_write_log_is_forbidden_to_others(server, key):
    srv, _ = server
    err = gql(srv.url, key, LOG, first=5)["errors"][0]
    assert err["extensions"]["code"] == "FORBIDDEN" and "governance" in err["message"]
    r = httpx.get(srv.url + "/api/v1/write-log", headers={"X-API-Key": key}, timeout=30)
    assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
    assert httpx.get(srv.url + "/api/v1/write-log", timeout=30).status_code in (401, 403)


ASK_LOG = "ASK { ?e a <https://w3id.org/yishu/def#WriteLogEntry> }"


@pytest.mark.parametrize(("key", "sees"), [("k-mz", False), ("k-ga", False), ("k-gov", True),
                                           ("k-admin", True)])
def test_the_write_log_through_sparql_and_export_only_for_governance(server, key, sees):
    srv, _ = server
    r = httpx.get(srv.url + "/sparql", params={"query": ASK_LOG},
                  headers={"X-API-Key": key, "Accept": "application/sparql-results+json"},
                  timeout=60)
    assert r.status_code == 200, r.text
    assert r.json()["boolean"] is sees
    # the steps of the procedures stay visible to every role
    r = httpx.get(srv.url + "/sparql", params={
        "query": "ASK { ?s a <https://w3id.org/yishu/def#WorkflowStep> }"},
        headers={"X-API-Key": key, "Accept": "application/sparql-results+json"}, timeout=60)
    assert r.json()["boolean"] is True
    r = httpx.get(srv.url + "/export", params={"format": "ntriples"},
                  headers={"X-API-Key": key}, timeout=60)
    assert r.status_code == 200
    assert ("WriteLogEntry" in r.text) is sees and "WorkflowStep" in r.text
