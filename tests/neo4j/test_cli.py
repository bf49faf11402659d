"""`yishu sync-neo4j` and `yishu serve --engine neo4j`, as subprocesses, against a real Bolt
server and a real HTTP server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from graph.neo4j.dialect import close_driver
from graph.neo4j.engine import connect
from graph.neo4j.projection import Neo4jProjection
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.servers import yishu_serve

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"


def _yishu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yishu", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_sync_and_serve(tmp_path, bolt_servers):
    srv = bolt_servers()
    store_dir = tmp_path / "store"
    s = CatalogStore(store_dir)
    load_path(s, SMALL, "small")
    expected_lineage = OxigraphGraph(s).lineage("resource:RES-DB")
    s.close()
    del s
    # a lost FalkorDB handshake (see graph.neo4j.handshake) costs 5 s and a retry, not the driver's 30 s
    env = dict(os.environ, NEO4J_URI=srv.uri, PYTHONUNBUFFERED="1", NEO4J_CONNECTION_TIMEOUT="5")
    for k in ("NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        env.pop(k, None)

    r = _yishu("sync-neo4j", "--store", str(store_dir), "--rebuild", "--batch-size", "5",
               env=env)
    assert r.returncode == 0, r.stderr
    assert "18 nodes, 39 relationships" in r.stdout and "falkordb" in r.stdout
    r = _yishu("sync-neo4j", "--store", str(store_dir), "--source", "small", env=env)
    assert r.returncode == 0 and "synced 1 source(s)" in r.stdout, r.stderr
    r = _yishu("sync-neo4j", "--store", str(store_dir), "--source", "x", "--rebuild", env=env)
    assert r.returncode != 0 and "--rebuild" in r.stderr and "Traceback" not in r.stderr
    bad = dict(env, NEO4J_URI="bolt://127.0.0.1:1")
    r = _yishu("sync-neo4j", "--store", str(store_dir), env=bad)
    assert r.returncode != 0 and "cannot connect" in r.stderr and "Traceback" not in r.stderr

    driver = connect(srv.uri)
    try:
        counts = Neo4jProjection(driver).counts()
    finally:
        # not driver.close(): its GOODBYE would make FalkorDB drop the next handshake — which
        # may be the server's below, opening its second connection mid-query
        close_driver(driver, "falkordb")
    assert counts["DataResource"] == 2 and counts["DERIVED_FROM"] == 1

    with yishu_serve("--engine", "neo4j", "--store", str(store_dir), "--log-level", "warning",
                     env=env) as url:
        q = ('{ lineage(node: "resource:RES-DB") { totalNodes nodes { node { code } } } '
             'resolveSource(element: "身份证号") { status element { code } } }')
        data = httpx.post(url + "/graphql", json={"query": q}, timeout=10).json()["data"]
        assert data["lineage"]["totalNodes"] == expected_lineage.total_nodes
        assert sorted(n["node"]["code"] for n in data["lineage"]["nodes"]) == sorted(
            n.entity.code for n in expected_lineage.nodes)
        assert data["resolveSource"]["element"]["code"] == "DE-SFZ"
