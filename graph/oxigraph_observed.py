"""Observed lineage edges for the Oxigraph engine (OBSERVED_DERIVED_FROM between resources,
OBSERVED_ITEM_DERIVED_FROM between items), walked from the anchors a few indexed lookups at a
time (:meth:`graph.store.CatalogStore.match`) instead of one SPARQL join: the join has to go
through string keys ("namespace|name": ys:physicalDataset on the resource, a template cell
tagged @zh or plain from RDF; ys:datasetKey on the event's dataset, plain) and field names, which
a query planner cannot index. The same relation as graph/queries/observed_edges.rq and
observed_item_edges.rq, which the Neo4j projection materialises."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from pyoxigraph import Literal, NamedNode

from graph.model import Edge
from graph.store import CatalogStore
from ontology.namespaces import RDF, RDFS, YS

__all__ = ["observed_resource_edges", "observed_item_edges"]

_TYPE, _LABEL = NamedNode(RDF + "type"), NamedNode(RDFS + "label")
_P = {k: NamedNode(YS + k) for k in ("physicalDataset", "datasetKey", "flowInput", "flowOutput",
                                     "hasField", "inResource")}
_C = {k: NamedNode(YS + k) for k in ("ObservedFlow", "FieldDerivation", "DataResource",
                                     "InformationItem")}


class _Links:
    def __init__(self, store: CatalogStore):
        self.store = store
        self.graphs = store.current_graphs()

    def objects(self, s: str, p: str) -> list:
        return [q.object for q in self.store.match(NamedNode(s), _P[p], None, self.graphs)]

    def subjects(self, p: str, o: NamedNode | Literal) -> list[str]:
        return [q.subject.value for q in self.store.match(None, _P[p], o, self.graphs)]

    def is_a(self, s: str, cls: str) -> bool:
        return any(True for _ in self.store.match(NamedNode(s), _TYPE, _C[cls], self.graphs))

    def labels(self, s: str) -> set[str]:
        return {q.object.value for q in self.store.match(NamedNode(s), _LABEL, None, self.graphs)}

    def datasets_of(self, resource: str) -> list[str]:
        """The observed datasets a resource declares (ys:physicalDataset = ys:datasetKey)."""
        return [d for k in self.objects(resource, "physicalDataset")
                for d in self.subjects("datasetKey", Literal(k.value))]

    def declaring(self, dataset: str) -> list[str]:
        """The resources declaring a dataset as theirs."""
        out = []
        for key in self.objects(dataset, "datasetKey"):
            for lit in (Literal(key.value, language="zh"), Literal(key.value)):
                out += [r for r in self.subjects("physicalDataset", lit)
                        if self.is_a(r, "DataResource")]
        return out

    def across(self, node: str, upstream: bool, cls: str) -> Iterable[str]:
        """What an observed flow (dataset → dataset) or derivation (field → field) of class
        ``cls`` links ``node`` to, against (``upstream``) or along the data."""
        here, there = ("flowOutput", "flowInput") if upstream else ("flowInput", "flowOutput")
        for link in self.subjects(here, NamedNode(node)):
            if self.is_a(link, cls):
                yield from (o.value for o in self.objects(link, there))


# id(store) -> (version token, resources declaring a dataset events named, their items)
_ANCHORS: dict[int, tuple[tuple, frozenset[str], frozenset[str]]] = {}


def _anchors(store: CatalogStore) -> tuple[frozenset[str], frozenset[str]]:
    """The resources that declare a dataset events named (ys:physicalDataset = some
    ys:datasetKey), and their items: only these can have observed edges. Kept per store version
    (an append changes the token), so a lineage walk asks each node one set membership instead
    of a few lookups per source graph."""
    token = tuple((s.graph, s.version, s.triples) for s in store.sources())
    found = _ANCHORS.get(id(store))
    if found is not None and found[0] == token:
        return found[1], found[2]
    graphs = store.current_graphs()
    keys = {q.object.value for q in store.match(None, _P["datasetKey"], None, graphs)}
    resources = frozenset(q.subject.value for q in store.match(None, _P["physicalDataset"], None,
                                                               graphs) if q.object.value in keys)
    items = frozenset(q.subject.value for r in resources
                      for q in store.match(None, _P["inResource"], NamedNode(r), graphs))
    _ANCHORS[id(store)] = (token, resources, items)
    return resources, items


def observed_resource_edges(store: CatalogStore, iris: Collection[str],
                            upstream: bool) -> set[Edge]:
    links = _Links(store)
    out = set()
    anchors, _items = _anchors(store)
    for anchor in iris:
        if anchor not in anchors or not links.is_a(anchor, "DataResource"):
            continue
        for ds in links.datasets_of(anchor):
            for other_ds in links.across(ds, upstream, "ObservedFlow"):
                for other in links.declaring(other_ds):
                    if other != anchor:
                        s, t = (other, anchor) if upstream else (anchor, other)
                        out.add(Edge(s, t, "OBSERVED_DERIVED_FROM"))
    return out


def observed_item_edges(store: CatalogStore, iris: Collection[str], upstream: bool) -> set[Edge]:
    links = _Links(store)
    out = set()
    _resources, anchors = _anchors(store)
    for anchor in iris:
        if anchor not in anchors:
            continue
        names = links.labels(anchor)
        homes = [o.value for o in links.objects(anchor, "inResource")]
        if not names or not homes or not links.is_a(anchor, "InformationItem"):
            continue
        for ds in (d for r in homes for d in links.datasets_of(r)):
            for f in (o.value for o in links.objects(ds, "hasField")):
                if not links.labels(f) & names:
                    continue
                for other_f in links.across(f, upstream, "FieldDerivation"):
                    other_names = links.labels(other_f)
                    for other_ds in links.subjects("hasField", NamedNode(other_f)):
                        for res in links.declaring(other_ds):
                            for item in links.subjects("inResource", NamedNode(res)):
                                if (item != anchor and links.labels(item) & other_names
                                        and links.is_a(item, "InformationItem")):
                                    s, t = (item, anchor) if upstream else (anchor, item)
                                    out.add(Edge(s, t, "OBSERVED_ITEM_DERIVED_FROM"))
    return out
