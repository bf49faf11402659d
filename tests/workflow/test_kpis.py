"""The sharing KPIs from recorded steps, as of two dates, equal to figures counted by hand on a
fixture (the small catalog with a hand-made history; a real on-disk-format Oxigraph store)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.objection import Category, ObjectionAction
from graph.workflow import Action
from graph.workflow_kpis import sharing_kpis
from graph.workflow_store import act, act_on_objection, file_request, raise_objection

BASE = "https://data.yishu.example/"
MZ, GA, GOV = (BASE + f"department/{c}" for c in ("D-MZ", "D-GA", "D-GOV"))
HJ, DB = BASE + "resource/RES-HJ", BASE + "resource/RES-DB"  # provided by D-GA, D-MZ


def t(day: str, hms: str = "09:00:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hms}")  # Beijing time (naive = Beijing)


def history(store) -> None:
    """Requests: r1-r5 to D-GA, r6 to D-MZ; objections o1-o4 to D-GA (limit 5 working days)."""
    def request(res, who, filed, *steps):
        r = file_request(store, resource=res, requester=who, actor="clerk", at=filed)
        for action, dept, at, comment in steps:
            act(store, r, action, actor="x", department=dept, at=at, comment=comment)

    request(HJ, MZ, t("2025-09-29"), (Action.PASS, GOV, t("2025-09-29", "09:00:20"), ""),
            (Action.APPROVE, GA, t("2025-09-29", "09:00:50"), ""))  # r1: within a minute
    request(HJ, MZ, t("2025-09-29", "10:00:00"), (Action.PASS, GOV, t("2025-09-29", "10:30:00"), ""),
            (Action.REFUSE, GA, t("2025-09-29", "15:00:00"), "无依据"))  # r2: refused same day
    request(HJ, MZ, t("2025-09-30", "16:00:00"), (Action.PASS, GOV, t("2025-10-09"), ""),
            (Action.APPROVE_WITH_CONDITIONS, GA, t("2025-10-10", "11:00:00"), "仅限核验"))  # r3
    request(HJ, MZ, t("2025-09-30", "17:00:00"),
            (Action.WITHDRAW, MZ, t("2025-10-09"), ""))  # r4: withdrawn on 10-09
    request(HJ, MZ, t("2025-10-09"), (Action.PASS, GOV, t("2025-10-09", "10:00:00"), ""))  # r5
    request(DB, GA, t("2025-09-29", "11:00:00"), (Action.PASS, GOV, t("2025-09-29", "11:00:10"), ""),
            (Action.APPROVE, MZ, t("2025-09-29", "11:00:40"), ""))  # r6: within a minute

    def objection(raised, *steps):
        o = raise_objection(store, resource=HJ, raiser=MZ, actor="clerk", at=raised,
                            category=Category.INCONSISTENT, description="与民政数据不一致")
        for action, at, comment in steps:
            act_on_objection(store, o, action, actor="ga", department=GA, at=at, comment=comment)

    objection(t("2025-09-30", "10:00:00"), (ObjectionAction.CORRECT, t("2025-10-13"), "已更正"))
    # o2 raised Mon 09-29: due 09-30, 10-09, 10-10, 10-11 (Sat 调休), 10-13 -> rejected 10-14: late
    objection(t("2025-09-29", "10:00:00"), (ObjectionAction.VERIFY, t("2025-10-10"), ""),
              (ObjectionAction.REJECT, t("2025-10-14"), "数据无误"))
    objection(t("2025-10-09"))  # o3: pending
    o4 = raise_objection(store, resource=HJ, raiser=MZ, actor="clerk", at=t("2025-10-09"),
                         category=Category.INCOMPLETE, description="缺项")
    act_on_objection(store, o4, ObjectionAction.WITHDRAW, actor="mz", department=MZ,
                     at=t("2025-10-10"))


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
