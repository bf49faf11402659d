"""The registry graph's vocabulary: which version graph is current for each load source, when
and by whom it was loaded and how many triples it holds, and the updates that switch them.

Terms are written into the updates with ``str(term)``, pyoxigraph's N-Triples serialisation of
an already-validated NamedNode/Literal (source names are percent-encoded into the IRI), so no
user text reaches an update unescaped. Oxigraph runs one update as one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from ontology.namespaces import RDF, YS

__all__ = ["COUNT", "CURRENT", "LOADED_AT", "LOADED_BY", "RDF_TYPE", "SWITCH", "SourceInfo",
           "TRIPLES", "UNREGISTER"]

RDF_TYPE = NamedNode(RDF + "type")
CURRENT = NamedNode(YS + "currentVersion")
LOADED_AT = NamedNode(YS + "loadedAt")
TRIPLES = NamedNode(YS + "tripleCount")
LOADED_BY = NamedNode(YS + "loadedBy")

SWITCH = """
DELETE WHERE {{ GRAPH {registry} {{ {source} ?p ?o }} }} ;
INSERT DATA {{ GRAPH {registry} {{
  {source} {current} {version} ; {loaded_at} {now} ; {triple_count} {count} }} }}
"""
COUNT = """
DELETE WHERE {{ GRAPH {registry} {{ {source} {triple_count} ?n }} }} ;
INSERT DATA {{ GRAPH {registry} {{ {source} {triple_count} {count} }} }}
"""
UNREGISTER = "DELETE WHERE {{ GRAPH {registry} {{ {source} ?p ?o }} }}"


@dataclass(frozen=True)
class SourceInfo:
    """A load source as the registry knows it."""
    name: str
    graph: str  # the source's stable IRI
    version: str  # the named graph holding its current triples
    triples: int
    loaded_at: str | None
    loaded_by: str | None = None  # who loaded it, when the face that loaded it said
