"""Reading a catalog template — a folder of CSV files, an XLSX workbook, or a ZIP of either —
into tables of raw cells. Validation happens in :mod:`loaders.template`.

Hostile files are refused with an error that says where, never a traceback:

- a ZIP (an XLSX is one too) is inflated member by member in 1 MiB chunks before anything is
  parsed, and refused as soon as it has more than ``max_members`` members, a member inflates
  more than ``max_ratio`` times its compressed size (past ``ratio_floor``), or the members
  together inflate past ``max_inflated`` bytes — the sizes the archive declares are not trusted,
  so a 2 MB archive claiming small members but inflating to 2 GB stops after a few hundred MB
  read and discarded, with 1 MiB held at a time;
- a cell over ``max_cell`` characters (128 KiB) is named by file, row and column;
- CSV files may end lines with CR LF, LF or CR alone; they are read as UTF-8 (with or without
  a byte order mark) or, failing that, GB18030 (a superset of GBK, what Excel on a Chinese
  Windows writes), and the encoding is named in :attr:`Table.encoding` and the load report;
- a template with no template file at all is an error, not an empty catalog.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from loaders.errors import CellError, TemplateError
from loaders.spec import FILE_BY_NAME, FILE_BY_SHEET, FileSpec

__all__ = ["Table", "ReadLimits", "LIMITS", "read_template", "read_csv_folder", "read_xlsx",
           "read_zip", "check_zip", "read_csv_bytes", "decode_text"]

_NOTE_SHEETS = ("说明", "README", "填写说明")
_CHUNK = 1 << 20
# the csv module's own limit is lowered to raise an unlocated error; cells are measured here
csv.field_size_limit(1 << 30)


@dataclass(frozen=True)
class ReadLimits:
    max_members: int = 1000  # files in a ZIP (or parts of an XLSX)
    max_inflated: int = 1 << 30  # bytes, all members together
    max_ratio: int = 100  # inflated / compressed size of one member ...
    ratio_floor: int = 4 << 20  # ... once it has inflated past this many bytes
    max_cell: int = 128 * 1024  # characters in one cell


LIMITS = ReadLimits()


@dataclass
class Table:
    spec: FileSpec | None  # None: a CSV file outside the template (read_csv_bytes)
    where: str  # file name, or "workbook.xlsx:sheet"
    header: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (row number, cells)
    encoding: str | None = None  # of a CSV file: "UTF-8", "UTF-8 (BOM)" or "GB18030"


def _refuse(where: str, zh: str, en: str, row: int | None = None, column: str | None = None,
            value: str | None = None) -> TemplateError:
    return TemplateError([CellError(where, row, column, value, zh, en)])


def _column(header: list[str], i: int) -> str:
    return header[i] if i < len(header) and header[i] else f"第{i + 1}列/column {i + 1}"


def _check_cells(where: str, n: int, header: list[str], cells: list, limit: int) -> None:
    for i, c in enumerate(cells):
        if isinstance(c, str) and len(c) > limit:
            raise _refuse(where, f"单元格过长（{len(c)} 字符，上限 {limit}）",
                          f"cell too long ({len(c)} characters, limit {limit})", n,
                          _column(header, i), c[:40] + "…")


def _csv_table(spec: FileSpec | None, where: str, text: str, encoding: str | None = None,
               limits: ReadLimits = LIMITS) -> Table:
    # newline="": lines may end with CR LF, LF or CR alone (the csv module splits them)
    reader = csv.reader(io.StringIO(text, newline=""))
    table: Table | None = None  # made from the first row, the header
    n = 0
    try:
        for n, row in enumerate(reader, start=1):  # noqa: B007 - n names the row of an error
            if table is None:
                header = [h.strip() for h in row]
                _check_cells(where, n, header, header, limits.max_cell)
                table = Table(spec, where, header, encoding=encoding)
                continue
            if not any(c.strip() for c in row):
                continue
            _check_cells(where, n, table.header, row, limits.max_cell)
            table.rows.append((n, list(row)))
    except csv.Error as e:
        raise _refuse(where, f"CSV 格式错误：{e}", f"malformed CSV: {e}", n + 1) from None
    return table or Table(spec, where, [], encoding=encoding)


def _decode(data: bytes, where: str) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with or without a BOM, else GB18030 (GBK's superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as e:
            raise _refuse(where, f"文件以 UTF-8 BOM 开头但不是 UTF-8（第 {e.start + 3} 字节）",
                          f"file starts with a UTF-8 BOM but is not UTF-8 (byte "
                          f"{e.start + 3})") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as first:
        try:
            return data.decode("gb18030"), "GB18030"
        except UnicodeDecodeError:
            raise _refuse(where, f"文件既不是 UTF-8 也不是 GBK/GB18030 编码（第 {first.start} "
                          "字节）；请另存为 UTF-8 CSV",
                          f"file is neither UTF-8 nor GBK/GB18030 (byte {first.start}); save "
                          "it as CSV UTF-8") from None


def decode_text(data: bytes, where: str) -> tuple[str, str]:
    """(text, encoding name) of a CSV or JSON file: UTF-8 with or without a BOM, else GB18030;
    refused with a located error otherwise."""
    return _decode(data, where)


def read_csv_bytes(data: bytes, where: str, limits: ReadLimits = LIMITS) -> Table:
    """Any CSV file (not a template file: ``spec`` is None) read with the template's rules —
    encodings, line endings, cell limits — as a header and numbered rows (header = row 1)."""
    text, encoding = _decode(data, where)
    return _csv_table(None, where, text, encoding, limits)


def _no_template(where: str) -> TemplateError:
    return _refuse(where, "没有任何模板文件（如 catalog.csv 或 XLSX 工作表 数据资源目录），"
                   "未写入任何数据", "no template file in it (such as catalog.csv, or the sheets "
                   "of the XLSX template), nothing stored")


def read_csv_folder(folder: Path, limits: ReadLimits = LIMITS) -> list[Table]:
    tables, errors = [], []
    for path in sorted(folder.glob("*.csv")):
        spec = FILE_BY_NAME.get(path.name)
        if spec is None:
            errors.append(CellError(path.name, None, None, None, "不是模板中的文件名",
                                    "not a file name of the template"))
            continue
        text, encoding = _decode(path.read_bytes(), path.name)
        tables.append(_csv_table(spec, path.name, text, encoding, limits))
    if errors:
        raise TemplateError(errors)
    if not tables:
        raise _no_template(str(folder))
    return tables


def check_zip(zf: zipfile.ZipFile, name: str, limits: ReadLimits = LIMITS) -> None:
    """Inflate every member in chunks (discarding them) and refuse the archive past a limit."""
    members = zf.infolist()
    if len(members) > limits.max_members:
        raise _refuse(name, f"压缩包成员过多（{len(members)} 个，上限 {limits.max_members}）",
                      f"too many members in the archive ({len(members)}, limit "
                      f"{limits.max_members})")
    total = 0
    for m in members:
        if m.is_dir():
            continue
        where = f"{name}:{m.filename}"
        size = 0
        try:
            with zf.open(m) as f:
                while chunk := f.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if total > limits.max_inflated:
                        raise _refuse(where, f"解压后总大小超过上限 {limits.max_inflated} 字节",
                                      f"inflates past the limit of {limits.max_inflated} bytes "
                                      "in all")
                    if size > limits.ratio_floor and \
                            size > limits.max_ratio * max(m.compress_size, 1):
                        raise _refuse(where, f"压缩比异常（超过 {limits.max_ratio} 倍），疑似压缩炸弹",
                                      f"compression ratio over {limits.max_ratio}: a "
                                      "decompression bomb?")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
                EOFError, RuntimeError) as e:  # broken, encrypted or unsupported members
            raise _refuse(where, f"无法解压：{e}", f"cannot inflate: {e}") from None


def _open_zip(data: bytes | Path | io.BytesIO, name: str, limits: ReadLimits,
              what: tuple[str, str] = ("不是有效的 ZIP 文件", "not a valid ZIP file")
              ) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _refuse(name, *what) from None
    check_zip(zf, name, limits)
    return zf


def read_xlsx(source: Path | io.BytesIO, name: str | None = None,
              limits: ReadLimits = LIMITS) -> list[Table]:
    import openpyxl

    label = name or (source.name if isinstance(source, Path) else "workbook.xlsx")
    # an XLSX is a ZIP: the same limits, before openpyxl inflates a byte
    _open_zip(source, label, limits, ("无法读取 XLSX 工作簿：不是有效的 ZIP 文件",
                                      "cannot read the XLSX workbook: not a valid ZIP file"))
    if isinstance(source, io.BytesIO):
        source.seek(0)
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
            tables.append(_sheet_table(spec, where, ws, limits))
    finally:
        wb.close()
    if errors:
        raise TemplateError(errors)
    if not tables:
        raise _no_template(label)
    return tables


def _sheet_table(spec: FileSpec, where: str, ws, limits: ReadLimits) -> Table:
    table: Table | None = None
    n = 0
    try:
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):  # noqa: B007
            if table is None:
                header = ["" if c is None else str(c).strip() for c in row]
                while header and header[-1] == "":
                    header.pop()
                table = Table(spec, where, header)
                continue
            cells = ["" if c is None else c for c in row]
            if not any(str(c).strip() for c in cells):
                continue
            _check_cells(where, n, table.header, cells, limits.max_cell)
            table.rows.append((n, cells))
    except TemplateError:
        raise
    except Exception as e:  # a broken sheet (bad XML, bad cell types) — located at its row
        raise _refuse(where, f"无法读取工作表：{e}", f"cannot read the sheet: {e}",
                      n + 1) from None
    return table or Table(spec, where, [])


def read_zip(data: bytes | Path, name: str = "upload.zip",
             limits: ReadLimits = LIMITS) -> list[Table]:
    zf = _open_zip(data, name, limits)
    members = [m for m in zf.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX")]
    xlsx = [m for m in members if m.filename.lower().endswith(".xlsx")]
    if xlsx and len(members) == 1:
        return read_xlsx(io.BytesIO(zf.read(xlsx[0])), f"{name}:{xlsx[0].filename}", limits)
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
        text, encoding = _decode(zf.read(m), base)
        tables.append(_csv_table(spec, base, text, encoding, limits))
    if errors:
        raise TemplateError(errors)
    if not tables:
        raise _no_template(name)
    return tables


def read_template(path: Path, limits: ReadLimits = LIMITS) -> list[Table]:
    """Read a CSV folder, an ``.xlsx`` workbook or a ``.zip`` of either."""
    path = Path(path)
    if path.is_dir():
        return read_csv_folder(path, limits)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path, limits=limits)
    if suffix == ".zip":
        return read_zip(path, path.name, limits)
    if suffix == ".csv":
        raise TemplateError([CellError(path.name, None, None, None,
                                       "请给出包含全部 CSV 文件的文件夹",
                                       "give the folder that holds the CSV files")])
    raise TemplateError([CellError(path.name, None, None, None, "不支持的模板格式",
                                   "unsupported template format (folder, .xlsx or .zip)")])
