"""A view of the catalog without some of its entities: policy by construction.

:class:`HiddenView` wraps an engine and applies a set of hidden IRIs (and fields a caller may
not see) *inside* the engine primitives of :class:`graph.base.CatalogGraphBase`. Every question
the base answers on top of them — listings and their counts and cursors, search, lineage and
its sensitivity propagation, traces, one data one source, impact, the error kinds — therefore
never meets a hidden entity: the answer is the one the catalog would give if the hidden
entities, and every statement naming them, had been deleted. One place, both engines.

What "deleted" means, exactly: a hidden entity has no class (so it does not exist), no edge of
the lineage graph touches it or passes through it (``via``), and a reference to it from a
visible entity is gone (a single reference is absent, a list loses the value).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from graph.base import FIELDS, CatalogGraphBase, Hit, ItemRow
from graph.model import Edge, Entity

__all__ = ["HiddenView"]


class HiddenView(CatalogGraphBase):
    """``inner`` as seen by a caller who may not see ``hidden`` (IRIs) nor ``dropped`` (field
    names). Cheap to build; build one per (hidden set, dropped fields) and reuse it, so its
    listing cache lives as long as the store version."""

    def __init__(self, inner: CatalogGraphBase, hidden: frozenset[str],
                 dropped: tuple[str, ...] = ()):
        self.inner = inner
        self.engine = inner.engine
        self.base = inner.base
        self.hidden = frozenset(hidden)
        self.dropped = tuple(dropped)
        h = hashlib.sha256()
        for iri in sorted(self.hidden):
            h.update(iri.encode() + b"\n")
        h.update(b"|" + ",".join(self.dropped).encode())
        self._scope_digest = h.hexdigest()[:32]
        self._refs = {kind: [(fs.name, fs.multi) for fs in specs if fs.cell in ("ref", "refs")]
                      for kind, specs in FIELDS.items()}
        self._carried_by_hidden: frozenset[str] | None = None

    # -- helpers ----------------------------------------------------------------------------
    def _ok(self, iri: str | None) -> bool:
        return iri is not None and iri not in self.hidden

    def _keep(self, iris: Collection[str]) -> list[str]:
        return [i for i in iris if i not in self.hidden] if self.hidden else list(iris)

    def _clean(self, e: Entity) -> Entity:
        if not self.hidden and not self.dropped:
            return e
        fields = None
        for name, multi in self._refs.get(e.kind, ()):
            v = e.fields.get(name)
            if v is None:
                continue
            if multi:
                kept = [x for x in v if x not in self.hidden]  # type: ignore[union-attr]
                if len(kept) != len(v):  # type: ignore[arg-type]
                    fields = dict(e.fields) if fields is None else fields
                    if kept:
                        fields[name] = kept
                    else:
                        del fields[name]
            elif v in self.hidden:
                fields = dict(e.fields) if fields is None else fields
                del fields[name]
        for name in self.dropped:
            if name in e.fields:
                fields = dict(e.fields) if fields is None else fields
                del fields[name]
        if fields is None:
            return e
        return Entity(e.kind, e.iri, e.code, e.label, fields)

    def _row(self, r: ItemRow) -> ItemRow:
        if not self.hidden:
            return r
        return ItemRow(r.item, r.resource if self._ok(r.resource) else None,
                       r.element if self._ok(r.element) else None, r.authoritative,
                       r.taken_from if self._ok(r.taken_from) else None,
                       r.provider if self._ok(r.provider) else None)

    # -- the view's identity, for cursors and caches -------------------------------------------
    def _generation(self) -> object | None:
        return self.inner._generation()

    def _catalog_generation(self) -> object | None:
        return self.inner._catalog_generation()

    def _scope(self) -> str:
        return self._scope_digest

    # -- the engine primitives, with the hidden entities taken out ----------------------------
    def _entities(self, iris: Collection[str]) -> dict[str, Entity]:
        # hidden IRIs are asked too and their answers dropped: a lookup of a hidden entity
        # costs the round trip a lookup of an unknown code costs (no timing oracle)
        found = self.inner._entities(iris)
        return {k: self._clean(v) for k, v in found.items() if k not in self.hidden}

    def _find_edges(self, iris: Collection[str], types: list[str], upstream: bool) -> set[Edge]:
        asked = self._keep(iris)
        if not asked:
            return set()
        edges = self.inner._edges(asked, types, upstream)
        h = self.hidden
        return {e for e in edges if e.source not in h and e.target not in h
                and (e.via is None or e.via not in h)}

    def _related(self, iris: Collection[str], predicate: str, inverse: bool
                 ) -> dict[str, list[str]]:
        asked = self._keep(iris)
        out = self.inner._related(asked, predicate, inverse) if asked else {}
        return {i: self._keep(out.get(i, [])) for i in asked}

    def _match(self, kinds: Collection[str], filters: dict[str, object],
               text: str | None) -> list[Hit]:
        for value in filters.values():  # a filter naming a hidden entity matches nothing
            if isinstance(value, str) and value in self.hidden:
                return []
        return [h for h in self.inner._match(kinds, filters, text) if h.iri not in self.hidden]

    def _codes(self, kind: str) -> list[tuple[str, str]]:
        return [(c, i) for c, i in self.inner._codes(kind) if i not in self.hidden]

    def _lookup_element(self, text: str) -> list[tuple[str, str]]:
        return [(i, how) for i, how in self.inner._lookup_element(text) if i not in self.hidden]

    def _item_rows(self, items: Collection[str]) -> dict[str, ItemRow]:
        asked = self._keep(items)
        if not asked:
            return {}
        return {k: self._row(r) for k, r in self.inner._item_rows(asked).items()}

    def _element_items(self, elements: Collection[str] | None = None,
                       department: str | None = None) -> list[ItemRow]:
        if department is not None and department in self.hidden:
            return []
        asked = None if elements is None else self._keep(elements)
        if asked is not None and not asked:
            return []
        rows = self.inner._element_items(asked, department)
        return [self._row(r) for r in rows if r.item not in self.hidden]

    def _used_elements(self, department: str | None = None) -> list[str]:
        if department is not None and department in self.hidden:
            return []
        used = self._keep(self.inner._used_elements(department))
        if not self.hidden:
            return used
        # an element may be "used" only by hidden items: check those again without them
        if self._carried_by_hidden is None:  # once per view (the view lives one store version)
            self._carried_by_hidden = frozenset(
                r.element for r in self.inner._item_rows(sorted(self.hidden)).values()
                if r.element)
        suspect = sorted(set(used) & self._carried_by_hidden)
        if not suspect:
            return used
        still = {r.element for r in self._element_items(suspect, department) if r.element}
        rest = [e for e in suspect if e not in still]
        if rest:
            needers = self._related(rest, "needsElement", True)
            if department is None:
                still |= {e for e in rest if needers.get(e)}
            else:
                ents = self._entities(rest)
                still |= {e for e in rest if e in ents
                          and ents[e].fields.get("authoritativeDepartment") == department}
                resp = sorted({p for e in rest for p in needers.get(e, [])})
                impl = self._related(resp, "implementedBy", False)
                still |= {e for e in rest for p in needers.get(e, [])
                          if department in impl.get(p, [])}
        return [e for e in used if e not in suspect or e in still]

    def _sensitivities(self, iris: Collection[str]) -> dict[str, str | None]:
        asked = self._keep(iris)
        return self.inner._sensitivities(asked) if asked else {}
