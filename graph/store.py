"""The catalog store: an Oxigraph store on disk (or in memory), one named graph per load source.

A load source is what one load wrote (for example one department's catalog). Replacing it is
atomic: the new triples are written to a staging graph in one transaction, then moved over the
old graph in a second one (a SPARQL ``MOVE``, which Oxigraph runs as a single transaction).
Readers see either the old or the new catalog, never a mix; a failed load changes nothing.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from pyoxigraph import (
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
)

from graph.iris import source_graph
from ontology.namespaces import RDF, YS, sparql_prefixes
from yishu.config import base_iri

__all__ = ["CatalogStore", "SourceInfo", "EXPORT_FORMATS"]

EXPORT_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ttl": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "nt": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "nq": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
    "json-ld": RdfFormat.JSON_LD,
}
_RDF_TYPE = NamedNode(RDF + "type")
_STAGING = "_staging-"

_STATS = sparql_prefixes() + """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } }
GROUP BY ?class ORDER BY ?class
"""


@dataclass(frozen=True)
class SourceInfo:
    name: str
    graph: str
    triples: int


class CatalogStore:
    """The system of record. ``CatalogStore(path)`` opens or creates a store on disk;
    ``CatalogStore()`` is in memory (tests)."""

    def __init__(self, path: str | Path | None = None, *, base: str | None = None,
                 read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.base = base or base_iri()
        if self.path is None:
            self.store = Store()
        elif read_only:
            self.store = Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self.store = Store(str(self.path))
            self._drop_stale_staging()

    # -- sources --------------------------------------------------------------------------
    def graph_of(self, source: str) -> str:
        return source_graph(source, self.base)

    def source_name(self, graph: str) -> str:
        prefix = source_graph("", self.base)
        return unquote(graph[len(prefix):]) if graph.startswith(prefix) else graph

    def sources(self) -> list[SourceInfo]:
        counts: dict[str, int] = {}
        for g in self.store.named_graphs():
            if isinstance(g, NamedNode) and not self._is_staging(g.value):
                counts[g.value] = sum(1 for _ in self.store.quads_for_pattern(None, None, None, g))
        return [SourceInfo(self.source_name(g), g, n) for g, n in sorted(counts.items())]

    def _is_staging(self, graph: str) -> bool:
        return graph.startswith(source_graph(_STAGING, self.base))

    def _drop_stale_staging(self) -> None:
        for g in list(self.store.named_graphs()):
            if isinstance(g, NamedNode) and self._is_staging(g.value):
                self.store.remove_graph(g)

    def owner_resolver(self, replacing: str | None):
        """A resolver for the loader: the source (other than ``replacing``) defining an IRI."""
        skip = self.graph_of(replacing) if replacing is not None else None
        if len(self.store) == 0:
            return lambda iri: None

        def owner(iri: str) -> str | None:
            for q in self.store.quads_for_pattern(NamedNode(iri), _RDF_TYPE, None, None):
                g = q.graph_name
                if isinstance(g, NamedNode) and g.value != skip and not self._is_staging(g.value):
                    return self.source_name(g.value)
            return None

        return owner

    def replace_source(self, source: str, triples: Iterable[Triple]) -> int:
        """Atomically replace everything ``source`` loaded before by ``triples``."""
        target = NamedNode(self.graph_of(source))
        staging = NamedNode(source_graph(f"{_STAGING}{uuid.uuid4().hex}", self.base))
        quads = [Quad(t.subject, t.predicate, t.object, staging) for t in triples]
        try:
            self.store.extend(quads)  # one transaction
            # one transaction: drop the old graph and move the new one in
            self.store.update(f"MOVE SILENT GRAPH <{staging.value}> TO GRAPH <{target.value}>")
        except BaseException:
            self.store.remove_graph(staging)
            raise
        self.store.flush() if self.path is not None else None
        return len(quads)

    def remove_source(self, source: str) -> bool:
        g = NamedNode(self.graph_of(source))
        if not any(True for _ in self.store.quads_for_pattern(None, None, None, g)):
            return False
        self.store.remove_graph(g)
        return True

    # -- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.store)

    def query(self, sparql: str, **bindings):
        """Run a SPARQL query over the union of all sources; ``bindings`` are substituted as
        RDF terms by the engine (never spliced into the text)."""
        return self.store.query(sparql, use_default_graph_as_union=True,
                                substitutions=_substitutions(bindings) or None)

    def select(self, sparql: str, **bindings) -> list[dict[str, object]]:
        res = self.query(sparql, **bindings)
        names = [v.value for v in res.variables]
        return [{n: _py(sol[n]) for n in names} for sol in res]

    def stats(self) -> dict[str, int]:
        """Entities per class (class IRIs shortened to ``ys:Name`` where they are Yishu's)."""
        out = {}
        for row in self.select(_STATS):
            cls = str(row["class"])
            out["ys:" + cls[len(YS):] if cls.startswith(YS) else cls] = int(row["n"])  # type: ignore[arg-type]
        return out

    # -- export ---------------------------------------------------------------------------
    def export(self, fmt: str = "turtle", source: str | None = None) -> bytes:
        """Serialise the catalog (or one source). Triple formats merge all sources."""
        rdf_format = EXPORT_FORMATS.get(fmt.lower())
        if rdf_format is None:
            raise ValueError(f"unsupported export format {fmt!r}; use one of "
                             + ", ".join(sorted(EXPORT_FORMATS)))
        graphs = [NamedNode(self.graph_of(source))] if source else [
            g for g in self.store.named_graphs()
            if isinstance(g, NamedNode) and not self._is_staging(g.value)]
        buf = io.BytesIO()
        if rdf_format.supports_datasets:
            quads: Iterator[Quad] = (q for g in graphs
                                     for q in self.store.quads_for_pattern(None, None, None, g))
            from pyoxigraph import serialize
            serialize(quads, buf, rdf_format, prefixes=_export_prefixes())
        else:
            triples = {q.triple for g in graphs
                       for q in self.store.quads_for_pattern(None, None, None, g)}
            from pyoxigraph import serialize
            serialize(sorted(triples, key=str), buf, rdf_format, prefixes=_export_prefixes()
                      if rdf_format is not RdfFormat.N_TRIPLES else None)
        return buf.getvalue()

    def load_rdf(self, data: bytes, fmt: str, source: str) -> int:
        """Parse RDF (any graph names are ignored) and replace ``source`` with it."""
        from pyoxigraph import parse

        rdf_format = EXPORT_FORMATS.get(fmt.lower())
        if rdf_format is None:
            raise ValueError(f"unsupported RDF format {fmt!r}")
        triples = [q.triple if isinstance(q, Quad) else q
                   for q in parse(data, rdf_format, base_iri=self.base)]
        return self.replace_source(source, triples)

    def close(self) -> None:
        if self.path is not None:
            self.store.flush()
        del self.store


def _export_prefixes() -> dict[str, str]:
    from ontology.namespaces import PREFIXES
    return {k: v for k, v in PREFIXES.items() if k not in ("sh", "owl")}


def _substitutions(bindings: dict[str, object]) -> dict:
    from pyoxigraph import Literal, Variable

    out = {}
    for k, v in bindings.items():
        if v is None:
            continue
        if isinstance(v, (NamedNode, Literal)):
            term = v
        elif isinstance(v, str) and v.startswith(("http://", "https://", "urn:")):
            term = NamedNode(v)
        else:
            term = Literal(v)  # type: ignore[arg-type]
        out[Variable(k)] = term
    return out


def _py(term) -> object:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    value = getattr(term, "value", None)
    dtype = getattr(getattr(term, "datatype", None), "value", "")
    if dtype.endswith(("#integer", "#long", "#int")):
        return int(value)  # type: ignore[arg-type]
    if dtype.endswith("#boolean"):
        return value == "true"
    if dtype.endswith(("#decimal", "#double", "#float")):
        return float(value)  # type: ignore[arg-type]
    return value

