"""CatalogStore.pinned and activation hooks (issue 15 item 2), on a real Oxigraph store."""

from __future__ import annotations

import threading

from pyoxigraph import Literal, NamedNode, Triple

from graph.store import CatalogStore

S = NamedNode("https://data.yishu.example/x")
P = NamedNode("https://data.yishu.example/p")


def _name(store: CatalogStore) -> str:
    [row] = store.select("SELECT ?o WHERE { ?s ?p ?o }")
    return str(row["o"])


def test_a_pin_keeps_its_version_and_delays_the_drop():
    store = CatalogStore()
    store.replace_source("s", [Triple(S, P, Literal("old"))])
    old = store.current_versions()
    seen: list[dict[str, str]] = []
    store.add_activation_hook(seen.append)
    done = threading.Event()
    with store.pinned() as pinned:
        assert pinned == old
        t = threading.Thread(target=lambda: (store.replace_source(
            "s", [Triple(S, P, Literal("new"))]), done.set()))
        t.start()
        # the switch happens at once; the pinned reader still reads the old version whole
        while store.registry_versions() == old:
            threading.Event().wait(0.01)
        assert _name(store) == "old" and store.current_versions() == old
        assert not done.wait(0.3)  # the old version is not dropped under a reader
        assert {g.value for g in store.store.named_graphs()} >= set(old.values())
    assert done.wait(10)
    t.join()
    assert _name(store) == "new"
    assert not set(old.values()) & {g.value for g in store.store.named_graphs()}
    assert seen == [store.current_versions()]  # the hook saw the new set before it was current


def test_a_thread_started_outside_sees_the_registry():
    store = CatalogStore()
    store.replace_source("s", [Triple(S, P, Literal("a"))])
    with store.pinned(), store.pinned({}) as explicit:
        assert explicit == {} and store.current_versions() == {}
        out: list[dict] = []
        th = threading.Thread(target=lambda: out.append(store.current_versions()))
        th.start()
        th.join()
        assert out[0] == store.registry_versions() != {}
