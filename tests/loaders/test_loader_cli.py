"""``yishu load`` and ``yishu template`` as users run them."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from graph.store import CatalogStore
from yishu.cli import main


def test_load_bad_input_exits_nonzero_with_a_bilingual_message(small_copy, tmp_path):
    small_copy.set("catalog.csv", 2, "共享类型", "部分共享")
    small_copy.set("items.csv", 3, "数据长度", "五十")
    store = tmp_path / "store"
    proc = subprocess.run(
        [sys.executable, "-m", "yishu", "load", str(small_copy.path), "--store", str(store)],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode != 0
    err = proc.stderr
    assert "导入失败，共 2 个错误，未写入任何数据" in err and "load refused, 2 error(s)" in err
    assert "catalog.csv 第2行/row 2 [共享类型] '部分共享'" in err
    assert "不是共享类型的取值" in err and "not a value of Sharing type" in err
    assert "items.csv 第3行/row 3 [数据长度] '五十': 应为整数 / must be an integer" in err
    assert "Traceback" not in err
    assert len(CatalogStore(store)) == 0


def test_load_missing_path_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["load", str(tmp_path / "nope"), "--store",
                                       str(tmp_path / "s")])
    assert result.exit_code != 0 and "does not exist" in result.output


def test_template_command_writes_loadable_files(tmp_path):
    runner = CliRunner()
    xlsx = tmp_path / "目录模板.xlsx"
    r = runner.invoke(main, ["template", str(xlsx)])
    assert r.exit_code == 0, r.output
    assert xlsx.exists() and "已生成空白模板" in r.output
    r = runner.invoke(main, ["template", str(tmp_path / "csv"), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert len(list((tmp_path / "csv").glob("*.csv"))) == 8
    store = str(tmp_path / "store")
    for target in (xlsx, tmp_path / "csv"):
        r = runner.invoke(main, ["load", str(target), "--store", store])
        assert r.exit_code == 0, r.output
        assert "已导入 loaded" in r.output


def test_template_command_does_not_overwrite_without_force(tmp_path):
    runner = CliRunner()
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"a clerk's filled workbook")
    r = runner.invoke(main, ["template", str(out)])
    assert r.exit_code == 2 and "--force" in r.output
    assert out.read_bytes() == b"a clerk's filled workbook"
    r = runner.invoke(main, ["template", str(out), "--force"])
    assert r.exit_code == 0 and out.read_bytes().startswith(b"PK")
    r = runner.invoke(main, ["template", str(tmp_path / "t.csv")])
    assert r.exit_code == 2 and ".xlsx" in r.output


def test_template_help_lists_the_options():
    r = CliRunner().invoke(main, ["template", "--help"])
    assert r.exit_code == 0
    for word in ("--format", "xlsx", "csv", "--force", "OUT"):
        assert word in r.output
