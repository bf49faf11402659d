"""What an audit answers: one :class:`Finding` per rule and focus node, and the
:class:`AuditResult` (the SHACL report, the findings, scores per department and overall, the
seed figures), with its JSON form."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from rdflib import Graph

from shapes.figures import Figure
from shapes.rules import SEVERITY_ORDER, Rule
from shapes.scores import Score

__all__ = ["Finding", "AuditResult"]


@dataclass
class Finding:
    rule: str
    severity: str
    dimension: str
    focus: str  # IRI
    kind: str
    code: str
    label: str
    department: str | None  # department code
    department_name: str | None
    message_zh: str
    message_en: str
    fix_zh: str
    fix_en: str
    values: list[str] = field(default_factory=list)  # offending values, for display
    path: str | None = None

    @property
    def focus_ref(self) -> str:
        return f"{self.kind}:{self.code}"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["focus_ref"] = self.focus_ref
        return d


@dataclass
class AuditResult:
    engine: str
    as_of: dt.date
    department: str | None  # code, when the audit was of one department
    rules: dict[str, Rule]
    findings: list[Finding]
    report: Graph
    scores: dict[str | None, Score]  # department code (None = whole scope) -> score
    figures: dict[str | None, dict[str, Figure]]
    departments: dict[str, str]  # code -> name, of the departments in scope
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def reached(self, level: str) -> bool:
        """True when a finding at ``level`` or more severe exists."""
        need = SEVERITY_ORDER[level.capitalize()]
        return any(SEVERITY_ORDER[f.severity] >= need for f in self.findings)

    def keys(self, *severities: str) -> set[tuple[str, str]]:
        """{(rule, kind:code)} of the findings at the given severities (all when none)."""
        return {(f.rule, f.focus_ref) for f in self.findings
                if not severities or f.severity in severities}

    def turtle(self) -> str:
        return self.report.serialize(format="turtle")

    def as_dict(self) -> dict:
        return {
            "engine": self.engine, "as_of": self.as_of.isoformat(), "department": self.department,
            "conforms": self.conforms, "seconds": round(self.seconds, 3),
            "counts": {s: self.count(s) for s in SEVERITY_ORDER},
            "scores": {k or "_all": v.as_dict() for k, v in self.scores.items()},
            "figures": {k or "_all": {n: f.as_dict() for n, f in v.items()}
                        for k, v in self.figures.items()},
            "departments": self.departments,
            "rules": {k: r.as_dict() for k, r in self.rules.items()},
            "findings": [f.as_dict() for f in self.findings],
        }
