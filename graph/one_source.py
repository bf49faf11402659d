"""One data, one source (一数一源): which item is a data element's authoritative source, and the report of every element in use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from graph.contract import (
    _SENS_LEVELS,
    EngineContract,
    ItemRow,
)
from graph.lineage import (
    Rule,
)
from graph.model import (
    Candidate,
    Entity,
    Granularity,
    OneSourceReport,
    Recollection,
    SourceResolution,
    SourceStatus,
)
from graph.query import (
    ENTITY_KINDS,
    MAX_DEPTH,
    NotFound,
    QueryError,
)

__all__ = ["OneSourceQuestions"]


class OneSourceQuestions(EngineContract):
    # ====================================================================================
    # One data, one source
    # ====================================================================================
    def resolve_source(self, element: str) -> SourceResolution:
        if not isinstance(element, str) or not element.strip():
            raise QueryError("数据元不能为空", "element must be a non-empty string",
                             "BAD_ARGUMENT")
        element = element.strip()
        if element.startswith(("http://", "https://", "urn:")) or (
                element.partition(":")[0] in ENTITY_KINDS and ":" in element):
            ent = self._root(element, ("element",))
            how = "code"
        else:
            matches = self._lookup_element(element)
            if not matches:
                raise NotFound(element)
            how = matches[0][1]
            iris = sorted({i for i, h in matches if h == how})
            if len(iris) > 1:
                codes = ", ".join(e.code for e in self._entities(iris).values())
                raise QueryError(f"“{element}”对应多个数据元：{codes}",
                                 f"'{element}' names several data elements: {codes}",
                                 "AMBIGUOUS")
            ent = self._entities(iris)[iris[0]]
        # only the authoritative items: a common element is carried by thousands of items
        hits = self._match(["item"], {"carries": ent.iri, "authoritative": True}, None)
        rows = list(self._item_rows([h.iri for h in hits]).values())
        return self._resolutions([ent], how, rows)[ent.iri]

    def _resolutions(self, elements: Sequence[Entity], how: str = "code",
                     rows: Sequence[ItemRow] | None = None) -> dict[str, SourceResolution]:
        """Classify ``elements``; ``rows`` must hold (at least) every authoritative item
        carrying one of them (fetched here when None)."""
        if rows is None:
            rows = self._element_items([e.iri for e in elements]) if elements else []
        auth: dict[str, list[ItemRow]] = defaultdict(list)
        for r in rows:
            if r.authoritative and r.element:
                auth[r.element].append(r)
        need = {r.item for rs in auth.values() for r in rs} | {
            e.fields["authoritativeDepartment"] for e in elements
            if e.fields.get("authoritativeDepartment")} | {
            r.resource for rs in auth.values() for r in rs if r.resource}
        ents = self._entities(sorted(need))
        more = self._entities(sorted({ents[r.resource].fields[k] for rs in auth.values()
                                      for r in rs if r.resource in ents
                                      for k in ("provider", "sourceSystem")
                                      if ents[r.resource].fields.get(k)} - set(ents)))
        ents.update(more)
        out = {}
        for e in elements:
            designated = e.fields.get("authoritativeDepartment")
            cands = []
            for r in sorted(auth.get(e.iri, []), key=lambda r: r.item):
                res = ents.get(r.resource or "")
                if r.item not in ents or res is None:
                    continue
                cands.append(Candidate(ents[r.item], res, ents.get(res.fields.get("provider", "")),
                                       ents.get(res.fields.get("sourceSystem", ""))))
            if not cands:
                status = SourceStatus.MISSING
            elif len(cands) > 1:
                status = SourceStatus.CONFLICT
            elif designated and cands[0].resource.fields.get("provider") not in (None,
                                                                                  designated):
                status = SourceStatus.MISMATCH
            else:
                status = SourceStatus.RESOLVED
            out[e.iri] = SourceResolution(e, status, ents.get(designated or ""), cands, how)
        return out

    def one_source_report(self, department: str | None = None) -> OneSourceReport:
        dept = self._root(department, ("department",)) if department is not None else None
        elements = self._used_elements(dept.iri if dept else None)
        el_ents = self._entities(elements)
        all_rows = self._element_items(sorted(el_ents))
        resolutions = self._resolutions([el_ents[e] for e in elements if e in el_ents],
                                        rows=all_rows)
        single = {e: r for e, r in resolutions.items()
                  if r.status in (SourceStatus.RESOLVED, SourceStatus.MISMATCH)}
        rows = [r for r in all_rows if r.element in single
                and (dept is None or r.provider == dept.iri)]
        cands = [r for r in rows if not r.authoritative and r.element in single]
        reached, broken = self._reaches_authoritative(cands)
        recs = [r for r in cands if not reached[r.item] and not broken[r.item]]
        ents = self._entities(sorted({r.item for r in recs}))
        paths = self._expected_paths(
            [(single[r.element].candidates[0].resource.iri, r.resource) for r in recs
             if r.resource])
        recollections = []
        for r in sorted(recs, key=lambda r: r.item):
            if r.item not in ents or not r.resource:
                continue
            res_auth = single[r.element]
            a_res = res_auth.candidates[0].resource.iri
            recollections.append(Recollection(ents[r.item], res_auth.element,
                                              res_auth.candidates[0].item,
                                              paths[(a_res, r.resource)]))
        ordered = [resolutions[e] for e in sorted(resolutions,
                                                  key=lambda i: resolutions[i].element.code)]
        counts = {s.value: 0 for s in SourceStatus}
        for r in ordered:
            counts[r.status.value] += 1
        counts["RECOLLECTION"] = len(recollections)
        return OneSourceReport(dept, ordered, recollections, counts)

    def _reaches_authoritative(self, rows: Sequence[ItemRow]
                               ) -> tuple[dict[str, bool], dict[str, bool]]:
        """For each row's item: does some chain of upstream items (ITEM_DERIVED_FROM, all
        matches, transitively) reach an authoritative item carrying the row's element? Is the
        lineage broken (an item on it, itself included, names a 来源资源代码 that is unknown or
        has no matching item)? Batched one level at a time. Same relation as the audit's
        ys:upstreamItem (shapes/lineage.ttl) and ODS-004 (shapes/one_source.ttl)."""
        info: dict[str, ItemRow] = {r.item: r for r in rows}
        ups: dict[str, list[str]] = {}
        frontier = sorted(info)
        for _ in range(_SENS_LEVELS):
            expand = [i for i in frontier if info[i].taken_from]
            if not expand:
                break
            for i in expand:
                ups[i] = []
            for e in self._edges(expand, ["ITEM_DERIVED_FROM"], True):
                ups[e.target].append(e.source)
            new = sorted({u for i in expand for u in ups[i]} - set(info))
            info.update(self._item_rows(new))
            frontier = [u for u in new if u in info]
        reached: dict[str, bool] = {}
        broken: dict[str, bool] = {}
        for r in rows:
            seen = {r.item}
            stack = [r.item]
            ok = bad = False
            while stack:
                i = stack.pop()
                row = info.get(i)
                if row is None:
                    continue
                if row.authoritative and row.element == r.element:
                    ok = True
                if row.taken_from and not ups.get(i):
                    bad = True
                for u in ups.get(i, []):
                    if u not in seen:
                        seen.add(u)
                        stack.append(u)
            reached[r.item] = ok
            broken[r.item] = bad
        return reached, broken

    def _expected_paths(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
        """Shortest DERIVED_FROM/FLOW path (fewest hops, then smallest IRI list) from each
        authoritative resource to each re-collecting item's resource, up to MAX_DEPTH hops;
        [a, b] when none (or [a] when they are the same resource)."""
        by_src: dict[str, set[str]] = defaultdict(set)
        for a, b in pairs:
            by_src[a].add(b)
        out: dict[tuple[str, str], list[str]] = {}
        rel = frozenset({"DERIVED_FROM", "FLOW"})

        def rules(kind: str, is_root: bool, up: bool, gran: Granularity) -> list[Rule]:
            return [(rel, False)] if kind == "resource" else []

        for a, targets in sorted(by_src.items()):
            root = Entity("resource", a, "", None)
            w = self._walk(root, False, MAX_DEPTH, Granularity.RESOURCE, rules)
            w.compute_paths()
            for b in targets:
                if a == b:
                    out[(a, b)] = [a]
                elif b in w.paths and w.paths[b]:
                    out[(a, b)] = w.paths[b][0]
                else:
                    out[(a, b)] = [a, b]
        return out

