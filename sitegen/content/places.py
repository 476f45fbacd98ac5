"""content/places/: where readers live, for finding their constituency.

Two lookups, each a small CSV file an import writes (`python3 build.py import places`) and an editor
can read, plus the credit their licences ask for:

- `postcodes.csv`: `postcode,constituency`, one row per postcode, the constituency by its ONS code
  (the seat file's `ons_code`);
- `wards.csv`: `ward,council,constituency`, a ward split between seats listed once per seat;
- `sources.md`: who the lookups come from and under which licence, shown on the site.

Read here without the YAML machinery: 1.7 million postcodes for the whole UK are plain rows.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from sitegen.errors import ContentError

FOLDER = "places"
POSTCODES, WARDS, SOURCES = "postcodes.csv", "wards.csv", "sources.md"
# The whole UK's postcodes in this form are about 30 MB.
MAX_PLACES_BYTES = 100_000_000
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
HEADERS = {POSTCODES: ["postcode", "constituency"], WARDS: ["ward", "council", "constituency"]}


def normal_postcode(text: str) -> Optional[str]:
    """Return the postcode in its usual form ('DE56 1AA') or None when `text` is not one."""
    match = POSTCODE_RE.match(" ".join(text.upper().split()))
    return f"{match.group(1)} {match.group(2)}" if match else None


@dataclass(frozen=True)
class Places:
    """The checked lookups: every postcode and ward with the slug of its seat."""

    postcodes: tuple[tuple[str, str], ...]        # ('DE56 1AA', 'mid-derbyshire'), in file order
    wards: tuple[tuple[str, str, str], ...]       # ('Belper East', 'Amber Valley', 'mid-derbyshire')
    sources: str                                  # Markdown: the credit the licences ask for
    left_out: tuple[ContentError, ...] = ()       # warnings: rows naming no seat of the site


@dataclass(frozen=True)
class RawPlaces:
    """content/places/ as read: each file's text (None when absent), and what could not be read."""

    postcodes: Optional[str]
    wards: Optional[str]
    sources: Optional[str]
    shown: str                                    # how messages name the folder: 'content/places'


def _rows(text: str, shown: str, header: list[str], errors: list[ContentError]) -> list[tuple[int, list[str]]]:
    """Return the file's rows with their line numbers, after its header; record what is wrong."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        first = next(reader, None)
        if first is None or [c.strip().lstrip("\ufeff").lower() for c in first] != header:
            errors.append(ContentError(shown, 1, 0, f"the first line must be the header {','.join(header)}"))
            return []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                errors.append(ContentError(shown, reader.line_num, 0, f"has {len(record)} {'cell' if len(record) == 1 else 'cells'} "
                                           f"where the header has {len(header)} ({','.join(header)})"))
                continue
            rows.append((reader.line_num, [cell.strip() for cell in record]))
    except csv.Error as exc:
        errors.append(ContentError(shown, reader.line_num, 0, f"is not valid CSV here ({exc})"))
    return rows


def check_places(raw: RawPlaces, seats_by_code: dict[str, str], errors: list[ContentError]) -> Optional[Places]:
    """Return the checked lookups (None when content/places/ holds none), recording every problem
    with its file and line. `seats_by_code` maps each seat's ONS code to its slug."""
    if raw.postcodes is None and raw.wards is None:
        if raw.sources is not None:
            errors.append(ContentError(f"{raw.shown}/{SOURCES}", 0, 0, f"credits lookups that are not there: add "
                                       f"{POSTCODES} and {WARDS} (python3 build.py import places), or delete it"))
        return None
    found: list[ContentError] = []
    if raw.sources is None or not raw.sources.strip():
        found.append(ContentError(f"{raw.shown}/{SOURCES}", 0, 0, "is missing: the postcode and ward lookups must "
                                  "credit their sources on the site, as their licences ask; write who they come "
                                  "from and under which licence"))
    codes = ", ".join(sorted(seats_by_code)[:3]) + (" …" if len(seats_by_code) > 3 else "")

    unknown: dict[tuple[str, str], list[int]] = {}  # (file, code) -> the lines naming it

    def seat(code: str, shown: str, line: int) -> Optional[str]:
        if code in seats_by_code:
            return seats_by_code[code]
        unknown.setdefault((shown, code), []).append(line)
        return None

    postcodes: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    if raw.postcodes is not None:
        shown = f"{raw.shown}/{POSTCODES}"
        for line, (text, code) in _rows(raw.postcodes, shown, HEADERS[POSTCODES], found):
            postcode = normal_postcode(text)
            if postcode is None:
                found.append(ContentError(shown, line, 0, f"{text!r} is not a postcode (like DE56 1AA)"))
                continue
            if postcode in seen:
                found.append(ContentError(shown, line, 0, f"{postcode} is listed twice (lines {seen[postcode]} "
                                          f"and {line}); a postcode has one constituency"))
                continue
            seen[postcode] = line
            slug = seat(code, shown, line)
            if slug is not None:
                postcodes.append((postcode, slug))
    wards: list[tuple[str, str, str]] = []
    if raw.wards is not None:
        shown = f"{raw.shown}/{WARDS}"
        pairs: dict[tuple[str, str, str], int] = {}
        for line, (ward, council, code) in _rows(raw.wards, shown, HEADERS[WARDS], found):
            if not ward or not council:
                found.append(ContentError(shown, line, 0, "needs the ward's name and its council's"))
                continue
            slug = seat(code, shown, line)
            if slug is None:
                continue
            if (ward, council, slug) in pairs:
                found.append(ContentError(shown, line, 0, f"{ward} ({council}) is listed in this constituency "
                                          f"twice (lines {pairs[ward, council, slug]} and {line})"))
                continue
            pairs[ward, council, slug] = line
            wards.append((ward, council, slug))
    # one warning per code: a seat removed leaves thousands of rows, which wait for a seat with its code
    left_out = tuple(ContentError(shown, lines[0], 0, f"{len(lines):,} {'row names' if len(lines) == 1 else 'rows name'} "
                                  f"{code}, which is not the ons_code of any constituency here ("
                                  + (f"the site's are {codes}" if codes else "no seat file has one") + "), so "
                                  f"{'it is' if len(lines) == 1 else 'they are'} left out of the search; import the "
                                  "lookups again after adding or removing a seat (python3 build.py import places)",
                                  warning=True) for (shown, code), lines in unknown.items())
    errors.extend(found)
    return None if found else Places(tuple(postcodes), tuple(wards), raw.sources or "", left_out)
