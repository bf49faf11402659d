"""Reading a catalog template — a folder of CSV files, an XLSX workbook, or a ZIP of either —
into tables of raw cells. Validation happens in :mod:`loaders.template`."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from loaders.errors import CellError, TemplateError
from loaders.spec import FILE_BY_NAME, FILE_BY_SHEET, FileSpec

__all__ = ["Table", "read_template", "read_csv_folder", "read_xlsx", "read_zip"]

_NOTE_SHEETS = ("说明", "README", "填写说明")


@dataclass
class Table:
    spec: FileSpec
    where: str  # file name, or "workbook.xlsx:sheet"
    header: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (row number, cells)


def _csv_table(spec: FileSpec, where: str, text: str) -> Table:
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    table = None
    for n, row in enumerate(reader, start=1):
        if header is None:
            header = [h.strip() for h in row]
            table = Table(spec, where, header)
            continue
        if not any(c.strip() for c in row):
            continue
        assert table is not None
        table.rows.append((n, list(row)))
    return table or Table(spec, where, [])


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise TemplateError([CellError(where, None, None, None,
                                       f"文件不是 UTF-8 编码（第 {e.start} 字节）",
                                       f"file is not UTF-8 (byte {e.start})")]) from None


def read_csv_folder(folder: Path) -> list[Table]:
    tables, errors = [], []
    for path in sorted(folder.glob("*.csv")):
        spec = FILE_BY_NAME.get(path.name)
        if spec is None:
            errors.append(CellError(path.name, None, None, None, "不是模板中的文件名",
                                    "not a file name of the template"))
            continue
        tables.append(_csv_table(spec, path.name, _decode(path.read_bytes(), path.name)))
    if errors:
        raise TemplateError(errors)
    return tables


def read_xlsx(source: Path | io.BytesIO, name: str | None = None) -> list[Table]:
    import openpyxl

    label = name or (source.name if isinstance(source, Path) else "workbook.xlsx")
    try:
        wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises several kinds for a broken file
        raise TemplateError([CellError(label, None, None, None, f"无法读取 XLSX 工作簿：{e}",
                                       f"cannot read the XLSX workbook: {e}")]) from None
    tables, errors = [], []
    try:
        for ws in wb.worksheets:
            spec = FILE_BY_SHEET.get(ws.title.strip())
            if spec is None:
                if not ws.title.strip().startswith(_NOTE_SHEETS):
                    errors.append(CellError(f"{label}:{ws.title}", None, None, None,
                                            "不是模板中的工作表名", "not a sheet name of the template"))
                continue
            where = f"{label}:{ws.title.strip()}"
            table: Table | None = None
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if table is None:
                    header = ["" if c is None else str(c).strip() for c in row]
                    while header and header[-1] == "":
                        header.pop()
                    table = Table(spec, where, header)
                    continue
                cells = ["" if c is None else c for c in row]
                if not any(str(c).strip() for c in cells):
                    continue
                table.rows.append((n, cells))
            tables.append(table or Table(spec, where, []))
    finally:
        wb.close()
    if errors:
        raise TemplateError(errors)
    return tables


def read_zip(data: bytes, name: str = "upload.zip") -> list[Table]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TemplateError([CellError(name, None, None, None, "不是有效的 ZIP 文件",
                                       "not a valid ZIP file")]) from None
    members = [m for m in zf.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX")]
    xlsx = [m for m in members if m.filename.lower().endswith(".xlsx")]
    if xlsx and len(members) == 1:
        return read_xlsx(io.BytesIO(zf.read(xlsx[0])), f"{name}:{xlsx[0].filename}")
    tables, errors = [], []
    for m in members:
        base = Path(m.filename).name
        if not base.lower().endswith(".csv"):
            continue
        spec = FILE_BY_NAME.get(base)
        if spec is None:
            errors.append(CellError(f"{name}:{m.filename}", None, None, None, "不是模板中的文件名",
                                    "not a file name of the template"))
            continue
        tables.append(_csv_table(spec, base, _decode(zf.read(m), base)))
    if errors:
        raise TemplateError(errors)
    return tables


def read_template(path: Path) -> list[Table]:
    """Read a CSV folder, an ``.xlsx`` workbook or a ``.zip`` of either."""
    path = Path(path)
    if path.is_dir():
        return read_csv_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix == ".zip":
        return read_zip(path.read_bytes(), path.name)
    if suffix == ".csv":
        raise TemplateError([CellError(path.name, None, None, None,
                                       "请给出包含全部 CSV 文件的文件夹",
                                       "give the folder that holds the CSV files")])
    raise TemplateError([CellError(path.name, None, None, None, "不支持的模板格式",
                                   "unsupported template format (folder, .xlsx or .zip)")])
