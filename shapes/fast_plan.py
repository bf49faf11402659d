"""A shape's SHACL Core constraints as the fast validator (:mod:`shapes.fast`) evaluates them:
read from the shapes graph once, not once per focus node."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Node

__all__ = ["Plan"]


@dataclass(eq=False)
class Plan:
    """One shape's SHACL Core constraints, compiled."""
    shape: Node
    path: Node | None
    severity: URIRef
    min_count: int | None
    max_count: int | None
    has_value: list[Node]
    in_values: frozenset | None
    nots: list[Plan] = field(default_factory=list)
    ands: list[list[Plan]] = field(default_factory=list)
    ors: list[list[Plan]] = field(default_factory=list)
    props: list[Plan] = field(default_factory=list)
    path_key: str | None = None  # the path in SPARQL (the key of its values table)
    only_min_one: bool = False  # nothing but sh:minCount 1 on a path
