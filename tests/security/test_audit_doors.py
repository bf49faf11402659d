"""Issue 15: the audit through every door — GraphQL ``audit``, REST ``/audit`` (json, csv, html,
one department, another date), the dashboard page and its downloads (csv, html, xlsx), the
department and home pages — answers an anonymous caller exactly what the same door answers on the
catalog with the 涉密 entries deleted: findings, counts, scores and figures. The same doors as
admin show the hidden entries are really there (the probes are not vacuous)."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from tests.common import DEMO_DIR
from tests.security.catalogs import roles, store_of, triples_of, wait_for_audit, without

ADMIN = "k-audit-admin"
ACCESS = {"classified_network": True,
          "keys": [{"name": "audit-admin", "role": "admin", "key": ADMIN}]}
DEPT = "YX-YJ"  # 应急管理局: its system YX-S-YJ-FX is 涉密 and has a finding (SEC-001)
AUDIT_QUERY = """{ audit%s { score rating counts { severity count }
  figures { key value target meetsTarget numerator denominator }
  departments(first: 100) { code name score rating violations findings
                             dimensions { key score } }
  findings(first: 200) { rule severity dimension kind code label department messageZh
                          messageEn values } } }"""


@pytest.fixture(scope="module")
def clients():
    """(full catalog, the same with the hidden entries deleted): one TestClient each."""
    full = triples_of(DEMO_DIR)
    _anon, _admin, restrictions = roles(OxigraphGraph(store_of(full)))
    hidden = restrictions.hidden()
    assert "https://data.yishu.example/system/YX-S-YJ-FX" in hidden
    stores = (store_of(full), store_of(without(full, hidden, fields=())))
    apps = [create_app(OxigraphGraph(s), s, AccessConfig.from_dict(ACCESS)) for s in stores]
    with TestClient(apps[0]) as a, TestClient(apps[1]) as b:
        for c in (a, b):  # the audits of both kinds of caller, so that no door answers NOT_READY
            wait_for_audit(c)
            wait_for_audit(c, key=ADMIN)
        yield a, b


def _get(client, path: str, admin: bool = False):
    r = client.get(path, headers={"X-API-Key": ADMIN} if admin else {})
    assert r.status_code == 200, (path, r.text[:300])
    return r


def _graphql(client, query: str, admin: bool = False) -> dict:
    r = client.post("/graphql", json={"query": query},
                    headers={"X-API-Key": ADMIN} if admin else {})
    assert r.status_code == 200 and "errors" not in r.json(), r.text[:500]
    return r.json()["data"]


_TIMES = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?|"
                    r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?|\b\d+(\.\d+)? ?(s|秒|ms)\b")


def _page(text: str) -> str:
    """A page without what differs between two runs of the same audit (times, durations)."""
    return _TIMES.sub("<t>", text)


@pytest.mark.parametrize("args", ["", f'(department: "{DEPT}")', '(asOf: "2025-06-30")'])
def test_graphql_audit_is_that_of_the_catalog_without_hidden_entries(clients, args):
    full, deleted = clients
    anon = _graphql(full, AUDIT_QUERY % args)
    assert anon == _graphql(deleted, AUDIT_QUERY % args)
    admin = _graphql(full, AUDIT_QUERY % args, admin=True)
    assert admin != anon
    assert "YX-S-YJ-FX" in {f["code"] for f in admin["audit"]["findings"]}
    assert "YX-S-YJ-FX" not in str(anon)


@pytest.mark.parametrize("query", ["", f"&department={DEPT}", "&as_of=2025-06-30"])
def test_rest_audit_json_is_that_of_the_catalog_without_hidden_entries(clients, query):
    full, deleted = clients

    def body(client, admin=False) -> dict:
        d = _get(client, "/audit?format=json" + query, admin).json()
        for k in ("status", "seconds"):
            d.pop(k, None)
        return d

    anon = body(full)
    assert anon == body(deleted)
    admin = body(full, admin=True)
    assert admin["scores"] != anon["scores"] and admin["counts"] != anon["counts"]
    assert "YX-S-YJ-FX" in str(admin["findings"]) and "YX-S-YJ-FX" not in str(anon)


@pytest.mark.parametrize("path", ["/audit?format=csv", "/audit?format=html",
                                  f"/audit?format=csv&department={DEPT}",
                                  "/dashboard/audit.csv", "/dashboard/audit.html", "/dashboard",
                                  "/dashboard?sort=score&all=1", f"/dashboard?department={DEPT}",
                                  f"/department/{DEPT}", "/dashboard?severity=Violation"])
def test_reports_and_pages_are_those_of_the_catalog_without_hidden_entries(clients, path):
    full, deleted = clients
    anon = _page(_get(full, path).text)
    assert anon == _page(_get(deleted, path).text)
    admin = _page(_get(full, path, admin=True).text)
    assert admin != anon
    assert "YX-S-YJ-FX" not in anon and "应急分析" not in anon


def test_dashboard_xlsx_is_that_of_the_catalog_without_hidden_entries(clients):
    from openpyxl import load_workbook

    def cells(client, admin=False) -> dict:
        wb = load_workbook(io.BytesIO(_get(client, "/dashboard/audit.xlsx", admin).content))
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}

    full, deleted = clients
    anon = cells(full)
    assert anon == cells(deleted)
    admin = cells(full, admin=True)
    assert admin["部门得分"] != anon["部门得分"]  # the scores, not only the findings, differ
    assert "YX-S-YJ-FX" in str(admin) and "YX-S-YJ-FX" not in str(anon)


def test_home_page(clients):
    """Counts, figures, the worst departments and the load sources — without their triple
    counts, which include the 涉密 entries (admin sees them)."""
    full, deleted = clients
    anon = _page(_get(full, "/").text)
    assert anon == _page(_get(deleted, "/").text)
    assert "三元组" not in anon and "YX-S-YJ-FX" not in anon
    assert "三元组" in _get(full, "/", admin=True).text
