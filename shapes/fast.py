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

_CORE = {SH.minCount, SH.maxCount, SH.hasValue, SH["in"], SH["not"], SH["and"], SH["or"],
         SH.property}
_IGNORED = {SH.severity, SH.message, SH.name, SH.description, SH.targetClass, SH.targetNode,
            SH.targetSubjectsOf, SH.targetObjectsOf, SH.path, SH.sparql, SH.rule, SH.order,
            SH.deactivated, RDF.type}


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
        self._memo: dict[tuple[Node, Node], list[Node]] = {}
        self._checked: set[Node] = set()
        self.components = self._components()

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
    def validate(self, store: Store) -> list[RawResult]:
        """Apply the SHACL-AF rules (adding their triples to ``store``), then validate."""
        self.store = store
        self._targets_cache: dict[tuple[str, str], frozenset] = {}
        self._path_cache: dict[str, dict[Node, list[Node]]] = {}
        self._apply_rules()
        results: list[RawResult] = []
        for shape in sorted(set(self._top_shapes()), key=str):
            if self.g.value(shape, SH.deactivated) is not None and bool(
                    self.g.value(shape, SH.deactivated).toPython()):
                continue
            focus = self._focus_nodes(shape)
            if not focus:
                continue
            results.extend(self._validate_shape(shape, focus))
        return results

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

    def _apply_rules(self) -> None:
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
        self._targets_cache.clear()
        self._path_cache.clear()

    def _validate_shape(self, shape: Node, focus: set[Node]) -> list[RawResult]:
        g = self.g
        sev = g.value(shape, SH.severity) or SH.Violation
        out: list[RawResult] = []
        for p, _ in g.predicate_objects(shape):
            if p not in _CORE and p not in _IGNORED and not self._is_param(p) \
                    and not str(p).startswith("https://w3id.org/yishu/"):
                if p.startswith(str(SH)) and p not in (SH.prefixes, SH.declare):
                    raise UnsupportedShape(f"{shape}: constraint {p}")
        path = g.value(shape, SH.path)
        for node in sorted(focus, key=str):
            out.extend(self._core(shape, node, path, sev))
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

    def _core(self, shape, node, path, sev) -> list[RawResult]:
        """Results of the Core constraints of ``shape`` for one focus node."""
        out = []
        if path is not None:
            values = self._values(node, path)
            n = self._one(shape, SH.minCount)
            if n is not None and len(values) < int(n):
                out.append(RawResult(node, shape, sev, SH.MinCountConstraintComponent, None, path))
            n = self._one(shape, SH.maxCount)
            if n is not None and len(values) > int(n):
                out.append(RawResult(node, shape, sev, SH.MaxCountConstraintComponent, None, path))
            for hv in self._all(shape, SH.hasValue):
                if hv not in values:
                    out.append(RawResult(node, shape, sev, SH.HasValueConstraintComponent, None,
                                         path))
            lst = self._one(shape, SH["in"])
            if lst is not None:
                allowed = set(self._list(lst))
                for v in values:
                    if v not in allowed:
                        out.append(RawResult(node, shape, sev, SH.InConstraintComponent, v, path))
            value_nodes = values
        else:
            lst = self._one(shape, SH["in"])
            if lst is not None and node not in set(self._list(lst)):
                out.append(RawResult(node, shape, sev, SH.InConstraintComponent, node, None))
            for hv in self._all(shape, SH.hasValue):
                if hv != node:
                    out.append(RawResult(node, shape, sev, SH.HasValueConstraintComponent, node,
                                         None))
            value_nodes = [node]
        for v in value_nodes:
            for sub in self._all(shape, SH["not"]):
                if self._conforms(sub, v):
                    out.append(RawResult(node, shape, sev, SH.NotConstraintComponent, v,
                                         path if path is not None else None))
            for lst in self._all(shape, SH["and"]):
                if not all(self._conforms(s, v) for s in self._list(lst)):
                    out.append(RawResult(node, shape, sev, SH.AndConstraintComponent, v, path))
            for lst in self._all(shape, SH["or"]):
                if not any(self._conforms(s, v) for s in self._list(lst)):
                    out.append(RawResult(node, shape, sev, SH.OrConstraintComponent, v, path))
            for prop in self._all(shape, SH.property):
                out.extend(self._core(prop, v, self._one(prop, SH.path),
                                      self._one(prop, SH.severity) or SH.Violation))
        return out

    def _conforms(self, shape, node) -> bool:
        if shape not in self._checked:
            for p, _ in self.g.predicate_objects(shape):
                if p not in _CORE and p not in _IGNORED:
                    raise UnsupportedShape(f"nested shape {shape}: {p}")
            self._checked.add(shape)
        return not self._core(shape, node, self._one(shape, SH.path), SH.Violation)

    # The shapes graph does not change during a run: its lookups are memoised (rdflib lookups
    # per focus node and constraint were most of the SHACL Core time).
    def _all(self, node: Node, p: Node) -> list[Node]:
        key = (node, p)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = list(self.g.objects(node, p))
        return hit

    def _one(self, node: Node, p: Node) -> Node | None:
        values = self._all(node, p)
        return values[0] if values else None

    def _list(self, head: Node) -> list[Node]:
        key = (head, RDF.first)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = list(Collection(self.g, head))
        return hit




def _get(sol, name: str):
    try:
        return sol[name]
    except (KeyError, IndexError):
        return None
