"""Impact: what is affected downstream of a node, by kind."""

from __future__ import annotations

from collections.abc import Iterable

from graph.contract import (
    EngineContract,
    check_depth,
    enum_arg,
)
from graph.model import (
    Entity,
    Evidence,
    Granularity,
    Impact,
)
from graph.query import (
    LINEAGE_KINDS,
)

__all__ = ["ImpactQuestions"]


class ImpactQuestions(EngineContract):
    # ====================================================================================
    # Impact
    # ====================================================================================
    def impact(self, node: str, depth: int = 5, evidence: Evidence = Evidence.ANY) -> Impact:
        check_depth(depth)
        evidence = enum_arg(evidence, Evidence, "证据 evidence")
        root = self._root(node, LINEAGE_KINDS)
        rw = self._walk(root, False, depth, Granularity.RESOURCE, evidence=evidence)
        iw = self._walk(root, False, depth, Granularity.ITEM, evidence=evidence)
        resources = sorted(n for n, k in rw.kind_of.items() if k == "resource" and n != root.iri)
        ents = self._entities(sorted(set(rw.depth_of) | set(iw.depth_of)))
        # the root's own items are the thing that changes, not something downstream of it
        items = sorted(n for n, k in iw.kind_of.items() if k == "item" and n != root.iri
                       and not (root.kind == "resource" and n in ents
                                and ents[n].fields.get("inResource") == root.iri))
        if root.kind == "resource":
            own = self._related([root.iri], "inResource", True)[root.iri]
            elements_of_root = {e.fields["carries"] for e in self._entities(own).values()
                                if e.fields.get("carries")}
        else:
            elements_of_root = set()
        systems = {n for n, k in rw.kind_of.items() if k == "system"}
        depts = {n for n, k in rw.kind_of.items() if k == "department"}
        for r in resources:
            f = ents[r].fields if r in ents else {}
            if f.get("provider"):
                depts.add(f["provider"])
            if f.get("sourceSystem"):
                systems.add(f["sourceSystem"])
        systems.discard(root.iri)
        depts.discard(root.iri)
        elements = {ents[i].fields["carries"] for i in items
                    if i in ents and ents[i].fields.get("carries")}
        if root.kind == "item" and root.fields.get("carries"):
            elements.add(root.fields["carries"])
        elements |= elements_of_root
        producers = self._related(resources, "produces", True)
        resp = {p for ps in producers.values() for p in ps}
        implemented = self._related(sorted(depts), "implementedBy", True)
        cand = sorted({p for ps in implemented.values() for p in ps} - resp)
        cand_ents = self._entities(cand)
        for p, e in cand_ents.items():
            if set(e.fields.get("needsElement", [])) & elements:
                resp.add(p)
        resp.discard(root.iri)
        more = self._entities(sorted((systems | depts | resp) - set(ents)))
        ents.update(more)
        ents.update(cand_ents)

        def pick(iris: Iterable[str]) -> list[Entity]:
            return [ents[i] for i in sorted(iris) if i in ents]

        return Impact(root, depth, pick(resources), pick(items), pick(systems), pick(depts),
                      pick(resp), rw.truncated or iw.truncated)

