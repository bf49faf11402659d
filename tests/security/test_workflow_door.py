"""Issue 15, the sharing-application door (issue 13): filing an application for a 涉密 resource
with a key that may not see it answers exactly what filing for an unknown code answers, and
stores no application."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from graph.workflow_store import read_log
from tests.common import SMALL
from tests.security.catalogs import store_of, triples_of, with_classified

FILE = """mutation($r: String!) { fileSharingApplication(resource: $r, purpose: "低保审核",
  scenario: "低保资格核验") { id state provider } }"""


def test_filing_for_a_hidden_resource_is_not_found_like_an_unknown_one():
    base = "https://data.yishu.example/resource/"
    store = store_of(with_classified(triples_of(SMALL), [base + "RES-HJ"]))
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict({"keys": [
        {"name": "mz", "role": "analyst", "key": "k-mz", "department": "D-MZ"}]}))
    with TestClient(app) as c:
        def file(code: str) -> dict:
            r = c.post("/graphql", json={"query": FILE, "variables": {"r": code}},
                       headers={"X-API-Key": "k-mz"})
            assert r.status_code == 200
            (err,) = r.json()["errors"]
            return {"message": err["message"].replace(code, "<code>"),
                    "extensions": {k: v.replace(code, "<code>") if isinstance(v, str) else v
                                   for k, v in err["extensions"].items()}}

        hidden, unknown = file("RES-HJ"), file("RES-NO-SUCH")
        assert hidden == unknown and hidden["extensions"]["code"] == "NOT_FOUND"
        log = read_log(store)  # the attempts are logged alike
        assert [(e.operation, e.outcome) for e in log if e.target.endswith("/RES-HJ")] == \
            [(e.operation, e.outcome) for e in log if e.target.endswith("/RES-NO-SUCH")] != []
        # the visible resource next to it can be applied for (the door works)
        ok = c.post("/graphql", json={"query": FILE, "variables": {"r": "RES-DB"}},
                    headers={"X-API-Key": "k-mz"}).json()
        assert ok.get("data") and ok["data"]["fileSharingApplication"]["state"] == "FILED", ok


RAISE = """mutation($r: String!) { raiseDataObjection(resource: $r, category: OUTDATED,
  description: "过期") { id state } }"""


def test_an_objection_to_a_hidden_resource_is_not_found_like_an_unknown_one():
    base = "https://data.yishu.example/resource/"
    store = store_of(with_classified(triples_of(SMALL), [base + "RES-HJ"]))
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict({"keys": [
        {"name": "mz", "role": "analyst", "key": "k-mz", "department": "D-MZ"}]}))
    with TestClient(app) as c:
        def raise_(code: str) -> dict:
            r = c.post("/graphql", json={"query": RAISE, "variables": {"r": code}},
                       headers={"X-API-Key": "k-mz"})
            (err,) = r.json()["errors"]
            return {"message": err["message"].replace(code, "<code>"),
                    "code": err["extensions"]["code"]}

        hidden, unknown = raise_("RES-HJ"), raise_("RES-NO-SUCH")
        assert hidden == unknown and hidden["code"] == "NOT_FOUND"
        log = read_log(store)
        assert [(e.operation, e.outcome) for e in log if e.target.endswith("/RES-HJ")] == \
            [(e.operation, e.outcome) for e in log if e.target.endswith("/RES-NO-SUCH")] != []
