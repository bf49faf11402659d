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

import time
from collections import defaultdict
from collections.abc import Callable

from pyoxigraph import Store, Variable
from rdflib import RDF, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from shapes.fast_plan import Plan
from shapes.results import RawResult, to_oxigraph, to_rdflib
from shapes.rules import SH

__all__ = ["FastValidator", "UnsupportedShape"]

_TARGET_CLASS = """
SELECT DISTINCT ?this ?cls WHERE {
  ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?cls
}"""
_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
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


class FastValidator:
    def __init__(self, shapes: Graph):
        self.g = shapes
        self._prefix_cache: dict[Node, str] = {}
        self._plans: dict[Node, Plan] = {}
        self.components = self._components()
        self.store: Store | None = None
        self._targets_cache: dict[tuple[str, str], frozenset] = {}
        self._path_cache: dict[str, dict[Node, list[Node]]] = {}
        self.timings: dict[str, float] = {}  # wall s of the last validate's steps

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
        t0 = time.perf_counter()
        self._apply_rules(progress)
        self.timings = {"rules": time.perf_counter() - t0}
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
            res = self.store.query(query, substitutions={Variable(var): to_oxigraph(term)})
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
            focus_terms = {to_oxigraph(n) for n in self._focus_nodes(shape)}
            rules = sorted(self.g.objects(shape, SH.rule),
                           key=lambda r: (float(self.g.value(r, SH.order) or 0), str(r)))
            for rule in rules:
                text = self.g.value(rule, SH.construct)
                if text is None:
                    raise UnsupportedShape(f"{shape}: only SPARQL rules are supported")
                q = self._prefixes(rule) + str(text)
                new = [t for t in self.store.query(q) if t.subject in focus_terms]
                self.store.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph())
                                  for t in new)
                self._forget({t.predicate.value for t in new})
            if progress is not None:
                progress(1)

    def _forget(self, predicates: set[str]) -> None:
        """Drop the targets and path values that triples with ``predicates`` may change (the
        rules' inferences): the class targets when one is rdf:type or rdfs:subClassOf, the
        subjects or objects of those predicates, every path's values."""
        if not predicates:
            return
        classes = bool(predicates & {str(RDF.type), _SUBCLASS_OF})
        for key in [k for k in self._targets_cache
                    if (classes if k[0] == _TARGET_CLASS else k[1] in predicates)]:
            del self._targets_cache[key]
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
        out.extend(self._core_all(plan, focus, sev))
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
        subs = {Variable(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]): to_oxigraph(v)
                for p, v in zip(params, values, strict=True)}
        out = []
        for sol in self._run_select(text, subs):
            this = to_rdflib(sol["this"])
            if this in focus:
                out.append(RawResult(this, shape, sev, comp, this, None))
        return out

    # -- SHACL Core -----------------------------------------------------------------------
    def _table(self, path: Node, key: str | None = None) -> dict[Node, list[Node]]:
        """Every (subject, values) of ``path`` in the store, read once per path; a subject
        without a value has no entry."""
        key = key or self._path_sparql(path)
        table = self._path_cache.get(key)
        if table is None:
            table = defaultdict(list)
            for sol in self.store.query(f"SELECT DISTINCT ?s ?o WHERE {{ ?s {key} ?o }}"):
                table[to_rdflib(sol["s"])].append(to_rdflib(sol["o"]))
            self._path_cache[key] = table
        return table

    def _subjects(self, plan: Plan):
        """The subjects with a value on ``plan``'s path (its values are not converted)."""
        table = self._path_cache.get(plan.path_key)
        if table is not None:
            return table.keys()
        key = "subjects " + plan.path_key
        if key not in self._path_cache:
            self._path_cache[key] = dict.fromkeys(to_rdflib(sol["s"]) for sol in self.store.query(
                f"SELECT DISTINCT ?s WHERE {{ ?s {plan.path_key} ?o }}"))
        return self._path_cache[key].keys()

    def _values(self, node: Node, plan: Plan) -> list[Node]:
        return self._table(plan.path, plan.path_key).get(node, [])

    def _plan(self, shape: Node, nested: bool = False) -> Plan:
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
        plan = self._plans[shape] = Plan(
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
        plan.path_key = None if plan.path is None else self._path_sparql(plan.path)
        plan.only_min_one = (plan.path is not None and plan.min_count == 1
                             and plan.max_count is None and not plan.has_value
                             and plan.in_values is None and not (plan.nots or plan.ands
                                                                 or plan.ors or plan.props))
        return plan

    def _core_all(self, plan: Plan, focus: set[Node], sev: URIRef) -> list[RawResult]:
        """Results of the Core constraints of ``plan`` for every focus node, in the order of
        the focus nodes' text (what evaluating them one by one in that order gives). Only the
        nodes with a result are sorted; a shape with nothing but ``sh:minCount 1`` on a path
        (most of the shapes) is a set difference with the path's subjects."""
        if plan.only_min_one:
            return [RawResult(node, plan.shape, sev, _MIN_COUNT_C, None, plan.path)
                    for node in sorted(focus.difference(self._subjects(plan)), key=str)]
        core = self._core
        hits = []
        for node in focus:
            found = core(plan, node, sev)
            if found:
                hits.append((str(node), found))
        hits.sort(key=lambda h: h[0])
        return [r for _, found in hits for r in found]

    def _core(self, plan: Plan, node: Node, sev: URIRef) -> list[RawResult]:
        """Results of the Core constraints of ``plan`` for one focus node."""
        out = []
        shape, path = plan.shape, plan.path
        if path is not None:
            values = self._values(node, plan)
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

    def _conforms(self, plan: Plan, node: Node) -> bool:
        return not self._core(plan, node, _VIOLATION)


def _get(sol, name: str):
    try:
        return sol[name]
    except (KeyError, IndexError):
        return None
