"""The Oxigraph engine: the query layer's primitives as SPARQL over :class:`CatalogStore`.

Every query is a named file in ``graph/queries/``. Two kinds of values reach a query:

- user-supplied values (search text, element names, filter values, a department) are passed as
  ``store.select(..., name=value)`` *bindings*: Oxigraph substitutes them as RDF terms, so they
  never become query text;
- batches of IRIs (one BFS level, a page of entities) are written as a ``VALUES`` block, because
  a binding holds one term. Those IRIs come from the store's own answers or from IRIs the base
  class minted or looked up, and :func:`_iri_term` re-checks each against the IRI grammar (no
  spaces, ``<>"{}|^`\\``) before writing ``<iri>``; anything else is dropped (it cannot name a
  stored entity). Class IRIs and edge type names come from module constants.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from graph.base import (
    CLASS_OF,
    FIELDS,
    KIND_OF_CLASS,
    REF_PREDICATES,
    CatalogGraphBase,
    Hit,
    ItemRow,
)
from graph.contract import best_rows, element_rows
from graph.model import Edge, Entity
from graph.oxigraph_observed import observed_item_edges, observed_resource_edges
from graph.store import CatalogStore
from graph.text_index import TextIndex, VersionedIndexes
from ontology.codelists import CONCEPT_OF, CONCEPT_ZH
from ontology.namespaces import DCTERMS, RDF, RDFS, sparql_prefixes
from ontology.schema import SENSITIVITY_FIELD, SENSITIVITY_RANK, sensitivity_rank, strictest

__all__ = ["OxigraphGraph"]

QUERIES = Path(__file__).resolve().parent / "queries"
_IRI_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_TYPE = RDF + "type"
_IDENT = DCTERMS + "identifier"
_LABEL = RDFS + "label"
_SEP = "\u001f"
_CHUNK = 500  # IRIs per VALUES block (Oxigraph joins a VALUES block in time superlinear in its size)


@cache
def _rq(name: str) -> str:
    return sparql_prefixes() + (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


@cache
def _fragment(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _iri_term(iri: str) -> str | None:
    return f"<{iri}>" if isinstance(iri, str) and _IRI_OK.match(iri) else None


def _values(var: str, iris: Collection[str]) -> str | None:
    terms = sorted({t for t in map(_iri_term, iris) if t})
    return f"VALUES ?{var} {{ {' '.join(terms)} }}" if terms else None


def _chunks(iris: Collection[str]) -> list[list[str]]:
    uniq = sorted(set(iris))
    return [uniq[i:i + _CHUNK] for i in range(0, len(uniq), _CHUNK)]


class OxigraphGraph(CatalogGraphBase):
    """The query layer over an Oxigraph :class:`CatalogStore`."""

    engine = "oxigraph"

    def __init__(self, store: CatalogStore):
        self.store = store
        self.base = store.base
        self._indexes = VersionedIndexes(kept=2)  # the current version's, the one a load replaces

    # -- helpers --------------------------------------------------------------------------
    def _rows(self, sparql: str, **bindings) -> list[dict[str, str | None]]:
        """Solutions as dicts of lexical values (IRIs and literals alike; None when unbound).
        Cheaper than ``CatalogStore.select``'s typed conversion, which the primitives do not
        need (FIELDS says how to type a field)."""
        res = self.store.query(sparql, **bindings)
        names = [v.value for v in res.variables]
        return [{n: (t.value if (t := sol[n]) is not None else None) for n in names}
                for sol in res]

    def _select_batch(self, name: str, var: str, iris: Collection[str], **bindings):
        out: list[dict[str, str | None]] = []
        for chunk in _chunks(iris):
            values = _values(var, chunk)
            if values is None:
                continue
            out.extend(self._rows(_rq(name).replace("#ANCHOR#", values), **bindings))
        return out

    # -- optional ones: a cheaper listing, cached while the sources stay the same ---------------
    def _codes(self, kind: str) -> list[tuple[str, str]]:
        q = _rq("codes").replace("#CLASS#", f"<{CLASS_OF[kind]}>")
        return sorted((str(r["code"]), str(r["s"])) for r in self._rows(q))

    def _generation(self) -> object | None:
        """The current version graph of every source and its size: a load, a removal or an
        append (observed lineage, recorded steps) changes it."""
        return tuple(sorted((s.graph, s.version, s.triples) for s in self.store.sources()))

    def _catalog_generation(self) -> object | None:
        """The current version graph of every source: a load or a removal changes it, an
        append does not (:meth:`CatalogGraphBase._catalog_generation`)."""
        return tuple(sorted((s.graph, s.version) for s in self.store.sources()))

    # -- primitives -----------------------------------------------------------------------
    def _entities(self, iris: Collection[str]) -> dict[str, Entity]:
        triples: dict[str, list[tuple[str, object]]] = defaultdict(list)
        for row in self._select_batch("entities", "s", iris):
            triples[row["s"]].append((row["p"], row["o"]))  # type: ignore[index]
        out = {}
        for iri, pos in triples.items():
            kind = next((KIND_OF_CLASS[o] for p, o in pos if p == _TYPE and o in KIND_OF_CLASS),
                        None)
            if kind is None:
                continue
            code = next((str(o) for p, o in sorted(pos, key=str) if p == _IDENT), "")
            label = next((str(o) for p, o in sorted(pos, key=str) if p == _LABEL), None)
            fields: dict[str, object] = {}
            for fs in FIELDS[kind]:
                vals = [o for p, o in pos if p == fs.pred]
                if not vals:
                    continue
                if fs.cell == "enum":
                    vals = [CONCEPT_ZH.get(str(v), v) for v in vals]
                elif fs.cell == "int":
                    vals = [_int(v) for v in vals]
                elif fs.cell == "bool":
                    vals = [v in ("true", "1") for v in vals]
                if fs.multi:
                    fields[fs.name] = sorted(set(vals), key=str)
                elif fs.name == SENSITIVITY_FIELD:
                    fields[fs.name] = strictest(vals)  # repeated levels: the strictest
                else:
                    fields[fs.name] = sorted(vals, key=str)[0]
            out[iri] = Entity(kind, iri, code, label, fields)
        return out

    def _find_edges(self, iris: Collection[str], types: list[str], upstream: bool) -> set[Edge]:
        var = "target" if upstream else "source"
        out: set[Edge] = set()
        if "ITEM_DERIVED_FROM" in types:
            types.remove("ITEM_DERIVED_FROM")
            out.update(self._item_edges(iris, upstream))
        if "OBSERVED_DERIVED_FROM" in types:
            types.remove("OBSERVED_DERIVED_FROM")
            out.update(observed_resource_edges(self.store, iris, upstream))
        if "OBSERVED_ITEM_DERIVED_FROM" in types:
            types.remove("OBSERVED_ITEM_DERIVED_FROM")
            out.update(observed_item_edges(self.store, iris, upstream))
        if not types:
            return out
        for chunk in _chunks(iris):
            values = _values(var, chunk)
            if values is None:
                continue
            branches = " UNION ".join(
                "{ " + _fragment(f"edge_{t}").replace("#ANCHOR#", values)
                + f'\nBIND("{t}" AS ?type) }}' for t in types)
            q = sparql_prefixes() + f"SELECT DISTINCT ?type ?source ?target ?via WHERE {{ {branches} }}"
            for row in self._rows(q):
                out.add(Edge(row["source"], row["target"], row["type"], row["via"]))  # type: ignore[arg-type]
        return out

    def _item_edges(self, iris: Collection[str], upstream: bool) -> set[Edge]:
        """ITEM_DERIVED_FROM edges: simple indexed lookups, matched in Python (see
        graph/queries/item_taken.rq for why)."""
        takers: dict[str, tuple[str, str | None, str | None]] = {}  # item -> (res, elem, name)
        if upstream:
            rows = self._select_batch("item_taken", "i", iris)
        else:
            homes = {r["r"] for r in self._select_batch("item_home", "i", iris)}
            rows = self._select_batch("item_taken", "r", homes)  # type: ignore[arg-type]
        for r in rows:
            takers.setdefault(r["i"], (r["r"], r["e"], r["name"]))  # type: ignore[index,arg-type]
        members: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
        for r in self._select_batch("resource_items", "r", {t[0] for t in takers.values()}):
            members[r["r"]].append((r["i"], r["e"], r["name"]))  # type: ignore[index,arg-type]
        anchor = set(iris)
        out = set()
        for item, (res, elem, name) in takers.items():
            cands = members.get(res, [])
            ups = [s for s, e, _ in cands if elem is not None and e == elem]
            if not ups:
                ups = [s for s, _, n in cands if name is not None and n == name]
            for u in ups:
                if upstream or u in anchor:
                    out.add(Edge(u, item, "ITEM_DERIVED_FROM"))
        return out

    def _related(self, iris: Collection[str], predicate: str, inverse: bool) -> dict[str, list[str]]:
        pred = REF_PREDICATES[predicate]
        q = "related_inverse" if inverse else "related"
        out: dict[str, set[str]] = {i: set() for i in iris}
        for chunk in _chunks(iris):
            values = _values("s", chunk)
            if values is None:
                continue
            text = _rq(q).replace("#ANCHOR#", values)
            for row in self._rows(text, pred=NamedNode(pred)):
                out.setdefault(row["s"], set()).add(row["o"])  # type: ignore[arg-type]
        return {k: sorted(v) for k, v in out.items()}

    def _match(self, kinds: Collection[str], filters: dict[str, object],
               text: str | None) -> list[Hit]:
        classes = "VALUES ?class { " + " ".join(f"<{CLASS_OF[k]}>" for k in sorted(kinds)) + " }"
        specs = {fs.name: fs for k in kinds for fs in FIELDS[k]}
        patterns = []
        bindings: dict[str, object] = {}
        # predicates (from the template spec), code-list concepts, booleans and references
        # (checked by _iri_term) are written as terms — Oxigraph plans constant patterns far
        # better than substituted variables; free values (text, numbers, dates) are substituted
        # Oxigraph keeps the written order here: the most selective patterns first (a
        # reference, then a code-list value, then free values); booleans last, as per-solution
        # checks (`authoritative true` first made resolve_source 50x slower at city scale)
        rank = {"ref": 0, "refs": 0, "enum": 1, "bool": 3}
        order = sorted(filters.items(), key=lambda kv: (rank.get(specs[kv[0]].cell, 2), kv[0]))
        for n, (name, value) in enumerate(order):
            fs = specs[name]
            pred = f"<{fs.pred}>"
            if fs.cell in ("ref", "refs"):
                term = _iri_term(str(value))
                if term is None:
                    return []
                patterns.append(f"?s {pred} {term} .")
            elif fs.cell == "enum":
                patterns.append(f"?s {pred} <{CONCEPT_OF[(fs.target or '', str(value))]}> .")
                if name == SENSITIVITY_FIELD:  # repeated levels (bad data): the strictest one
                    stricter = " ".join(f"<{CONCEPT_OF[(fs.target or '', lv)]}>"
                                        for lv, r in SENSITIVITY_RANK.items()
                                        if r > sensitivity_rank(value))
                    if stricter:
                        patterns.append(f"FILTER NOT EXISTS {{ ?s {pred} ?st{n} . "
                                        f"VALUES ?st{n} {{ {stricter} }} }}")
            elif fs.cell == "bool":
                triple = f"?s {pred} {'true' if value else 'false'} ."
                patterns.append(f"FILTER EXISTS {{ {triple} }}" if patterns else triple)
            else:
                patterns.append(f"?s {pred} ?o{n} . FILTER(STR(?o{n}) = ?w{n})")
                bindings[f"w{n}"] = Literal(str(value))
        if not patterns and not text:
            q = _rq("match").replace("#CLASSES#", classes)
            hits = []
            for row in self._rows(q):
                kind = KIND_OF_CLASS[str(row["class"])]
                syns = tuple(sorted(set(str(row["syns"]).split(_SEP)))) if row["syns"] else ()
                hits.append(Hit(kind, str(row["s"]), str(row["code"]), row["label"], syns))
            return sorted(hits, key=lambda h: (h.kind, h.code, h.iri))
        # two phases: the selective part alone, then kind/code/name of the candidates by VALUES
        if patterns:
            bound = " ".join(f"?{v}" for v in sorted(bindings))  # substituted: projected
            q = (_rq("match_filtered").replace("#BOUND#", bound)
                 .replace("#FILTERS#", "\n  ".join(patterns)))
            cands = {r["s"] for r in self._rows(q, **bindings)}
        elif TextIndex.usable(text.lower()):  # type: ignore[union-attr]
            return self._match_indexed(kinds, text.lower())  # type: ignore[union-attr]
        else:
            cands = {r["s"] for r in self._rows(_rq("match_text"), text=Literal(text.lower()))}  # type: ignore[union-attr]
        info: dict[str, list[dict[str, str | None]]] = defaultdict(list)
        for r in self._select_batch("match_info", "s", cands):  # type: ignore[arg-type]
            info[r["s"]].append(r)  # type: ignore[index]
        wanted = {CLASS_OF[k] for k in kinds}
        t = text.lower() if text else None
        hits = []
        for iri, rows in info.items():
            cls = sorted(r["class"] for r in rows if r["class"] in wanted)  # type: ignore[type-var]
            if not cls:
                continue
            kind = KIND_OF_CLASS[cls[0]]  # type: ignore[index]
            code = min(r["code"] for r in rows)  # type: ignore[type-var]
            labels = sorted({r["label"] for r in rows if r["label"] is not None})  # type: ignore[type-var]
            label = labels[0] if labels else None
            syns = tuple(sorted({r["syn"] for r in rows if r["syn"] is not None})  # type: ignore[type-var]
                         ) if kind == "element" else ()
            if t is not None and not (t in str(code).lower() or t in (label or "").lower()
                                      or any(t in x.lower() for x in syns)):
                continue
            hits.append(Hit(kind, iri, str(code), label, syns))  # type: ignore[arg-type]
        return sorted(hits, key=lambda h: (h.kind, h.code, h.iri))

    def _text_index(self) -> TextIndex:
        """The search index of the store version this request reads (built on first use after
        a load; the last two versions' are kept)."""
        def build() -> TextIndex:
            classes = "VALUES ?class { " + " ".join(
                f"<{CLASS_OF[k]}>" for k in sorted(CLASS_OF)) + " }"
            return TextIndex(self._rows(_rq("match_all_info").replace("#CLASSES#", classes)),
                             CLASS_OF["element"])
        return self._indexes.get(self._catalog_generation(), build)

    def _match_indexed(self, kinds: Collection[str], t: str) -> list[Hit]:
        """Text search through the index: the same hits as the SPARQL scan of match_text.rq
        followed by the check of phase 2 (kind, code, name, an element's synonyms)."""
        wanted = {CLASS_OF[k] for k in kinds}
        hits = []
        for e in self._text_index().containing(t):
            cls = [c for c in e.classes if c in wanted]
            if not cls:
                continue
            kind = KIND_OF_CLASS[cls[0]]
            syns = e.synonyms if kind == "element" else ()
            if not (t in e.code.lower() or t in (e.label or "").lower()
                    or any(t in x.lower() for x in syns)):
                continue
            hits.append(Hit(kind, e.iri, e.code, e.label, syns))
        return sorted(hits, key=lambda h: (h.kind, h.code, h.iri))

    def _lookup_element(self, text: str) -> list[tuple[str, str]]:
        order = {"code": 0, "name": 1, "synonym": 2}
        rows = self._rows(_rq("lookup_element"), text=Literal(text),
                          textzh=Literal(text, language="zh"))
        pairs = {(str(r["e"]), str(r["how"])) for r in rows}
        return sorted(pairs, key=lambda p: (order[p[1]], p[0]))

    @staticmethod
    def _row(r: dict[str, object]) -> ItemRow:
        def s(v: object) -> str | None:
            return str(v) if v is not None else None
        return ItemRow(str(r["i"]), s(r["r"]), s(r["e"]), r["auth"] in ("true", "1"),
                       s(r["from"]), s(r["provider"]))

    def _item_rows(self, items: Collection[str]) -> dict[str, ItemRow]:
        return best_rows(map(self._row, self._select_batch("item_rows", "i", items)),
                         key=lambda r: r.item)

    def _element_items(self, elements: Collection[str] | None = None,
                       department: str | None = None) -> list[ItemRow]:
        name = "element_items_dept" if department else "element_items"
        bindings = {"dept": NamedNode(department)} if department else {}
        if elements is None:
            rows = self._rows(_rq(name).replace("#ANCHOR#", ""), **bindings)
        else:
            rows = self._select_batch(name, "e", elements, **bindings)
        return element_rows(map(self._row, rows))

    def _used_elements(self, department: str | None = None) -> list[str]:
        if department:
            rows = self._rows(_rq("used_elements_dept"), dept=NamedNode(department))
        else:
            rows = self._rows(_rq("used_elements"))
        return sorted({str(r["e"]) for r in rows})

    def _sensitivities(self, iris: Collection[str]) -> dict[str, str | None]:
        own: dict[str, set[str]] = defaultdict(set)
        inherited: dict[str, set[str]] = defaultdict(set)
        for r in self._select_batch("sensitivities", "s", iris):
            s = str(r["s"])
            own.setdefault(s, set())  # every existing resource or item gets an answer
            for var, into in (("own", own), ("inherited", inherited)):
                level = CONCEPT_ZH.get(str(r[var])) if r[var] is not None else None
                if level is not None:
                    into[s].add(level)
        # repeated values (bad data): the strictest known own level, else the resource's
        return {s: strictest(levels) or strictest(inherited[s])  # type: ignore[misc]
                for s, levels in own.items()}


def _int(v: object) -> object:
    try:
        return int(str(v))
    except ValueError:
        return v
