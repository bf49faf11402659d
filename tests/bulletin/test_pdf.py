"""The bulletin as PDF in two parts (shapes/bulletin_pdf.py): laid out by a worker process or
here, the same document — numbered and headed as one, its links and bookmarks whole."""

from __future__ import annotations

import io
import logging
import re

import pytest
from pypdf import PdfReader

from shapes import bulletin_pdf
from shapes.bulletin import build
from shapes.bulletin_render import detailed, to_html
from shapes.quarter import Quarter

from .catalogs import quarter_before, quarter_now


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    return build(quarter_before().build(tmp / "b"), quarter_now().build(tmp / "n"),
                 Quarter(2026, 3))


@pytest.fixture(scope="module")
def html(bulletin):
    return to_html(bulletin)


@pytest.fixture(scope="module")
def here(html):
    return bulletin_pdf.render(html, worker=False)


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_a_worker_lays_out_the_same_document(html, here, caplog):
    with caplog.at_level(logging.WARNING):
        assert bulletin_pdf.render(html, worker=True) == here
    # no worker failure, no "No anchor" for the links relinked after the join
    assert not [r for r in caplog.records if r.name == "shapes.bulletin_pdf"
                or "anchor" in r.getMessage()]


def test_a_failed_worker_is_replaced_by_laying_out_here(html, here, monkeypatch, caplog):
    monkeypatch.setattr(bulletin_pdf, "WORKER", ["-c", "import sys; sys.exit(3)"])
    with caplog.at_level(logging.WARNING, logger="shapes.bulletin_pdf"):
        assert bulletin_pdf.render(html, worker=True) == here
    assert "exit 3" in caplog.text and "worker failed" in caplog.text


def test_numbered_and_headed_as_one_document(html, here):
    text = pages(here)
    n = len(text)
    one, two, _ = bulletin_pdf.cut(html)
    assert two is not None and one.count("<section") == 2  # summary and ranking
    for k, t in enumerate(text, 1):
        assert f"第 {k} 页 / 共 {n} 页 · Page {k} of {n}" in t
        assert ("示范区政务数据共享季度通报 · 2026年第三季度" in t) == (k > 1)
    starts = [k for k, t in enumerate(text) if "三、部门情况" in t]
    assert starts and starts[0] > 0 and "二、部门排名" not in text[starts[0]]  # a page of its own
    assert not any("No anchor" in t for t in text)


def test_ranking_links_reach_the_department_sections(bulletin, here):
    doc = PdfReader(io.BytesIO(here))
    shown = detailed(bulletin.departments)["shown"]
    targets = {}
    for page in doc.pages:
        for a in page.get("/Annots") or []:
            a = a.get_object()
            if a.get("/Subtype") == "/Link" and "/Dest" in a:
                targets[(doc.get_page_number(page), round(float(a["/Rect"][1])))] = \
                    doc.get_page_number(a["/Dest"][0].get_object())
    assert len(targets) >= len(shown)
    first_section = min(k for k, p in enumerate(doc.pages) if "三、部门情况" in p.extract_text())
    for d in shown:  # each described department's heading is on a page a link points at
        heading = re.compile(re.escape(d.name or d.code) + r"\s*" + re.escape(d.code))
        at = [k for k, p in enumerate(doc.pages) if k >= first_section
              and heading.search(p.extract_text())]
        assert at and at[0] in targets.values(), d.code
    assert all(src < first_section <= dst for (src, _), dst in targets.items())


def test_bookmarks_title_and_language(bulletin, here):
    doc = PdfReader(io.BytesIO(here))
    titles = []

    def walk(items):
        for o in items:
            walk(o) if isinstance(o, list) else titles.append(o.title)

    walk(doc.outline)
    for head in ("一、总体情况", "二、部门排名", "三、部门情况"):
        assert any(t.startswith(head) for t in titles), titles
    assert doc.metadata.title.startswith("示范区政务数据共享工作季度通报")
    assert doc.trailer["/Root"]["/Lang"] == "zh-CN"


def test_a_document_without_department_sections_is_one_part(html):
    cut = html.index(bulletin_pdf.PART_MARK)
    short = html[:cut] + "</body></html>"
    text = pages(bulletin_pdf.render(short, worker=True))
    assert text and all(f"共 {len(text)} 页" in t for t in text)
    assert not any("三、部门情况" in t for t in text)


def test_long_documents_get_a_worker(html, monkeypatch):
    started = []
    real = bulletin_pdf._Worker

    def spy(part: str):
        started.append(len(part))
        return real(part)

    monkeypatch.setattr(bulletin_pdf, "_Worker", spy)
    bulletin_pdf.render(html)
    assert started == []  # short: both parts here
    monkeypatch.setattr(bulletin_pdf, "WORKER_FROM", 1)
    bulletin_pdf.render(html)
    assert len(started) == 1 and started[0] < len(html)
