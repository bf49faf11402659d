"""Keys (issue 15 item 5): the server refuses to start with a published example key unless
``--insecure-demo`` (then it warns loudly); a key in the query string is refused with a 401 that
says to use the header, and its value never reaches the access log."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from api.access import EXAMPLE_KEYS, AccessConfig, hash_key, load_access
from api.app import create_app
from api.keys import redact
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.api.catalog import ACCESS, KEYS, SMALL
from tests.servers import yishu_serve
from yishu.config import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "api" / "access.yaml"


def test_the_shipped_config_holds_only_example_keys():
    cfg = load_access(SHIPPED)
    assert cfg.keys and set(cfg.keys) <= {hash_key(k) for k in EXAMPLE_KEYS}
    assert {k for k, _ in cfg.example_keys()} == set(EXAMPLE_KEYS)
    assert AccessConfig.from_dict(ACCESS).example_keys() == []


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "store"
    s = CatalogStore(path)
    load_path(s, SMALL, "small")
    s.close()
    return path


def test_serve_refuses_an_example_key(small_store):
    r = subprocess.run([sys.executable, "-m", "yishu", "serve", "--store", str(small_store),
                        "--access-config", str(SHIPPED), "--port", "9"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert "admin-demo-key (demo-admin)" in r.stderr and "--insecure-demo" in r.stderr
    assert "示例密钥" in r.stderr and "Traceback" not in r.stderr


def test_serve_with_insecure_demo_warns_and_serves(small_store):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with yishu_serve("--store", str(small_store), "--access-config", str(SHIPPED),
                     "--insecure-demo", "--log-level", "warning", env=env) as url:
        r = httpx.post(url + "/graphql", json={"query": "{ me { role } }"},
                       headers={"X-API-Key": "admin-demo-key"}, timeout=10)
        assert r.json()["data"]["me"]["role"] == "admin"


def test_insecure_demo_warning_is_printed(small_store):
    proc = subprocess.Popen([sys.executable, "-m", "yishu", "serve", "--store", str(small_store),
                             "--access-config", str(SHIPPED), "--insecure-demo", "--port", "9",
                             "--log-level", "critical"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        out = ""
        deadline = time.monotonic() + 60
        while "published example keys accepted" not in out and time.monotonic() < deadline:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            out += line
    finally:
        proc.terminate()
        proc.wait(10)
    assert "警告 WARNING: 不安全的演示模式 / insecure demo mode" in out
    assert "admin-demo-key" in out


@pytest.fixture
def client():
    store = CatalogStore()
    load_path(store, SMALL, "small")
    with TestClient(create_app(OxigraphGraph(store), store,
                               AccessConfig.from_dict(ACCESS))) as c:
        yield c


@pytest.mark.parametrize("param", ["api_key", "key", "apikey", "X-API-Key", "access_token",
                                   "token"])
def test_key_in_query_string_is_refused(client, param):
    for path in ("/graphql", "/export", "/", "/audit"):
        r = client.get(path, params={param: KEYS["admin"], "query": "{ me { role } }"})
        assert r.status_code == 401, (path, r.text)
        err = r.json()["error"]
        assert err["code"] == "KEY_IN_QUERY" and "X-API-Key" in err["en"]
        assert "请求头" in err["zh"] and KEYS["admin"] not in r.text
    # the same key in the header is served
    r = client.post("/graphql", json={"query": "{ me { role } }"},
                    headers={"X-API-Key": KEYS["admin"]})
    assert r.json()["data"]["me"]["role"] == "admin"


def test_redact():
    assert redact('"GET /graphql?query=x&api_key=s3cret&lang=zh HTTP/1.1"') == \
        '"GET /graphql?query=x&api_key=***&lang=zh HTTP/1.1"'
    assert redact("/export?Key=abc") == "/export?Key=***"
    assert redact("/search?q=key&keyword=1") == "/search?q=key&keyword=1"


def test_key_in_query_never_reaches_the_access_log(tmp_path, small_store):
    cfg = tmp_path / "access.yaml"
    cfg.write_text(f"keys:\n  - name: t\n    role: admin\n    key: {KEYS['admin']}\n",
                   encoding="utf-8")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    port_out = tmp_path / "out.txt"
    from tests.servers import free_port, ready

    port = free_port()
    with port_out.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "yishu", "serve", "--store",
                                 str(small_store), "--access-config", str(cfg), "--port",
                                 str(port), "--log-level", "info"], stdout=fh,
                                stderr=subprocess.STDOUT, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while not ready(url, timeout=2):
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.2)
            r = httpx.get(url + "/export", params={"api_key": KEYS["admin"]}, timeout=10)
            assert r.status_code == 401 and r.json()["error"]["code"] == "KEY_IN_QUERY"
            r = httpx.get(url + "/healthz", params={"token": KEYS["admin"]}, timeout=10)
            assert r.status_code == 401
            time.sleep(0.5)
        finally:
            proc.terminate()
            proc.wait(10)
    log = port_out.read_text(encoding="utf-8")
    assert "/export?api_key=***" in log and "/healthz?token=***" in log
    assert KEYS["admin"] not in log
