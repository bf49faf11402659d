"""A refused ``yishu load`` lists every error (none silently dropped), and ``--errors FILE`` writes
them all as CSV or XLSX for the clerk who fixes the workbook."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from click.testing import CliRunner

from yishu.cli import main

N_BAD = 58


@pytest.fixture
def many_errors(small_copy):
    """The small fixture with 58 items whose length is not a number, the first a formula."""
    for i in range(N_BAD):
        small_copy.add_row("items.csv", {"资源代码": "RES-HJ", "信息项名称": f"附加项{i:02d}",
                                         "数据类型": "字符型", "是否权威来源": "是",
                                         "数据长度": "=1+1" if i == 0 else "五十"})
    return small_copy


def _load(folder, tmp_path, *extra: str):
    return CliRunner().invoke(main, ["load", str(folder.path), "--store", str(tmp_path / "s"),
                                     *extra])


def test_every_error_is_listed(many_errors, tmp_path):
    r = _load(many_errors, tmp_path)
    assert r.exit_code == 2
    assert f"共 {N_BAD} 个错误" in r.output
    listed = [line for line in r.output.splitlines() if line.startswith("  items.csv 第")]
    assert len(listed) == N_BAD
    assert f"第{N_BAD + 6}行/row {N_BAD + 6}" in r.output
    assert "--errors" in r.output  # the hint for a long list


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_errors_file_holds_every_error(many_errors, tmp_path, suffix):
    out = tmp_path / f"错误.{suffix}"
    r = _load(many_errors, tmp_path, "--errors", str(out))
    assert r.exit_code == 2 and str(out) in r.output
    if suffix == "csv":
        with out.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    else:
        rows = [["" if c is None else str(c) for c in row]
                for row in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert header == ["文件 file", "工作表 sheet", "行 row", "列 column", "值 value",
                      "错误说明 zh", "error en"]
    assert len(body) == N_BAD
    first = body[0]
    assert first[0] == "items.csv" and first[1] == "" and first[2] == "7"
    assert first[3] == "数据长度"
    assert first[4] == "'=1+1"  # a formula in the rejected file stays inert in the report
    assert first[5] == "应为整数" and first[6] == "must be an integer"


def test_xlsx_errors_name_the_sheet(tmp_path):
    from loaders.error_report import error_rows
    from loaders.errors import CellError

    rows = error_rows([CellError("目录.xlsx:信息项", 3, "数据长度", "@SUM(A1)", "应为整数",
                                 "must be an integer")])
    assert rows == [["目录.xlsx", "信息项", 3, "数据长度", "'@SUM(A1)", "应为整数",
                     "must be an integer"]]
