"""Chart geometry for inline SVG: pure functions from computed results to positions in %.

Bars are sized in percentages of the chart's width so text stays at CSS size on any screen.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .compute import CandidateResult, Results, SeatResult, round_pct

# The longest bar takes this % of the width, leaving room for its value label.
BAR_SPACE_PCT = 78


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: a candidate's share, sized against the largest share."""

    candidate: CandidateResult
    width_pct: Decimal


@dataclass(frozen=True)
class Segment:
    """One party's part of a stacked seats bar."""

    party: str
    seats: int
    x_pct: Decimal
    width_pct: Decimal


@dataclass(frozen=True)
class StackedBar:
    """Seats per party before or after the election, as one bar."""

    label: str
    segments: tuple[Segment, ...]


def share_bars(seat: SeatResult) -> tuple[Bar, ...]:
    """Return one bar per candidate in result order (empty while the result is awaited)."""
    if not seat.is_declared:
        return ()
    top = max(c.share or Fraction(0) for c in seat.candidates) or Fraction(1)
    return tuple(Bar(c, round_pct((c.share or 0) / top * BAR_SPACE_PCT, 2)) for c in seat.candidates)


def _segments(counts: list[tuple[str, int]], total: int) -> tuple[Segment, ...]:
    segments, start = [], 0
    for party, seats in counts:
        if seats:
            segments.append(Segment(party, seats, round_pct(Fraction(100 * start, total), 2),
                                    round_pct(Fraction(100 * seats, total), 2)))
            start += seats
    return tuple(segments)


def seat_bars(results: Results, before_label: str, after_label: str) -> tuple[StackedBar, ...]:
    """Return the before and after bars of the seat tally, parties in tally order."""
    total = len(results.seats) or 1
    before = _segments([(t.party, t.before) for t in results.tally], total)
    after = _segments([(t.party, t.after) for t in results.tally], total)
    return (StackedBar(before_label, before), StackedBar(after_label, after))
