"""Writing the catalog template: blank (for clerks to fill) or with rows, as CSV files or XLSX.

Everything comes from :data:`loaders.spec.FILES`: file and sheet names, exact headers, what each
column means, whether it is required, its allowed values and format. The XLSX workbook opens
with a sheet ``填写说明`` (instructions; the loader skips sheets whose name starts with 说明 or
填写说明), then one sheet per file with a bold header row, a note on every header cell and a
drop-down for every controlled column (code-list values, 是/否).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from loaders.spec import FILE_BY_KIND, FILES, Column
from ontology.codelists import SCHEMES

__all__ = ["INSTRUCTIONS_SHEET", "VALIDATION_ROWS", "describe", "allowed_values",
           "write_csv_template", "write_xlsx_template", "write_template", "Rows",
           "column_reference_markdown"]

INSTRUCTIONS_SHEET = "填写说明"
VALIDATION_ROWS = 5000  # drop-downs and text formats cover rows 2..VALIDATION_ROWS

# file name -> rows; a row maps Chinese column names to values (str, int, bool, date, datetime,
# or a list for list columns). Missing columns stay empty.
Rows = Mapping[str, Iterable[Mapping[str, object]]]

_SEPARATORS = "以 ; 或 ； 或 、 分隔"

CONVENTIONS: tuple[tuple[str, str], ...] = (
    ("每个工作表对应一类数据，一行是一条记录；第一行是表头，不要修改、删除或重复表头。",
     "Each sheet holds one kind of record, one per row; row 1 is the header: do not change, "
     "remove or repeat header cells."),
    ("橙色表头为必填列，该列每一行都不能为空；其余列可以留空。",
     "Orange headers are required columns: no row may leave them empty; other columns may be "
     "left empty."),
    ("列的顺序可以调整；不认识的列名会报错（防止拼写错误导致数据丢失）。",
     "Column order does not matter; an unknown column name is an error (a typo must not "
     "silently drop data)."),
    ("受控列请从下拉列表中选择，只能填写列出的取值；布尔列填“是”或“否”。",
     "Pick controlled values from the drop-down; only the listed values are accepted. Boolean "
     "columns take 是 (yes) or 否 (no)."),
    ("多个值" + _SEPARATORS + "，如“DE-SFZ;DE-XM”。",
     "Several values are separated by ; or ； or 、, e.g. DE-SFZ;DE-XM."),
    ("日期填 2023-03-31（也可以是 Excel 日期单元格）；日期时间填 2023-03-31T09:30:00+08:00，"
     "不写时区时按北京时间。",
     "Dates: 2023-03-31 (Excel date cells work too); date-times: 2023-03-31T09:30:00+08:00, "
     "Beijing time when no offset is given."),
    ("编码区分大小写，首尾空格会被去掉；编码生成稳定的标识，重新导入会更新而不是重复。",
     "Codes are case-sensitive and trimmed; they make stable identifiers, so a reload updates "
     "rather than duplicates."),
    ("引用列填写其他工作表（或库中其他来源）已有的编码。",
     "Reference columns hold a code defined in another sheet (or by another source already in "
     "the store)."),
    ("导入是全有或全无：任何一个错误都会列出（工作表、行号、列、值），且不写入任何数据。",
     "A load is all or nothing: every error is listed (sheet, row, column, value) and nothing "
     "is stored."),
    ("以“说明”或“填写说明”开头的工作表不会被导入，可用于备注。",
     "Sheets whose name starts with 说明 or 填写说明 are not loaded; use them for notes."),
)


def allowed_values(c: Column) -> list[str] | None:
    """The values a controlled column accepts (code-list values, 是/否), else None."""
    if c.kind == "enum" and c.target:
        return SCHEMES[c.target].zh_values
    if c.kind == "bool":
        return ["是", "否"]
    return None


def _range(c: Column) -> str:
    lo = "" if c.min is None else str(c.min)
    hi = "" if c.max is None else str(c.max)
    return f"{lo}–{hi}" if (lo or hi) else ""


def describe(c: Column) -> tuple[str, str]:
    """What goes into a column: (zh, en) description of its kind, allowed values and format."""
    k = c.kind
    if k in ("ref", "refs"):
        t = FILE_BY_KIND[c.target_or_raise()]
        zh = f"{t.sheet}工作表的{t.key.name if t.kind != 'item' else '编码'}"
        en = f"a {t.key.en} ({t.file})"
        if k == "refs":
            return f"一个或多个{zh}，{_SEPARATORS}", f"one or more of {en}, separated by ;"
        return zh, en
    if k == "enum":
        s = SCHEMES[c.target_or_raise()]
        vals = "、".join(s.zh_values)
        return f"从下拉列表选择（{s.zh}）：{vals}", f"one of the {s.en} values: {vals}"
    if k == "bool":
        return "是 或 否", "是 (yes) or 否 (no)"
    rng = _range(c)
    simple = {
        "text": ("文本", "text"),
        "key": ("唯一编码，区分大小写", "unique code, case-sensitive"),
        "list": (f"一个或多个值，{_SEPARATORS}", "one or more values, separated by ;"),
        "date": ("日期，如 2023-03-31", "date, e.g. 2023-03-31"),
        "datetime": ("日期时间，如 2023-03-31T09:30:00+08:00（无时区按北京时间）",
                     "date-time, e.g. 2023-03-31T09:30:00+08:00 (Beijing time without offset)"),
        "int": ("整数" + (f"，范围 {rng}" if rng else ""), "integer" + (f", {rng}" if rng else "")),
        "region": ("6 位行政区划代码（GB/T 2260）", "6-digit region code (GB/T 2260)"),
    }
    return simple[k]


def _note(c: Column) -> str:
    zh_kind, en_kind = describe(c)
    req_zh = "必填" if c.required else "选填"
    req_en = "required" if c.required else "optional"
    lines = [f"{c.name}（{req_zh}）", zh_kind]
    if c.note:
        lines.append(c.note)
    lines += ["", f"{c.en} ({req_en})", en_kind]
    return "\n".join(lines)


def _cell_text(c: Column, v: object) -> object:
    """A row value as it goes into a cell: lists joined, booleans as 是/否."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (list, tuple)):
        return ";".join(str(x) for x in v)
    return v


def write_csv_template(folder: Path, rows: Rows | None = None) -> list[Path]:
    """Write the 8 CSV files (UTF-8 with BOM, CRLF, exact headers) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = rows or {}
    out = []
    for spec in FILES:
        path = folder / spec.file
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            w.writerow(spec.headers)
            for r in rows.get(spec.file, ()):
                cells = []
                for c in spec.columns:
                    v = _cell_text(c, r.get(c.name))
                    if isinstance(v, (dt.date, dt.datetime)):
                        v = v.isoformat()
                    cells.append("" if v is None else str(v))
                w.writerow(cells)
        out.append(path)
    return out


def _instructions(wb) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(["政务数据目录导入模板 · Catalog import template"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["填写约定", "Conventions"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for zh, en in CONVENTIONS:
        ws.append([zh, en])
    ws.append([])
    ws.append(["工作表", "CSV 文件", "一行是", "Rows are"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for spec in FILES:
        ws.append([spec.sheet, spec.file, f"一条{spec.sheet}记录", spec.en])
    ws.append([])
    ws.append(["工作表", "列", "必填", "填写内容", "What goes in", "说明", "Meaning"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for spec in FILES:
        for c in spec.columns:
            zh, en = describe(c)
            ws.append([spec.sheet, c.name, "是" if c.required else "", zh, en, c.note, c.en])
    for col, width in zip("ABCDEFG", (40, 40, 16, 48, 48, 24, 28), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap


def write_xlsx_template(path: Path, rows: Rows | None = None) -> Path:
    """Write the workbook: instructions, then one sheet per file with notes and drop-downs."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = rows or {}
    wb = Workbook()
    _instructions(wb)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FCD5B4")
    optional_fill = PatternFill("solid", fgColor="DDEBF7")
    for spec in FILES:
        ws = wb.create_sheet(spec.sheet)
        ws.append(spec.headers)
        ws.freeze_panes = "A2"
        for i, c in enumerate(spec.columns, start=1):
            letter = get_column_letter(i)
            cell = ws.cell(row=1, column=i)
            cell.font = bold
            cell.fill = required_fill if c.required else optional_fill
            note = Comment(_note(c), "一数 Yishu")
            note.width, note.height = 320, 180
            cell.comment = note
            dim = ws.column_dimensions[letter]
            dim.width = max(12, 2 * len(c.name) + 4)
            if c.kind in ("key", "ref", "refs", "region", "text", "list"):
                dim.number_format = "@"  # codes such as 010203 stay text in Excel
            values = allowed_values(c)
            if values is not None:
                dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"',
                                    allow_blank=True, showDropDown=False,
                                    showErrorMessage=True, showInputMessage=True,
                                    errorStyle="stop",
                                    errorTitle="取值无效 / invalid value",
                                    error=("请从下拉列表选择 / pick a value from the list: "
                                           + "、".join(values))[:255],  # Excel's limit
                                    promptTitle=c.name[:32],
                                    prompt="、".join(values)[:255])
                dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
                ws.add_data_validation(dv)
        for r in rows.get(spec.file, ()):
            ws.append([_cell_text(c, r.get(c.name)) for c in spec.columns])
    wb.save(path)
    return path


def write_template(out: Path, fmt: str = "xlsx", rows: Rows | None = None) -> list[Path]:
    """Write the template as ``xlsx`` (one workbook at ``out``) or ``csv`` (a folder ``out``)."""
    if fmt == "xlsx":
        return [write_xlsx_template(out, rows)]
    if fmt == "csv":
        return write_csv_template(out, rows)
    raise ValueError(f"unknown template format {fmt!r} (xlsx or csv)")


def column_reference_markdown() -> str:
    """Every sheet's columns as Markdown tables (the reference in docs/template.md)."""
    out = []
    for spec in FILES:
        out.append(f"### {spec.file} · {spec.sheet} — {spec.en}\n")
        out.append("| column | required | what goes in | 填写内容 | meaning | 说明 |")
        out.append("|---|---|---|---|---|---|")
        for c in spec.columns:
            zh, en = describe(c)
            out.append(f"| {c.name} | {'yes' if c.required else ''} | {en} | {zh} | {c.en} "
                       f"| {c.note} |")
        out.append("")
    return "\n".join(out)
