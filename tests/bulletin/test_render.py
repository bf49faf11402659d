"""The bulletin as HTML: the charts, no script, Chinese paragraphs without stray spaces. (The PDF
is tested on the demo district: tests/bulletin/test_demo_bulletin.py.)"""

from __future__ import annotations

import re

import pytest

from shapes.bulletin import build
from shapes.bulletin_charts import rank_bars, score_slope, sparkline
from shapes.bulletin_render import body_html, detailed, to_html
from shapes.quarter import Quarter

from .catalogs import quarter_before, quarter_now


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("render")
    return build(quarter_before().build(tmp / "b"), quarter_now().build(tmp / "n"),
                 Quarter(2026, 3))


def test_html(bulletin):
    html = to_html(bulletin)
    assert "示范区政务数据共享工作季度通报" in html and "2026年第三季度" in html
    assert "Quarterly bulletin".lower() in html.lower()
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert html.count("<svg") >= 3 + len(bulletin.departments)  # 3 charts, a sparkline each
    for code in ("D-MZ", "D-GA", "D-JY"):
        assert f'id="dept-{code}"' in html
    assert 'id="quiet"' in html and "示范区人民政府" in html  # D-GOV: nothing to report
    # a Chinese paragraph keeps no line break of the template as a space
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    assert "\n" not in lead and "个，下降" in lead


def test_charts_escape_and_scale(bulletin):
    from dataclasses import replace

    hostile = [replace(d, name='<script>alert(1)</script>"') for d in bulletin.departments]
    for svg in (score_slope(hostile), rank_bars(hostile)):
        assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert sparkline(None, 90.0) == ""
    assert "<svg" in sparkline(80.0, 90.0)
    many = [replace(bulletin.departments[i % 4], code=f"D{i:03d}", name=f"部门{i}")
            for i in range(200)]
    assert score_slope(many).count("<circle") <= 2 * 30


def test_departments_described_one_by_one(bulletin):
    d = detailed(bulletin.departments)
    assert [x.code for x in d["shown"]] == ["D-MZ", "D-JY", "D-GA"]  # rank order
    assert [x.code for x in d["quiet"]] == ["D-GOV"] and d["omitted"] == []
    d = detailed(bulletin.departments, cap=1)  # many departments: those that changed most
    assert [x.code for x in d["shown"]] == ["D-GA"]  # -18.6
    assert [x.code for x in d["omitted"]] == ["D-MZ", "D-JY"]
    html = body_html(bulletin)
    assert html.count('<article class="dept"') == 3
    # D-GA: only its figures that changed or are missed get a row
    ga = html[html.index('id="dept-D-GA"'):]
    assert "按需共享率" in ga and "接入率" not in ga.split("</table>")[0]
