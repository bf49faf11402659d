"""get / get_many / related / list / search (answers by hand from the CSVs)."""

from __future__ import annotations

import pytest

from graph.query import NotFound, QueryError
from tests.query.graphs import ref, refs


def test_get_fields(lin):
    r = lin.get("resource:R-B")
    assert (r.kind, r.iri, r.code, r.label) == ("resource", ref("resource:R-B"), "R-B",
                                                "低保对象信息")
    assert r.fields == {
        "description": "最低生活保障对象名单", "resourceCategory": "部门信息资源",
        "provider": ref("department:D-MZ"), "sourceSystem": ref("system:S-MZ"),
        "scenario": "救助审核", "publishedOn": "区县级平台", "sharingType": "有条件共享",
        "sharingConditions": "限救助业务使用", "sharingMethod": "库表交换", "openType": "不予开放",
        "updateFrequency": "每月", "sensitivity": "二级", "classified": False,
        "issued": "2023-06-30", "format": "数据库表", "derivedFrom": [ref("resource:R-A")]}
    e = lin.get(ref("element:E-SFZ"))
    assert e.fields == {"altLabel": ["身份证号", "身份证号码"], "standardBasis": "GB 11643-1999",
                        "authoritativeDepartment": ref("department:D-GA")}
    i = lin.get("item:R-D/出生日期")  # no 数据长度: the field is absent
    assert i.fields == {"inResource": ref("resource:R-D"), "carries": ref("element:E-CSRQ"),
                        "dataType": "日期型", "authoritative": True}
    p = lin.get("responsibility:P-DB")
    assert p.fields["produces"] == refs("resource:R-B", "resource:R-C")


def test_get_many_and_related(lin):
    got = lin.get_many(refs("resource:R-A", "department:D-GA") + ["https://x.example/nope"])
    assert sorted(e.code for e in got.values()) == ["D-GA", "R-A"]
    rel = lin.related(refs("resource:R-B", "resource:R-D"), "provider")
    assert rel == {ref("resource:R-B"): [ref("department:D-MZ")],
                   ref("resource:R-D"): [ref("department:D-WJ")]}
    inv = lin.related(refs("resource:R-A"), "derivedFrom", inverse=True)
    assert inv == {ref("resource:R-A"): [ref("resource:R-B")]}
    items = lin.related(refs("resource:R-C"), "inResource", inverse=True)
    assert items[ref("resource:R-C")] == sorted(refs("item:R-C/身份证号", "item:R-C/婚姻状况",
                                                     "item:R-C/发放金额"))
    with pytest.raises(QueryError):
        lin.related(refs("resource:R-A"), "rdf:type")


def test_list_filters_text_pages(lin):
    page = lin.list("resource", filters={"provider": "D-RS"})
    assert [e.code for e in page.items] == ["R-F", "R-G", "R-H"] and page.total == 3
    assert not page.has_next and page.end_cursor is None
    assert [e.code for e in lin.list("resource", filters={"provider": ref("department:D-MZ"),
                                                          "sharingMethod": "库表交换"}).items] \
        == ["R-B", "R-C"]
    assert [e.code for e in lin.list("resource", filters={"sensitivity": "一级"}).items] == [
        "R-D", "R-E", "R-F"]
    assert [e.code for e in lin.list("item", filters={"authoritative": "是"}).items] == [
        "R-A/公民身份号码", "R-A/姓名", "R-B/婚姻状况", "R-D/出生日期", "R-E/统一社会信用代码",
        "R-F/统一社会信用代码"]
    assert [e.code for e in lin.list("item", filters={"length": "10"}).items] == [
        "R-B/婚姻状况", "R-C/发放金额", "R-C/婚姻状况", "R-D/婚姻状况"]
    assert [e.code for e in lin.list("responsibility",
                                     filters={"needsElement": "E-CSRQ"}).items] == ["P-YL"]
    # text: substring of the name, or of a synonym for data elements
    assert [e.code for e in lin.list("element", text="身份证").items] == ["E-SFZ"]
    assert [e.code for e in lin.list("element", text="状态").items] == ["E-HY", "E-JY"]
    assert [e.code for e in lin.list("resource", text="救助").items] == ["R-C", "R-D"]
    # paging by code
    p1 = lin.list("department", first=4)
    assert [e.code for e in p1.items] == ["D-GA", "D-GOV", "D-MZ", "D-RS"] and p1.has_next
    p2 = lin.list("department", first=4, after=p1.end_cursor)
    assert [e.code for e in p2.items] == ["D-SC", "D-WJ"] and not p2.has_next
    assert p2.total == 6


def test_search_ranking(lin):
    # exact names (the items called 身份证号) before an exact synonym (E-SFZ), then prefixes
    assert [e.code for e in lin.search("身份证号")] == [
        "R-B/身份证号", "R-C/身份证号", "R-D/身份证号", "R-H/身份证号", "E-SFZ"]
    assert [e.code for e in lin.search("身份证号", first=2)] == ["R-B/身份证号", "R-C/身份证号"]
    # exact name first, then names that start with it
    assert [e.code for e in lin.search("姓名", kinds=["element", "item"])] == [
        "E-XM", "R-A/姓名", "R-B/姓名", "R-G/姓名"]
    assert [e.code for e in lin.search("r-a", kinds=["resource"])] == ["R-A"]
    assert lin.search("没有这个词") == []


def test_unknown_and_bad(lin):
    with pytest.raises(NotFound) as e:
        lin.get("resource:NOPE")
    assert e.value.code == "NOT_FOUND" and "NOPE" in e.value.zh and "NOPE" in e.value.en
    with pytest.raises(NotFound):
        lin.get("https://data.yishu.example/resource/NOPE")
    with pytest.raises(QueryError) as e:
        lin.get("widget:X")
    assert e.value.code == "BAD_KIND"
    for bad in ("", "item:R-A"):
        with pytest.raises(QueryError):
            lin.get(bad)
    assert lin.get("R-A") == lin.get("resource:R-A")  # a bare code only one entity carries
    with pytest.raises(QueryError) as e:
        lin.list("widget")
    assert e.value.code == "BAD_KIND"
    with pytest.raises(QueryError) as e:
        lin.list("resource", filters={"colour": "red"})
    assert e.value.code == "BAD_FILTER"
    with pytest.raises(QueryError) as e:
        lin.list("resource", filters={"sharingType": "随便共享"})
    assert e.value.code == "BAD_FILTER"
    with pytest.raises(QueryError) as e:
        lin.list("resource", after="%%%")
    assert e.value.code == "BAD_CURSOR"
    for first in (0, 501, -1):
        with pytest.raises(QueryError):
            lin.list("resource", first=first)
    with pytest.raises(QueryError):
        lin.search("  ")
    with pytest.raises(QueryError):
        lin.search("人口", kinds=["widget"])


def _pages(graph, kind: str, first: int, **kw) -> list[list[str]]:
    out, after = [], None
    while True:
        page = graph.list(kind, first=first, after=after, **kw)
        out.append([e.code for e in page.items])
        if not page.has_next:
            assert page.end_cursor is None
            return out
        after = page.end_cursor


def test_an_unfiltered_listing_pages_like_a_filtered_one(lin):
    """The unfiltered listing (cached codes) pages exactly as the filtered path does: every
    item once, sorted by code, cursors strictly after the last code shown."""
    pages = _pages(lin, "item", 4)
    codes = [c for page in pages for c in page]
    assert codes == sorted(codes) and len(codes) == lin.list("item").total
    assert all(len(p) == 4 for p in pages[:-1])
    by_resource = [e.code for r in lin.list("resource", first=100).items
                   for e in lin.list("item", filters={"inResource": r.iri}, first=100).items]
    assert sorted(by_resource) == codes  # every item is in one resource: nothing missing
    page = lin.list("item", first=3, after=lin.list("item", first=2).end_cursor)
    assert [e.code for e in page.items] == codes[2:5]
    filtered = lin.list("item", filters={"authoritative": "是"}, first=2)
    assert [e.code for e in lin.list("item", filters={"authoritative": "是"}, first=2,
                                     after=filtered.end_cursor).items] == [
        e.code for e in lin.list("item", filters={"authoritative": "是"}, first=4).items][2:]


def test_the_listing_cache_follows_loads(tmp_path):
    from graph.oxigraph_engine import OxigraphGraph
    from graph.store import CatalogStore
    from loaders import load_path
    from tests.query.graphs import FIXTURES

    store = CatalogStore(tmp_path / "store")
    load_path(store, FIXTURES / "small", "small")
    g = OxigraphGraph(store)
    before = [e.code for e in g.list("department", first=100).items]
    assert g.list("department", first=100).total == len(before)
    store.load_rdf(b'<https://data.yishu.example/department/D-NEW> '
                   b'<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                   b'<https://w3id.org/yishu/def#Department> .\n'
                   b'<https://data.yishu.example/department/D-NEW> '
                   b'<http://purl.org/dc/terms/identifier> "D-NEW" .\n', "nt", "extra")
    assert [e.code for e in g.list("department", first=100).items] == sorted([*before, "D-NEW"])
    store.remove_source("extra")
    assert [e.code for e in g.list("department", first=100).items] == before
