"""A store holding a generated history (tests/history/files.py) and fresh stores loaded with the
files of a date, to compare against."""

from __future__ import annotations

import pytest

from graph.store import CatalogStore
from tests.history.files import Versions, build, load_history


@pytest.fixture(scope="session")
def history_files(tmp_path_factory) -> Versions:
    return build(tmp_path_factory.mktemp("history-files"))


@pytest.fixture(scope="session")
def history(tmp_path_factory, history_files) -> CatalogStore:
    """An on-disk store with the whole history (read it, never write to it)."""
    s = CatalogStore(tmp_path_factory.mktemp("history-store") / "s")
    load_history(s, history_files)
    return s
