"""Official files as plain records: seats, and in each the candidates (or notional parties) as the
file gives them, every value still tied to its row. One reader per layout, all giving the same
shapes, so the importer and the reconciliation never look at a column name."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Optional

from sitegen.errors import ContentError, ContentErrors
from sitegen.content.fields import character_problem, repair_mojibake
from sitegen.official.parties import PartyRef
from sitegen.official.tables import (DC_CANDIDATES, LIBRARY_CANDIDATES, LIBRARY_CONSTITUENCIES, LIBRARY_TIMES, PARLIAMENT, Row,
                     Table, read_table)

ONS_CODE = re.compile(r"[ENSW][0-9]{8}")
TRUE = ("true", "t", "yes", "y", "1")


@dataclass
class Entry:
    """One candidate as a file gives them (for a notional file, one party's notional votes)."""

    line: int
    name: str                      # as declared; '' for a notional party
    family: str                    # the surname, for ballot-paper order
    party: PartyRef
    votes: Optional[int] = None
    share: str = ""                # as the file writes it: a fraction of 1 ('0.370224')
    change: str = ""               # a fraction of 1; '' where the file gives none
    person_id: Optional[str] = None
    position: Optional[int] = None
    withdrawn: bool = False


@dataclass
class SeatRecord:
    """One constituency as a file gives it."""

    code: Optional[str]
    name: str
    line: int                      # its first row
    region: str = ""
    country: str = ""
    electorate: Optional[int] = None
    valid: Optional[int] = None
    invalid: Optional[int] = None
    majority: Optional[int] = None
    result: str = ""               # 'Lab gain from Con'
    first_party: str = ""          # the winner's party abbreviation (Library by constituency)
    party_votes: dict[str, int] = field(default_factory=dict)  # Library by constituency: 'Con' -> votes
    recorded: str = ""             # Library: when it recorded the result, 'M/D/YY H:MM' UK time
    entries: list[Entry] = field(default_factory=list)
    cancelled: bool = False


@dataclass
class OfficialData:
    """An official file read into seats."""

    table: Table
    seats: list[SeatRecord]
    polling_day: Optional[date] = None
    notional: bool = False
    warnings: list[ContentError] = field(default_factory=list)

    @property
    def shown(self) -> str:
        """Return the file as messages name it."""
        return self.table.shown

    @property
    def layout(self) -> str:
        """Return which official layout the file is in."""
        return self.table.layout


class _Reader:
    """Collects every bad row of a file, and the names it repaired, instead of stopping at the first."""

    def __init__(self, table: Table):
        self.table = table
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []

    def number(self, row: Row, column: str, required: bool = True) -> Optional[int]:
        try:
            return row.number(column, required)
        except ContentErrors as exc:
            self.errors.extend(exc.errors)
            return None

    def text(self, row: Row, column: str, what: str) -> str:
        """Return a name cell, repaired when it is mis-encoded (a warning names the row); refused
        (an error names the row) when it holds characters no name has."""
        value = unicodedata.normalize("NFC", " ".join(row.get(column).split()))
        why = character_problem(value) if value else None
        if why is None:
            return value
        repaired = repair_mojibake(value)
        if repaired is not None and character_problem(repaired) is None:
            self.warnings.append(row.problem(f"{what} {value!r} was mis-encoded in the file; read as {repaired!r}"))
            return repaired
        self.errors.append(row.problem(f"{what} {value!r} {why}"))
        return value

    def seat(self, seats: dict[str, SeatRecord], row: Row, code_column: str, name_column: str) -> SeatRecord:
        """Return the seat a row belongs to, made on its first row."""
        code = row.get(code_column).upper().removeprefix("GSS:") if code_column else ""
        name = self.text(row, name_column, "constituency name")
        if code and not ONS_CODE.fullmatch(code):
            self.errors.append(row.problem(f"column {code_column!r}: expected an ONS code like E14001066, got {code!r}"))
            code = ""
        key = code or name.casefold()
        if key not in seats:
            seats[key] = SeatRecord(code or None, name, row.line)
        return seats[key]


def read_official(path: Path, shown: Optional[str] = None) -> OfficialData:
    """Return an official file read into seats; raise ContentErrors naming every bad row."""
    table = read_table(path, shown)
    read: Callable[[Table, _Reader], OfficialData] = {
        DC_CANDIDATES: _read_candidates, PARLIAMENT: _read_parliament, LIBRARY_CANDIDATES: _read_library_candidates,
        LIBRARY_CONSTITUENCIES: _read_library_constituencies, LIBRARY_TIMES: _read_library_times}[table.layout]
    reader = _Reader(table)
    data = read(table, reader)
    if reader.errors:
        raise ContentErrors(reader.errors)
    data.warnings = reader.warnings
    return data


def _family(name: str) -> str:
    return name.split()[-1] if name.split() else ""


# --- Democracy Club ------------------------------------------------------------------------------

def _dc_party(row: Row) -> PartyRef:
    """Return the party of a Democracy Club row: its own layout gives an id (PP53, joint-party:53-119
    for a joint candidacy, ynmp-party:2 for an independent), the cut-down one a short key."""
    name, party_id, key = row.get("party_name"), row.get("party_id"), row.get("party_key").casefold()
    joint = re.fullmatch(r"joint-party:(\d+)-(\d+)", party_id)
    if party_id == "ynmp-party:2" or name.casefold() == "independent":
        return PartyRef("Independent", "Ind", kind="independent")
    if party_id == "ynmp-party:12522" or normal_speaker(name):
        return PartyRef("Speaker", "Spk", kind="speaker")
    if joint:
        return PartyRef(name, ids=(f"PP{joint.group(1)}",), adjunct=f"PP{joint.group(2)}", key=key)
    if re.search(r"\band co-operative\b", name, re.I):  # the cut-down list keeps only the joint name
        return PartyRef(name, ids=(party_id,) if re.fullmatch(r"PP\d+", party_id) else (), adjunct="PP119", key=key)
    return PartyRef(name, ids=(party_id,) if re.fullmatch(r"PP\d+", party_id) else (), key=key)


def normal_speaker(name: str) -> bool:
    """Return True when a party name is the Speaker's."""
    return name.casefold().strip() in ("speaker", "the speaker", "speaker seeking re-election")


def _read_candidates(table: Table, reader: _Reader) -> OfficialData:
    elections = sorted({row.get("election_id") for row in table if row.get("election_id").startswith("parl.")})
    if len(elections) > 1:
        raise ContentErrors([ContentError(table.shown, 0, 0, f"holds candidates of {len(elections)} general "
                                          f"elections ({', '.join(elections)}); cut it to one")])
    seats: dict[str, SeatRecord] = {}
    polling_day = None
    code_column = next((c for c in ("pcon24cd", "gss", "post_gss") if c in table.columns), "")
    for row in table:
        if elections and row.get("election_id") != elections[0]:
            continue  # local elections and the like in the same export
        seat = reader.seat(seats, row, code_column, "post_label")
        seat.cancelled = seat.cancelled or row.get("cancelled_poll").casefold() in TRUE
        name = reader.text(row, "person_name", "candidate name")
        person = row.get("person_id")
        if not re.fullmatch(r"[0-9]{1,9}", person):
            reader.errors.append(row.problem(f"column 'person_id': expected Democracy Club's person id (digits), "
                                             f"got {person!r}"))
        seat.entries.append(Entry(row.line, name, _family(name), _dc_party(row), person_id=person))
        day = re.search(r"(\d{4}-\d{2}-\d{2})", row.get("election_date") or row.get("election_id"))
        polling_day = polling_day or (date.fromisoformat(day.group(1)) if day else None)
    return OfficialData(table, list(seats.values()), polling_day)


# --- the UK Parliament results website -----------------------------------------------------------

def _parliament_party(row: Row) -> PartyRef:
    if row.get("Candidate is standing as Commons Speaker").casefold() in TRUE:
        return PartyRef("Speaker", "Spk", ("mnis:47",), kind="speaker")
    if row.get("Candidate is standing as independent").casefold() in TRUE:
        return PartyRef("Independent", "Ind", kind="independent")
    mnis = row.get("Main party MNIS ID")
    return PartyRef(row.get("Main party name"), row.get("Main party abbreviation"),
                    (f"mnis:{mnis}",) if mnis.isdigit() else (), adjunct=row.get("Adjunct party name"))


def _read_parliament(table: Table, reader: _Reader) -> OfficialData:
    seats: dict[str, SeatRecord] = {}
    notional = any(row.get("General election is notional").casefold() in TRUE for row in table.rows[:1])
    day = table.rows[0].get("General election polling date") if table.rows else ""
    for row in table:
        seat = reader.seat(seats, row, "Constituency geographic code", "Constituency name")
        if seat.line == row.line:  # the seat's figures, given on each of its rows
            seat.region, seat.country = row.get("English region name"), row.get("Country name")
            seat.electorate = reader.number(row, "Electorate", required=False)
            seat.valid = reader.number(row, "Election valid vote count", required=False)
            seat.invalid = reader.number(row, "Election invalid vote count", required=False)
            seat.result = row.get("Election result summary")
        given = reader.text(row, "Candidate given name", "candidate name")
        family = reader.text(row, "Candidate family name", "candidate name")
        majority = reader.number(row, "Majority", required=False)
        if majority is not None:
            seat.majority = majority
        seat.entries.append(Entry(row.line, " ".join(f"{given} {family}".split()), family, _parliament_party(row),
                                  reader.number(row, "Candidate vote count"), row.get("Candidate vote share"),
                                  row.get("Candidate vote change"),
                                  position=reader.number(row, "Candidate result position", required=False)))
    return OfficialData(table, list(seats.values()), _day(day), notional)


def _day(text: str) -> Optional[date]:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


# --- the Commons Library (CBP-10009) -------------------------------------------------------------

def _library_party(row: Row) -> PartyRef:
    name, short = row.get("Party name"), row.get("Party abbreviation")
    if short.casefold() == "spk" or normal_speaker(name):
        return PartyRef("Speaker", "Spk", kind="speaker")
    if short.casefold() == "ind" or name.casefold() == "independent":
        return PartyRef("Independent", "Ind", kind="independent")
    ids = tuple(i for i in (row.get("Electoral Commission party ID"),
                            f"mnis:{row.get('MNIS party ID')}" if row.get("MNIS party ID").isdigit() else "") if i)
    return PartyRef(name, short, ids, adjunct=row.get("Electoral Commission adjunct party ID"))


def _library_seat(reader: _Reader, seats: dict[str, SeatRecord], row: Row) -> SeatRecord:
    seat = reader.seat(seats, row, "ONS ID", "Constituency name")
    seat.region, seat.country = row.get("Region name"), row.get("Country name")
    return seat


def _read_library_candidates(table: Table, reader: _Reader) -> OfficialData:
    seats: dict[str, SeatRecord] = {}
    for row in table:
        seat = _library_seat(reader, seats, row)
        given = reader.text(row, "Candidate first name", "candidate name")
        family = reader.text(row, "Candidate surname", "candidate name")
        person = row.get("Democracy Club person ID")
        seat.entries.append(Entry(row.line, " ".join(f"{given} {family}".split()), family, _library_party(row),
                                  reader.number(row, "Votes"), row.get("Share"), row.get("Change"),
                                  person if person.isdigit() else None))
    for seat in seats.values():  # the file lists candidates in no order: place them by votes
        ranked = sorted(seat.entries, key=lambda e: -(e.votes or 0))
        for place, entry in enumerate(ranked, start=1):
            entry.position = place
    return OfficialData(table, list(seats.values()))


PARTY_COLUMNS = ("Con", "Lab", "LD", "RUK", "Green", "SNP", "PC", "DUP", "SF", "SDLP", "UUP", "APNI")
OTHERS_COLUMN = "All other candidates"


def _read_library_constituencies(table: Table, reader: _Reader) -> OfficialData:
    seats: dict[str, SeatRecord] = {}
    for row in table:
        seat = _library_seat(reader, seats, row)
        seat.electorate = reader.number(row, "Electorate")
        seat.valid = reader.number(row, "Valid votes")
        seat.invalid = reader.number(row, "Invalid votes")
        seat.majority = reader.number(row, "Majority")
        seat.result, seat.first_party = row.get("Result"), row.get("First party")
        for column in PARTY_COLUMNS + (OTHERS_COLUMN,):
            if row.has(column):
                votes = reader.number(row, column, required=False)
                seat.party_votes[column] = votes or 0
    return OfficialData(table, list(seats.values()))


def _read_library_times(table: Table, reader: _Reader) -> OfficialData:
    seats: dict[str, SeatRecord] = {}
    for row in table:
        seat = reader.seat(seats, row, "ons_id", "constituency_name")
        seat.region, seat.country = row.get("region_name"), row.get("country_name")
        seat.recorded, seat.result = row.get("time_recorded"), row.get("result")
    return OfficialData(table, list(seats.values()))
