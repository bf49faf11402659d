"""/sparql: the SPARQL 1.1 Protocol, read-only, each role seeing exactly what it sees through
GraphQL; the time limit stops the query and the server keeps serving."""

from __future__ import annotations

import csv
import io
import json
import os
import time

import httpx
import psutil
import pytest

from api.access import AccessConfig
from api.app import create_app
from tests.api.catalog import KEYS, PERSONS, PHONE, SECRET_CODES
from tests.servers import yishu_serve

P = "PREFIX ys: <https://w3id.org/yishu/def#>\n"
TEXT = "APIX-SEC|APIX-1|" + PHONE + "|" + "|".join(PERSONS)
# The access probes of test_access.py, as SPARQL: every way a 涉密 entry or personal data
# could come out of the store.
PROBES = {
    "any-triple": "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(REGEX(STR(?s), ?t) || "
                  "REGEX(STR(?o), ?t)) BIND(\"%s\" AS ?t) }" % TEXT,
    "named-graphs": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(REGEX(STR(?s), "
                    "\"%s\") || REGEX(STR(?o), \"%s\")) }" % (TEXT, TEXT),
    "classified": P + "SELECT ?r ?code WHERE { ?r ys:classified true ; "
                      "<http://purl.org/dc/terms/identifier> ?code }",
    "items-of-classified": P + "SELECT ?i WHERE { ?i ys:inResource ?r . ?r ys:classified true }",
    "upstream-path": P + "SELECT ?up WHERE { ?r <http://purl.org/dc/terms/identifier> "
                         "\"RES-APIX-OPEN\" ; ys:derivedFrom+ ?up }",
    "persons": P + "SELECT ?d ?cdo ?lead ?clerk ?phone WHERE { ?d a ys:Department . "
                   "OPTIONAL { ?d ys:chiefDataOfficer ?cdo } OPTIONAL { ?d ys:sharingLeader "
                   "?lead } OPTIONAL { ?d ys:sharingClerk ?clerk } OPTIONAL { ?d "
                   "ys:contactPhone ?phone } }",
    "describe": "DESCRIBE ?r WHERE { ?r <http://purl.org/dc/terms/identifier> ?c "
                "FILTER(?c IN (\"RES-APIX-SEC\", \"S-APIX-SEC\", \"F-APIX-1\", \"REQ-APIX-1\", "
                "\"D-APIX\")) }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { ?s <http://purl.org/dc/terms/identifier> "
                 "\"D-APIX\" ; ?p ?o }",
}
# what each probe gives away without showing a hidden text
ORACLES = {
    "classified-count": P + "SELECT (COUNT(?r) AS ?n) WHERE { ?r ys:classified true }",
    "phone-exists": P + "ASK { ?d ys:contactPhone ?p }",
    "person-by-value": P + "ASK { ?d ys:chiefDataOfficer \"%s\" }" % PERSONS[0],
}


def _sparql(client, query: str, role: str | None = None, fmt: str = "csv", **kw):
    headers = {"X-API-Key": KEYS[role]} if role else {}
    return client.get("/sparql", params={"query": query, "format": fmt}, headers=headers, **kw)


def _leaks(text: str, *, classified: bool, phones: bool, persons: bool) -> list[str]:
    out = []
    if not classified:
        out += [c for c in SECRET_CODES + ("RES-APIX-SEC", "APIX-SEC") if c in text]
    if not phones:
        out += [PHONE] if PHONE in text else []
    if not persons:
        out += [p for p in PERSONS if p in text]
    return out


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_anonymous_sees_nothing_secret_or_personal_through_sparql(client, probe):
    fmt = "turtle" if PROBES[probe].startswith(("DESCRIBE", "CONSTRUCT")) else "csv"
    r = _sparql(client, PROBES[probe], fmt=fmt)
    assert r.status_code == 200, r.text
    assert _leaks(r.text, classified=False, phones=False, persons=False) == []
    admin = _sparql(client, PROBES[probe], "admin", fmt=fmt)
    assert admin.status_code == 200, admin.text
    if probe not in ("upstream-path", "items-of-classified"):
        assert _leaks(admin.text, classified=False, phones=False, persons=False), \
            "the probe finds nothing even for the admin"


@pytest.mark.parametrize("role,classified,phones,persons", [
    (None, False, False, False), ("analyst", False, False, True),
    ("integrator", False, True, True), ("governance", True, True, True),
    ("admin", True, True, True)])
def test_each_role_sees_what_graphql_shows_it(client, role, classified, phones, persons):
    text = "\n".join(_sparql(client, PROBES[p], role).text for p in
                     ("any-triple", "persons", "classified"))
    assert _leaks(text, classified=classified, phones=phones, persons=persons) == []
    if classified:
        assert "RES-APIX-SEC" in text
    if phones:
        assert PHONE in text
    if persons:
        assert PERSONS[0] in text
    count = json.loads(_sparql(client, ORACLES["classified-count"], role, "json").text)
    n = int(count["results"]["bindings"][0]["n"]["value"])
    assert (n > 0) == classified
    ask = json.loads(_sparql(client, ORACLES["phone-exists"], role, "json").text)
    assert ask["boolean"] is phones
    ask = json.loads(_sparql(client, ORACLES["person-by-value"], role, "json").text)
    assert ask["boolean"] is persons


def test_protocol_get_post_form_and_direct_in_every_format(client):
    q = P + ("SELECT ?code ?name WHERE { ?r a ys:DataResource ; "
             "<http://purl.org/dc/terms/identifier> ?code ; "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?code LIMIT 3")
    js = client.get("/sparql", params={"query": q},
                    headers={"Accept": "application/sparql-results+json"})
    assert js.headers["content-type"].startswith("application/sparql-results+json")
    rows = js.json()["results"]["bindings"]
    assert len(rows) == 3 and rows[0]["name"]["xml:lang"] == "zh"
    codes = [b["code"]["value"] for b in rows]
    form = client.post("/sparql", data={"query": q}, headers={"Accept": "text/csv"})
    assert [r["code"] for r in csv.DictReader(io.StringIO(form.text))] == codes
    direct = client.post("/sparql", content=q.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"})
    lines = direct.text.splitlines()
    assert lines[0] == "?code\t?name" and lines[1].startswith(f'"{codes[0]}"')
    xml = client.get("/sparql", params={"query": q, "format": "xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert f"<literal>{codes[0]}</literal>" in xml.text
    c = "CONSTRUCT { ?r a ?t } WHERE { ?r a ?t } LIMIT 2"
    ttl = client.get("/sparql", params={"query": c}, headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle") and " a " in ttl.text
    ld = client.get("/sparql", params={"query": c}, headers={"Accept": "application/ld+json"})
    assert "@context" in ld.json()


@pytest.mark.parametrize("how", ["update-param", "update-body", "update-as-query"])
def test_updates_are_refused(client, how):
    u = "INSERT DATA { <urn:x> <urn:p> <urn:o> }"
    if how == "update-param":
        r = client.post("/sparql", data={"update": u}, headers={"X-API-Key": KEYS["admin"]})
    elif how == "update-body":
        r = client.post("/sparql", content=u.encode(), headers={
            "Content-Type": "application/sparql-update", "X-API-Key": KEYS["admin"]})
    else:
        r = _sparql(client, "PREFIX x: <urn:x>\n" + u, "admin")
    assert r.status_code == 403 and r.json()["error"]["code"] == "READ_ONLY"
    assert "只读" in r.json()["error"]["zh"]
    assert _sparql(client, "ASK { <urn:x> <urn:p> <urn:o> }", "admin", "json").json() == \
        {"head": {}, "boolean": False}


def test_bad_queries_and_the_row_limit(api_graph, api_store):
    from fastapi.testclient import TestClient

    app = create_app(api_graph, api_store, AccessConfig.from_dict(
        {"limits": {"sparql_rows": 5}}))
    with TestClient(app) as c:
        r = _sparql(c, "SELECT ?s WHERE { ?s ?p ?o }")
        assert r.status_code == 400 and r.json()["error"]["code"] == "TOO_MANY_ROWS"
        assert "LIMIT" in r.json()["error"]["zh"]
        assert _sparql(c, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5").status_code == 200
        r = _sparql(c, "SELECT ?s WHERE { ?s ?p }")
        assert r.status_code == 400 and r.json()["error"]["code"] == "SYNTAX"
        assert c.get("/sparql").json()["error"]["code"] == "NO_QUERY"
        # a person opening the endpoint's address in a browser is sent to the SPARQL page
        r = c.get("/sparql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                  follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/query"
        app.state.sparql_runner.close()


def test_a_query_past_the_time_limit_is_stopped_and_the_server_keeps_serving(tmp_path,
                                                                             api_store):
    cfg = tmp_path / "access.yaml"
    cfg.write_text("limits:\n  sparql_seconds: 2\n", encoding="utf-8")
    store = tmp_path / "store"
    api_store.store.backup(str(store))  # a copy of the catalog under test
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
            "FILTER(STR(?c) != STR(?i)) }")
    with yishu_serve("--store", str(store), "--access-config", str(cfg), "--log-level",
                     "warning", env=env) as url:
        ok = httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert ok.json()["boolean"] is True  # a worker is up
        assert list(tmp_path.glob(".store-sparql-views-*"))  # the anonymous view's checkpoint
        server = next(p for p in psutil.process_iter(["cmdline"])
                      if p.info["cmdline"] and url.rsplit(":", 1)[1] in p.info["cmdline"])
        t0 = time.monotonic()
        r = httpx.get(url + "/sparql", params={"query": slow}, timeout=30)
        took = time.monotonic() - t0
        assert r.status_code == 503 and r.json()["error"]["code"] == "TIMEOUT", r.text
        assert "2 秒" in r.json()["error"]["zh"] and took < 10
        # the work really stopped: no worker of the server is still burning CPU
        time.sleep(0.5)
        busy = [c for c in server.children(recursive=True) if c.cpu_percent(0.5) > 50]
        assert busy == []
        # … and the server keeps serving, through SPARQL and GraphQL
        assert httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                         timeout=30).json()["boolean"] is True
        assert httpx.get(url + "/readyz", timeout=10).status_code == 200
    # stopped with SIGTERM: the view's checkpoint beside the store is gone with the server
    assert not list(tmp_path.glob(".store-sparql-views-*"))



@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "select * where { ?s a <http://a.example/x#y> . service silent <http://b.example/> {} }",
    "SELECT*{?a?b?c FILTER(?a<1)SERVICE?x{?s?p?o}FILTER(?s>1)}",
])
def test_federated_queries_are_refused(client, query):
    """SERVICE would make the server fetch any URL a caller names."""
    r = _sparql(client, query, "admin")
    assert r.status_code == 403 and r.json()["error"]["code"] == "NO_SERVICE"


def test_a_literal_or_variable_named_service_is_fine(client):
    r = _sparql(client, 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) }', fmt="json")
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["service"]["value"] == \
        "SERVICE"
