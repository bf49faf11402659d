"""``yishu load`` and ``yishu template`` as users run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from graph.store import CatalogStore
from yishu.cli import main

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "bad"


def test_load_bad_input_exits_nonzero_with_a_bilingual_message(tmp_path):
    """The real command in a subprocess: exit status 2, every error on stderr, nothing stored."""
    store = tmp_path / "store"
    proc = subprocess.run(
        [sys.executable, "-m", "yishu", "load", str(BAD / "catalog-with-errors"),
         "--store", str(store)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 2
    assert proc.stderr == (BAD / "catalog-with-errors.txt").read_text(encoding="utf-8")
    assert "导入失败，共 6 个错误，未写入任何数据" in proc.stderr
    assert "load refused, 6 error(s), nothing stored" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert len(CatalogStore(store)) == 0


def test_load_bad_cells_in_process(small_copy, tmp_path):
    small_copy.set("catalog.csv", 2, "共享类型", "部分共享")
    small_copy.set("items.csv", 3, "数据长度", "五十")
    r = CliRunner().invoke(main, ["load", str(small_copy.path), "--store", str(tmp_path / "s")])
    assert r.exit_code == 2
    assert "catalog.csv 第2行/row 2 [共享类型] '部分共享'" in r.output
    assert "不是共享类型的取值" in r.output and "not a value of Sharing type" in r.output
    assert "items.csv 第3行/row 3 [数据长度] '五十': 应为整数 / must be an integer" in r.output


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


def test_a_command_lets_go_of_the_store_when_it_ends(tmp_path):
    """The store a command opened is closed when it ends — flushed, RocksDB's lock released and
    its background work done — not whenever the garbage collector gets to it: a writer (or a
    read-only open, which a compaction still running could leave without an .sst) may follow
    at once in the same process."""
    import gc

    gc.disable()  # the store refers to itself (pins, version log): only the collector freed it
    try:
        path = tmp_path / "s"
        r = CliRunner().invoke(main, ["demo", "--store", str(path)])
        assert r.exit_code == 0, r.output
        after = CatalogStore(path)  # was: OSError, the LOCK still held by the demo's handle
        assert len(after) > 0
        after.close()
        after.close()  # closing twice does nothing
    finally:
        gc.enable()
