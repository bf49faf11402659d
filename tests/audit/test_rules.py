"""Every rule: a violating and a conforming tiny catalog (table-driven), and the clean base."""

from __future__ import annotations

import pytest

from shapes.audit import audit

from .catalogs import AS_OF, Catalog
from .rule_cases import CASES, OBSERVED_RULES, ORDER, RULES, USAGE_RULES, WORKFLOW_RULES


def _run(cat: Catalog, tmp_path, name: str):
    return audit(cat.build(tmp_path / name), as_of=AS_OF)


def test_every_rule_has_cases():
    assert {c[1] for c in CASES} == (set(RULES) - set(OBSERVED_RULES) - set(USAGE_RULES)
                                     - set(WORKFLOW_RULES))


def test_base_is_clean(tmp_path):
    r = _run(Catalog.base(), tmp_path, "base")
    assert r.findings == []
    assert set(r.rules) == set(RULES)
    assert r.scores[None].score == 100.0


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rule(case, tmp_path):
    _, rule, bad, good, expected = case
    cat = Catalog.base()
    bad(cat)
    r = _run(cat, tmp_path, "bad")
    level = min(ORDER[r.rules[rule].severity], ORDER["Warning"])
    got = {(f.rule, f.focus_ref) for f in r.findings if ORDER[f.severity] >= level}
    assert got == expected
    f = next(f for f in r.findings if f.rule == rule)
    assert f.message_zh and f.message_en and f.fix_zh and f.fix_en
    assert r.rules[rule].sources
    cat = Catalog.base()
    if good is not None:
        good(cat)
    r = _run(cat, tmp_path, "good")
    assert not [f for f in r.findings if f.rule == rule]


@pytest.mark.parametrize("case, focus, zh, en", [
    ("CAT-001 name", "resource:RES-DB", "缺少核心元数据：资源名称", "its name"),
    ("CAT-001 provider", "resource:RES-DB", "缺少核心元数据：提供方部门", "providing department"),
    ("SEC-003 resource", "resource:RES-DB", "数据资源由三级/四级数据加工而来", "The resource is derived"),
    ("SEC-003 resource", "item:RES-DB/姓名", "信息项取自三级/四级的上游信息项", "The item is taken from"),
])
def test_a_finding_says_which_shape_of_its_rule_failed(case, focus, zh, en, tmp_path):
    """A rule with several shapes gives each finding the message of the shape that failed."""
    edit = next(c[2] for c in CASES if c[0] == case)
    cat = Catalog.base()
    edit(cat)
    (f,) = [f for f in _run(cat, tmp_path, "msg").findings if f.focus_ref == focus]
    assert zh in f.message_zh and en in f.message_en
