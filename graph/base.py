"""Engine-independent query logic, written once over a small set of engine primitives.

:class:`CatalogGraphBase` implements every public method of :class:`graph.query.CatalogGraph`
by putting together one module per question, each written on the primitives of the engine
contract (:mod:`graph.contract`): :mod:`graph.listings` (one entity, listings, search),
:mod:`graph.lineage` (breadth-first lineage with depth, shortest paths, cycles, cut detection,
sensitivity propagation), :mod:`graph.trace`, :mod:`graph.one_source` and :mod:`graph.impact`.
An engine subclasses it and implements only the primitives (docs/architecture.md).
"""

from __future__ import annotations

from graph.contract import (
    CLASS_OF,
    EDGE_ENDPOINTS,
    FIELDS,
    KIND_OF_CLASS,
    MAX_CYCLES,
    MAX_TRACE_HOPS,
    REF_PREDICATES,
    FieldSpec,
    Hit,
    ItemRow,
)
from graph.impact import ImpactQuestions
from graph.lineage import LineageQuestions
from graph.listings import ListingQuestions
from graph.one_source import OneSourceQuestions
from graph.trace import TraceQuestions

__all__ = [
    "CatalogGraphBase", "Hit", "ItemRow", "FieldSpec", "FIELDS", "CLASS_OF", "KIND_OF_CLASS",
    "REF_PREDICATES", "EDGE_ENDPOINTS", "MAX_CYCLES", "MAX_TRACE_HOPS",
]


class CatalogGraphBase(ListingQuestions, LineageQuestions, TraceQuestions, OneSourceQuestions,
                       ImpactQuestions):
    """Every question of :class:`graph.query.CatalogGraph`, over the engine contract. Subclasses
    set ``engine`` and ``base`` (the IRI base used to mint IRIs from ``kind:code``) and implement
    the abstract primitives of :class:`graph.contract.EngineContract`."""
