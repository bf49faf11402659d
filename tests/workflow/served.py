"""The small catalog served over real HTTP (uvicorn on loopback) for the workflow tests: the
fixture ``server`` (re-exported by tests/workflow/conftest.py), what it is made of, and a GraphQL
call through it — a plain module the tests import."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from api.access import AccessConfig
from api.app import create_app
from api.server import ThreadedServer
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.common import SMALL

__all__ = ["server", "serving", "small_server", "gql"]


@contextmanager
def serving(store: CatalogStore, access: dict) -> Iterator[ThreadedServer]:
    """``store`` served with the access table ``access`` (the config's ``keys``)."""
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(access))
    with ThreadedServer(app) as srv:
        yield srv


@contextmanager
def small_server(access: dict) -> Iterator[tuple[ThreadedServer, CatalogStore]]:
    """(server, store): tests/fixtures/small in an in-memory store, served with ``access``."""
    store = CatalogStore()
    load_path(store, SMALL, "small")
    with serving(store, access) as srv:
        yield srv, store


def gql(url: str, key: str, query: str, **variables) -> dict:
    """The GraphQL answer to ``query`` asked with the API key ``key`` (HTTP 200 asserted)."""
    r = httpx.post(url + "/graphql", json={"query": query, "variables": variables},
                   headers={"X-API-Key": key}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def server(request) -> Iterator[tuple[ThreadedServer, CatalogStore]]:
    """(server, store): the small catalog in memory over real HTTP, keyed by the access table
    ``ACCESS`` of the test module asking for it. Module-wide: a module's tests share its
    writes (each files its own cases)."""
    access = getattr(request.module, "ACCESS", None)
    if access is None:
        pytest.fail(f"{request.module.__name__} uses the server fixture but declares no "
                    "ACCESS table", pytrace=False)
    with small_server(access) as served:
        yield served
