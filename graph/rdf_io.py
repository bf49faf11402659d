"""RDF in and out of the store: the export formats, triples to text and back, query bindings as
RDF terms and solutions as Python values, and the digest that keys append's index."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, Variable

from ontology.namespaces import XSD

__all__ = ["EXPORT_FORMATS", "digest", "line_digest", "export_prefixes", "named_graph_format", "parse_into",
           "parse_ntriples", "python_value", "serialize_quads", "serialize_triples",
           "substitutions", "typed_literal"]

EXPORT_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ttl": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "nt": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "nq": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
    "json-ld": RdfFormat.JSON_LD,
}


def _format(fmt: str, what: str = "export") -> RdfFormat:
    rdf_format = EXPORT_FORMATS.get(fmt.lower())
    if rdf_format is None:
        raise ValueError(f"unsupported {what} format {fmt!r}; use one of "
                         + ", ".join(sorted(EXPORT_FORMATS)))
    return rdf_format


def named_graph_format(fmt: str) -> bool:
    """Whether ``fmt`` (an export format name) keeps named graphs (N-Quads, TriG)."""
    return _format(fmt) in (RdfFormat.N_QUADS, RdfFormat.TRIG)


def serialize_quads(quads: Iterable[Quad], fmt: str) -> bytes:
    """N-Quads or TriG of ``quads`` (TriG with Yishu's prefixes)."""
    from pyoxigraph import serialize

    rdf_format = _format(fmt)
    buf = io.BytesIO()
    serialize(quads, buf, rdf_format,
              prefixes=None if rdf_format is RdfFormat.N_QUADS else export_prefixes())
    return buf.getvalue()


def parse_into(data: bytes, fmt: str, graph: NamedNode, base: str) -> list[Quad]:
    """The triples of an RDF document (its graph names ignored) as quads in ``graph``; raises
    SyntaxError on malformed input."""
    from pyoxigraph import parse

    rdf_format = _format(fmt, "RDF")
    return [Quad(t.subject, t.predicate, t.object, graph)
            for t in parse(data, rdf_format, base_iri=base)]


def parse_ntriples(data: bytes) -> list[Triple]:
    """The triples of an N-Triples document (as :meth:`CatalogStore.export` writes it)."""
    from pyoxigraph import parse

    return [Triple(t.subject, t.predicate, t.object)
            for t in parse(data, RdfFormat.N_TRIPLES)]


def serialize_triples(triples: Iterable[Triple], fmt: str) -> bytes:
    """Turtle, N-Triples or JSON-LD of ``triples`` (sorted, so the output is stable). JSON-LD is
    compact, with Yishu's context inlined (:mod:`graph.jsonld`)."""
    from pyoxigraph import serialize

    rdf_format = EXPORT_FORMATS.get(fmt.lower())
    if rdf_format is RdfFormat.JSON_LD:
        import json

        from graph.jsonld import compact

        return json.dumps(compact(triples), ensure_ascii=False, indent=1).encode("utf-8")
    if rdf_format not in (RdfFormat.TURTLE, RdfFormat.N_TRIPLES):
        raise ValueError(f"unsupported triple format {fmt!r}; use turtle, ntriples or jsonld")
    buf = io.BytesIO()
    serialize(sorted(triples, key=str), buf, rdf_format,
              prefixes=None if rdf_format is RdfFormat.N_TRIPLES else export_prefixes())
    return buf.getvalue()


def export_prefixes() -> dict[str, str]:
    from ontology.namespaces import PREFIXES
    return {k: v for k, v in PREFIXES.items() if k not in ("sh", "owl")}


def typed_literal(term) -> bool:
    """A literal other than a plain string (its lexical form or language tag may be stored in
    canonical form)."""
    return isinstance(term, Literal) and term.datatype.value != XSD + "string"


def digest(s, p, o) -> bytes:
    """A 128-bit digest of a triple's N-Triples text (the key of append's index)."""
    return line_digest(f"{s} {p} {o}")


def line_digest(line: str) -> bytes:
    """:func:`digest` of a triple already written as ``"{s} {p} {o}"``."""
    return hashlib.blake2b(line.encode(), digest_size=16).digest()


def substitutions(bindings: dict[str, object]) -> dict:
    """Query bindings as RDF terms for the engine to substitute (never spliced into text)."""
    out = {}
    for k, v in bindings.items():
        if v is None:
            continue
        if isinstance(v, (NamedNode, Literal)):
            term = v
        elif isinstance(v, str) and v.startswith(("http://", "https://", "urn:")):
            term = NamedNode(v)
        else:
            term = Literal(v)  # type: ignore[arg-type]
        out[Variable(k)] = term
    return out


def python_value(term) -> object:
    """A solution's term as a Python value (IRIs as strings, numbers and booleans typed)."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    value = getattr(term, "value", None)
    dtype = getattr(getattr(term, "datatype", None), "value", "")
    if dtype.endswith(("#integer", "#long", "#int")):
        return int(value)  # type: ignore[arg-type]
    if dtype.endswith("#boolean"):
        return value == "true"
    if dtype.endswith(("#decimal", "#double", "#float")):
        return float(value)  # type: ignore[arg-type]
    return value
