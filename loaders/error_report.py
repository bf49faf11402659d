"""Every load error as a file a clerk can work through: CSV or XLSX, one row per error.

Cells that a spreadsheet would read as a formula (leading ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are written with a leading apostrophe, so a hostile cell value in a rejected
workbook cannot run when the clerk opens the report.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from loaders.errors import CellError

__all__ = ["ERROR_COLUMNS", "error_rows", "neutralise_formula", "write_errors"]

ERROR_COLUMNS = (("file", "文件"), ("sheet", "工作表"), ("row", "行"), ("column", "列"),
                 ("value", "值"), ("zh", "错误说明"), ("en", "error"))

_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """A text cell that a spreadsheet would evaluate, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_LEAD):
        return "'" + value
    return value


def _split_where(where: str) -> tuple[str, str]:
    """``workbook.xlsx:sheet`` → (``workbook.xlsx``, ``sheet``); a CSV file has no sheet."""
    head, sep, tail = where.rpartition(".xlsx:")
    if sep:
        return head + ".xlsx", tail
    return where, ""


def error_rows(errors: list[CellError]) -> list[list[object]]:
    rows = []
    for e in errors:
        file, sheet = _split_where(e.file)
        rows.append([neutralise_formula(v) for v in
                     (file, sheet, e.row, e.column, e.value, e.zh, e.en)])
    return rows


def write_errors(errors: list[CellError], path: Path) -> None:
    """Write every error to ``path``: ``.xlsx`` as a workbook, anything else as UTF-8 CSV (with a
    BOM, so Excel on a Chinese Windows opens it right)."""
    header = [f"{zh} {en}" for en, zh in ERROR_COLUMNS]
    rows = error_rows(errors)
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "错误 errors"
        ws.append(header)
        for r in rows:
            ws.append(["" if v is None else v for v in r])
        ws.freeze_panes = "A2"
        for col, width in zip("ABCDEFG", (28, 18, 8, 18, 24, 48, 48), strict=True):
            ws.column_dimensions[col].width = width
        wb.save(path)
        return
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(["" if v is None else v for v in r] for r in rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
