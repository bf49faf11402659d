"""The official DCAT-AP 3.0.1 shapes evaluated in Python over an index of the export's triples.

pyshacl needs ≈50 s for a district's export (≈300k triples parsed into rdflib, every shape
walked per focus node) and minutes for a city. The shapes use only a few SHACL Core constraint
components — ``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:minCount``, ``sh:maxCount``,
``sh:node``, ``sh:or``, ``sh:hasValue``, ``sh:in`` over predicate and inverse paths, with
``sh:targetClass``/``sh:targetNode`` targets — so they are compiled once into plans and run over
one pass of the triples, indexed by the predicates the shapes name (plus ``rdf:type`` and
``rdfs:subClassOf``, the local closure mixed in as pyshacl's ``ont_graph``). Semantics follow
pyshacl's (class targets and ``sh:class`` through ``rdfs:subClassOf*``; ``sh:datatype`` also
refuses ill-typed literals, as rdflib reads them; one result per failing value and constraint).
Anything else in a shape raises :class:`UnsupportedShape`, and :func:`shapes.dcat_ap
.validate_dcat_ap` then runs pyshacl; the tests hold both engines to the same results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection

__all__ = ["UnsupportedShape", "FastDcatValidator", "Result"]

SH = "http://www.w3.org/ns/shacl#"
_TYPE = RDF.type.toPython()
_SUBCLASS = RDFS.subClassOf.toPython()
# predicates of a shape that constrain nothing (or that pyshacl ignores: sh:shape is not SHACL)
_INERT = {SH + x for x in ("severity", "message", "path", "targetClass", "targetNode", "name",
                           "description", "order", "group", "shape", "defaultValue")}
_HANDLED = {SH + x for x in ("minCount", "maxCount", "class", "datatype", "nodeKind", "node",
                             "or", "hasValue", "in", "property")}
_KINDS = {SH + "IRI": (NamedNode,), SH + "BlankNode": (BlankNode,), SH + "Literal": (Literal,),
          SH + "BlankNodeOrIRI": (BlankNode, NamedNode),
          SH + "BlankNodeOrLiteral": (BlankNode, Literal),
          SH + "IRIOrLiteral": (NamedNode, Literal)}
_XSD = "http://www.w3.org/2001/XMLSchema#"


class UnsupportedShape(ValueError):
    """A shape uses something this evaluator does not implement: use pyshacl."""


@dataclass(frozen=True)
class Result:
    severity: str  # Violation, Warning, Info
    focus: NamedNode | BlankNode
    path: str | None  # the predicate IRI; "^IRI" for an inverse path
    component: str  # e.g. sh:MinCountConstraintComponent's local name: MinCount
    value: object | None
    message: str


@dataclass(eq=False)
class _Shape:
    node: object
    path: tuple[bool, str] | None  # (inverse, predicate IRI)
    severity: str
    message: str | None
    min_count: list[int] = field(default_factory=list)
    max_count: list[int] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    datatypes: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    has_values: list[object] = field(default_factory=list)
    ins: list[frozenset] = field(default_factory=list)
    nodes: list[_Shape] = field(default_factory=list)
    ors: list[list[_Shape]] = field(default_factory=list)
    props: list[_Shape] = field(default_factory=list)
    lazy: bool = False  # a property shape with nothing to check where a node has no value


def _ox(term):
    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return Literal(str(term), language=term.language)
        return Literal(str(term), datatype=NamedNode(str(term.datatype))) if term.datatype \
            else Literal(str(term))
    raise UnsupportedShape(f"a blank node as a value: {term}")


class FastDcatValidator:
    """Compile a SHACL shapes graph (rdflib) once; :meth:`validate` a list of triples."""

    def __init__(self, shapes: Graph, ontology: Graph | None = None):
        self.g = shapes
        self._plans: dict[object, _Shape] = {}
        self.top: list[tuple[_Shape, list[str], list[object]]] = []
        subjects = {s for p in (SH + "targetClass", SH + "targetNode")
                    for s in shapes.subjects(URIRef(p), None)}
        for p in (SH + "targetSubjectsOf", SH + "targetObjectsOf", SH + "target"):
            if (None, URIRef(p), None) in shapes:
                raise UnsupportedShape(p)
        for s in shapes.subjects(RDF.type, RDFS.Class):
            if (s, RDF.type, URIRef(SH + "NodeShape")) in shapes:
                raise UnsupportedShape(f"implicit class target {s}")
        for s in sorted(subjects, key=str):
            self.top.append((self._plan(s),
                             [str(c) for c in shapes.objects(s, URIRef(SH + "targetClass"))],
                             [_ox(n) for n in shapes.objects(s, URIRef(SH + "targetNode"))]))
        self.predicates = {_TYPE, _SUBCLASS}
        self.inverse = {_TYPE}  # predicates also indexed object → subjects
        for plan in self._plans.values():
            if plan.path is not None:
                self.predicates.add(plan.path[1])
                if plan.path[0]:
                    self.inverse.add(plan.path[1])
        self.ontology = [Triple(NamedNode(str(s)), NamedNode(str(p)), _ox(o))
                         for s, p, o in (ontology or Graph())]

    # -- compiling ------------------------------------------------------------------------
    def _plan(self, node) -> _Shape:
        plan = self._plans.get(node)
        if plan is not None:
            return plan
        g = self.g

        def objs(local: str) -> list:
            return list(g.objects(node, URIRef(SH + local)))

        for p in set(g.predicates(node, None)):
            ps = str(p)
            if ps.startswith(SH) and ps not in _INERT and ps not in _HANDLED:
                raise UnsupportedShape(f"{node}: {ps}")
            if ps == SH + "deactivated":
                raise UnsupportedShape(f"{node}: sh:deactivated")
        paths = objs("path")
        if len(paths) > 1:
            raise UnsupportedShape(f"{node}: several paths")
        sev = objs("severity")
        messages = objs("message")
        plan = self._plans[node] = _Shape(
            node=node, path=self._path(paths[0]) if paths else None,
            severity=str(sev[0]).rsplit("#", 1)[-1] if sev else "Violation",
            message=str(_pick(messages)) if messages else None,
            min_count=[int(v) for v in objs("minCount")],
            max_count=[int(v) for v in objs("maxCount")],
            classes=[str(v) for v in objs("class")],
            datatypes=[str(v) for v in objs("datatype")],
            kinds=[str(v) for v in objs("nodeKind")],
            has_values=[_ox(v) for v in objs("hasValue")],
            ins=[frozenset(_ox(v) for v in Collection(g, lst)) for lst in objs("in")])
        plan.lazy = plan.path is not None and not plan.min_count and not plan.has_values
        if any(k not in _KINDS for k in plan.kinds):
            raise UnsupportedShape(f"{node}: nodeKind {plan.kinds}")
        # nested shapes after registering this one (a shape may refer back to itself)
        plan.nodes = [self._plan(s) for s in objs("node")]
        plan.ors = [[self._plan(s) for s in Collection(g, lst)] for lst in objs("or")]
        plan.props = [self._plan(s) for s in objs("property")]
        return plan

    def _path(self, path) -> tuple[bool, str]:
        if isinstance(path, URIRef):
            return (False, str(path))
        inverse = list(self.g.objects(path, URIRef(SH + "inversePath")))
        if isinstance(path, BNode) and len(inverse) == 1 and isinstance(inverse[0], URIRef) \
                and len(set(self.g.predicate_objects(path))) == 1:
            return (True, str(inverse[0]))
        raise UnsupportedShape(f"path {path}")

    # -- evaluating -----------------------------------------------------------------------
    def validate(self, triples: Iterable[Triple]) -> list[Result]:
        data = _Data(self.predicates, self.inverse)
        data.add(self.ontology)
        data.add(triples)
        data.close()
        out: list[Result] = []
        for plan, classes, nodes in self.top:
            focus = set(nodes)
            for c in classes:
                focus |= data.instances(c)
            for f in sorted(focus, key=str):
                out.extend(self._check(plan, f, data, plan.severity))
        return out

    def _check(self, plan: _Shape, f, data: _Data, sev: str, first: bool = False
               ) -> list[Result]:
        """The results of ``plan`` on focus node ``f`` (with ``first``: stop at the first)."""
        out: list[Result] = []
        path = plan.path
        ptext = None if path is None else ("^" if path[0] else "") + path[1]

        def hit(component: str, value, default: str) -> bool:
            out.append(Result(sev, f, ptext, component, value, plan.message or default))
            return first

        if path is None:
            values = [f]
        else:
            values = data.values(f, path)
            if not values and not plan.min_count and not plan.has_values:
                return out  # nothing to check on no values
            n = len(values)
            for m in plan.min_count:
                if n < m and hit("MinCount", None, f"Less than {m} values on {f}->{ptext}"):
                    return out
            for m in plan.max_count:
                if n > m and hit("MaxCount", None, f"More than {m} values on {f}->{ptext}"):
                    return out
            for hv in plan.has_values:
                if hv not in values and hit("HasValue", None,
                                            f"Node {f}->{ptext} does not contain value {hv}"):
                    return out
        if path is None:
            for hv in plan.has_values:
                if hv != f and hit("HasValue", f, f"Node {f} is not {hv}"):
                    return out
        for v in values:
            for c in plan.classes:
                if not data.is_instance(v, c) and hit(
                        "Class", v, f"Value {v} does not have class <{c}>"):
                    return out
            for d in plan.datatypes:
                if not _has_datatype(v, d) and hit(
                        "Datatype", v, f"Value {v} is not Literal with datatype <{d}>"):
                    return out
            for k in plan.kinds:
                if not isinstance(v, _KINDS[k]) and hit(
                        "NodeKind", v, f"Value {v} is not of Node Kind <{k}>"):
                    return out
            for allowed in plan.ins:
                if v not in allowed and hit("In", v, f"Value {v} not in the list"):
                    return out
            for s in plan.nodes:
                if self._check(s, v, data, "Violation", True) and hit(
                        "Node", v, f"Value {v} does not conform to Shape {s.node}"):
                    return out
            for alternatives in plan.ors:
                if all(self._check(s, v, data, "Violation", True) for s in alternatives) and hit(
                        "Or", v, f"Node {v} must conform to one or more shapes in the sh:or"):
                    return out
            for prop in plan.props:
                if prop.lazy and v not in data.table(prop.path):
                    continue  # no value, and nothing that asks for one
                found = self._check(prop, v, data, prop.severity, first)
                out.extend(found)
                if first and found:
                    return out
        return out


class _Data:
    """The triples the shapes look at: objects (and subjects, for inverse paths) per predicate,
    types, and the reflexive-transitive superclasses of each class."""

    def __init__(self, predicates: set[str], inverse: set[str]):
        self.wanted = frozenset(NamedNode(p) for p in predicates)
        self.fwd: dict[str, dict[object, list]] = {p: defaultdict(list) for p in predicates}
        self.inv: dict[str, dict[object, list]] = {p: defaultdict(list) for p in inverse}

    def add(self, triples: Iterable[Triple]) -> None:
        wanted, fwd, inv = self.wanted, self.fwd, self.inv
        for t in triples:
            p = t.predicate
            if p in wanted:  # a NamedNode's membership: no IRI string made for the others
                s, o, p = t.subject, t.object, p.value
                fwd[p][s].append(o)
                if p in inv:
                    inv[p][o].append(s)

    def close(self) -> None:
        for table in (*self.fwd.values(), *self.inv.values()):  # the same triple twice: once
            for k, vals in table.items():
                if len(vals) > 1:
                    table[k] = list(dict.fromkeys(vals))
        self.types = self.fwd[_TYPE]
        parents: dict[str, set[str]] = defaultdict(set)
        for s, objs in self.fwd[_SUBCLASS].items():
            for o in objs:
                if isinstance(s, NamedNode) and isinstance(o, NamedNode):
                    parents[s.value].add(o.value)
        self.supers: dict[str, frozenset[str]] = {}
        self._parents = parents

    def superclasses(self, c: str) -> frozenset[str]:
        found = self.supers.get(c)
        if found is None:
            seen, todo = {c}, [c]
            while todo:
                for p in self._parents.get(todo.pop(), ()):
                    if p not in seen:
                        seen.add(p)
                        todo.append(p)
            found = self.supers[c] = frozenset(seen)
        return found

    def instances(self, c: str) -> set:
        """SHACL instances of ``c``: rdf:type/rdfs:subClassOf* (as pyshacl finds targets)."""
        out: set = set()
        for t, members in self.inv[_TYPE].items():
            if isinstance(t, NamedNode) and c in self.superclasses(t.value):
                out.update(members)
        return out

    def is_instance(self, v, c: str) -> bool:
        return any(c in self.superclasses(t.value) for t in self.types.get(v, ())
                   if isinstance(t, NamedNode))

    def table(self, path: tuple[bool, str]) -> dict:
        return (self.inv if path[0] else self.fwd)[path[1]]

    def values(self, f, path: tuple[bool, str]) -> list:
        inverse, p = path
        return (self.inv if inverse else self.fwd)[p].get(f, [])


def _pick(messages: list):
    """The English message where there are several (as a report would show)."""
    for m in messages:
        if getattr(m, "language", None) in (None, "en"):
            return m
    return messages[0]


def _has_datatype(v, d: str) -> bool:
    """pyshacl's sh:datatype test: a literal of datatype ``d`` that rdflib reads as well-typed
    (and, for the types pyshacl checks, as a value of the right Python type)."""
    if not isinstance(v, Literal):
        return False
    if v.language is not None:
        return d in ("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
                     "http://www.w3.org/2000/01/rdf-schema#Literal")
    if v.datatype.value != d:
        return d == "http://www.w3.org/2000/01/rdf-schema#Literal"
    return _well_typed(v.value, d)


@cache
def _well_typed(lexical: str, d: str) -> bool:
    import datetime as dt
    from decimal import Decimal

    lit = RdfLiteral(lexical, datatype=URIRef(d))
    if getattr(lit, "ill_typed", None) is True:
        return False
    value = lit.value
    expect = {_XSD + "string": str, _XSD + "integer": int, _XSD + "float": float,
              _XSD + "decimal": Decimal, _XSD + "boolean": bool, _XSD + "date": dt.date,
              _XSD + "time": dt.time, _XSD + "dateTime": dt.datetime}.get(d)
    return expect is None or isinstance(value, expect)
