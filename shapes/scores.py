"""Scores per department and overall, in the spirit of data.europa.eu's metadata quality
assessment (MQA): every rule is an indicator worth ``weight`` points (Violation 3, Warning 2,
Info 1); a scope earns, per rule, ``weight × (1 − failing focus nodes / focus nodes)`` over the
rule's focus nodes in that scope; the score is earned / available × 100, over the rules that
have at least one focus node in the scope. The same is reported per quality dimension
(the concern a rule belongs to). Ratings: 优秀 Excellent ≥ 90, 良好 Good ≥ 75,
合格 Sufficient ≥ 60, 差 Bad below.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

__all__ = ["Score", "compute_scores", "rating", "DIMENSIONS"]

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

    @property
    def score(self) -> float | None:
        return round(100 * self.earned / self.available, 1) if self.available else None

    def dimension_scores(self) -> dict[str, float | None]:
        return {d: (round(100 * e / a, 1) if a else None)
                for d, (e, a) in sorted(self.by_dimension.items())}

    def as_dict(self) -> dict:
        zh, en = rating(self.score)
        return {"score": self.score, "rating_zh": zh, "rating_en": en,
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
    return dict(scores)
