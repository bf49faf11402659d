"""The questions' argument checking: documented errors, never a partial answer."""

from __future__ import annotations

import pytest

from graph.query import MAX_DEPTH, NotFound, QueryError


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, -1, 2.5, True, "3"])
def test_bad_depth(lin, depth):
    with pytest.raises(QueryError) as e:
        lin.lineage("resource:R-A", "UPSTREAM", depth)
    assert e.value.code == "BAD_DEPTH"
    with pytest.raises(QueryError):
        lin.lineage_count("resource:R-A", "UPSTREAM", depth)
    with pytest.raises(QueryError):
        lin.impact("resource:R-A", depth)


def test_max_depth_is_allowed(lin):
    assert lin.lineage("resource:R-A", "DOWNSTREAM", MAX_DEPTH).total_nodes == 12


def test_bad_direction_granularity_page(lin):
    with pytest.raises(QueryError):
        lin.lineage("resource:R-A", "SIDEWAYS", 2)
    with pytest.raises(QueryError):
        lin.lineage("resource:R-A", "UPSTREAM", 2, "COLUMN")
    with pytest.raises(QueryError):
        lin.lineage("resource:R-A", "UPSTREAM", 2, first=0)
    with pytest.raises(QueryError) as e:
        lin.lineage("resource:R-A", "UPSTREAM", 2, first=5, after="bm9wZQ")
    assert e.value.code == "BAD_CURSOR"


def test_unknown_nodes(lin):
    for call in (lambda: lin.lineage("resource:NOPE"), lambda: lin.trace_source("item:R-A/无"),
                 lambda: lin.impact("system:NOPE"), lambda: lin.lineage_count("department:X"),
                 lambda: lin.one_source_report("department:NOPE")):
        with pytest.raises(NotFound):
            call()


def test_wrong_kinds(lin):
    for call in (lambda: lin.lineage("element:E-SFZ"), lambda: lin.lineage("flow:F-1"),
                 lambda: lin.trace_source("department:D-GA"), lambda: lin.impact("element:E-XM"),
                 lambda: lin.lineage("widget:W")):
        with pytest.raises(QueryError) as e:
            call()
        assert e.value.code == "BAD_KIND"
    assert "/" in str(QueryError("中", "en"))
