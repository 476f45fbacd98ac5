"""The content model: frozen dataclasses whose fields are also the schema of each content file.

Each field's type states what editors may write (see docs/CONTENT.md); checks.py turns the
schema's complaints into messages with file and line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime
from typing import Annotated, NamedTuple, Optional

from sitegen.config import SLUG_RE
from sitegen.content.places import Places
from sitegen.content.fields import Accepts, Doc

# What editors may write in each kind of field (checked by fields.py, described in the JSON Schemas).
Text = Annotated[str, Accepts("text", min_length=1)]  # numbers are kept as typed: `2019` is "2019"
NewPartyId = Annotated[str, Accepts("string", pattern=SLUG_RE.pattern,
                                   expects="a party id (lowercase a-z, 0-9 and '-')")]
PartyId = Annotated[str, Accepts("string", pattern=SLUG_RE.pattern,
                                 expects="a party id from parties.yml (lowercase a-z, 0-9 and '-')")]
Slug = Annotated[str, Accepts("string", pattern=SLUG_RE.pattern,
                              expects="an address name like 'amber-valley' (lowercase a-z, 0-9 and '-')")]
Colour = Annotated[str, Accepts("string", pattern=r"^#[0-9A-Fa-f]{6}$", expects="a colour like '#E4003B'")]
WebAddress = Annotated[str, Accepts("string", pattern=r"^https?://[^\s/]+\S*$",
                                    expects="a web address starting https://")]
SiteAddress = Annotated[str, Accepts("string", pattern=r"^https?://[^\s/]+\S*/$",
                                     expects="a web address starting https:// and ending with '/'")]
Count = Annotated[int, Accepts("int", ge=0)]
Electorate = Annotated[int, Accepts("int", gt=0)]
GridNumber = Annotated[int, Accepts("int")]
Day = Annotated[date, Accepts("date")]
Moment = Annotated[datetime, Accepts("datetime")]
State = Annotated[str, Accepts("string", pattern=r"^(awaited|recount|declared)$",
                               expects="one of awaited, recount or declared")]
Nearness = Annotated[str, Accepts("string", pattern=r"^(about|just before|just after)$",
                                  expects="one of 'about', 'just before' or 'just after'")]
AREA_TYPES = ("county", "city", "borough", "district", "region", "nation", "country", "area")
AreaType = Annotated[str, Accepts("string", pattern=rf"^({'|'.join(AREA_TYPES)})$",
                                  expects="one of " + ", ".join(AREA_TYPES[:-1]) + " or area")]
Flag = Annotated[bool, Accepts("flag")]
RESULT_SOURCES = ("count", "notice", "release")
ResultSource = Annotated[str, Accepts("string", pattern=r"^(count|notice|release)$",
                                      expects="one of count, notice or release")]
PARTY_KINDS = ("party", "independent", "speaker")
PartyKind = Annotated[str, Accepts("string", pattern=r"^(party|independent|speaker)$",
                                   expects="one of party, independent or speaker")]
# A party's identity in official files: its Electoral Commission registration (PP53) or its UK
# Parliament (MNIS) party id, written mnis:15.
PartyIdentity = Annotated[str, Accepts("string", pattern=r"^(PP[0-9]+|mnis:[0-9]+)$",
                                       expects="an Electoral Commission id like PP53 or a UK Parliament "
                                               "party id like mnis:15")]
OnsCode = Annotated[str, Accepts("string", pattern=r"^[ENSW][0-9]{8}$",
                                 expects="an ONS constituency code like E14001066")]
PersonId = Annotated[str, Accepts("text", pattern=r"^[0-9]{1,9}$",
                                  expects="a Democracy Club person id (digits) like 50525")]


def doc(text: str) -> Doc:
    """Return field metadata describing a field to editors (shown in their editor's hover help)."""
    return Doc(text)


@dataclass(frozen=True)
class SiteInfo:
    """site.yml: site-wide facts."""

    title: Annotated[Text, doc("Site name, in every page title and the masthead. Example: Derbyshire results 2024")]
    election: Annotated[Text, doc("The election. Example: UK general election 2024")]
    polling_day: Annotated[Day, doc("Polling day, YYYY-MM-DD. Example: 2024-07-04")]
    area: Annotated[Text, doc("The area the site covers. Example: Derbyshire")]
    base_url: Annotated[SiteAddress, doc("Where the site is published, ending in '/'; used for canonical "
                                         "links and the sitemap. Example: https://example.org/derbyshire-2024/")]
    previous_election: Annotated[Text, doc("What change figures compare with. Example: 2019 (notional)")]
    updated: Annotated[Optional[Day], doc("When the content last changed, YYYY-MM-DD; the sitemap's "
                                          "lastmod for pages without a date of their own")] = None
    area_type: Annotated[Optional[AreaType], doc("What kind of area `area` is, for the words pages use: "
                                                 "county, city, borough, district, region, nation, "
                                                 "country or area (the default). Example: county")] = None

    @property
    def area_kind(self) -> str:
        """Return the noun for the area: 'county', 'region', or 'area' when not given."""
        return self.area_type or "area"


@dataclass(frozen=True)
class Party:
    """One entry of parties.yml."""

    name: Annotated[Text, doc("The party's name. Example: Liberal Democrats")]
    short: Annotated[Text, doc("Short name for tight spaces. Example: LD")]
    colour: Annotated[Colour, doc('Party colour as "#rrggbb", in quotes. Example: "#FAA61A"')]
    collective_name: Annotated[Optional[Text], doc("How a sentence names the party as a group. "
                                                   "Example: the Conservatives (default: the name)")] = None
    kind: Annotated[Optional[PartyKind], doc("party (the default); independent for candidates standing "
                                             "as independents (each is a person, not a party); speaker "
                                             "for the Speaker seeking re-election")] = None
    ids: Annotated[list[PartyIdentity], doc("The party's identities in official files: its Electoral "
                                            "Commission id and UK Parliament party ids (a predecessor's "
                                            "too, as the Brexit Party's for Reform UK). Example: "
                                            "[PP7931, mnis:1036, mnis:1006]")] = field(default_factory=list)

    @property
    def called(self) -> str:
        """Return the name a sentence uses for the party as a group."""
        return self.collective_name or self.name

    @property
    def is_independent(self) -> bool:
        """Return True for independents: people, each compared only with themselves."""
        return self.kind == "independent"

    @property
    def is_speaker(self) -> bool:
        """Return True for the Speaker, who stands as neither a party nor an independent."""
        return self.kind == "speaker"


@dataclass(frozen=True)
class Candidate:
    """One candidate on the ballot paper."""

    name: Annotated[Text, doc("As on the ballot paper. Example: Linsey Farnsworth")]
    party: Annotated[PartyId, doc("A party id from parties.yml. Example: lab")]
    votes: Annotated[Optional[Count], doc("Votes won, without commas; leave out for every candidate "
                                          "until the result is declared. Example: 15746")] = None
    description: Annotated[Optional[Text], doc("Ballot-paper description when it differs from the party "
                                               "name. Example: Labour and Co-operative")] = None
    person_id: Annotated[Optional[PersonId], doc("Democracy Club's person id, which imports and checks "
                                                 "join on (two candidates may share a name). "
                                                 "Example: 50525")] = None


@dataclass(frozen=True)
class Previous:
    """The notional result last time, on current boundaries."""

    winner: Annotated[PartyId, doc("Party id of last time's winner; it must have the most votes. Example: con")]
    votes: Annotated[dict[PartyId, Count], doc("Party id: notional votes last time, without commas. "
                                               "Example: {con: 29118, lab: 12227}")]
    valid_votes: Annotated[Electorate, doc("The notional total of valid votes, unnamed candidates "
                                           "included. Example: 45609")]
    mp: Annotated[Optional[Text], doc("The MP before this election. Example: Nigel Mills")] = None
    independents: Annotated[dict[Text, Count], doc("Named independents' notional votes last time "
                                                   "(name: votes): an independent's change is shown only "
                                                   "against the same person. Example: "
                                                   "{John Daramy: 391}")] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """Where a figure came from."""

    title: Annotated[Text, doc("What the source is. Example: House of Commons Library CBP-10009")]
    url: Annotated[WebAddress, doc("Its web address, starting https://")]


@dataclass(frozen=True)
class Correction:
    """A change to a declared result after it was published, shown to readers."""

    at: Annotated[Moment, doc("When the corrected figures were entered, with UTC offset. "
                              "Example: 2024-07-05T04:10:00+01:00")]
    was: Annotated[dict[Text, Count], doc("Each figure that changed, as it was published: a candidate's "
                                          "name (their votes), valid_votes, rejected or electorate. "
                                          "The figure now is the one in the file. Example: {Adam Thompson: 17242}")]
    why: Annotated[Text, doc("Why, for readers. Example: Typing error: the declaration gives 17,224")]


@dataclass(frozen=True)
class Hex:
    """Tile position on the area's map (HexJSON-style columns and rows)."""

    q: Annotated[GridNumber, doc("Column, counted from the west")]
    r: Annotated[GridNumber, doc("Row, counted upwards from the south (HexJSON odd-r)")]


@dataclass(frozen=True)
class ConstituencyFacts:
    """constituencies/<slug>.yml: the facts of one constituency."""

    name: Annotated[Text, doc("The constituency's name. Example: Amber Valley")]
    previous: Annotated[Previous, doc("The notional previous result on current boundaries")]
    candidates: Annotated[list[Candidate], Accepts("list", min_length=1), doc("Every candidate, one '- {...}' line each")]
    electorate: Annotated[Optional[Electorate], doc("The electorate at this poll; needed once the "
                                                    "result is declared. Example: 71546")] = None
    ons_code: Annotated[Optional[OnsCode], doc("The constituency's ONS code, which imports and checks "
                                               "join on. Example: E14001066")] = None
    valid_votes: Annotated[Optional[Count], doc("Declared results only: the total of valid votes as "
                                                "the returning officer announced it; the candidates' "
                                                "votes must add up to it. Example: 42531")] = None
    rejected: Annotated[Optional[Count], doc("Rejected ballot papers. Example: 105")] = None
    elected: Annotated[Optional[Text], doc("Declared results: the candidate the returning officer declared "
                                           "elected, by name as in candidates; the votes must make them "
                                           "the winner (this catches two lines swapped). Example: Adam Thompson")] = None
    result_source: Annotated[Optional[ResultSource], doc("Declared results: where the figures were taken from: "
                                                         "count (heard at the count), notice (the returning "
                                                         "officer's declaration notice) or release (the "
                                                         "official results release). Example: notice")] = None
    provisional: Annotated[Optional[Flag], doc("Declared results: true while the figures are entered but not "
                                               "yet checked by a second person; every page, embed, card and "
                                               "data file says so until it is removed")] = None
    corrections: Annotated[list[Correction], doc("Declared results: each change to a published figure, oldest "
                                                 "first; `check --published` refuses a changed published "
                                                 "figure without one")] = field(default_factory=list)
    recorded_at: Annotated[Optional[Moment], doc("When the House of Commons Library recorded the result (its "
                                                 "time-recorded file: minutes after the declaration); shown "
                                                 "as such, and orders the night where declared_at is not "
                                                 "known. Example: 2024-07-05T03:53:00+01:00")] = None
    declared_at: Annotated[Optional[Moment], doc("When the result was declared, with UTC offset. "
                                                 "Example: 2024-07-05T03:40:00+01:00")] = None
    declared_at_approx: Annotated[Optional[Nearness], doc("When the time reported is not exact: about, "
                                                          "just before or just after declared_at. "
                                                          "Example: just after")] = None
    status: Annotated[Optional[State], doc("awaited, recount or declared. Leave out: a seat is declared "
                                           "when its candidates have votes, awaited when not; write "
                                           "'recount' while a count is under way again")] = None
    recount_note: Annotated[Optional[Text], doc("With status: recount, a line on it for readers. "
                                                "Example: Recount requested by the Conservative candidate")] = None
    hex: Annotated[Optional[Hex], doc("Tile position on the area's map. Example: {q: 2, r: 2}")] = None
    winner_by_lot: Annotated[Optional[Text], doc("After a tie for first place: the candidate the returning "
                                                 "officer's lot chose")] = None
    updated: Annotated[Optional[Day], doc("When this page's content last changed, YYYY-MM-DD "
                                          "(sitemap lastmod)")] = None
    sources: Annotated[list[Source], doc("Where the figures come from")] = field(default_factory=list)
    old_slugs: Annotated[list[Slug], doc("Addresses this page was published under before a rename; each "
                                         "gets a page that sends readers on. Example: [amber-valey]")] = field(
        default_factory=list)


@dataclass(frozen=True)
class Constituency:
    """A constituency's facts with its slug and where it was read from."""

    slug: str
    facts: ConstituencyFacts
    path: str

    @cached_property
    def status(self) -> str:
        """Return 'declared', 'recount' or 'awaited' (CONTENT.md: result states)."""
        if self.is_declared():
            return "declared"
        return "recount" if self.facts.status == "recount" else "awaited"

    @cached_property
    def _declared(self) -> bool:
        return all(c.votes is not None for c in self.facts.candidates)

    def is_declared(self) -> bool:
        """Return True when every candidate has votes (CONTENT.md: declared vs awaited)."""
        return self._declared


class SeatBlurbs(NamedTuple):
    """A constituency's Markdown blurbs: the story of the result, shown once declared, and the one
    shown until then (<slug>.md and <slug>.awaited.md)."""

    result: Optional[str] = None
    awaited: Optional[str] = None

    def shown(self, declared: bool) -> Optional[str]:
        """Return the blurb a page shows: the result's once declared, the other until then."""
        return self.result if declared else self.awaited


@dataclass(frozen=True)
class Content:
    """All validated content."""

    info: SiteInfo
    parties: dict[str, Party]
    constituencies: tuple[Constituency, ...]  # sorted by name
    overview: Optional[str] = None  # Markdown source
    blurbs: dict[str, SeatBlurbs] = field(default_factory=dict)  # by slug; pages, not results, show them
    places: Optional[Places] = None  # content/places/: postcodes and wards, for finding a seat
