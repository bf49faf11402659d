"""Names are data in every audit output (issue 15 item 4): a name starting ``=``, ``+``, ``-`` or
``@`` goes into CSV and XLSX with a leading apostrophe (never run as a formula), and a name
holding mathtext (``$\\frac{1}{$``) is drawn as typed in the HTML report's chart."""

from __future__ import annotations

import csv
import html
import io
import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.api.catalog import ACCESS, KEYS
from tests.loaders.csvs import SMALL, CsvFolder
from yishu.cli import main

FORMULA = '=HYPERLINK("http://127.0.0.1/x","点我")'
MATH = r"民政$\frac{1}{$局"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The small catalog with D-MZ (which has findings) named by a formula, D-GA by mathtext."""
    folder = CsvFolder(tmp_path_factory.mktemp("hostile") / "small")
    shutil.copytree(SMALL, folder.path)
    folder.set("departments.csv", 4, "部门名称", FORMULA)
    folder.set("departments.csv", 3, "部门名称", MATH)
    header, rows = folder.read("departments.csv")
    assert [r[0] for r in rows[1:3]] == ["D-GA", "D-MZ"]
    path = folder.path.parent / "store"
    s = CatalogStore(path)
    load_path(s, folder.path, "hostile")
    s.close()
    return path


def _audit(store, *args):
    return CliRunner().invoke(main, ["audit", "--store", str(store), "--as-of", "2025-11-20",
                                     *args])


def test_audit_csv_neutralises_formulas(hostile):
    r = _audit(hostile, "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = [row for row in csv.DictReader(io.StringIO(r.output)) if row["department"] == "D-MZ"]
    assert rows and all(row["department_name"] == "'" + FORMULA for row in rows)
    assert not any(v.startswith(("=", "+", "@")) for row in rows for v in row.values())


def test_audit_xlsx_neutralises_formulas(hostile, tmp_path):
    out = tmp_path / "audit.xlsx"
    r = _audit(hostile, "--format", "xlsx", "--output", str(out))
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    names = [row[header.index("department_name")] for row in ws.iter_rows(min_row=2,
                                                                            values_only=True)]
    assert "'" + FORMULA in names and FORMULA not in names
    assert all(c.data_type != "f" for row in ws.iter_rows(min_row=2) for c in row)
    assert _audit(hostile, "--format", "xlsx").exit_code == 2  # a workbook needs --output


def test_audit_html_draws_mathtext_as_typed(hostile):
    r = _audit(hostile, "--format", "html")
    assert r.exit_code == 0, r.output
    assert "<img" in r.output and html.escape(MATH, quote=False) in r.output


def test_rest_audit_csv_neutralises_formulas(hostile):
    store = CatalogStore(hostile, read_only=True)
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))
    with TestClient(app) as c:
        r = c.get("/audit?format=csv&as_of=2025-11-20", headers={"X-API-Key": KEYS["admin"]})
        assert r.status_code == 200, r.text[:300]
        rows = [row for row in csv.DictReader(io.StringIO(r.text)) if row["department"] == "D-MZ"]
        assert rows and all(row["department_name"] == "'" + FORMULA for row in rows)
        page = c.get("/audit?format=html&as_of=2025-11-20", headers={"X-API-Key": KEYS["admin"]})
        assert page.status_code == 200 and html.escape(MATH, quote=False) in page.text
