"""Sign-in with an API key → a session cookie; sign-out; CSRF on every form; the admin page's
upload (all or nothing, errors by file, row and column), template, sources, removal."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.api.catalog import ACCESS, KEYS, PHONE, SECRET, SMALL
from tests.web.pages import csrf_of, signin


def test_signin_sets_a_strict_httponly_session(fresh_client):
    r = signin(fresh_client, KEYS["admin"], "/department/D-APIX")
    assert r.status_code == 303 and r.headers["location"] == "/department/D-APIX"
    cookie = r.headers["set-cookie"]
    assert "yishu_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain HTTP on loopback
    page = fresh_client.get("/department/D-APIX").text
    assert PHONE in page and "demo-admin" not in page and "test-admin" in page
    assert fresh_client.get("/admin").status_code == 200
    out = fresh_client.post("/signout", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert out.status_code == 303
    assert PHONE not in fresh_client.get("/department/D-APIX").text
    assert fresh_client.get("/admin").status_code == 404


def test_session_cookie_is_secure_behind_https(app):
    with TestClient(app, base_url="https://testserver") as c:
        form = c.get("/signin")
        assert "Secure" in form.headers["set-cookie"]  # the CSRF cookie too
        r = c.post("/signin", data={"key": KEYS["analyst"], "csrf": csrf_of(form.text)},
                   follow_redirects=False)
        assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


def test_pages_refuse_framing(fresh_client):
    r = fresh_client.get("/")
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_bad_key_and_missing_csrf_are_refused(fresh_client):
    r = signin(fresh_client, "wrong")
    assert r.status_code == 401 and "API 密钥无效" in r.text and "yishu_session" not in str(
        r.headers.get("set-cookie"))
    fresh_client.get("/signin")
    r = fresh_client.post("/signin", data={"key": KEYS["admin"], "csrf": "forged"},
                          follow_redirects=False)
    assert r.status_code == 403 and "yishu_session" not in str(r.headers.get("set-cookie"))
    r = fresh_client.post("/signin", data={"key": KEYS["admin"]}, follow_redirects=False)
    assert r.status_code == 403


def test_signin_never_redirects_off_site(fresh_client):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil"):
        r = signin(fresh_client, KEYS["analyst"], target)
        assert r.headers["location"] == "/"


def test_every_form_carries_the_csrf_token(fresh_client):
    signin(fresh_client, KEYS["admin"])
    for url in ("/admin", "/", "/signin"):
        html = fresh_client.get(url).text
        assert html.count("<form") - html.count('method="get"') - html.count('role="search"') \
            <= html.count('name="csrf"'), url


# -- admin: a catalog of its own (the session-wide one must not change) -------------------------
@pytest.fixture
def admin_client():
    store = CatalogStore()
    load_path(store, SMALL, "small")
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))
    with TestClient(app, raise_server_exceptions=False) as c:
        signin(c, KEYS["admin"])
        yield c, store


def _zip(folder, change=None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(folder.glob("*.csv")):
            text = f.read_text(encoding="utf-8")
            if change and f.name == change[0]:
                text = change[1](text)
            z.writestr(f.name, text)
    return buf.getvalue()


def test_admin_upload_replace_remove(admin_client):
    c, store = admin_client
    page = c.get("/admin")
    assert "small" in page.text and "/admin/template.xlsx" in page.text
    token = csrf_of(page.text)
    r = c.post("/admin/load", data={"source": "web-upload", "csrf": token},
               files={"file": ("catalog.zip", _zip(SECRET), "application/zip")})
    assert r.status_code == 200, r.text[:2000]
    assert "已导入来源 web-upload" in r.text
    src = {s.name: s for s in store.sources()}
    assert src["web-upload"].loaded_by == "test-admin"
    assert "test-admin" in r.text
    first = src["web-upload"].version
    r = c.post("/admin/load", data={"source": "web-upload", "csrf": token},  # replace it
               files={"file": ("catalog.zip", _zip(SECRET), "application/zip")})
    assert r.status_code == 200
    assert {s.name: s.version for s in store.sources()}["web-upload"] != first
    r = c.post("/admin/remove", data={"source": "web-upload", "csrf": token})
    assert r.status_code == 200 and "web-upload" not in {s.name for s in store.sources()}


def test_admin_upload_errors_table_and_nothing_stored(admin_client):
    c, store = admin_client
    before = store.stats() if hasattr(store, "stats") else None
    token = csrf_of(c.get("/admin").text)

    def spoil(text: str) -> str:
        lines = text.splitlines()
        lines[1] = lines[1].replace("有条件共享", "随便共享").replace("无条件共享", "随便共享")
        return "\n".join(lines) + "\n"

    r = c.post("/admin/load", data={"source": "bad", "csrf": token},
               files={"file": ("catalog.zip", _zip(SMALL, ("catalog.csv", spoil)),
                               "application/zip")})
    assert r.status_code == 422
    assert 'id="load-errors"' in r.text and "catalog.csv" in r.text and "随便共享" in r.text
    assert "bad" not in {s.name for s in store.sources()}
    assert (store.stats() if before is not None else None) == before
    r = c.post("/admin/load", data={"source": "bad", "csrf": "forged"},
               files={"file": ("catalog.zip", _zip(SMALL), "application/zip")})
    assert r.status_code == 403 and "bad" not in {s.name for s in store.sources()}


def test_blank_template_download(admin_client):
    c, _store = admin_client
    r = c.get("/admin/template.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    from openpyxl import load_workbook

    assert "数据目录" in load_workbook(io.BytesIO(r.content)).sheetnames


def test_non_admin_cannot_load(fresh_client):
    signin(fresh_client, KEYS["governance"])
    token = csrf_of(fresh_client.get("/").text)
    r = fresh_client.post("/admin/load", data={"source": "x", "csrf": token},
                          files={"file": ("a.zip", b"PK", "application/zip")})
    assert r.status_code == 404


def test_anonymous_off_sends_tosignin(api_graph, api_store):
    cfg = dict(ACCESS, anonymous=False)
    with TestClient(create_app(api_graph, api_store, AccessConfig.from_dict(cfg))) as c:
        r = c.get("/department/D-APIX", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/signin"
        assert c.get("/signin").status_code == 200


def test_who_loaded_a_source_through_rest_shows_on_the_admin_page(admin_client):
    c, store = admin_client
    r = c.post("/admin/upload", data={"source": "by-rest"},
               files={"file": ("catalog.zip", _zip(SECRET), "application/zip")},
               headers={"X-API-Key": KEYS["admin"]})
    assert r.status_code == 200, r.text
    assert {s.name: s.loaded_by for s in store.sources()}["by-rest"] == "test-admin"
    store.replace_source("by-rest", [])  # a load that names nobody forgets the last loader
    assert {s.name: s.loaded_by for s in store.sources()}["by-rest"] is None
    assert "命令行" in c.get("/admin").text
