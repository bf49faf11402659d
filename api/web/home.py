"""Home: what the catalog holds (per kind, per load source, the last load), the seed figures
against their targets, and the departments with the most Violations."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter

from api.web.audits import current, visible
from api.web.labels import KIND_ORDER
from api.web.view import PAGE, View, call, render

router = APIRouter()
TOP = 8


def _counts(v: View) -> list[tuple[str, int]]:
    return [(k, v.graph.list(k, first=1).total) for k in KIND_ORDER]


def worst_departments(findings: list, top: int = TOP) -> list[tuple[str, str, int, int]]:
    """(code, name, Violations, all findings) of the departments with the most Violations."""
    viol: Counter[str] = Counter()
    every: Counter[str] = Counter()
    names: dict[str, str] = {}
    for f in findings:
        if f.department:
            names[f.department] = f.department_name or f.department
            every[f.department] += 1
            viol[f.department] += f.severity == "Violation"
    ranked = sorted(every, key=lambda d: (-viol[d], -every[d], d))
    return [(d, names[d], viol[d], every[d]) for d in ranked[:top] if viol[d]]


@router.get("/", include_in_schema=False)
async def home(v: View = PAGE):
    counts = await call(_counts, v)
    store = v.request.app.state.store
    sources = await call(store.sources) if store is not None else []
    result, status = await call(current, v.request, v.graph)
    figures, worst = [], []
    if result is not None:
        figures = list(result.figures.get(None, {}).values())
        worst = worst_departments(visible(v.graph, result))
    last = max((s.loaded_at for s in sources if s.loaded_at), default=None)
    # a source's triple count includes its 涉密 entries: shown only to roles that see them
    return render(v, "home.html", counts=counts, sources=sources, last=last, figures=figures,
                  worst=worst, status=status, result=result, show_triples=v.graph.classified)
