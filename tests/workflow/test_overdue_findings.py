"""Overdue steps are audit findings (WFL-001 requests, WFL-002 objections) as of the audit date,
on working days across 国庆 2025 and its 调休 days — both audit engines, the whole catalog and a
department slice."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.objection import ObjectionState
from graph.store import CatalogStore
from graph.workflow_store import file_request, get_objection
from loaders import load_path
from shapes.audit import audit
from tests.common import SMALL
from tests.workflow.history import HJ, MZ, history


@pytest.fixture(scope="module")
def store():
    s = CatalogStore()
    load_path(s, SMALL, "small")
    history(s)
    # r7: filed Fri 2025-09-26, never reviewed. Review limit 2 working days: Sun 09-28 (调休
    # working day), Mon 09-29 -> due 09-29, late from 09-30.
    r7 = file_request(s, resource=HJ, requester=MZ, actor="clerk",
                      at=dt.datetime(2025, 9, 26, 17, 30))
    s.r7 = r7.iri  # type: ignore[attr-defined]
    return s


def wfl(result) -> set[tuple[str, str]]:
    return {(f.rule, f.focus) for f in result.findings if f.rule.startswith("WFL")}


def cases(store, kind: str) -> list[tuple[str, str]]:
    """(filedAt, IRI) of every recorded case of ``kind``, by filing time."""
    q = ("PREFIX ys: <https://w3id.org/yishu/def#> SELECT ?c ?f WHERE { ?c a ?k ; "
         "ys:filedAt ?f } ORDER BY ?f ?c")
    q = q.replace("?k", "ys:" + kind)  # a class name of this test, not user input
    return [(str(r["f"]), str(r["c"])) for r in store.select(q)]


def test_overdue_findings_as_of_four_dates(store):
    engine = "fast"
    r5 = dict(cases(store, "WorkflowRequest"))["2025-10-09T09:00:00+08:00"]  # FORWARDED 10-09
    # o3 and o4 were both raised 10-09 09:00; o4 was withdrawn on 10-10, o3 is still open
    (o3,) = [c for f, c in cases(store, "DataObjection") if f.startswith("2025-10-09")
             and get_objection(store, c).state is ObjectionState.RAISED]
    r7 = store.r7
    # 09-29: r7 is due today, not late yet
    assert wfl(audit(store, as_of="2025-09-29", engine=engine)) == set()
    # 09-30: only r7; r3/r4 filed 09-30 are within their limit, o2 (raised 09-29) is due 10-13
    assert wfl(audit(store, as_of="2025-09-30", engine=engine)) == {("WFL-001", r7)}
    # 10-15: r5's reply (forwarded 10-09: 10-10, 10-11 调休, 10-13, 10-14, 10-15) is due
    # today, o3 (raised 10-09) too; o2 was rejected on 10-14, one day late, but is handled
    assert wfl(audit(store, as_of="2025-10-15", engine=engine)) == {("WFL-001", r7)}
    assert wfl(audit(store, as_of="2025-10-16", engine=engine)) == {
        ("WFL-001", r7), ("WFL-001", r5), ("WFL-002", o3)}


@pytest.mark.parametrize("day", ["2025-09-30", "2025-10-16"])
def test_pyshacl_finds_the_same(store, day):
    assert wfl(audit(store, as_of=day, engine="pyshacl")) == wfl(audit(store, as_of=day))


def test_findings_are_the_providers_and_department_audits_agree(store):
    whole = audit(store, as_of="2025-10-16")
    found = [f for f in whole.findings if f.rule.startswith("WFL")]
    assert {f.department for f in found} == {"D-GA"}
    assert all(f.severity == "Warning" and f.message_zh and f.message_en for f in found)
    assert "WFL-001" in whole.rules and whole.rules["WFL-001"].sources
    for engine in ("fast", "pyshacl"):
        part = audit(store, as_of="2025-10-16", department="D-GA", engine=engine)
        assert wfl(part) == wfl(whole)
    assert wfl(audit(store, as_of="2025-10-16", department="D-MZ")) == set()
