"""A store holding a generated history (tests/history/files.py) and fresh stores loaded with the
files of a date, to compare against."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.history import stamped
from graph.store import CatalogStore
from loaders import load_path
from tests.history.files import build

Versions = list[tuple[dt.datetime, str, Path]]


def load_history(store: CatalogStore, versions: Versions, actor: str = "测试员") -> None:
    for when, source, folder in versions:
        with stamped(when, actor):
            load_path(store, folder, source)


def fresh(versions: Versions, when: dt.datetime) -> CatalogStore:
    """A new store loaded (once per source) with the files current at ``when``."""
    latest: dict[str, Path] = {}
    for at, source, folder in versions:
        if at <= when:
            latest[source] = folder
    s = CatalogStore()
    for source, folder in latest.items():
        load_path(s, folder, source)
    return s


@pytest.fixture(scope="session")
def history_files(tmp_path_factory) -> Versions:
    return build(tmp_path_factory.mktemp("history-files"))


@pytest.fixture(scope="session")
def history(tmp_path_factory, history_files) -> CatalogStore:
    """An on-disk store with the whole history (read it, never write to it)."""
    s = CatalogStore(tmp_path_factory.mktemp("history-store") / "s")
    load_history(s, history_files)
    return s
