"""The KPI index follows every write incrementally and always equals a from-scratch computation
(the one-SPARQL engine, which folds every recorded step afresh): random histories written
through the store layer (the index is extended in place), as plain appends to the workflow
source the way another process or a bulk import writes them (read back from the version
records' delta graphs), and a load replacing the source (the only case rebuilt in full)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from graph.objection import OBJECTION_MACHINE, Category
from graph.store import CatalogStore
from graph.workflow import Action, State, allowed_actions, next_state
from graph.workflow_index import index_stats
from graph.workflow_kpis import sharing_kpis
from graph.workflow_store import (
    WORKFLOW_SOURCE,
    Request,
    Step,
    act,
    act_on_objection,
    file_request,
    raise_objection,
    request_quads,
    step_quads,
)
from loaders import load_path
from tests.common import SMALL

BASE = "https://data.yishu.example/"
MZ, GA, GOV = (BASE + f"department/{c}" for c in ("D-MZ", "D-GA", "D-GOV"))
# (resource, its provider, a requester)
RESOURCES = [(BASE + "resource/RES-HJ", GA, MZ), (BASE + "resource/RES-DB", MZ, GA)]
START = dt.datetime(2025, 9, 26, 9, 0)
DAYS = [dt.date(2025, 9, 26) + dt.timedelta(days=i) for i in range(0, 40, 3)]

# one case: kind, resource index, start offset (minutes), then (choice, gap seconds) per step
case_st = st.tuples(st.sampled_from(["layer", "plain", "objection"]), st.integers(0, 1),
                    st.integers(0, 20 * 24 * 60),
                    st.lists(st.tuples(st.integers(0, 9), st.sampled_from(
                        [10, 45, 90, 3600, 86400, 5 * 86400])), max_size=4))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = CatalogStore(tmp_path_factory.mktemp("kpi-index") / "store")
    load_path(s, SMALL, "small")
    _write(s, ("layer", 0, 0, []), 0)  # the workflow source exists (creating it is a load)
    yield s
    s.close()


def _request_path(conditional: bool, choices) -> list[tuple[Action, str, int]]:
    """A legal path of actions after FILE (action, comment, gap) from the drawn choices."""
    state, out = State.FILED, []
    for pick, gap in choices:
        actions = allowed_actions(state, conditional)
        if not actions:
            break
        action = actions[pick % len(actions)]
        state = next_state(state, action, "理由", conditional)
        out.append((action, "理由", gap))
    return out


def _write(store: CatalogStore, case, n: int) -> None:
    kind, r, offset, choices = case
    res, provider, requester = RESOURCES[r]
    at = START + dt.timedelta(minutes=offset)
    who = {"REQUESTER": requester, "PROVIDER": provider, "AUTHORITY": GOV}
    if kind == "objection":
        o = raise_objection(store, resource=res, raiser=requester, actor="x", at=at,
                            category=Category.INCOMPLETE, description="缺项")
        state = o.state
        for pick, gap in choices:
            actions = OBJECTION_MACHINE.allowed_actions(state)
            if not actions:
                break
            action = actions[pick % len(actions)]
            at += dt.timedelta(seconds=gap)
            party = OBJECTION_MACHINE.who_acts(state, action)
            o = act_on_objection(store, o, action, actor="x", department=who[party], at=at,
                                 comment="理由")
            state = o.state
        return
    if kind == "layer":
        req = file_request(store, resource=res, requester=requester, actor="x", at=at)
        for action, comment, gap in _request_path(req.conditional, choices):
            at += dt.timedelta(seconds=gap)
            req = act(store, req, action, actor="x", department=provider, at=at,
                      comment=comment)
        return
    # a plain append of the whole case, as another process or a bulk import writes it
    req = Request(iri=f"{BASE}workflow/request/plain-{n}", resource=res, requester=requester,
                  provider=provider, conditional=True, filed_at=at)
    steps = [Step(1, Action.FILE, "x", requester, at, "", State.FILED)]
    state = State.FILED
    for action, comment, gap in _request_path(True, choices):
        at += dt.timedelta(seconds=gap)
        state = next_state(state, action, comment, True)
        steps.append(Step(len(steps) + 1, action, "x", provider, at, comment, state))
    quads = request_quads(req)
    for s in steps:
        quads += step_quads(store, NamedNode(req.iri), s)
    store.append(WORKFLOW_SOURCE, quads)


def _counts(kpis) -> dict:
    return {d: {k: (v.numerator, v.denominator, v.pending) for k, v in per.items()}
            for d, per in kpis.items()}


_written = [0]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(case_st, min_size=1, max_size=4), day=st.sampled_from(DAYS))
def test_index_after_writes_equals_a_computation_from_scratch(store, cases, day):
    sharing_kpis(store, day)  # the index is warm before the writes
    builds, _ = index_stats(store)
    for case in cases:
        _written[0] += 1
        _write(store, case, _written[0])
    got = sharing_kpis(store, day)
    assert _counts(got) == _counts(sharing_kpis(store, day, engine="sparql"))
    assert index_stats(store)[0] == builds  # followed incrementally, never rebuilt


def test_plain_appends_are_read_from_their_version_records(store):
    day = dt.date(2025, 10, 30)
    sharing_kpis(store, day)
    builds, deltas = index_stats(store)
    _write(store, ("plain", 0, 60, [(0, 10), (0, 20)]), 10_000)
    _write(store, ("plain", 1, 90, [(0, 10)]), 10_001)
    assert _counts(sharing_kpis(store, day)) == _counts(sharing_kpis(store, day,
                                                                     engine="sparql"))
    assert index_stats(store) == (builds, deltas + 2)


def test_a_load_replacing_the_workflow_source_rebuilds(store):
    day = dt.date(2025, 10, 30)
    sharing_kpis(store, day)
    builds, _ = index_stats(store)
    kept = [t for t in store.triples(WORKFLOW_SOURCE)
            if not t.subject.value.startswith(f"{BASE}workflow/request/plain-")]
    store.replace_source(WORKFLOW_SOURCE, kept)  # a load: a new version graph
    got = sharing_kpis(store, day)
    assert _counts(got) == _counts(sharing_kpis(store, day, engine="sparql"))
    assert index_stats(store)[0] == builds + 1
