"""Against real servers on 127.0.0.1: the app under uvicorn in a thread, and `yishu serve`."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from tests.api.catalog import HAS_DEMO, KEYS
from tests.servers import yishu_serve


def test_live_server_answers_and_survives_bad_queries(live_server, codes):
    with httpx.Client(base_url=live_server.url, timeout=10) as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        assert c.get("/readyz").json()["status"] == "ready"
        page = c.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        q = ('{ lineage(node: "resource:%s", depth: 5) { totalNodes nodes { node { code } } } }'
             % codes.resource)
        r = c.post("/graphql", json={"query": q}, headers={"X-API-Key": KEYS["analyst"]})
        assert codes.upstream in [n["node"]["code"] for n in r.json()["data"]["lineage"]["nodes"]]
        for bad in ("{ resources(first: 5 { edges } }", "{ x" * 2000,
                    '{ resource(code: "NOPE") { name } }'):
            r = c.post("/graphql", json={"query": bad})
            assert r.status_code in (200, 400) and r.json()["errors"]
            assert "Traceback" not in r.text
        r = c.post("/graphql", json={"query": "{ me { role } }"},
                   headers={"Authorization": f"Bearer {KEYS['governance']}"})
        assert r.json()["data"]["me"]["role"] == "governance"


@pytest.mark.skipif(not HAS_DEMO, reason="the demo district is not built")
def test_yishu_serve_demo(tmp_path):
    cfg = tmp_path / "access.yaml"
    cfg.write_text("classified_network: false\nkeys:\n  - name: t\n    role: admin\n"
                   "    key: serve-test-key\n", encoding="utf-8")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with yishu_serve("--store", str(tmp_path / "store"), "--demo", "--access-config", str(cfg),
                     "--log-level", "warning", env=env) as url:
        r = httpx.post(url + "/graphql", json={"query": '{ resolveSource(element: "身份证号") '
                                                        '{ status element { code } } me { role } }'},
                       headers={"X-API-Key": "serve-test-key"}, timeout=10)
        d = r.json()["data"]
        assert d["me"]["role"] == "admin" and d["resolveSource"]["element"]["code"] == "DE-0101"
        # classified_network false: even the admin does not get 涉密 entries
        r = httpx.post(url + "/graphql", json={"query": '{ resources(first: 500, where: [{field: '
                                                        '"classified", value: "是"}]) { totalCount } }'},
                       headers={"X-API-Key": "serve-test-key"}, timeout=10)
        assert r.json()["data"]["resources"]["totalCount"] == 0


def test_yishu_serve_refuses_unknown_engine_and_bad_config(tmp_path):
    r = subprocess.run([sys.executable, "-m", "yishu", "serve", "--store", str(tmp_path / "s"),
                        "--engine", "nosuch"], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "unknown engine 'nosuch'" in r.stderr and "oxigraph" in r.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("keys:\n  - role: root\n    key: x\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "yishu", "serve", "--store", str(tmp_path / "s"),
                        "--access-config", str(bad)], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "unknown role" in r.stderr and "Traceback" not in r.stderr


def test_engine_registry_is_extensible():
    from yishu import cli_serve

    made = []
    cli_serve.register_engine("test-engine", lambda store: made.append(store) or "graph")
    try:
        assert cli_serve.ENGINES["test-engine"]("S") == "graph" and made == ["S"]
    finally:
        del cli_serve.ENGINES["test-engine"]


def test_api_key_command():
    r = subprocess.run([sys.executable, "-m", "yishu", "api-key", "--role", "analyst", "--name",
                        "x"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    key = r.stderr.strip().rsplit(" ", 1)[-1]
    import yaml

    from api.access import AccessConfig

    entries = yaml.safe_load(r.stdout.replace("  - ", "- ", 1).replace("\n    ", "\n  "))
    assert AccessConfig.from_dict({"keys": entries}).role_for(key)[1].name == "analyst"
