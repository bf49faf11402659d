"""The sharing KPIs computed from recorded workflow steps, as of any date (issue 13).

Definitions (the seeds: "数据按需共享率达到95%以上，分钟级数据共享需求满足率达到90%以上"; "建立处理
数据异议的标准规范和处置机制"). The as-of date A counts up to the end of A, Beijing time; only steps
recorded by then count, so a request still pending on A counts as pending. Each figure counts for
the department that must answer (the providing department), and overall.

- 按需共享率 (``on_demand_sharing``): applications filed by A and not withdrawn by A whose state
  on A is 同意共享 or 有条件同意 (also after 协调), over those applications. Target ≥ 95%.
- 分钟级需求满足率 (``satisfied_within_minute``): the same applications that were approved (同意 or
  有条件同意) within 60 s of being filed, by A, over those applications. Target ≥ 90%.
- 一日内答复率 (``answered_within_day``): the same applications whose providing department replied
  (同意, 有条件同意 or 不予共享) within 24 h of filing, by A, over those applications. No target.
- 异议按时处置率 (``objections_on_time``): objections raised by A and not withdrawn by A that the
  provider handled (更正 or 说明理由不予更正) by A and no later than their due date (the objection
  limit in working days from the day raised), over those objections. Target 100%.

Two engines give the same counts (a test holds them to it): ``index`` (default) counts over the
in-memory index of the recorded steps (:mod:`graph.workflow_index`, rebuilt when the workflow
source changed, extended in place by the writers); ``sparql`` runs one SPARQL query
(``workflow_kpi_cases.rq``) folding the steps into one row per case and counts those rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from pyoxigraph import Literal, NamedNode

from graph.model import Share
from graph.workflow_deadlines import DEFAULT_LIMITS, Limits
from graph.workflow_index import STATE_CODES, Columns, with_columns
from graph.working_days import CalendarRangeError, add_working_days, covered_years
from ontology.namespaces import YS, sparql_prefixes

__all__ = ["Kpi", "KPIS", "sharing_kpis"]

_QUERY = Path(__file__).resolve().parent / "queries" / "workflow_kpi_cases.rq"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_BEIJING = dt.timezone(dt.timedelta(hours=8))
_REQUEST, _OBJECTION = YS + "WorkflowRequest", YS + "DataObjection"
_SATISFIED = {"APPROVED", "CONDITIONAL"}

# key, zh, en, target
KPIS: list[tuple[str, str, str, float | None]] = [
    ("on_demand_sharing", "按需共享率", "on-demand sharing rate", 0.95),
    ("satisfied_within_minute", "分钟级需求满足率", "requests satisfied within a minute", 0.90),
    ("answered_within_day", "一日内答复率", "requests answered within a day", None),
    ("objections_on_time", "异议按时处置率", "objections handled on time", 1.0),
]


@dataclass
class Kpi(Share):
    key: str
    zh: str
    en: str
    numerator: int
    denominator: int
    pending: int  # cases of the denominator still waiting on the as-of date
    target: float | None


@lru_cache(maxsize=1)
def _query() -> str:
    return sparql_prefixes() + _QUERY.read_text(encoding="utf-8")


@lru_cache(maxsize=4096)
def _due(day: dt.date, n: int) -> dt.date | None:
    try:
        return add_working_days(day, n)
    except CalendarRangeError:
        return None  # beyond the official calendar's years


def _on_time(raised: dt.date, done: dt.date, n: int) -> bool:
    """Handled on ``done`` no later than the due day of an objection raised on ``raised``. A due
    day beyond the calendar data's last year is later than any day inside it; a handling day
    beyond it cannot be judged and does not count as on time."""
    due = _due(raised, n)
    if due is not None:
        return done <= due
    return done.year <= covered_years()[1]


def _instant(text: str) -> dt.datetime | None:
    return None if text == "~" else dt.datetime.fromisoformat(text)


@dataclass(frozen=True)
class _Row:
    """One case as of the date: what the counting needs."""
    kind: str  # request | objection
    provider: str
    filed: dt.datetime
    state: str
    satisfied: dt.datetime | None
    answered: dt.datetime | None
    handled: dt.datetime | None




def _rows_sparql(store, end: dt.datetime) -> list[_Row]:
    end_lit = Literal(end.isoformat(), datatype=NamedNode(_XSD + "dateTime"))
    return [_Row("request" if str(r["kind"]) == _REQUEST else "objection", str(r["provider"]),
                 dt.datetime.fromisoformat(str(r["filed"])), str(r["last"]).split("|", 1)[1],
                 _instant(str(r["satisfied"])), _instant(str(r["answered"])),
                 _instant(str(r["handled"])))
            for r in store.select(_query(), asOfEnd=end_lit)]


def _counts_index(cols: Columns, end: dt.datetime, limits: Limits
                  ) -> dict[str | None, dict[str, list[int]]]:
    """The counts from the columnar index, vectorised: the state of every case on the date is
    the state of its highest-numbered step recorded by then."""
    a = cols.arrays()
    n = len(a["kind"])
    end_ts = end.timestamp()
    best = np.full(n, -1, dtype=np.int64)
    m = a["step_at"] < end_ts
    np.maximum.at(best, a["step_case"][m], a["step_key"][m])
    filed = best >= 0
    state = np.where(filed, best & 31, -1)

    def code(*names: str) -> np.ndarray:
        return np.isin(state, [STATE_CODES[x] for x in names])

    live = filed & ~code("WITHDRAWN")
    req = live & (a["kind"] == 0)
    obj = live & (a["kind"] == 1)
    satisfied = code(*_SATISFIED)
    pending_req = req & ~satisfied & ~code("REFUSED", "CLOSED")
    within_minute = (a["satisfied"] < end_ts) & (a["satisfied"] - a["filed"] <= 60)
    within_day = (a["answered"] < end_ts) & (a["answered"] - a["filed"] <= 86400)
    handled = a["handled"] < end_ts
    on_time = np.zeros(n, dtype=bool)
    for row in np.flatnonzero(obj & handled):
        done = dt.datetime.fromtimestamp(a["handled"][row], _BEIJING).date()
        on_time[row] = _on_time(cols.filed_day[row], done, limits.objection)
    figures = {"on_demand_sharing": (req, req & satisfied, pending_req),
               "satisfied_within_minute": (req, req & within_minute, pending_req),
               "answered_within_day": (req, req & within_day, pending_req),
               "objections_on_time": (obj, obj & on_time, obj & ~handled)}
    prov = a["provider"]
    k = len(cols.providers)
    out: dict[str | None, dict[str, list[int]]] = {None: {}}
    per: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for key, (den, num, pend) in figures.items():
        out[None][key] = [int(num.sum()), int(den.sum()), int(pend.sum())]
        per[key] = tuple(np.bincount(prov[x], minlength=k) for x in (num, den, pend))
    for pid, iri in enumerate(cols.providers):
        if any(per[key][1][pid] for key in per):
            out[iri] = {key: [int(per[key][j][pid]) for j in range(3)] for key in per}
    return out


def sharing_kpis(store, as_of: dt.date, limits: Limits = DEFAULT_LIMITS,
                 engine: str = "index") -> dict[str | None, dict[str, Kpi]]:
    """The KPIs per providing department IRI, and overall under ``None``, as of ``as_of``."""
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(0, 0), _BEIJING)
    if engine == "index":
        got = with_columns(store, lambda cols: _counts_index(cols, end, limits))
        return {d: {k: Kpi(k, zh, en, *c[k], t) for k, zh, en, t in KPIS}
                for d, c in got.items()}
    if engine != "sparql":
        raise ValueError(f"未知的指标引擎 {engine!r} / unknown engine {engine!r}: index, sparql")
    rows = _rows_sparql(store, end)
    counts: dict[str | None, dict[str, list[int]]] = defaultdict(
        lambda: {k: [0, 0, 0] for k, *_ in KPIS})

    def add(dept: str, key: str, hit: bool, pending: bool) -> None:
        for d in (None, dept):
            c = counts[d][key]
            c[0] += int(hit)
            c[1] += 1
            c[2] += int(pending)

    counts[None]  # the overall row exists even with no cases
    for r in rows:
        if r.state == "WITHDRAWN":
            continue
        if r.kind == "request":
            pending = r.state not in _SATISFIED and r.state not in ("REFUSED", "CLOSED")
            add(r.provider, "on_demand_sharing", r.state in _SATISFIED, pending)
            add(r.provider, "satisfied_within_minute", r.satisfied is not None
                and (r.satisfied - r.filed).total_seconds() <= 60, pending)
            add(r.provider, "answered_within_day", r.answered is not None
                and (r.answered - r.filed).total_seconds() <= 86400, pending)
        else:
            on_time = r.handled is not None and _on_time(
                r.filed.astimezone(_BEIJING).date(), r.handled.astimezone(_BEIJING).date(),
                limits.objection)
            add(r.provider, "objections_on_time", on_time, r.handled is None)
    return {d: {k: Kpi(k, zh, en, *c[k], t) for k, zh, en, t in KPIS}
            for d, c in counts.items()}
