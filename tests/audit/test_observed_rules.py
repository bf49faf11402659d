"""The rules on observed against declared lineage (OBS-*): a violating and a conforming tiny
catalog each, with OpenLineage events ingested beside the template."""

from __future__ import annotations

import pytest

from loaders.openlineage import ingest
from shapes.audit import audit

from .catalogs import AS_OF, Catalog
from .rule_cases import OBSERVED_RULES

HJ = ("postgres://ga:5432", "hj.people")
DB = ("postgres://mz:5432", "mz.dibao")
X = ("postgres://mz:5432", "mz.check")
STRAY = ("s3://exchange", "tmp.csv")
P = "https://example.gov/exchange"


def _run(run_id: int, time: str, src=HJ, dst=DB, columns=(("公民身份号码", "身份证号"),
                                                         ("姓名", "姓名"))) -> list[dict]:
    """START and COMPLETE of a run copying ``columns`` from ``src`` to ``dst``."""
    rid = f"00000000-0000-4000-8000-{run_id:012d}"
    out = {"namespace": dst[0], "name": dst[1], "facets": {"columnLineage": {
        "_producer": P, "_schemaURL": P + "/cl", "fields": {
            o: {"inputFields": [{"namespace": src[0], "name": src[1], "field": i,
                                 "transformations": [{"type": "DIRECT", "subtype": "IDENTITY"}]}]}
            for i, o in columns}}}}
    base = {"producer": P, "schemaURL": P + "/schema", "run": {"runId": rid},
            "job": {"namespace": "exchange", "name": f"job-{dst[1]}"},
            "inputs": [{"namespace": src[0], "name": src[1]}], "outputs": [out]}
    return [dict(base, eventType="START", eventTime=time.replace("00:05", "00:00")),
            dict(base, eventType="COMPLETE", eventTime=time)]


RECENT = "2025-11-15T00:05:00+08:00"
OLD = "2025-09-01T00:05:00+08:00"


def _declared() -> Catalog:
    c = Catalog.base()
    c.set("catalog.csv", "RES-HJ", 物理数据集=f"{HJ[0]}|{HJ[1]}")
    c.set("catalog.csv", "RES-DB", 物理数据集=f"{DB[0]}|{DB[1]}")
    return c


def _res_x(c: Catalog, **extra: str) -> None:
    c.add("catalog.csv", 资源代码="RES-X", 资源名称="救助对象核验", 资源摘要="核验", 提供方部门编码="D-MZ",
          来源系统编码="S-DB", 共享类型="有条件共享", 共享条件="限核验", 更新周期="每月", 敏感级别="三级",
          物理数据集=f"{X[0]}|{X[1]}", **extra)
    c.add("items.csv", 资源代码="RES-X", 信息项名称="备注", 数据类型="字符型")


# (rule, edit of the declared base, events, good edit, good events, findings of the rule)
CASES = [
    ("OBS-001", lambda c: _res_x(c), _run(1, RECENT) + _run(2, RECENT, dst=X),
     lambda c: _res_x(c, 上游资源代码="RES-HJ"), _run(1, RECENT) + _run(2, RECENT, dst=X),
     {("OBS-001", "resource:RES-X")}),
    ("OBS-002", lambda c: None, _run(3, RECENT, dst=STRAY),
     lambda c: None, _run(3, RECENT, dst=STRAY) + _run(1, RECENT),
     {("OBS-002", "resource:RES-DB")}),
    ("OBS-002 too long ago", lambda c: None, _run(1, OLD) + _run(3, RECENT, dst=STRAY),
     # an upstream whose datasets nobody is observed reading is not checked
     lambda c: None, [],
     {("OBS-002", "resource:RES-DB")}),
    ("OBS-003", lambda c: c.set("items.csv", "RES-DB/身份证号", 敏感级别="二级"), _run(1, RECENT),
     lambda c: c.set("items.csv", "RES-DB/姓名", 敏感级别="二级"),
     _run(1, RECENT, columns=(("公民身份号码", "身份证号"),)),
     {("OBS-003", "resource:RES-DB")}),
    ("OBS-004", lambda c: c.set("catalog.csv", "RES-HJ", 是否涉密="是"), _run(1, RECENT),
     lambda c: (c.set("catalog.csv", "RES-HJ", 是否涉密="是"),
                c.set("catalog.csv", "RES-DB", 是否涉密="是")), _run(1, RECENT),
     {("OBS-004", "resource:RES-HJ")}),
    # 身份证号 carries 公民身份号码, whose authoritative item is RES-HJ's: written without it
    ("OBS-005", lambda c: None, _run(1, RECENT, columns=(("姓名", "姓名"),)),
     # through an intermediate dataset: still a path from the authoritative field
     lambda c: None, _run(1, RECENT, columns=(("姓名", "姓名"),))
     + _run(4, RECENT, dst=STRAY, columns=(("公民身份号码", "证件号"),))
     + _run(5, RECENT, src=STRAY, columns=(("证件号", "身份证号"),)),
     {("OBS-005", "resource:RES-DB")}),
]


def _audit(cat: Catalog, events: list[dict], tmp_path, name: str):
    store = cat.build(tmp_path / name)
    if events:
        ingest(store, events, batch=True)
    return audit(store, as_of=AS_OF)


def test_every_observed_rule_has_cases():
    assert {c[0].split()[0] for c in CASES} == set(OBSERVED_RULES)


def test_the_declared_base_with_its_observed_flow_is_clean(tmp_path):
    r = _audit(_declared(), _run(1, RECENT), tmp_path, "base")
    assert [f for f in r.findings if f.rule.startswith("OBS-")] == []
    assert set(OBSERVED_RULES) <= set(r.rules)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_observed_rule(case, tmp_path):
    name, bad, bad_events, good, good_events, expected = case
    rule = name.split()[0]
    cat = _declared()
    bad(cat)
    r = _audit(cat, bad_events, tmp_path, "bad")
    assert {(f.rule, f.focus_ref) for f in r.findings if f.rule == rule} == expected
    f = next(f for f in r.findings if f.rule == rule)
    assert f.message_zh and f.message_en and f.fix_zh and f.fix_en
    cat = _declared()
    good(cat)
    r = _audit(cat, good_events, tmp_path, "good")
    assert [f for f in r.findings if f.rule == rule] == []


@pytest.mark.parametrize("case", [CASES[0], CASES[3]], ids=["OBS-001", "OBS-003"])
def test_observed_rules_agree_across_engines(case, tmp_path):
    _, bad, events, *_rest = case
    cat = _declared()
    bad(cat)
    store = cat.build(tmp_path / "e")
    ingest(store, events, batch=True)
    fast = {(f.rule, f.focus_ref) for f in audit(store, as_of=AS_OF).findings}
    slow = {(f.rule, f.focus_ref) for f in audit(store, as_of=AS_OF, engine="pyshacl").findings}
    assert {x for x in fast if x[0].startswith("OBS")} == \
        {x for x in slow if x[0].startswith("OBS")} != set()
