"""`python3 build.py import places POSTCODES --wards WARDS`: the official lookups into content/places/.

Reads a postcode lookup (a `postcode` column and the 2024 constituency's ONS code, `PCON24CD`, as in
mySociety's and the ONS postcode directory's files) and the ONS ward-to-constituency lookup, keeps
the rows of this site's constituencies, and writes `postcodes.csv` and `wards.csv` (see
sitegen/content/places.py). A ward is listed in a constituency only when the postcode lookup puts
at least one of the ward's postcodes there: the ONS lookup holds rows that are wrong (Mansfield
wards listed as partly in Bolsover), and this is how they show. Each row left out is reported.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path
from typing import Optional, TextIO

from sitegen.config import Paths
from sitegen.content.places import FOLDER, HEADERS, POSTCODES, SOURCES, WARDS, normal_postcode
from sitegen.errors import ContentError, ContentErrors
from sitegen.official.importer import ContentFolder, Plan, carry_out
from sitegen.official.tables import POSTCODE_LOOKUP, WARD_LOOKUP, WARD_LOOKUP_ONS, Table, read_table

# Where each layout keeps what we need, by column name.
WARD_COLUMNS = {WARD_LOOKUP: ("ward_code", "ward_name", "lad_name", "pcon_code"),
                WARD_LOOKUP_ONS: ("wd24cd", "wd24nm", "lad24nm", "pcon24cd")}
POSTCODE_WARD_COLUMNS = ("admin_ward_code", "osward", "wd24cd")  # Code-Point Open, ONSPD, NSPL


def _csv(header: list[str], rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _expect(table: Table, layouts: tuple[str, ...], what: str) -> None:
    if table.layout not in layouts:
        raise ContentErrors([ContentError(table.shown, 1, 0, f"is a {table.layout}, not {what}")])


def plan_places(paths: Paths, postcodes_file: Path, wards_file: Optional[Path]) -> Plan:
    """Work out content/places/ from the lookups, in memory; raise ContentErrors for a file that
    cannot be read or a row that is wrong."""
    content = ContentFolder(paths)
    seats = {seat.code: seat.name for seat in content.seats.values() if seat.code}
    if not seats:
        raise ContentErrors([ContentError(paths.display(paths.content / "constituencies"), 0, 0,
                                          "no seat file has an ons_code, which the lookups are keyed by; "
                                          "import the candidates first (python3 build.py import candidates)")])
    plan = Plan(paths)
    postcodes = read_table(postcodes_file, paths.display(postcodes_file))
    _expect(postcodes, (POSTCODE_LOOKUP,), "a postcode lookup")
    ward_column = next((c for c in POSTCODE_WARD_COLUMNS if c in postcodes.columns), None)
    problems: list[ContentError] = []
    kept: dict[str, tuple[str, str]] = {}
    ward_seats: dict[str, set[str]] = defaultdict(set)  # ward code -> seats its postcodes are in
    for row in postcodes:
        postcode = normal_postcode(row.get("postcode"))
        if postcode is None:
            problems.append(row.problem(f"{row.get('postcode')!r} is not a postcode (like DE56 1AA)"))
            continue
        code = row.get("pcon24cd")
        if ward_column and code:
            ward_seats[row.get(ward_column)].add(code)
        if code not in seats:
            continue
        if postcode in kept and kept[postcode][1] != code:
            problems.append(row.problem(f"{postcode} is in the file twice with different constituencies "
                                        f"({kept[postcode][1]} and {code})"))
        kept[postcode] = (postcode, code)
    if problems:
        raise ContentErrors(problems)
    folder = paths.content / FOLDER
    plan.writes[folder / POSTCODES] = _csv(HEADERS[POSTCODES], sorted(kept.values()))
    by_seat = defaultdict(int)
    for _, code in kept.values():
        by_seat[code] += 1
    plan.say(folder / POSTCODES, f"{len(kept):,} postcodes in {len(by_seat)} of the site's {len(seats)} constituencies")
    for code in sorted(set(seats) - set(by_seat)):
        plan.warnings.append(ContentError(postcodes.shown, 0, 0, f"has no postcode in {seats[code]} ({code})",
                                          warning=True))
    if wards_file is not None:
        wards = read_table(wards_file, paths.display(wards_file))
        _expect(wards, tuple(WARD_COLUMNS), "an ONS ward lookup")
        code_col, name_col, council_col, seat_col = WARD_COLUMNS[wards.layout]
        rows: set[tuple[str, str, str]] = set()
        for row in wards:
            seat = row.get(seat_col)
            if seat not in seats:
                continue
            ward, council = row.get(name_col), row.get(council_col)
            if ward_column and seat not in ward_seats.get(row.get(code_col), ()):
                where = ("no postcode of the ward is in the postcode lookup" if row.get(code_col) not in ward_seats
                         else f"the postcode lookup puts none of its postcodes in {seats[seat]}")
                plan.warnings.append(row.problem(f"left out {ward} ({council}) in {seats[seat]}: {where}")
                                     ._replace(warning=True))
                continue
            rows.add((ward, council, seat))
        plan.writes[folder / WARDS] = _csv(HEADERS[WARDS], sorted(rows, key=lambda r: (r[0].casefold(), r[1], r[2])))
        split = sum(1 for ward in {(w, c) for w, c, _ in rows} if sum((w, c) == ward for w, c, _ in rows) > 1)
        plan.say(folder / WARDS, f"{len({(w, c) for w, c, _ in rows})} wards, {split} of them split between "
                                 "constituencies")
    return plan


def run_places_import(paths: Paths, postcodes_file: Path, wards_file: Optional[Path], out: TextIO,
                      err: TextIO) -> int:
    """Import the lookups and report; return the exit code."""
    if carry_out(lambda: plan_places(paths, postcodes_file, wards_file), out, err) is None:
        return 1
    sources = paths.content / FOLDER / SOURCES
    if not sources.exists():
        print(f"Now write {paths.display(sources)}: who these lookups come from and under which licence (the "
              "site shows it, and the build needs it).", file=out)
    return 0
