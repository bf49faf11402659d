"""A validation result as both engines report it, and conversions between term models."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import BlankNode as _OxBlankNode
from pyoxigraph import Literal as _OxLiteral
from pyoxigraph import NamedNode as _OxNamedNode
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from shapes.rules import SH

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_new_str = str.__new__

__all__ = ["RawResult", "results_from_report", "report_graph", "to_rdflib", "to_oxigraph"]


@dataclass(frozen=True)
class RawResult:
    """One sh:ValidationResult (terms are rdflib terms)."""
    focus: Node
    shape: Node
    severity: URIRef
    component: URIRef
    value: Node | None = None
    path: Node | None = None

    def key(self) -> tuple[str, str, str, str]:
        return (str(self.shape), str(self.focus), "" if self.value is None else self.value.n3(),
                str(self.path) if isinstance(self.path, URIRef) else "")


def results_from_report(report: Graph) -> list[RawResult]:
    out = []
    for r in report.subjects(SH.resultSeverity, None):
        path = report.value(r, SH.resultPath)
        out.append(RawResult(
            focus=report.value(r, SH.focusNode), shape=report.value(r, SH.sourceShape),
            severity=report.value(r, SH.resultSeverity),
            component=report.value(r, SH.sourceConstraintComponent),
            value=report.value(r, SH.value),
            path=path if isinstance(path, URIRef) else None))
    return out


def report_graph(results: list[RawResult], messages: dict[str, list[Literal]]) -> Graph:
    """A standard SHACL validation report; ``messages`` maps shape IRI -> sh:message values."""
    g = Graph()
    g.bind("sh", SH)
    rep = BNode()
    g.add((rep, URIRef(str(SH) + "conforms"),
           Literal(not any(r.severity == SH.Violation for r in results))))
    from rdflib import RDF
    g.add((rep, RDF.type, SH.ValidationReport))
    for r in results:
        n = BNode()
        g.add((rep, SH.result, n))
        g.add((n, RDF.type, SH.ValidationResult))
        g.add((n, SH.focusNode, r.focus))
        g.add((n, SH.sourceShape, r.shape))
        g.add((n, SH.resultSeverity, r.severity))
        g.add((n, SH.sourceConstraintComponent, r.component))
        if r.value is not None:
            g.add((n, SH.value, r.value))
        if r.path is not None:
            g.add((n, SH.resultPath, r.path))
        for m in messages.get(str(r.shape), []):
            g.add((n, SH.resultMessage, m))
    return g


def to_rdflib(term) -> Node | None:
    """pyoxigraph term -> rdflib term.

    An IRI or blank node is made with ``str.__new__`` — what ``URIRef(value)`` and
    ``BNode(value)`` end with, without ``URIRef``'s check of the IRI's characters (Oxigraph
    only holds valid IRIs; the check only logs) — the audit converts millions of terms, and the
    check was most of the time. A literal goes through rdflib's constructor (it normalises the
    lexical form of typed literals, which equality depends on)."""
    if term is None:
        return None
    cls = type(term)
    if cls is _OxNamedNode:
        return _new_str(URIRef, term.value)
    if cls is _OxLiteral:
        if term.language:
            return Literal(term.value, lang=term.language)
        dtype = term.datatype.value
        if dtype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=_new_str(URIRef, dtype))
    if cls is _OxBlankNode:
        return _new_str(BNode, term.value)
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node):
    """rdflib term -> pyoxigraph term (an IRI, a blank node or a literal)."""
    if isinstance(term, URIRef):
        return _OxNamedNode(str(term))
    if isinstance(term, BNode):
        return _OxBlankNode(str(term))
    return _OxLiteral(str(term), datatype=_OxNamedNode(str(term.datatype))) if getattr(
        term, "datatype", None) else _OxLiteral(str(term), language=term.language)
