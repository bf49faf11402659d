"""The demo district's bulletin for 2026Q3: ``yishu demo`` loads the history and today's files;
``yishu bulletin`` compares the catalog at the end of 2026Q2 with the end of 2026Q3 and finds
exactly the movers written by hand from examples/build_demo_history.py (docs/demo-district.md).
Today's answers are those of the plain demo (tests/test_demo.py)."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from graph.store import CatalogStore
from loaders import load_path
from tests.bulletin.demo_expected import FIXED, MOVERS, NEW
from yishu.cli import main
from yishu.config import DEMO_DIR
from yishu.demo import history


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-bulletin") / "store"
    r = CliRunner().invoke(main, ["demo", "--store", str(path)])
    assert r.exit_code == 0, r.output
    return path


@pytest.fixture(scope="module")
def bulletin_json(store_dir):
    r = CliRunner().invoke(main, ["bulletin", "--store", str(store_dir), "--quarter", "2026Q3",
                                  "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_history_is_loaded_in_date_order(store_dir):
    s = CatalogStore(store_dir, read_only=True)
    versions = s.versions("demo-district")
    assert [v.at for v in versions[:2]] == [v.at for v in history(DEMO_DIR)]
    assert len(versions) == 3 and versions[0].actor == "云溪区数据局（季度目录汇总）"


def test_today_is_the_plain_demo(store_dir, tmp_path):
    with_history = CatalogStore(store_dir, read_only=True)
    plain = CatalogStore(tmp_path / "plain")
    load_path(plain, DEMO_DIR, "demo-district")
    # today's catalog is the plain demo (the store also holds the demo's usage statistics and
    # its workflow history, each its own source)
    mine = with_history.export("nt", source="demo-district")
    assert mine and sorted(mine.splitlines()) == \
        sorted(plain.export("nt", source="demo-district").splitlines())


def test_demo_movers_written_by_hand(bulletin_json):
    b = bulletin_json
    assert (b["quarter"], b["previous"], b["district"]) == ("2026Q3", "2026Q2", "江州市云溪区")
    moved = {k: sorted(d["code"] for d in b["departments"] if d["movement"] == k)
             for k in ("up", "down", "new", "gone")}
    assert moved == MOVERS
    for d in b["departments"]:
        assert {(f["rule"], f["focus_ref"]) for f in d["new"]} == NEW.get(d["code"], set())
        assert {(f["rule"], f["focus_ref"]) for f in d["fixed"]} == FIXED.get(d["code"], set())
    by = {d["code"]: d for d in b["departments"]}
    assert by["YX-SJ"]["rank_now"] == 1 and by["YX-SJ"]["score_now"] == 100.0
    assert by["YX-ZW"]["rank_before"] == 1 and by["YX-ZW"]["rank_change"] < 0
    assert [(f["rule"], f["focus_ref"]) for f in by["YX-ZW"]["recollections"]] == \
        [("ODS-004", "item:R-ZW-BJ/申请人身份证号")]
    kpis = {k["key"]: k for k in by["YX-SJ"]["kpis"]}
    assert (kpis["platform_connection"]["before"], kpis["platform_connection"]["now"]) == (0.5, 1)
    assert (kpis["cloud_adoption"]["before"], kpis["cloud_adoption"]["now"]) == (0.5, 1)
    s = b["summary"]
    assert (s["up"], s["down"], s["departments"]) == (2, 2, 32)
    assert s["new"] == {"Violation": 2, "Warning": 0, "Info": 0}
    assert s["fixed"] == {"Violation": 1, "Warning": 3, "Info": 0}
    assert (s["recollections_before"], s["recollections_now"]) == (1, 2)  # + 教育局, all along


def test_pdf_and_html(store_dir, tmp_path):
    pdf = tmp_path / "b.pdf"
    r = CliRunner().invoke(main, ["bulletin", "--store", str(store_dir), "-q", "2026Q3",
                                  "--format", "pdf", "-o", str(pdf)])
    assert r.exit_code == 0, r.output
    doc = PdfReader(io.BytesIO(pdf.read_bytes()))
    first = doc.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == \
        (595, 842)  # A4 in points
    text = "\n".join(p.extract_text() for p in doc.pages)
    # the text is extracted from the embedded CJK fonts: no tofu
    assert "江州市云溪区政务数据共享工作季度通报" in text and "2026年第三季度" in text
    assert "云溪区卫生健康委员会" in text and "云溪区行政审批局" in text
    assert f"第 1 页 / 共 {len(doc.pages)} 页" in text  # page numbers
    assert "江州市云溪区政务数据共享季度通报 · 2026年第三季度" in doc.pages[1].extract_text()
    fonts = {str(p["/Resources"]["/Font"][k].get_object()["/BaseFont"]) for p in doc.pages
             for k in p["/Resources"].get("/Font", {})}
    assert any("Noto-Serif-CJK-SC" in f for f in fonts) and any("Noto-Sans-CJK-SC" in f for f in fonts)
    assert not any("CJK-JP" in f for f in fonts), fonts  # Chinese glyphs, not Japanese ones
    html = tmp_path / "b.html"
    r = CliRunner().invoke(main, ["bulletin", "--store", str(store_dir), "-q", "2026Q3",
                                  "-o", str(html)])
    assert r.exit_code == 0 and 'id="dept-YX-WJ"' in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["-q", "2026Q5"], "2026Q3"),
    (["-q", "2026Q3", "--format", "pdf"], "--output"),
])
def test_bad_arguments(store_dir, args, message):
    r = CliRunner().invoke(main, ["bulletin", "--store", str(store_dir), *args])
    assert r.exit_code == 2 and message in r.output


def test_a_quarter_before_any_load_is_empty(store_dir):
    r = CliRunner().invoke(main, ["bulletin", "--store", str(store_dir), "-q", "2026Q1",
                                  "--format", "json"])
    assert r.exit_code == 0 and "empty at the end of 2025Q4" in r.stderr
    assert json.loads(r.stdout)["departments"] == []
