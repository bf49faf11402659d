"""Catalogs for the leak tests: a fixture catalog with chosen resources and systems marked 涉密
(and extra lineage statements), and the same catalog with every hidden entry deleted."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from api.policy import PERSON_FIELDS, PHONE_FIELDS, PolicyGraph, Restrictions
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from ontology.namespaces import YS

LINEAGE = Path(__file__).resolve().parents[1] / "fixtures" / "lineage"
_CLASSIFIED = NamedNode(YS + "classified")
_TRUE = Literal("true", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def triples_of(directory: Path) -> list[Triple]:
    """The triples a template directory loads as."""
    s = CatalogStore()
    load_path(s, directory, "base")
    return [Triple(t.subject, t.predicate, t.object)
            for t in parse(s.export("ntriples"), RdfFormat.N_TRIPLES)]


def with_classified(triples: list[Triple], classified: list[str],
                    extra: list[tuple[str, str, str]] = ()) -> list[Triple]:
    """``triples`` with the entities ``classified`` (IRIs) marked 涉密 and ``extra``
    (subject, predicate IRI, object IRI) statements added."""
    marked = set(classified)
    out = [t for t in triples if not (t.subject.value in marked and t.predicate == _CLASSIFIED)]
    out += [Triple(NamedNode(i), _CLASSIFIED, _TRUE) for i in sorted(marked)]
    out += [Triple(NamedNode(s), NamedNode(p), NamedNode(o)) for s, p, o in extra]
    return out


def without(triples: list[Triple], hidden: frozenset[str],
            fields: tuple[str, ...] = PERSON_FIELDS + PHONE_FIELDS) -> list[Triple]:
    """``triples`` with every statement about or naming a hidden entity deleted, and the
    personal-data ``fields`` an anonymous caller may not see."""
    dropped = {YS + f for f in fields}
    return [t for t in triples if t.subject.value not in hidden
            and t.predicate.value not in dropped
            and not (isinstance(t.object, NamedNode) and t.object.value in hidden)]


def store_of(triples: list[Triple]) -> CatalogStore:
    s = CatalogStore()
    s.replace_source("case", triples)
    return s


def roles(graph: OxigraphGraph) -> tuple[PolicyGraph, PolicyGraph, Restrictions]:
    """(anonymous, admin) views of ``graph`` and the restrictions they share."""
    r = Restrictions(graph)
    anon = PolicyGraph(graph, persons=False, phones=False, classified=False, restrictions=r)
    admin = PolicyGraph(graph, persons=True, phones=True, classified=True, restrictions=r)
    return anon, admin, r


def wait_for_audit(client, seconds: float = 120, key: str | None = None) -> None:
    """Wait until the app behind ``client`` (a TestClient) has the audit of the anonymous
    caller (of the caller with API ``key``)."""
    import time

    deadline = time.monotonic() + seconds
    headers = {"X-API-Key": key} if key else {}
    while not client.get("/dashboard/status.json", headers=headers).json().get("finished_at"):
        assert time.monotonic() < deadline, "the audit did not finish"
        time.sleep(0.1)
