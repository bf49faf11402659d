"""The shapes graph and the rule catalogue read from it.

Every rule-bearing shape in ``shapes/*.ttl`` carries ``ys:ruleId``, ``sh:severity``,
``sh:message`` (@zh, @en), ``ys:fixHint`` (@zh, @en), ``ys:dimension`` and ``dcterms:source``.
Time-based shapes get their cutoff (as-of minus a number of days) bound here as a typed literal
in the shapes graph, from where the SHACL processor pre-binds it into the SPARQL validator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDFS, XSD, Graph, Literal, Namespace

__all__ = [
    "SHAPES_DIR", "SH", "YS", "YSS", "DCTERMS", "Rule", "load_shapes", "rule_catalogue",
    "SEVERITY_ORDER", "severity_name", "BEIJING", "shape_text",
]

SHAPES_DIR = Path(__file__).resolve().parent
SH = Namespace("http://www.w3.org/ns/shacl#")
YS = Namespace("https://w3id.org/yishu/def#")
YSS = Namespace("https://w3id.org/yishu/shapes#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
BEIJING = dt.timezone(dt.timedelta(hours=8))

SEVERITY_ORDER = {"Violation": 3, "Warning": 2, "Info": 1}


def severity_name(iri: str) -> str:
    return str(iri).rsplit("#", 1)[-1]


@dataclass
class Rule:
    id: str
    severity: str  # Violation | Warning | Info
    dimension: str
    shapes: list[str] = field(default_factory=list)  # shape IRIs carrying the id
    message_zh: str = ""
    message_en: str = ""
    fix_zh: str = ""
    fix_en: str = ""
    sources: list[dict[str, str]] = field(default_factory=list)  # {iri, zh, en}
    value_paths: list[str] = field(default_factory=list)
    weight: int = 1

    def as_dict(self) -> dict:
        return {
            "id": self.id, "severity": self.severity, "dimension": self.dimension,
            "message_zh": self.message_zh, "message_en": self.message_en,
            "fix_zh": self.fix_zh, "fix_en": self.fix_en, "sources": self.sources,
            "weight": self.weight,
        }


# Weights of the score (see docs/audits.md): a rule's points are its weight times the share
# of its focus nodes that pass.
WEIGHTS = {"Violation": 3, "Warning": 2, "Info": 1}


def shape_text(g: Graph, s, p, lang: str) -> str:
    """The ``lang`` literal of ``s p``, else its plain literal, else ""."""
    for o in g.objects(s, p):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    for o in g.objects(s, p):
        if isinstance(o, Literal) and o.language is None:
            return str(o)
    return ""


def _as_date(as_of: dt.date | str | None) -> dt.date:
    if as_of is None:
        return dt.datetime.now(BEIJING).date()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    return dt.date.fromisoformat(str(as_of))


def _working_day_cutoffs(g: Graph, day: dt.date, limits) -> None:
    """Bind the WFL cutoffs: the end of the as-of day, and per waiting state the instant before
    which a step entering it is past its limit on ``day`` (working days, official calendar)."""
    from graph.workflow_deadlines import deployment_limits, overdue_entered_by
    from graph.working_days import CalendarRangeError

    lim = limits or deployment_limits()

    def instant(d: dt.date) -> Literal:
        return Literal(dt.datetime.combine(d, dt.time(0, 0), BEIJING).isoformat(),
                       datatype=XSD.dateTime)

    for shape, which in list(g.subject_objects(YS.workingDayLimits)):
        names = (("reviewCutoff", lim.review), ("replyCutoff", lim.reply),
                 ("coordinateCutoff", lim.coordinate)) if str(which) == "request" else (
                 ("objectionCutoff", lim.objection),)
        try:
            cutoffs = [(YS[n], instant(overdue_entered_by(day, k) + dt.timedelta(days=1)))
                       for n, k in names]
        except CalendarRangeError:
            continue  # outside the official calendar's years: no working-day finding, no guess
        g.set((shape, YS.asOfEnd, instant(day + dt.timedelta(days=1))))
        for p, v in cutoffs:
            g.set((shape, p, v))


def load_shapes(as_of: dt.date | str | None = None, *, pending_days: int | None = None,
                max_maintenance_age_days: int | None = None,
                directory: Path | None = None, limits=None) -> Graph:
    """All ``*.ttl`` of ``shapes/`` in one graph, with the time-based cutoffs bound.

    ``as_of`` (default: today in Beijing) is the audit date; a request pending since before
    ``as_of - pending_days`` (00:00 Beijing time) is overdue; a system last maintained before
    ``as_of - max_maintenance_age_days`` is stale. Day counts default to the shapes' own
    ``ys:pendingDays`` / ``ys:maxMaintenanceAgeDays``. Shapes marked ``ys:workingDayLimits``
    (WFL-001/002) get working-day cutoffs from ``limits`` (default: the deployment's limits
    file, :func:`graph.workflow_deadlines.deployment_limits`).
    """
    g = Graph()
    for f in sorted((directory or SHAPES_DIR).glob("*.ttl")):
        g.parse(f, format="turtle")
    day = _as_date(as_of)
    for shape, days in list(g.subject_objects(YS.pendingDays)):
        n = pending_days if pending_days is not None else int(days)
        cutoff = dt.datetime.combine(day - dt.timedelta(days=n), dt.time(0, 0), BEIJING)
        g.set((shape, YS.pendingCutoff, Literal(cutoff.isoformat(), datatype=XSD.dateTime)))
    for shape, days in list(g.subject_objects(YS.maxMaintenanceAgeDays)):
        n = max_maintenance_age_days if max_maintenance_age_days is not None else int(days)
        cutoff_day = day - dt.timedelta(days=n)
        g.set((shape, YS.maintenanceCutoff, Literal(cutoff_day.isoformat(), datatype=XSD.date)))
    for shape, days in list(g.subject_objects(YS.maxUncalledDays)):
        g.set((shape, YS.usageCutoff,
               Literal((day - dt.timedelta(days=int(days))).isoformat(), datatype=XSD.date)))
        g.set((shape, YS.usageAsOf, Literal(day.isoformat(), datatype=XSD.date)))
    for shape, days in list(g.subject_objects(YS.maxUnobservedDays)):
        cutoff = dt.datetime.combine(day - dt.timedelta(days=int(days)), dt.time(0, 0), BEIJING)
        g.set((shape, YS.observedCutoff, Literal(cutoff.isoformat(), datatype=XSD.dateTime)))
    _working_day_cutoffs(g, day, limits)
    return g


def rule_catalogue(shapes: Graph) -> dict[str, Rule]:
    """Rule id -> Rule, read from the shapes graph (sorted by id)."""
    rules: dict[str, Rule] = {}
    for shape, rid in sorted(shapes.subject_objects(YS.ruleId), key=lambda t: (str(t[1]), str(t[0]))):
        rid = str(rid)
        sev = severity_name(shapes.value(shape, SH.severity) or SH.Violation)
        r = rules.get(rid)
        if r is None:
            r = rules[rid] = Rule(rid, sev, str(shapes.value(shape, YS.dimension) or ""),
                                  weight=WEIGHTS[sev])
            r.message_zh = shape_text(shapes, shape, SH.message, "zh")
            r.message_en = shape_text(shapes, shape, SH.message, "en")
            r.fix_zh = shape_text(shapes, shape, YS.fixHint, "zh")
            r.fix_en = shape_text(shapes, shape, YS.fixHint, "en")
        elif SEVERITY_ORDER[sev] != SEVERITY_ORDER[r.severity]:
            raise ValueError(f"rule {rid}: shapes disagree on severity")
        r.shapes.append(str(shape))
        for src in sorted(shapes.objects(shape, DCTERMS.source), key=str):
            entry = {"iri": str(src), "zh": shape_text(shapes, src, RDFS.label, "zh"),
                     "en": shape_text(shapes, src, RDFS.label, "en")}
            if entry not in r.sources:
                r.sources.append(entry)
        for vp in shapes.objects(shape, YS.valuePath):
            if str(vp) not in r.value_paths:
                r.value_paths.append(str(vp))
    return dict(sorted(rules.items()))


def shape_rule_map(shapes: Graph) -> dict[str, str]:
    return {str(s): str(r) for s, r in shapes.subject_objects(YS.ruleId)}


__all__ += ["shape_rule_map", "shape_text", "WEIGHTS"]
