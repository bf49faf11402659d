"""Audit results as table, JSON, CSV and a self-contained HTML report."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from collections.abc import Callable

from shapes.scores import DIMENSIONS, rating

__all__ = ["to_table", "to_json", "to_csv", "to_xlsx", "finding_rows", "to_html", "chart_png"]

Cell = Callable[[object], object]

CSV_FIELDS = ["rule", "severity", "dimension", "kind", "code", "label", "department",
              "department_name", "message_zh", "message_en", "fix_zh", "fix_en", "values", "path"]


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


def to_json(result) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2)


def finding_rows(result, cell: Cell) -> list[list[object]]:
    """One row per finding in the order of :data:`CSV_FIELDS`, every cell passed through
    ``cell`` — the callers give ``loaders.error_report.neutralise_formula``, so a name starting
    ``=``, ``+``, ``-`` or ``@`` is never run as a formula by the spreadsheet that opens it."""
    rows = []
    for f in result.findings:
        row = {k: getattr(f, k) for k in CSV_FIELDS}
        row["values"] = "; ".join(f.values)
        rows.append([cell("" if row[k] is None else row[k]) for k in CSV_FIELDS])
    return rows


def to_csv(result, *, cell: Cell) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    w.writerows(finding_rows(result, cell))
    return buf.getvalue()


def to_xlsx(result, *, cell: Cell) -> bytes:
    """The findings as a workbook (one sheet, the CSV's columns)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "发现 findings"
    ws.append(CSV_FIELDS)
    for r in finding_rows(result, cell):
        ws.append(r)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_table(result) -> str:
    lines = []
    overall = result.scores.get(None)
    lines.append(f"审计日期 as of {result.as_of}  引擎 engine {result.engine}  "
                 f"用时 {result.seconds:.2f}s")
    lines.append(f"违规 Violations {result.count('Violation')}  警告 Warnings "
                 f"{result.count('Warning')}  提示 Info {result.count('Info')}  "
                 f"总分 score {overall.score if overall else '—'}")
    lines.append("")
    lines.append("指标 figure                          value    target")
    for f in result.figures.get(None, {}).values():
        target = "—" if f.target is None else f"≥{100 * f.target:.0f}%"
        lines.append(f"{f.zh + ' ' + f.en:<36}{_pct(f.value):>8}  {target:>7}  "
                     f"({f.numerator}/{f.denominator})")
    lines.append("")
    lines.append(f"{'rule':<8} {'severity':<9} {'focus':<36} {'dept':<10} message")
    for f in result.findings:
        vals = f" [{'; '.join(f.values)}]" if f.values else ""
        lines.append(f"{f.rule:<8} {f.severity:<9} {f.focus_ref:<36} {f.department or '—':<10} "
                     f"{f.message_zh} / {f.message_en}{vals}")
    return "\n".join(lines) + "\n"


def chart_png(result, width: float = 9.0) -> bytes:
    """Bar chart of the department scores (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    names = [n for n in ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei",
                         "SimHei", "Source Han Sans SC")
             if any(f.name == n for f in font_manager.fontManager.ttflist)]
    rows = sorted(((c, s.score) for c, s in result.scores.items()
                   if c is not None and s.score is not None), key=lambda t: t[1])
    labels = [(result.departments.get(c) or c) if names else c for c, _ in rows]
    fig, ax = plt.subplots(figsize=(width, max(2.5, 0.28 * len(rows) + 1)))
    if names:
        plt.rcParams["font.sans-serif"] = names + plt.rcParams["font.sans-serif"]
    colors = ["#2e7d32" if v >= 90 else "#f9a825" if v >= 75 else "#ef6c00" if v >= 60
              else "#c62828" for _, v in rows]
    ax.barh(range(len(rows)), [v for _, v in rows], color=colors)
    # names are data, never mathtext: "$\\frac{1}{$" in a name is drawn as typed
    ax.set_yticks(range(len(rows)), labels, fontsize=8, parse_math=False)
    ax.set_xlim(0, 100)
    ax.set_xlabel("score (MQA-style, 0–100)")
    ax.axvline(90, color="#888", lw=0.8, ls="--")
    ax.set_title("部门评分 / Department scores" if names else "Department scores")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


_STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f3f5f7;cursor:pointer}.en{color:#666;font-size:.85em}
.Violation{color:#b71c1c;font-weight:bold}.Warning{color:#e65100}.Info{color:#1565c0}
.ok{color:#2e7d32}.bad{color:#c62828}.num{text-align:right}
"""

_SORT_JS = """
document.querySelectorAll('table.sortable th').forEach(function(th){
 th.addEventListener('click',function(){
  var t=th.closest('table'),b=t.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th);
  var asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
  var rows=Array.prototype.slice.call(b.rows);
  rows.sort(function(x,y){var a=x.cells[i].innerText,c=y.cells[i].innerText;
   var na=parseFloat(a),nc=parseFloat(c);
   if(!isNaN(na)&&!isNaN(nc)){return asc?na-nc:nc-na;}return asc?a.localeCompare(c,'zh'):c.localeCompare(a,'zh');});
  rows.forEach(function(r){b.appendChild(r);});});});
"""


def to_html(result) -> str:
    e = html.escape
    out = ["<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>",
           "<title>目录完整性审计报告 / Catalog audit report</title>",
           f"<style>{_STYLE}</style></head><body>"]
    overall = result.scores.get(None)
    zh, en = rating(overall.score if overall else None)
    scope = (f"部门 {e(result.department)} {e(result.departments.get(result.department, ''))}"
             if result.department else "全部目录 whole catalog")
    out.append("<h1>政务数据目录完整性审计报告 <span class='en'>Catalog completeness audit</span></h1>")
    out.append(f"<p>范围 scope: {scope}；审计日期 as of {result.as_of}；"
               f"违规 Violations <b class='Violation'>{result.count('Violation')}</b>，"
               f"警告 Warnings <b class='Warning'>{result.count('Warning')}</b>，"
               f"提示 Info <b class='Info'>{result.count('Info')}</b>；"
               f"总分 score <b>{overall.score if overall else '—'}</b>（{zh} {en}）</p>")
    # seed figures
    out.append("<h2>考核指标 <span class='en'>Figures against their targets</span></h2>")
    out.append("<table><tr><th>指标 figure</th><th>值 value</th><th>目标 target</th>"
               "<th>分子/分母</th><th>达标 met</th></tr>")
    for f in result.figures.get(None, {}).values():
        met = f.meets_target
        mark = "—" if met is None else ("<span class='ok'>✔ 达标</span>" if met
                                        else "<span class='bad'>✘ 未达标</span>")
        target = "—" if f.target is None else f"≥ {100 * f.target:.0f}%"
        out.append(f"<tr><td>{e(f.zh)} <span class='en'>{e(f.en)}</span></td>"
                   f"<td class='num'>{_pct(f.value)}</td><td>{target}</td>"
                   f"<td class='num'>{f.numerator}/{f.denominator}</td><td>{mark}</td></tr>")
    out.append("</table>")
    # scores
    out.append("<h2>部门评分 <span class='en'>Scores per department</span></h2>")
    png = base64.b64encode(chart_png(result)).decode("ascii")
    out.append(f"<img alt='department scores' src='data:image/png;base64,{png}' "
               "style='max-width:100%'>")
    dims = list(DIMENSIONS)
    out.append("<table class='sortable'><thead><tr><th>部门编码 code</th><th>部门 department</th>"
               "<th>得分 score</th><th>评级 rating</th><th>违规 V</th><th>警告 W</th><th>提示 I</th>"
               + "".join(f"<th>{e(DIMENSIONS[d][0])}<br><span class='en'>{e(DIMENSIONS[d][1])}"
                         "</span></th>" for d in dims) + "</tr></thead><tbody>")
    for code, s in sorted(result.scores.items(), key=lambda t: (t[0] is None, t[0] or "")):
        if code is None:
            continue
        dz, de = rating(s.score)
        ds = s.dimension_scores()
        out.append(f"<tr><td>{e(code)}</td><td>{e(result.departments.get(code, ''))}</td>"
                   f"<td class='num'>{'—' if s.score is None else s.score}</td>"
                   f"<td>{dz} <span class='en'>{de}</span></td>"
                   + "".join(f"<td class='num'>{s.findings.get(k, 0)}</td>"
                             for k in ("Violation", "Warning", "Info"))
                   + "".join(f"<td class='num'>{'—' if ds.get(d) is None else ds[d]}</td>"
                             for d in dims) + "</tr>")
    out.append("</tbody></table>")
    # findings grouped by department and rule
    out.append("<h2>问题清单 <span class='en'>Findings, by department and rule</span></h2>")
    out.append("<p class='en'>点击表头排序 / click a header to sort.</p>")
    by_dept: dict[str, list] = {}
    for f in result.findings:
        by_dept.setdefault(f.department or "—", []).append(f)
    for dept in sorted(by_dept):
        fs = sorted(by_dept[dept], key=lambda f: (f.rule, f.code))
        name = result.departments.get(dept, "") if dept != "—" else "未归属部门 no department"
        out.append(f"<h3>{e(dept)} {e(name or '')}（{len(fs)}）</h3>")
        out.append("<table class='sortable'><thead><tr><th>规则 rule</th><th>级别 severity</th>"
                   "<th>对象 focus</th><th>问题 message</th><th>问题值 value</th>"
                   "<th>整改建议 fix</th><th>依据 source</th></tr></thead><tbody>")
        for f in fs:
            rule = result.rules[f.rule]
            src = "；".join(s["zh"] for s in rule.sources)
            out.append(
                f"<tr><td>{e(f.rule)}</td><td class='{f.severity}'>{f.severity}</td>"
                f"<td>{e(f.focus_ref)}<br>{e(f.label)}</td>"
                f"<td>{e(f.message_zh)}<br><span class='en'>{e(f.message_en)}</span></td>"
                f"<td>{e('；'.join(f.values))}</td>"
                f"<td>{e(f.fix_zh)}<br><span class='en'>{e(f.fix_en)}</span></td>"
                f"<td><span class='en'>{e(src)}</span></td></tr>")
        out.append("</tbody></table>")
    out.append("<h2>评分方法 <span class='en'>How the score is computed</span></h2>")
    out.append("<p>每条规则按严重程度计分（违规 3、警告 2、提示 1）；部门在某规则上的得分 = 权重 ×（1 − 不合格对象数 / "
               "适用对象数）；总分 = 得分之和 / 适用规则权重之和 × 100。<span class='en'>Each rule is worth 3 "
               "(Violation), 2 (Warning) or 1 (Info) points, earned in proportion to the share of its "
               "focus nodes that pass; the score is earned over available points × 100 "
               "(after data.europa.eu's MQA).</span></p>")
    out.append(f"<script>{_SORT_JS}</script></body></html>")
    return "\n".join(out)
