"""Machine-readable results: results.json, results.csv, county.csv, status.json and the tile map,
as text (docs/DATA.md), each from its context."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal
from typing import Any, Optional

from dataclasses import dataclass

from sitegen.buildcache import Memo
from sitegen.config import slugify
from sitegen.content.model import Party, SiteInfo
from sitegen.results import CandidateResult, County, SeatResult, TallyRow, pct, round_pct


@dataclass(frozen=True)
class ResultsData:
    """What results.json and results.csv hold: every seat's figures and the area's."""

    site: SiteInfo
    parties: dict[str, Party]
    seats: tuple[SeatResult, ...]
    tally: tuple[TallyRow, ...]
    county: County

    @property
    def declared(self) -> int:
        return sum(1 for s in self.seats if s.is_declared)


@dataclass(frozen=True)
class Tile:
    """One seat on the tile map (the .hexjson file)."""

    slug: str
    q: int
    r: int
    name: str
    status: str
    party: Optional[str]


@dataclass(frozen=True)
class SeatState:
    """One seat in status.json: what open pages poll for news."""

    slug: str
    name: str
    status: str
    result: Optional[str]
    declared_at: Optional[str]
    revision: Optional[str] = None  # of a declared result: changes with any figure (see result_revision)
    approx: Optional[str] = None        # declared_at's nearness: about, just before, just after
    provisional: Optional[bool] = None  # of a declared result: not yet checked by a second person
    corrected: Optional[str] = None     # when its latest correction was made


def result_revision(seat: SeatResult) -> Optional[str]:
    """Return 8 hex digits that change whenever a declared result does (a corrected figure, winner,
    label or time), for open pages to notice corrections; None while the seat is not declared."""
    if not seat.is_declared:
        return None
    facts = seat.seat.facts
    figures = [seat.label, facts.valid_votes, facts.rejected, facts.electorate,
               facts.declared_at.isoformat() if facts.declared_at else None, bool(facts.provisional),
               [[c.name, c.party, c.votes] for c in seat.candidates]]
    return hashlib.sha256(json.dumps(figures).encode("utf-8")).hexdigest()[:8]

CSV_COLUMNS = ["constituency_slug", "constituency", "status", "position", "candidate", "party_id",
               "party", "description", "votes", "share_pct", "change_pp", "new_party", "elected",
               "lost_deposit", "valid_votes", "electorate", "turnout_pct", "majority", "result",
               "rejected", "previous_votes", "previous_share_pct", "previous_valid_votes", "provisional",
               "result_source", "corrections", "valid_turnout_pct"]
COUNTY_CSV_COLUMNS = ["party_id", "party", "seats_contested", "votes", "share_pct", "previous_votes",
                      "previous_share_pct", "change_pp", "new_party", "seats_won", "seats_before",
                      "seats_covered", "valid_votes", "previous_valid_votes", "turnout_pct", "valid_turnout_pct"]


def _number(value: Optional[Decimal]) -> Optional[float]:
    # 1-dp Decimals print back exactly as floats (37.0, 10.2), which JSON readers expect.
    return None if value is None else float(value)


def candidate_record(c: CandidateResult) -> dict[str, Any]:
    """Return one candidate's figures as plain JSON values."""
    return {"name": c.name, "party": c.party, "description": c.description, "votes": c.votes,
            "share_pct": _number(c.share_pct), "change_pp": _number(c.change_pp),
            "new_party": c.is_new, "elected": c.elected, "lost_deposit": c.lost_deposit,
            "position": c.position, "previous_votes": c.previous_votes, "independent": c.is_independent,
            "person_id": c.person_id}


def _previous_share_pct(s: SeatResult, party: str) -> Optional[Decimal]:
    share = s.previous_shares.get(party)
    return None if share is None else round_pct(share)


def _own_previous_share_pct(s: SeatResult, c: CandidateResult) -> Optional[Decimal]:
    """Return the notional share a candidate is compared with: their party's, or an independent's own."""
    if c.previous_votes is None:
        return None
    return round_pct(pct(c.previous_votes, s.seat.facts.previous.valid_votes))


def seat_record(s: SeatResult) -> dict[str, Any]:
    """Return one constituency's facts and computed figures as plain JSON values."""
    facts = s.seat.facts
    return {
        "slug": s.seat.slug, "name": facts.name, "url": f"{s.seat.slug}/", "status": s.status,
        "electorate": facts.electorate, "rejected": facts.rejected, "valid_votes": s.valid_votes,
        "turnout_pct": _number(s.turnout_pct), "valid_turnout_pct": _number(s.valid_turnout_pct),
        "majority": s.majority,
        "majority_pct": _number(s.majority_pct), "result": s.label if s.is_declared else None,
        "gain": s.is_gain if s.is_declared else None,
        "winner": {"name": s.winner.name, "party": s.winner.party} if s.winner else None,
        "swing": None if s.swing is None else {"from": s.swing.from_party, "to": s.swing.to_party,
                                               "points_pp": _number(s.swing.points_pp)},
        "declared_at": facts.declared_at.isoformat() if facts.declared_at else None,
        "declared_at_approx": facts.declared_at_approx, "recount_note": facts.recount_note,
        "recorded_at": facts.recorded_at.isoformat() if facts.recorded_at else None,
        "elected": facts.elected, "result_source": facts.result_source,
        "provisional": bool(facts.provisional) if s.is_declared else None,
        "corrections": [{"at": c.at.isoformat(), "was": dict(c.was), "why": c.why} for c in facts.corrections],
        "previous": {"winner": facts.previous.winner, "mp": facts.previous.mp,
                     "votes": dict(facts.previous.votes), "valid_votes": facts.previous.valid_votes,
                     "shares_pct": {k: _number(_previous_share_pct(s, k)) for k in facts.previous.votes},
                     "independents": dict(facts.previous.independents)},
        "ons_code": facts.ons_code,
        "hex": {"q": facts.hex.q, "r": facts.hex.r} if facts.hex else None,
        "candidates": [candidate_record(c) for c in s.candidates],
    }


def _dumps(value: Any) -> str:
    # Compact separators keep json's C encoder in use (indent= falls back to pure Python).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def seat_data(s: SeatResult, parties: dict, memo: Memo) -> tuple[str, str]:
    """Return a seat's results.json record and results.csv rows as text, made once per seat result
    and parties."""
    return memo.get(("records", s.seat.slug), (s, parties), lambda: _seat_data(s, parties))


def _seat_data(s: SeatResult, parties: dict) -> tuple[str, str]:
    slug = s.seat.slug
    facts = s.seat.facts
    label = s.label if s.is_declared else ""
    # The csv module writes None as an empty field and numbers as str() does; flags are spelt out.
    rows = [[slug, _text(facts.name), s.status, c.position, _text(c.name), c.party, _text(parties[c.party].name),
             _text(c.description),
             c.votes, c.share_pct, c.change_pp, _FLAG[c.is_new], _FLAG[c.elected], _FLAG[c.lost_deposit],
             s.valid_votes, facts.electorate, s.turnout_pct, s.majority, label, facts.rejected,
             c.previous_votes, _own_previous_share_pct(s, c), facts.previous.valid_votes,
             _FLAG[bool(facts.provisional)] if s.is_declared else None, facts.result_source,
             len(facts.corrections) if s.is_declared else None, s.valid_turnout_pct]
            for c in s.candidates]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return _dumps(seat_record(s)), buffer.getvalue()


def results_summary(data: ResultsData) -> dict[str, Any]:
    """Return results.json's fields before the list of constituencies."""
    info = data.site
    return {
        "site": {"title": info.title, "election": info.election, "area": info.area, "area_type": info.area_kind,
                 "polling_day": info.polling_day.isoformat(),
                 "previous_election": info.previous_election, "base_url": info.base_url},
        "parties": {pid: {"name": p.name, "short": p.short, "colour": p.colour, "kind": p.kind or "party"}
                    for pid, p in data.parties.items()},
        "seats": len(data.seats), "declared": data.declared,
        "tally": [{"party": t.party, "before": t.before, "after": t.after, "change": t.change}
                  for t in data.tally],
        "county": county_record(data.county),
    }


def county_record(county: County) -> dict[str, Any]:
    """Return the county's figures over the declared seats as plain JSON values."""
    return {
        "seats_covered": len(county.seats), "valid_votes": county.valid_votes,
        "previous_valid_votes": county.previous_valid_votes, "rejected": county.ballots - county.valid_votes,
        "electorate": county.electorate,
        "turnout_pct": _number(county.turnout_pct) if county.seats else None,
        "valid_turnout_pct": _number(county.valid_turnout_pct) if county.seats else None,
        "parties": [{"party": t.party, "seats_contested": t.seats_contested, "votes": t.votes,
                     "share_pct": _number(t.share_pct), "previous_votes": t.previous_votes,
                     "previous_share_pct": _number(t.previous_share_pct),
                     "change_pp": _number(t.change_pp), "new_party": t.is_new,
                     "independent": t.is_independent} for t in county.parties],
        "changed_hands": [s.seat.slug for s in county.changed_hands],
        "closest": [s.seat.slug for s in county.by_majority],
        "turnout_order": [s.seat.slug for s in county.by_turnout],
    }


def render_results_json(r: Any, page: str, data: ResultsData) -> str:
    """Return results.json: stable key order, UTF-8, compact, one trailing newline.

    Assembled from each seat's serialised record, which is exactly what json.dumps of the whole
    document gives (a test checks this), so an unchanged seat is not serialised again.
    """
    head = _dumps(results_summary(data))[:-1]
    records = ",".join(seat_data(s, data.parties, r.memo)[0] for s in data.seats)
    return f'{head},"constituencies":[{records}]}}\n'


def seat_states(seats: tuple[SeatResult, ...]) -> tuple[SeatState, ...]:
    """Return each seat's state, as status.json gives it."""
    return tuple(SeatState(s.seat.slug, s.seat.facts.name, s.status, s.label if s.is_declared else None,
                           s.seat.facts.declared_at.isoformat() if s.seat.facts.declared_at else None,
                           result_revision(s), s.seat.facts.declared_at_approx,
                           bool(s.seat.facts.provisional) if s.is_declared else None,
                           s.seat.facts.corrections[-1].at.isoformat() if s.is_declared and s.seat.facts.corrections
                           else None)
                 for s in seats)


def render_status(r: Any, page: str, states: tuple[SeatState, ...]) -> str:
    """Return status.json: each seat's state, and a version of them all, for open pages to poll
    (static/live.js). Small, so that polling costs readers and hosts little."""
    seats = [{"slug": s.slug, "name": s.name, "url": f"{s.slug}/", "status": s.status, "result": s.result,
              "declared_at": s.declared_at, "declared_at_approx": s.approx, "revision": s.revision,
              "provisional": s.provisional,
              "corrected": s.corrected} for s in states]
    listed = _dumps(seats)
    version = hashlib.sha256(listed.encode("utf-8")).hexdigest()[:16]
    declared = sum(1 for s in states if s.status == "declared")
    recounts = sum(1 for s in states if s.status == "recount")
    return (f'{{"version":"{version}","seats_total":{len(seats)},"declared":{declared},'
            f'"recounts":{recounts},"seats":{listed}}}\n')


def hexjson_name(area: str) -> str:
    """Return the tile-map file name for an area: 'Derbyshire' -> 'derbyshire.hexjson'."""
    return (slugify(area) or "area") + ".hexjson"


def tiles_of(seats: tuple[SeatResult, ...]) -> tuple[Tile, ...]:
    """Return the seats placed on the map, as the tile map gives them."""
    return tuple(Tile(s.seat.slug, s.seat.facts.hex.q, s.seat.facts.hex.r, s.seat.facts.name, s.status,
                      s.winner.party if s.winner else None) for s in seats if s.seat.facts.hex is not None)


def render_hexjson(r: Any, page: str, tiles: tuple[Tile, ...]) -> str:
    """Return the tile map as HexJSON (odd-r), each hex with its name, status and winning party."""
    hexes = {t.slug: {"q": t.q, "r": t.r, "n": t.name, "status": t.status, "party": t.party} for t in tiles}
    return _dumps({"layout": "odd-r", "hexes": hexes}) + "\n"


_FLAG = {True: "true", False: "false"}

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) can send
# data away); a text cell that does gets a leading apostrophe, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: Optional[str]) -> Optional[str]:
    """Return a text cell for the CSV files, defused if a spreadsheet would run it as a formula."""
    return "'" + value if value and value.startswith(_FORMULA_STARTS) else value


def render_county_csv(r: Any, page: str, data: ResultsData) -> str:
    """Return county.csv: one row per party that stood in a declared seat, most votes first, with
    the area's totals repeated on each row (columns as COUNTY_CSV_COLUMNS)."""
    county, parties = data.county, data.parties
    tally = {t.party: t for t in data.tally}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COUNTY_CSV_COLUMNS)
    for t in county.parties:
        seats = tally.get(t.party)
        writer.writerow([t.party, _text(parties[t.party].name), t.seats_contested, t.votes, t.share_pct,
                         t.previous_votes, t.previous_share_pct,
                         t.change_pp, _FLAG[t.is_new], seats.after if seats else 0, seats.before if seats else 0,
                         len(county.seats), county.valid_votes, county.previous_valid_votes, county.turnout_pct,
                         county.valid_turnout_pct])
    return buffer.getvalue()


def render_results_csv(r: Any, page: str, data: ResultsData) -> str:
    """Return results.csv: one row per candidate, columns as CSV_COLUMNS."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    return buffer.getvalue() + "".join(seat_data(s, data.parties, r.memo)[1] for s in data.seats)
