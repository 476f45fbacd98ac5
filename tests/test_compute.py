"""Results arithmetic, with hand-checked figures."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from sitegen.results import (compute_results, compute_seat, compute_tally, compute_turnout,
                             has_lost_deposit, round_pct)
from sitegen.content.model import Constituency, ConstituencyFacts, Content, Party
from sitegen.content.fields import check

PARTIES = {
    "lab": Party(name="Labour", short="Lab", colour="#E4003B"),
    "con": Party(name="Conservative", short="Con", colour="#0087DC"),
    "ld": Party(name="Liberal Democrats", short="LD", colour="#FAA61A"),
    "reform": Party(name="Reform UK", short="Reform", colour="#12B6CF"),
}


def make_seat(votes: dict[str, int | None], winner: str = "con", previous: dict | None = None,
              previous_valid: int = 1000, electorate: int = 1000, rejected: int | None = None,
              lot: str | None = None, slug: str = "x") -> Constituency:
    """Return a constituency with one candidate per party, named after the party; `previous` gives
    notional votes out of `previous_valid`."""
    problems: list = []
    declared = all(v is not None for v in votes.values())
    facts = check(ConstituencyFacts, {
        "name": slug.title(), "electorate": electorate, "rejected": rejected,
        "winner_by_lot": lot, "valid_votes": sum(votes.values()) if declared else None,  # type: ignore[arg-type]
        "previous": {"winner": winner, "votes": dict(previous or {}), "valid_votes": previous_valid},
        "candidates": [{"name": f"{p.title()} Candidate", "party": p, "votes": v} for p, v in votes.items()],
    }, problems)
    assert not problems, problems
    return Constituency(slug, facts, f"{slug}.yml")


@pytest.mark.parametrize("value, expected", [
    (Fraction(125, 100), "1.3"),        # .x5 rounds up, not to even
    (Fraction(135, 100), "1.4"),
    (Fraction(-125, 100), "-1.3"),      # half away from zero for negatives
    (Fraction(1, 3), "0.3"),
    (Fraction(2, 3), "0.7"),
    (Fraction(9995, 100), "100.0"),     # carries into the next digit
    (Fraction(0), "0.0"),
    (Fraction(1249999, 1000000), "1.2"),
    (Fraction(-4, 100), "0.0"),         # a tiny fall shows as 0.0, not -0.0
    (Fraction(-5, 100), "-0.1"),
    (Fraction(123456789, 1000), "123456.8"),
])
def test_round_pct_rounds_half_up(value: Fraction, expected: str) -> None:
    assert round_pct(value) == Decimal(expected)
    assert str(round_pct(value)) == expected


@pytest.mark.parametrize("votes, valid, lost", [
    (1590, 42531, True),    # Amber Valley LD: 3.7%
    (2278, 42531, False),   # Amber Valley Green: 5.36%
    (50, 1000, False),      # exactly 5% keeps the deposit
    (49, 1000, True),
])
def test_lost_deposit_below_five_percent(votes: int, valid: int, lost: bool) -> None:
    assert has_lost_deposit(votes, valid) is lost


def test_turnout_counts_rejected_ballots() -> None:
    # Erewash 2024: 43,006 valid + 175 rejected of 71,501 = 60.39% (as the council published)
    assert round_pct(compute_turnout(43006, 175, 71501), 2) == Decimal("60.39")
    assert round_pct(compute_turnout(43006, None, 71501)) == Decimal("60.1")


# Amber Valley 2024, checked by hand: valid 42,531; majority 15,746 - 12,192 = 3,554 = 8.36%.
AMBER_VALLEY = dict(votes={"lab": 15746, "reform": 12192, "con": 10725, "ld": 1590},
                    winner="con", previous={"con": 29118, "lab": 12227, "ld": 2875, "green": 1389},
                    previous_valid=45609, electorate=71546, rejected=105)


def test_gain_figures_amber_valley_like() -> None:
    seat = compute_seat(make_seat(**AMBER_VALLEY), PARTIES)
    assert seat.valid_votes == 40253  # without the Green candidate's 2,278
    assert seat.majority == 3554
    assert seat.is_gain and seat.label == "Labour GAIN from Conservative"
    lab, reform, con, ld = seat.candidates
    assert (lab.name, lab.elected, lab.position) == ("Lab Candidate", True, 1)
    assert lab.share_pct == Decimal("39.1")       # 15746 / 40253 = 39.117%
    assert lab.change_pp == Decimal("12.3")       # 39.117 - 12227 / 45609 (26.808) = 12.309
    assert reform.change_pp is None and reform.is_new
    assert con.change_pp == Decimal("-37.2")      # 26.644 - 29118 / 45609 (63.843) = -37.199
    assert ld.lost_deposit and not con.lost_deposit


def test_hold_and_swing_between_winner_and_runner_up() -> None:
    seat = compute_seat(make_seat({"lab": 600, "con": 300, "ld": 100}, winner="lab",
                                  previous={"lab": 500, "con": 400, "ld": 100}), PARTIES)
    assert seat.label == "Labour HOLD" and not seat.is_gain
    # Lab 60% (+10), Con 30% (-10): swing Con to Lab = (10 - -10) / 2 = 10
    assert (seat.swing.from_party, seat.swing.to_party, seat.swing.points_pp) == ("con", "lab", Decimal("10.0"))
    assert seat.majority == 300 and seat.majority_pct == Decimal("30.0")


def test_swing_runs_towards_the_party_that_gained_ground() -> None:
    seat = compute_seat(make_seat({"lab": 450, "reform": 400, "con": 150}, winner="lab",
                                  previous={"lab": 600, "reform": 50, "con": 350}), PARTIES)
    # Lab 45% (-15), Reform 40% (+35): swing Lab to Reform = 25
    assert (seat.swing.from_party, seat.swing.to_party, seat.swing.points_pp) == ("lab", "reform", Decimal("25.0"))


def test_no_swing_when_a_party_is_new() -> None:
    seat = compute_seat(make_seat({"reform": 500, "con": 400}, winner="con", previous={"con": 700}), PARTIES)
    assert seat.label == "Reform UK GAIN from Conservative"
    assert seat.swing is None


def test_tie_is_broken_by_the_lot_winner() -> None:
    seat = compute_seat(make_seat({"con": 500, "lab": 500, "ld": 10}, winner="con",
                                  previous={"con": 500, "lab": 400}, lot="Lab Candidate"), PARTIES)
    assert seat.winner.name == "Lab Candidate" and seat.majority == 0
    assert seat.label == "Labour GAIN from Conservative"


def test_awaited_seat_has_no_figures_and_lists_by_surname() -> None:
    facts = {"lab": None, "con": None}
    seat = compute_seat(make_seat(facts, winner="con", previous={"con": 600}), PARTIES)
    assert not seat.is_declared and seat.status == "awaited" and seat.label == "Result awaited"
    assert seat.valid_votes is None and seat.turnout_pct is None and seat.swing is None
    assert [c.name for c in seat.candidates] == ["Con Candidate", "Lab Candidate"]
    assert all(c.share is None and not c.is_new for c in seat.candidates)


def test_tally_counts_before_after_gains_and_holds() -> None:
    seats = [compute_seat(make_seat({"lab": 2, "con": 1}, winner="con", previous={"con": 600}, slug="a"), PARTIES),
             compute_seat(make_seat({"lab": 2, "con": 1}, winner="lab", previous={"lab": 600}, slug="b"), PARTIES),
             compute_seat(make_seat({"lab": None, "con": None}, winner="con", previous={"con": 600}, slug="c"), PARTIES)]
    lab, con = compute_tally(seats)
    assert (lab.party, lab.before, lab.after, lab.change, lab.gains, lab.holds) == ("lab", 1, 2, 1, 1, 1)
    # seat c, still awaited, is neither lost nor held yet: the change counts the declared seats only
    assert (con.party, con.before, con.after, con.change, con.losses) == ("con", 2, 0, -1, 1)


def test_results_count_declared_seats_and_find_the_leader() -> None:
    site = Content(info=None, parties=PARTIES, constituencies=(  # type: ignore[arg-type]
        make_seat({"lab": 2, "con": 1}, slug="a"), make_seat({"lab": None, "con": None}, slug="b")))
    results = compute_results(site)
    assert results.night.declared == 1 and results.night.leader.party == "lab"
    assert results.seat("b").status == "awaited"
