"""The synthetic generator: deterministic, loadable, and its planted ground truth is exact.

The ground truth is checked against the generated CSV rows with the independent plain-Python
reading of docs/audit-rules.md in tests/csv_rules.py (``csv_findings``), never with the
generator's own bookkeeping.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import csv_rules as rules
from yishu.synth import HEADERS, generate, parse_scale

PLANTABLE = {"CAT-002", "CAT-003", "CAT-004", "CAT-005", "SHR-001", "SHR-002", "SHR-003", "SEC-001",
             "SEC-002", "SEC-003", "ORG-001", "ORG-002", "SYS-001", "SYS-002", "SYS-003", "SYS-004",
             "ODS-001", "ODS-002", "ODS-003", "ODS-004", "ODS-005", "LIN-001", "REQ-001", "REQ-002",
             "RSP-001"}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "small"
    generate(out, 0.05, seed=11)
    return out


def test_parse_scale():
    assert parse_scale("district") == 1.0
    assert parse_scale("city") == 10.0
    assert parse_scale("0.05") == 0.05
    for bad in ("0", "-1", "town", "nan"):
        with pytest.raises(ValueError):
            parse_scale(bad)


def test_same_seed_same_bytes(tmp_path, small):
    """Same seed, same bytes — also in another process with another string-hash seed."""
    again = tmp_path / "again"
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", "import sys; from yishu.synth import generate; "
                    "generate(sys.argv[1], 0.05, seed=11)", str(again)], check=True, cwd=root,
                   env={**os.environ, "PYTHONHASHSEED": "4242"}, timeout=120)
    assert _digest(again) == _digest(small)
    other = tmp_path / "other"
    generate(other, 0.05, seed=12)
    assert _digest(other) != _digest(small)


def test_writes_the_template_and_ground_truth(small):
    assert sorted(p.name for p in small.iterdir()) == sorted([*HEADERS, "defects.json"])
    rows = rules.read_rows(small)
    for name, header in HEADERS.items():
        with (small / name).open(encoding="utf-8") as f:
            assert f.readline().rstrip("\n").split(",") == header
        assert rows[name], name
    data = json.loads((small / "defects.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2025-11-20"
    assert all(set(d) == {"rule", "focus", "note"} for d in data["defects"])


def test_small_scale_loads_without_errors(tmp_path, small):
    from graph.store import CatalogStore
    from loaders import load_path

    store = CatalogStore(tmp_path / "store")
    report = load_path(store, small, "synth")
    rows = rules.read_rows(small)
    assert report.rows["items.csv"] == len(rows["items.csv"])
    assert store.stats()["ys:DataResource"] == len(rows["catalog.csv"])
    assert report.triples > 5_000


@pytest.mark.parametrize("scale,seed", [(0.05, 11), (0.05, 3), (0.2, 5)])
def test_ground_truth_is_exact(tmp_path, small, scale, seed):
    out = small if (scale, seed) == (0.05, 11) else tmp_path / "g"
    if out is not small:
        generate(out, scale, seed)
    as_of, truth, defects = rules.ground_truth(out)
    guards: list[str] = []
    found = rules.csv_findings(rules.read_rows(out), as_of, guards=guards)
    assert guards == []
    assert found - truth == set(), "findings the ground truth does not list"
    assert truth - found == set(), "planted defects not present in the data"
    assert len(defects) == len(truth)
    assert {r for r, _ in truth} == PLANTABLE  # every rule that a template can carry


def test_realistic_shapes(small):
    rows = rules.read_rows(small)
    res = {r["资源代码"]: r for r in rows["catalog.csv"]}
    # base databases are hubs: more items are taken from them than from any other resource
    taken: dict[str, int] = {}
    for it in rows["items.csv"]:
        if it["来源资源代码"]:
            taken[it["来源资源代码"]] = taken.get(it["来源资源代码"], 0) + 1
    top = sorted(taken, key=taken.get, reverse=True)[:5]  # type: ignore[arg-type]
    assert sum(res[c]["资源分类"] == "基础信息资源" for c in top) >= 3
    assert {r["资源分类"] for r in res.values()} == {"基础信息资源", "部门信息资源", "主题信息资源"}
    assert any(f["是否回流"] == "是" for f in rows["flows.csv"])
    assert {q["状态"] for q in rows["sharing.csv"]} >= {"已交付", "已拒绝", "待审核"}
    assert all(r["产生资源代码"] for r in rows["responsibilities.csv"])


def test_scale_district_sizes(tmp_path):
    """District scale has the documented shape (generation only; loading is benchmarked)."""
    report = generate(tmp_path / "d", "district", seed=1)
    assert 55 <= report.rows["departments.csv"] <= 70
    assert 300 <= report.rows["systems.csv"] <= 600
    assert 2_500 <= report.rows["catalog.csv"] <= 4_000
    assert 15_000 <= report.rows["items.csv"] <= 30_000
    assert report.seconds < 20


def test_cli(tmp_path):
    from yishu.cli import main

    result = CliRunner().invoke(main, ["synth", str(tmp_path / "c"), "--scale", "0.03",
                                       "--seed", "2", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "planted defects" in result.output
    assert (tmp_path / "c" / "defects.json").exists()
    bad = CliRunner().invoke(main, ["synth", str(tmp_path / "x"), "--scale", "huge"])
    assert bad.exit_code != 0 and "scale" in bad.output
