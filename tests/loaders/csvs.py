"""Fixtures for the loader tests: an editable copy of tests/fixtures/small and N-Quads dumps."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from graph.store import CatalogStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SMALL = FIXTURES / "small"
BASE = "https://data.yishu.example/"


class CsvFolder:
    """A copy of a template folder whose CSV files the test edits cell by cell."""

    def __init__(self, path: Path):
        self.path = path

    def read(self, file: str) -> tuple[list[str], list[list[str]]]:
        with (self.path / file).open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        return rows[0], rows[1:]

    def write(self, file: str, header: list[str], rows: list[list[str]]) -> None:
        with (self.path / file).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header, *rows])

    def set(self, file: str, row: int, column: str, value: str) -> None:
        """Set one cell; ``row`` is the spreadsheet row number (the header is row 1)."""
        header, rows = self.read(file)
        rows[row - 2][header.index(column)] = value
        self.write(file, header, rows)

    def add_row(self, file: str, values: dict[str, str]) -> int:
        header, rows = self.read(file)
        rows.append([values.get(h, "") for h in header])
        self.write(file, header, rows)
        return len(rows) + 1

    def drop_column(self, file: str, column: str) -> None:
        header, rows = self.read(file)
        i = header.index(column)
        self.write(file, header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows])

    def add_column(self, file: str, column: str, value: str) -> None:
        header, rows = self.read(file)
        self.write(file, [*header, column], [[*r, value] for r in rows])

    def drop_row(self, file: str, row: int) -> None:
        header, rows = self.read(file)
        del rows[row - 2]
        self.write(file, header, rows)


@pytest.fixture
def small_copy(tmp_path) -> CsvFolder:
    """An editable copy of tests/fixtures/small, in a folder named ``small``."""
    dest = tmp_path / "small"
    shutil.copytree(SMALL, dest)
    return CsvFolder(dest)


@pytest.fixture
def mem_store() -> CatalogStore:
    return CatalogStore(base=BASE)


def dump_nquads(store: CatalogStore) -> list[str]:
    """Every quad of the store, staging graphs included, as sorted N-Quads lines."""
    data = store.store.dump(format=RdfFormat.N_QUADS)
    return sorted(line for line in data.decode("utf-8").splitlines() if line)


@pytest.fixture
def nquads():
    return dump_nquads
