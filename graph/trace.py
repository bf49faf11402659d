"""Tracing an item to its authoritative source, hop by hop, with the reason a chain breaks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from graph.contract import (
    MAX_TRACE_HOPS,
    EngineContract,
    ItemRow,
    enum_arg,
)
from graph.lineage import (
    _DECLARED_OF,
    with_evidence,
)
from graph.model import (
    Entity,
    Evidence,
    Hop,
    Trace,
)

__all__ = ["TraceQuestions"]


class TraceQuestions(EngineContract):
    # ====================================================================================
    # Source tracing
    # ====================================================================================
    def trace_source(self, node: str, evidence: Evidence = Evidence.ANY) -> Trace:
        evidence = enum_arg(evidence, Evidence, "证据 evidence")
        start = self._root(node, ("item", "resource"))
        if start.kind == "item":
            return self._trace_items([start], evidence)[start.iri]
        items = self._related([start.iri], "inResource", True).get(start.iri, [])
        rows = self._item_rows(items)
        carrying = sorted(i for i, r in rows.items() if r.element)
        ents = self._entities(carrying)
        traces = self._trace_items([ents[i] for i in carrying if i in ents], evidence)
        item_traces = [traces[i] for i in carrying if i in traces]
        broken = sum(1 for t in item_traces if not t.reached_authoritative)
        if not item_traces:
            reason, code = ("资源没有携带数据元的信息项 / the resource has no item carrying a data "
                            "element"), "NO_ITEMS"
        elif broken:
            reason, code = (f"{broken} 个信息项未追溯到权威来源 / {broken} item(s) do not reach "
                            "an authoritative source"), "ITEMS_BROKEN"
        else:
            reason, code = None, None
        return Trace(start, [], bool(item_traces) and not broken, reason, None, code,
                     item_traces)

    def _trace_items(self, starts: Sequence[Entity],
                     evidence: Evidence = Evidence.DECLARED) -> dict[str, Trace]:
        """Walk every start's chain one hop per round, all chains batched together (per round:
        one ``_item_rows`` and one ``_edges`` call). Each hop goes to the upstream item the
        catalog declares (来源资源代码) and, as ``evidence`` allows, one a run was seen deriving
        it from: a declared one first, else the first observed (by IRI)."""
        types = sorted(with_evidence(frozenset({"ITEM_DERIVED_FROM"}), evidence))
        link: dict[tuple[str, str], str] = {}  # (item, its upstream item) -> evidence
        ents: dict[str, Entity] = {s.iri: s for s in starts}
        rows: dict[str, ItemRow] = {}
        chains: dict[str, list[str]] = {s.iri: [s.iri] for s in starts}
        ended: dict[str, tuple[bool, str | None, str | None]] = {}  # start -> (reached, code, arg)
        active = [s.iri for s in starts]
        while active:
            rows.update(self._item_rows(sorted({chains[s][-1] for s in active} - set(rows))))
            step: list[str] = []
            for s in active:
                cur = rows.get(chains[s][-1])
                if cur is not None and cur.authoritative:
                    ended[s] = (True, None, None)
                elif cur is None or (evidence is Evidence.DECLARED and not cur.taken_from):
                    ended[s] = (False, "NO_SOURCE", None)
                elif len(chains[s]) >= MAX_TRACE_HOPS:
                    ended[s] = (False, "MAX_HOPS", None)
                else:
                    step.append(s)
            if not step:
                break
            currents = sorted({chains[s][-1] for s in step})
            ups: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
            for e in self._edges(currents, types, True):
                ups[e.target][e.source].add("OBSERVED" if e.type in _DECLARED_OF else "DECLARED")
            orphans = sorted({t for c in currents if not ups.get(c)  # type: ignore[misc]
                              and (t := rows[c].taken_from)})
            known_res = set(self._sensitivities(orphans)) if orphans else set()
            nxt_active = []
            for s in step:
                cur = chains[s][-1]
                src_res = rows[cur].taken_from
                found = ups.get(cur, {})
                if not found:
                    if evidence is Evidence.OBSERVED:
                        ended[s] = (False, "NOT_OBSERVED", None)
                    elif not src_res:
                        ended[s] = (False, "NO_SOURCE", None)
                    else:
                        ended[s] = ((False, "NO_UPSTREAM_ITEM", src_res) if src_res in known_res
                                    else (False, "UPSTREAM_RESOURCE_UNKNOWN", src_res))
                    continue
                declared = sorted(u for u, ev in found.items() if "DECLARED" in ev)
                nxt = (declared or sorted(found))[0]
                link[(cur, nxt)] = "BOTH" if len(found[nxt]) == 2 else next(iter(found[nxt]))
                if nxt in chains[s]:
                    ended[s] = (False, "CYCLE", nxt)
                    continue
                chains[s].append(nxt)
                nxt_active.append(s)
            active = nxt_active
        # assemble hops with everything they need, batched
        all_items = sorted({i for c in chains.values() for i in c})
        res_iris = sorted({r.resource for i in all_items if (r := rows.get(i)) and r.resource}
                          | {e.fields["inResource"] for e in ents.values()
                             if e.fields.get("inResource")})
        ents.update(self._entities(sorted((set(all_items) - set(ents)) | set(res_iris))))
        res = {r: ents[r] for r in res_iris if r in ents}
        pairs = set()  # (upstream resource, downstream resource) of consecutive hops
        for chain in chains.values():
            for n in range(1, len(chain)):
                up = ents[chain[n]].fields.get("inResource")
                down = ents[chain[n - 1]].fields.get("inResource")
                if up in res and down in res and up != down:
                    pairs.add((up, down))
        flow_of = self._flows_between(pairs, res)
        producers = self._related(res_iris, "produces", True)
        other = sorted(set(flow_of.values())
                       | {p for ps in producers.values() for p in ps}
                       | {r.fields[k] for r in res.values() for k in ("provider", "sourceSystem")
                          if r.fields.get(k)})
        more = self._entities(other)
        out: dict[str, Trace] = {}
        for s, chain in chains.items():
            hops = []
            for n, i in enumerate(chain):
                item = ents[i]
                r = res.get(item.fields.get("inResource", ""))
                if r is None:  # an item always has a resource; guard against partial loads
                    continue
                down = res.get(ents[chain[n - 1]].fields.get("inResource", "")) if n else None
                flow = more.get(flow_of.get((r.iri, down.iri), "")) if down else None
                method = (flow.fields.get("exchangeMethod") if flow else None) or \
                    r.fields.get("sharingMethod")
                resps = [more[p] for p in producers.get(r.iri, []) if p in more]
                hops.append(Hop(
                    item=item, resource=r,
                    department=more.get(r.fields.get("provider", "")),
                    system=more.get(r.fields.get("sourceSystem", "")),
                    platform=flow.fields.get("viaPlatform") if flow else None,
                    method=method, responsibilities=resps,
                    legal_basis=sorted({p.fields["legalBasis"] for p in resps
                                        if p.fields.get("legalBasis")}),
                    evidence=link.get((i, chain[n + 1])) if n + 1 < len(chain) else None))
            reached, code, arg = ended.get(s, (False, "MAX_HOPS", None))
            reason = None if reached else self._break_reason(code or "", arg, ents, chain)
            out[s] = Trace(ents[s], hops, reached, reason, None if reached else chain[-1],
                           code, [])
        return out

    def _flows_between(self, pairs: set[tuple[str, str]], res: dict[str, Entity]
                       ) -> dict[tuple[str, str], str]:
        """For each (up, down) resource pair, the flow that carried data from up to down: the
        first (by IRI) FLOW edge up → down, else the first FLOW_TO_DEPARTMENT edge from up to
        down's provider whose flow has no FLOW edge (no catalogued target resource)."""
        if not pairs:
            return {}
        # asked from the receiving side: a hub resource has hundreds of outgoing flows, a
        # resource or department receives few
        edges = self._edges(sorted({d for _, d in pairs}), ["FLOW"], True)
        direct_pairs = {(e.source, e.target) for e in edges}
        # the department fallback only where no flow lands in the resource itself
        provs = {res[d].fields.get("provider") for p in pairs - direct_pairs
                 for d in [p[1]]} - {None}
        if provs:
            edges += self._edges(sorted(provs), ["FLOW_TO_DEPARTMENT"], True)  # type: ignore[arg-type]
        ups = {u for u, _ in pairs}
        dep_flows = sorted({e.via for e in edges if e.type == "FLOW_TO_DEPARTMENT"
                            and e.source in ups and e.via})  # type: ignore[misc]
        targeted = self._related(dep_flows, "targetResource", False) if dep_flows else {}
        to_res: dict[tuple[str, str], list[str]] = defaultdict(list)
        to_dep: dict[tuple[str, str], list[str]] = defaultdict(list)
        for e in edges:
            if e.type == "FLOW":
                to_res[(e.source, e.target)].append(e.via or "")
            elif e.source in ups and not targeted.get(e.via or ""):
                to_dep[(e.source, e.target)].append(e.via or "")
        out = {}
        for up, down in pairs:
            direct = sorted(to_res.get((up, down), []))
            prov = res[down].fields.get("provider")
            via_dep = sorted(to_dep.get((up, prov), [])) if prov else []
            if direct or via_dep:
                out[(up, down)] = (direct or via_dep)[0]
        return out

    @staticmethod
    def _break_reason(code: str, arg: str | None, ents: dict[str, Entity],
                      chain: Sequence[str]) -> str:
        last = ents[chain[-1]]
        name = last.code
        if code == "NO_SOURCE":
            return (f"信息项 {name} 不是权威来源，且未填写来源资源代码 / item {name} is not "
                    "authoritative and names no source resource (来源资源代码)")
        if code == "UPSTREAM_RESOURCE_UNKNOWN":
            return (f"信息项 {name} 的来源资源不在目录中：{arg} / the source resource of item "
                    f"{name} is not in the catalog: {arg}")
        if code == "NO_UPSTREAM_ITEM":
            rc = arg.rsplit("/", 1)[-1] if arg else ""
            return (f"来源资源 {rc} 中没有与信息项 {name} 匹配的信息项（同一数据元，否则同名）/ "
                    f"source resource {rc} has no item matching {name} (same data element, "
                    "else same name)")
        if code == "NOT_OBSERVED":
            return (f"未观测到信息项 {name} 的数据来自何处（OpenLineage 字段血缘）/ no run was "
                    f"seen deriving item {name} from another (OpenLineage column lineage)")
        if code == "CYCLE":
            again = ents[arg].code if arg in ents else arg
            return (f"来源链成环：信息项 {name} 取自已经过的 {again} / the source chain loops: "
                    f"item {name} is taken from {again}, already on the chain")
        return (f"来源链超过 {MAX_TRACE_HOPS} 跳 / the source chain exceeds {MAX_TRACE_HOPS} hops")

