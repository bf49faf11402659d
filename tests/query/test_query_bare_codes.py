"""A bare code names a node when exactly one entity carries it (GraphQL, CLI, REST all go through
``iri_of`` / the policy's ``_node``): the same answer as ``kind:code``; AMBIGUOUS with the
candidates when several entities carry it; NOT_FOUND when none does."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.policy import PolicyGraph, Restrictions
from graph.model import Direction
from graph.oxigraph_engine import OxigraphGraph
from graph.query import Ambiguous, NotFound, QueryError
from graph.store import CatalogStore
from loaders import load_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# a system that shares its code with the resource R-A, and a classified one sharing R-B's
NAMESAKES = """
@prefix ys: <https://w3id.org/yishu/def#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://data.yishu.example/system/R-A> a ys:InformationSystem ; dct:identifier "R-A" ;
    rdfs:label "同名系统"@zh .
<https://data.yishu.example/system/R-B> a ys:InformationSystem ; dct:identifier "R-B" ;
    rdfs:label "涉密同名系统"@zh ; ys:classified true .
""".encode()


@pytest.fixture(scope="module")
def graph() -> OxigraphGraph:
    s = CatalogStore()
    load_path(s, FIXTURES / "lineage", "lineage")
    s.load_rdf(NAMESAKES, "turtle", "namesakes")
    return OxigraphGraph(s)


@pytest.mark.parametrize(("bare", "qualified"), [
    ("R-C", "resource:R-C"),
    ("D-MZ", "department:D-MZ"),
    ("S-GA", "system:S-GA"),
    ("E-SFZ", "element:E-SFZ"),
    ("R-B/身份证号", "item:R-B/身份证号"),
])
def test_a_unique_code_answers_like_kind_code(graph, bare, qualified):
    for ask in (lambda n: graph.get(n), lambda n: graph.lineage(n, Direction.BOTH, 2),
                lambda n: graph.impact(n), lambda n: graph.trace_source(n)):
        assert _outcome(ask, bare) == _outcome(ask, qualified)


def _outcome(ask, node):
    try:
        return ask(node)
    except QueryError as e:  # e.g. BAD_KIND for lineage of an element: the same either way
        return e.code


def test_a_shared_code_is_ambiguous_with_its_candidates(graph):
    with pytest.raises(Ambiguous) as e:
        graph.lineage("R-A")
    assert e.value.code == "AMBIGUOUS"
    assert e.value.candidates == ["resource:R-A", "system:R-A"]
    assert "resource:R-A" in str(e.value) and "system:R-A" in str(e.value)


def test_an_unknown_code_is_not_found(graph):
    with pytest.raises(NotFound):
        graph.trace_source("R-NOPE")


def test_a_hidden_namesake_is_no_candidate_for_anonymous(graph):
    """R-B is a resource and (only) a 涉密 system: anonymous callers see one entity, so the bare
    code resolves; a classified-network caller sees both and is told it is ambiguous."""
    restrictions = Restrictions(graph)
    anon = PolicyGraph(graph, persons=False, phones=False, classified=False,
                       restrictions=restrictions)
    full = PolicyGraph(graph, persons=True, phones=True, classified=True,
                       restrictions=restrictions)
    assert "https://data.yishu.example/system/R-B" in restrictions.hidden()
    assert anon.get("R-B").kind == "resource"
    assert [e.kind for e in anon.candidates("R-B")] == ["resource"]
    with pytest.raises(Ambiguous) as e:
        full.get("R-B")
    assert e.value.candidates == ["resource:R-B", "system:R-B"]
