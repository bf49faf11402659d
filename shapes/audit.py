"""The audit engine: run the shapes over the catalog (or one department) and score it.

Two engines give the same findings (a test holds them to it):

- ``pyshacl``: the reference — pyshacl (SHACL Core + SHACL-SPARQL + SHACL-AF rules) over an
  rdflib Graph built from the store (N-Triples export → rdflib parse); for one department, over
  that department's slice (its entities plus everything their rules look at).
- ``fast`` (default): the same shapes graph evaluated on an in-memory Oxigraph copy of the
  store (:mod:`shapes.fast`) — each SPARQL constraint runs once, not once per focus node.

The result carries the standard SHACL validation report, one :class:`Finding` per rule and
focus node (with kind, code, label, department, messages, fix hint, offending values), scores
per department and overall (:mod:`shapes.scores`) and the seed figures (:mod:`shapes.figures`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from pyoxigraph import DefaultGraph, NamedNode, Store
from rdflib import Graph, Literal, URIRef

from graph.iris import code_of, kind_of
from shapes.fast import FastValidator
from shapes.figures import Figure, compute_figures
from shapes.results import RawResult, report_graph, results_from_report, to_rdflib
from shapes.rules import SEVERITY_ORDER, SH, Rule, load_shapes, rule_catalogue
from shapes.scores import Score, compute_scores

__all__ = ["Finding", "AuditResult", "audit", "working_store", "rdflib_graph",
           "department_slice", "ENGINES", "concept_labels", "resolve_department"]

ENGINES = ("fast", "pyshacl")
_ENTITIES = "entities.rq"


@dataclass
class Finding:
    rule: str
    severity: str
    dimension: str
    focus: str  # IRI
    kind: str
    code: str
    label: str
    department: str | None  # department code
    department_name: str | None
    message_zh: str
    message_en: str
    fix_zh: str
    fix_en: str
    values: list[str] = field(default_factory=list)  # offending values, for display
    path: str | None = None

    @property
    def focus_ref(self) -> str:
        return f"{self.kind}:{self.code}"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["focus_ref"] = self.focus_ref
        return d


@dataclass
class AuditResult:
    engine: str
    as_of: dt.date
    department: str | None  # code, when the audit was of one department
    rules: dict[str, Rule]
    findings: list[Finding]
    report: Graph
    scores: dict[str | None, Score]  # department code (None = whole scope) -> score
    figures: dict[str | None, dict[str, Figure]]
    departments: dict[str, str]  # code -> name, of the departments in scope
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def reached(self, level: str) -> bool:
        """True when a finding at ``level`` or more severe exists."""
        need = SEVERITY_ORDER[level.capitalize()]
        return any(SEVERITY_ORDER[f.severity] >= need for f in self.findings)

    def keys(self, *severities: str) -> set[tuple[str, str]]:
        """{(rule, kind:code)} of the findings at the given severities (all when none)."""
        return {(f.rule, f.focus_ref) for f in self.findings
                if not severities or f.severity in severities}

    def turtle(self) -> str:
        return self.report.serialize(format="turtle")

    def as_dict(self) -> dict:
        return {
            "engine": self.engine, "as_of": self.as_of.isoformat(), "department": self.department,
            "conforms": self.conforms, "seconds": round(self.seconds, 3),
            "counts": {s: self.count(s) for s in SEVERITY_ORDER},
            "scores": {k or "_all": v.as_dict() for k, v in self.scores.items()},
            "figures": {k or "_all": {n: f.as_dict() for n, f in v.items()}
                        for k, v in self.figures.items()},
            "departments": self.departments,
            "rules": {k: r.as_dict() for k, r in self.rules.items()},
            "findings": [f.as_dict() for f in self.findings],
        }


# -- data -----------------------------------------------------------------------------------
_BY_PREDICATE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def working_store(catalog, threads: int = 2) -> Store:
    """An in-memory Oxigraph copy of the catalog: the union of its current sources in the
    default graph (the audit adds inferred triples to it, never to the catalog).

    Reading the on-disk store is the cost (Oxigraph looks up every term's text): the copy is
    read one (graph, predicate) at a time on ``threads`` threads — Oxigraph releases the GIL
    while it serialises a result — and parsed into the copy as N-Triples (``load``: into an
    in-memory store it is twice as fast as ``bulk_load`` at city scale). The parser renames
    blank nodes per document, so every part that may hold one (its text has ``_:``) is loaded
    as one document, keeping a blank node shared across predicates one node."""
    from concurrent.futures import ThreadPoolExecutor

    from pyoxigraph import RdfFormat, Variable

    src = catalog.store
    p = Variable("p")
    parts = [(ver, pred) for ver in catalog.current_graphs() for pred in catalog.predicates(ver)]

    def read(part) -> bytes:
        ver, pred = part
        return src.query(_BY_PREDICATE, default_graph=ver, substitutions={p: pred}).serialize(
            format=RdfFormat.N_TRIPLES)

    work = Store()
    with_blank_nodes: list[bytes] = []
    with ThreadPoolExecutor(max(1, threads)) as pool:
        for data in pool.map(read, parts):
            if b"_:" in data:
                with_blank_nodes.append(data)
            else:
                work.load(data, RdfFormat.N_TRIPLES)
    if with_blank_nodes:
        work.load(b"".join(with_blank_nodes), RdfFormat.N_TRIPLES)
    return work


def rdflib_graph(work: Store) -> Graph:
    """The plain way: the whole catalog as an rdflib Graph (N-Triples → rdflib)."""
    from pyoxigraph import RdfFormat

    data = work.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
    g = Graph()
    g.parse(data=data.decode("utf-8"), format="nt")
    return g


def concept_labels() -> dict[str, tuple[str, str]]:
    """Code-list concept IRI -> (zh value, en label)."""
    from ontology.codelists import SCHEMES
    from ontology.namespaces import code_iri

    return {code_iri(s.name, slug): (zh, en) for s in SCHEMES.values()
            for zh, slug, en in s.values}


@dataclass
class _Entities:
    cls: dict[str, str]
    label: dict[str, str]
    dept: dict[str, str]

    @classmethod
    def load(cls, work: Store) -> _Entities:
        from shapes.figures import QUERIES

        c: dict[str, str] = {}
        lab: dict[str, str] = {}
        dep: dict[str, str] = {}
        for sol in work.query((QUERIES / _ENTITIES).read_text(encoding="utf-8")):
            e = sol["e"].value
            c.setdefault(e, sol["cls"].value.rsplit("#", 1)[-1])
            if sol["label"] is not None:
                lab.setdefault(e, sol["label"].value)
            if sol["dept"] is not None:
                dep.setdefault(e, sol["dept"].value)
        return cls(c, lab, dep)


def resolve_department(work: Store, code: str, base: str) -> str:
    """Department IRI of a department code; raises LookupError (zh/en) when unknown."""
    from graph.iris import mint

    iri = mint("department", code, base)
    ys_dept = NamedNode("https://w3id.org/yishu/def#Department")
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    if not any(True for _ in work.quads_for_pattern(NamedNode(iri), rdf_type, ys_dept, None)):
        raise LookupError(f"没有编码为 {code!r} 的部门 / no department with code {code!r}")
    return iri


# -- department slice -----------------------------------------------------------------------
_YS = "https://w3id.org/yishu/def#"
_FOLLOW_UPSTREAM = {_YS + "derivedFrom", _YS + "takenFrom"}
_ELEMENT_USES = [NamedNode(_YS + "carries"), NamedNode(_YS + "needsElement")]
_IN_RESOURCE = NamedNode(_YS + "inResource")
_OF_CASE = NamedNode(_YS + "ofRequest")  # a recorded step of a sharing application / objection
_CASES = {"WorkflowRequest", "DataObjection"}
_CODE_NS = "https://w3id.org/yishu/code/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def department_slice(work: Store, dept_iri: str, entities: _Entities | None = None) -> Graph:
    """The department's entities and everything their rules look at, as an rdflib Graph.

    Entities are taken *whole* (all their triples, and what they reference is taken too) or
    *shallow* (their own triples only). Whole: the department's entities; resources upstream
    (上游资源代码 / 来源资源代码, transitively) with all their items; the data elements they
    carry or need. Shallow: anything else referenced; for every whole data element, the items
    carrying it and the responsibilities needing it, with the items' resources.
    """
    ents = entities or _Entities.load(work)
    todo = [e for e, d in ents.dept.items() if d == dept_iri]
    whole: set[str] = set(todo)
    shallow: set[str] = set()
    triples: set = set()

    def quads(s: str | None = None, p: NamedNode | None = None, o: NamedNode | None = None):
        return work.quads_for_pattern(NamedNode(s) if s else None, p, o, DefaultGraph())

    def take_shallow(iri: str) -> None:
        if iri not in whole and iri not in shallow:
            shallow.add(iri)
            triples.update((q.subject, q.predicate, q.object) for q in quads(iri))

    def take_whole(iri: str) -> None:
        if iri not in whole:
            whole.add(iri)
            todo.append(iri)

    while todo:
        iri = todo.pop()
        for q in quads(iri):
            triples.add((q.subject, q.predicate, q.object))
            o = q.object
            if not isinstance(o, NamedNode) or o.value.startswith(_CODE_NS):
                continue
            if q.predicate.value in _FOLLOW_UPSTREAM:
                take_whole(o.value)
                for iq in quads(None, _IN_RESOURCE, o):
                    take_whole(iq.subject.value)
            elif ents.cls.get(o.value) == "DataElement":
                take_whole(o.value)
            elif q.predicate.value != _RDF_TYPE:
                take_shallow(o.value)
        if ents.cls.get(iri) in _CASES:  # its steps (WFL-001/002 replay them)
            for sq in quads(None, _OF_CASE, NamedNode(iri)):
                triples.update((q.subject, q.predicate, q.object)
                               for q in quads(sq.subject.value))
        if ents.cls.get(iri) == "DataElement":
            for p in _ELEMENT_USES:
                for uq in quads(None, p, NamedNode(iri)):
                    take_shallow(uq.subject.value)
                    for rq in quads(uq.subject.value, _IN_RESOURCE):
                        take_shallow(rq.object.value)
    g = Graph()
    for s, p, o in triples:
        g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return g


# -- the audit ------------------------------------------------------------------------------
def _run_pyshacl(data: Graph, shapes: Graph) -> tuple[Graph, list[RawResult]]:
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True,
                                    allow_warnings=True, inplace=True)
    return report, results_from_report(report)


def audit(catalog, *, department: str | None = None, as_of: dt.date | str | None = None,
          engine: str = "fast", pending_days: int | None = None,
          max_maintenance_age_days: int | None = None,
          progress_factory: Callable[[int], Callable[[int], None]] | None = None
          ) -> AuditResult:
    """Audit the catalog (a :class:`graph.store.CatalogStore`), or one department by code.
    ``progress_factory(total)`` gives an ``update(n)`` called as the audit's steps finish
    (copying the store, each shape, scoring)."""
    if engine not in ENGINES:
        raise ValueError(f"未知的审计引擎 {engine!r} / unknown engine {engine!r}: {ENGINES}")
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    day = as_of if isinstance(as_of, dt.date) else (
        dt.date.fromisoformat(as_of) if as_of else dt.datetime.now(dt.timezone(
            dt.timedelta(hours=8))).date())
    shapes = load_shapes(day, pending_days=pending_days,
                         max_maintenance_age_days=max_maintenance_age_days)
    rules = rule_catalogue(shapes)
    fast = FastValidator(shapes)
    steps = 2 + (fast.steps() if engine == "fast" else 1)
    tick = progress_factory(steps) if progress_factory is not None else None
    work = working_store(catalog)
    if tick is not None:
        tick(1)
    timings["copy"] = time.perf_counter() - t0
    base = catalog.base
    dept_iri = resolve_department(work, department, base) if department else None
    ents = _Entities.load(work)

    t1 = time.perf_counter()
    if engine == "fast":
        raw = fast.validate(work, tick)  # also materialises the inferred lineage in ``work``
        report = None
    else:
        data = department_slice(work, dept_iri, ents) if dept_iri else rdflib_graph(work)
        timings["rdflib"] = time.perf_counter() - t1
        report, raw = _run_pyshacl(data, shapes)
        fast.store = work  # for focus-node counting below: apply the same rules to ``work``
        fast._targets_cache, fast._path_cache = {}, {}
        fast._apply_rules()
        if tick is not None:
            tick(1)
    timings["validate"] = time.perf_counter() - t1

    def in_scope(iri: str) -> bool:
        return dept_iri is None or ents.dept.get(iri) == dept_iri

    raw = [r for r in raw if in_scope(str(r.focus))]
    shape_rule = {s: rid for rid, r in rules.items() for s in r.shapes}
    messages: dict[str, list[Literal]] = {}
    for s in shape_rule:
        messages[s] = [m for m in shapes.objects(URIRef(s), SH.message)]
    if report is None or dept_iri is not None:
        report = report_graph(raw, messages)

    findings = _findings(raw, rules, shape_rule, ents, work, base, shapes)
    t2 = time.perf_counter()
    # focus nodes per rule (for the scores): union over the rule's shapes
    focus_by_rule: dict[str, set[str]] = defaultdict(set)
    for rid, r in rules.items():
        for s in r.shapes:
            focus_by_rule[rid] |= {str(n) for n in fast._focus_nodes(URIRef(s))
                                   if in_scope(str(n))}
    dept_codes = {iri: code_of(iri, base) for iri, c in ents.cls.items() if c == "Department"}
    scores = compute_scores(rules, findings, focus_by_rule, ents.dept, dept_codes)
    figures_all = compute_figures(work)
    figures = {None if k is None else dept_codes.get(k, k): v for k, v in figures_all.items()
               if dept_iri is None or k == dept_iri}
    if dept_iri is not None:
        figures[None] = figures_all.get(dept_iri) or compute_figures(Store()).get(None)
        scores = {k: v for k, v in scores.items() if k in (None, department)}
    departments = {code_of(i, base): ents.label.get(i, "") for i in dept_codes
                   if dept_iri is None or i == dept_iri}
    timings["score"] = time.perf_counter() - t2
    if tick is not None:
        tick(1)
    return AuditResult(engine, day, department, rules, findings, report, scores, figures,
                       dict(sorted(departments.items())), time.perf_counter() - t0, timings)


def _shape_texts(shapes: Graph, shape: str, rule: Rule) -> tuple[str, str, str, str]:
    """A shape's own message and fix hint (zh, en), else its rule's: a rule with several shapes
    (CAT-001 name / provider / sharing type) says which one failed."""
    from shapes.rules import YS, shape_text

    node = URIRef(shape)
    return (shape_text(shapes, node, SH.message, "zh") or rule.message_zh,
            shape_text(shapes, node, SH.message, "en") or rule.message_en,
            shape_text(shapes, node, YS.fixHint, "zh") or rule.fix_zh,
            shape_text(shapes, node, YS.fixHint, "en") or rule.fix_en)


def _findings(raw: list[RawResult], rules: dict[str, Rule], shape_rule: dict[str, str],
              ents: _Entities, work: Store, base: str, shapes: Graph) -> list[Finding]:
    labels = concept_labels()
    texts: dict[str, tuple[str, str, str, str]] = {}

    def show(term) -> str:
        s = str(term)
        if s in labels:
            return labels[s][0]
        if isinstance(term, URIRef):
            k = kind_of(s, base)
            if k:
                lab = ents.label.get(s)
                return f"{k}:{code_of(s, base)}" + (f"（{lab}）" if lab else "")
        if isinstance(term, Literal):
            return str(term.toPython()) if term.datatype is None else str(term)
        return s

    grouped: dict[tuple[str, str], list[RawResult]] = defaultdict(list)
    for r in raw:
        rid = shape_rule.get(str(r.shape))
        if rid is None:
            continue
        grouped[(rid, str(r.focus))].append(r)
    out = []
    for (rid, focus), rs in grouped.items():
        rule = rules[rid]
        values: list[str] = []
        for r in rs:
            if r.value is not None and str(r.value) != focus:
                values.append(show(r.value))
        if not values and rule.value_paths:
            for vp in rule.value_paths:
                for q in work.quads_for_pattern(NamedNode(focus), NamedNode(vp), None, None):
                    values.append(show(to_rdflib(q.object)))
        values = sorted(set(values))
        path = next((str(r.path) for r in rs if r.path is not None), None)
        shown = "、".join(values) if values else ""
        for shape in {str(r.shape) for r in rs} - texts.keys():
            texts[shape] = _shape_texts(shapes, shape, rule)
        # the texts of the shapes that failed, in shape order, each text once
        parts = [texts[shape] for shape in sorted({str(r.shape) for r in rs})]
        msg_zh, msg_en, fix_zh, fix_en = (
            sep.join(dict.fromkeys(p[i] for p in parts))
            for i, sep in enumerate(("；", "; ", "；", " ")))
        dept = ents.dept.get(focus)
        out.append(Finding(
            rule=rid, severity=rule.severity, dimension=rule.dimension, focus=focus,
            kind=kind_of(focus, base) or ents.cls.get(focus, "entity").lower(),
            code=code_of(focus, base), label=ents.label.get(focus, ""),
            department=code_of(dept, base) if dept else None,
            department_name=ents.label.get(dept) if dept else None,
            message_zh=msg_zh.replace("{?value}", shown),
            message_en=msg_en.replace("{?value}", shown),
            fix_zh=fix_zh, fix_en=fix_en, values=values, path=path))
    out.sort(key=lambda f: (-SEVERITY_ORDER[f.severity], f.department or "", f.rule, f.code))
    return out

