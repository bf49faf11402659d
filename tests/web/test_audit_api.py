"""The audit through the API: REST /audit (json, csv, html; one department; another date) and
GraphQL audit(...), each as the caller may see it."""

from __future__ import annotations

import pytest

from tests.api.catalog import HAS_DEMO, KEYS, leaks

pytestmark = pytest.mark.skipif(not HAS_DEMO, reason="the demo district is needed")


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
def test_rest_audit_as_anonymous_and_admin(client, fmt):
    anon = client.get(f"/audit?format={fmt}")
    assert anon.status_code == 200
    assert leaks(anon.text, classified=False, phones=False, persons=False) == []
    admin = client.get(f"/audit?format={fmt}", headers={"X-API-Key": KEYS["admin"]})
    assert admin.status_code == 200 and "RES-APIX-SEC" in admin.text


def test_rest_audit_json_department_and_date(client):
    whole = client.get("/audit").json()
    assert whole["counts"]["Violation"] >= 10 and whole["status"]["state"] == "done"
    one = client.get("/audit?department=YX-CL").json()
    assert set(one["scores"]) == {"YX-CL"} and one["department"] == "YX-CL"
    assert one["findings"] and all(f["department"] == "YX-CL" for f in one["findings"])
    assert [f for f in whole["findings"] if f["department"] == "YX-CL"] == one["findings"]
    dated = client.get("/audit?as_of=2025-11-20").json()
    assert dated["as_of"] == "2025-11-20"
    assert client.get("/audit?department=NOPE").status_code == 404
    assert client.get("/audit?as_of=yesterday").status_code == 400
    assert client.get("/audit?format=pdf").status_code == 400
    assert client.get("/audit", headers={"X-API-Key": "wrong"}).status_code == 401


AUDIT = """query($d: String, $a: Date) { audit(department: $d, asOf: $a) {
  asOf finishedAt score rating counts { severity count }
  figures { key zh en value target meetsTarget numerator denominator }
  departments(first: 100) { code name score rating violations findings
                            dimensions { key zh en score } }
  findings(first: 500) { rule severity dimension kind code label department
                         messageZh messageEn fixZh fixEn values } } }"""


def test_graphql_audit(gql):
    body = gql(AUDIT)
    assert "errors" not in body, body
    a = body["data"]["audit"]
    assert a["score"] is not None and {f["key"] for f in a["figures"]} >= {"on_demand_sharing"}
    ranked = [d["score"] for d in a["departments"] if d["score"] is not None]
    assert ranked == sorted(ranked) and len(ranked) > 10  # worst first
    assert leaks(str(a), classified=False, phones=False, persons=False) == []
    one = gql(AUDIT, variables={"d": "YX-CL"})["data"]["audit"]
    assert [d["code"] for d in one["departments"]] == ["YX-CL"]
    assert all(f["department"] == "YX-CL" for f in one["findings"])
    admin = gql(AUDIT, "admin")["data"]["audit"]
    assert "RES-APIX-SEC" in str(admin)
    dated = gql(AUDIT, variables={"a": "2025-11-20"})["data"]["audit"]
    assert dated["asOf"] == "2025-11-20"
    missing = gql(AUDIT, variables={"d": "NOPE"})
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
