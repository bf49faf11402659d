"""``yishu audit`` end to end on an on-disk store."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Graph

from graph.store import CatalogStore
from loaders import load_path
from yishu.cli import main
from yishu.config import DEMO_DIR


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit") / "store"
    s = CatalogStore(path)
    load_path(s, DEMO_DIR, "demo-district")
    s.close()
    return path


def _run(*args):
    return CliRunner().invoke(main, ["audit", *args])


def test_formats(store_dir, tmp_path):
    base = ["--store", str(store_dir), "--as-of", "2025-11-20"]
    r = _run(*base, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["counts"]["Violation"] == 12 and data["conforms"] is False
    assert {"on_demand_sharing", "cloud_adoption"} <= set(data["figures"]["_all"])
    rows = list(csv.DictReader(io.StringIO(_run(*base, "--format", "csv").output)))
    assert {r["rule"] for r in rows} >= {"ODS-001", "SYS-003"}
    ttl = _run(*base, "--format", "ttl").output
    g = Graph().parse(data=ttl, format="turtle")
    assert len(list(g.subjects(None, None))) > 12
    out = tmp_path / "report.html"
    r = _run(*base, "--format", "html", "--output", str(out))
    assert r.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "按需共享率" in page and "ODS-001" in page
    assert "<script>" in page and "整改" in page
    table = _run(*base).output
    assert "ORG-002" in table and "按需共享率" in table


def test_department_and_fail_on(store_dir):
    base = ["--store", str(store_dir), "--as-of", "2025-11-20"]
    r = _run(*base, "--department", "YX-TJ", "--format", "json", "--fail-on", "violation")
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert {f["focus_ref"] for f in data["findings"] if f["severity"] != "Info"} == {
        "department:YX-TJ", "system:YX-S-TJ-SY"}
    r = _run(*base, "--department", "YX-FGW", "--fail-on", "warning")
    assert r.exit_code == 0, r.output
    r = _run(*base, "--department", "NOPE")
    assert r.exit_code == 2 and "NOPE" in r.output
    r = _run(*base[:2], "--as-of", "20-11-2025")
    assert r.exit_code == 2
