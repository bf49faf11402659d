"""Concurrent writers share commits (group commit) without losing or doubling a step: many
threads filing and acting at once all get their cases, numbered without gaps, as replayed from
the store; two racing on one request move it once, the other is refused naming the state; a
refused write leaves the others of its batch alone."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace

import pytest
from pyoxigraph import NamedNode

from graph import workflow_commit
from graph.store import CatalogStore
from graph.workflow import Action, State, TransitionError
from graph.workflow_store import (
    WORKFLOW_SOURCE,
    Step,
    act,
    file_request,
    get_request,
    step_quads,
)
from loaders import load_path
from tests.common import SMALL
from tests.workflow.history import GA, GOV, MZ
from tests.workflow.history import HJ as RES  # provided by D-GA

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


def test_an_announced_write_shares_the_commit_it_was_awaited_by(store, monkeypatch):
    """A commit starting while another write is announced (its checks under way) waits for it
    and takes it along: one commit for both. The window is made long so that the outcome does
    not depend on timing; the announced write arrives when the test lets it."""
    monkeypatch.setattr(workflow_commit, "WINDOW", 60.0)
    first = file_request(store, resource=RES, requester=MZ, actor="mz", at=T0)
    second = file_request(store, resource=RES, requester=MZ, actor="mz", at=T0)
    before = workflow_commit.stats(store)
    announced, go = threading.Event(), threading.Event()
    out: dict = {}

    def announced_writer():
        with workflow_commit.coming_write(store):
            announced.set()
            go.wait(60)
            out["second"] = act(store, second, Action.PASS, actor="gov", department=GOV, at=T0)

    t2 = threading.Thread(target=announced_writer)
    t2.start()
    announced.wait(60)
    t1 = threading.Thread(target=lambda: out.setdefault(
        "first", act(store, first, Action.PASS, actor="gov", department=GOV, at=T0)))
    t1.start()
    while not workflow_commit.waiting(store):  # the first write's commit waits for the second
        threading.Event().wait(0.01)
    go.set()
    t1.join(60)
    t2.join(60)
    assert out["first"].state is State.FORWARDED and out["second"].state is State.FORWARDED
    after = workflow_commit.stats(store)
    assert after.get(2, 0) == before.get(2, 0) + 1  # both in one commit
    assert [s.seq for s in get_request(store, second.iri).steps] == [1, 2]


def test_a_withdrawn_announcement_releases_the_commit(store, monkeypatch):
    """An announced write that is refused before it is submitted withdraws its announcement:
    a commit waiting for it goes ahead."""
    monkeypatch.setattr(workflow_commit, "WINDOW", 600.0)
    r = file_request(store, resource=RES, requester=MZ, actor="mz", at=T0)
    announced, leave = threading.Event(), threading.Event()

    def refused_writer():
        with workflow_commit.coming_write(store):
            announced.set()
            leave.wait(60)  # … and never submits (say, the policy refused it)

    t2 = threading.Thread(target=refused_writer)
    t2.start()
    announced.wait(60)
    out: dict = {}
    t1 = threading.Thread(target=lambda: out.setdefault(
        "r", act(store, r, Action.PASS, actor="gov", department=GOV, at=T0)))
    t1.start()
    while not workflow_commit.waiting(store):
        threading.Event().wait(0.01)
    leave.set()
    t1.join(120)
    t2.join(60)
    assert not t1.is_alive() and out["r"].state is State.FORWARDED


def test_a_case_moved_by_another_writer_is_read_again(store):
    """The writer trusts a case it keeps only while its own commits were the only writes to
    the workflow source: a step appended elsewhere (a bulk import) is seen before acting."""
    r = file_request(store, resource=RES, requester=MZ, actor="mz", at=T0)
    act(store, r, Action.PASS, actor="gov", department=GOV, at=T0)
    assert workflow_commit.confirmed(store, r)  # kept, and only our commits wrote since
    assert not workflow_commit.confirmed(store, replace(r))  # a copy is not the one kept
    moved = replace(r, steps=list(r.steps))
    step = Step(3, Action.APPROVE, "ga", GA, T0, "", State.APPROVED)
    store.append(WORKFLOW_SOURCE, step_quads(store, NamedNode(r.iri), step))
    assert not workflow_commit.confirmed(store, r)
    file_request(store, resource=RES, requester=MZ, actor="mz", at=T0)  # our commit after it
    assert not workflow_commit.confirmed(store, r)  # … does not make r current again
    assert len(r.steps) == 2  # the kept copy does not know
    with pytest.raises(TransitionError) as e:  # it is re-read: already approved
        act(store, r, Action.REFUSE, actor="ga", department=GA, at=T0, comment="无依据")
    assert "APPROVED" in e.value.en
    assert [s.seq for s in get_request(store, r.iri).steps] == [1, 2, 3]
    assert moved.state is State.FORWARDED


def test_log_entries_on_their_own_are_queued_with_the_writes(store):
    """Denied or refused attempts (a write-log entry alone) go through the same queue as the
    writes: written concurrently with them, none is lost and the writes are all stored."""
    from graph.workflow_store import LogEntry, log_write, read_log

    def deny(i: int):
        log_write(store, LogEntry(f"x{i}", MZ, T0, "APPROVE", RES, "DENIED", "not the provider"))
        return i

    got = run_together([lambda: cycle(store)] * 3 + [lambda i=i: deny(i) for i in range(8)])
    assert not [g for g in got if isinstance(g, Exception)], got
    actors = {e.actor for e in read_log(store, limit=100_000) if e.outcome == "DENIED"}
    assert {f"x{i}" for i in range(8)} <= actors
    for iri in got[:3]:
        assert get_request(store, iri).state is State.APPROVED


def test_a_case_read_while_another_writer_appends_is_not_trusted(store, monkeypatch):
    """A case read from the store just before another writer moves it, and kept after the
    writer noticed that write, is still checked against the store when acted on."""
    from graph import workflow_store
    from graph.workflow_store import Request, recent_case

    r = file_request(store, resource=RES, requester=MZ, actor="mz", at=T0)
    act(store, r, Action.PASS, actor="gov", department=GOV, at=T0)
    workflow_commit._writer(store).recent.pop(r.iri)  # as if pushed out of the kept cases
    read = workflow_store.get_request

    def read_then_moved(s, iri):
        case = read(s, iri)  # read as FORWARDED …
        step = Step(3, Action.APPROVE, "ga", GA, T0, "", State.APPROVED)
        s.append(WORKFLOW_SOURCE, step_quads(s, NamedNode(iri), step))  # … approved elsewhere
        file_request(s, resource=RES, requester=MZ, actor="mz", at=T0)  # a commit notices it
        return case

    monkeypatch.setattr(workflow_store, "get_request", read_then_moved)
    stale = recent_case(store, r.iri, Request)
    monkeypatch.setattr(workflow_store, "get_request", read)
    assert stale.state is State.FORWARDED and not workflow_commit.confirmed(store, stale)
    with pytest.raises(TransitionError):
        act(store, stale, Action.REFUSE, actor="ga", department=GA, at=T0, comment="无依据")
    assert [s.action for s in get_request(store, r.iri).steps][-1] is Action.APPROVE
