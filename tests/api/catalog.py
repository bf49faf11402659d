"""Fixtures for the API tests: one on-disk store with the demo district (tests/fixtures/small
while the demo is absent) plus a small source of 涉密 entries, served in-process over ASGI and
by a real uvicorn server on loopback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from api.server import ThreadedServer
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from yishu.config import DEMO_DIR

HERE = Path(__file__).resolve().parent
SECRET = HERE / "fixtures" / "secret"
SMALL = HERE.parent / "fixtures" / "small"
HAS_DEMO = (DEMO_DIR / "catalog.csv").exists() or any(DEMO_DIR.glob("*.xlsx"))

# One key per role; the access config in the tests runs on a classified network so that the
# roles allowed to see 涉密 entries do.
KEYS = {"analyst": "k-analyst", "integrator": "k-integrator", "governance": "k-governance",
        "admin": "k-admin"}
ACCESS = {"classified_network": True,
          "keys": [{"name": f"test-{r}", "role": r, "key": k} for r, k in KEYS.items()]}

SECRET_CODES = ("RES-APIX-SEC", "S-APIX-SEC", "F-APIX-1", "REQ-APIX-1")
PHONE = "0513-86999999"
PERSONS = ("孙首席", "周负责", "吴经办")


@dataclass(frozen=True)
class Codes:
    """Entities of the catalog under test that the table tests ask about."""

    resource: str  # a resource taking 公民身份号码 from upstream
    upstream: str  # the resource it takes it from (directly or not)
    item: str  # its item carrying 公民身份号码 (resource code/item name)
    element: str  # 公民身份号码
    element_name: str
    synonym: str
    department: str  # the resource's provider
    system: str  # the resource's source system


DEMO = Codes("R-MZ-DB", "R-JC-RK", "R-MZ-DB/公民身份号码", "DE-0101", "公民身份号码", "身份证号",
             "YX-MZ", "YX-S-MZ-JZ")
SMALL_CODES = Codes("RES-DB", "RES-HJ", "RES-DB/身份证号", "DE-SFZ", "公民身份号码", "身份证号",
                    "D-MZ", "S-DB")


@pytest.fixture(scope="session")
def codes() -> Codes:
    return DEMO if HAS_DEMO else SMALL_CODES


@pytest.fixture(scope="session")
def api_store(tmp_path_factory) -> CatalogStore:
    """The catalog under test (session-wide: tests must not modify it)."""
    s = CatalogStore(tmp_path_factory.mktemp("api") / "store")
    if HAS_DEMO:
        load_path(s, DEMO_DIR, "demo-district")
    else:
        load_path(s, SMALL, "small")
    load_path(s, SECRET, "apix-secret")
    return s


@pytest.fixture(scope="session")
def api_graph(api_store) -> OxigraphGraph:
    return OxigraphGraph(api_store)


@pytest.fixture(scope="session")
def app(api_graph, api_store):
    return create_app(api_graph, api_store, AccessConfig.from_dict(ACCESS))


@pytest.fixture(scope="session")
def client(app) -> TestClient:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _post(client, query: str, role: str | None = None, variables: dict | None = None):
    headers = {"X-API-Key": KEYS[role]} if role else {}
    return client.post("/graphql", json={"query": query, "variables": variables or {}},
                       headers=headers)


@pytest.fixture(scope="session")
def gql(client):
    """``gql(query, role=None, variables=None)`` → the JSON body; role None is anonymous."""

    def run(query: str, role: str | None = None, variables: dict | None = None) -> dict:
        r = _post(client, query, role, variables)
        assert r.status_code == 200, r.text
        return r.json()

    return run


@pytest.fixture(scope="session")
def raw(client):
    """``raw(query, role=None)`` → the httpx response (for text-level checks)."""
    return lambda query, role=None, variables=None: _post(client, query, role, variables)


@pytest.fixture(scope="session")
def live_server(app):
    """The same app on a real uvicorn server, 127.0.0.1, a free port; stopped afterwards."""
    with ThreadedServer(app) as srv:
        yield srv


ROLE_VIEW = {  # role: (persons, phones, classified) with classified_network true
    None: (False, False, False),
    "analyst": (True, False, False),
    "integrator": (True, True, False),
    "governance": (True, True, True),
    "admin": (True, True, True),
}


def leaks(text: str, *, classified: bool, phones: bool, persons: bool) -> list[str]:
    """The 涉密 codes, phone and persons' names of the catalog found in ``text`` that a caller
    seeing (or not) classified entries, phones and persons must not see."""
    out = []
    if not classified:
        out += [c for c in SECRET_CODES + ("RES-APIX-SEC/", "APIX-SEC") if c in text]
    if not phones:
        out += [PHONE] if PHONE in text else []
    if not persons:
        out += [p for p in PERSONS if p in text]
    return out
