"""Map views: the area's tile map coloured by one measure each, with the same figures as a table.

One page per view (`maps/<view>/`), so each works without JavaScript and has its own address to
share: the winner (gains striped as well as coloured, so they show in greyscale and to readers who
cannot tell the colours apart), the previous election's winner, the majority, the turnout, the
change in one party's share, and the swing. Everything a view shows is worked out here, exactly,
and rounded only for display.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Callable, Optional

from sitegen.content.model import SiteInfo
from sitegen.results import Night, SeatResult, round_pct
from sitegen.site.charts import MAX_LABELLED_TILES, HexMap
from sitegen.site.filters import format_number, format_pct, format_signed

if TYPE_CHECKING:
    from sitegen.site.pages import Parties

# Sequential and diverging fills, light to dark, whose neighbours differ clearly; tiles are also
# outlined in the card's colour, so adjacent tiles stay apart whatever their fills.
SEQUENTIAL = ("#dbe9f6", "#9ecae1", "#4a98c9", "#1764ab", "#08306b")
DIVERGING = ("#8c510a", "#d8b365", "#f1e4c3", "#c7eae5", "#5ab4ac", "#01665e")
AWAITED_FILL = "#e4e7eb"


@dataclass(frozen=True)
class MapTile:
    slug: str
    name: str
    points: str
    x: str
    y: str
    lines: tuple[str, ...]
    fill: str
    value: str            # the few characters under the name: 'Lab', '8.4%', '+12.1'
    label: str            # what a screen reader hears: the visible words first
    said: str             # the same without the figure, for a map too large for words on its tiles
    striped: bool = False  # a gain, on the winner view


@dataclass(frozen=True)
class LegendEntry:
    fill: str
    text: str
    striped: bool = False


@dataclass(frozen=True)
class MapRow:
    slug: str
    name: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class MapView:
    """One map page's context."""

    site: SiteInfo
    key: str
    title: str
    summary: str
    tiles: tuple[MapTile, ...]
    width: str
    height: str
    legend: tuple[LegendEntry, ...]
    columns: tuple[str, ...]
    numeric: tuple[bool, ...]             # which columns hold figures (aligned right)
    rows: tuple[MapRow, ...]
    views: tuple[tuple[str, str], ...]   # every view's key and title, for the links between them
    share: str
    labels: bool = True                  # tiles big enough for words


def map_path(key: str) -> str:
    return f"maps/{key}/index.html"


def _bin(value: Decimal, edges: tuple[int, ...]) -> int:
    return sum(value >= edge for edge in edges)


def _range_text(edges: tuple[int, ...], unit: str, signed: bool = False) -> tuple[str, ...]:
    show = (lambda e: format_signed(Decimal(e))) if signed else str
    texts = [f"under {show(edges[0])}{unit}"]
    texts += [f"{show(a)} to {show(b)}{unit}" for a, b in zip(edges, edges[1:])]
    return (*texts, f"{show(edges[-1])}{unit} or more")


def _share_parties(seats: tuple[SeatResult, ...], parties: "Parties") -> list[str]:
    """Return the parties whose change in share has a view: those standing, with a share last
    time, in at least half the declared seats, by votes."""
    declared = [s for s in seats if s.is_declared]
    counts: dict[str, int] = {}
    votes: dict[str, int] = {}
    for seat in declared:
        for c in seat.candidates:
            if not c.is_independent and c.change is not None:
                counts[c.party] = counts.get(c.party, 0) + 1
                votes[c.party] = votes.get(c.party, 0) + (c.votes or 0)
    return sorted((p for p, n in counts.items() if 2 * n >= len(declared) and not parties[p].is_speaker),
                  key=lambda p: (-votes[p], p))


def view_titles(site: SiteInfo, parties: "Parties", seats: tuple[SeatResult, ...]) -> tuple[tuple[str, str], ...]:
    """Return each map view's key and title, in the order pages list them."""
    change = _share_parties(seats, parties) if any(s.is_declared for s in seats) else []
    return (("winner", "Winner"), ("previous", f"{site.previous_election} winner"), ("majority", "Majority"),
            ("turnout", "Turnout"), *((f"change-{p}", f"Change in {parties[p].short} share") for p in change),
            ("swing", "Swing"))


def map_views(site: SiteInfo, parties: "Parties", night: Night, hexes: Optional[HexMap], share: str
              ) -> dict[str, MapView]:
    """Return every map page's context by output path (none without a tile map)."""
    if hexes is None:
        return {}
    seats = tuple(t.seat for t in hexes.tiles)
    declared = [s for s in seats if s.is_declared]
    views = view_titles(site, parties, seats)
    change_parties = [key[len("change-"):] for key, _ in views if key.startswith("change-")]
    titles = dict(views)

    def tiles(fill_value: Callable[[SeatResult], tuple[str, str, str, bool]]) -> tuple[MapTile, ...]:
        made = []
        for tile in hexes.tiles:
            fill, value, said, striped = fill_value(tile.seat)
            name = tile.seat.seat.facts.name
            shown = " ".join(tile.lines)  # the name as the tile shows it; cut short, it is said whole after
            whole = "" if shown == name else f" ({name})"
            made.append(MapTile(tile.seat.seat.slug, name, tile.points, tile.x, tile.y, tile.lines, fill, value,
                                f"{shown} {value}: {said}{whole}" if value else f"{shown}: {said}{whole}",
                                f"{name}: {said}", striped))
        return tuple(made)

    def waiting(seat: SeatResult) -> tuple[str, str, str, bool]:
        return (AWAITED_FILL, "Recount" if seat.status == "recount" else "Awaited",
                "recount under way" if seat.status == "recount" else "result awaited", False)

    out: dict[str, MapView] = {}

    def add(key: str, summary: str, made: tuple[MapTile, ...], legend: list[LegendEntry], columns: tuple[str, ...],
            rows: list[MapRow], numeric: tuple[bool, ...] = ()) -> None:
        if any(not s.is_declared for s in seats) and key != "previous":
            legend.append(LegendEntry(AWAITED_FILL, "not declared yet"))
        out[map_path(key)] = MapView(site, key, titles[key], summary, made, hexes.width, hexes.height,
                                     tuple(legend), columns, numeric or (False,) + (True,) * (len(columns) - 1),
                                     tuple(rows), tuple(views), share, len(made) <= MAX_LABELLED_TILES)

    by_name = sorted(seats, key=lambda s: s.seat.facts.name)

    # the winner, gains striped
    def winner(seat: SeatResult) -> tuple[str, str, str, bool]:
        if not seat.is_declared:
            return waiting(seat)
        p = parties[seat.winner.party]
        said = (f"{p.name} gain from {parties[seat.seat.facts.previous.winner].name}" if seat.is_gain
                else f"{p.name} hold")
        return p.colour, p.short, said, seat.is_gain
    def short_result(seat: SeatResult) -> str:  # the table's narrow column: 'Lab gain from Con'
        p = parties[seat.winner.party].short
        return f"{p} gain from {parties[seat.seat.facts.previous.winner].short}" if seat.is_gain else f"{p} hold"
    won: dict[str, int] = {}
    for seat in declared:
        won[seat.winner.party] = won.get(seat.winner.party, 0) + 1
    gains = [s for s in declared if s.is_gain]
    add("winner", (f"{len(gains)} of {len(declared)} declared {'seat' if len(declared) == 1 else 'seats'} changed "
                   "hands (striped)." if declared else "No results declared yet."),
        tiles(winner),
        [LegendEntry(parties[p].colour, f"{parties[p].name} {n}") for p, n in sorted(won.items(), key=lambda i: (-i[1], i[0]))]
        + ([LegendEntry("#6b7280", "gain: changed hands", True)] if gains else []),
        ("Seat", "Winner", "Result"),
        [MapRow(s.seat.slug, s.seat.facts.name, (s.winner.name, short_result(s)) if s.is_declared else
                ("–", waiting(s)[2])) for s in by_name], (False, False, False))

    # the previous winner (notional)
    def previous(seat: SeatResult) -> tuple[str, str, str, bool]:
        p = parties[seat.seat.facts.previous.winner]
        return p.colour, p.short, f"{p.name} in {site.previous_election}", False
    before: dict[str, int] = {}
    for seat in seats:
        before[seat.seat.facts.previous.winner] = before.get(seat.seat.facts.previous.winner, 0) + 1
    add("previous", f"Who would have won each seat in {site.previous_election}, on these boundaries (notional): "
        + ", ".join(f"{parties[p].name} {n}" for p, n in sorted(before.items(), key=lambda i: (-i[1], i[0]))) + ".",
        tiles(previous),
        [LegendEntry(parties[p].colour, f"{parties[p].name} {n}") for p, n in sorted(before.items(), key=lambda i: (-i[1], i[0]))],
        ("Seat", f"{site.previous_election} winner", "Majority"),
        [MapRow(s.seat.slug, s.seat.facts.name, (parties[s.seat.facts.previous.winner].short,
                f"{format_number(s.previous_majority)} ({format_pct(s.previous_majority_pct)})"
                if s.previous_majority is not None else "–")) for s in by_name], (False, False, True))

    # majority, in bands of its share of the valid vote
    edges = (5, 10, 20, 30)

    def majority(seat: SeatResult) -> tuple[str, str, str, bool]:
        if not seat.is_declared:
            return waiting(seat)
        pct = seat.majority_pct
        return (SEQUENTIAL[_bin(pct, edges)], format_pct(pct),
                f"majority {format_number(seat.majority)}, {format_pct(pct)} of the valid vote", False)
    ordered = sorted(declared, key=lambda s: (s.majority_share, s.seat.facts.name))
    add("majority", (f"Closest: {ordered[0].seat.facts.name}, {format_number(ordered[0].majority)} votes "
                     f"({format_pct(ordered[0].majority_pct)}); largest: {ordered[-1].seat.facts.name}, "
                     f"{format_number(ordered[-1].majority)} ({format_pct(ordered[-1].majority_pct)})."
                     if ordered else "No results declared yet."),
        tiles(majority), [LegendEntry(f, t) for f, t in zip(SEQUENTIAL, _range_text(edges, "%"))],
        ("Seat", "Winner", "Majority (share of the vote)"),
        [MapRow(s.seat.slug, s.seat.facts.name, (parties[s.winner.party].short,
                                                 f"{format_number(s.majority)} ({format_pct(s.majority_pct)})"))
         for s in ordered], (False, False, True))

    # turnout
    edges = (55, 60, 65, 70)

    def turnout(seat: SeatResult) -> tuple[str, str, str, bool]:
        if not seat.is_declared:
            return waiting(seat)
        return SEQUENTIAL[_bin(seat.turnout_pct, edges)], format_pct(seat.turnout_pct), "turnout", False
    ordered = sorted(declared, key=lambda s: (-s.turnout, s.seat.facts.name))
    add("turnout", (f"Highest: {ordered[0].seat.facts.name}, {format_pct(ordered[0].turnout_pct)}; lowest: "
                    f"{ordered[-1].seat.facts.name}, {format_pct(ordered[-1].turnout_pct)}. Turnout is every "
                    "ballot paper counted over the electorate." if ordered else "No results declared yet."),
        tiles(turnout), [LegendEntry(f, t) for f, t in zip(SEQUENTIAL, _range_text(edges, "%"))],
        ("Seat", "Turnout"),
        [MapRow(s.seat.slug, s.seat.facts.name, (format_pct(s.turnout_pct),)) for s in ordered])

    # change in one party's share, in points
    edges = (-20, -10, 0, 10, 20)
    for party in change_parties:
        name = parties[party].name

        def candidate(seat: SeatResult, party: str = party):
            return next((c for c in seat.candidates if c.party == party and not c.is_independent), None)

        def change(seat: SeatResult, party: str = party, name: str = name) -> tuple[str, str, str, bool]:
            if not seat.is_declared:
                return waiting(seat)
            c = candidate(seat)
            if c is None:
                return AWAITED_FILL, "–", f"no {name} candidate", False
            if c.change is None:
                return AWAITED_FILL, "new", f"{name} had no votes here last time", False
            points = round_pct(c.change)
            return (DIVERGING[_bin(Decimal(c.change.numerator) / c.change.denominator, edges)],
                    format_signed(points), f"{name} share {format_signed(points)} points", False)
        compared = sorted((s for s in declared if candidate(s) is not None and candidate(s).change is not None),
                          key=lambda s: (-candidate(s).change, s.seat.facts.name))
        new = sorted((s for s in declared if candidate(s) is not None and candidate(s).change is None),
                     key=lambda s: s.seat.facts.name)
        rose = sum(candidate(s).change > 0 for s in compared)
        summary = (f"{name}’s share rose in {rose} of {len(compared)} seats compared; most in "
                   f"{compared[0].seat.facts.name} ({format_signed(round_pct(candidate(compared[0]).change))}), least in "
                   f"{compared[-1].seat.facts.name} ({format_signed(round_pct(candidate(compared[-1]).change))} points)."
                   if compared else "No results declared yet.") + (
                   f" New there in {len(new)}." if new else "")
        add(f"change-{party}", summary, tiles(change),
            [LegendEntry(f, t) for f, t in zip(DIVERGING, _range_text(edges, " points", signed=True))],
            ("Seat", "Share", "Change (points)"),
            [MapRow(s.seat.slug, s.seat.facts.name, (format_pct(candidate(s).share_pct),
                                                     format_signed(round_pct(candidate(s).change)))) for s in compared]
            + [MapRow(s.seat.slug, s.seat.facts.name, (format_pct(candidate(s).share_pct), "new")) for s in new])

    # swing between the two parties it names
    def swing(seat: SeatResult) -> tuple[str, str, str, bool]:
        if not seat.is_declared or seat.swing is None:
            return waiting(seat) if not seat.is_declared else (AWAITED_FILL, "–", "no swing to show", False)
        sw = seat.swing
        return (parties[sw.to_party].colour, f"{sw.points_pp}",
                f"{sw.points_pp} points from {parties[sw.from_party].name} to {parties[sw.to_party].name}", False)
    ordered = sorted((s for s in declared if s.swing is not None), key=lambda s: (-s.swing.points, s.seat.facts.name))
    towards: dict[str, int] = {}
    for seat in ordered:
        towards[seat.swing.to_party] = towards.get(seat.swing.to_party, 0) + 1
    add("swing", (f"Biggest: {ordered[0].seat.facts.name}, {swing(ordered[0])[2]}. Each tile is coloured by the "
                  "party the swing was towards; the figure is half the gap between the two parties’ changes in share."
                  if ordered else "No results declared yet."),
        tiles(swing), [LegendEntry(parties[p].colour, f"towards {parties[p].name} {n}")
                       for p, n in sorted(towards.items(), key=lambda i: (-i[1], i[0]))],
        ("Seat", "Swing (points)", "From", "To"),
        [MapRow(s.seat.slug, s.seat.facts.name, (f"{s.swing.points_pp}", parties[s.swing.from_party].short,
                                                 parties[s.swing.to_party].short)) for s in ordered],
        (False, True, False, False))
    return out


def render_map(r, page: str, context: MapView) -> str:
    """Return one map page."""
    return r.render("map.html", page, site=context.site, view=context, live="", live_every=None,
                    canonical=f"{context.site.base_url}maps/{context.key}/", share=context.share)
