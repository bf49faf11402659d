"""Scores per department and overall: coverage, minus a visible cost per finding.

1. **Coverage** (in the spirit of data.europa.eu's MQA): every rule is an indicator worth
   ``weight`` points (Violation 3, Warning 2, Info 1); a scope earns, per rule,
   ``weight × (1 − failing focus nodes / focus nodes)``; coverage is earned / available × 100
   over the rules with at least one focus node in the scope.
2. **Deductions**: every finding costs :data:`DEDUCTION` points — a Violation 10, a Warning 3, an
   Info 1 — counting at most :data:`PER_RULE_CAP` findings of one rule per department (one
   systemic mistake does not zero a department, several different ones add up). For a scope of
   *N* departments the deductions are divided by *N*: the catalog's score is then the average
   cost per department, and a one-department audit scores exactly as that department does in
   the whole audit.
3. score = max(0, coverage − deductions), rounded to 0.1; the same per dimension.

So a department with one Violation scores below 90 and cannot be 优秀; two Violations put it
below 80, four below 60 (差). Ratings: 优秀 Excellent ≥ 90, 良好 Good ≥ 75, 合格 Sufficient ≥ 60,
差 Bad below. Worked example: docs/audits.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

__all__ = ["Score", "compute_scores", "rating", "DIMENSIONS", "DEDUCTION", "PER_RULE_CAP"]

DEDUCTION = {"Violation": 10.0, "Warning": 3.0, "Info": 1.0}
PER_RULE_CAP = 3  # findings of one rule counted per department

DIMENSIONS = {
    "catalog": ("目录核心元数据", "catalog core metadata"),
    "sharing": ("共享属性", "sharing rules"),
    "security": ("分类分级与涉密", "classification and secrets"),
    "organisation": ("组织与职责人", "organisation"),
    "systems": ("信息系统", "information systems"),
    "one-source": ("一数一源", "one data, one source"),
    "lineage": ("血缘完整性", "lineage integrity"),
    "supply-demand": ("供需对接", "supply and demand"),
    "responsibilities": ("职责事项", "responsibilities"),
}


def rating(score: float | None) -> tuple[str, str]:
    if score is None:
        return ("—", "—")
    if score >= 90:
        return ("优秀", "Excellent")
    if score >= 75:
        return ("良好", "Good")
    if score >= 60:
        return ("合格", "Sufficient")
    return ("差", "Bad")


@dataclass
class Score:
    earned: float = 0.0
    available: float = 0.0
    by_dimension: dict[str, list[float]] = field(default_factory=dict)  # dim -> [earned, avail]
    by_rule: dict[str, tuple[int, int]] = field(default_factory=dict)  # rule -> (failing, focus)
    findings: dict[str, int] = field(default_factory=dict)  # severity -> count
    deduction: float = 0.0  # points taken off for findings (already divided by departments)
    deduction_by_dimension: dict[str, float] = field(default_factory=dict)

    @property
    def coverage(self) -> float | None:
        return round(100 * self.earned / self.available, 1) if self.available else None

    @property
    def score(self) -> float | None:
        if not self.available:
            return None
        return round(max(0.0, 100 * self.earned / self.available - self.deduction), 1)

    def dimension_scores(self) -> dict[str, float | None]:
        return {d: (round(max(0.0, 100 * e / a - self.deduction_by_dimension.get(d, 0.0)), 1)
                    if a else None)
                for d, (e, a) in sorted(self.by_dimension.items())}

    def as_dict(self) -> dict:
        zh, en = rating(self.score)
        return {"score": self.score, "rating_zh": zh, "rating_en": en,
                "coverage": self.coverage, "deduction": round(self.deduction, 2),
                "earned": round(self.earned, 3), "available": self.available,
                "dimensions": self.dimension_scores(),
                "rules": {k: {"failing": f, "focus": n} for k, (f, n) in self.by_rule.items()},
                "findings": self.findings}


def compute_scores(rules, findings, focus_by_rule: dict[str, set[str]],
                   dept_of: dict[str, str], dept_codes: dict[str, str]) -> dict[str | None, Score]:
    """Scores keyed by department code, and under ``None`` for the whole scope."""
    failing: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        failing[f.rule].add(f.focus)
    scores: dict[str | None, Score] = defaultdict(Score)
    for code in dept_codes.values():
        scores[code]  # every department gets a row, even without focus nodes
    for rid, rule in rules.items():
        per: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
        for node in focus_by_rule.get(rid, ()):
            bad = node in failing[rid]
            d = dept_codes.get(dept_of.get(node, ""))
            for key in {None, d} if d else {None}:
                per[key][0] += bad
                per[key][1] += 1
        for key, (bad, n) in per.items():
            s = scores[key]
            earned = rule.weight * (1 - bad / n)
            s.earned += earned
            s.available += rule.weight
            dim = s.by_dimension.setdefault(rule.dimension, [0.0, 0.0])
            dim[0] += earned
            dim[1] += rule.weight
            s.by_rule[rid] = (bad, n)
    for f in findings:
        for key in {None, f.department}:
            if key is None or key in scores:
                scores[key].findings[f.severity] = scores[key].findings.get(f.severity, 0) + 1
    _deduct(scores, rules, findings)
    return dict(scores)


def _deduct(scores: dict[str | None, Score], rules, findings) -> None:
    """Each department's findings cost DEDUCTION points each, at most PER_RULE_CAP per rule; the
    whole scope (key None) bears the departments' total divided by how many departments have a
    score."""
    counted: dict[tuple[str | None, str], int] = defaultdict(int)
    per_dept: dict[str | None, list[tuple[str, float]]] = defaultdict(list)  # dept -> (dim, pts)
    for f in sorted(findings, key=lambda f: (f.rule, f.focus)):
        key = (f.department, f.rule)
        if counted[key] >= PER_RULE_CAP:
            continue
        counted[key] += 1
        rule = rules.get(f.rule)
        dim = rule.dimension if rule is not None else f.dimension
        per_dept[f.department].append((dim, DEDUCTION.get(f.severity, 0.0)))
    scored = [k for k, s in scores.items() if k is not None and s.available]
    n = max(1, len(scored))
    for dept, costs in per_dept.items():
        targets = [(dept, 1.0)] if dept in scores and scores[dept].available else []
        targets.append((None, 1.0 / n))
        for key, share in targets:
            s = scores[key]
            for dim, pts in costs:
                s.deduction += pts * share
                s.deduction_by_dimension[dim] = s.deduction_by_dimension.get(dim, 0.0) + pts * share
