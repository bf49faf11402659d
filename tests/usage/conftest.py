"""Fixtures for the usage tests (the catalog and the hand-counted usage file: catalog.py)."""

from __future__ import annotations

import pytest

from graph.store import CatalogStore
from tests.usage.catalog import USAGE, catalog


@pytest.fixture
def store() -> CatalogStore:
    """The catalog without usage statistics (each test its own)."""
    return catalog()


@pytest.fixture(scope="module")
def used() -> CatalogStore:
    """The catalog with the fixture's usage imported (module-wide: do not change it)."""
    from loaders.usage import import_usage_file

    s = catalog()
    import_usage_file(s, USAGE)
    return s
