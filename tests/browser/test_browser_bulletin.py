"""The bulletin page in a real browser over the demo district with its history: the movers of
2026Q3 (written by hand in tests/bulletin/test_demo_bulletin.py), the charts drawn, CJK text
rendered in a CJK font, the PDF download."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.bulletin.demo_expected import MOVERS


def test_bulletin_page(page, server):
    page.goto(server.url + "/bulletin?quarter=2026Q3", timeout=120_000)  # two audits first
    assert page.locator("main h1").inner_text().startswith("政务数据共享季度通报")
    moved = {}
    for row in page.locator("#ranking-table tbody tr").all():
        moved.setdefault(row.get_attribute("data-movement"), []).append(
            row.get_attribute("data-code"))
    assert sorted(moved["up"]) == MOVERS["up"] and sorted(moved["down"]) == MOVERS["down"]
    assert page.locator(".bulletin svg.chart").count() == 3
    # the Chinese text is laid out in a CJK font (no tofu): a CJK glyph is wider than 0.9 em
    width = page.evaluate("""() => { const s = document.createElement('span');
        s.textContent = '通报'; s.style.fontSize = '20px'; document.body.appendChild(s);
        const w = s.getBoundingClientRect().width; s.remove(); return w; }""")
    assert 36 <= width <= 44
    # the quarter picker and the nav link
    assert page.locator("select#quarter option[selected]").inner_text().startswith("2026Q3")
    assert page.locator("nav.menu a[href='/bulletin'][aria-current=page]").count() == 1
    pdf = page.request.get(server.url + "/bulletin.pdf?quarter=2026Q3", timeout=180_000)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "江州市云溪区政务数据共享工作季度通报" in text and "云溪区行政审批局" in text
