"""Reading a :class:`graph.store.CatalogStore`: indexed lookups, SPARQL over the current (or
pinned) version graphs with user values bound as terms, counts and the export.

A mixin: the store provides ``store`` (the Oxigraph store), ``current_versions()``,
``current_graphs()``, ``graph_of()`` and ``sources()``."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Quad, Triple

from graph.rdf_io import (
    named_graph_format,
    python_value,
    serialize_quads,
    serialize_triples,
    substitutions,
)
from ontology.namespaces import YS, sparql_prefixes

__all__ = ["StoreReads"]

_STATS = sparql_prefixes() + """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY ?class
"""
_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"


class StoreReads:
    """The read half of the catalog store."""

    def match(self, subject: NamedNode | None = None, predicate: NamedNode | None = None,
              obj: NamedNode | Literal | None = None,
              graphs: list[NamedNode] | None = None) -> Iterable[Quad]:
        """The quads of the current sources (or ``graphs``) matching a pattern: indexed lookups
        with no query text, for primitives that walk a few links at a time."""
        for g in self.current_graphs() if graphs is None else graphs:
            yield from self.store.quads_for_pattern(subject, predicate, obj, g)

    def quads_in(self, graph: NamedNode) -> Iterable[Quad]:
        """Every quad of one named graph (a version graph), in the store's order."""
        return self.store.quads_for_pattern(None, None, None, graph)

    def predicates(self, graph: NamedNode) -> list[NamedNode]:
        """The distinct predicates of one named graph (a version graph)."""
        return [sol["p"] for sol in self.store.query(_PREDICATES, default_graph=graph)]

    def query_graph(self, graph: NamedNode, sparql: str, **bindings):
        """Run a SPARQL query over one named graph (a version graph) as the default graph;
        ``bindings`` are substituted as RDF terms (never spliced into the text)."""
        return self.store.query(sparql, default_graph=graph,
                                substitutions=substitutions(bindings) or None)

    # -- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        """Triples in the current sources (from the registry: no scan)."""
        return sum(s.triples for s in self.sources())

    def query(self, sparql: str, **bindings):
        """Run a SPARQL query over the union of the current sources (the default graph; ``GRAPH
        ?g`` sees the current version graphs); ``bindings`` are substituted as RDF terms by the
        engine (never spliced into the text)."""
        graphs = self.current_graphs()
        return self.store.query(sparql, default_graph=graphs or None, named_graphs=graphs,
                                substitutions=substitutions(bindings) or None)

    def select(self, sparql: str, **bindings) -> list[dict[str, object]]:
        res = self.query(sparql, **bindings)
        names = [v.value for v in res.variables]
        return [{n: python_value(sol[n]) for n in names} for sol in res]

    def stats(self) -> dict[str, int]:
        """Entities per class (class IRIs shortened to ``ys:Name`` where they are Yishu's)."""
        out = {}
        for row in self.select(_STATS):
            cls = str(row["class"])
            out["ys:" + cls[len(YS):] if cls.startswith(YS) else cls] = int(row["n"])  # type: ignore[arg-type]
        return out

    # -- export ---------------------------------------------------------------------------
    def export(self, fmt: str = "turtle", source: str | None = None) -> bytes:
        """Serialise the catalog (or one source). N-Quads and TriG name each source's graph by
        its stable IRI; Turtle, N-Triples and JSON-LD merge all sources into one graph."""
        if not named_graph_format(fmt):
            return serialize_triples(self.triples(source), fmt)
        return serialize_quads(
            (Quad(q.subject, q.predicate, q.object, NamedNode(src))
             for src, ver in sorted(self._versions_of(source).items())
             for q in self.store.quads_for_pattern(None, None, None, NamedNode(ver))), fmt)

    def triples(self, source: str | None = None) -> set[Triple]:
        """The triples of the current sources (or of one), as one graph: what the Turtle export
        serialises, without serialising and parsing it again (the DCAT-AP view starts here)."""
        return {q.triple for ver in self._versions_of(source).values()
                for q in self.store.quads_for_pattern(None, None, None, NamedNode(ver))}

    def _versions_of(self, source: str | None) -> dict[str, str]:
        versions = self.current_versions()
        if source is not None:
            src = self.graph_of(source)
            versions = {src: versions[src]} if src in versions else {}
        return versions

