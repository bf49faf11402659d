"""``GET /dcat``: content negotiation, and each role sees exactly what ``/export`` shows it — no
涉密 dataset, person or phone for anonymous callers; ``POST /admin/harvest`` for admins only."""

from __future__ import annotations

import pytest
import rdflib

from tests.api.catalog import KEYS, PERSONS, PHONE, SECRET_CODES

SYNTAX = {"text/turtle": "turtle", "application/ld+json": "json-ld",
          "application/rdf+xml": "xml", "application/n-triples": "nt"}


@pytest.mark.parametrize("accept", list(SYNTAX))
def test_content_negotiation(client, accept):
    r = client.get("/dcat", headers={"Accept": f"text/html;q=0.9, {accept}"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.content, format=SYNTAX[accept])
    assert (None, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Catalog")) in g


def test_format_parameter_and_bad_format(client):
    assert client.get("/dcat?format=rdfxml").headers["content-type"].startswith(
        "application/rdf+xml")
    assert client.get("/dcat").headers["content-type"].startswith("text/turtle")
    r = client.get("/dcat?format=csv")
    assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_FORMAT"
    assert "不支持的格式" in r.json()["error"]["zh"]


def _leaks(text: str) -> list[str]:
    return [x for x in (*SECRET_CODES, "RES-APIX-SEC/", PHONE, *PERSONS) if x in text]


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "rdfxml"])
def test_anonymous_sees_no_secret_person_or_phone(client, fmt):
    r = client.get(f"/dcat?format={fmt}")
    assert r.status_code == 200
    assert _leaks(r.text) == []
    assert "RES-APIX-OPEN" in r.text
    full = client.get(f"/dcat?format={fmt}", headers={"X-API-Key": KEYS["admin"]}).text
    assert "RES-APIX-SEC" in full and PHONE in full  # the same probes are not vacuous


def test_landing_pages_point_at_the_server(client):
    r = client.get("/dcat?format=ntriples")
    assert "<http://testserver/resource/RES-APIX-OPEN>" in r.text


def test_harvest_route_is_for_admins(client):
    data = client.get("/dcat?format=turtle").content
    r = client.post("/admin/harvest", data={"source": "h"},
                    files={"file": ("c.ttl", data, "text/turtle")})
    assert r.status_code in (401, 403)
    r = client.post("/admin/harvest", data={"source": "h"}, headers={"X-API-Key": KEYS["admin"]})
    assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_INPUT"
    r = client.post("/admin/harvest", data={"source": "h"}, headers={"X-API-Key": KEYS["admin"]},
                    files={"file": ("c.ttl", b"not turtle at all", "text/turtle")})
    assert r.status_code == 422 and "RDF 语法错误" in r.text
    r = client.post("/admin/harvest", data={"source": "a b/c"}, headers={"X-API-Key": KEYS["admin"]},
                    files={"file": ("c.ttl", data, "text/turtle")})
    assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_SOURCE"
