"""Lineage on the lineage fixture and on tests/fixtures/small (answers by hand from the CSVs)."""

from __future__ import annotations

from graph.model import Direction, Granularity
from graph.model import Edge as _Edge
from tests.query.graphs import ref, refs


def Edge(source: str, target: str, type: str, via: str | None = None) -> _Edge:  # noqa: N802
    """A declared edge as answers carry it (the fixture has no observed lineage)."""
    return _Edge(source, target, type, via, "DECLARED")


def codes(lineage) -> dict[str, int]:
    return {f"{n.entity.kind}:{n.entity.code}": n.depth for n in lineage.nodes}


def test_upstream_chain_full(lin):
    la = lin.lineage("resource:R-D", Direction.UPSTREAM, 5)
    assert codes(la) == {
        "resource:R-D": 0,
        "resource:R-C": 1, "system:S-WJ": 1, "responsibility:P-YL": 1, "department:D-WJ": 1,
        "resource:R-B": 2, "system:S-MZ": 2, "responsibility:P-DB": 2, "department:D-MZ": 2,
        "resource:R-A": 3,
        "system:S-GA": 4, "responsibility:P-HJ": 4, "department:D-GA": 4,
    }
    assert la.total_nodes == 13 and not la.truncated and la.cycles == []
    assert [n.depth for n in la.nodes] == sorted(n.depth for n in la.nodes)
    by = {n.entity.code: n for n in la.nodes}
    assert by["R-A"].paths == [refs("resource:R-D", "resource:R-C", "resource:R-B",
                                    "resource:R-A")]
    # P-DB produces both R-B and R-C; its shortest path goes through R-C only
    assert by["P-DB"].paths == [refs("resource:R-D", "resource:R-C", "responsibility:P-DB")]
    assert Edge(ref("resource:R-A"), ref("resource:R-B"), "FLOW", ref("flow:F-1")) in la.edges
    assert Edge(ref("resource:R-A"), ref("resource:R-B"), "DERIVED_FROM") in la.edges
    # P-DB → R-B is found from R-B at depth 2 (both ends in the answer)
    assert Edge(ref("responsibility:P-DB"), ref("resource:R-B"), "PRODUCES") in la.edges
    assert la.edges == sorted(la.edges)


def test_sensitivity_propagation(lin):
    la = lin.lineage("resource:R-D", Direction.UPSTREAM, 5)
    s = {n.entity.code: (n.sensitivity, n.upstream_sensitivity, n.below_upstream)
         for n in la.nodes}
    assert s["R-D"] == ("一级", "三级", True)
    assert s["R-C"] == ("二级", "三级", True)
    assert s["R-B"] == ("二级", "三级", True)
    assert s["R-A"] == ("三级", "三级", False)
    assert s["S-WJ"] == (None, None, False)
    # an item's own level, propagated along its upstream items
    li = lin.lineage("item:R-D/身份证号", Direction.UPSTREAM, 5, Granularity.ITEM)
    s = {n.entity.code: (n.sensitivity, n.upstream_sensitivity, n.below_upstream)
         for n in li.nodes}
    assert s == {
        "R-D/身份证号": ("三级", "三级", False),  # own 三级 beats its resource's 一级
        "R-C/身份证号": ("二级", "三级", True),
        "R-B/身份证号": ("二级", "三级", True),
        "R-A/公民身份号码": ("三级", "三级", False),
    }
    # propagation looks upstream even when the question looks downstream (and past the depth)
    down = lin.lineage("resource:R-B", Direction.DOWNSTREAM, 1)
    assert {n.entity.code: n.upstream_sensitivity for n in down.nodes
            if n.entity.kind == "resource"} == {"R-B": "三级", "R-C": "三级"}
    # no level at all counts as below (R-H has none; upstream R-G is 二级)
    h = lin.lineage("resource:R-H", Direction.UPSTREAM, 1)
    assert [(n.sensitivity, n.upstream_sensitivity, n.below_upstream) for n in h.nodes
            if n.entity.code == "R-H"] == [(None, "二级", True)]


def test_depth_cut(lin):
    la = lin.lineage("resource:R-D", Direction.UPSTREAM, 2)
    assert codes(la) == {
        "resource:R-D": 0,
        "resource:R-C": 1, "system:S-WJ": 1, "responsibility:P-YL": 1, "department:D-WJ": 1,
        "resource:R-B": 2, "system:S-MZ": 2, "responsibility:P-DB": 2, "department:D-MZ": 2,
    }
    assert la.truncated  # R-B has R-A upstream
    # edges from the last level to nodes already in the answer are kept
    assert Edge(ref("department:D-MZ"), ref("resource:R-B"), "PROVIDES") in la.edges
    assert all(e.source != ref("resource:R-A") for e in la.edges)
    assert lin.lineage("resource:R-D", Direction.UPSTREAM, 3).truncated  # R-A's own upstream
    assert not lin.lineage("resource:R-D", Direction.UPSTREAM, 4).truncated
    zero = lin.lineage("resource:R-D", Direction.UPSTREAM, 0)
    assert codes(zero) == {"resource:R-D": 0} and zero.truncated and zero.edges == []


def test_downstream_and_flows(lin):
    la = lin.lineage("resource:R-A", Direction.DOWNSTREAM, 1)
    assert codes(la) == {"resource:R-A": 0, "resource:R-B": 1, "resource:R-G": 1,
                         "system:S-MZ": 1, "system:S-RS": 1, "department:D-MZ": 1,
                         "department:D-RS": 1}
    assert la.truncated  # R-B → R-C, R-G → R-H
    assert set(la.edges) == {
        Edge(ref("resource:R-A"), ref("resource:R-B"), "DERIVED_FROM"),
        Edge(ref("resource:R-A"), ref("resource:R-B"), "FLOW", ref("flow:F-1")),
        Edge(ref("resource:R-A"), ref("system:S-MZ"), "FLOW_TO_SYSTEM", ref("flow:F-1")),
        Edge(ref("resource:R-A"), ref("department:D-MZ"), "FLOW_TO_DEPARTMENT", ref("flow:F-1")),
        Edge(ref("resource:R-A"), ref("resource:R-G"), "FLOW", ref("flow:F-2")),
        Edge(ref("resource:R-A"), ref("system:S-RS"), "FLOW_TO_SYSTEM", ref("flow:F-2")),
        Edge(ref("resource:R-A"), ref("department:D-RS"), "FLOW_TO_DEPARTMENT", ref("flow:F-2")),
    }
    full = lin.lineage("resource:R-A", Direction.DOWNSTREAM, 10)
    assert codes(full) == {
        "resource:R-A": 0, "resource:R-B": 1, "resource:R-G": 1, "system:S-MZ": 1,
        "system:S-RS": 1, "department:D-MZ": 1, "department:D-RS": 1,
        "resource:R-C": 2, "resource:R-H": 2,
        "resource:R-D": 3, "system:S-WJ": 3, "department:D-WJ": 3,
    }
    assert not full.truncated


def test_cycle_reported_not_looped(lin):
    la = lin.lineage("resource:R-E", Direction.UPSTREAM, 10)
    assert codes(la) == {"resource:R-E": 0, "resource:R-F": 1, "system:S-SC": 1,
                         "responsibility:P-DJ": 1, "department:D-SC": 1,
                         "system:S-RS": 2, "department:D-RS": 2}
    assert la.cycles == [refs("resource:R-E", "resource:R-F")]
    assert not la.truncated
    items = lin.lineage("item:R-F/企业名称", Direction.DOWNSTREAM, 10, Granularity.ITEM)
    assert codes(items) == {"item:R-F/企业名称": 0, "item:R-E/企业名称": 1}
    assert items.cycles == [refs("item:R-E/企业名称", "item:R-F/企业名称")]
    assert set(items.edges) == {
        Edge(ref("item:R-F/企业名称"), ref("item:R-E/企业名称"), "ITEM_DERIVED_FROM"),
        Edge(ref("item:R-E/企业名称"), ref("item:R-F/企业名称"), "ITEM_DERIVED_FROM"),
    }


def test_item_granularity_from_resource(lin):
    la = lin.lineage("resource:R-B", Direction.UPSTREAM, 2, Granularity.ITEM)
    assert codes(la) == {"resource:R-B": 0, "item:R-B/身份证号": 1, "item:R-B/姓名": 1,
                         "item:R-B/婚姻状况": 1, "item:R-A/公民身份号码": 2, "item:R-A/姓名": 2}
    assert not la.truncated  # R-A's items are authoritative: nothing further up
    down = lin.lineage("item:R-A/公民身份号码", Direction.DOWNSTREAM, 2, Granularity.ITEM)
    assert codes(down) == {"item:R-A/公民身份号码": 0, "item:R-B/身份证号": 1,
                           "item:R-C/身份证号": 2}
    assert down.truncated  # R-D/身份证号 at 3


def test_other_roots(lin):
    dep = lin.lineage("department:D-MZ", Direction.DOWNSTREAM, 1)
    assert codes(dep) == {"department:D-MZ": 0, "resource:R-B": 1, "resource:R-C": 1}
    up = lin.lineage("department:D-WJ", Direction.UPSTREAM, 1)
    # its resource R-D, plus what flows into it (F-3 from R-C)
    assert codes(up) == {"department:D-WJ": 0, "resource:R-D": 1, "resource:R-C": 1}
    sysup = lin.lineage("system:S-MZ", Direction.UPSTREAM, 1)
    assert codes(sysup) == {"system:S-MZ": 0, "resource:R-B": 1, "resource:R-C": 1,
                            "resource:R-A": 1}
    resp = lin.lineage("responsibility:P-HJ", Direction.DOWNSTREAM, 2)
    assert codes(resp) == {"responsibility:P-HJ": 0, "resource:R-A": 1, "resource:R-B": 2,
                           "resource:R-G": 2, "system:S-MZ": 2, "system:S-RS": 2,
                           "department:D-MZ": 2, "department:D-RS": 2}
    item = lin.lineage("item:R-C/身份证号", Direction.UPSTREAM, 2)  # resource granularity
    assert codes(item) == {"item:R-C/身份证号": 0, "resource:R-C": 1, "resource:R-B": 2,
                           "system:S-MZ": 2, "responsibility:P-DB": 2, "department:D-MZ": 2}


def test_both_directions(lin):
    la = lin.lineage("resource:R-B", Direction.BOTH, 1)
    assert codes(la) == {"resource:R-B": 0, "resource:R-A": 1, "system:S-MZ": 1,
                         "responsibility:P-DB": 1, "department:D-MZ": 1, "resource:R-C": 1}
    assert la.total_nodes == 6 == lin.lineage_count("resource:R-B", Direction.BOTH, 1)


def test_pagination_and_count(lin):
    whole = lin.lineage("resource:R-D", Direction.UPSTREAM, 5)
    seen = []
    after = None
    while True:
        page = lin.lineage("resource:R-D", Direction.UPSTREAM, 5, first=4, after=after)
        assert page.total_nodes == 13 and page.edges == whole.edges
        seen += page.nodes
        if not page.has_next:
            assert page.end_cursor is None
            break
        after = page.end_cursor
    assert seen == whole.nodes and len(seen) == 13
    assert lin.lineage_count("resource:R-D", Direction.UPSTREAM, 5) == 13
    assert lin.lineage_count("resource:R-D", Direction.UPSTREAM, 2) == 9


def test_small_fixture(small):
    la = small.lineage("resource:RES-DB", Direction.UPSTREAM, 3)
    assert codes(la) == {"resource:RES-DB": 0, "resource:RES-HJ": 1, "system:S-DB": 1,
                         "responsibility:R-DB": 1, "department:D-MZ": 1, "system:S-HJ": 2,
                         "responsibility:R-HJ": 2, "department:D-GA": 2}
    assert not la.truncated and la.cycles == []
    items = small.lineage("item:RES-HJ/姓名", Direction.DOWNSTREAM, 3, Granularity.ITEM)
    assert codes(items) == {"item:RES-HJ/姓名": 0, "item:RES-DB/姓名": 1}
    assert {n.entity.code: n.below_upstream for n in la.nodes
            if n.entity.kind == "resource"} == {"RES-DB": False, "RES-HJ": False}
