"""The mapping of the catalog's RDF to the property graph: node labels and relationship types
from the one declaration (ontology.kinds, ontology.fields), the property table, and one load
source's triples turned into node and relationship rows (:func:`project_source`). The shape is
described in :mod:`graph.neo4j.projection` and docs/neo4j.md."""


from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from ontology.codelists import CONCEPT_ZH
from ontology.fields import FIELDS as DECLARED_FIELDS
from ontology.kinds import KINDS as DECLARED_KINDS
from ontology.namespaces import DCTERMS, RDF, RDFS
from ontology.schema import SENSITIVITY_FIELD, strictest

__all__ = ["KIND_LABELS", "LABEL_KINDS", "REL_TYPES", "FIELD_COLUMNS", "ENUM_FIELDS",
           "MULTI_FIELDS", "IDENT", "LABEL", "CYPHER_DIR", "DEFAULT_BATCH_SIZE", "rel_type",
           "cypher_file", "SourceProjection", "project_source"]

DEFAULT_BATCH_SIZE = 2000
CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"

IDENT = DCTERMS + "identifier"
LABEL = RDFS + "label"

# entity kind -> node label (the class local name, declared once in ontology.kinds)
KIND_LABELS: dict[str, str] = {k.code: k.local for k in DECLARED_KINDS}
LABEL_KINDS = {v: k for k, v in KIND_LABELS.items()}
_CLASS_KIND = {k.cls: k.code for k in DECLARED_KINDS}


def rel_type(local_name: str) -> str:
    """``derivedFrom`` -> ``DERIVED_FROM``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", local_name).upper()



# kind -> {field name: (column kind, predicate IRI, enum scheme)} — the Entity.fields contract
FIELD_COLUMNS: dict[str, dict[str, tuple[str, str, str | None]]] = {
    kind: {f.name: (f.value, f.pred, f.target if f.value == "enum" else None) for f in fields}
    for kind, fields in DECLARED_FIELDS.items()
}
MULTI_FIELDS = {name for cols in FIELD_COLUMNS.values()
                for name, (k, _, _) in cols.items() if k in ("refs", "list")}
ENUM_FIELDS = {name for cols in FIELD_COLUMNS.values()
               for name, (k, _, _) in cols.items() if k == "enum"}
# reference predicate IRI -> relationship type
REL_TYPES: dict[str, str] = {
    pred: rel_type(name) for cols in FIELD_COLUMNS.values()
    for name, (k, pred, _) in cols.items() if k in ("ref", "refs")
}
_PRED_FIELD = {pred: name for cols in FIELD_COLUMNS.values()
               for name, (_, pred, _) in cols.items()}
_SAFE_NAME = re.compile(r"^[A-Z][A-Za-z_]*$")
if not all(_SAFE_NAME.match(t) for t in [*REL_TYPES.values(), *KIND_LABELS.values()]):
    raise RuntimeError("relationship types and labels are spliced into Cypher: letters only")

_RDF_TYPE = RDF + "type"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def cypher_file(name: str) -> str:
    return (CYPHER_DIR / name).read_text(encoding="utf-8")


# -- RDF -> rows --------------------------------------------------------------------------------
def _value(term) -> Any:
    if isinstance(term, NamedNode):
        return term.value
    if not isinstance(term, Literal):
        raise TypeError(f"不是取值 / not a value (IRI or literal): {term!r}")
    dt = term.datatype.value
    if dt == _XSD + "boolean":
        return term.value in ("true", "1")
    if dt in (_XSD + "integer", _XSD + "int", _XSD + "long"):
        return int(term.value)
    return term.value


@dataclass
class SourceProjection:
    """One load source as rows: nodes by label, relationships by type."""

    source: str
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    @property
    def rel_count(self) -> int:
        return sum(len(v) for v in self.rels.values())

    def node_iris(self) -> list[str]:
        return [r["iri"] for rows in self.nodes.values() for r in rows]


def _source_graph(store, source: str) -> NamedNode | None:
    for info in store.sources():
        if info.name == source:
            return NamedNode(getattr(info, "version", None) or info.graph)
    return None


def _quads(store, graph: NamedNode) -> Iterable:
    return store.quads_in(graph)


def project_source(store, source: str) -> SourceProjection:
    """The nodes and relationships one load source contributes."""
    graph = _source_graph(store, source)
    out = SourceProjection(source)
    if graph is None:
        return out
    by_subject: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    rels: dict[str, list[dict[str, str]]] = defaultdict(list)
    for q in _quads(store, graph):
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, NamedNode):
            continue
        by_subject[s.value].append((p, o))
        t = REL_TYPES.get(p)
        if t is not None and isinstance(o, NamedNode):
            rels[t].append({"s": s.value, "o": o.value})
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for iri, pos in by_subject.items():
        kind = next((_CLASS_KIND[o.value] for p, o in pos
                     if p == _RDF_TYPE and isinstance(o, NamedNode) and o.value in _CLASS_KIND),
                    None)
        if kind is None:
            continue  # not an entity this source defines (its triples still give relationships)
        nodes[KIND_LABELS[kind]].append(_node_props(iri, kind, source, pos))
    for rows in nodes.values():
        rows.sort(key=lambda r: r["iri"])
    for rows in rels.values():
        rows.sort(key=lambda r: (r["s"], r["o"]))
    out.nodes = dict(nodes)
    out.rels = dict(rels)
    return out


def _node_props(iri: str, kind: str, source: str, pos: list[tuple[str, Any]]) -> dict[str, Any]:
    cols = FIELD_COLUMNS[kind]
    props: dict[str, Any] = {"iri": iri, "kind": kind, "source": source}
    multi: dict[str, list] = defaultdict(list)
    labels: dict[str, list[str]] = defaultdict(list)
    for p, o in pos:
        if p == IDENT and isinstance(o, Literal):
            props["code"] = min(props.get("code", o.value), o.value)
        elif p == LABEL and isinstance(o, Literal):
            labels[o.language or ""].append(o.value)
        else:
            name = _PRED_FIELD.get(p)
            if name is None or name not in cols:
                continue
            ckind, _, scheme = cols[name]
            if ckind == "enum":
                if not isinstance(o, NamedNode):
                    continue
                value = CONCEPT_ZH.get(o.value, o.value)
            else:
                value = _value(o)
            if ckind in ("refs", "list"):
                multi[name].append(value)
                continue
            if name in props:  # one value per scalar field; several (bad data): pick one,
                old = props[name]  # the strictest 敏感级别, else the smallest value
                keep = (strictest([old, value]) if name == SENSITIVITY_FIELD
                        else min(old, value, key=str))
                if keep is old and old != value:
                    continue
                if value == old and (ckind != "enum" or o.value >= props[name + "_iri"]):
                    continue
            props[name] = value
            if ckind == "enum":
                props[name + "_iri"] = o.value
    for name, values in multi.items():
        props[name] = sorted(set(values))
    zh = labels.get("zh") or labels.get("")
    if zh:
        props["label"] = min(zh)
    if labels.get("en"):
        props["label_en"] = min(labels["en"])
    return props

