"""Neo4j holds only today's catalog: a GraphQL query with @asOf on that engine is refused with a
clear error; without @asOf it answers as before."""

from __future__ import annotations

import neo4j
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.neo4j.engine import Neo4jGraph
from graph.neo4j.projection import Neo4jProjection
from tests.api.catalog import ACCESS, KEYS


def test_as_of_is_refused_on_the_neo4j_engine(bolt_servers, history):
    srv = bolt_servers()
    driver = neo4j.GraphDatabase.driver(srv.uri, auth=None)
    try:
        Neo4jProjection(driver).sync(history)
        app = create_app(Neo4jGraph(driver, store=history), history,
                         AccessConfig.from_dict(ACCESS))
        with TestClient(app) as client:
            def ask(query: str) -> dict:
                r = client.post("/graphql", json={"query": query},
                                headers={"X-API-Key": KEYS["governance"]})
                assert r.status_code == 200
                return r.json()

            today = ask('{ resource(code: "R-MZ-NEW") { code } }')
            assert today["data"]["resource"]["code"] == "R-MZ-NEW"
            past = ask('query @asOf(at: "2026-02-15T12:00:00+08:00") { '
                       'resource(code: "R-MZ-DB") { code } }')
            err = past["errors"][0]
            assert err["extensions"]["code"] == "NO_HISTORY"
            assert "Neo4j" in err["message"] and "只保存当前目录" in err["message"]
    finally:
        driver.close()
