"""Importing call statistics (调用统计) from a data exchange platform: a CSV or JSON file, one
record per resource, consuming department, consuming system, scenario and day (docs/usage.md).

All or nothing, like the template: every bad cell is reported with its file, row, column and
value in Chinese and English, and nothing is stored unless every row is good. The file is
stored as its own load source (``usage-<file stem>`` by default); importing the same file again
replaces that source by the same records, so the answers do not change.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from graph.iris import mint
from graph.store import CatalogStore
from graph.usage import UsageRecord, known_entities, store_usage
from loaders.errors import CellError, TemplateError
from loaders.readers import LIMITS, ReadLimits, decode_text, read_csv_bytes

__all__ = ["COLUMNS", "UsageColumn", "UsageImport", "MAX_ROWS", "parse_usage", "import_usage",
           "import_usage_file", "usage_source_name"]

MAX_ROWS = 1_000_000  # records in one file
MAX_ERRORS = 1000  # errors reported before stopping (the count says there may be more)
MAX_SCENARIO = 200  # characters
_SOURCE_OK = re.compile(r"[^\w\-.一-鿿]")


@dataclass(frozen=True)
class UsageColumn:
    name: str  # JSON key and English CSV header
    zh: str  # Chinese CSV header
    required: bool
    note_zh: str
    note_en: str


COLUMNS: tuple[UsageColumn, ...] = (
    UsageColumn("resource", "资源代码", True, "目录中的数据资源代码", "a data resource code of the catalog"),
    UsageColumn("department", "调用部门编码", True, "调用（使用）部门的编码",
                "code of the consuming department"),
    UsageColumn("system", "调用系统编码", False, "调用的信息系统编码（可空）",
                "code of the consuming information system (may be empty)"),
    UsageColumn("date", "调用日期", True, "YYYY-MM-DD", "YYYY-MM-DD"),
    UsageColumn("calls", "调用次数", True, "当日调用次数，非负整数", "calls that day, an integer ≥ 0"),
    UsageColumn("failures", "失败次数", False, "其中失败的次数，0 到调用次数（空为 0）",
                "of which failed, 0 to calls (empty: 0)"),
    UsageColumn("scenario", "应用场景", False, f"调用的应用场景（可空，至多 {MAX_SCENARIO} 字）",
                f"what the calls were for (may be empty, at most {MAX_SCENARIO} characters)"),
)
_BY_HEADER = {h: c for c in COLUMNS for h in (c.name, c.zh)}


@dataclass
class UsageImport:
    source: str
    file: str
    records: int = 0
    calls: int = 0
    failures: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    triples: int = 0
    seconds: float = 0.0
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"source": self.source, "file": self.file, "records": self.records,
                "calls": self.calls, "failures": self.failures,
                "firstDay": self.first_day.isoformat() if self.first_day else None,
                "lastDay": self.last_day.isoformat() if self.last_day else None,
                "triples": self.triples, "seconds": round(self.seconds, 3),
                "encoding": self.encoding}


def usage_source_name(filename: str) -> str:
    """The default load source of a usage file: ``usage-`` and its stem (other characters
    replaced by ``_``, at most 100 in all)."""
    stem = _SOURCE_OK.sub("_", Path(filename).stem) or "file"
    return ("usage-" + stem)[:100]


class _Errors:
    def __init__(self, file: str):
        self.file = file
        self.found: list[CellError] = []

    def add(self, row: int | None, column: str | None, value: object, zh: str, en: str) -> None:
        if len(self.found) < MAX_ERRORS:
            text = None if value is None else str(value)
            if text is not None and len(text) > 80:
                text = text[:80] + "…"
            self.found.append(CellError(self.file, row, column, text, zh, en))

    def raise_if_any(self) -> None:
        if self.found:
            raise TemplateError(self.found)


def _rows_of_csv(data: bytes, name: str, errors: _Errors, limits: ReadLimits
                 ) -> tuple[list[tuple[int, dict[str, object]]], str | None, dict[str, str]]:
    table = read_csv_bytes(data, name, limits)
    columns: dict[int, UsageColumn] = {}
    headers: dict[str, str] = {}  # field -> header as written (for located errors)
    for i, h in enumerate(table.header):
        col = _BY_HEADER.get(h)
        if col is None:
            if h:
                errors.add(1, h, h, "不是调用统计的列名", "not a column of the usage format")
            continue
        if col.name in headers:
            errors.add(1, h, h, f"列重复（已有 {headers[col.name]}）",
                       f"column repeated (already {headers[col.name]})")
            continue
        columns[i] = col
        headers[col.name] = h
    for c in COLUMNS:
        if c.required and c.name not in headers:
            errors.add(1, c.zh, None, f"缺少必填列 {c.zh}（{c.name}）",
                       f"required column missing: {c.zh} ({c.name})")
    rows = []
    for n, cells in table.rows:
        row: dict[str, object] = {}
        for i, col in columns.items():
            row[col.name] = cells[i] if i < len(cells) else ""
        if len(cells) > len(table.header) and any(str(c).strip() for c in cells[len(table.header):]):
            errors.add(n, f"第{len(table.header) + 1}列/column {len(table.header) + 1}",
                       cells[len(table.header)], "多出表头以外的单元格",
                       "a cell beyond the header's columns")
        rows.append((n, row))
    return rows, table.encoding, headers


def _rows_of_json(data: bytes, name: str, errors: _Errors
                  ) -> tuple[list[tuple[int, dict[str, object]]], str | None, dict[str, str]]:
    text, encoding = decode_text(data, name)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise TemplateError([CellError(name, e.lineno, None, None,
                                       f"JSON 格式错误（第 {e.lineno} 行第 {e.colno} 列）：{e.msg}",
                                       f"malformed JSON (line {e.lineno}, column {e.colno}): "
                                       f"{e.msg}")]) from None
    if isinstance(doc, dict) and isinstance(doc.get("records"), list):
        doc = doc["records"]
    if not isinstance(doc, list):
        raise TemplateError([CellError(name, None, None, None,
                                       "JSON 应为记录数组，或含 records 数组的对象",
                                       "JSON must be an array of records, or an object with a "
                                       "records array")])
    rows = []
    for n, obj in enumerate(doc, start=1):
        if not isinstance(obj, dict):
            errors.add(n, None, json.dumps(obj, ensure_ascii=False)[:80],
                       f"第 {n} 条记录（$[{n - 1}]）不是对象", f"record {n} ($[{n - 1}]) is not "
                       "an object")
            continue
        row: dict[str, object] = {}
        for key, value in obj.items():
            col = _BY_HEADER.get(str(key))
            if col is None:
                errors.add(n, str(key), value, "不是调用统计的字段", "not a field of the usage format")
                continue
            row[col.name] = value
        rows.append((n, row))
    return rows, encoding, {c.name: c.name for c in COLUMNS}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _count(value: object) -> int | None:
    """A non-negative integer from a cell (text digits or a JSON integer), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = _text(value).replace(",", "")
    return int(text) if text.isdigit() else None


def parse_usage(data: bytes, filename: str, store: CatalogStore,
                limits: ReadLimits = LIMITS) -> tuple[list[UsageRecord], str | None]:
    """Check every row of a usage file against the format and the catalog; the records, or
    :class:`TemplateError` with every error found (file, row, column, value, zh / en)."""
    name = Path(filename).name or "usage"
    errors = _Errors(name)
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        rows, encoding, headers = _rows_of_csv(data, name, errors, limits)
    elif suffix == ".json":
        rows, encoding, headers = _rows_of_json(data, name, errors)
    else:
        raise TemplateError([CellError(name, None, None, None, "调用统计应为 .csv 或 .json 文件",
                                       "usage statistics must be a .csv or .json file")])
    if len(rows) > MAX_ROWS:
        raise TemplateError([CellError(name, None, None, None,
                                       f"记录过多（{len(rows)} 条，上限 {MAX_ROWS}），请分文件导入",
                                       f"too many records ({len(rows)}, limit {MAX_ROWS}); "
                                       "split the file")])
    if not rows:
        errors.add(None, None, None, "文件中没有任何调用记录", "the file holds no usage record")
    known = known_entities(store)
    base = store.base
    seen: dict[tuple, int] = {}
    out: list[UsageRecord] = []
    for n, row in rows:
        col = lambda f: headers.get(f, f)  # noqa: E731 - the column as the file names it
        ok = True
        iris: dict[str, str | None] = {}
        for f, kind, zh, en in (("resource", "resource", "数据资源", "data resource"),
                                ("department", "department", "部门", "department"),
                                ("system", "system", "信息系统", "information system")):
            code = _text(row.get(f))
            if not code:
                iris[f] = None
                if f != "system":
                    errors.add(n, col(f), "", "必填", "required")
                    ok = False
                continue
            iri = mint(kind, code, base)
            if iri not in known[kind]:
                errors.add(n, col(f), code, f"目录中没有此{zh}编码", f"no {en} with this code in "
                           "the catalog")
                ok = False
            iris[f] = iri
        day_text = _text(row.get("date"))
        day = None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day_text):
                raise ValueError
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            errors.add(n, col("date"), day_text, "日期应为 YYYY-MM-DD" if day_text else "必填",
                       "the date must be YYYY-MM-DD" if day_text else "required")
            ok = False
        calls = _count(row.get("calls"))
        if calls is None:
            raw = _text(row.get("calls"))
            errors.add(n, col("calls"), raw, "调用次数应为非负整数" if raw else "必填",
                       "calls must be an integer ≥ 0" if raw else "required")
            ok = False
        raw_fail = row.get("failures")
        failures = 0 if _text(raw_fail) == "" else _count(raw_fail)
        if failures is None:
            errors.add(n, col("failures"), _text(raw_fail), "失败次数应为非负整数",
                       "failures must be an integer ≥ 0")
            ok = False
        elif calls is not None and failures > calls:
            errors.add(n, col("failures"), _text(raw_fail), f"失败次数大于调用次数 {calls}",
                       f"more failures than calls ({calls})")
            ok = False
        scenario = _text(row.get("scenario"))
        if len(scenario) > MAX_SCENARIO:
            errors.add(n, col("scenario"), scenario, f"应用场景过长（至多 {MAX_SCENARIO} 字）",
                       f"scenario too long (at most {MAX_SCENARIO} characters)")
            ok = False
        if not ok:
            continue
        if day is None or calls is None or failures is None:  # (ok is False then)
            continue
        rec = UsageRecord(resource=iris["resource"] or "", department=iris["department"] or "",
                          system=iris["system"], day=day, calls=calls, failures=failures,
                          scenario=scenario)
        first = seen.get(rec.key)
        if first is not None:
            errors.add(n, col("date"), day_text,
                       f"与第 {first} 行重复（同一资源、部门、系统、日期和场景）",
                       f"repeats row {first} (same resource, department, system, date and "
                       "scenario)")
            continue
        seen[rec.key] = n
        out.append(rec)
    errors.raise_if_any()
    return out, encoding


def _reserved(source: str, filename: str) -> None:
    from loaders.openlineage import SOURCE

    if not source.startswith("usage") or source == SOURCE:
        raise TemplateError([CellError(filename, None, None, None,
                                       f"调用统计的来源名称应以 usage 开头（{source}）",
                                       f"a usage source name must start with usage ({source})")])


def import_usage(store: CatalogStore, data: bytes, filename: str, source: str | None = None,
                 limits: ReadLimits = LIMITS) -> UsageImport:
    """Check and store a usage file as load source ``source`` (default from the file name),
    replacing what that source held; nothing is stored when any row is bad."""
    t0 = time.perf_counter()
    source = source or usage_source_name(filename)
    _reserved(source, filename)
    recs, encoding = parse_usage(data, filename, store, limits)
    triples = store_usage(store, source, recs)
    report = UsageImport(source, Path(filename).name, len(recs), sum(r.calls for r in recs),
                         sum(r.failures for r in recs), min(r.day for r in recs),
                         max(r.day for r in recs), triples, time.perf_counter() - t0, encoding)
    return report


def import_usage_file(store: CatalogStore, path: Path, source: str | None = None) -> UsageImport:
    path = Path(path)
    if not path.is_file():
        raise TemplateError([CellError(str(path), None, None, None, "文件不存在",
                                       "no such file")])
    return import_usage(store, path.read_bytes(), path.name, source)
