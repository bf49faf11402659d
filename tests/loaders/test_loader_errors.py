"""Every kind of bad template input is refused with an error naming file, row, column and value.

Each case edits one thing in a copy of tests/fixtures/small and expects exactly one error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from loaders import TemplateError, load_path
from loaders.errors import CellError


@dataclass
class Bad:
    id: str
    edit: Any  # callable(CsvFolder) -> None
    file: str
    row: int | None
    column: str | None
    value: str | None
    en: str  # fragment of the English message
    zh: str  # fragment of the Chinese message


def _set(file, row, col, value):
    return lambda f: f.set(file, row, col, value)


def _not_text(f):
    # neither UTF-8 nor GB18030 (0xFF starts no character in either); GBK files are read
    (f.path / "flows.csv").write_bytes("流编号,源资源代码\nF-9,".encode() + b"\xff\xfe\n")


def _dup_column(f):
    header, rows = f.read("departments.csv")
    f.write("departments.csv", [*header, "部门类型"], [[*r, "党政机关"] for r in rows])


def _headless_column(f):
    header, rows = f.read("departments.csv")
    f.write("departments.csv", [*header, ""], [[*r, "备注"] for r in rows])


def _data_beyond_header(f):
    header, rows = f.read("catalog.csv")
    rows[1] = [*rows[1], "", "多出来的值"]
    f.write("catalog.csv", header, rows)


def _unknown_file(f):
    (f.path / "department.csv").write_text("部门编码,部门名称\n", encoding="utf-8")


CASES = [
    Bad("bad enum", _set("catalog.csv", 2, "共享类型", "部分共享"), "catalog.csv", 2, "共享类型",
        "部分共享", "not a value of Sharing type", "不是共享类型的取值"),
    Bad("bad bool", _set("systems.csv", 3, "是否涉密", "不是"), "systems.csv", 3, "是否涉密",
        "不是", "must be 是 (yes) or 否 (no)", "应为“是”或“否”"),
    Bad("bad int", _set("items.csv", 4, "数据长度", "十八"), "items.csv", 4, "数据长度", "十八",
        "must be an integer", "应为整数"),
    Bad("out of range", _set("sharing.csv", 2, "满意度", "6"), "sharing.csv", 2, "满意度", "6",
        "out of range 1–5", "超出范围"),
    Bad("negative length", _set("items.csv", 2, "数据长度", "-1"), "items.csv", 2, "数据长度",
        "-1", "out of range 0–", "超出范围"),
    Bad("bad date", _set("catalog.csv", 3, "发布日期", "2023/06/30"), "catalog.csv", 3,
        "发布日期", "2023/06/30", "not an ISO 8601 date", "日期格式错误"),
    Bad("bad datetime", _set("sharing.csv", 2, "申请时间", "昨天上午"), "sharing.csv", 2,
        "申请时间", "昨天上午", "not an ISO 8601 date-time", "日期时间格式错误"),
    Bad("bad region", _set("departments.csv", 3, "行政区划代码", "32061"), "departments.csv", 3,
        "行政区划代码", "32061", "region code must be 6 digits", "6位数字"),
    Bad("empty required cell", _set("departments.csv", 4, "部门名称", "  "), "departments.csv",
        4, "部门名称", "", "required cell is empty", "必填项为空"),
    Bad("missing required column", lambda f: f.drop_column("responsibilities.csv", "事项类型"),
        "responsibilities.csv", 1, "事项类型", None, "required column missing", "缺少必填列"),
    Bad("unknown column", lambda f: f.add_column("departments.csv", "部门简称", "公安"),
        "departments.csv", 1, "部门简称", "部门简称", "unknown column", "未知的列名"),
    Bad("duplicate column", _dup_column, "departments.csv", 1, "部门类型", "部门类型",
        "duplicate column", "列名重复"),
    Bad("data under an empty header", _headless_column, "departments.csv", 1,
        "第11列/column 11", "", "a column with data has no header", "有数据的列缺少表头"),
    Bad("data beyond the last header", _data_beyond_header, "catalog.csv", 1,
        "第22列/column 22", "", "a column with data has no header", "有数据的列缺少表头"),
    Bad("duplicate key",
        lambda f: f.add_row("departments.csv", {"部门编码": "D-MZ", "部门名称": "重复",
                                                 "行政层级": "区县级"}),
        "departments.csv", 5, "部门编码", "D-MZ", "duplicate code (first at row 4)",
        "编码重复（首次见第4行）"),
    Bad("duplicate item name",
        lambda f: f.add_row("items.csv", {"资源代码": "RES-DB", "信息项名称": "姓名"}),
        "items.csv", 7, "信息项名称", "姓名", "item name repeated within its resource",
        "同一资源内信息项名称重复"),
    Bad("unknown reference", _set("catalog.csv", 3, "上游资源代码", "RES-HJ;RES-NONE"),
        "catalog.csv", 3, "上游资源代码", "RES-NONE", "unknown data resource code",
        "引用的数据目录编码不存在"),
    Bad("unknown CSV file name", _unknown_file, "department.csv", None, None, None,
        "not a file name of the template", "不是模板中的文件名"),
    Bad("neither UTF-8 nor GB18030", _not_text, "flows.csv", None, None, None,
        "neither UTF-8 nor GBK/GB18030", "既不是 UTF-8 也不是 GBK/GB18030"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_cell_is_reported_where_it_is(case: Bad, small_copy, mem_store):
    case.edit(small_copy)
    with pytest.raises(TemplateError) as exc:
        load_path(mem_store, small_copy.path, "small")
    errors = exc.value.errors
    assert len(errors) == 1, [str(e) for e in errors]
    e = errors[0]
    assert (e.file, e.row, e.column) == (case.file, case.row, case.column)
    if case.value is not None:
        assert e.value == case.value
    assert case.en in e.en and case.zh in e.zh
    text = str(exc.value)  # the message users read: bilingual, with the location
    assert "导入失败" in text and "load refused" in text and case.file in text
    if case.row is not None:
        assert f"第{case.row}行/row {case.row}" in text
    assert len(mem_store) == 0


def test_xlsx_unknown_sheet(tmp_path, mem_store):
    from openpyxl import load_workbook

    from loaders.writer import write_xlsx_template

    path = write_xlsx_template(tmp_path / "cat.xlsx")
    wb = load_workbook(path)
    wb.create_sheet("部门1").append(["部门编码", "部门名称"])
    wb.save(path)
    with pytest.raises(TemplateError) as exc:
        load_path(mem_store, path)
    [e] = exc.value.errors
    assert e.file == "cat.xlsx:部门1" and e.row is None
    assert "not a sheet name of the template" in e.en and "不是模板中的工作表名" in e.zh


def test_broken_workbook(tmp_path, mem_store):
    path = tmp_path / "cat.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(TemplateError) as exc:
        load_path(mem_store, path)
    [e] = exc.value.errors
    assert e.file == "cat.xlsx" and "cannot read the XLSX workbook" in e.en
    assert "无法读取 XLSX 工作簿" in e.zh


def test_all_errors_are_collected(small_copy, mem_store):
    small_copy.set("catalog.csv", 2, "共享类型", "随便")
    small_copy.set("catalog.csv", 3, "更新周期", "每两周")
    small_copy.set("items.csv", 5, "是否权威来源", "Y")
    with pytest.raises(TemplateError) as exc:
        load_path(mem_store, small_copy.path, "small")
    where = sorted((e.file, e.row, e.column) for e in exc.value.errors)
    assert where == [("catalog.csv", 2, "共享类型"), ("catalog.csv", 3, "更新周期"),
                     ("items.csv", 5, "是否权威来源")]
    assert exc.value.total == 3 and "共 3 个错误" in str(exc.value)


def test_errors_across_files_and_kinds_are_all_reported(small_copy, mem_store):
    small_copy.set("departments.csv", 2, "行政层级", "")
    small_copy.set("systems.csv", 2, "建设部门编码", "D-NONE")
    small_copy.set("flows.csv", 2, "月调用量", "1,200")
    small_copy.add_column("sharing.csv", "备注", "x")
    with pytest.raises(TemplateError) as exc:
        load_path(mem_store, small_copy.path, "small")
    got = {(e.file, e.column) for e in exc.value.errors}
    assert got == {("departments.csv", "行政层级"), ("systems.csv", "建设部门编码"),
                   ("flows.csv", "月调用量"), ("sharing.csv", "备注")}


def test_reference_to_code_of_another_source_resolves(small_copy, tmp_path, mem_store):
    load_path(mem_store, small_copy.path, "small")
    other = tmp_path / "other"
    other.mkdir()
    (other / "systems.csv").write_text(
        "系统编码,系统名称,建设部门编码,审批部门编码\nS-NEW,新系统,D-GA,D-GOV\n", encoding="utf-8")
    (other / "flows.csv").write_text(
        "流编号,源资源代码,目标部门编码,目标系统编码\nF-NEW,RES-HJ,D-MZ,S-NEW\n", encoding="utf-8")
    report = load_path(mem_store, other, "other")
    assert report.rows == {"systems.csv": 1, "flows.csv": 1}
    owners = {s.name for s in mem_store.sources()}
    assert owners == {"small", "other"}


def test_key_already_defined_by_another_source_is_refused(small_copy, tmp_path, mem_store):
    load_path(mem_store, small_copy.path, "small")
    other = tmp_path / "other"
    other.mkdir()
    (other / "departments.csv").write_text(
        "部门编码,部门名称,行政层级\nD-NEW,新部门,区县级\nD-GA,公安分局（重复）,区县级\n",
        encoding="utf-8")
    before = len(mem_store)
    with pytest.raises(TemplateError) as exc:
        load_path(mem_store, other, "other")
    [e] = exc.value.errors
    assert isinstance(e, CellError)
    assert (e.file, e.row, e.column, e.value) == ("departments.csv", 3, "部门编码", "D-GA")
    assert "already defined by load source 'small'" in e.en and "small" in e.zh
    assert len(mem_store) == before and {s.name for s in mem_store.sources()} == {"small"}


def test_reloading_a_source_may_redefine_its_own_keys(small_copy, mem_store):
    load_path(mem_store, small_copy.path, "small")
    small_copy.set("departments.csv", 3, "部门名称", "示范区公安局")
    load_path(mem_store, small_copy.path, "small")
    names = {r["n"] for r in mem_store.select(
        "SELECT ?n WHERE { ?d <http://purl.org/dc/terms/identifier> 'D-GA' ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?n }")}
    assert names == {"示范区公安局"}


def test_required_marks_on_headers_are_accepted(small_copy, mem_store):
    """The contract marks required columns with ``*``; a clerk who keeps the mark (half- or
    full-width) loads the same triples."""
    load_path(mem_store, small_copy.path, "plain")
    plain = mem_store.export("ntriples")
    header, rows = small_copy.read("departments.csv")
    marked = [f"{h}*" if h == "部门编码" else f"{h}＊" if h == "部门名称" else h for h in header]
    small_copy.write("departments.csv", marked, rows)
    mem_store.remove_source("plain")
    load_path(mem_store, small_copy.path, "plain")
    assert mem_store.export("ntriples") == plain


def test_a_misspelt_marked_header_is_named_as_written(small_copy, mem_store):
    header, rows = small_copy.read("departments.csv")
    small_copy.write("departments.csv", [*header, "部门简称*"], [[*r, "公安"] for r in rows])
    with pytest.raises(TemplateError) as exc:
        load_path(mem_store, small_copy.path, "small")
    (e,) = exc.value.errors
    assert (e.file, e.row, e.column, e.value) == ("departments.csv", 1, "部门简称*", "部门简称*")
