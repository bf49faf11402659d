"""One conformance suite for both engines: every answer of the engine under test equals (``==``
on the graph.model dataclasses) the reference Oxigraph engine's, on representative nodes of each
dataset. Checks on the reference make sure the chosen cases cover what they claim to (cycles,
depth cuts, broken chains, every one-source status)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.model import Direction, Evidence, Granularity, SourceStatus
from graph.query import QueryError

DATASETS = ["demo", "synth", "lineage", "dirty"]


def _outcome(graph, method: str, args: tuple, kwargs: dict) -> Any:
    try:
        return getattr(graph, method)(*args, **kwargs)
    except QueryError as e:
        return (type(e).__name__, e.code, str(e))


def same(ref, eng, method: str, *args, **kwargs) -> Any:
    """The engine under test answers ``method(*args, **kwargs)`` exactly as the reference."""
    want = _outcome(ref, method, args, kwargs)
    got = _outcome(eng, method, args, kwargs)
    assert got == want, f"{method}{args}{kwargs}"
    return want


def same_next_page(ref, eng, method: str, *args, **kwargs) -> Any:
    """The page after the first of ``method(*args, first=…)``, each engine following its own
    cursor (a cursor is signed with the version of the store it came from: the Neo4j engine
    refuses the reference's as stale); None when there is only one page."""
    first = same(ref, eng, method, *args, **kwargs)
    if not first.end_cursor:
        return None
    mine = getattr(eng, method)(*args, **kwargs).end_cursor
    want = _outcome(ref, method, args, {**kwargs, "after": first.end_cursor})
    got = _outcome(eng, method, args, {**kwargs, "after": mine})
    assert got == want, f"{method}{args}{kwargs} (next page)"
    return want


def _spread(items: list, n: int) -> list:
    """n items spread evenly over a sorted list (all when fewer)."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def _pick(ref, kind: str, n: int) -> list[str]:
    return [e.iri for e in _spread(ref.list(kind, first=500).items, n)]


def _lineage_roots(ref, dataset: str) -> list[str]:
    """Resources and items with the most lineage around them, plus a spread of others."""
    res = ref.list("resource", first=500).items
    busiest = sorted(res, key=lambda e: (-len(e.fields.get("derivedFrom", [])), e.iri))[:2]
    taken = [e for e in ref.list("item", first=500).items if e.fields.get("takenFrom")]
    roots = [e.iri for e in busiest] + [e.iri for e in _spread(taken, 2)]
    roots += _pick(ref, "resource", 1)
    if dataset in ("lineage", "dirty"):
        roots += [ref.iri_of("resource:R-E"), ref.iri_of("resource:R-D"),
                  ref.iri_of("item:R-E/企业名称")]
    if dataset == "dirty":
        roots += [ref.iri_of(f"resource:{c}") for c in ("R-X1", "R-X2", "R-X3")]
        roots += [ref.iri_of(f"item:{c}") for c in ("R-X1/身份证号", "R-X1/姓名", "R-X3/身份证号")]
    return sorted(set(roots))


@pytest.mark.parametrize("dataset", DATASETS)
def test_lineage(engine, reference, dataset):
    ref, eng = reference(dataset), engine(dataset)
    answers = []
    for root in _lineage_roots(ref, dataset):
        for direction in Direction:
            for gran in Granularity:
                answers.append(same(ref, eng, "lineage", root, direction, 3, gran))
        same(ref, eng, "lineage_count", root, Direction.BOTH, 3, Granularity.ITEM)
    if dataset == "lineage":
        assert any(a.cycles for a in answers)  # R-E ⇄ R-F
    assert any(a.edges for a in answers)


@pytest.mark.parametrize("dataset", DATASETS)
def test_lineage_depth_cuts_and_pages(engine, reference, dataset):
    ref, eng = reference(dataset), engine(dataset)
    roots = _lineage_roots(ref, dataset)[:4]
    cut = []
    for root in roots:
        for depth in (0, 1, 10):
            cut.append(same(ref, eng, "lineage", root, Direction.UPSTREAM, depth))
        same_next_page(ref, eng, "lineage", root, Direction.BOTH, 2, first=2)
    assert any(a.truncated for a in cut)
    for kind in ("system", "department", "responsibility"):
        for root in _pick(ref, kind, 2):
            same(ref, eng, "lineage", root, Direction.BOTH, 2)
            same(ref, eng, "lineage", root, Direction.UPSTREAM, 2, Granularity.ITEM)


@pytest.mark.parametrize("dataset", DATASETS)
def test_trace_source(engine, reference, dataset):
    ref, eng = reference(dataset), engine(dataset)
    items = [e.iri for e in ref.list("item", first=500).items if e.fields.get("carries")]
    traces = [same(ref, eng, "trace_source", i) for i in _spread(items, 12)]
    broken = [r.item.iri for r in ref.one_source_report().recollections][:2]
    if dataset == "lineage":
        broken += [ref.iri_of("item:R-G/公民身份号码"), ref.iri_of("item:R-H/身份证号"),
                   ref.iri_of("item:R-E/企业名称")]
    traces += [same(ref, eng, "trace_source", i) for i in broken]
    for r in _pick(ref, "resource", 3):
        traces.append(same(ref, eng, "trace_source", r))
    assert any(t.reached_authoritative for t in traces)
    if dataset == "lineage":
        assert {t.break_code for t in traces} >= {"NO_UPSTREAM_ITEM", "CYCLE"}


@pytest.mark.parametrize("dataset", DATASETS)
def test_resolve_source_and_one_source_report(engine, reference, dataset):
    ref, eng = reference(dataset), engine(dataset)
    elements = ref.list("element", first=500).items
    statuses = set()
    for e in _spread(elements, 30):
        statuses.add(same(ref, eng, "resolve_source", e.code).status)
    for e in _spread(elements, 4):
        same(ref, eng, "resolve_source", e.label)
        same(ref, eng, "resolve_source", e.iri)
        for syn in e.fields.get("altLabel", [])[:1]:
            same(ref, eng, "resolve_source", syn)
    same(ref, eng, "resolve_source", "没有这个数据元")
    report = same(ref, eng, "one_source_report")
    for d in _pick(ref, "department", 3):
        same(ref, eng, "one_source_report", d)
    statuses |= {r.status for r in report.resolutions}
    if dataset == "lineage":
        assert statuses == set(SourceStatus)
    if dataset in ("demo", "lineage"):
        assert {SourceStatus.RESOLVED, SourceStatus.CONFLICT, SourceStatus.MISMATCH} <= statuses
        assert report.recollections


@pytest.mark.parametrize("dataset", DATASETS)
def test_impact(engine, reference, dataset):
    ref, eng = reference(dataset), engine(dataset)
    roots = _lineage_roots(ref, dataset)[:3] + _pick(ref, "department", 1) + _pick(
        ref, "system", 1)
    answers = [same(ref, eng, "impact", r, depth) for r in roots for depth in (1, 5)]
    assert any(a.resources for a in answers)


@pytest.mark.parametrize("dataset", ["observed", "lineage"])
def test_evidence(engine, reference, dataset):
    """Every evidence on every resource and item: lineage both ways at both granularities, the
    count, traces and impact (the observed dataset has declared-only, observed-only and
    declared-and-observed edges)."""
    ref, eng = reference(dataset), engine(dataset)
    roots = [e.iri for k in ("resource", "item") for e in ref.list(k, first=500).items]
    if dataset == "lineage":
        roots = _lineage_roots(ref, dataset)
    seen = set()
    for root in roots:
        for ev in Evidence:
            for direction in (Direction.UPSTREAM, Direction.DOWNSTREAM):
                for gran in Granularity:
                    lin = same(ref, eng, "lineage", root, direction, 3, gran, evidence=ev)
                    seen |= {e.evidence for e in getattr(lin, "edges", [])}
            same(ref, eng, "lineage_count", root, Direction.BOTH, 3, Granularity.ITEM, ev)
            same(ref, eng, "trace_source", root, ev)
            same(ref, eng, "impact", root, 3, ev)
    assert seen >= ({"DECLARED", "OBSERVED", "BOTH"} if dataset == "observed" else {"DECLARED"})


@pytest.mark.parametrize("dataset", DATASETS)
def test_get_list_search_related(engine, reference, dataset):
    ref, eng = reference(dataset), engine(dataset)
    for kind in ("department", "element", "responsibility", "system", "resource", "item",
                 "request", "flow"):
        page = same(ref, eng, "list", kind, first=7)
        same_next_page(ref, eng, "list", kind, first=7)
        iris = [e.iri for e in page.items]
        same(ref, eng, "get_many", iris + ["https://nowhere.example/x"])
        for e in page.items[:2]:
            same(ref, eng, "get", e.iri)
            same(ref, eng, "get", f"{e.kind}:{e.code}")
    same(ref, eng, "get", "resource:NO-SUCH-CODE")
    same(ref, eng, "list", "resource", filters={"sharingType": "有条件共享"}, first=50)
    same(ref, eng, "list", "resource", filters={"classified": "否"}, first=50)
    depts = _pick(ref, "department", 2)
    for d in depts:
        same(ref, eng, "list", "resource", filters={"provider": d}, first=50)
    same(ref, eng, "list", "item", filters={"authoritative": "是"}, first=50)
    same(ref, eng, "list", "resource", filters={"nonSharingBasis": "x"}, first=50)
    same(ref, eng, "list", "element", text="号", first=50)
    same(ref, eng, "list", "resource", text="信息", first=50)
    for text in ("身份", "信息", "人口", "R-", "企业"):
        same(ref, eng, "search", text)
        same(ref, eng, "search", text, kinds=["resource", "element"], first=5)
    resources = _pick(ref, "resource", 6)
    for pred in ("provider", "derivedFrom", "sourceSystem"):
        same(ref, eng, "related", resources, pred)
        same(ref, eng, "related", resources, pred, inverse=True)
    same(ref, eng, "related", depts, "provider", inverse=True)
    same(ref, eng, "related", depts, "no-such-predicate")


@pytest.mark.parametrize("dataset", DATASETS)
def test_bare_codes(engine, reference, dataset):
    """A bare code resolves the same way on both engines: a unique one like ``kind:code``, an
    unknown one NOT_FOUND."""
    ref, eng = reference(dataset), engine(dataset)
    for kind in ("department", "system", "resource", "element"):
        for e in _spread(ref.list(kind, first=500).items, 2):
            same(ref, eng, "candidates", e.code)
            got = same(ref, eng, "get", e.code)
            if not isinstance(got, tuple):
                assert got == ref.get(f"{kind}:{e.code}")
            if kind == "resource":
                same(ref, eng, "lineage", e.code, Direction.BOTH, 2)
    assert same(ref, eng, "get", "NO-SUCH-CODE")[1] == "NOT_FOUND"


def test_dirty_data(engine, reference):
    """Repeated, missing and unknown values loaded as RDF: one answer on both engines, and the
    strictest 敏感级别 wins (code-point order would say 一级 < 三级 < 二级 < 四级)."""
    ref, eng = reference("dirty"), engine("dirty")
    codes = ["resource:R-X1", "resource:R-X2", "resource:R-X3", "item:R-X1/身份证号",
             "item:R-X1/姓名", "item:R-X1/住址", "item:R-X1/备注", "item:R-X3/身份证号",
             "element:E-ZZ", "element:E-ZZ2"]
    got = {c: same(ref, eng, "get", c) for c in codes}
    assert got["resource:R-X1"].fields["sensitivity"] == "四级"
    assert got["item:R-X1/身份证号"].fields["sensitivity"] == "三级"
    assert "provider" not in got["resource:R-X2"].fields
    same(ref, eng, "get_many", [ref.iri_of(c) for c in codes])
    levels = {}
    for root, gran in (("resource:R-X3", Granularity.RESOURCE), ("resource:R-X1",
                                                                  Granularity.ITEM)):
        lin = same(ref, eng, "lineage", ref.iri_of(root), Direction.BOTH, 2, gran)
        levels |= {n.entity.code: (n.sensitivity, n.upstream_sensitivity, n.below_upstream)
                   for n in lin.nodes}
    assert levels["R-X1"] == ("四级", "四级", False)
    assert levels["R-X3"] == (None, "四级", True)  # an unknown level is below every known one
    assert levels["R-X1/姓名"] == ("四级", "四级", False)  # unknown own level: the resource's
    assert levels["R-X3/身份证号"] == ("二级", "三级", True)
    for e in ("E-ZZ", "E-ZZ2", "E-SFZ"):
        same(ref, eng, "resolve_source", e)
    same(ref, eng, "one_source_report")
    for c in ("R-X1", "R-X2", "R-X3"):
        same(ref, eng, "impact", ref.iri_of(f"resource:{c}"), 3)
        same(ref, eng, "trace_source", ref.iri_of(f"resource:{c}"))
    for c in ("R-X1/身份证号", "R-X1/姓名", "R-X1/住址", "R-X1/备注", "R-X3/身份证号"):
        same(ref, eng, "trace_source", ref.iri_of(f"item:{c}"))
    for kind in ("resource", "item", "element"):
        same(ref, eng, "list", kind, first=100)
    same(ref, eng, "list", "resource", filters={"sensitivity": "四级"}, first=50)
    same(ref, eng, "list", "resource", filters={"sensitivity": "一级"}, first=50)
    same(ref, eng, "search", "住址")
