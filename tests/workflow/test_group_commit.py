"""Concurrent writers share commits (group commit) without losing or doubling a step: many
threads filing and acting at once all get their cases, numbered without gaps, as replayed from
the store; two racing on one request move it once, the other is refused naming the state; a
refused write leaves the others of its batch alone."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from graph.store import CatalogStore
from graph.workflow import Action, State, TransitionError
from graph.workflow_store import act, file_request, get_request
from loaders import load_path
from tests.common import SMALL

BASE = "https://data.yishu.example/"
MZ, GA, GOV = BASE + "department/D-MZ", BASE + "department/D-GA", BASE + "department/D-GOV"
RES = BASE + "resource/RES-HJ"  # provided by D-GA
T0 = dt.datetime(2025, 9, 30, 10)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = CatalogStore(tmp_path_factory.mktemp("group-commit") / "store")
    load_path(s, SMALL, "small")
    yield s
    s.close()


def run_together(fns) -> list:
    """Run ``fns`` in threads released at once; their results (or exceptions) in order."""
    gate = threading.Barrier(len(fns))
    out: list = [None] * len(fns)

    def run(i, fn):
        gate.wait()
        try:
            out[i] = fn()
        except Exception as e:  # noqa: BLE001 - the test looks at it
            out[i] = e

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def cycle(store: CatalogStore) -> str:
    r = file_request(store, resource=RES, requester=MZ, actor="mz", at=T0)
    act(store, r, Action.PASS, actor="gov", department=GOV, at=T0)
    return act(store, r, Action.APPROVE, actor="ga", department=GA, at=T0).iri


def test_concurrent_cycles_all_stored_in_order(store):
    versions = len(store.versions("workflow"))
    iris = run_together([lambda: cycle(store)] * 12)
    assert all(isinstance(i, str) for i in iris), iris
    for iri in iris:
        back = get_request(store, iri)
        assert [(s.seq, s.action, s.state) for s in back.steps] == [
            (1, Action.FILE, State.FILED), (2, Action.PASS, State.FORWARDED),
            (3, Action.APPROVE, State.APPROVED)]
    assert len(store.versions("workflow")) - versions <= 36  # one per commit, shared or not


def test_racing_on_one_request_moves_it_once(store):
    r = file_request(store, resource=RES, requester=MZ, actor="mz", at=T0)
    act(store, r, Action.PASS, actor="gov", department=GOV, at=T0)
    got = run_together([
        lambda: act(store, get_request(store, r.iri), Action.APPROVE, actor="ga",
                    department=GA, at=T0),
        lambda: act(store, get_request(store, r.iri), Action.REFUSE, actor="ga",
                    department=GA, at=T0, comment="无依据")] * 3)
    moved = [g for g in got if not isinstance(g, Exception)]
    refused = [g for g in got if isinstance(g, TransitionError)]
    assert len(moved) == 1 and len(refused) == 5, got
    assert all("待提供部门答复" not in e.zh for e in refused)  # they name the state reached
    back = get_request(store, r.iri)
    assert [s.seq for s in back.steps] == [1, 2, 3]
    assert back.state in (State.APPROVED, State.REFUSED)


def test_a_refused_write_leaves_its_batch_alone(store):
    reqs = [file_request(store, resource=RES, requester=MZ, actor="mz", at=T0) for _ in range(6)]
    # half of them refuse without a reason (refused), half pass review
    got = run_together([
        (lambda r=r, i=i: act(store, r, Action.RETURN if i % 2 else Action.PASS, actor="gov",
                              department=GOV, at=T0)) for i, r in enumerate(reqs)])
    assert [type(g).__name__ for g in got] == ["Request", "TransitionError"] * 3
    assert [get_request(store, r.iri).state for r in reqs] == [State.FORWARDED, State.FILED] * 3
