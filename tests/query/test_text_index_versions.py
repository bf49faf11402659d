"""The search index is kept per store version: during a load, requests pinning the replaced
version and requests on the new one search side by side, each its own version's names, and
neither rebuilds (or waits for) the other's index."""

from __future__ import annotations

import contextvars
import shutil
import threading
import time

from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.loaders.csvs import SMALL, CsvFolder


def test_old_and_new_version_search_side_by_side(tmp_path):
    folder = CsvFolder(tmp_path / "small")
    shutil.copytree(SMALL, folder.path)
    store = CatalogStore()
    load_path(store, folder.path, "small")
    graph = OxigraphGraph(store)
    assert [e.code for e in graph.search("户籍人口信息")] == ["RES-HJ"]

    def codes(text: str) -> list[str]:
        return [e.code for e in graph.search(text, kinds=["resource"])]

    def unpinned(fn, *args):  # a request that did not pin the old version
        return contextvars.Context().run(fn, *args)

    folder.set("catalog.csv", 2, "资源名称", "常住户口登记信息")  # RES-HJ renamed
    builds = []
    with store.pinned() as old:  # a reader of the old version, still reading during the load
        load = threading.Thread(target=load_path, args=(store, folder.path, "small"))
        load.start()  # switches, then waits for this reader before dropping the old version
        deadline = time.monotonic() + 60
        while unpinned(store.current_versions) == old and time.monotonic() < deadline:
            time.sleep(0.05)
        assert unpinned(store.current_versions) != old
        for _ in range(3):  # alternate: the old reader, a new one, ...
            assert codes("户籍人口信息") == ["RES-HJ"] and codes("常住户口登记") == []
            builds.append(graph._text_index())
            assert unpinned(codes, "常住户口登记") == ["RES-HJ"]
            assert unpinned(codes, "户籍人口信息") == []
            builds.append(unpinned(graph._text_index))
    load.join(60)
    old_index, new_index = builds[0], builds[1]
    assert old_index is not new_index
    assert builds == [old_index, new_index] * 3  # built once each, never thrown away
