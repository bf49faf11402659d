"""The admin page's usage import form: the report, the located errors, nothing stored on error,
only for a role that may load data, CSRF checked."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from tests.api.catalog import ACCESS, KEYS
from tests.usage.catalog import USAGE, catalog
from tests.web.pages import csrf_of


def _client(key: str | None):
    store = catalog()
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))
    c = TestClient(app, raise_server_exceptions=False)
    if key is not None:
        token = csrf_of(c.get("/signin").text)
        c.post("/signin", data={"key": key, "csrf": token, "next": "/"}, follow_redirects=False)
    return c, store


def test_admin_imports_a_usage_file_from_the_page():
    c, store = _client(KEYS["admin"])
    page = c.get("/admin")
    assert 'action="/admin/usage-file"' in page.text
    r = c.post("/admin/usage-file", data={"source": "", "csrf": csrf_of(page.text)},
               files={"file": ("platform.csv", USAGE.read_bytes(), "text/csv")})
    assert r.status_code == 200, r.text[:2000]
    # six rows, hand-counted in tests/usage/catalog.py: 271 calls, 4 failed
    assert "已导入调用统计 usage-platform：6 条记录，271 次调用（失败 4 次），2025-06-01 至 2025-09-03" in r.text
    src = {s.name: s for s in store.sources()}
    assert src["usage-platform"].loaded_by == "test-admin"


def test_a_bad_usage_file_is_located_and_nothing_is_stored():
    c, store = _client(KEYS["admin"])
    before = [(s.name, s.version) for s in store.sources()]
    token = csrf_of(c.get("/admin").text)
    bad = USAGE.read_bytes() + "RES-HJ,D-MZ,S-DB,2025-09-09,很多,0,\n".encode()
    r = c.post("/admin/usage-file", data={"source": "usage-bad", "csrf": token},
               files={"file": ("bad.csv", bad, "text/csv")})
    assert r.status_code == 422
    assert 'id="load-errors"' in r.text and "bad.csv" in r.text and "很多" in r.text
    assert "<td class=\"num\">8</td>" in r.text  # the 8th line of the file
    assert [(s.name, s.version) for s in store.sources()] == before
    r = c.post("/admin/usage-file", data={"source": "catalog", "csrf": token},
               files={"file": ("p.csv", USAGE.read_bytes(), "text/csv")})
    assert r.status_code == 400 and "usage" in r.text
    r = c.post("/admin/usage-file", data={"source": "", "csrf": "forged"},
               files={"file": ("p.csv", USAGE.read_bytes(), "text/csv")})
    assert r.status_code == 403
    assert [(s.name, s.version) for s in store.sources()] == before


def test_only_a_loading_role_has_the_form():
    c, store = _client(None)
    assert c.get("/admin").status_code == 404
    r = c.post("/admin/usage-file", data={"csrf": "x"},
               files={"file": ("p.csv", USAGE.read_bytes(), "text/csv")})
    assert r.status_code in (403, 404)
    assert "usage-p" not in {s.name for s in store.sources()}


def test_importing_again_replaces_without_waiting_for_its_own_request(monkeypatch, caplog):
    """A write request must not pin the version it replaces: it would wait for itself (the
    store drops a replaced version once its last reader has left, or after PIN_WAIT)."""
    import graph.pins

    monkeypatch.setattr(graph.pins, "PIN_WAIT", 2.0)
    c, store = _client(KEYS["admin"])
    token = csrf_of(c.get("/admin").text)
    versions = []
    for _ in range(2):  # through the page
        r = c.post("/admin/usage-file", data={"source": "usage-p", "csrf": token},
                   files={"file": ("p.csv", USAGE.read_bytes(), "text/csv")})
        assert r.status_code == 200, r.text[:1000]
        versions.append({s.name: s.version for s in store.sources()}["usage-p"])
    for _ in range(2):  # through REST
        r = c.post("/admin/usage", data={"source": "usage-p"},
                   files={"file": ("p.csv", USAGE.read_bytes(), "text/csv")},
                   headers={"X-API-Key": KEYS["admin"]})
        assert r.status_code == 200, r.text[:1000]
        versions.append({s.name: s.version for s in store.sources()}["usage-p"])
    assert len(set(versions)) == 4
    assert "still read after" not in caplog.text


def test_a_usage_file_larger_than_a_request_body_is_an_upload():
    """The page takes files as large as the REST upload does (not the 256 KiB body limit)."""
    c, store = _client(KEYS["admin"])
    token = csrf_of(c.get("/admin").text)
    header = USAGE.read_text(encoding="utf-8").splitlines()[0]
    rows = [f"RES-HJ,D-MZ,S-DB,2025-09-01,1,0,核验场景{i:05d}" for i in range(7000)]
    data = "\n".join([header, *rows]).encode()
    assert len(data) > 256 * 1024
    r = c.post("/admin/usage-file", data={"source": "usage-big", "csrf": token},
               files={"file": ("big.csv", data, "text/csv")})
    assert r.status_code == 200, r.text[:1000]
    assert "7000 条记录" in r.text
