"""One entity, listings and search, cut into pages by the one cursor codec (:mod:`graph.cursors`)."""

from __future__ import annotations

from graph.contract import (
    FIELDS,
    REF_PREDICATES,
    EngineContract,
    Hit,
    check_first,
)
from graph.model import (
    Entity,
    Page,
)
from graph.query import (
    ENTITY_KINDS,
    NotFound,
    QueryError,
)

__all__ = ["ListingQuestions"]


class ListingQuestions(EngineContract):
    # ====================================================================================
    # Lookups and listings
    # ====================================================================================
    def get(self, node: str) -> Entity:
        iri = self.iri_of(node)
        ent = self._entities([iri]).get(iri)
        if ent is None:
            raise NotFound(node)
        return ent

    def get_many(self, iris: list[str]) -> dict[str, Entity]:
        return self._entities(sorted(set(iris)))

    def related(self, iris: list[str], predicate: str, inverse: bool = False) -> dict[str, list[str]]:
        if predicate not in REF_PREDICATES:
            raise QueryError(f"未知的关系：{predicate}", f"unknown predicate: {predicate} (one of "
                             f"{', '.join(sorted(REF_PREDICATES))})", "BAD_ARGUMENT")
        uniq = sorted(set(iris))
        out = self._related(uniq, predicate, inverse)
        return {i: out.get(i, []) for i in uniq}

    def _check_kind(self, kind: str) -> None:
        if kind not in ENTITY_KINDS:
            raise QueryError(f"未知的类型：{kind}（可选 {', '.join(ENTITY_KINDS)}）",
                             f"unknown kind: {kind} (one of {', '.join(ENTITY_KINDS)})",
                             "BAD_KIND")

    def _normalise_filters(self, kind: str, filters: dict[str, str] | None) -> dict[str, object]:
        from ontology.codelists import SCHEMES

        out: dict[str, object] = {}
        specs = {fs.name: fs for fs in FIELDS[kind]}
        for name, raw in (filters or {}).items():
            fs = specs.get(name)
            if fs is None:
                raise QueryError(f"{kind} 没有字段 {name}（可选 {', '.join(specs)}）",
                                 f"{kind} has no field {name} (one of {', '.join(specs)})",
                                 "BAD_FILTER")
            value: object = raw if not isinstance(raw, str) else raw.strip()
            if fs.cell == "enum":
                if value not in SCHEMES[fs.target or ""].zh_values:
                    raise QueryError(f"字段 {name} 的取值无效：{raw}",
                                     f"invalid value for {name}: {raw} (one of "
                                     f"{', '.join(SCHEMES[fs.target or ''].zh_values)})",
                                     "BAD_FILTER")
            elif fs.cell in ("ref", "refs"):
                s = str(value)
                value = s if s.startswith(("http://", "https://", "urn:")) else (
                    self.iri_of(f"{fs.target}:{s}"))
            elif fs.cell == "bool":
                lowered = str(value).lower()
                if lowered in ("是", "true", "1"):
                    value = True
                elif lowered in ("否", "false", "0"):
                    value = False
                else:
                    raise QueryError(f"字段 {name} 须为 是/否：{raw}",
                                     f"{name} must be 是/否 (true/false): {raw}", "BAD_FILTER")
            elif fs.cell == "int":
                try:
                    value = int(str(value))
                except ValueError as e:
                    raise QueryError(f"字段 {name} 须为整数：{raw}",
                                     f"{name} must be an integer: {raw}", "BAD_FILTER") from e
            else:
                value = str(value)
            out[name] = value
        return out

    def list(self, kind: str, *, filters: dict[str, str] | None = None, text: str | None = None,
             first: int = 50, after: str | None = None) -> Page:
        self._check_kind(kind)
        check_first(first, allow_none=False)
        norm = self._normalise_filters(kind, filters)
        text = text.strip() if text else None
        if not norm and not text:
            keys = self._listing(kind)
        else:
            hits = self._match([kind], norm, text or None)
            if text:
                t = text.lower()
                hits = [h for h in hits if t in (h.label or "").lower()
                        or any(t in s.lower() for s in h.synonyms)]
            keys = [(h.code, h.iri) for h in hits]  # one kind: sorted by (code, IRI)
        question = ("list", kind, sorted(norm.items(), key=lambda kv: kv[0]), text)
        return self._page_of(keys, first, after, question)

    def _page_of(self, keys: list[tuple[str, str]], first: int, after: str | None,
                 question: tuple) -> Page:
        """The page of sorted (code, IRI) ``keys`` after the cursor ``after`` (an offset signed
        for this question, view and store version: graph.cursors)."""
        start = 0 if after is None else min(self._offset(after, *question, catalog=True),
                                            len(keys))
        page = keys[start:start + first]
        ents = self._entities([iri for _, iri in page])
        items = [ents[iri] for _, iri in page if iri in ents]
        has_next = start + first < len(keys)
        marks = [self._cursor(start + n + 1, *question, catalog=True) for n in range(len(page))]
        marks = [m for m, (_, iri) in zip(marks, page, strict=True) if iri in ents]
        return Page(items, len(keys), marks[-1] if marks and has_next else None, has_next,
                    marks)

    def search(self, text: str, *, kinds: list[str] | None = None, first: int = 20) -> list[Entity]:
        if not isinstance(text, str) or not text.strip():
            raise QueryError("搜索词不能为空", "search text must not be empty", "BAD_ARGUMENT")
        check_first(first, allow_none=False)
        for k in kinds or []:
            self._check_kind(k)
        t = text.strip().lower()
        hits = self._match(sorted(set(kinds or ENTITY_KINDS)), {}, t)

        def score(h: Hit) -> tuple:
            label = (h.label or "").lower()
            syns = [s.lower() for s in h.synonyms]
            if h.code.lower() == t or label == t:
                r = 0
            elif t in syns:
                r = 1
            elif label.startswith(t):
                r = 2
            elif any(s.startswith(t) for s in syns):
                r = 3
            elif t in label:
                r = 4
            elif any(t in s for s in syns):
                r = 5
            else:
                r = 6
            return (r, len(h.label or ""), h.kind, h.code)

        best = sorted(hits, key=score)[:first]
        ents = self._entities([h.iri for h in best])
        return [ents[h.iri] for h in best if h.iri in ents]

