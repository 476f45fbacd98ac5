"""Validation: the messages are part of the editors' interface, so their text is pinned."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import pytest

from sitegen.errors import ContentError, ContentErrors
from sitegen.content.read import RawContent, parse_yaml
from sitegen.content.model import Colour, Count
from sitegen.content.fields import Accepts, check
from sitegen.content.checks import validate

SITE = """title: T
election: E
polling_day: 2024-07-04
area: A
base_url: https://example.org/
previous_election: 2019
"""
PARTIES = 'lab: {name: Labour, short: Lab, colour: "#E4003B"}\ncon: {name: Conservative, short: Con, colour: "#0087DC"}\n'
SEAT = """name: Seat
electorate: 1000
previous: {winner: con, votes: {con: 600, lab: 400}, valid_votes: 1000}
candidates:
  - {name: A, party: lab, votes: 300}
  - {name: B, party: con, votes: 200}
valid_votes: 500
elected: A
result_source: count
"""


def raw_with(seat: str = SEAT, site: str = SITE, parties: str = PARTIES, blurbs: dict | None = None) -> RawContent:
    raw = RawContent()
    raw.site, _ = parse_yaml(site, "content/site.yml")
    raw.parties, _ = parse_yaml(parties, "content/parties.yml")
    file, error = parse_yaml(seat, "content/constituencies/seat.yml")
    assert error is None
    raw.constituencies["seat"] = file
    raw.facts_files.add("seat")
    return raw


def messages(raw: RawContent) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        validate(raw)
    return [e.format() for e in caught.value.errors]


def test_valid_content_becomes_a_site() -> None:
    site = validate(raw_with())
    assert site.info.area == "A" and list(site.parties) == ["lab", "con"]
    (seat,) = site.constituencies
    assert seat.slug == "seat" and seat.is_declared() and site.blurbs["seat"] == (None, None)


@pytest.mark.parametrize("seat, expected", [
    (SEAT.replace("votes: 300", "votes: 30O"),
     "content/constituencies/seat.yml:5:34: candidates[0].votes: expected a whole number, got '30O'"),
    (SEAT.replace("electorate: 1000", "electorate: 400"),
     "content/constituencies/seat.yml:2:13: electorate: valid votes 500 plus rejected 0 make 500, more than "
     "the electorate of 400; check the figures"),
    (SEAT.replace("name: Seat", "name: Seat\nhexx: {q: 1, r: 1}"),
     "content/constituencies/seat.yml:2:1: hexx: unknown field 'hexx' (did you mean 'hex'?)"),
    (SEAT.replace("{winner: con,", "{winer: con,"),
     ["content/constituencies/seat.yml:3:12: previous.winer: unknown field 'winer' (did you mean 'winner'?)",
      "content/constituencies/seat.yml:3:12: previous.winner: required field is missing (is 'winer' here meant to be 'winner'?)"]),
    (SEAT.replace("hex", "") + "hex: {q: 1.5, r: 0}\n",
     "content/constituencies/seat.yml:10:10: hex.q: expected a whole number, got 1.5"),
    (SEAT + "declared_at: yesterday\n",
     "content/constituencies/seat.yml:10:14: declared_at: expected a date and time with its UTC offset, like "
     "2024-07-05T03:40:00+01:00, got 'yesterday'"),
    (SEAT.replace("  - {name: B, party: con, votes: 200}\n", "  - {name: B, party: con, votes: 300}\n")
     .replace("valid_votes: 500", "valid_votes: 600") + "winner_by_lot: C\n",
     "content/constituencies/seat.yml:10:16: winner_by_lot: 'C' is not one of the tied candidates (A, B)"),
    (SEAT + "winner_by_lot: A\n",
     "content/constituencies/seat.yml:10:16: winner_by_lot: there is no tie for first place; remove winner_by_lot"),
])
def test_constituency_messages(seat: str, expected: str) -> None:
    assert messages(raw_with(seat)) == (expected if isinstance(expected, list) else [expected])


def test_numbers_are_accepted_as_text_but_yes_and_no_are_not() -> None:
    site = validate(raw_with(SEAT.replace("name: Seat", "name: 1984")))
    assert site.constituencies[0].facts.name == "1984" and site.info.previous_election == "2019"
    assert messages(raw_with(SEAT.replace("name: Seat", "name: no"))) == [
        "content/constituencies/seat.yml:1:7: name: expected text, got false (YAML reads yes, no, true and "
        "false as true or false); put it in quotes"]


def test_party_messages() -> None:
    parties = PARTIES.replace('short: Lab, colour: "#E4003B"', 'short: Lab, color: "#E4003B"')
    assert messages(raw_with(parties=parties)) == [
        "content/parties.yml:1:33: lab.color: unknown field 'color' (did you mean 'colour'?)",
        "content/parties.yml:1:33: lab.colour: required field is missing (is 'color' here meant to be 'colour'?)",
    ]


def test_a_tie_resolved_by_lot_is_valid() -> None:
    tied = SEAT.replace("votes: 200", "votes: 300").replace("valid_votes: 500", "valid_votes: 600").replace("elected: A", "elected: B") + "winner_by_lot: B\n"
    assert validate(raw_with(tied)).constituencies[0].facts.winner_by_lot == "B"


def test_an_awaited_seat_is_valid_and_warned_about() -> None:
    from sitegen.content.checks import collect_warnings
    awaited = SEAT.replace(", votes: 300", "").replace(", votes: 200", "").replace("valid_votes: 500\n", "").replace(
        "elected: A\nresult_source: count\n", "")
    site = validate(raw_with(awaited))
    assert not site.constituencies[0].is_declared()
    # (no warning for the missing blurb: the story of a result cannot be written before it)
    assert [w.format() for w in collect_warnings(site)] == [
        "content/constituencies/seat.yml: warning: result awaited (no votes yet)",
    ]


def test_error_format_and_summary() -> None:
    errors = ContentErrors([ContentError("b.yml", 2, 1, "x"), ContentError("a.yml", 9, 3, "y"),
                            ContentError("a.yml", 0, 0, "z")])
    assert [e.format() for e in errors.errors] == ["a.yml: z", "a.yml:9:3: y", "b.yml:2:1: x"]
    assert errors.summary() == "3 errors in 2 files; nothing written."


@dataclass(frozen=True)
class Shade:
    """A made-up model whose field names belong to other types in the real one."""

    party: Colour
    winner: Count


def test_a_message_is_worded_by_the_fields_type_not_its_name() -> None:
    """A field is described by what its type accepts: a colour field called `party` is still a colour."""
    problems: list = []
    check(Shade, {"party": "red", "winner": "1,000", "partyy": 1}, problems)
    assert [(p.loc, p.message()) for p in problems] == [
        (("party",), "expected a colour like '#E4003B', got 'red'"),
        (("winner",), "expected a whole number, got '1,000' (write numbers without commas or spaces)"),
        (("partyy",), "unknown field 'partyy' (did you mean 'party'?)"),
    ]


def test_a_pattern_without_words_for_editors_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="needs expects="):
        check(Annotated[str, Accepts("string", pattern="^x$")], "y", [])
