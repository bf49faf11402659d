"""The catalog's schema as plain data (imports nothing outside ``ontology/``).

So far it holds the one 敏感级别 rank both query engines use: the order of the
SensitivityLevel code list, least to most sensitive. When an entity carries several levels
(possible from an RDF load), the strictest wins; values outside the code list (unknown codes)
rank below every known level."""

from __future__ import annotations

from collections.abc import Iterable

from ontology.codelists import scheme

__all__ = ["SENSITIVITY_FIELD", "SENSITIVITY_RANK", "sensitivity_rank", "strictest"]

SENSITIVITY_FIELD = "sensitivity"  # the field name under Entity.fields and on Neo4j nodes

SENSITIVITY_RANK: dict[str, int] = {
    zh: n for n, zh in enumerate(scheme("SensitivityLevel").zh_values, start=1)}


def sensitivity_rank(level: object) -> int:
    """1 (一级) … 4 (四级); 0 for None or a value outside the code list."""
    return SENSITIVITY_RANK.get(level, 0) if isinstance(level, str) else 0


def strictest(levels: Iterable[object]) -> object | None:
    """The strictest of several 敏感级别 values; ties (unknown values) go to the smallest string,
    so the choice never depends on the order the store returns them in. None when empty."""
    vals = list(levels)
    if not vals:
        return None
    return min(vals, key=lambda v: (-sensitivity_rank(v), str(v)))
