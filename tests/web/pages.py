"""Fixtures for the page tests: the API tests' catalog (the demo district plus a small source of
涉密 entries) and app, and a client per role. Pages are asked for with the API's headers (the
same caller the GraphQL tests use) or through a signed-in session."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.catalog import (  # noqa: F401 - fixtures re-exported for this folder
    ACCESS,
    KEYS,
    api_graph,
    api_store,
    app,
    client,
    codes,
    gql,
)

ROLES = (None, "analyst", "integrator", "governance", "admin")


@pytest.fixture(scope="session")
def page(client):  # noqa: F811 - the re-exported fixture
    """``page(url, role=None)`` → the response, asked with the role's API key."""

    def get(url: str, role: str | None = None, **kw):
        headers = {"X-API-Key": KEYS[role]} if role else {}
        return client.get(url, headers=headers, **kw)

    return get


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field in the form"
    return m.group(1)


def signin(c: TestClient, key: str, next_url: str = "/"):
    """Sign in on ``c`` with an API key through the form (CSRF included); the redirect is not
    followed."""
    form = c.get(f"/signin?next={next_url}")
    return c.post("/signin", data={"key": key, "csrf": csrf_of(form.text), "next": next_url},
                  follow_redirects=False)


@pytest.fixture
def fresh_client(app):  # noqa: F811
    """A client with its own cookie jar (sessions, CSRF cookie)."""
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def admin_app_client():
    """An app over a catalog of its own (tests/fixtures/small), which a test may change."""
    from api.access import AccessConfig
    from api.app import create_app
    from graph.oxigraph_engine import OxigraphGraph
    from graph.store import CatalogStore
    from loaders import load_path
    from tests.api.catalog import SMALL

    store = CatalogStore()
    load_path(store, SMALL, "small")
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))  # noqa: F811
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, store
