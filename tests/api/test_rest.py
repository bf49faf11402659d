"""REST routes: health, readiness, export, the admin upload (all or nothing) and size limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, parse

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.api.catalog import ACCESS, KEYS, SECRET, SMALL

ADMIN = {"X-API-Key": KEYS["admin"]}


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ready" and body["engine"] == "oxigraph"
    assert body["departments"] > 0


def test_readyz_when_the_store_is_gone(tmp_path):
    s = CatalogStore(tmp_path / "s")
    load_path(s, SMALL, "small")
    app = create_app(OxigraphGraph(s), s, AccessConfig())
    s.close()  # the store no longer answers
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/readyz")
    assert r.status_code == 503 and r.json()["status"] == "unavailable"
    assert "Traceback" not in r.text


@pytest.mark.parametrize("fmt,rdf", [("turtle", RdfFormat.TURTLE),
                                     ("ntriples", RdfFormat.N_TRIPLES),
                                     ("jsonld", RdfFormat.JSON_LD)])
def test_export_formats_parse(client, api_store, fmt, rdf):
    r = client.get(f"/export?format={fmt}", headers=ADMIN)
    assert r.status_code == 200
    triples = list(parse(r.content, rdf))
    assert len(triples) == len(list(parse(api_store.export("ntriples"), RdfFormat.N_TRIPLES)))
    anon = client.get(f"/export?format={fmt}")
    assert 0 < len(list(parse(anon.content, rdf))) < len(triples)


def test_export_bad_format(client):
    r = client.get("/export?format=csv")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "BAD_FORMAT"
    assert "turtle" in r.json()["error"]["message"]


# -- upload -------------------------------------------------------------------------------------
def _zip(folder: Path, change: tuple[str, str, str] | None = None) -> bytes:
    """A ZIP of a template folder's CSV files; ``change`` = (file, old text, new text)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in sorted(folder.glob("*.csv")):
            text = p.read_text(encoding="utf-8")
            if change and change[0] == p.name:
                assert change[1] in text
                text = text.replace(change[1], change[2])
            z.writestr(p.name, text)
    return buf.getvalue()


@pytest.fixture
def upload_app():
    store = CatalogStore()
    load_path(store, SMALL, "small")
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))
    with TestClient(app) as c:
        yield c, store


def _upload(c, data: bytes, name: str = "secret.zip", source: str = "apix", headers=ADMIN):
    return c.post("/admin/upload", files={"file": (name, data, "application/zip")},
                  data={"source": source}, headers=headers)


@pytest.mark.parametrize("role,status", [(None, 403), ("analyst", 403), ("integrator", 403),
                                         ("governance", 403)])
def test_upload_is_admin_only(upload_app, role, status):
    c, store = upload_app
    before = len(store)
    headers = {"X-API-Key": KEYS[role]} if role else {}
    r = _upload(c, _zip(SECRET), headers=headers)
    assert r.status_code == status
    assert r.json()["error"]["code"] == "FORBIDDEN"
    assert len(store) == before
    assert _upload(c, _zip(SECRET), headers={"X-API-Key": "nope"}).status_code == 401


def test_bad_template_returns_errors_and_changes_nothing(upload_app):
    c, store = upload_app
    before = store.export("nquads")
    bad = _zip(SECRET, ("catalog.csv", "不予共享,,《中华", "随便共享,,《中华"))
    r = _upload(c, bad)
    assert r.status_code == 422
    body = r.json()
    assert body["error"]["code"] == "TEMPLATE_INVALID" and body["total"] >= 1
    err = next(e for e in body["errors"] if e["column"] == "共享类型")
    assert err["file"] == "catalog.csv" and err["row"] == 2 and err["value"] == "随便共享"
    assert set(err) == {"file", "row", "column", "value", "zh", "en"} and err["zh"] and err["en"]
    assert store.export("nquads") == before
    # not a template at all
    r = _upload(c, b"hello", name="notes.txt")
    assert r.status_code == 422 and r.json()["errors"][0]["file"] == "notes.txt"
    assert store.export("nquads") == before


def test_good_upload_loads_and_policy_follows(upload_app):
    c, store = upload_app
    anon_q = {"query": '{ resources(first: 100) { totalCount edges { node { code } } } }'}
    before = c.post("/graphql", json=anon_q).json()["data"]["resources"]
    r = _upload(c, _zip(SECRET), source="apix-secret")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"] == "apix-secret" and body["rows"]["catalog.csv"] == 2
    assert body["triples"] > 0
    admin = c.post("/graphql", json=anon_q, headers=ADMIN).json()["data"]["resources"]
    assert {"RES-APIX-SEC", "RES-APIX-OPEN"} <= {e["node"]["code"] for e in admin["edges"]}
    after = c.post("/graphql", json=anon_q).json()["data"]["resources"]
    codes = {e["node"]["code"] for e in after["edges"]}
    assert "RES-APIX-OPEN" in codes and "RES-APIX-SEC" not in codes  # restrictions recomputed
    assert after["totalCount"] == before["totalCount"] + 1
    # uploading the same source again replaces it
    assert _upload(c, _zip(SECRET), source="apix-secret").status_code == 200
    again = c.post("/graphql", json=anon_q, headers=ADMIN).json()["data"]["resources"]
    assert again["totalCount"] == admin["totalCount"]


def test_upload_bad_source_name(upload_app):
    c, _ = upload_app
    r = _upload(c, _zip(SECRET), source="../etc")
    assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_SOURCE"
    r = c.post("/admin/upload", data={"source": "x"}, headers=ADMIN)
    assert r.status_code == 422 and r.json()["error"]["code"] == "BAD_REQUEST"


# -- size limits --------------------------------------------------------------------------------
def test_request_size_limits(api_graph, api_store):
    cfg = dict(ACCESS, limits={"max_body": 2000, "max_upload": 5000})
    with TestClient(create_app(api_graph, api_store, AccessConfig.from_dict(cfg))) as c:
        big = {"query": "{ me { role } }" + " " * 3000}
        r = c.post("/graphql", json=big)
        assert r.status_code == 413 and r.json()["error"]["code"] == "TOO_LARGE"
        assert "2000" in r.json()["error"]["message"]

        def chunks():
            for _ in range(10):
                yield b"x" * 500

        r = c.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        r = _upload(c, b"z" * 6000)
        assert r.status_code == 413 and "5000" in r.json()["error"]["message"]
        assert c.post("/graphql", json={"query": "{ me { role } }"}).status_code == 200


def _xlsx(folder: Path) -> bytes:
    """The template as one XLSX workbook: one sheet per CSV file, named as the spec says."""
    import csv

    from openpyxl import Workbook

    from loaders.spec import FILE_BY_NAME

    wb = Workbook()
    wb.remove(wb.active)
    for p in sorted(folder.glob("*.csv")):
        ws = wb.create_sheet(FILE_BY_NAME[p.name].sheet)
        with p.open(encoding="utf-8") as f:
            for row in csv.reader(f):
                ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_upload_loads(upload_app):
    c, _ = upload_app
    r = c.post("/admin/upload", data={"source": "apix-xlsx"}, headers=ADMIN, files={
        "file": ("secret.xlsx", _xlsx(SECRET),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    assert r.status_code == 200, r.text
    assert r.json()["rows"]["items.csv"] == 3
    d = c.post("/graphql", json={"query": '{ resource(code: "RES-APIX-OPEN") { items { code } } }'},
               headers=ADMIN).json()["data"]
    assert len(d["resource"]["items"]) == 2
