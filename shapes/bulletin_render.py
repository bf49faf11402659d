"""The bulletin as a document: HTML (self-contained, Chinese first with English beside it) and a
PDF ready to send (WeasyPrint: A4, Noto Serif/Sans CJK, running header with the district and
the quarter, page numbers).

:func:`body_html` is the content alone — the web page (``/bulletin``) shows the same markup.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from shapes import bulletin_charts as charts
from shapes.bulletin import Bulletin

__all__ = ["body_html", "to_html", "to_pdf", "title", "detailed", "CSS", "DETAIL_LIMIT",
           "DETAIL_DEPARTMENTS"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSS = (TEMPLATES / "bulletin.css").read_text(encoding="utf-8")
DETAIL_LIMIT = 12  # focus codes listed per rule and department (the audit report has them all)
DETAIL_DEPARTMENTS = 60  # departments described one by one (those that changed most)
_ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.do"])
# Chinese text has no spaces between words: a template's line breaks inside a Chinese
# paragraph must not become spaces ({% filter cjk %}…{% endfilter %})
_ENV.filters["cjk"] = lambda text: _BREAKS.sub("", text)
_BREAKS = re.compile(r"\s*\n\s*")
_SEVERITY = {"Violation": "违规", "Warning": "警告", "Info": "提示"}
_MOVEMENT = {"up": "上升 up", "down": "下降 down", "level": "持平 level", "new": "新纳入 new",
             "gone": "未评估 not assessed"}


def _score(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def _change(v: float | None) -> str:
    if v is None:
        return "—"
    return "±0" if abs(v) < 1e-9 else f"{v:+.1f}"


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


def _pct_change(v: float | None) -> str:
    if v is None:
        return "—"
    return "±0" if abs(v) < 1e-9 else f"{100 * v:+.1f} 个百分点 pp"


def _tone(v: float | int | None) -> str:
    if v is None or abs(v) < 1e-9:
        return ""
    return "up" if v > 0 else "down"


def _met(v: bool | None) -> str:
    return "—" if v is None else ("达标 ✓ met" if v else "未达标 ✗ missed")


def _rank_change(d) -> str:
    n = d.rank_change
    if n is None:
        return "新 new" if d.rank_now is not None else "—"
    return "—" if n == 0 else (f"↑{n}" if n > 0 else f"↓{-n}")


def _groups(b: Bulletin, limit: int):
    """Findings grouped by rule, for a department's lists: one line per rule with its message
    (the finding's own when it is alone) and the first ``limit`` focus codes."""
    def groups(findings: list) -> list[dict]:
        by: dict[str, list] = {}
        for f in findings:
            by.setdefault(f.rule, []).append(f)
        out = []
        for rule, fs in by.items():
            r = b.rules.get(rule)
            one = fs[0] if len(fs) == 1 else None
            out.append({
                "rule": rule, "severity": fs[0].severity, "count": len(fs),
                "shown": fs[:limit], "more": max(0, len(fs) - limit),
                "message_zh": one.message_zh if one else _general(r.message_zh if r else ""),
                "message_en": one.message_en if one else _general(r.message_en if r else ""),
                "fix_zh": fs[0].fix_zh})
        return out

    return groups


def detailed(departments: list, cap: int = DETAIL_DEPARTMENTS) -> dict[str, list]:
    """The departments described one by one (those with a finding in either quarter or a missed
    figure; the ``cap`` that changed most when there are more, in rank order), those left out,
    and the quiet ones (nothing in either quarter, every figure met)."""
    quiet = [d for d in departments if not d.open and not d.fixed and not d.kpis_missed()]
    loud = [d for d in departments if d not in quiet]
    if len(loud) <= cap:
        return {"shown": loud, "omitted": [], "quiet": quiet}
    ranked = sorted(loud, key=lambda d: (-abs(d.score_change or 0.0),
                                         -(len(d.new) + len(d.fixed)), d.code))
    keep = {d.code for d in ranked[:cap]}
    return {"shown": [d for d in loud if d.code in keep],
            "omitted": [d for d in loud if d.code not in keep], "quiet": quiet}


def _noteworthy(kpis: list) -> list:
    """A department's figures worth a row: missed, or changed since last quarter."""
    return [k for k in kpis if k.now is not None and k.now.denominator
            and (k.meets_now is False or (k.change is not None and abs(k.change) > 1e-9))]


def _general(message: str) -> str:
    """A rule's message without its placeholder (several findings, several values)."""
    return re.sub(r"\s*[:：]?\s*\{\?value\}", "", message).strip()


def title(b: Bulletin) -> tuple[str, str]:
    place = b.district or ""
    return (f"{place}政务数据共享工作季度通报",
            f"Government data sharing: quarterly bulletin, {b.quarter.en}"
            + (f" — {place}" if place else ""))


def body_html(b: Bulletin, limit: int = DETAIL_LIMIT) -> str:
    """The bulletin's content (summary, KPIs, ranking with charts, department by department)."""
    figures = {"kpis": charts.kpi_bars(b.summary.kpis),
               "slope": charts.score_slope(b.departments),
               "ranks": charts.rank_bars(b.departments)}
    return _ENV.get_template("bulletin_body.html").render(
        b=b, charts=figures, limit=limit, fmt_score=_score, fmt_change=_change, pct=_pct,
        pct_change=_pct_change, tone=_tone, met=_met, rank_change=_rank_change,
        spark=charts.sparkline, severity=lambda s: _SEVERITY.get(s, s), groups=_groups(b, limit),
        movement=lambda m: _MOVEMENT.get(m, m), total=lambda c: sum(c.values()),
        measured=lambda kpis: [k for k in kpis if k.now is not None and k.now.denominator],
        noteworthy=_noteworthy, detailed=detailed)


def to_html(b: Bulletin, *, body: str | None = None, generated: dt.datetime | None = None) -> str:
    """The whole document, one self-contained HTML file (no script, no external resource)."""
    zh, en = title(b)
    when = (generated or dt.datetime.now(dt.UTC)).astimezone(
        dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M（北京时间）")
    return _ENV.get_template("bulletin.html").render(
        b=b, body=body if body is not None else body_html(b), css=CSS, title_zh=zh, title_en=en,
        generated=when)


def to_pdf(b: Bulletin, *, html: str | None = None, worker: bool | None = None) -> bytes:
    """The document as PDF (WeasyPrint; fonts from the system's fontconfig: fonts-noto-cjk), its
    two parts laid out on two cores when it is long (:mod:`shapes.bulletin_pdf`)."""
    from shapes.bulletin_pdf import render

    return render(html if html is not None else to_html(b), worker=worker)
