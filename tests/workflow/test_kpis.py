"""The sharing KPIs from recorded steps, as of two dates, equal to figures counted by hand on a
fixture (the small catalog with a hand-made history; a real on-disk-format Oxigraph store)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.workflow import Action
from graph.workflow_kpis import sharing_kpis
from graph.workflow_store import file_request
from tests.workflow.history import BASE, DB, GA, GOV, HJ, MZ, history, t


@pytest.fixture(scope="module")
def store():
    from graph.store import CatalogStore
    from loaders import load_path
    from tests.common import SMALL

    s = CatalogStore()
    load_path(s, SMALL, "small")
    history(s)
    return s


def counts(kpis, dept=None):
    return {k: (v.numerator, v.denominator, v.pending) for k, v in kpis[dept].items()}


def test_kpis_as_of_the_day_before_national_day(store):
    k = sharing_kpis(store, dt.date(2025, 9, 30))
    # filed by 09-30: r1 APPROVED, r2 REFUSED, r3 FILED, r4 FILED (withdrawn only on 10-09),
    # r6 APPROVED; objections o1, o2 open
    assert counts(k) == {"on_demand_sharing": (2, 5, 2), "satisfied_within_minute": (2, 5, 2),
                         "answered_within_day": (3, 5, 2), "objections_on_time": (0, 2, 2)}
    assert counts(k, GA)["on_demand_sharing"] == (1, 4, 2)
    assert counts(k, MZ)["on_demand_sharing"] == (1, 1, 0)
    assert k[None]["on_demand_sharing"].value == pytest.approx(0.4)
    assert k[None]["on_demand_sharing"].meets_target is False


def test_kpis_after_the_holiday(store):
    k = sharing_kpis(store, dt.date(2025, 10, 14))
    # r4 withdrawn (out); r1 APPROVED, r2 REFUSED, r3 CONDITIONAL (answered after a day),
    # r5 FORWARDED (pending), r6 APPROVED; o1 on time, o2 late, o3 open, o4 withdrawn (out)
    assert counts(k) == {"on_demand_sharing": (3, 5, 1), "satisfied_within_minute": (2, 5, 1),
                         "answered_within_day": (3, 5, 1), "objections_on_time": (1, 3, 1)}
    assert counts(k, GA) == {"on_demand_sharing": (2, 4, 1),
                             "satisfied_within_minute": (1, 4, 1),
                             "answered_within_day": (2, 4, 1), "objections_on_time": (1, 3, 1)}
    # the day before nothing had happened yet to o2 past its due date, r3 was answered
    assert counts(sharing_kpis(store, dt.date(2025, 10, 13)))["objections_on_time"] == (1, 3, 2)


def test_no_history_gives_empty_figures(small_store):
    k = sharing_kpis(small_store, dt.date(2025, 10, 14))
    assert list(k) == [None] and all(v.value is None for v in k[None].values())


def test_index_equals_one_sparql_and_follows_writes():
    from pyoxigraph import NamedNode

    from graph.store import CatalogStore
    from graph.workflow import State
    from graph.workflow_store import WORKFLOW_SOURCE, Request, Step, request_quads, step_quads
    from loaders import load_path
    from tests.common import SMALL

    store = CatalogStore()
    load_path(store, SMALL, "small")
    history(store)

    def as_tuples(day):
        k = sharing_kpis(store, day)
        assert {d: counts(k, d) for d in k} == {
            d: counts(v, d) for v in [sharing_kpis(store, day, engine="sparql")] for d in v}
        return k

    for day in (dt.date(2025, 9, 29), dt.date(2025, 9, 30), dt.date(2025, 10, 14)):
        as_tuples(day)
    day = dt.date(2025, 10, 14)
    # a write through the store layer extends the warm index in place
    file_request(store, resource=HJ, requester=MZ, actor="clerk", at=t("2025-10-14", "18:00:00"))
    assert counts(as_tuples(day))["on_demand_sharing"] == (3, 6, 2)
    # a write elsewhere (a plain append to the source) makes it rebuild
    req = Request(iri=BASE + "workflow/request/outside", resource=DB, requester=GA, provider=MZ,
                  conditional=False, filed_at=t("2025-10-14", "08:00:00"))
    store.append(WORKFLOW_SOURCE, request_quads(req) + step_quads(
        store, NamedNode(req.iri), Step(1, Action.FILE, "x", GA, req.filed_at, "", State.FILED))
        + step_quads(store, NamedNode(req.iri),
                     Step(2, Action.PASS, "x", GOV, t("2025-10-14", "08:00:10"), "",
                          State.FORWARDED))
        + step_quads(store, NamedNode(req.iri),
                     Step(3, Action.APPROVE, "x", MZ, t("2025-10-14", "08:00:30"), "",
                          State.APPROVED)))
    k = as_tuples(day)
    assert counts(k)["on_demand_sharing"] == (4, 7, 2)
    assert counts(k)["satisfied_within_minute"] == (3, 7, 2)
