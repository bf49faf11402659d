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

One SPARQL query (``workflow_kpi_cases.rq``) folds the steps into one row per case; the rest is
counting in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from graph.workflow_deadlines import DEFAULT_LIMITS, Limits
from graph.working_days import add_working_days
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
class Kpi:
    key: str
    zh: str
    en: str
    numerator: int
    denominator: int
    pending: int  # cases of the denominator still waiting on the as-of date
    target: float | None

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def meets_target(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target - 1e-12


@lru_cache(maxsize=1)
def _query() -> str:
    return sparql_prefixes() + _QUERY.read_text(encoding="utf-8")


@lru_cache(maxsize=4096)
def _due(day: dt.date, n: int) -> dt.date:
    return add_working_days(day, n)


def _instant(text: str) -> dt.datetime | None:
    return None if text == "~" else dt.datetime.fromisoformat(text)


def sharing_kpis(store, as_of: dt.date, limits: Limits = DEFAULT_LIMITS
                 ) -> dict[str | None, dict[str, Kpi]]:
    """The KPIs per providing department IRI, and overall under ``None``, as of ``as_of``."""
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(0, 0), _BEIJING)
    end_lit = Literal(end.isoformat(), datatype=NamedNode(_XSD + "dateTime"))
    counts: dict[str | None, dict[str, list[int]]] = defaultdict(
        lambda: {k: [0, 0, 0] for k, *_ in KPIS})

    def add(dept: str, key: str, hit: bool, pending: bool) -> None:
        for d in (None, dept):
            c = counts[d][key]
            c[0] += int(hit)
            c[1] += 1
            c[2] += int(pending)

    counts[None]  # the overall row exists even with no cases
    for r in store.select(_query(), asOfEnd=end_lit):
        state = str(r["last"]).split("|", 1)[1]
        if state == "WITHDRAWN":
            continue
        dept, filed = str(r["provider"]), dt.datetime.fromisoformat(str(r["filed"]))
        if str(r["kind"]) == _REQUEST:
            pending = state not in _SATISFIED and state not in ("REFUSED", "CLOSED")
            sat, ans = _instant(str(r["satisfied"])), _instant(str(r["answered"]))
            add(dept, "on_demand_sharing", state in _SATISFIED, pending)
            add(dept, "satisfied_within_minute",
                sat is not None and (sat - filed).total_seconds() <= 60, pending)
            add(dept, "answered_within_day",
                ans is not None and (ans - filed).total_seconds() <= 86400, pending)
        else:
            handled = _instant(str(r["handled"]))
            on_time = handled is not None and (
                handled.astimezone(_BEIJING).date()
                <= _due(filed.astimezone(_BEIJING).date(), limits.objection))
            add(dept, "objections_on_time", on_time, handled is None)
    return {d: {k: Kpi(k, zh, en, *c[k], t) for k, zh, en, t in KPIS}
            for d, c in counts.items()}
