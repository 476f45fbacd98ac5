"""Read an official CSV file: its layout told apart by its header, its columns found by name, and
each row kept with its line, so every message names the file and the row."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from sitegen.errors import ContentError, ContentErrors
from sitegen.files import read_file

# Official files are tens of megabytes at most (all 650 seats, every candidate: about 4 MB).
MAX_OFFICIAL_BYTES = 200_000_000

# The layouts read here, each told apart by columns only it has.
DC_CANDIDATES = "Democracy Club candidate list"
PARLIAMENT = "UK Parliament results export"
LIBRARY_CANDIDATES = "Commons Library results by candidate"
LIBRARY_CONSTITUENCIES = "Commons Library results by constituency"
LIBRARY_TIMES = "Commons Library winning members (time recorded)"
POSTCODE_LOOKUP = "postcode lookup (postcode and 2024 constituency code)"
WARD_LOOKUP = "ONS ward to constituency lookup"
WARD_LOOKUP_ONS = "ONS ward to constituency lookup (Open Geography Portal columns)"
LAYOUTS = {
    PARLIAMENT: ("constituency geographic code", "candidate vote count", "main party name"),
    LIBRARY_CANDIDATES: ("ons id", "candidate surname", "votes", "democracy club person id"),
    LIBRARY_CONSTITUENCIES: ("ons id", "electorate", "valid votes", "invalid votes", "result"),
    LIBRARY_TIMES: ("ons_id", "time_recorded"),
    DC_CANDIDATES: ("person_id", "person_name", "post_label"),
    POSTCODE_LOOKUP: ("postcode", "pcon24cd"),
    WARD_LOOKUP: ("ward_code", "ward_name", "pcon_code", "lad_name"),
    WARD_LOOKUP_ONS: ("wd24cd", "wd24nm", "pcon24cd", "lad24nm"),
}


def _key(column: str) -> str:
    return " ".join(column.strip().lstrip("\ufeff").casefold().split())


@dataclass
class Row:
    """One row of an official file: its cells by column name, and where it is."""

    cells: dict[str, str]
    line: int
    table: "Table"

    def get(self, column: str, default: str = "") -> str:
        """Return the cell of `column` (matched without regard to case), stripped; '' if absent."""
        return (self.cells.get(_key(column)) or default).strip()

    def has(self, column: str) -> bool:
        """Return True when the file has this column."""
        return _key(column) in self.cells

    def problem(self, message: str) -> ContentError:
        """Return a message about this row, as `file:line: message`."""
        return ContentError(self.table.shown, self.line, 0, message)

    def number(self, column: str, required: bool = True) -> Optional[int]:
        """Return the cell as a whole number (None when empty and not required); raise ContentErrors
        naming the row and column when it is not one."""
        text = self.get(column).replace(",", "")
        if not text and not required:
            return None
        if not re.fullmatch(r"[0-9]+", text):
            raise ContentErrors([self.problem(f"column {column!r}: expected a whole number, got {self.get(column)!r}")])
        return int(text)


@dataclass
class Table:
    """An official file read whole: its layout, its columns and its rows."""

    path: Path
    shown: str
    layout: str
    columns: list[str]
    rows: list[Row]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)


def read_table(path: Path, shown: Optional[str] = None) -> Table:
    """Return an official CSV file read whole, or raise ContentErrors saying why it cannot be."""
    shown = shown or path.as_posix()
    data, why = read_file(path, path.parent, MAX_OFFICIAL_BYTES)
    if data is None:
        raise ContentErrors([ContentError(shown, 0, 0, why or "cannot be read")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ContentErrors([ContentError(shown, line, 0, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                          "save it as UTF-8")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ContentErrors([ContentError(shown, 1, 0, "is empty; expected a header line of column names")]) from None
    except csv.Error as exc:
        raise ContentErrors([ContentError(shown, 1, 0, f"is not a CSV file ({exc})")]) from None
    columns = [_key(c) for c in header]
    layout = next((name for name, needs in LAYOUTS.items() if all(n in columns for n in needs)), None)
    if layout is None:
        raise ContentErrors([ContentError(shown, 1, 0, "is not a layout this tool reads: expected a Democracy Club "
                                          "candidate list, a UK Parliament results export, a Commons Library "
                                          "CBP-10009 file, a postcode lookup or an ONS ward lookup (see "
                                          "docs/EDITING.md)")])
    table = Table(path, shown, layout, columns, [])
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                raise ContentErrors([ContentError(shown, reader.line_num, 0, f"has {len(record)} cells where the "
                                                  f"header has {len(columns)} columns (a cut or joined line?)")])
            table.rows.append(Row(dict(zip(columns, record)), reader.line_num, table))
    except csv.Error as exc:
        raise ContentErrors([ContentError(shown, reader.line_num, 0, f"is not valid CSV here ({exc})")]) from None
    return table
