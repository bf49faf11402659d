"""The audit's working copy of the catalog: an in-memory Oxigraph store holding the union of the
current sources (the audit adds inferred triples to it, never to the catalog), its entities
(class, label, department), one department's slice for the reference engine, and the plain
rdflib Graph of it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from pyoxigraph import DefaultGraph, NamedNode, Store
from rdflib import Graph

from shapes.results import to_rdflib

__all__ = ["working_store", "delete_entities", "rdflib_graph", "Entities", "resolve_department",
           "department_slice"]

_ENTITIES = "entities.rq"
_BY_PREDICATE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def working_store(catalog, threads: int = 2, hidden: Collection[str] = ()) -> Store:
    """An in-memory Oxigraph copy of the catalog: the union of its current sources in the
    default graph (the audit adds inferred triples to it, never to the catalog), without the
    ``hidden`` entities: every statement about one or naming one is left out
    (:func:`delete_entities`), so the copy is the catalog as if they had been deleted.

    Reading the on-disk store is the cost (Oxigraph looks up every term's text): the copy is
    read one (graph, predicate) at a time on ``threads`` threads — Oxigraph releases the GIL
    while it serialises a result — and parsed into the copy as N-Triples (``load``: into an
    in-memory store it is twice as fast as ``bulk_load`` at city scale). The parser renames
    blank nodes per document, so every part that may hold one (its text has ``_:``) is loaded
    as one document, keeping a blank node shared across predicates one node. The text is
    Oxigraph's own serialisation, so it is parsed ``lenient`` (IRIs and literals not checked
    again: a quarter less time)."""
    from concurrent.futures import ThreadPoolExecutor

    from pyoxigraph import RdfFormat

    take = getattr(catalog, "take", None)
    if take is not None:  # a catalog as of a date built for this audit (graph.asof_owned):
        work = take()  # already in a store of its own, in the default graph — no copy
        delete_entities(work, hidden)
        return work
    if getattr(catalog, "path", True) is None:  # in memory (the catalog as of a date): no
        # term lookups on disk to spread over threads — one dump of each version graph, loaded
        # as one document (a blank node shared by two graphs stays one node)
        work = Store()
        work.load(b"".join(catalog.store.dump(format=RdfFormat.N_TRIPLES, from_graph=ver)
                           for ver in catalog.current_graphs()), RdfFormat.N_TRIPLES,
                  lenient=True)
        delete_entities(work, hidden)
        return work
    parts = [(ver, pred) for ver in catalog.current_graphs() for pred in catalog.predicates(ver)]

    def read(part) -> bytes:
        ver, pred = part
        return catalog.query_graph(ver, _BY_PREDICATE, p=pred).serialize(
            format=RdfFormat.N_TRIPLES)

    work = Store()
    with_blank_nodes: list[bytes] = []
    with ThreadPoolExecutor(max(1, threads)) as pool:
        for data in pool.map(read, parts):
            if b"_:" in data:
                with_blank_nodes.append(data)
            else:
                work.load(data, RdfFormat.N_TRIPLES, lenient=True)
    if with_blank_nodes:
        work.load(b"".join(with_blank_nodes), RdfFormat.N_TRIPLES, lenient=True)
    delete_entities(work, hidden)
    return work


def delete_entities(work: Store, iris: Collection[str]) -> int:
    """Delete from ``work`` every statement whose subject is one of ``iris`` or whose object
    names one (the deletion of the access policy, api.policy.visible_triples); returns how
    many statements went."""
    gone = 0
    for iri in sorted(iris):
        node = NamedNode(iri)
        quads = list(work.quads_for_pattern(node, None, None, None))
        quads += work.quads_for_pattern(None, None, node, None)
        for q in quads:
            work.remove(q)
        gone += len(quads)
    return gone


def rdflib_graph(work: Store) -> Graph:
    """The plain way: the whole catalog as an rdflib Graph (N-Triples → rdflib)."""
    from pyoxigraph import RdfFormat

    data = work.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
    g = Graph()
    g.parse(data=data.decode("utf-8"), format="nt")
    return g


@dataclass
class Entities:
    """Every entity of the working copy: its class local name, label and department."""
    cls: dict[str, str]
    label: dict[str, str]
    dept: dict[str, str]

    @classmethod
    def load(cls, work: Store) -> Entities:
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


def department_slice(work: Store, dept_iri: str, entities: Entities | None = None) -> Graph:
    """The department's entities and everything their rules look at, as an rdflib Graph.

    Entities are taken *whole* (all their triples, and what they reference is taken too) or
    *shallow* (their own triples only). Whole: the department's entities; resources upstream
    (上游资源代码 / 来源资源代码, transitively) with all their items; the data elements they
    carry or need. Shallow: anything else referenced; for every whole data element, the items
    carrying it and the responsibilities needing it, with the items' resources.
    """
    ents = entities or Entities.load(work)
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
