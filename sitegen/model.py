"""The content model: frozen dataclasses whose fields are also the schema of each content file.

Each field's type states what editors may write (see docs/CONTENT.md); validate.py turns the
schema's complaints into messages with file and line.
"""
from __future__ import annotations

from dataclasses import dataclass as plain_dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Optional

from pydantic import AwareDatetime, BeforeValidator, ConfigDict, Field, Strict, StringConstraints
from pydantic.dataclasses import dataclass

from .config import SLUG_RE

_FILE = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _whole_to_decimal(value: Any) -> Any:
    """Let editors write `6` for a share of 6.0 (ints are exact, bools are not numbers)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _number_to_text(value: Any) -> Any:
    """Let a text field hold a number as typed (`previous_election: 2019`); bools stay errors."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_number_to_text), Strict(), StringConstraints(min_length=1)]
PartyId = Annotated[str, Strict(), StringConstraints(pattern=SLUG_RE.pattern)]
Colour = Annotated[str, Strict(), StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
WebAddress = Annotated[str, Strict(), StringConstraints(pattern=r"^https?://[^\s/]+\S*$")]
SiteAddress = Annotated[str, Strict(), StringConstraints(pattern=r"^https?://[^\s/]+\S*/$")]
Count = Annotated[int, Strict(), Field(ge=0)]
Electorate = Annotated[int, Strict(), Field(gt=0)]
SharePct = Annotated[Decimal, BeforeValidator(_whole_to_decimal), Strict(),
                     Field(ge=0, le=100, allow_inf_nan=False)]
Day = Annotated[date, Strict()]
Moment = Annotated[AwareDatetime, Strict()]


@dataclass(config=_FILE)
class SiteInfo:
    """site.yml: site-wide facts."""

    title: Text
    election: Text
    polling_day: Day
    area: Text
    base_url: SiteAddress
    previous_election: Text
    updated: Optional[Day] = None  # when the content last changed, for sitemap lastmod


@dataclass(config=_FILE)
class Party:
    """One entry of parties.yml."""

    name: Text
    short: Text
    colour: Colour
    collective_name: Optional[Text] = None  # how a sentence names it: "the Conservatives"

    @property
    def called(self) -> str:
        """Return the name a sentence uses for the party as a group."""
        return self.collective_name or self.name


@dataclass(config=_FILE)
class Candidate:
    """One candidate on the ballot paper."""

    name: Text
    party: PartyId
    votes: Optional[Count] = None
    description: Optional[Text] = None  # ballot-paper description, e.g. "Labour and Co-operative"


@dataclass(config=_FILE)
class Previous:
    """The notional result last time, on current boundaries."""

    winner: PartyId
    shares: dict[PartyId, SharePct]
    mp: Optional[Text] = None


@dataclass(config=_FILE)
class Source:
    """Where a figure came from."""

    title: Text
    url: WebAddress


@dataclass(config=_FILE)
class Hex:
    """Tile position on the county map (HexJSON-style columns and rows)."""

    q: Annotated[int, Strict()]
    r: Annotated[int, Strict()]


@dataclass(config=_FILE)
class ConstituencyFacts:
    """constituencies/<slug>.yml: the facts of one constituency."""

    name: Text
    electorate: Electorate
    previous: Previous
    candidates: Annotated[list[Candidate], Field(min_length=1)]
    rejected: Optional[Count] = None
    declared_at: Optional[Moment] = None
    hex: Optional[Hex] = None
    winner_by_lot: Optional[Text] = None  # the tied candidate the returning officer's lot chose
    updated: Optional[Day] = None  # when this page's content last changed, for sitemap lastmod
    sources: list[Source] = Field(default_factory=list)


@plain_dataclass(frozen=True)
class Constituency:
    """A constituency's facts with its slug, blurb and where it was read from."""

    slug: str
    facts: ConstituencyFacts
    path: str
    blurb: Optional[str] = None  # Markdown source

    def is_declared(self) -> bool:
        """Return True when every candidate has votes (CONTENT.md: declared vs awaited)."""
        return all(c.votes is not None for c in self.facts.candidates)


@plain_dataclass(frozen=True)
class Site:
    """All validated content."""

    info: SiteInfo
    parties: dict[str, Party]
    constituencies: tuple[Constituency, ...]  # sorted by name
    overview: Optional[str] = None  # Markdown source

