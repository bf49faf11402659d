"""Catalog template → RDF: every cell validated, every reference resolved, all errors collected.

The mapping is driven by :data:`loaders.spec.FILES`. The result is the full list of triples of
one load source; nothing is written until the whole template is clean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad, Triple

from graph.iris import item_iri, mint
from loaders.cells import CellProblem, parse_cell
from loaders.errors import CellError, TemplateError
from loaders.readers import Table
from loaders.spec import FILE_BY_KIND, FILE_BY_NAME, FILES, IDENT, LABEL, Column, FileSpec
from ontology.codelists import SCHEMES
from ontology.namespaces import RDF, XSD, base_iri, code_iri

__all__ = ["MapReport", "map_template", "Resolver"]

# iri -> name of another load source that already defines that entity, or None.
# References resolve against it; keys defined by another source are refused.
Resolver = Callable[[str], "str | None"]
Progress = Callable[[int], None]
_CHUNK = 50_000  # quads per chunk handed to a sink (Oxigraph bulk-loads 50k chunks fastest)

_TYPE = NamedNode(RDF + "type")
_XSD_BOOL = NamedNode(XSD + "boolean")
_XSD_INT = NamedNode(XSD + "integer")
_XSD_DATE = NamedNode(XSD + "date")
_XSD_DATETIME = NamedNode(XSD + "dateTime")


@dataclass
class MapReport:
    rows: dict[str, int] = field(default_factory=dict)  # file -> rows mapped
    triples: int = 0
    warnings: list[str] = field(default_factory=list)
    warnings_total: int = 0

    def warn(self, msg: str, cap: int = 100) -> None:
        self.warnings_total += 1
        if len(self.warnings) < cap:
            self.warnings.append(msg)


def _header_name(header: str) -> str:
    """A header as the spec names it: the contract marks required columns with ``*`` (half- or
    full-width) and clerks often keep the mark, so a trailing one is not part of the name."""
    return header.strip().rstrip("*＊").strip()


class _Mapper:
    def __init__(self, base: str | None, resolver: Resolver | None, graph: NamedNode | None):
        self.base = base or base_iri()
        self.resolver = resolver
        self.errors: list[CellError] = []
        self.graph = graph
        self.out: list[Triple | Quad] = []
        self.flushed = 0
        self._nodes: dict[str, NamedNode] = {}
        self._entities: dict[tuple[str, str], NamedNode] = {}
        self.keys: dict[str, set[str]] = {f.file: set() for f in FILES}

    def node(self, iri: str) -> NamedNode:
        n = self._nodes.get(iri)
        if n is None:
            n = self._nodes[iri] = NamedNode(iri)
        return n

    def err(self, t: Table, row: int | None, col: str | None, value: object, zh: str, en: str):
        self.errors.append(CellError(t.where, row, col, None if value is None else str(value),
                                     zh, en))

    # -- structure ------------------------------------------------------------------------
    def check_header(self, t: Table) -> dict[str, int] | None:
        """Column positions, or None (errors recorded) when the header is unusable. Even then
        the table's codes are noted, so that references to them do not add spurious errors."""
        known = set(t.spec.headers)
        pos: dict[str, int] = {}
        ok = True
        # cells to the right of the last header cell are data without a header too
        width = max([len(t.header), *(len(r) for _, r in t.rows)])
        for i, shown in enumerate(t.header + [""] * (width - len(t.header))):
            h = _header_name(shown)
            if h == "":
                if any(i < len(r) and str(r[i]).strip() for _, r in t.rows):
                    self.err(t, 1, f"第{i + 1}列/column {i + 1}", "", "有数据的列缺少表头",
                             "a column with data has no header")
                    ok = False
                continue
            if h not in known:
                self.err(t, 1, shown, shown, "未知的列名（请检查是否拼写错误）",
                         "unknown column (check the spelling)")
                ok = False
            elif h in pos:
                self.err(t, 1, h, h, "列名重复", "duplicate column")
                ok = False
            else:
                pos[h] = i
        for c in t.spec.columns:
            if c.required and c.name not in pos and t.rows:
                self.err(t, 1, c.name, None, "缺少必填列", "required column missing")
                ok = False
        if not ok:
            self._note_keys(t, pos)
        return pos if ok else None

    def _note_keys(self, t: Table, pos: dict[str, int]) -> None:
        if t.spec.kind == "item" or t.spec.key.name not in pos:
            return
        i = pos[t.spec.key.name]
        for _, cells in t.rows:
            if i < len(cells) and str(cells[i]).strip():
                self.keys[t.spec.file].add(parse_cell("key", cells[i]))  # type: ignore[arg-type]

    def parse_rows(self, t: Table, pos: dict[str, int]) -> list[tuple[int, dict[str, object]]]:
        out = []
        cols = [(c, pos[c.name]) for c in t.spec.columns if c.name in pos]
        required_missing = [c for c in t.spec.columns if c.required and c.name not in pos]
        for n, cells in t.rows:
            rec: dict[str, object] = {}
            for c, i in cols:
                raw = cells[i] if i < len(cells) else ""
                if raw is None or (isinstance(raw, str) and not raw.strip()):
                    if c.required:
                        self.err(t, n, c.name, "", "必填项为空", "required cell is empty")
                    continue
                try:
                    val = parse_cell(c.kind, raw, target=c.target, lo=c.min, hi=c.max)
                except CellProblem as p:
                    self.err(t, n, c.name, raw, p.zh, p.en)
                    continue
                if val == [] or val == "":
                    if c.required:
                        self.err(t, n, c.name, raw, "必填项为空", "required cell is empty")
                    continue
                rec[c.name] = val
            for c in required_missing:
                self.err(t, n, c.name, "", "必填项为空", "required cell is empty")
            out.append((n, rec))
        return out

    # -- references -----------------------------------------------------------------------
    def resolves(self, target_file: str, code: str) -> bool:
        if code in self.keys[target_file]:
            return True
        if self.resolver is None:
            return False
        kind = FILE_BY_NAME[target_file].kind
        return self.resolver(mint(kind, code, self.base)) is not None

    def check_ref(self, t: Table, n: int, c: Column, code: str) -> bool:
        target = FILE_BY_KIND[c.target_or_raise()]
        if self.resolves(target.file, code):
            return True
        self.err(t, n, c.name, code,
                 f"引用的{target.sheet}编码不存在（本次导入和库中都没有）",
                 f"unknown {target.en.lower()[:-1]} code (neither in this load nor in the store)")
        return False

    # -- mapping --------------------------------------------------------------------------
    def entity(self, kind: str, code: str) -> NamedNode:
        key = (kind, code)
        n = self._entities.get(key)
        if n is None:
            n = self._entities[key] = NamedNode(mint(kind, code, self.base))
        return n

    def converter(self, c: Column) -> Callable[[object], list[NamedNode | Literal]]:
        """How one parsed cell of column ``c`` becomes RDF objects."""
        k = c.kind
        if k in ("text", "key", "region"):
            if c.pred == LABEL:
                return lambda v: [Literal(v, language="zh")]  # type: ignore[arg-type]
            return lambda v: [Literal(v)]  # type: ignore[arg-type]
        if k == "list":
            return lambda v: [Literal(s, language="zh") for s in v]  # type: ignore[union-attr]
        if k in ("ref", "refs"):
            kind = c.target_or_raise()
            if k == "ref":
                return lambda v: [self.entity(kind, v)]  # type: ignore[arg-type]
            return lambda v: [self.entity(kind, s) for s in v]  # type: ignore[union-attr]
        if k == "enum":
            scheme = c.target_or_raise()
            concepts = {slug: NamedNode(code_iri(scheme, slug))
                        for _, slug, _ in SCHEMES[scheme].values}
            return lambda v: [concepts[v]]  # type: ignore[index]
        if k == "bool":
            true = Literal("true", datatype=_XSD_BOOL)
            false = Literal("false", datatype=_XSD_BOOL)
            return lambda v: [true if v else false]
        if k == "int":
            return lambda v: [Literal(str(v), datatype=_XSD_INT)]
        if k == "date":
            return lambda v: [Literal(v.isoformat(), datatype=_XSD_DATE)]  # type: ignore[union-attr]
        if k == "datetime":
            return lambda v: [Literal(v.isoformat(), datatype=_XSD_DATETIME)]  # type: ignore[union-attr]
        raise ValueError(k)  # pragma: no cover - spec and mapper are kept in step by tests

    def map_rows(self, spec: FileSpec, t: Table, rows: list[tuple[int, dict[str, object]]],
                 progress: Progress | None = None, sink: Callable[[list], None] | None = None):
        cls = self.node(spec.cls)
        ident = self.node(IDENT)
        plan = {c.name: (self.node(c.pred), self.converter(c)) for c in spec.columns if c.pred}
        ref_cols = [c for c in spec.columns if c.kind in ("ref", "refs")]
        is_item = spec.kind == "item"
        keyname = None if is_item else spec.key.name
        seen_items: dict[tuple[str, str], int] = {}
        g = self.graph
        add = self.out.append
        make = (lambda s, p, o: Quad(s, p, o, g)) if g is not None else Triple
        for i, (n, rec) in enumerate(rows):
            if i % 1000 == 999:
                if progress is not None:
                    progress(1000)
                if sink is not None and len(self.out) >= _CHUNK and not self.errors:
                    sink(self.out)
                    self.flushed += len(self.out)
                    self.out = []
                    add = self.out.append
            ok = True
            for c in ref_cols:
                v = rec.get(c.name)
                if v is None:
                    continue
                for code in ([v] if c.kind == "ref" else v):  # type: ignore[list-item]
                    ok = self.check_ref(t, n, c, str(code)) and ok
            if is_item:
                res, name = rec.get("资源代码"), rec.get("信息项名称")
                if res is None or name is None:
                    continue
                first = seen_items.setdefault((str(res), str(name)), n)
                if first != n:
                    self.err(t, n, "信息项名称", name, f"同一资源内信息项名称重复（首次见第{first}行）",
                             f"item name repeated within its resource (first at row {first})")
                    continue
                subj = NamedNode(item_iri(str(res), str(name), self.base))
                ident_value: str | None = f"{res}/{name}"
            else:
                key = rec.get(keyname)  # type: ignore[arg-type]
                if key is None:
                    continue
                subj = self.entity(spec.kind, str(key))
                ident_value = None
            if not ok or self.errors:
                continue  # keep validating, stop producing triples
            add(make(subj, _TYPE, cls))
            if ident_value is not None:
                add(make(subj, ident, Literal(ident_value)))
            for name, v in rec.items():
                p, conv = plan[name]
                for o in conv(v):
                    add(make(subj, p, o))

    def collect_keys(self, t: Table, rows: list[tuple[int, dict[str, object]]]) -> None:
        if t.spec.kind == "item":
            return
        keyname = t.spec.key.name
        first_row: dict[str, int] = {}
        for n, rec in rows:
            key = rec.get(keyname)
            if key is None:
                continue
            key = str(key)
            if key in first_row:
                self.err(t, n, keyname, key, f"编码重复（首次见第{first_row[key]}行）",
                         f"duplicate code (first at row {first_row[key]})")
            else:
                first_row[key] = n
                owner = self.resolver(mint(t.spec.kind, key, self.base)) if self.resolver else None
                if owner is not None:
                    self.err(t, n, keyname, key, f"该编码已由导入来源“{owner}”定义",
                             f"this code is already defined by load source {owner!r}")
        self.keys[t.spec.file].update(first_row)


def map_template(tables: list[Table], *, base: str | None = None,
                 resolver: Resolver | None = None,
                 progress: Progress | None = None,
                 graph: NamedNode | None = None,
                 sink: Callable[[list], None] | None = None) -> tuple[list[Triple | Quad], MapReport]:
    """Validate and map a template. Raises :class:`TemplateError` with every error found.

    Returns triples, or quads in ``graph`` when it is given. With ``sink``, chunks of output are
    handed to it as long as no error has been found (the store's streaming fast path: the caller
    discards what it wrote if the load is refused) and the returned list holds only the rest."""
    m = _Mapper(base, resolver, graph)
    order = {f.file: i for i, f in enumerate(FILES)}
    parsed: list[tuple[Table, list[tuple[int, dict[str, object]]]]] = []
    seen: dict[str, str] = {}
    for t in sorted(tables, key=lambda t: order[t.spec.file]):
        if t.spec.file in seen:
            m.err(t, None, None, None, f"与 {seen[t.spec.file]} 重复", f"duplicates {seen[t.spec.file]}")
            continue
        seen[t.spec.file] = t.where
        pos = m.check_header(t)
        if pos is None:
            continue
        rows = m.parse_rows(t, pos)
        m.collect_keys(t, rows)
        parsed.append((t, rows))
    report = MapReport()
    for t, rows in parsed:
        m.map_rows(t.spec, t, rows, progress, sink)
        if progress is not None:
            progress(len(rows) % 1000)
        report.rows[t.spec.file] = len(rows)
    if m.errors:
        raise TemplateError(m.errors)
    report.triples = m.flushed + len(m.out)
    if sink is not None and m.out:
        sink(m.out)
        m.out = []
    return m.out, report
