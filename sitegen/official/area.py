"""Which seats an import covers (`--seats`, `--region`, `--all`, or the site's own), and where
each sits on a HexJSON layout."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from sitegen.errors import ContentError, ContentErrors
from sitegen.files import read_file
from sitegen.official.records import OfficialData, SeatRecord

# The ONS codes of England's regions (the hex layout names a seat's region by code) and the
# nations by the first letter of a constituency code.
ENGLISH_REGIONS = {
    "E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands", "E12000005": "West Midlands", "E12000006": "East of England",
    "E12000007": "London", "E12000008": "South East", "E12000009": "South West",
}
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace("&", "and").replace(",", " ").split())


@dataclass(frozen=True)
class Area:
    """What the command line asked for: seat names or codes, a region or nation, or every seat."""

    seats: tuple[str, ...] = ()
    region: Optional[str] = None
    every: bool = False

    @property
    def given(self) -> bool:
        """Return True when the command line chose an area."""
        return bool(self.seats or self.region or self.every)


def read_seat_list(argument: str) -> tuple[str, ...]:
    """Return the seats `--seats` names: 'A,B', or '@file' with one name or code per line."""
    if argument.startswith("@"):
        path = Path(argument[1:])
        data, why = read_file(path, path.parent, 10_000_000)
        if data is None:
            raise ContentErrors([ContentError(argument[1:], 0, 0, why or "cannot be read")])
        items = data.decode("utf-8-sig", "replace").splitlines()
    else:
        items = argument.split(",")
    return tuple(item.strip() for item in items if item.strip() and not item.strip().startswith("#"))


@dataclass
class HexLayout:
    """A HexJSON layout read whole: each seat's column and row, and region code, by ONS code."""

    shown: str
    hexes: dict[str, tuple[int, int, str]]

    def region_of(self, code: Optional[str]) -> str:
        """Return the English region (or the nation) a seat is in, by its code."""
        if not code:
            return ""
        place = self.hexes.get(code)
        return ENGLISH_REGIONS.get(place[2], "") if place else ""

    def cropped(self, codes: list[str]) -> dict[str, tuple[int, int]]:
        """Return the tiles of `codes` moved so that the area starts at column 0 and an even row
        (odd-r layouts shift odd rows, so a row keeps its parity)."""
        placed = [self.hexes[c] for c in codes if c in self.hexes]
        if not placed:
            return {}
        q0 = min(q for q, _, _ in placed)
        r0 = min(r for _, r, _ in placed)
        r0 -= r0 % 2
        return {c: (self.hexes[c][0] - q0, self.hexes[c][1] - r0) for c in codes if c in self.hexes}


def read_hexjson(path: Path, shown: str) -> HexLayout:
    """Return a HexJSON layout (odd-r, keyed by ONS code), or raise ContentErrors saying why not."""
    data, why = read_file(path, path.parent, 50_000_000)
    if data is None:
        raise ContentErrors([ContentError(shown, 0, 0, why or "cannot be read")])
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ContentErrors([ContentError(shown, getattr(exc, "lineno", 0), 0, f"is not JSON ({exc})")]) from None
    if not isinstance(document, dict) or not isinstance(document.get("hexes"), dict):
        raise ContentErrors([ContentError(shown, 1, 0, "is not a HexJSON layout: expected an object with 'hexes'")])
    if document.get("layout") != "odd-r":
        raise ContentErrors([ContentError(shown, 1, 0, f"has layout {document.get('layout')!r}; only 'odd-r' "
                                          "layouts (rows counted upwards, odd rows shifted right) are read")])
    hexes = {}
    for code, cell in document["hexes"].items():
        if isinstance(cell, dict) and isinstance(cell.get("q"), int) and isinstance(cell.get("r"), int):
            hexes[code.upper()] = (cell["q"], cell["r"], str(cell.get("region", "")))
    return HexLayout(shown, hexes)


def seat_region(seat: SeatRecord, hexes: Optional[HexLayout]) -> set[str]:
    """Return the names a seat's region goes by: its English region and its nation."""
    names = {seat.region, seat.country}
    if hexes is not None:
        names.add(hexes.region_of(seat.code))
    if seat.code:
        names.add(NATIONS.get(seat.code[0], ""))
    return {_normal(n) for n in names if n}


def choose_seats(data: OfficialData, area: Area, site_seats: list[tuple[Optional[str], str]],
                 hexes: Optional[HexLayout] = None) -> list[SeatRecord]:
    """Return the seats of `data` in the area, in the file's order; with no area given, the site's
    own seats (`site_seats`: code and name of each). Raise ContentErrors naming what matches nothing."""
    seats = data.seats
    if area.every:
        return list(seats)
    if area.region:
        wanted = _normal(area.region)
        chosen = [s for s in seats if wanted in seat_region(s, hexes)]
        if not chosen:
            known = sorted({n for s in seats for n in (s.region, s.country, hexes.region_of(s.code) if hexes else "")
                            if n})
            hint = (f"; its regions and nations are: {', '.join(known)}" if known else
                    "; this file names no regions: give --hexjson FILE, whose layout does, or choose --seats")
            raise ContentErrors([ContentError(data.shown, 0, 0, f"no seat is in region {area.region!r}{hint}")])
        return chosen
    wanted_items = area.seats or tuple(code or name for code, name in site_seats)
    if not wanted_items:
        raise ContentErrors([ContentError(data.shown, 0, 0, "choose the area to import: --seats A,B (names or ONS "
                                          "codes, or @file with one per line), --region NAME, or --all")])
    by_code = {s.code: s for s in seats if s.code}
    by_name = {_normal(s.name): s for s in seats}
    chosen, missing = [], []
    for item in wanted_items:
        seat = by_code.get(item.upper()) or by_name.get(_normal(item))
        if seat is None and not area.seats:  # the site's own seat, known by its name in this file
            seat = next((by_name.get(_normal(name)) for code, name in site_seats if code == item), None)
        if seat is None:
            missing.append(item)
        elif seat not in chosen:
            chosen.append(seat)
    if missing and area.seats:
        names = [s.name for s in seats]
        problems = []
        for item in missing:
            close = difflib.get_close_matches(item, names, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(ContentError(data.shown, 0, 0, f"has no seat {item!r}{hint}"))
        raise ContentErrors(problems)
    order = {id(s): i for i, s in enumerate(seats)}
    return sorted(chosen, key=lambda s: order[id(s)])
