"""Lineage: the breadth-first walk by kind and granularity (its rules: which relationships
lead up or down from each kind), shortest paths, cycles, cuts, and 敏感级别 propagation
upstream."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graph.contract import (
    _CYCLE_SCAN,
    _SENS_LEVELS,
    EDGE_ENDPOINTS,
    MAX_CYCLES,
    EngineContract,
    check_depth,
    check_first,
    enum_arg,
    rank,
)
from graph.model import (
    Direction,
    Edge,
    Entity,
    Evidence,
    Granularity,
    Lineage,
    LineageNode,
)
from graph.query import (
    LINEAGE_KINDS,
)

__all__ = ["LineageQuestions", "lineage_rules", "with_evidence", "merge_evidence", "Rule"]

# ------------------------------------------------------------------------------------------
# Walks
# ------------------------------------------------------------------------------------------
_UP_RESOURCE = frozenset({"DERIVED_FROM", "FLOW", "SOURCE_SYSTEM", "PRODUCES", "PROVIDES"})
_DOWN_RESOURCE = frozenset({"DERIVED_FROM", "FLOW", "FLOW_TO_SYSTEM", "FLOW_TO_DEPARTMENT"})
_ANCHOR = {"department": "PROVIDES", "system": "SOURCE_SYSTEM", "responsibility": "PRODUCES"}
_INFLOW = {"department": "FLOW_TO_DEPARTMENT", "system": "FLOW_TO_SYSTEM"}
Rule = tuple[frozenset[str], bool]  # (edge types, upstream?)
_PROPAGATES = frozenset({"DERIVED_FROM", "ITEM_DERIVED_FROM"})  # sensitivity travels along


def _propagating(evidence: Evidence) -> frozenset[str]:
    return with_evidence(_PROPAGATES, evidence)


# Evidence: the declared lineage edges and their observed counterparts (OpenLineage); the other
# edge types (an item in its resource, a provider, a source system, a producing responsibility)
# are catalog facts that every evidence follows.
_OBSERVED_OF = {"DERIVED_FROM": "OBSERVED_DERIVED_FROM",
                "ITEM_DERIVED_FROM": "OBSERVED_ITEM_DERIVED_FROM"}
_DECLARED_OF = {v: k for k, v in _OBSERVED_OF.items()}
_DECLARED_ONLY = frozenset({"DERIVED_FROM", "ITEM_DERIVED_FROM", "FLOW", "FLOW_TO_SYSTEM",
                            "FLOW_TO_DEPARTMENT"})


def with_evidence(types: frozenset[str], evidence: Evidence) -> frozenset[str]:
    """The edge types a rule follows under ``evidence``."""
    if evidence is Evidence.DECLARED:
        return types
    observed = frozenset(_OBSERVED_OF[t] for t in types if t in _OBSERVED_OF)
    if evidence is Evidence.OBSERVED:
        return (types - _DECLARED_ONLY) | observed
    return types | observed


def merge_evidence(edges: Iterable[Edge]) -> list[Edge]:
    """One edge per (source, target, declared type, via) with its evidence: an observed edge
    takes its declared type's name and, beside a declared twin, becomes BOTH."""
    out: dict[tuple, set[str]] = defaultdict(set)
    for e in edges:
        declared = _DECLARED_OF.get(e.type)
        key = (e.source, e.target, declared or e.type, e.via)
        out[key].add("OBSERVED" if declared else "DECLARED")
    return sorted(Edge(s, t, ty, via, "BOTH" if len(ev) == 2 else next(iter(ev)))
                  for (s, t, ty, via), ev in out.items())


def lineage_rules(kind: str, is_root: bool, up: bool, gran: Granularity) -> list[Rule]:
    """Which edges a node of ``kind`` is expanded along (docs/queries.md, "Lineage")."""
    if gran is Granularity.RESOURCE:
        if kind == "resource":
            return [(_UP_RESOURCE, True)] if up else [(_DOWN_RESOURCE, False)]
        if not is_root:
            return []  # systems, departments, responsibilities, items reached are leaves
        if kind == "item":
            return [(frozenset({"HAS_ITEM"}), True)]
        rules: list[Rule] = [(frozenset({_ANCHOR[kind]}), False)]
        if up and kind in _INFLOW:
            rules.append((frozenset({_INFLOW[kind]}), True))
        return rules
    if kind == "item":
        return [(frozenset({"ITEM_DERIVED_FROM"}), up)]
    if kind == "resource":
        return [(frozenset({"HAS_ITEM"}), False)]
    if is_root:
        return [(frozenset({_ANCHOR[kind]}), False)]
    return []


@dataclass
class _Walk:
    root: str
    depth_of: dict[str, int]
    kind_of: dict[str, str]
    preds: dict[str, set[str]]
    edges: set[Edge]
    truncated: bool
    paths: dict[str, list[list[str]]] = field(default_factory=dict)
    # node -> its DERIVED_FROM / ITEM_DERIVED_FROM in-edges, for every node the walk expanded
    # upstream along that type (reused by sensitivity propagation instead of asking again)
    known_up: dict[str, list[Edge]] = field(default_factory=dict)

    def compute_paths(self) -> None:
        paths: dict[str, list[list[str]]] = {self.root: [[self.root]]}
        for node in sorted(self.depth_of, key=lambda n: (self.depth_of[n], n)):
            if node == self.root:
                continue
            cands = sorted(p + [node] for pr in self.preds[node] for p in paths.get(pr, []))
            paths[node] = cands[:3]
        self.paths = paths



class LineageQuestions(EngineContract):
    # ====================================================================================
    # Lineage
    # ====================================================================================
    def _walk(self, root: Entity, up: bool, depth: int, gran: Granularity,
              rules=lineage_rules, evidence: Evidence = Evidence.DECLARED) -> _Walk:
        """Breadth-first walk, one batched ``_edges`` call per (level, rule group), along the
        edge types ``evidence`` selects."""
        depth_of = {root.iri: 0}
        kind_of = {root.iri: root.kind}
        preds: dict[str, set[str]] = defaultdict(set)
        edges: set[Edge] = set()
        known_up: dict[str, list[Edge]] = {}
        truncated = False
        frontier = [root.iri]
        level = 0
        while frontier:
            groups: dict[Rule, list[str]] = defaultdict(list)
            for n in frontier:
                for types, upstream in rules(kind_of[n], n == root.iri, up, gran):
                    groups[(with_evidence(types, evidence), upstream)].append(n)
            nxt: list[str] = []
            for (types, upstream), nodes in sorted(groups.items(), key=lambda g: sorted(g[0][0])):
                members = set(nodes)
                fetched = self._edges(nodes, types, upstream)
                if upstream:
                    for t in _propagating(evidence) & set(types):
                        for n in nodes:
                            known_up.setdefault(n, [])
                        for e in fetched:
                            if e.type == t and e.target in members:
                                known_up[e.target].append(e)
                for e in fetched:
                    here, other = (e.target, e.source) if upstream else (e.source, e.target)
                    if here not in members:
                        continue
                    other_kind = EDGE_ENDPOINTS[e.type][0 if upstream else 1]
                    if level == depth:
                        if other in depth_of:
                            edges.add(e)
                        else:
                            truncated = True
                        continue
                    edges.add(e)
                    if other not in depth_of:
                        depth_of[other] = level + 1
                        kind_of[other] = other_kind
                        nxt.append(other)
                    if depth_of[other] == level + 1:
                        preds[other].add(here)
            frontier = sorted(set(nxt))
            level += 1
        return _Walk(root.iri, depth_of, kind_of, preds, edges, truncated, known_up=known_up)

    def _lineage_walk(self, root: Entity, direction: Direction, depth: int,
                      gran: Granularity, evidence: Evidence = Evidence.DECLARED) -> _Walk:
        if direction is Direction.BOTH:
            a = self._walk(root, True, depth, gran, evidence=evidence)
            b = self._walk(root, False, depth, gran, evidence=evidence)
            a.compute_paths()
            b.compute_paths()
            depth_of = dict(a.depth_of)
            kind_of = {**a.kind_of, **b.kind_of}
            paths = dict(a.paths)
            for n, d in b.depth_of.items():
                if n not in depth_of or d < depth_of[n]:
                    depth_of[n] = d
                    paths[n] = b.paths[n]
                elif d == depth_of[n] and n != root.iri:
                    paths[n] = sorted({tuple(p) for p in a.paths[n] + b.paths[n]})[:3]
                    paths[n] = [list(p) for p in paths[n]]
            return _Walk(root.iri, depth_of, kind_of, defaultdict(set), a.edges | b.edges,
                         a.truncated or b.truncated, paths, known_up=a.known_up)
        w = self._walk(root, direction is Direction.UPSTREAM, depth, gran, evidence=evidence)
        w.compute_paths()
        return w

    def _lineage_args(self, node: str, direction, depth: int, granularity, evidence):
        direction = enum_arg(direction, Direction, "方向 direction")
        granularity = enum_arg(granularity, Granularity, "粒度 granularity")
        evidence = enum_arg(evidence, Evidence, "证据 evidence")
        check_depth(depth)
        root = self._root(node, LINEAGE_KINDS)
        return root, direction, granularity, evidence

    def lineage_count(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                      granularity: Granularity = Granularity.RESOURCE,
                      evidence: Evidence = Evidence.ANY) -> int:
        root, direction, granularity, evidence = self._lineage_args(node, direction, depth,
                                                                    granularity, evidence)
        if direction is Direction.BOTH:
            a = self._walk(root, True, depth, granularity, evidence=evidence)
            b = self._walk(root, False, depth, granularity, evidence=evidence)
            return len(set(a.depth_of) | set(b.depth_of))
        return len(self._walk(root, direction is Direction.UPSTREAM, depth,
                              granularity, evidence=evidence).depth_of)

    def lineage(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                granularity: Granularity = Granularity.RESOURCE, *, first: int | None = None,
                after: str | None = None, evidence: Evidence = Evidence.ANY) -> Lineage:
        root, direction, granularity, evidence = self._lineage_args(node, direction, depth,
                                                                    granularity, evidence)
        check_first(first, allow_none=True)
        w = self._lineage_walk(root, direction, depth, granularity, evidence)
        order = sorted(w.depth_of, key=lambda n: (w.depth_of[n], n))
        question = ("lineage", root.iri, direction.value, depth, granularity.value,
                    evidence.value)
        start = 0 if after is None else min(self._offset(after, *question), len(order))
        end = len(order) if first is None else start + first
        page = order[start:end]
        has_next = end < len(order)
        ents = self._entities([n for n in page if n != root.iri])
        ents[root.iri] = root
        sens = self._propagate_sensitivity([n for n in page if w.kind_of[n] in ("resource",
                                                                               "item")],
                                           w.kind_of, w.known_up, evidence)
        nodes = []
        for n in page:
            if n not in ents:
                continue
            own, upmax = sens.get(n, (None, None))
            nodes.append(LineageNode(ents[n], w.depth_of[n], w.paths.get(n, []), own, upmax,
                                     rank(own) < rank(upmax)))
        edges = merge_evidence(w.edges)
        return Lineage(
            root=root, direction=direction, granularity=granularity, depth=depth, nodes=nodes,
            edges=edges, truncated=w.truncated, cycles=_cycles(edges),
            total_nodes=len(order),
            end_cursor=self._cursor(end, *question) if page and has_next else None,
            has_next=has_next)

    def _propagate_sensitivity(self, nodes: Sequence[str], kind_of: dict[str, str],
                               known_up: dict[str, list[Edge]] | None = None,
                               evidence: Evidence = Evidence.DECLARED
                               ) -> dict[str, tuple[str | None, str | None]]:
        """(own level, strictest level among itself and everything upstream) for resources
        (via DERIVED_FROM) and items (via ITEM_DERIVED_FROM) — and their observed counterparts
        as ``evidence`` says — walked to exhaustion."""
        if not nodes:
            return {}
        import networkx as nx

        g = nx.DiGraph()
        seen = set(nodes)
        g.add_nodes_from(nodes)
        frontier = {"resource": sorted(n for n in nodes if kind_of.get(n) == "resource"),
                    "item": sorted(n for n in nodes if kind_of.get(n) == "item")}
        etype = {"resource": with_evidence(frozenset({"DERIVED_FROM"}), evidence),
                 "item": with_evidence(frozenset({"ITEM_DERIVED_FROM"}), evidence)}
        for _ in range(_SENS_LEVELS):
            if not any(frontier.values()):
                break
            nxt: dict[str, list[str]] = {"resource": [], "item": []}
            for kind, fr in frontier.items():
                if not fr:
                    continue
                known = known_up or {}
                ask = [n for n in fr if n not in known]
                found = [e for n in fr if n in known for e in known[n] if e.type in etype[kind]]
                for e in found + (self._edges(ask, sorted(etype[kind]), True) if ask else []):
                    g.add_edge(e.source, e.target)
                    if e.source not in seen:
                        seen.add(e.source)
                        nxt[kind].append(e.source)
            frontier = {k: sorted(v) for k, v in nxt.items()}
        own = self._sensitivities(sorted(seen))
        cond = nx.condensation(g)
        members = cond.graph["mapping"]  # node -> scc id
        scc_rank: dict[int, int] = {}
        scc_level: dict[int, str | None] = {}
        for c in nx.topological_sort(cond):
            best: str | None = None
            for n in cond.nodes[c]["members"]:
                if rank(own.get(n)) > rank(best):
                    best = own.get(n)
            for p in cond.predecessors(c):
                if scc_rank[p] > rank(best):
                    best = scc_level[p]
            scc_rank[c] = rank(best)
            scc_level[c] = best
        return {n: (own.get(n), scc_level[members[n]]) for n in nodes}



def _cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """Simple cycles of the edge set, each once, rotated to start at its smallest IRI,
    sorted; at most MAX_CYCLES."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_edges_from(sorted({(e.source, e.target) for e in edges}))
    found = set()
    for n, cyc in enumerate(nx.simple_cycles(g)):
        if n >= _CYCLE_SCAN:
            break
        k = cyc.index(min(cyc))
        found.add(tuple(cyc[k:] + cyc[:k]))
    return [list(c) for c in sorted(found)][:MAX_CYCLES]

