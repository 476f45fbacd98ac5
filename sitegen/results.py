"""Pure results arithmetic: shares, change, majority, turnout, swing, labels, the seat tally and
the county's figures.

No I/O, no clock, no globals. Every figure is computed exactly with Fractions; rounding happens
once, in `round_pct`, and unrounded values feed every later sum.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Optional

from sitegen.config import DEPOSIT_THRESHOLD_PCT
from sitegen.buildcache import Memo
from sitegen.content.model import Candidate, Constituency, Content, Party


class cached_property:  # noqa: N801 (named after the functools original it stands in for)
    """functools.cached_property without the lock Python 3.11 takes on every first access (3.12
    dropped it too): figures are worked out once per object, in one thread."""

    def __init__(self, func: Callable[[Any], Any]):
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: Optional[type] = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


def round_pct(value: Fraction, places: int = 1) -> Decimal:
    """Return `value` rounded half up (away from zero at .x5) to `places` decimals, exactly."""
    return round_ratio(value.numerator, value.denominator, places)


def round_ratio(numerator: int, denominator: int, places: int = 1) -> Decimal:
    """Return numerator / denominator (denominator > 0) rounded half up to `places` decimals.

    In integers: |n/d| * 10^places + 1/2, floored, is (2 * |n| * 10^places + d) // (2 * d).
    """
    rounded = (2 * abs(numerator) * 10 ** places + denominator) // (2 * denominator)
    # -0.04 rounds to 0.0, never to -0.0; scaleb(-places) keeps the trailing zeros (37.0)
    return Decimal(-rounded if numerator < 0 else rounded).scaleb(-places)


def pct(part: int, whole: int) -> Fraction:
    """Return part / whole as an exact percentage (0 when whole is 0)."""
    return Fraction(100 * part, whole) if whole else Fraction(0)


@dataclass(frozen=True)
class CandidateResult:
    """One candidate's figures. Shares and changes are exact; *_pct/_pp fields are rounded."""

    name: str
    party: str
    description: Optional[str]
    votes: Optional[int]
    share: Optional[Fraction]            # exact % of valid votes
    change: Optional[Fraction]           # exact percentage-point change vs previous share
    elected: bool = False
    lost_deposit: bool = False
    position: Optional[int] = None       # 1 = winner
    previous_votes: Optional[int] = None  # the party's (an independent's own) notional votes here last time
    is_independent: bool = False         # standing as an independent: compared only with themselves
    person_id: Optional[str] = None
    entry: int = 0                       # where the candidate is listed in the seat's file (0 = first)

    @cached_property
    def share_pct(self) -> Optional[Decimal]:
        """Return the share rounded to 1 dp."""
        return None if self.share is None else round_pct(self.share)

    @cached_property
    def shown_share_pct(self) -> Optional[Decimal]:
        """Return the share as pages and cards show it: to 1 dp, or with as many more places as it
        takes for a lost deposit not to read 5.0% (4.966 is 4.97, not 5.0)."""
        if self.share is None:
            return None
        places = 1
        while self.lost_deposit and round_pct(self.share, places) >= 5 and places < 6:
            places += 1
        return round_pct(self.share, places)

    @cached_property
    def change_pp(self) -> Optional[Decimal]:
        """Return the change rounded to 1 dp (None when the party is new or the seat awaited)."""
        return None if self.change is None else round_pct(self.change)

    @property
    def is_new(self) -> bool:
        """Return True when the party had no previous share here (CONTENT.md: shown as 'new').
        An independent is never 'new': with no share of their own last time, there is no change."""
        return self.share is not None and self.change is None and not self.is_independent


@dataclass(frozen=True)
class Swing:
    """Butler swing between two parties: half the difference of their changes, positive."""

    from_party: str
    to_party: str
    points: Fraction

    @cached_property
    def points_pp(self) -> Decimal:
        """Return the swing rounded to 1 dp."""
        return round_pct(self.points)


# What a seat without a result shows in place of "Labour GAIN from Conservative".
STATUS_LABELS = {"awaited": "Result awaited", "recount": "Recount under way"}


@dataclass(frozen=True)
class SeatResult:
    """A constituency with every computed figure. Figures are None while the result is awaited."""

    seat: Constituency
    candidates: tuple[CandidateResult, ...]   # by votes when declared, by surname when awaited
    valid_votes: Optional[int] = None
    turnout: Optional[Fraction] = None
    majority: Optional[int] = None
    majority_share: Optional[Fraction] = None
    winner: Optional[CandidateResult] = None
    is_gain: bool = False
    label: str = "Result awaited"
    swing: Optional[Swing] = None
    parties: Optional[dict] = field(default=None, compare=False, repr=False)  # what the labels used
    previous_shares: dict[str, Fraction] = field(default_factory=dict)  # exact notional % by party

    @property
    def is_declared(self) -> bool:
        """Return True when the result has been declared."""
        return self.winner is not None

    @cached_property
    def previous_majority(self) -> Optional[int]:
        """Return last time's notional majority: the first party's (or named independent's) notional
        votes minus the second's; None with fewer than two."""
        previous = self.seat.facts.previous
        votes = sorted([*previous.votes.values(), *previous.independents.values()], reverse=True)
        return votes[0] - votes[1] if len(votes) > 1 else None

    @cached_property
    def previous_majority_pct(self) -> Optional[Decimal]:
        """Return that majority as a % of last time's notional valid votes, 1 dp."""
        majority = self.previous_majority
        return None if majority is None else round_pct(pct(majority, self.seat.facts.previous.valid_votes))

    @property
    def status(self) -> str:
        """Return 'declared', 'recount' (a count under way again) or 'awaited'."""
        return self.seat.status

    @property
    def any_lost_deposit(self) -> bool:
        """Return True when a candidate here lost their deposit."""
        return any(c.lost_deposit for c in self.candidates)

    @cached_property
    def turnout_pct(self) -> Optional[Decimal]:
        """Return turnout rounded to 1 dp."""
        return None if self.turnout is None else round_pct(self.turnout)

    @cached_property
    def valid_turnout_pct(self) -> Optional[Decimal]:
        """Return the Commons Library's turnout, valid votes only over the electorate, to 1 dp."""
        electorate = self.seat.facts.electorate
        if not self.is_declared or not electorate or self.valid_votes is None:
            return None
        return round_pct(pct(self.valid_votes, electorate))

    @cached_property
    def majority_pct(self) -> Optional[Decimal]:
        """Return the majority as a % of valid votes, rounded to 1 dp."""
        return None if self.majority_share is None else round_pct(self.majority_share)

    # Sort keys for the county's rankings (declared seats only), made once per seat result. A float
    # orders as its exact value does, except that two close values may round to the same float; the
    # exact value after it settles those, so the order stays exact while most comparisons are cheap.
    @cached_property
    def closeness_key(self) -> tuple:
        """Return the key that orders seats from the smallest majority share, then by name."""
        return float(self.majority_share), self.majority_share, self.seat.facts.name  # type: ignore[arg-type]

    @cached_property
    def turnout_key(self) -> tuple:
        """Return the key that orders seats from the highest turnout, then by name."""
        return -float(self.turnout), -self.turnout, self.seat.facts.name  # type: ignore[arg-type,operator]


@dataclass(frozen=True)
class TallyRow:
    """Seats one party held before and won now."""

    party: str
    before: int       # seats held before, of all seats (declared or not)
    after: int        # seats won, of the declared seats
    gains: int = 0    # seats won that another party held before
    losses: int = 0   # declared seats held before that another party won

    @property
    def holds(self) -> int:
        """Return seats won that the party held before."""
        return self.after - self.gains

    @property
    def change(self) -> int:
        """Return the net change over the declared seats: gains minus losses. Once every seat has
        declared this is seats won minus seats held before; until then a seat still to declare
        counts as neither."""
        return self.gains - self.losses


@dataclass(frozen=True)
class PartyTotal:
    """One party's votes summed over the declared seats, and the same seats' notional votes."""

    party: str
    votes: int
    share: Fraction                    # exact % of the valid votes in those seats
    previous_votes: Optional[int]      # None when the party had no notional votes in those seats
    previous_share: Optional[Fraction]
    seats_contested: int
    is_independent: bool = False       # independents summed: different people, so no change

    @property
    def change(self) -> Optional[Fraction]:
        """Return the exact percentage-point change in share (None when new)."""
        return None if self.previous_share is None else self.share - self.previous_share

    @cached_property
    def share_pct(self) -> Decimal:
        """Return the share rounded to 1 dp."""
        return round_pct(self.share)

    @cached_property
    def previous_share_pct(self) -> Optional[Decimal]:
        """Return the previous share rounded to 1 dp."""
        return None if self.previous_share is None else round_pct(self.previous_share)

    @cached_property
    def change_pp(self) -> Optional[Decimal]:
        """Return the change rounded to 1 dp."""
        change = self.change
        return None if change is None else round_pct(change)

    @property
    def is_new(self) -> bool:
        """Return True when the party had no notional votes in the seats summed."""
        return self.previous_share is None and not self.is_independent


@dataclass(frozen=True)
class County:
    """The area's figures, summed over the declared seats only (awaited seats are left out)."""

    seats: tuple[SeatResult, ...]       # the declared seats the sums cover, in name order
    valid_votes: int
    previous_valid_votes: int
    ballots: int                        # valid votes plus rejected ballots
    electorate: int
    parties: tuple[PartyTotal, ...]     # most votes first

    @cached_property
    def turnout(self) -> Fraction:
        """Return the turnout over the covered seats: ballots counted over their electorate."""
        return pct(self.ballots, self.electorate)

    @cached_property
    def turnout_pct(self) -> Decimal:
        """Return the turnout rounded to 1 dp."""
        return round_pct(self.turnout)

    @cached_property
    def valid_turnout_pct(self) -> Decimal:
        """Return the Commons Library's turnout (valid votes only over the electorate), to 1 dp."""
        return round_pct(pct(self.valid_votes, self.electorate))

    @cached_property
    def changed_hands(self) -> tuple[SeatResult, ...]:
        """Return the gains, in name order."""
        return tuple(s for s in self.seats if s.is_gain)

    @cached_property
    def by_majority(self) -> tuple[SeatResult, ...]:
        """Return the seats from the closest result (smallest majority as a % of the valid vote)."""
        return tuple(sorted(self.seats, key=lambda s: s.closeness_key))

    @cached_property
    def by_turnout(self) -> tuple[SeatResult, ...]:
        """Return the seats from the highest turnout to the lowest."""
        return tuple(sorted(self.seats, key=lambda s: s.turnout_key))

    @cached_property
    def ranks(self) -> dict[str, tuple[int, int]]:
        """Return each covered seat's place from the closest result and from the highest turnout
        (1 = closest, 1 = highest), by slug."""
        closest = {s.seat.slug: i for i, s in enumerate(self.by_majority, start=1)}
        return {s.seat.slug: (closest[s.seat.slug], i) for i, s in enumerate(self.by_turnout, start=1)}


def compute_county(seats: tuple[SeatResult, ...], parties: dict[str, Party]) -> County:
    """Return the county's figures from the declared seats: vote share by party from summed votes
    (never averaged shares), change against the same seats' summed notional votes, and turnout.
    Independents are summed as one row but never compared: they are different people."""
    declared = tuple(s for s in seats if s.is_declared)
    votes: Counter = Counter()
    previous: Counter = Counter()
    contested: Counter = Counter()
    for s in declared:
        for c in s.candidates:
            votes[c.party] += c.votes or 0
            contested[c.party] += 1
        previous.update(s.seat.facts.previous.votes)
    valid = sum(s.valid_votes or 0 for s in declared)
    previous_valid = sum(s.seat.facts.previous.valid_votes for s in declared)

    def compared(p: str) -> bool:
        return p in previous and not (p in parties and parties[p].is_independent)
    totals = [PartyTotal(p, votes[p], pct(votes[p], valid),
                         previous[p] if compared(p) else None,
                         pct(previous[p], previous_valid) if compared(p) else None, contested[p],
                         p in parties and parties[p].is_independent)
              for p in votes]
    totals.sort(key=lambda t: (-t.votes, t.party))
    return County(declared, valid, previous_valid,
                  valid + sum(s.seat.facts.rejected or 0 for s in declared),
                  sum(s.seat.facts.electorate or 0 for s in declared), tuple(totals))


@dataclass(frozen=True)
class Night:
    """The seats as the night stands: how many declared, which wait, which are in a recount, who
    leads, which declared last."""

    seats: tuple[SeatResult, ...]
    tally: tuple[TallyRow, ...]

    @property
    def total(self) -> int:
        return len(self.seats)

    @cached_property
    def declared(self) -> int:
        return sum(1 for s in self.seats if s.is_declared)

    @property
    def waiting(self) -> int:
        """Return how many seats are still to declare (recounts included)."""
        return self.total - self.declared

    @property
    def complete(self) -> bool:
        return self.declared == self.total

    @cached_property
    def recounts(self) -> tuple[SeatResult, ...]:
        """Return the seats where a count is under way again, in name order."""
        return tuple(s for s in self.seats if s.status == "recount")

    @cached_property
    def awaited(self) -> tuple[SeatResult, ...]:
        """Return the seats still to declare (recounts included), in name order."""
        return tuple(s for s in self.seats if not s.is_declared)

    @property
    def awaited_only(self) -> int:
        """Return how many seats wait with no count under way again."""
        return self.waiting - len(self.recounts)

    @property
    def leader(self) -> Optional[TallyRow]:
        """Return the party with the most seats won so far (None before any declaration)."""
        return self.tally[0] if self.tally and self.tally[0].after else None

    @cached_property
    def latest(self) -> tuple[SeatResult, ...]:
        """Return declared seats whose declaration time is known, most recent first (seats declared
        at the same moment by name)."""
        timed = sorted((s for s in self.seats if s.is_declared and s.seat.facts.declared_at is not None),
                       key=lambda s: s.seat.facts.name)
        timed.sort(key=lambda s: s.seat.facts.declared_at, reverse=True)  # type: ignore[arg-type,return-value]
        return tuple(timed)


@dataclass(frozen=True)
class Results:
    """The whole site's computed results."""

    content: Content
    seats: tuple[SeatResult, ...]
    tally: tuple[TallyRow, ...]

    @cached_property
    def county(self) -> County:
        """Return the county's figures over the declared seats."""
        return compute_county(self.seats, self.content.parties)

    @cached_property
    def night(self) -> Night:
        """Return how far the night has got."""
        return Night(self.seats, self.tally)

    def seat(self, slug: str) -> SeatResult:
        """Return one seat's result by slug."""
        return next(s for s in self.seats if s.seat.slug == slug)


def compute_valid_votes(candidates: list[Candidate]) -> int:
    """Return the valid votes: the sum of every candidate's votes (validation has checked that it
    equals the declared `valid_votes`)."""
    return sum(c.votes or 0 for c in candidates)


def compute_previous_shares(seat: Constituency) -> dict[str, Fraction]:
    """Return each party's exact notional share last time: its notional votes over the notional
    total of valid votes (unnamed candidates included), unrounded (CONTENT.md v2)."""
    previous = seat.facts.previous
    return {pid: pct(votes, previous.valid_votes) for pid, votes in previous.votes.items()}


def same_person(name: str) -> str:
    """Return the form in which two spellings of one person's name compare equal."""
    return " ".join(name.casefold().split())


def previous_independent_votes(seat: Constituency, name: str) -> Optional[int]:
    """Return the notional votes this independent won here last time, if they stood (by name)."""
    wanted = same_person(name)
    return next((votes for who, votes in seat.facts.previous.independents.items() if same_person(who) == wanted),
                None)


def previous_independent_winner(seat: Constituency) -> Optional[str]:
    """Return the independent who topped the poll last time, when one did."""
    independents = seat.facts.previous.independents
    return max(independents, key=lambda who: (independents[who], who)) if independents else None


def compute_turnout(valid: int, rejected: Optional[int], electorate: Optional[int]) -> Optional[Fraction]:
    """Return turnout: ballot papers counted (valid + rejected) as a % of the electorate.

    This matches the turnout returning officers publish (e.g. Erewash 2024: 60.39%).
    """
    return pct(valid + (rejected or 0), electorate) if electorate else None


def has_lost_deposit(votes: int, valid: int) -> bool:
    """Return True when a candidate won under 5% of the valid votes (deposit forfeited)."""
    return votes * 100 < DEPOSIT_THRESHOLD_PCT * valid


def rank_candidates(seat: Constituency) -> list[tuple[int, Candidate]]:
    """Return candidates (with their place in the file) by votes, most first; a lot-drawn winner
    first among the tied; then by name, then as listed (two candidates may share a name)."""
    lot = seat.facts.winner_by_lot
    return sorted(enumerate(seat.facts.candidates), key=lambda ic: (-(ic[1].votes or 0), ic[1].name != lot, ic[1].name,
                                                                     ic[0]))


def sort_by_surname(candidates: list[Candidate]) -> list[tuple[int, Candidate]]:
    """Return candidates (with their place in the file) in ballot-paper order: by surname, then
    full name, then as listed."""
    return sorted(enumerate(candidates), key=lambda ic: (ic[1].name.split()[-1].casefold(), ic[1].name.casefold(),
                                                         ic[0]))


def _is_independent(party: str, parties: dict[str, Party]) -> bool:
    return party in parties and parties[party].is_independent


def compute_seat(seat: Constituency, parties: dict[str, Party]) -> SeatResult:
    """Return every figure for one constituency."""
    facts = seat.facts
    if not seat.is_declared():
        awaited = tuple(CandidateResult(c.name, c.party, c.description, None, None, None,
                                        is_independent=_is_independent(c.party, parties), person_id=c.person_id,
                                        entry=i)
                        for i, c in sort_by_surname(facts.candidates))
        return SeatResult(seat, awaited, parties=parties, previous_shares=compute_previous_shares(seat),
                          label=STATUS_LABELS[seat.status])
    valid = compute_valid_votes(facts.candidates)
    previous = compute_previous_shares(seat)
    ranked = []
    for position, (entry, cand) in enumerate(rank_candidates(seat), start=1):
        share = pct(cand.votes or 0, valid)
        independent = _is_independent(cand.party, parties)
        # An independent is compared only with their own votes last time (the Commons Library's
        # rule); a party with its share last time, the Brexit Party's counting as Reform UK's.
        before = previous_independent_votes(seat, cand.name) if independent else facts.previous.votes.get(cand.party)
        change = share - pct(before, facts.previous.valid_votes) if before is not None else None
        ranked.append(CandidateResult(cand.name, cand.party, cand.description, cand.votes, share,
                                      change, position == 1,
                                      has_lost_deposit(cand.votes or 0, valid), position,
                                      before, independent, cand.person_id, entry))
    winner = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else None
    majority = winner.votes - (runner_up.votes if runner_up else 0)
    gain = is_gain(seat, winner, parties)
    return SeatResult(
        seat=seat, candidates=tuple(ranked), valid_votes=valid,
        turnout=compute_turnout(valid, facts.rejected, facts.electorate),
        majority=majority, majority_share=pct(majority, valid), winner=winner, is_gain=gain,
        label=result_label(winner.party, facts.previous.winner, parties, gain),
        swing=compute_swing(ranked, facts.previous.winner, gain), parties=parties,
        previous_shares=previous,
    )


def is_gain(seat: Constituency, winner: CandidateResult, parties: dict[str, Party]) -> bool:
    """Return True when the seat changed hands: another party won it, or, where an independent won
    last time, anyone but that same person."""
    previous = seat.facts.previous.winner
    if winner.party != previous:
        return True
    if _is_independent(previous, parties):
        held_by = previous_independent_winner(seat)
        return held_by is None or same_person(held_by) != same_person(winner.name)
    return False


def result_label(winner: str, previous_winner: str, parties: dict[str, Party], gain: Optional[bool] = None) -> str:
    """Return 'Labour GAIN from Conservative' or 'Labour HOLD' ('Independent GAIN from Independent'
    when one independent unseats another)."""
    if not (winner != previous_winner if gain is None else gain):
        return f"{parties[winner].name} HOLD"
    return f"{parties[winner].name} GAIN from {parties[previous_winner].name}"


def compute_swing(ranked: list[CandidateResult], previous_winner: str, gain: bool) -> Optional[Swing]:
    """Return the swing between the winner and, on a gain, the previous winner, else the runner-up.

    Swing = (change of the gaining party - change of the other) / 2, reported as a positive number
    from the party that fell back to the party that gained. None when either party has no
    previous share (a new party) or did not stand.
    """
    winner = ranked[0]
    if gain:
        other = next((c for c in ranked[1:] if c.party == previous_winner), None)
    else:
        other = next((c for c in ranked[1:] if c.party != winner.party), None)
    if other is None or winner.change is None or other.change is None:
        return None
    points = (winner.change - other.change) / 2
    if points >= 0:
        return Swing(other.party, winner.party, points)
    return Swing(winner.party, other.party, -points)


def compute_tally(seats: list[SeatResult]) -> tuple[TallyRow, ...]:
    """Return seats per party before (previous winners of all seats) and after (declared winners).

    Ordered by seats won, then seats held before, then party id.
    """
    before = Counter(s.seat.facts.previous.winner for s in seats)
    after = Counter(s.winner.party for s in seats if s.winner)
    gains = Counter(s.winner.party for s in seats if s.winner and s.is_gain)
    losses = Counter(s.seat.facts.previous.winner for s in seats if s.winner and s.is_gain)
    rows = [TallyRow(p, before[p], after[p], gains[p], losses[p]) for p in set(before) | set(after)]
    return tuple(sorted(rows, key=lambda r: (-r.after, -r.before, r.party)))


def compute_results(content: Content, memo: Optional[Memo] = None) -> Results:
    """Return the computed results for every constituency and the county tally.

    With `memo` (the preview's), a seat given the same Constituency object and the same parties is
    not computed again: its figures depend on nothing else.
    """
    memo = memo if memo is not None else Memo()
    seats = [memo.get(("computed", seat.slug), (seat, content.parties),
                      lambda seat=seat: compute_seat(seat, content.parties)) for seat in content.constituencies]
    return Results(content, tuple(seats), compute_tally(seats))
