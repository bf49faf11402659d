"""Roles: anonymous callers never see a phone number, a person's name or a 涉密 entry, whatever
the query path; each role sees what docs/api.md says."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.access import AccessConfig, AccessError, hash_key
from api.app import create_app
from tests.api.catalog import ACCESS, KEYS, PHONE, ROLE_VIEW, leaks

# Every way a 涉密 entry or personal data could come out of the API.
PATHS = {
    "lookup": '{ resource(code: "RES-APIX-SEC") { code } }',
    "lookup-system": '{ system(code: "S-APIX-SEC") { code } }',
    "lookup-flow": '{ flow(code: "F-APIX-1") { code } }',
    "lookup-request": '{ sharingRequest(code: "REQ-APIX-1") { code } }',
    "lookup-item": '{ item(resource: "RES-APIX-SEC", name: "人员编号") { code } }',
    "node": '{ node(id: "resource:RES-APIX-SEC") { id } }',
    "listing-resources": '{ resources(first: 500) { totalCount edges { node { code } } } }',
    "listing-filtered": '{ resources(first: 500, where: [{field: "provider", value: "D-APIX"}]) '
                        '{ totalCount edges { node { code } } } }',
    "listing-items": '{ items(first: 500, text: "人员编号") { totalCount edges { node { code } } } }',
    "listing-systems": '{ systems(first: 500) { edges { node { code } } } }',
    "listing-flows": '{ flows(first: 500) { edges { node { code } } } }',
    "listing-requests": '{ sharingRequests(first: 500) { edges { node { code } } } }',
    "listing-departments": '{ departments(first: 500) { edges { node { code chiefDataOfficer '
                           'sharingLeader sharingClerk contactPhone } } } }',
    "search": '{ search(text: "接口测试", first: 50) { kind code name } }',
    "search-item": '{ search(text: "人员编号", first: 50) { kind code } }',
    "navigation": '{ department(code: "D-APIX") { code chiefDataOfficer contactPhone resources '
                  '{ code } systems { code } requests { code } inboundFlows { code } '
                  'responsibilities { produces { code } } } }',
    "navigation-element": '{ dataElement(code: "DE-APIX") { items { code resource { code } } '
                          'authoritativeDepartment { contactPhone sharingClerk } } }',
    "navigation-upstream": '{ resource(code: "RES-APIX-OPEN") { upstream { code } inboundFlows '
                           '{ code } items { takenFrom { code } } sourceSystem { code '
                           'inboundFlows { code } } } }',
    "lineage": '{ lineage(node: "resource:RES-APIX-OPEN", depth: 5) { totalNodes nodes { node '
               '{ id code } paths } edges { sourceId targetId viaId } cycles } }',
    "lineage-items": '{ lineage(node: "item:RES-APIX-OPEN/人员编号", depth: 5, granularity: ITEM) '
                     '{ nodes { node { id code } paths } edges { sourceId targetId } } }',
    "lineage-down": '{ lineage(node: "department:D-APIX", direction: DOWNSTREAM, depth: 5) { '
                    'nodes { node { code } } edges { sourceId targetId viaId } } }',
    "trace": '{ traceSource(node: "item:RES-APIX-OPEN/人员编号") { reachedAuthoritative breakCode '
             'breakAt hops { item { code } resource { code } department { contactPhone } } } }',
    "trace-resource": '{ traceSource(node: "resource:RES-APIX-OPEN") { itemTraces { hops { item '
                      '{ code } } breakCode } } }',
    "resolve": '{ resolveSource(element: "DE-APIX") { status designatedDepartment { contactPhone '
               'chiefDataOfficer } candidates { item { code } resource { code } } } }',
    "report": '{ oneSourceReport(department: "department:D-APIX") { resolutions { candidates { '
              'item { code } } } recollections { item { code } authoritativeItem { code } '
              'expectedPath { code } } } }',
    "impact": '{ impact(node: "department:D-APIX") { resources { code } items { code } systems '
              '{ code } departments { code contactPhone } } }',
    "edge-navigation": '{ lineage(node: "resource:RES-APIX-OPEN", depth: 3) { edges { source { '
                       'code } target { code } } } }',
}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_anonymous_sees_nothing_secret_or_personal(raw, path):
    r = raw(PATHS[path])
    assert r.status_code == 200
    body = r.json()
    for err in body.get("errors", []):
        # a hidden entry is answered exactly like an unknown one, and nothing else fails
        assert err["extensions"]["code"] == "NOT_FOUND", err
        assert err["message"].startswith("未找到 / not found: ")
    data = dict(body.get("data") or {})
    assert leaks(str(data), classified=False, phones=False, persons=False) == []


def test_anonymous_hidden_lookup_is_not_found_like_an_unknown_one(gql):
    hidden = gql('{ resource(code: "RES-APIX-SEC") { code } }')["errors"][0]
    unknown = gql('{ resource(code: "RES-APIX-NONE") { code } }')["errors"][0]
    assert hidden["extensions"]["code"] == unknown["extensions"]["code"] == "NOT_FOUND"
    assert hidden["path"] == unknown["path"] == ["resource"]


def test_anonymous_counts_exclude_hidden(gql):
    anon = gql(PATHS["listing-filtered"])["data"]["resources"]
    admin = gql(PATHS["listing-filtered"], "admin")["data"]["resources"]
    assert admin["totalCount"] == anon["totalCount"] + 1
    assert anon["totalCount"] == len(anon["edges"]) == 1
    all_anon = gql(PATHS["listing-resources"])["data"]["resources"]
    assert all_anon["totalCount"] == len(all_anon["edges"])


def test_anonymous_lineage_is_cut_where_classified(gql):
    admin = gql(PATHS["lineage"], "admin")["data"]["lineage"]
    anon = gql(PATHS["lineage"])["data"]["lineage"]
    assert "RES-APIX-SEC" in [n["node"]["code"] for n in admin["nodes"]]
    assert anon["totalNodes"] == len(anon["nodes"]) < admin["totalNodes"]
    ids = {n["node"]["id"] for n in anon["nodes"]}
    assert all(e["sourceId"] in ids and e["targetId"] in ids for e in anon["edges"])


def test_anonymous_trace_stops_before_classified(gql):
    anon = gql(PATHS["trace"])["data"]["traceSource"]
    admin = gql(PATHS["trace"], "admin")["data"]["traceSource"]
    assert admin["reachedAuthoritative"] is True
    assert [h["item"]["code"] for h in admin["hops"]][-1] == "RES-APIX-SEC/人员编号"
    assert anon["reachedAuthoritative"] is False
    # as if the classified resource did not exist: the item names no source it may see, and
    # nothing in the answer says a classified one is there (issue 15)
    assert anon["breakCode"] == "NO_SOURCE"
    assert [h["item"]["code"] for h in anon["hops"]] == ["RES-APIX-OPEN/人员编号"]
    assert "RES-APIX-SEC" not in json.dumps(anon, ensure_ascii=False)


def test_anonymous_export_hides_secret_and_personal(client):
    for fmt in ("turtle", "ntriples", "jsonld"):
        r = client.get(f"/export?format={fmt}")
        assert r.status_code == 200
        assert leaks(r.text, classified=False, phones=False, persons=False) == [], fmt
        assert "RES-APIX-OPEN" in r.text
    full = client.get("/export?format=ntriples", headers={"X-API-Key": KEYS["admin"]}).text
    assert "RES-APIX-SEC" in full and PHONE in full


def test_anonymous_cannot_filter_on_personal_fields(gql):
    body = gql('{ departments(where: [{field: "contactPhone", value: "%s"}]) { totalCount } }'
               % PHONE)
    assert body["errors"][0]["extensions"]["code"] == "BAD_FILTER"


# -- what each role sees ------------------------------------------------------------------------
@pytest.mark.parametrize("role", list(ROLE_VIEW), ids=lambda r: r or "anonymous")
def test_role_view(gql, role):
    persons, phones, classified = ROLE_VIEW[role]
    q = ('{ department(code: "D-APIX") { chiefDataOfficer sharingLeader sharingClerk '
         'contactPhone resources { code } } resources(first: 500) { edges { node { code } } } }')
    d = gql(q, role)["data"]
    dep = d["department"]
    assert (dep["chiefDataOfficer"] == "孙首席") is persons
    assert (dep["sharingClerk"] == "吴经办") is persons
    assert (dep["contactPhone"] == PHONE) is phones
    codes = [r["code"] for r in dep["resources"]]
    assert ("RES-APIX-SEC" in codes) is classified
    assert ("RES-APIX-SEC" in [e["node"]["code"] for e in d["resources"]["edges"]]) is classified


def test_unclassified_network_hides_classified_even_from_admin(api_graph, api_store):
    cfg = dict(ACCESS, classified_network=False)
    with TestClient(create_app(api_graph, api_store, AccessConfig.from_dict(cfg))) as c:
        for role in ("governance", "admin"):
            r = c.post("/graphql", json={"query": PATHS["listing-resources"]},
                       headers={"X-API-Key": KEYS[role]})
            assert "RES-APIX-SEC" not in r.text
            r = c.post("/graphql", json={"query": PATHS["navigation"]},
                       headers={"Authorization": f"Bearer {KEYS[role]}"})
            assert PHONE in r.text and "RES-APIX-SEC" not in r.text


def test_keys_headers_and_errors(client):
    q = {"query": "{ me { role } }"}
    assert client.post("/graphql", json=q, headers={"X-API-Key": KEYS["analyst"]}
                       ).json()["data"]["me"]["role"] == "analyst"
    assert client.post("/graphql", json=q, headers={"Authorization": f"Bearer {KEYS['admin']}"}
                       ).json()["data"]["me"]["role"] == "admin"
    r = client.post("/graphql", json=q, headers={"X-API-Key": "wrong"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "UNAUTHORIZED" and " / " in r.json()["error"]["message"]
    r = client.post("/graphql", json=q, headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


def test_hashed_keys_and_config_errors():
    cfg = AccessConfig.from_dict({"keys": [{"name": "h", "role": "governance",
                                            "sha256": hash_key("s3cret")}], "anonymous": False})
    assert cfg.role_for("s3cret")[1].name == "governance"
    with pytest.raises(PermissionError):
        cfg.role_for(None)
    for bad in ({"keys": [{"role": "root", "key": "x"}]}, {"keys": [{"role": "admin"}]},
                {"keys": [{"role": "admin", "sha256": "abc"}]}, {"limits": {"max_speed": 1}},
                {"keys": [{"role": "admin", "key": "x"}, {"role": "analyst", "key": "x"}]}):
        with pytest.raises(AccessError):
            AccessConfig.from_dict(bad)


def test_example_config_loads():
    from api.access import load_access
    from yishu.config import PROJECT_ROOT

    cfg = load_access(PROJECT_ROOT / "api" / "access.yaml")
    assert cfg.role_for("analyst-demo-key")[1].name == "analyst"
    assert cfg.role_for("admin-demo-key")[1].upload
    assert cfg.classified_network is False


@pytest.mark.parametrize("path", sorted(PATHS))
def test_admin_sees_what_the_path_can_leak(raw, path):
    """The paths above do reach secret or personal data (so their anonymous checks mean it)."""
    r = raw(PATHS[path], "admin")
    assert "errors" not in r.json(), r.json()
    assert leaks(r.text, classified=False, phones=False, persons=False) != []


def test_no_classified_resource_of_the_catalog_reaches_anonymous(gql):
    q = ('{ resources(first: 500, where: [{field: "classified", value: "是"}]) { edges { node '
         '{ code items { code } flows { code } } } } }')
    secret = gql(q, "admin")["data"]["resources"]["edges"]
    assert len(secret) >= 1
    assert gql(q)["data"]["resources"]["edges"] == []
    everything = str(gql('{ resources(first: 500) { edges { node { code } } } items(first: 500) '
                         '{ edges { node { code } } } flows(first: 500) { edges { node { code } '
                         '} } }')["data"])
    for e in secret:
        node = e["node"]
        for code in [node["code"]] + [i["code"] for i in node["items"]] + [
                f["code"] for f in node["flows"]]:
            assert f"'{code}'" not in everything, code
