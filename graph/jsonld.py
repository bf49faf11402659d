"""Compact JSON-LD with Yishu's own context (``ontology/context.jsonld``).

pyoxigraph writes JSON-LD expanded (full IRIs, one value object per value). An integrator
would rather read ``{"type": "Department", "label": "示范区公安分局", "adminLevel":
"code:AdminLevel/county"}``; this module writes that form for the catalog's triples, with the
context inlined so that the document stands alone.

It is a compactor for this one context, not a general JSON-LD processor: a value is written
under a term only when it matches the term's definition exactly (an IRI for ``"@type": "@id"``,
the term's datatype, the term's language, or a plain string for an untyped term); anything
else goes under the property's compact IRI (``rdfs:label``) as an explicit value object, so
every triple survives the round trip (tested: rdflib reads the output back into an isomorphic
graph).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

__all__ = ["compact", "context"]

CONTEXT_FILE = Path(__file__).resolve().parent.parent / "ontology" / "context.jsonld"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class _Term:
    name: str
    coerce: str | None  # "@id", a datatype IRI, or None
    language: str | None
    is_set: bool


@cache
def context() -> dict:
    """The ``@context`` object of ontology/context.jsonld."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


@cache
def _tables() -> tuple[dict[str, str], dict[str, _Term], dict[str, str]]:
    """(prefix -> namespace, property IRI -> term, class IRI -> term)."""
    ctx = context()
    prefixes = {k: v for k, v in ctx.items()
                if isinstance(v, str) and v.endswith(("/", "#")) and not v.startswith("@")}

    def expand(value: str) -> str:
        head, sep, tail = value.partition(":")
        return prefixes[head] + tail if sep and head in prefixes else value

    props: dict[str, _Term] = {}
    classes: dict[str, str] = {}
    for name, d in ctx.items():
        if isinstance(d, str):
            if name not in prefixes and not d.startswith("@"):
                classes[expand(d)] = name
            continue
        coerce = d.get("@type")
        term = _Term(name, None if coerce is None else
                     coerce if coerce == "@id" else expand(coerce),
                     d.get("@language"), d.get("@container") == "@set")
        props.setdefault(expand(d["@id"]), term)
    return prefixes, props, classes


def _compact_iri(iri: str) -> str:
    """``prefix:rest`` with the longest matching prefix of the context, else the IRI."""
    prefixes = _tables()[0]
    best = max((p for p, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
               key=lambda p: len(prefixes[p]), default=None)
    return f"{best}:{iri[len(prefixes[best]):]}" if best else iri


def _node_id(term: NamedNode | BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, BlankNode) else term.value


def _simple(term: _Term, o) -> str | None:
    """``o`` written as the term's plain value, or None when it does not match the term."""
    if term.coerce == "@id":
        if isinstance(o, NamedNode):
            return _compact_iri(o.value)
        return _node_id(o) if isinstance(o, BlankNode) else None
    if not isinstance(o, Literal):
        return None
    if term.language is not None:
        return o.value if o.language == term.language else None
    if o.language:
        return None
    dtype = o.datatype.value
    if term.coerce is not None:
        return o.value if dtype == term.coerce else None
    return o.value if dtype == _XSD_STRING else None


def _value_object(o) -> dict:
    if isinstance(o, (NamedNode, BlankNode)):
        return {"@id": _node_id(o)}
    if o.language:
        return {"@value": o.value, "@language": o.language}
    if o.datatype.value == _XSD_STRING:
        return {"@value": o.value}
    return {"@value": o.value, "@type": _compact_iri(o.datatype.value)}


def compact(triples: Iterable[Triple]) -> dict:
    """A compact JSON-LD document of ``triples``: the context inlined, one node object per
    subject in ``@graph``, sorted (subjects, keys and values), so the output is stable."""
    _, props, classes = _tables()
    nodes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        node = nodes[_node_id(t.subject)]
        p, o = t.predicate.value, t.object
        if p == _RDF_TYPE and isinstance(o, NamedNode):
            node["type"].append(classes.get(o.value) or _compact_iri(o.value))
            continue
        term = props.get(p)
        plain = _simple(term, o) if term is not None else None
        if plain is not None:
            node[term.name].append(plain)  # type: ignore[union-attr]
        else:
            node[_compact_iri(p)].append(_value_object(o))
    sets = {t.name for t in props.values() if t.is_set}
    graph = []
    for node_id in sorted(nodes):
        out: dict[str, object] = {"id": node_id}
        for key in sorted(nodes[node_id]):
            values = sorted(nodes[node_id][key], key=lambda v: json.dumps(v, ensure_ascii=False))
            out[key] = values if len(values) > 1 or key in sets else values[0]
        graph.append(out)
    return {"@context": context(), "@graph": graph}
