"""The quarterly 通报 (bulletin): how every department moved since the previous quarter.

Pure computation over two audits — of the catalog at the end of the previous quarter and at the
end of this one (:func:`compare`); :func:`build` runs them on two stores, whatever they are
(``store.as_of(...)`` of one store, or two stores loaded from two file sets).

Per department: score and rank with their change, every seed figure (KPI) against its target
with its change, findings new and fixed (by rule and focus), the re-collections (重复采集)
found, and a count per rule of every rule the audit reports (overdue requests, objections or
whatever else the shapes hold — nothing is special-cased). On top, a district summary:
departments up, down and level, the district score, findings new and fixed, the KPIs.

Identity across quarters: a finding is the pair (rule, focus IRI); a department is its code.
Rank: 1 is the best score; equal scores share a rank (1, 2, 2, 4); a department without a
score (nothing of it audited) has no rank.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from shapes.figures import FIGURES, Figure
from shapes.quarter import Quarter
from shapes.rules import SEVERITY_ORDER, Rule
from shapes.scores import rating

__all__ = ["Bulletin", "DepartmentMove", "KpiMove", "RuleMove", "Summary", "compare", "build",
           "audit_pair",
           "district_name", "RECOLLECTION_RULES", "SEVERITIES"]

RECOLLECTION_RULES = ("ODS-004", "OBS-005")  # 重复采集: declared (catalog) and observed (jobs)
SEVERITIES = tuple(sorted(SEVERITY_ORDER, key=lambda s: -SEVERITY_ORDER[s]))
_DISTRICT = Path(__file__).resolve().parent / "queries" / "district.rq"
_EPS = 1e-9
Visible = Callable[[list], list]  # findings -> the findings a caller may see


@dataclass
class KpiMove:
    key: str
    zh: str
    en: str
    target: float | None
    before: Figure | None
    now: Figure | None

    @property
    def value_before(self) -> float | None:
        return self.before.value if self.before is not None else None

    @property
    def value_now(self) -> float | None:
        return self.now.value if self.now is not None else None

    @property
    def change(self) -> float | None:
        a, b = self.value_before, self.value_now
        return None if a is None or b is None else b - a

    @property
    def meets_now(self) -> bool | None:
        return self.now.meets_target if self.now is not None else None

    @property
    def meets_before(self) -> bool | None:
        return self.before.meets_target if self.before is not None else None


@dataclass
class RuleMove:
    rule: str
    severity: str
    dimension: str
    message_zh: str
    message_en: str
    before: int
    now: int
    new: int
    fixed: int


@dataclass
class DepartmentMove:
    code: str
    name: str
    score_before: float | None
    score_now: float | None
    rank_before: int | None
    rank_now: int | None
    kpis: list[KpiMove]
    new: list = field(default_factory=list)  # shapes.audit.Finding, in the current audit
    fixed: list = field(default_factory=list)  # Finding, in the previous audit
    open: list = field(default_factory=list)  # every finding now
    rules: list[RuleMove] = field(default_factory=list)
    recollections: list = field(default_factory=list)  # re-collection findings now
    counts_before: dict[str, int] = field(default_factory=dict)  # severity -> findings
    counts_now: dict[str, int] = field(default_factory=dict)
    present_before: bool = True
    present_now: bool = True

    @property
    def score_change(self) -> float | None:
        a, b = self.score_before, self.score_now
        return None if a is None or b is None else round(b - a, 1)

    @property
    def rank_change(self) -> int | None:
        """Places moved up (positive) or down (negative)."""
        a, b = self.rank_before, self.rank_now
        return None if a is None or b is None else a - b

    @property
    def movement(self) -> str:
        """up, down, level, new (no score before) or gone (no score now)."""
        if self.score_now is None:
            return "gone"
        if self.score_before is None:
            return "new"
        d = self.score_change or 0.0
        return "up" if d > _EPS else "down" if d < -_EPS else "level"

    @property
    def rating_before(self) -> tuple[str, str]:
        return rating(self.score_before)

    @property
    def rating_now(self) -> tuple[str, str]:
        return rating(self.score_now)

    @property
    def recollections_new(self) -> list:
        keys = {(f.rule, f.focus) for f in self.new}
        return [f for f in self.recollections if (f.rule, f.focus) in keys]

    def kpis_missed(self) -> list[KpiMove]:
        return [k for k in self.kpis if k.meets_now is False]


@dataclass
class Summary:
    departments: int
    up: int
    down: int
    level: int
    entered: int  # departments with a score now but none before
    left: int
    score_before: float | None
    score_now: float | None
    counts_before: dict[str, int]
    counts_now: dict[str, int]
    new: dict[str, int]  # severity -> new findings
    fixed: dict[str, int]
    recollections_before: int
    recollections_now: int
    kpis: list[KpiMove]

    @property
    def score_change(self) -> float | None:
        a, b = self.score_before, self.score_now
        return None if a is None or b is None else round(b - a, 1)


@dataclass
class Bulletin:
    quarter: Quarter
    previous: Quarter
    district: str
    summary: Summary
    departments: list[DepartmentMove]  # by rank now (unranked last), then code
    rules: dict[str, Rule]
    as_of_before: dt.date
    as_of_now: dt.date
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def department(self, code: str) -> DepartmentMove:
        for d in self.departments:
            if d.code == code:
                return d
        raise KeyError(code)

    def movers(self) -> dict[str, list[str]]:
        """Department codes by movement (up, down, level, new, gone)."""
        out: dict[str, list[str]] = {k: [] for k in ("up", "down", "level", "new", "gone")}
        for d in self.departments:
            out[d.movement].append(d.code)
        return {k: sorted(v) for k, v in out.items()}

    def as_dict(self) -> dict:
        def finding(f) -> dict:
            return {"rule": f.rule, "severity": f.severity, "focus_ref": f.focus_ref,
                    "label": f.label, "message_zh": f.message_zh, "message_en": f.message_en}

        def kpi(k: KpiMove) -> dict:
            return {"key": k.key, "zh": k.zh, "en": k.en, "target": k.target,
                    "before": k.value_before, "now": k.value_now, "change": k.change,
                    "meets_now": k.meets_now}

        s = self.summary
        return {
            "quarter": self.quarter.label, "previous": self.previous.label,
            "district": self.district, "as_of_before": self.as_of_before.isoformat(),
            "as_of_now": self.as_of_now.isoformat(),
            "summary": {"departments": s.departments, "up": s.up, "down": s.down,
                        "level": s.level, "entered": s.entered, "left": s.left,
                        "score_before": s.score_before, "score_now": s.score_now,
                        "score_change": s.score_change, "counts_before": s.counts_before,
                        "counts_now": s.counts_now, "new": s.new, "fixed": s.fixed,
                        "recollections_before": s.recollections_before,
                        "recollections_now": s.recollections_now,
                        "kpis": [kpi(k) for k in s.kpis]},
            "departments": [{
                "code": d.code, "name": d.name, "movement": d.movement,
                "score_before": d.score_before, "score_now": d.score_now,
                "score_change": d.score_change, "rank_before": d.rank_before,
                "rank_now": d.rank_now, "rank_change": d.rank_change,
                "kpis": [kpi(k) for k in d.kpis],
                "new": [finding(f) for f in d.new], "fixed": [finding(f) for f in d.fixed],
                "recollections": [finding(f) for f in d.recollections],
                "rules": [r.__dict__ for r in d.rules],
            } for d in self.departments],
        }


# -- computation ----------------------------------------------------------------------------
def ranks(scores: dict[str, float | None]) -> dict[str, int]:
    """Competition ranking by score, best first (1, 2, 2, 4); no rank without a score."""
    ordered = sorted((s, c) for c, s in scores.items() if s is not None)
    ordered.sort(key=lambda t: -t[0])
    out: dict[str, int] = {}
    for i, (s, c) in enumerate(ordered):
        out[c] = out[ordered[i - 1][1]] if i and abs(ordered[i - 1][0] - s) < _EPS else i + 1
    return out


def _kpis(before: dict[str, Figure] | None, now: dict[str, Figure] | None) -> list[KpiMove]:
    before, now = before or {}, now or {}
    return [KpiMove(key, zh, en, target, before.get(key), now.get(key))
            for key, zh, en, target in FIGURES]


def _counts(findings) -> dict[str, int]:
    c = Counter(f.severity for f in findings)
    return {s: c.get(s, 0) for s in SEVERITIES}


def _by_key(findings) -> dict[tuple[str, str], object]:
    return {(f.rule, f.focus): f for f in findings}


def _order(findings) -> list:
    return sorted(findings, key=lambda f: (-SEVERITY_ORDER.get(f.severity, 0), f.rule, f.kind,
                                           f.code))


def _rule_moves(rules: dict[str, Rule], before: list, now: list, new: list,
                fixed: list) -> list[RuleMove]:
    cb, cn = Counter(f.rule for f in before), Counter(f.rule for f in now)
    cnew, cfix = Counter(f.rule for f in new), Counter(f.rule for f in fixed)
    out = []
    for rid in sorted(set(cb) | set(cn)):
        r = rules.get(rid)
        out.append(RuleMove(rid, r.severity if r else "", r.dimension if r else "",
                            r.message_zh if r else "", r.message_en if r else "",
                            cb[rid], cn[rid], cnew[rid], cfix[rid]))
    out.sort(key=lambda m: (-SEVERITY_ORDER.get(m.severity, 0), m.rule))
    return out


def compare(before, now, quarter: Quarter, *, district: str = "",
            previous: Quarter | None = None, visible_before: Visible | None = None,
            visible_now: Visible | None = None) -> Bulletin:
    """The bulletin from the audit at the end of the previous quarter (``before``) and at the
    end of ``quarter`` (``now``), both :class:`shapes.audit.AuditResult` of the whole catalog.

    ``visible_before`` / ``visible_now`` give the findings of each audit a caller may see (the
    web page's access policy): everything listed or counted comes from them; scores, ranks and
    figures are the audit's, as on the dashboard."""
    previous = previous or quarter.previous()
    findings_b = visible_before(before.findings) if visible_before else before.findings
    findings_n = visible_now(now.findings) if visible_now else now.findings
    rules = {**before.rules, **now.rules}
    score_b = {c: s.score for c, s in before.scores.items() if c is not None}
    score_n = {c: s.score for c, s in now.scores.items() if c is not None}
    rank_b, rank_n = ranks(score_b), ranks(score_n)
    kb, kn = _by_key(findings_b), _by_key(findings_n)
    new_keys, fixed_keys = kn.keys() - kb.keys(), kb.keys() - kn.keys()

    per_b: dict[str | None, list] = {}
    per_n: dict[str | None, list] = {}
    for f in findings_b:
        per_b.setdefault(f.department, []).append(f)
    for f in findings_n:
        per_n.setdefault(f.department, []).append(f)

    names = {**before.departments, **now.departments}
    moves = []
    for code in sorted(set(before.departments) | set(now.departments)):
        fb, fn = per_b.get(code, []), per_n.get(code, [])
        new = _order(f for f in fn if (f.rule, f.focus) in new_keys)
        fixed = _order(f for f in fb if (f.rule, f.focus) in fixed_keys)
        moves.append(DepartmentMove(
            code=code, name=names.get(code, ""), score_before=score_b.get(code),
            score_now=score_n.get(code), rank_before=rank_b.get(code), rank_now=rank_n.get(code),
            kpis=_kpis(before.figures.get(code), now.figures.get(code)),
            new=new, fixed=fixed, open=_order(fn), rules=_rule_moves(rules, fb, fn, new, fixed),
            recollections=_order(f for f in fn if f.rule in RECOLLECTION_RULES),
            counts_before=_counts(fb), counts_now=_counts(fn),
            present_before=code in before.departments, present_now=code in now.departments))
    moves.sort(key=lambda d: (d.rank_now is None, d.rank_now or 0, d.code))

    movement = Counter(d.movement for d in moves)
    new_all = [kn[k] for k in new_keys]
    fixed_all = [kb[k] for k in fixed_keys]
    ob, on = before.scores.get(None), now.scores.get(None)
    summary = Summary(
        departments=len(moves), up=movement["up"], down=movement["down"],
        level=movement["level"], entered=movement["new"], left=movement["gone"],
        score_before=ob.score if ob else None, score_now=on.score if on else None,
        counts_before=_counts(findings_b), counts_now=_counts(findings_n),
        new=_counts(new_all), fixed=_counts(fixed_all),
        recollections_before=sum(1 for f in findings_b if f.rule in RECOLLECTION_RULES),
        recollections_now=sum(1 for f in findings_n if f.rule in RECOLLECTION_RULES),
        kpis=_kpis(before.figures.get(None), now.figures.get(None)))
    return Bulletin(quarter, previous, district, summary, moves, rules, before.as_of, now.as_of)


def district_name(store) -> str:
    """The district's name from the catalog: the top department with the most departments under
    it, without 人民政府 (江州市云溪区人民政府 -> 江州市云溪区); empty when there is none."""
    rows = store.query(_DISTRICT.read_text(encoding="utf-8"))
    for sol in rows:
        name = sol["name"].value
        for suffix in ("人民政府", "政府"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return name
    return ""


def audit_pair(before_store, now_store, quarter: Quarter, *, pending_days: int | None = None,
               parallel: bool = True) -> tuple:
    """(audit at the end of the previous quarter, audit at the end of ``quarter``, their
    seconds): each store audited as of its quarter's last day.

    An audit of a catalog as of a date is reused when it was computed before
    (:mod:`shapes.audit_cache`: the previous quarter's bulletin audited the end of that quarter).
    With ``parallel`` the two audits run on two threads: Oxigraph releases the GIL while it
    evaluates a query or serialises a result, which is most of an audit
    (benchmarks/bench_bulletin.py measures both ways)."""
    from concurrent.futures import ThreadPoolExecutor

    from shapes.audit_cache import audit_as_of

    jobs = ((before_store, quarter.previous().end), (now_store, quarter.end))

    def run(job):
        store, day = job
        t = time.perf_counter()
        return (audit_as_of(store, as_of=day, pending_days=pending_days),
                time.perf_counter() - t)

    if parallel:
        with ThreadPoolExecutor(2) as pool:
            (before, tb), (now, tn) = pool.map(run, jobs)
    else:
        (before, tb), (now, tn) = map(run, jobs)
    return before, now, (tb, tn)


def build(before_store, now_store, quarter: Quarter, *, district: str | None = None,
          pending_days: int | None = None, parallel: bool = True) -> Bulletin:
    """Audit the catalog at the end of the previous quarter (``before_store``) and at the end of
    ``quarter`` (``now_store``) — :func:`audit_pair` — and compare them."""
    t0 = time.perf_counter()
    before, now, (tb, tn) = audit_pair(before_store, now_store, quarter,
                                       pending_days=pending_days, parallel=parallel)
    t2 = time.perf_counter()
    name = district if district is not None else (district_name(now_store)
                                                  or district_name(before_store))
    b = compare(before, now, quarter, district=name)
    b.timings = {"audit_before": tb, "audit_now": tn, "audits": t2 - t0,
                 "compare": time.perf_counter() - t2}
    b.seconds = time.perf_counter() - t0
    return b
