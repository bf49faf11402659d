"""The term conversions the fast engine uses millions of times: the same terms as rdflib's and
pyoxigraph's own constructors, both ways."""

from __future__ import annotations

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib import BNode, URIRef
from rdflib import Literal as RdfLiteral

from graph.history import lines_text
from shapes.results import to_oxigraph, to_rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"

CASES = [
    (NamedNode("https://w3id.org/yishu/id/resource/R-MZ-DB"),
     URIRef("https://w3id.org/yishu/id/resource/R-MZ-DB")),
    (NamedNode("https://w3id.org/yishu/id/item/R-MZ-DB/%E8%BA%AB%E4%BB%BD"),
     URIRef("https://w3id.org/yishu/id/item/R-MZ-DB/%E8%BA%AB%E4%BB%BD")),
    (BlankNode("b0"), BNode("b0")),
    (Literal("低保"), RdfLiteral("低保")),
    (Literal("民政局", language="zh"), RdfLiteral("民政局", lang="zh")),
    (Literal("true", datatype=NamedNode(XSD + "boolean")), RdfLiteral(True)),
    (Literal("2026-09-30", datatype=NamedNode(XSD + "date")),
     RdfLiteral("2026-09-30", datatype=URIRef(XSD + "date"))),
]


@pytest.mark.parametrize(("ox", "rdf"), CASES)
def test_to_rdflib_is_rdflibs_own_term(ox, rdf):
    got = to_rdflib(ox)
    assert type(got) is type(rdf)
    assert got == rdf and hash(got) == hash(rdf)
    assert got.n3() == rdf.n3()


@pytest.mark.parametrize(("ox", "rdf"), CASES)
def test_to_oxigraph_round_trip(ox, rdf):
    assert to_oxigraph(rdf) == ox


def test_typed_literal_normalised_as_rdflib_does():
    """rdflib normalises a typed literal's lexical form; equality in the engines' comparison
    depends on it, so the fast conversion keeps it."""
    ox = Literal("01", datatype=NamedNode(XSD + "integer"))
    assert to_rdflib(ox) == RdfLiteral("01", datatype=URIRef(XSD + "integer"))
    assert str(to_rdflib(ox)) == "1"


def test_lines_text_is_one_document():
    lines = [b"<http://x/a> <http://x/p> \"1\" .", b"<http://x/b> <http://x/p> _:n ."]
    assert lines_text(lines) == b"".join(line + b"\n" for line in lines)
    assert lines_text(iter(lines)) == lines_text(lines)
    assert lines_text([]) == b""
