"""Both engines over the same stores: the demo district, a small synthetic district, the
hand-written lineage fixture and the same with dirty RDF on top (tests/fixtures/dirty), and the
small catalog with observed lineage (OpenLineage events: tests.lineage.events.observed_catalog). The Oxigraph engine is the reference; ``engine`` is the engine
under test (["oxigraph", "neo4j"]); the Neo4j engine answers from a real Bolt server (FalkorDB,
one per dataset) holding the projection of the store."""

from __future__ import annotations

import tempfile
from pathlib import Path

import neo4j
import pytest

from graph.neo4j.engine import Neo4jGraph
from graph.neo4j.projection import Neo4jProjection
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.lineage.events import observed_catalog

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SYNTH_SCALE = 0.05  # ≈3 departments' worth of a district: every shape, a few seconds to sync
SYNTH_SEED = 11


@pytest.fixture(scope="session")
def conformance_stores(demo_store) -> dict[str, CatalogStore]:
    from yishu.synth import generate

    synth_dir = Path(tempfile.mkdtemp(prefix="yishu-conf-synth-"))
    generate(synth_dir, SYNTH_SCALE, SYNTH_SEED)
    synth = CatalogStore()
    load_path(synth, synth_dir, "synth")
    lineage = CatalogStore()
    load_path(lineage, FIXTURES / "lineage", "lineage")
    dirty = CatalogStore()
    load_path(dirty, FIXTURES / "lineage", "lineage")
    load_path(dirty, FIXTURES / "dirty" / "dirty.ttl", "dirty")
    tmp = Path(tempfile.mkdtemp(prefix="yishu-conf-observed-"))
    observed = observed_catalog(CatalogStore(tmp / "store"), tmp)
    return {"demo": demo_store, "synth": synth, "lineage": lineage, "dirty": dirty,
            "observed": observed}


@pytest.fixture(scope="session")
def _neo4j_graphs(conformance_stores, bolt_servers):
    graphs: dict[str, Neo4jGraph] = {}
    drivers = []

    def get(name: str) -> Neo4jGraph:
        if name not in graphs:
            srv = bolt_servers()  # FalkorDB holds one projection per server
            driver = neo4j.GraphDatabase.driver(srv.uri, auth=None)
            drivers.append(driver)
            Neo4jProjection(driver).rebuild(conformance_stores[name])
            graphs[name] = Neo4jGraph(driver, base=conformance_stores[name].base)
        return graphs[name]

    yield get
    for d in drivers:
        d.close()


@pytest.fixture(scope="session")
def reference(conformance_stores):
    cache: dict[str, OxigraphGraph] = {}

    def get(name: str) -> OxigraphGraph:
        if name not in cache:
            cache[name] = OxigraphGraph(conformance_stores[name])
        return cache[name]

    return get


@pytest.fixture(params=["oxigraph", "neo4j"])
def engine(request, conformance_stores, _neo4j_graphs):
    """``engine(dataset)`` -> the engine under test over that dataset."""
    if request.param == "oxigraph":
        return lambda name: OxigraphGraph(conformance_stores[name])
    return _neo4j_graphs
