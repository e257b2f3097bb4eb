"""The problems of a sheet, by row and column (shared by the reader and the limits)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class RowError:
    row: int
    column: str  # the column's header as the reader's language names it ("" for the row or sheet)
    message: str
    field: str = ""  # the column's name, when the problem is a cell that could not be read

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


class SheetRejected(Exception):
    """The sheet as a whole cannot be imported: not a workbook, too large, empty, a required column
    missing from the header row, or no data rows. `errors` says why (row 1 for the header, row 2 for
    no rows, row 0 for the file as a whole)."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors
