"""Importing usage statistics: every bad cell located by file, row, column and value (zh / en);
all or nothing; the same file twice changes nothing; CSV in UTF-8, UTF-8 with BOM or GBK; JSON."""

from __future__ import annotations

import json

import pytest

from graph.usage import records
from loaders.errors import TemplateError
from loaders.usage import import_usage, import_usage_file, usage_source_name
from tests.usage.catalog import USAGE

HEADER = "资源代码,调用部门编码,调用系统编码,调用日期,调用次数,失败次数,应用场景"
GOOD = "RES-HJ,D-MZ,S-DB,2025-09-01,12,1,低保资格核验"


def _csv(*lines: str) -> bytes:
    return ("\n".join((HEADER, GOOD, *lines)) + "\n").encode("utf-8")


# (bad third line, column, value, words of the Chinese message, words of the English one)
BAD_ROWS = [
    ("RES-NONE,D-MZ,S-DB,2025-09-01,1,0,", "资源代码", "RES-NONE", "目录中没有此数据资源",
     "no data resource"),
    (",D-MZ,S-DB,2025-09-01,1,0,", "资源代码", "", "必填", "required"),
    ("RES-HJ,D-NONE,S-DB,2025-09-01,1,0,", "调用部门编码", "D-NONE", "目录中没有此部门",
     "no department"),
    ("RES-HJ,D-MZ,S-NONE,2025-09-01,1,0,", "调用系统编码", "S-NONE", "目录中没有此信息系统",
     "no information system"),
    ("RES-HJ,D-MZ,S-DB,2025/09/01,1,0,", "调用日期", "2025/09/01", "YYYY-MM-DD", "YYYY-MM-DD"),
    ("RES-HJ,D-MZ,S-DB,2025-02-30,1,0,", "调用日期", "2025-02-30", "YYYY-MM-DD", "YYYY-MM-DD"),
    ("RES-HJ,D-MZ,S-DB,,1,0,", "调用日期", "", "必填", "required"),
    ("RES-HJ,D-MZ,S-DB,2025-09-02,-3,0,", "调用次数", "-3", "非负整数", "integer ≥ 0"),
    ("RES-HJ,D-MZ,S-DB,2025-09-02,1.5,0,", "调用次数", "1.5", "非负整数", "integer ≥ 0"),
    ("RES-HJ,D-MZ,S-DB,2025-09-02,,0,", "调用次数", "", "必填", "required"),
    ("RES-HJ,D-MZ,S-DB,2025-09-02,3,x,", "失败次数", "x", "非负整数", "integer ≥ 0"),
    ("RES-HJ,D-MZ,S-DB,2025-09-02,3,4,", "失败次数", "4", "大于调用次数", "more failures"),
    ("RES-HJ,D-MZ,S-DB,2025-09-02,3,0," + "长" * 201, "应用场景", "长" * 80 + "…", "过长",
     "too long"),
    ("RES-HJ,D-MZ,S-DB,2025-09-01,5,0,低保资格核验", "调用日期", "2025-09-01", "与第 2 行重复",
     "repeats row 2"),
    ("RES-HJ,D-MZ,S-DB,2025-09-02,5,0,x,extra", "第8列/column 8", "extra", "多出",
     "beyond the header"),
]


@pytest.mark.parametrize(("line", "column", "value", "zh", "en"), BAD_ROWS,
                         ids=[b[1] + ":" + b[0][:24] for b in BAD_ROWS])
def test_a_bad_cell_is_located_by_row_and_column(store, line, column, value, zh, en):
    with pytest.raises(TemplateError) as caught:
        import_usage(store, _csv(line), "platform.csv")
    errors = caught.value.errors
    assert len(errors) == 1, [str(e) for e in errors]
    e = errors[0]
    assert (e.file, e.row, e.column, e.value or "") == ("platform.csv", 3, column, value)
    assert zh in e.zh and en in e.en
    assert records(store) == []  # nothing stored
    assert sorted(s.name for s in store.sources()) == ["apix-secret", "small"]


def test_every_error_is_listed_not_just_the_first(store):
    data = _csv("RES-NONE,D-MZ,S-DB,2025-09-01,1,0,", "RES-HJ,D-NONE,S-DB,2025-13-01,-1,0,")
    with pytest.raises(TemplateError) as caught:
        import_usage(store, data, "platform.csv")
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (3, "资源代码"), (4, "调用部门编码"), (4, "调用日期"), (4, "调用次数")]
    assert "nothing stored" in str(caught.value)


@pytest.mark.parametrize(("header", "column", "zh"), [
    (HEADER + ",备注", "备注", "不是调用统计的列名"),
    (HEADER.replace("调用次数,", ""), "调用次数", "缺少必填列"),
    (HEADER.replace("应用场景", "scenario") + ",调用部门编码", "调用部门编码", "列重复"),
])
def test_header_errors_are_on_row_1(store, header, column, zh):
    body = header + "\n" + GOOD + "\n"
    with pytest.raises(TemplateError) as caught:
        import_usage(store, body.encode(), "platform.csv")
    e = caught.value.errors[0]
    assert (e.row, e.column) == (1, column) and zh in e.zh
    assert records(store) == []


def test_english_headers_are_accepted(store):
    body = "resource,department,system,date,calls,failures,scenario\n" + GOOD + "\n"
    report = import_usage(store, body.encode(), "platform.csv")
    assert (report.records, report.calls, report.failures) == (1, 12, 1)


def test_gbk_and_bom_files_are_read(store):
    text = "\n".join((HEADER, GOOD)) + "\n"
    report = import_usage(store, text.encode("gbk"), "gbk.csv")
    assert report.encoding == "GB18030" and report.calls == 12
    report = import_usage(store, b"\xef\xbb\xbf" + text.encode(), "bom.csv")
    assert report.encoding == "UTF-8 (BOM)" and report.calls == 12


def test_json_records_and_their_errors(store):
    good = {"resource": "RES-HJ", "department": "D-MZ", "system": "S-DB", "date": "2025-09-01",
            "calls": 12, "failures": 1, "scenario": "低保资格核验"}
    bad = {**good, "date": "2025-09-02", "calls": "many", "colour": "red"}
    with pytest.raises(TemplateError) as caught:
        import_usage(store, json.dumps([good, bad], ensure_ascii=False).encode(), "p.json")
    assert [(e.file, e.row, e.column, e.value) for e in caught.value.errors] == [
        ("p.json", 2, "colour", "red"), ("p.json", 2, "calls", "many")]
    report = import_usage(store, json.dumps({"records": [good]}).encode(), "p.json")
    assert (report.source, report.records, report.calls) == ("usage-p", 1, 12)
    with pytest.raises(TemplateError) as caught:
        import_usage(store, b'[{"resource": ', "broken.json")
    assert caught.value.errors[0].row == 1 and "JSON" in caught.value.errors[0].zh


def test_all_or_nothing_keeps_the_previous_import(store):
    import_usage_file(store, USAGE, "usage-platform")
    before = records(store)
    bad = USAGE.read_bytes() + b"RES-HJ,D-MZ,S-DB,2025-09-09,oops,0,\n"
    with pytest.raises(TemplateError) as caught:
        import_usage(store, bad, "usage.csv", "usage-platform")
    assert [(e.row, e.column) for e in caught.value.errors] == [(8, "调用次数")]
    assert sorted(records(store), key=str) == sorted(before, key=str)


def test_the_same_file_twice_changes_nothing(store):
    first = import_usage_file(store, USAGE)
    triples = set(store.export("ntriples", first.source).splitlines())
    recs = sorted(records(store), key=str)
    sources = [(s.name, s.triples) for s in store.sources()]
    second = import_usage_file(store, USAGE)
    assert (second.source, second.records, second.triples) == (first.source, 6, first.triples)
    assert len(triples) == first.triples
    assert set(store.export("ntriples", first.source).splitlines()) == triples
    assert sorted(records(store), key=str) == recs
    assert [(s.name, s.triples) for s in store.sources()] == sources


def test_source_names(store):
    assert usage_source_name("交换平台 2025-09.csv") == "usage-交换平台_2025-09"
    with pytest.raises(TemplateError) as caught:
        import_usage_file(store, USAGE, "small")  # would replace the catalog
    assert "usage" in caught.value.errors[0].en
    assert sorted(s.name for s in store.sources()) == ["apix-secret", "small"]


def test_not_csv_or_json(store):
    with pytest.raises(TemplateError) as caught:
        import_usage(store, b"x", "usage.xlsx")
    assert ".csv" in caught.value.errors[0].zh
