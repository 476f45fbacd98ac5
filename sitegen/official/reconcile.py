"""`python3 build.py check --against FILE...`: the published figures against the official release.

For every declared seat, each file's figures are compared with the site's: the electorate, valid
and rejected votes, each candidate's votes, and what the site computes from them (share and change,
at the file's own precision: a file giving 0.370224 agrees with any exact share within half a
millionth of it; the majority; gain or hold). Candidates are paired by identity (matching.py),
so a swap of two candidates' votes shows as two differences, not as agreement.
"""
from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional

from sitegen.results import Results, SeatResult
from sitegen.config import Paths
from sitegen.errors import ContentError, ContentErrors
from sitegen.content.read import Marks, load_yaml
from sitegen.official.matching import name_key, pair_up
from sitegen.official.parties import KNOWN, PartyRef, resolve
from sitegen.official.records import OTHERS_COLUMN, OfficialData, SeatRecord, read_official
from sitegen.official.tables import LIBRARY_CANDIDATES, LIBRARY_CONSTITUENCIES, PARLIAMENT

# The Library's by-constituency party columns, as the parties they count.
COLUMN_PARTIES = {"Con": ("con",), "Lab": ("lab",), "LD": ("ld",), "RUK": ("reform",), "Green": ("green", "sgp"),
                  "SNP": ("snp",), "PC": ("pc",), "DUP": ("dup",), "SF": ("sf",), "SDLP": ("sdlp",),
                  "UUP": ("uup",), "APNI": ("alliance",)}
RESULT = re.compile(r"^\s*(\S+)\s+(?:(hold)|gain from\s+(\S+))\s*$", re.I)


def _within(exact: Fraction, written: str) -> bool:
    """Return True when a figure written to some decimals in a file agrees with an exact value:
    it is the exact value rounded either way at a half, to the decimals written."""
    decimals = len(written.partition(".")[2])
    return abs(exact - Fraction(written)) <= Fraction(1, 2 * 10 ** decimals)


def _rounded(exact: Fraction, decimals: int) -> set[Fraction]:
    """Return `exact` rounded to `decimals` places: one value, or both at an exact half."""
    scaled = exact * 10 ** decimals
    low = Fraction(scaled.numerator // scaled.denominator, 10 ** decimals)
    high = low + Fraction(1, 10 ** decimals)
    if exact - low < high - exact:
        return {low}
    return {high} if exact - low > high - exact else {low, high}


def _change_agrees(change: Fraction, share: Fraction, before: Fraction, written: str) -> bool:
    """Return True when a change in a file agrees with ours: the exact change at the file's
    precision, or (as the Commons Library computes it) the difference of the two shares each
    rounded to that precision first (Derby South's Reform UK: 0.227306 - 0.058405 = 0.168901,
    where the exact change is 0.1689003)."""
    decimals = len(written.partition(".")[2])
    value = Fraction(written)
    if _within(change, written):
        return True
    return any(a - b == value for a in _rounded(share, decimals) for b in _rounded(before, decimals))


def _to(exact: Fraction, written: str) -> str:
    """Return an exact fraction of 1 at the precision a file writes it, for messages."""
    decimals = len(written.partition(".")[2]) if written else 6
    scaled = exact * 10 ** decimals
    rounded = (2 * abs(scaled.numerator) + scaled.denominator) // (2 * scaled.denominator)
    text = f"{rounded:0{decimals + 1}d}"
    return ("-" if exact < 0 else "") + f"{text[:-decimals] or '0'}.{text[-decimals:]}" if decimals else str(rounded)


def _number(text: str) -> bool:
    return bool(re.fullmatch(r"-?[0-9]*\.?[0-9]+", text))


class Comparison:
    """The differences found, each a line naming our file and line and the official value."""

    def __init__(self, paths: Paths, results: Results):
        self.paths, self.results = paths, results
        self.found: list[ContentError] = []
        self.seats_differing: set[str] = set()
        self._marks: dict[str, Marks] = {}

    def marks(self, seat: SeatResult) -> Marks:
        path = seat.seat.path
        if path not in self._marks:
            file = load_yaml(self.paths.root / path, self.paths, [])
            self._marks[path] = file.marks if file is not None else Marks()
        return self._marks[path]

    def differ(self, seat: SeatResult, loc: tuple, what: str, ours: str, theirs: str, data: OfficialData,
               line: int) -> None:
        self.say(seat, loc, f"{what}: {ours} here; {theirs} in {data.shown}:{line}")

    def say(self, seat: SeatResult, loc: tuple, message: str) -> None:
        self.found.append(ContentError(seat.seat.path, *self.marks(seat).find(loc), message))
        self.seats_differing.add(seat.seat.slug)

    @property
    def lines(self) -> list[str]:
        """Return the differences in file and line order."""
        return [problem.format() for problem in sorted(self.found)]


def _party_of_abbreviation(short: str, data: list[OfficialData], results: Results) -> Optional[str]:
    """Return our party id for an abbreviation in a result summary ('RUK'), through the rows of the
    files that carry it, else the parties every UK file has."""
    parties = results.content.parties
    for file in data:
        for seat in file.seats:
            for entry in seat.entries:
                if entry.party.short.casefold() == short.casefold():
                    found = resolve(entry.party, parties)
                    if found is not None:
                        return found
    for known in KNOWN:
        if short.casefold() in (a.casefold() for a in known.abbreviations):
            return resolve(PartyRef(known.name, known.short, known.ids, known.kind), parties)
    return next((pid for pid, p in parties.items() if p.short.casefold() == short.casefold()), None)


def _compare_candidates(cmp: Comparison, seat: SeatResult, record: SeatRecord, data: OfficialData) -> None:
    ours = list(seat.candidates)
    parties = cmp.results.content.parties
    pairs, extra, missing = pair_up(record.entries, ours, parties, lambda c: c.name, lambda c: c.party,
                                    lambda c: c.person_id)
    for e in extra:
        entry = record.entries[e]
        cmp.say(seat, ("candidates",), f"candidates: {entry.name} ({entry.party.name}, {entry.votes or 0:,} votes) "
                f"is in {data.shown}:{entry.line} but not on the site")
    for c in missing:
        candidate = ours[c]
        cmp.say(seat, ("candidates", candidate.entry), f"candidates[{candidate.entry}]: {candidate.name} is not in "
                f"{data.shown} ({record.name}, from line {record.line})")
    for e, c in pairs.items():
        entry, candidate = record.entries[e], ours[c]
        where = ("candidates", candidate.entry)
        label = f"candidates[{candidate.entry}]"
        if entry.votes is not None and entry.votes != candidate.votes:
            cmp.differ(seat, where + ("votes",), f"{label}.votes ({candidate.name})", f"{candidate.votes:,}",
                       f"{entry.votes:,}", data, entry.line)
        if _number(entry.share) and candidate.share is not None and not _within(candidate.share / 100, entry.share):
            cmp.differ(seat, where + ("votes",), f"{label} share ({candidate.name})", _to(candidate.share / 100, entry.share),
                       entry.share, data, entry.line)
        if _number(entry.change) and candidate.change is None:
            why = "an independent, not compared" if candidate.is_independent else "new here"
            cmp.differ(seat, where, f"{label} change ({candidate.name})", f"none ({why})", entry.change, data, entry.line)
        elif _number(entry.change) and candidate.change is not None and not _change_agrees(
                candidate.change / 100, candidate.share / 100,
                Fraction(candidate.previous_votes or 0, seat.seat.facts.previous.valid_votes), entry.change):
            cmp.differ(seat, where, f"{label} change ({candidate.name})", _to(candidate.change / 100, entry.change),
                       entry.change, data, entry.line)
        elif not entry.change and candidate.change is not None and data.layout in (PARLIAMENT, LIBRARY_CANDIDATES):
            cmp.differ(seat, where, f"{label} change ({candidate.name})", _to(candidate.change / 100, "0.000000"),
                       "none", data, entry.line)


def _compare_seat_figures(cmp: Comparison, seat: SeatResult, record: SeatRecord, data: OfficialData,
                          files: list[OfficialData]) -> None:
    facts = seat.seat.facts
    for value, field, what in ((record.electorate, "electorate", facts.electorate), (record.valid, "valid_votes",
                                                                                      seat.valid_votes),
                               (record.invalid, "rejected", facts.rejected)):
        if value is not None and value != what:
            cmp.differ(seat, (field,), field, "nothing" if what is None else f"{what:,}", f"{value:,}", data,
                       record.line)
    if record.majority is not None and record.majority != seat.majority:
        cmp.differ(seat, ("candidates",), "majority", f"{seat.majority:,}", f"{record.majority:,}", data, record.line)
    match = RESULT.match(record.result or "")
    if match and seat.winner is not None:
        winner = _party_of_abbreviation(match.group(1), files, cmp.results)
        held = match.group(2) is not None
        previous = None if held else _party_of_abbreviation(match.group(3), files, cmp.results)
        parties = cmp.results.content.parties
        ours = (f"{parties[seat.winner.party].short} hold" if not seat.is_gain else
                f"{parties[seat.winner.party].short} gain from {parties[facts.previous.winner].short}")
        agrees = winner == seat.winner.party and held == (not seat.is_gain) and (
            held or previous == facts.previous.winner)
        if not agrees:
            cmp.differ(seat, ("candidates",), "result", repr(ours), repr(record.result), data, record.line)
    if record.party_votes:
        _compare_party_columns(cmp, seat, record, data)


def _compare_party_columns(cmp: Comparison, seat: SeatResult, record: SeatRecord, data: OfficialData) -> None:
    parties = cmp.results.content.parties
    counted: set[int] = set()
    for column, keys in COLUMN_PARTIES.items():
        if column not in record.party_votes:
            continue
        ids = {resolve(PartyRef(k_name.name, k_name.short, k_name.ids, k_name.kind), parties)
               for k_name in KNOWN if k_name.key in keys} - {None}
        mine = [c for c in seat.candidates if c.party in ids]
        counted.update(id(c) for c in mine)
        total = sum(c.votes or 0 for c in mine)
        if total != record.party_votes[column]:
            loc = ("candidates", mine[0].entry, "votes") if mine else ("candidates",)
            cmp.differ(seat, loc, f"votes for {column}", f"{total:,}", f"{record.party_votes[column]:,}", data,
                       record.line)
    if OTHERS_COLUMN in record.party_votes:
        rest = sum(c.votes or 0 for c in seat.candidates if id(c) not in counted)
        if rest != record.party_votes[OTHERS_COLUMN]:
            cmp.differ(seat, ("candidates",), "votes for all other candidates", f"{rest:,}",
                       f"{record.party_votes[OTHERS_COLUMN]:,}", data, record.line)


def reconcile(paths: Paths, results: Results, files: list[Path]) -> tuple[list[str], str]:
    """Return one line per difference between the site and the official files, and a summary."""
    data = [read_official(f, paths.display(f)) for f in files]
    problems = [ContentError(d.shown, 1, 0, f"is a {d.layout}; check --against reads the Commons Library's results "
                             "by candidate or by constituency, or the UK Parliament results export")
                for d in data if d.layout not in (PARLIAMENT, LIBRARY_CANDIDATES, LIBRARY_CONSTITUENCIES) or d.notional]
    if problems:
        raise ContentErrors(problems)
    cmp = Comparison(paths, results)
    declared = [s for s in results.seats if s.is_declared]
    ours_codes = {s.seat.facts.ons_code for s in results.seats if s.seat.facts.ons_code}
    ours_names = {name_key(s.seat.facts.name) for s in results.seats}
    for seat in declared:
        found = False
        for file in data:
            record = next((r for r in file.seats if seat.seat.facts.ons_code and r.code == seat.seat.facts.ons_code),
                          None) or next((r for r in file.seats if name_key(r.name) == name_key(seat.seat.facts.name)
                                         and not (r.code and seat.seat.facts.ons_code)), None)
            if record is None:
                continue
            found = True
            if record.entries:
                _compare_candidates(cmp, seat, record, file)
            _compare_seat_figures(cmp, seat, record, file, data)
        if not found:
            cmp.say(seat, ("name",), f"{seat.seat.facts.name} is in none of the official files "
                    f"({', '.join(d.shown for d in data)})")
    elsewhere = {r.code or name_key(r.name) for d in data for r in d.seats
                 if not (r.code in ours_codes or name_key(r.name) in ours_names)}
    awaited = len(results.seats) - len(declared)
    tail = []
    if awaited:
        tail.append(f"{awaited} seat{'s' if awaited != 1 else ''} not declared, not compared")
    if elsewhere:
        tail.append(f"{len(elsewhere)} seat{'s' if len(elsewhere) != 1 else ''} of the files not on this site")
    n = len(cmp.lines)
    head = (f"{n} difference{'s' if n != 1 else ''} in {len(cmp.seats_differing)} "
            f"seat{'s' if len(cmp.seats_differing) != 1 else ''}" if n else "no differences")
    summary = (f"Compared {len(declared)} declared seat{'s' if len(declared) != 1 else ''} with "
               f"{', '.join(d.shown for d in data)}: {head}" + (f" ({'; '.join(tail)})" if tail else "") + ".")
    return cmp.lines, summary
