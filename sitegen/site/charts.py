"""Chart geometry for inline SVG: pure functions from computed results to positions in %.

Bars are sized in percentages of the chart's width so text stays at CSS size on any screen.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Optional

from sitegen.results import CandidateResult, County, SeatResult, TallyRow, round_pct, round_ratio

# The longest bar takes this % of the width, leaving room for its value label.
BAR_SPACE_PCT = 78


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: a candidate's share, sized against the largest share, `y` px down the chart."""

    candidate: CandidateResult
    width_pct: Decimal
    y: int = 0

    @property
    def label_y(self) -> int:
        """Return the baseline of the candidate's name, above the bar."""
        return self.y + 14

    @property
    def rect_y(self) -> int:
        return self.y + 20

    @property
    def value_y(self) -> int:
        """Return the baseline of the share, beside the bar."""
        return self.y + 33


SHARE_ROW = 44  # px each candidate takes in the share chart (label, then bar)
SEATS_ROW = 42  # px each of the before and after bars takes


@dataclass(frozen=True)
class Segment:
    """One party's part of a stacked seats bar."""

    party: str
    seats: int
    x_pct: Decimal
    width_pct: Decimal


@dataclass(frozen=True)
class StackedBar:
    """Seats per party before or after the election, as one bar, `y` px down the chart."""

    label: str
    segments: tuple[Segment, ...]
    y: int = 0

    @property
    def label_y(self) -> int:
        return self.y + 13

    @property
    def rect_y(self) -> int:
        return self.y + 18


def share_bars(seat: SeatResult) -> tuple[Bar, ...]:
    """Return one bar per candidate in result order (empty while the result is awaited)."""
    if not seat.is_declared:
        return ()
    top = max(c.votes or 0 for c in seat.candidates) or 1  # shares are votes over the same total
    return tuple(Bar(c, round_ratio((c.votes or 0) * BAR_SPACE_PCT, top, 2), i * SHARE_ROW)
                 for i, c in enumerate(seat.candidates))


def chart_height(bars: tuple, row: int = SHARE_ROW) -> int:
    """Return the height (px) of a chart of `bars`, `row` px each."""
    return len(bars) * row


def _segments(counts: list[tuple[str, int]], total: int) -> tuple[Segment, ...]:
    segments, start = [], 0
    for party, seats in counts:
        if seats:
            segments.append(Segment(party, seats, round_pct(Fraction(100 * start, total), 2),
                                    round_pct(Fraction(100 * seats, total), 2)))
            start += seats
    return tuple(segments)


def seat_bars(tally: tuple[TallyRow, ...], seats: int, before_label: str, after_label: str) -> tuple[StackedBar, ...]:
    """Return the before and after bars of the seat tally, parties in tally order."""
    total = seats or 1
    before = _segments([(t.party, t.before) for t in tally], total)
    after = _segments([(t.party, t.after) for t in tally], total)
    return (StackedBar(before_label, before, 0), StackedBar(after_label, after, SEATS_ROW))


# Pointy-topped hexes: the radius is centre to corner; a tile is sqrt(3) radii wide.
HEX_RADIUS = 50
SQRT3 = 1.7320508075688772
# One tile, drawn once per map (<use href="#hex" x y>): a pointy-top hexagon around (0, 0)
HEX_PATH = "M0,-50L43.3,-25L43.3,25L0,50L-43.3,25L-43.3,-25Z"
MAX_LABELLED_TILES = 40  # beyond this a tile is too small for its name on a phone; it is named for screen readers


@dataclass(frozen=True)
class Tile:
    """One constituency on the hex map."""

    seat: SeatResult
    points: str            # the hexagon's corners for <polygon points>
    x: str                 # centre, for labels
    y: str
    lines: tuple[str, ...]  # the name broken over lines that fit a tile


@dataclass(frozen=True)
class HexMap:
    """Every tile and the size of the drawing."""

    tiles: tuple[Tile, ...]
    width: str
    height: str


def _num(value: float) -> str:
    return f"{value:.2f}"


def split_label(name: str, width: int = 10, longest: int = 13) -> tuple[str, ...]:
    """Return `name` broken into lines of about `width` characters at spaces; a word longer than a
    tile can hold (a 58-letter Welsh name) is cut to its first letters and an ellipsis (the tile's
    accessible name gives it whole)."""
    if any(len(word) > longest for word in name.split()):
        return (name.split()[0][:longest - 3] + "…",)
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines)


def hex_map(seats: tuple[SeatResult, ...]) -> HexMap | None:
    """Return the area's tile map (HexJSON odd-r: rows count upwards, odd rows shift right).

    None when no seat has a tile position.
    """
    placed = [s for s in seats if s.seat.facts.hex is not None]
    if not placed:
        return None
    layout = tuple((s.seat.facts.hex.q, s.seat.facts.hex.r, s.seat.facts.name) for s in placed)  # type: ignore[union-attr]
    shapes, width, height = tile_shapes(layout)
    tiles = tuple(Tile(seat, *shape) for seat, shape in zip(placed, shapes))
    return HexMap(tiles, width, height)


@lru_cache(maxsize=8)
def tile_shapes(layout: tuple[tuple[int, int, str], ...]) -> tuple[tuple, str, str]:
    """Return each tile's (points, x, y, label lines) and the drawing's width and height.

    Depends only on the positions and names, so it is worked out once per layout.
    """
    qs, rs = [q for q, _, _ in layout], [r for _, r, _ in layout]
    r_top, q_min = max(rs), min(qs)
    w, radius = SQRT3 * HEX_RADIUS, HEX_RADIUS
    corners = [(0, -radius), (w / 2, -radius / 2), (w / 2, radius / 2), (0, radius),
               (-w / 2, radius / 2), (-w / 2, -radius / 2)]
    shapes = []
    for q, r, name in layout:
        cx = w * (q - q_min) + w / 2 + (w / 2 if r % 2 else 0)
        cy = 1.5 * radius * (r_top - r) + radius
        points = " ".join(f"{_num(cx + dx)},{_num(cy + dy)}" for dx, dy in corners)
        shapes.append((points, _num(cx), _num(cy), split_label(name)))
    width = w * (max(qs) - q_min + 1) + w / 2
    height = 1.5 * radius * (r_top - min(rs)) + 2 * radius
    return tuple(shapes), _num(width), _num(height)


@dataclass(frozen=True)
class ChangeBar:
    """One party's change in share, drawn either side of a centre line at CHANGE_CENTRE_PCT of its track."""

    candidate: CandidateResult
    x_pct: Decimal       # where the bar starts
    width_pct: Decimal


# Bars grow either side of the centre of their track (the label and the value have columns of
# their own); the largest change reaches CHANGE_HALF_PCT of the track from the centre.
CHANGE_CENTRE_PCT = 50
CHANGE_HALF_PCT = 48


def change_bars(seat: SeatResult) -> tuple[ChangeBar, ...]:
    """Return a diverging bar per candidate: right for a rise, left for a fall, none when new.

    Empty while the result is awaited, or when every party is new here (nothing to compare)."""
    if not seat.is_declared or all(c.change is None for c in seat.candidates):
        return ()
    top = max(abs(c.change) for c in seat.candidates if c.change is not None) or Fraction(1)
    # A change c is drawn c / top * CHANGE_HALF_PCT wide; in integers, size_n / size_d.
    scale_n, scale_d = top.denominator * CHANGE_HALF_PCT, top.numerator
    centre = round_ratio(CHANGE_CENTRE_PCT, 1, 2)
    bars = []
    for c in seat.candidates:
        change = c.change or Fraction(0)
        size_n, size_d = abs(change.numerator) * scale_n, change.denominator * scale_d
        width = round_ratio(size_n, size_d, 2)
        if change < 0:
            bars.append(ChangeBar(c, round_ratio(CHANGE_CENTRE_PCT * size_d - size_n, size_d, 2), width))
        else:
            bars.append(ChangeBar(c, centre, width))
    return tuple(bars)


@dataclass(frozen=True)
class PartyBar:
    """One party's share of the area's votes (or the small parties' together, `party` None),
    sized against the largest (which fills its track)."""

    party: Optional[str]
    votes: int
    share_pct: Decimal
    width_pct: Decimal
    parties: int = 1        # how many parties the bar stands for (independents not counted)
    independents: bool = False  # the Others bar includes independents

    @property
    def others(self) -> str:
        """Return who an Others bar stands for: '4 other parties and independents'."""
        parts = [f"{self.parties} other {'party' if self.parties == 1 else 'parties'}"] if self.parties else []
        return " and ".join(parts + (["independents"] if self.independents else []))


# The area's vote-share chart shows each party with at least this share, at most MOST_BARS of
# them; the rest are one "Others" bar (the table under it lists every party).
OTHERS_BELOW_PCT = 1
MOST_BARS = 8


def county_bars(county: County) -> tuple[PartyBar, ...]:
    """Return one bar per party over the declared seats, most votes first, the long tail of small
    parties as one 'Others' bar (empty before any declaration)."""
    top = county.parties[0].votes if county.parties else 0
    if not top:
        return ()
    shown = [t for i, t in enumerate(county.parties) if i < MOST_BARS and t.share >= OTHERS_BELOW_PCT]
    rest = county.parties[len(shown):]
    if len(rest) == 1:  # one party alone is shown as itself
        shown, rest = list(county.parties), ()
    bars = [PartyBar(t.party, t.votes, t.share_pct, round_ratio(t.votes * 100, top, 2)) for t in shown]
    if rest:
        votes = sum(t.votes for t in rest)
        share = sum((t.share for t in rest), Fraction(0))
        independents = sum(1 for t in rest if t.is_independent)
        bars.append(PartyBar(None, votes, round_pct(share), round_ratio(votes * 100, top, 2),
                             len(rest) - independents, bool(independents)))
    return tuple(bars)
