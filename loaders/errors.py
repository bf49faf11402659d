"""Load errors that say where: file or sheet, row, column, value — in Chinese and English."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["CellError", "TemplateError"]


@dataclass(frozen=True)
class CellError:
    file: str
    row: int | None  # spreadsheet row number: the header is row 1
    column: str | None
    value: str | None
    zh: str
    en: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" 第{self.row}行/row {self.row}"
        if self.column:
            where += f" [{self.column}]"
        val = f" {self.value!r}" if self.value not in (None, "") else ""
        return f"{where}{val}: {self.zh} / {self.en}"

    def as_dict(self) -> dict:
        return asdict(self)


class TemplateError(Exception):
    """A load refused: every error found (none dropped), nothing stored. ``str()`` lists them
    all, one per line."""

    def __init__(self, errors: list[CellError]):
        self.errors = list(errors)
        self.total = len(self.errors)
        super().__init__(
            f"导入失败，共 {self.total} 个错误，未写入任何数据 / load refused, {self.total} error(s), "
            "nothing stored:\n" + "\n".join(f"  {e}" for e in self.errors)
        )
