"""The JSON-LD export is compact, with Yishu's context, and loses nothing."""

from __future__ import annotations

import json

import pytest
import rdflib
from pyoxigraph import RdfFormat, parse
from rdflib.compare import isomorphic

from graph.store import CatalogStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own JSON-LD


def _rdflib(data: bytes, fmt: str) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=data.decode("utf-8"), format=fmt)
    return g


def test_the_demo_exports_compact_and_round_trips(demo_store):
    data = demo_store.export("jsonld")
    doc = json.loads(data)
    assert doc["@context"]["provider"] == {"@id": "ys:provider", "@type": "@id"}
    node = next(n for n in doc["@graph"] if n["id"].endswith("/department/YX-GA"))
    assert node["type"] == "Department" and node["identifier"] == "YX-GA"
    assert node["label"] == "江州市公安局云溪分局"
    assert node["adminLevel"] == "code:AdminLevel/county"
    element = next(n for n in doc["@graph"] if n.get("identifier") == "DE-0101")
    assert isinstance(element["altLabel"], list)  # a @set term is always a list
    nt = demo_store.export("ntriples")
    assert isomorphic(_rdflib(data, "json-ld"), _rdflib(nt, "nt"))
    assert len(list(parse(data, RdfFormat.JSON_LD))) == len(list(parse(nt, RdfFormat.N_TRIPLES)))


def test_values_that_do_not_fit_a_term_keep_their_form(tmp_path):
    """An English label, a typed literal on a plain-text property, a literal where an IRI is
    expected, a blank node, an unknown property and class: all survive, none under a term."""
    store = CatalogStore(tmp_path / "store")
    x = "https://data.yishu.example/department/D-X"
    ys = "https://w3id.org/yishu/def#"
    store.load_rdf(f"""
        <{x}> a <{ys}Department> , <http://example.org/Other> ;
          <http://www.w3.org/2000/01/rdf-schema#label> "X bureau"@en , "某局"@zh ;
          <http://purl.org/dc/terms/identifier> "7"^^<http://www.w3.org/2001/XMLSchema#integer> ;
          <{ys}adminLevel> "county" ;
          <{ys}contactPhone> _:b ;
          <http://example.org/p> "v" .
        _:b <{ys}contactPhone> "0513" .
    """.encode(), "turtle", "odd")
    data = store.export("jsonld")
    node = next(n for n in json.loads(data)["@graph"] if n["id"] == x)
    assert node["label"] == "某局"
    assert node["rdfs:label"] == {"@value": "X bureau", "@language": "en"}
    assert node["dcterms:identifier"] == {"@value": "7", "@type": "xsd:integer"}
    assert node["ys:adminLevel"] == {"@value": "county"}
    assert sorted(node["type"]) == ["Department", "http://example.org/Other"]
    assert isomorphic(_rdflib(data, "json-ld"), _rdflib(store.export("ntriples"), "nt"))
