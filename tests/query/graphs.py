"""Fixtures for the query-layer tests: the Oxigraph engine over the small and lineage fixtures.

Expected answers in these tests are written by hand from the CSVs (tests/fixtures/*/), never
produced by the code under test. ``ref`` turns ``kind:code`` into the IRI the loader mints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.iris import item_iri, mint
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def ref(node: str) -> str:
    """IRI of ``kind:code`` under the default base (items: ``item:RES/name``)."""
    kind, _, code = node.partition(":")
    if kind == "item":
        res, _, name = code.partition("/")
        return item_iri(res, name)
    return mint(kind, code)


def refs(*nodes: str) -> list[str]:
    return [ref(n) for n in nodes]


@pytest.fixture(scope="module")
def lin() -> OxigraphGraph:
    """tests/fixtures/lineage in an on-disk store (module scope: tests only read it)."""
    import tempfile

    d = tempfile.mkdtemp(prefix="yishu-lineage-")
    s = CatalogStore(Path(d) / "store")
    load_path(s, FIXTURES / "lineage", "lineage")
    return OxigraphGraph(s)


@pytest.fixture(scope="module")
def small() -> OxigraphGraph:
    s = CatalogStore()
    load_path(s, FIXTURES / "small", "small")
    return OxigraphGraph(s)
