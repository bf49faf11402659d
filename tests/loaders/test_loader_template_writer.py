"""The blank template (``yishu template``): exact headers, notes, drop-downs, and it loads."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from openpyxl import load_workbook

from graph.store import CatalogStore
from loaders import load_path
from loaders.spec import FILES
from loaders.writer import (
    INSTRUCTIONS_SHEET,
    VALIDATION_ROWS,
    allowed_values,
    write_csv_template,
    write_template,
    write_xlsx_template,
)
from tests.loaders.csvs import BASE, SMALL
from yishu.config import DEMO_DIR


def _ntriples(store: CatalogStore) -> set[str]:
    return set(store.export("ntriples").decode("utf-8").splitlines())


def _rows(folder=SMALL) -> dict[str, list[dict[str, str]]]:
    out = {}
    for spec in FILES:
        if not (folder / spec.file).exists():
            continue
        with (folder / spec.file).open(encoding="utf-8-sig", newline="") as fh:
            out[spec.file] = [{k: v for k, v in r.items() if v != ""} for r in csv.DictReader(fh)]
    return out


def test_csv_template_has_exact_headers_with_bom(tmp_path):
    paths = write_csv_template(tmp_path / "blank")
    assert sorted(p.name for p in paths) == sorted(f.file for f in FILES)
    for spec in FILES:
        raw = (tmp_path / "blank" / spec.file).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 right only with a BOM
        assert raw.endswith(b"\r\n")
        text = raw.decode("utf-8-sig")
        assert next(csv.reader(text.splitlines())) == spec.headers
        assert len(text.splitlines()) == 1


def test_blank_templates_load_empty(tmp_path):
    store = CatalogStore(base=BASE)
    write_template(tmp_path / "blank", "csv")
    write_template(tmp_path / "blank.xlsx", "xlsx")
    for path in (tmp_path / "blank", tmp_path / "blank.xlsx"):
        report = load_path(store, path)
        assert report.triples == 0 and all(n == 0 for n in report.rows.values())
        assert set(report.rows) == {f.file for f in FILES}


def test_xlsx_template_sheets_headers_notes_dropdowns(tmp_path):
    wb = load_workbook(write_xlsx_template(tmp_path / "t.xlsx"))
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, *[f.sheet for f in FILES]]
    info = wb[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in info.iter_rows() for c in row if c.value)
    for spec in FILES:
        assert spec.sheet in text and spec.file in text
    assert "全有或全无" in text and "all or nothing" in text
    for spec in FILES:
        ws = wb[spec.sheet]
        header = [c.value for c in ws[1]]
        assert header == spec.headers
        assert ws.max_row == 1  # blank: drop-downs and formats make no cells
        validations = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                validations[rng.coord] = dv
        for i, c in enumerate(spec.columns):
            cell = ws[1][i]
            assert cell.font.b, (spec.sheet, c.name)
            note = cell.comment.text
            assert note.startswith(c.name)
            assert ("必填" if c.required else "选填") in note
            assert ("required" if c.required else "optional") in note and c.en in note
            if c.note:
                assert c.note in note
            letter = cell.column_letter
            values = allowed_values(c)
            dv = validations.pop(f"{letter}2:{letter}{VALIDATION_ROWS}", None)
            if values is None:
                assert dv is None
                continue
            assert dv is not None and dv.type == "list" and dv.showErrorMessage
            assert dv.formula1 == '"' + ",".join(values) + '"'
            for v in values:
                assert v in note
        assert validations == {}


def test_filled_xlsx_loads_like_the_same_csv(tmp_path):
    """Fill the blank workbook the way a clerk would (real date cells, numbers), load it,
    and get exactly what the CSV folder with the same content gives."""
    path = write_xlsx_template(tmp_path / "small.xlsx")
    wb = load_workbook(path)
    typed = {
        "发布日期": dt.date.fromisoformat, "审批时间": dt.date.fromisoformat,
        "最近运维时间": lambda s: dt.datetime.fromisoformat(s + "T00:00:00"),
        "申请时间": dt.datetime.fromisoformat, "响应时间": dt.datetime.fromisoformat,
        "数据长度": int, "月调用量": int, "满意度": int, "行政区划代码": int,
    }
    for spec in FILES:
        ws = wb[spec.sheet]
        for row in _rows()[spec.file]:
            ws.append([typed.get(c.name, str)(row[c.name]) if c.name in row else None
                       for c in spec.columns])
    wb.save(path)
    cell = load_workbook(path)["数据目录"]["R2"]
    assert cell.is_date and isinstance(cell.value, dt.datetime)  # a real date cell

    from_xlsx = CatalogStore(base=BASE)
    report = load_path(from_xlsx, path, "small")
    from_csv = CatalogStore(base=BASE)
    load_path(from_csv, SMALL, "small")
    assert report.rows["items.csv"] == 5
    assert _ntriples(from_xlsx) == _ntriples(from_csv)


@pytest.mark.parametrize("folder", [SMALL, DEMO_DIR], ids=["small", "demo-district"])
@pytest.mark.parametrize("fmt,name", [("csv", "catalog"), ("xlsx", "catalog.xlsx")])
def test_writer_with_rows_round_trips_a_catalog(tmp_path, fmt, name, folder):
    write_template(tmp_path / name, fmt, rows=_rows(folder))
    a, b = CatalogStore(base=BASE), CatalogStore(base=BASE)
    load_path(a, tmp_path / name, "catalog")
    load_path(b, folder, "catalog")
    assert len(a) > 0 and _ntriples(a) == _ntriples(b)


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError):
        write_template(tmp_path / "x.ods", "ods")


def test_column_reference_in_the_docs_matches_the_spec():
    from loaders.writer import column_reference_markdown
    from yishu.build import COLUMNS_BEGIN, COLUMNS_END, TEMPLATE_MD

    doc = TEMPLATE_MD.read_text(encoding="utf-8")
    section = doc.split(COLUMNS_BEGIN, 1)[1].split(COLUMNS_END, 1)[0]
    assert section.strip() == column_reference_markdown().strip(), \
        "run: python -m yishu.build"
