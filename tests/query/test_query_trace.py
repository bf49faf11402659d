"""trace_source on the lineage fixture and tests/fixtures/small (answers by hand)."""

from __future__ import annotations

from tests.query.graphs import ref


def hops(trace):
    return [(h.item.code, h.resource.code, h.department.code if h.department else None,
             h.system.code if h.system else None, h.platform, h.method,
             [r.code for r in h.responsibilities], h.legal_basis) for h in trace.hops]


def test_three_hops_to_authoritative(lin):
    t = lin.trace_source("item:R-D/身份证号")
    assert t.reached_authoritative and t.break_reason is None and t.break_at is None
    assert t.break_code is None
    assert hops(t) == [
        # the consumer: no downstream flow; method = its resource's 共享方式
        ("R-D/身份证号", "R-D", "D-WJ", "S-WJ", None, "文件下载", ["P-YL"],
         ["《医疗保障基金使用监督管理条例》"]),
        # R-C → R-D: F-3 has no target resource but targets R-D's provider D-WJ
        ("R-C/身份证号", "R-C", "D-MZ", "S-MZ", "区县级平台", "文件下载", ["P-DB"],
         ["《社会救助暂行办法》"]),
        # R-B → R-C: no flow catalogued; method = R-B's 共享方式
        ("R-B/身份证号", "R-B", "D-MZ", "S-MZ", None, "库表交换", ["P-DB"], ["《社会救助暂行办法》"]),
        # R-A → R-B: F-1
        ("R-A/公民身份号码", "R-A", "D-GA", "S-GA", "区县级平台", "接口调用", ["P-HJ"],
         ["《中华人民共和国户口登记条例》"]),
    ]


def test_authoritative_item_traces_to_itself(lin):
    t = lin.trace_source("item:R-A/公民身份号码")
    assert t.reached_authoritative and [h.item.code for h in t.hops] == ["R-A/公民身份号码"]


def test_break_no_source(lin):
    t = lin.trace_source("item:R-D/婚姻状况")
    assert not t.reached_authoritative and t.break_code == "NO_SOURCE"
    assert t.break_at == ref("item:R-D/婚姻状况")
    zh, en = t.break_reason.split(" / ", 1)
    assert "来源资源代码" in zh and "names no source resource" in en
    assert [h.item.code for h in t.hops] == ["R-D/婚姻状况"]


def test_break_no_matching_upstream_item(lin):
    t = lin.trace_source("item:R-H/身份证号")
    assert [h.item.code for h in t.hops] == ["R-H/身份证号", "R-G/公民身份号码"]
    assert not t.reached_authoritative and t.break_code == "NO_UPSTREAM_ITEM"
    assert t.break_at == ref("item:R-G/公民身份号码")
    assert "R-E" in t.break_reason and "no item matching" in t.break_reason


def test_break_cycle(lin):
    t = lin.trace_source("item:R-E/企业名称")
    assert [h.item.code for h in t.hops] == ["R-E/企业名称", "R-F/企业名称"]
    assert t.break_code == "CYCLE" and t.break_at == ref("item:R-F/企业名称")
    assert "成环" in t.break_reason and "loops" in t.break_reason


def test_resource_traces_items_with_elements(lin):
    t = lin.trace_source("resource:R-C")
    # 发放金额 carries no data element: not traced
    assert [x.start.iri for x in t.item_traces] == sorted(x.start.iri for x in t.item_traces)
    assert sorted(x.start.code for x in t.item_traces) == ["R-C/婚姻状况", "R-C/身份证号"]
    assert all(x.reached_authoritative for x in t.item_traces)
    assert t.reached_authoritative and t.hops == [] and t.break_code is None
    d = lin.trace_source("resource:R-D")
    assert {x.start.code: x.reached_authoritative for x in d.item_traces} == {
        "R-D/身份证号": True, "R-D/婚姻状况": False, "R-D/出生日期": True}
    assert not d.reached_authoritative and d.break_code == "ITEMS_BROKEN"
    assert d.break_reason.startswith("1 个信息项")


def test_small_fixture(small):
    t = small.trace_source("item:RES-DB/身份证号")
    assert hops(t) == [
        ("RES-DB/身份证号", "RES-DB", "D-MZ", "S-DB", None, "库表交换", ["R-DB"],
         ["《社会救助暂行办法》"]),
        ("RES-HJ/公民身份号码", "RES-HJ", "D-GA", "S-HJ", "区县级平台", "接口调用", ["R-HJ"],
         ["《中华人民共和国户口登记条例》"]),
    ]
    assert t.reached_authoritative
    amount = small.trace_source("item:RES-DB/救助金额")
    assert amount.break_code == "NO_SOURCE"
