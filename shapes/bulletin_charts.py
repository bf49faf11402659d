"""Small inline SVG charts for the bulletin (no plotting library: the same markup in the browser
and in WeasyPrint's PDF; text in Noto Sans CJK).

- :func:`score_slope` — each department's score last quarter → this quarter (a dot and an arrow
  per department), the largest movers when there are many;
- :func:`rank_bars` — places moved up (green, right) or down (red, left);
- :func:`kpi_bars` — each seed figure last quarter and now against its target;
- :func:`sparkline` — a department's score in two points, for a table cell.

Every label is escaped; sizes are in CSS pixels and the charts scale to their box (viewBox).
"""

from __future__ import annotations

from html import escape

__all__ = ["score_slope", "rank_bars", "kpi_bars", "sparkline", "MAX_ROWS"]

MAX_ROWS = 30  # departments drawn in one chart (the largest movers when there are more)
UP, DOWN, LEVEL, GRID, TEXT = "#2e7d32", "#c62828", "#78909c", "#cfd8dc", "#263238"
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif"


def _color(change: float | None) -> str:
    if change is None or abs(change) < 1e-9:
        return LEVEL
    return UP if change > 0 else DOWN


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
            f'font-family="{escape(FONT)}" class="chart">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _label(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _biggest(departments: list, key) -> list:
    moved = [d for d in departments if key(d) is not None]
    if len(moved) <= MAX_ROWS:
        return moved
    return sorted(moved, key=lambda d: (-abs(key(d)), d.code))[:MAX_ROWS]


def score_slope(departments: list, title: str = "部门得分变化 / Score change") -> str:
    """One row per department (the :data:`MAX_ROWS` largest changes when there are more), by
    score now: a hollow dot at last quarter's score, an arrow to this quarter's."""
    rows = _biggest(departments, lambda d: d.score_change)
    rows.sort(key=lambda d: (-(d.score_now or 0), d.code))
    left, right, top, step = 150, 84, 22, 15
    width = 560
    plot = width - left - right
    height = top + step * max(1, len(rows)) + 20
    def x(v):
        return (left + plot * max(0.0, min(100.0, v)) / 100.0)
    body = []
    for tick in (0, 25, 50, 60, 75, 90, 100):
        body.append(f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" '
                    f'y2="{height - 16}" stroke="{GRID}" stroke-width="0.6"/>')
        body.append(f'<text x="{x(tick):.1f}" y="{top - 9}" font-size="8" fill="{TEXT}" '
                    f'text-anchor="middle">{tick}</text>')
    body.append('<defs>' + ''.join(
        f'<marker id="arr-{n}" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="5" '
        f'markerHeight="5" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="{c}"/></marker>'
        for n, c in (("up", UP), ("down", DOWN))) + '</defs>')
    for i, d in enumerate(rows):
        y = top + step * i + step / 2
        c = _color(d.score_change)
        body.append(f'<text x="{left - 6}" y="{y + 3:.1f}" font-size="9" fill="{TEXT}" '
                    f'text-anchor="end">{escape(_label(d.name or d.code))}</text>')
        a, b = d.score_before, d.score_now
        if abs(d.score_change or 0) > 1e-9:
            marker = "up" if (d.score_change or 0) > 0 else "down"
            body.append(f'<line x1="{x(a):.1f}" y1="{y:.1f}" x2="{x(b):.1f}" y2="{y:.1f}" '
                        f'stroke="{c}" stroke-width="1.6" marker-end="url(#arr-{marker})"/>')
        body.append(f'<circle cx="{x(a):.1f}" cy="{y:.1f}" r="2.6" fill="#fff" stroke="{c}"/>')
        if abs(d.score_change or 0) <= 1e-9:
            body.append(f'<circle cx="{x(b):.1f}" cy="{y:.1f}" r="2.6" fill="{c}"/>')
        change = "±0" if abs(d.score_change or 0) <= 1e-9 else f"{d.score_change:+.1f}"
        body.append(f'<text x="{width - right + 6}" y="{y + 3:.1f}" font-size="9" fill="{c}">'
                    f'{b:.1f} ({change})</text>')
    note = f"（变化最大的 {len(rows)} 个部门 / the {len(rows)} largest changes）" \
        if len(rows) < sum(1 for d in departments if d.score_change is not None) else ""
    body.append(f'<text x="{left}" y="{height - 4}" font-size="8" fill="{LEVEL}">○ 上季度 last '
                f'quarter → ● 本季度 this quarter {escape(note)}</text>')
    return _svg(width, int(height), body, title)


def rank_bars(departments: list, title: str = "排名变化 / Rank change") -> str:
    """Places moved: up to the right (green), down to the left (red); departments that did not
    move are left out."""
    rows = [d for d in _biggest(departments, lambda d: d.rank_change) if d.rank_change]
    rows.sort(key=lambda d: (-(d.rank_change or 0), d.code))
    width, top, step = 560, 10, 15
    height = top + step * max(1, len(rows)) + 8
    mid = width / 2
    most = max([abs(d.rank_change) for d in rows] or [1])
    scale = (mid - 150) / most
    body = [f'<line x1="{mid}" y1="{top - 4}" x2="{mid}" y2="{height - 4}" stroke="{GRID}"/>']
    if not rows:
        body.append(f'<text x="{mid}" y="{top + 8}" font-size="9" fill="{LEVEL}" '
                    f'text-anchor="middle">排名无变化 / no rank changed</text>')
    for i, d in enumerate(rows):
        y = top + step * i
        n = d.rank_change or 0
        w = abs(n) * scale
        c = _color(n)
        x0 = mid if n > 0 else mid - w
        body.append(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{w:.1f}" height="{step - 4}" '
                    f'fill="{c}"/>')
        name = escape(_label(d.name or d.code))
        if n > 0:
            body.append(f'<text x="{mid - 6}" y="{y + 9:.1f}" font-size="9" fill="{TEXT}" '
                        f'text-anchor="end">{name}</text>')
            body.append(f'<text x="{mid + w + 4:.1f}" y="{y + 9:.1f}" font-size="9" '
                        f'fill="{c}">↑{n}（{d.rank_before}→{d.rank_now}）</text>')
        else:
            body.append(f'<text x="{mid + 6}" y="{y + 9:.1f}" font-size="9" fill="{TEXT}">'
                        f'{name}</text>')
            body.append(f'<text x="{mid - w - 4:.1f}" y="{y + 9:.1f}" font-size="9" fill="{c}" '
                        f'text-anchor="end">↓{-n}（{d.rank_before}→{d.rank_now}）</text>')
    return _svg(width, int(height), body, title)


def kpi_bars(kpis: list, title: str = "考核指标 / Seed figures") -> str:
    """Each figure: last quarter (light) and this quarter (dark) as bars, the target as a tick."""
    rows = [k for k in kpis if k.value_now is not None or k.value_before is not None]
    left, width, top, step = 150, 560, 8, 26
    plot = width - left - 70
    height = top + step * max(1, len(rows)) + 4
    body = []
    for i, k in enumerate(rows):
        y = top + step * i
        body.append(f'<text x="{left - 6}" y="{y + 12}" font-size="9" fill="{TEXT}" '
                    f'text-anchor="end">{escape(k.zh)}</text>')
        for j, (v, fill) in enumerate(((k.value_before, "#b0bec5"),
                                       (k.value_now, _color(k.change) if k.change else "#455a64"))):
            if v is None:
                continue
            body.append(f'<rect x="{left}" y="{y + 2 + 9 * j}" width="{plot * v:.1f}" height="8" '
                        f'fill="{fill}"/>')
        if k.target is not None:
            tx = left + plot * k.target
            body.append(f'<line x1="{tx:.1f}" y1="{y}" x2="{tx:.1f}" y2="{y + 21}" '
                        f'stroke="{TEXT}" stroke-width="1.2" stroke-dasharray="2,1"/>')
        now = "—" if k.value_now is None else f"{100 * k.value_now:.1f}%"
        body.append(f'<text x="{left + plot + 6}" y="{y + 17}" font-size="9" '
                    f'fill="{TEXT}">{now}</text>')
    return _svg(width, int(height), body, title)


def sparkline(before: float | None, now: float | None) -> str:
    """A department's score last quarter → now, 64×16, for a table cell."""
    if before is None or now is None:
        return ""
    w, h = 64, 16
    lo, hi = max(0.0, min(before, now) - 10), min(100.0, max(before, now) + 10)
    def y(v):
        return (h - 2 - (h - 4) * (v - lo) / ((hi - lo) or 1.0))
    c = _color(now - before)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
            f'height="{h}" class="spark" aria-hidden="true">'
            f'<line x1="2" y1="{y(before):.1f}" x2="{w - 2}" y2="{y(now):.1f}" stroke="{c}" '
            f'stroke-width="1.5"/><circle cx="2.5" cy="{y(before):.1f}" r="2" fill="#fff" '
            f'stroke="{c}"/><circle cx="{w - 2.5}" cy="{y(now):.1f}" r="2" fill="{c}"/></svg>')
