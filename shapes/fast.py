"""The fast path: the same shapes, evaluated directly on an Oxigraph store.

pyshacl evaluates a SPARQL-based constraint once per focus node in rdflib, which does not
scale to a district. Here each SPARQL constraint (and each SPARQL validator of a constraint
component, and each SHACL-AF SPARQL rule) runs *once* over the whole store with ``$this``
unbound, and its solutions are joined with the shape's focus nodes; parameters (the as-of
cutoffs) are passed as pre-bound substitutions. The SHACL Core constraints the shapes use
(minCount, maxCount, hasValue, in, not, and, or over predicate/inverse/sequence/alternative
paths) are evaluated in Python over path values fetched once per path. Anything else raises
:class:`UnsupportedShape` rather than silently disagreeing with pyshacl; a test holds the two
engines to identical results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode, Store, Variable
from rdflib import RDF, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from shapes.results import RawResult, to_rdflib
from shapes.rules import SH

__all__ = ["FastValidator", "UnsupportedShape"]

_TARGET_CLASS = """
SELECT DISTINCT ?this ?cls WHERE {
  ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?cls
}"""
_TARGET_SUBJECTS = "SELECT DISTINCT ?this ?p WHERE { ?this ?p ?o }"
_TARGET_OBJECTS = "SELECT DISTINCT ?this ?p WHERE { ?s ?p ?this }"

# rdflib makes a new URIRef on every ``SH.name`` access: the hot paths use these constants
_MIN_COUNT, _MAX_COUNT, _HAS_VALUE, _IN = SH.minCount, SH.maxCount, SH.hasValue, SH["in"]
_NOT, _AND, _OR, _PROPERTY = SH["not"], SH["and"], SH["or"], SH.property
_PATH, _SEVERITY, _VIOLATION = SH.path, SH.severity, SH.Violation
_MIN_COUNT_C, _MAX_COUNT_C = SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent
_HAS_VALUE_C, _IN_C = SH.HasValueConstraintComponent, SH.InConstraintComponent
_NOT_C, _AND_C, _OR_C = SH.NotConstraintComponent, SH.AndConstraintComponent, SH.OrConstraintComponent

_CORE = {SH.minCount, SH.maxCount, SH.hasValue, SH["in"], SH["not"], SH["and"], SH["or"],
         SH.property}
_IGNORED = {SH.severity, SH.message, SH.name, SH.description, SH.targetClass, SH.targetNode,
            SH.targetSubjectsOf, SH.targetObjectsOf, SH.path, SH.sparql, SH.rule, SH.order,
            SH.deactivated, RDF.type}
# a shape nested in sh:property / sh:not / sh:and / sh:or: SHACL Core only
_IGNORED_NESTED = _IGNORED - {SH.sparql, SH.rule, SH.targetClass, SH.targetNode,
                              SH.targetSubjectsOf, SH.targetObjectsOf}


class UnsupportedShape(ValueError):
    """The fast path cannot evaluate a shape exactly; use the pyshacl engine."""


def _ox(term: Node):
    if isinstance(term, URIRef):
        return NamedNode(str(term))
    return OxLiteral(str(term), datatype=NamedNode(str(term.datatype))) if getattr(
        term, "datatype", None) else OxLiteral(str(term), language=term.language)


class FastValidator:
    def __init__(self, shapes: Graph):
        self.g = shapes
        self._prefix_cache: dict[Node, str] = {}
        self._plans: dict[Node, _Plan] = {}
        self.components = self._components()
        self.store: Store | None = None
        self._targets_cache: dict[tuple[str, str], frozenset] = {}
        self._path_cache: dict[str, dict[Node, list[Node]]] = {}

    # -- shapes graph helpers -------------------------------------------------------------
    def _prefixes(self, node: Node) -> str:
        out = []
        for decl_owner in self.g.objects(node, SH.prefixes):
            if decl_owner not in self._prefix_cache:
                lines = []
                for d in self.g.objects(decl_owner, SH.declare):
                    lines.append(f"PREFIX {self.g.value(d, SH.prefix)}: "
                                 f"<{self.g.value(d, SH.namespace)}>\n")
                self._prefix_cache[decl_owner] = "".join(sorted(lines))
            out.append(self._prefix_cache[decl_owner])
        return "".join(out)

    def _components(self) -> list[tuple[Node, list[URIRef], Node]]:
        comps = []
        for c in self.g.subjects(RDF.type, SH.ConstraintComponent):
            params = [self.g.value(p, SH.path) for p in self.g.objects(c, SH.parameter)
                      if not self.g.value(p, SH.optional)]
            validator = self.g.value(c, SH.nodeValidator)
            if validator is None:
                raise UnsupportedShape(f"component {c} has no node validator")
            comps.append((c, params, validator))
        return comps

    def _path_sparql(self, path: Node) -> str:
        g = self.g
        if isinstance(path, URIRef):
            return f"<{path}>"
        if (path, RDF.first, None) in g:
            return "/".join(f"({self._path_sparql(p)})" for p in Collection(g, path))
        for pred, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                          (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
            inner = g.value(path, pred)
            if inner is not None:
                return fmt.format(self._path_sparql(inner))
        alt = g.value(path, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self._path_sparql(p) for p in Collection(g, alt)) + ")"
        raise UnsupportedShape(f"path {path}")

    # -- evaluation -----------------------------------------------------------------------
    def steps(self) -> int:
        """How many times :meth:`validate` reports progress: once per shape with rules, once
        per shape with targets."""
        return len(set(self.g.subjects(SH.rule, None))) + len(set(self._top_shapes()))

    def validate(self, store: Store, progress: Callable[[int], None] | None = None
                 ) -> list[RawResult]:
        """Apply the SHACL-AF rules (adding their triples to ``store``), then validate;
        ``progress(1)`` after each of :meth:`steps`."""
        self._bind(store)
        self._apply_rules(progress)
        results: list[RawResult] = []
        for shape in sorted(set(self._top_shapes()), key=str):
            deactivated = self.g.value(shape, SH.deactivated)
            focus = set() if deactivated is not None and bool(deactivated.toPython()) \
                else self._focus_nodes(shape)
            if focus:
                results.extend(self._validate_shape(shape, focus))
            if progress is not None:
                progress(1)
        return results

    def infer(self, store: Store, progress: Callable[[int], None] | None = None) -> None:
        """Apply the SHACL-AF rules to ``store`` (adding their triples) without validating, so
        that :meth:`focus_nodes` answers on it (another engine validated)."""
        self._bind(store)
        self._apply_rules(progress)

    def focus_nodes(self, shape: Node) -> set[Node]:
        """The focus nodes of ``shape`` in the store last validated or inferred."""
        return self._focus_nodes(shape)

    def _bind(self, store: Store) -> None:
        self.store = store
        self._targets_cache = {}
        self._path_cache = {}

    def _top_shapes(self):
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            yield from self.g.subjects(p, None)

    def _targets(self, query: str, var: str, term: Node) -> frozenset:
        key = (query, str(term))
        if key not in self._targets_cache:
            res = self.store.query(query, substitutions={Variable(var): _ox(term)})
            self._targets_cache[key] = frozenset(to_rdflib(s["this"]) for s in res)
        return self._targets_cache[key]

    def _focus_nodes(self, shape: Node) -> set[Node]:
        g = self.g
        nodes: set[Node] = set(g.objects(shape, SH.targetNode))
        for c in g.objects(shape, SH.targetClass):
            nodes |= self._targets(_TARGET_CLASS, "cls", c)
        for p in g.objects(shape, SH.targetSubjectsOf):
            nodes |= self._targets(_TARGET_SUBJECTS, "p", p)
        for p in g.objects(shape, SH.targetObjectsOf):
            nodes |= self._targets(_TARGET_OBJECTS, "p", p)
        if (shape, SH.target, None) in g:
            raise UnsupportedShape(f"{shape}: sh:target")
        return nodes

    def _apply_rules(self, progress: Callable[[int], None] | None = None) -> None:
        from pyoxigraph import DefaultGraph, Quad

        for shape in sorted(set(self.g.subjects(SH.rule, None)), key=str):
            focus = self._focus_nodes(shape)
            rules = sorted(self.g.objects(shape, SH.rule),
                           key=lambda r: (float(self.g.value(r, SH.order) or 0), str(r)))
            for rule in rules:
                text = self.g.value(rule, SH.construct)
                if text is None:
                    raise UnsupportedShape(f"{shape}: only SPARQL rules are supported")
                q = self._prefixes(rule) + str(text)
                new = [t for t in self.store.query(q) if to_rdflib(t.subject) in focus]
                self.store.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph())
                                  for t in new)
            if progress is not None:
                progress(1)
        self._targets_cache.clear()
        self._path_cache.clear()

    def _validate_shape(self, shape: Node, focus: set[Node]) -> list[RawResult]:
        g = self.g
        out: list[RawResult] = []
        for p, _ in g.predicate_objects(shape):
            if p not in _CORE and p not in _IGNORED and not self._is_param(p) \
                    and not str(p).startswith("https://w3id.org/yishu/"):
                if p.startswith(str(SH)) and p not in (SH.prefixes, SH.declare):
                    raise UnsupportedShape(f"{shape}: constraint {p}")
        plan = self._plan(shape)
        sev, path = plan.severity, plan.path
        for node in sorted(focus, key=str):
            out.extend(self._core(plan, node, sev))
        for c in g.objects(shape, SH.sparql):
            out.extend(self._sparql(shape, c, focus, sev, path))
        for comp, params, validator in self.components:
            values = [g.value(shape, p) for p in params]
            if all(v is not None for v in values):
                out.extend(self._component(shape, comp, params, values, validator, focus, sev))
        return out

    def _is_param(self, p: Node) -> bool:
        return any(p in params for _, params, _ in self.components)

    # -- SPARQL ---------------------------------------------------------------------------
    def _run_select(self, text: str, subs: dict) -> list:
        return list(self.store.query(text, substitutions=subs or None))

    def _sparql(self, shape, constraint, focus, sev, path) -> list[RawResult]:
        if path is not None:
            raise UnsupportedShape(f"{shape}: SPARQL constraint on a property shape")
        text = self._prefixes(constraint) + str(self.g.value(constraint, SH.select))
        res = self._run_select(text, {})
        out = []
        for sol in res:
            this = to_rdflib(sol["this"])
            if this not in focus:
                continue
            value = _get(sol, "value")
            rpath = _get(sol, "path")
            out.append(RawResult(this, shape, sev, SH.SPARQLConstraintComponent,
                                 to_rdflib(value) if value is not None else this,
                                 to_rdflib(rpath) if rpath is not None else None))
        return out

    def _component(self, shape, comp, params, values, validator, focus, sev) -> list[RawResult]:
        text = self._prefixes(validator) + str(self.g.value(validator, SH.select))
        subs = {Variable(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]): _ox(v)
                for p, v in zip(params, values, strict=True)}
        out = []
        for sol in self._run_select(text, subs):
            this = to_rdflib(sol["this"])
            if this in focus:
                out.append(RawResult(this, shape, sev, comp, this, None))
        return out

    # -- SHACL Core -----------------------------------------------------------------------
    def _values(self, node: Node, path: Node) -> list[Node]:
        key = self._path_sparql(path)
        table = self._path_cache.get(key)
        if table is None:
            table = defaultdict(list)
            for sol in self.store.query(f"SELECT DISTINCT ?s ?o WHERE {{ ?s {key} ?o }}"):
                table[to_rdflib(sol["s"])].append(to_rdflib(sol["o"]))
            self._path_cache[key] = table
        return table.get(node, [])

    def _plan(self, shape: Node, nested: bool = False) -> _Plan:
        """The Core constraints of ``shape``, read from the shapes graph once (reading them per
        focus node was most of the Core time)."""
        plan = self._plans.get(shape)
        if plan is not None:
            return plan
        g = self.g
        if nested:
            for p, _ in g.predicate_objects(shape):
                if p not in _CORE and p not in _IGNORED_NESTED and (
                        str(p).startswith(str(SH)) or self._is_param(p)):
                    raise UnsupportedShape(f"nested shape {shape}: {p}")

        def one(p: URIRef) -> Node | None:
            return next(iter(g.objects(shape, p)), None)

        in_list = one(_IN)
        min_count, max_count = one(_MIN_COUNT), one(_MAX_COUNT)
        plan = self._plans[shape] = _Plan(
            shape=shape, path=one(_PATH), severity=one(_SEVERITY) or _VIOLATION,
            min_count=None if min_count is None else int(min_count),
            max_count=None if max_count is None else int(max_count),
            has_value=list(g.objects(shape, _HAS_VALUE)),
            in_values=None if in_list is None else frozenset(Collection(g, in_list)))
        # nested shapes after the plan is registered (a shape may refer back to itself)
        plan.nots = [self._plan(s, True) for s in g.objects(shape, _NOT)]
        plan.ands = [[self._plan(s, True) for s in Collection(g, lst)]
                     for lst in g.objects(shape, _AND)]
        plan.ors = [[self._plan(s, True) for s in Collection(g, lst)]
                    for lst in g.objects(shape, _OR)]
        plan.props = [self._plan(s, True) for s in g.objects(shape, _PROPERTY)]
        return plan

    def _core(self, plan: _Plan, node: Node, sev: URIRef) -> list[RawResult]:
        """Results of the Core constraints of ``plan`` for one focus node."""
        out = []
        shape, path = plan.shape, plan.path
        if path is not None:
            values = self._values(node, path)
            if plan.min_count is not None and len(values) < plan.min_count:
                out.append(RawResult(node, shape, sev, _MIN_COUNT_C, None, path))
            if plan.max_count is not None and len(values) > plan.max_count:
                out.append(RawResult(node, shape, sev, _MAX_COUNT_C, None, path))
            for hv in plan.has_value:
                if hv not in values:
                    out.append(RawResult(node, shape, sev, _HAS_VALUE_C, None, path))
            if plan.in_values is not None:
                for v in values:
                    if v not in plan.in_values:
                        out.append(RawResult(node, shape, sev, _IN_C, v, path))
            value_nodes = values
        else:
            if plan.in_values is not None and node not in plan.in_values:
                out.append(RawResult(node, shape, sev, _IN_C, node, None))
            for hv in plan.has_value:
                if hv != node:
                    out.append(RawResult(node, shape, sev, _HAS_VALUE_C, node, None))
            value_nodes = [node]
        if not (plan.nots or plan.ands or plan.ors or plan.props):
            return out
        for v in value_nodes:
            for sub in plan.nots:
                if self._conforms(sub, v):
                    out.append(RawResult(node, shape, sev, _NOT_C, v, path))
            for subs in plan.ands:
                if not all(self._conforms(s, v) for s in subs):
                    out.append(RawResult(node, shape, sev, _AND_C, v, path))
            for subs in plan.ors:
                if not any(self._conforms(s, v) for s in subs):
                    out.append(RawResult(node, shape, sev, _OR_C, v, path))
            for prop in plan.props:
                out.extend(self._core(prop, v, prop.severity))
        return out

    def _conforms(self, plan: _Plan, node: Node) -> bool:
        return not self._core(plan, node, _VIOLATION)


@dataclass(eq=False)
class _Plan:
    """One shape's SHACL Core constraints, compiled."""
    shape: Node
    path: Node | None
    severity: URIRef
    min_count: int | None
    max_count: int | None
    has_value: list[Node]
    in_values: frozenset | None
    nots: list[_Plan] = field(default_factory=list)
    ands: list[list[_Plan]] = field(default_factory=list)
    ors: list[list[_Plan]] = field(default_factory=list)
    props: list[_Plan] = field(default_factory=list)


def _get(sol, name: str):
    try:
        return sol[name]
    except (KeyError, IndexError):
        return None
