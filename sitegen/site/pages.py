"""Page contexts, and the renderers that turn each into HTML (no output files).

A context is the frozen, comparable value a page is rendered from: everything it shows, worked out
here, so that templates only format. A renderer is given its context and nothing else besides the
templates, the static files and the caches (`Renderer`), so two builds that give a page equal
contexts give it the same bytes. That is what lets the preview render again exactly the pages whose
context changed, with no second list of what a page depends on to fall out of step.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional

from markupsafe import Markup, escape

from sitegen.buildcache import Memo
from sitegen.config import ordinal
from sitegen.content.model import Party, SiteInfo
from sitegen.results import County, Night, Results, SeatResult, TallyRow
from sitegen.site.maps import view_titles
from sitegen.site.charts import MAX_LABELLED_TILES, HexMap, chart_height, change_bars, county_bars, hex_map, seat_bars, share_bars

if TYPE_CHECKING:
    from jinja2 import Environment

    from sitegen.site.assets import Asset
    from sitegen.site.cards import Cards
    from sitegen.site.markdown import Blurbs

Parties = dict[str, Party]
POLL_SECONDS, POLL_SECONDS_COMPLETE = 60, 600  # how often open pages check for news (live.js)


def relative_url(target: str, page: str) -> str:
    """Return a link from the output file `page` to `target` (a dist/ path; folders end in '/').

    Plain string work on our own normalised paths (posixpath.relpath costs twenty times more, and
    every page makes a dozen of these).
    """
    here = page.split("/")[:-1]
    *folders, name = target.split("/")
    common = 0
    while common < len(here) and common < len(folders) and here[common] == folders[common]:
        common += 1
    parts = [".."] * (len(here) - common) + folders[common:]
    if name:
        return "/".join([*parts, name])
    return "/".join(parts) + "/" if parts else "./"


def seat_path(slug: str) -> str:
    """Return the output file of a constituency page."""
    return f"{slug}/index.html"


def embed_path(slug: Optional[str]) -> str:
    """Return the output file of a seat's embeddable card, or (None) the area's."""
    return f"{slug}/embed/index.html" if slug else "embed/index.html"


# --- what pages say of the night ----------------------------------------------------------------

def poll_seconds(night: Night) -> int:
    """Return how often open pages check for news: once every seat has declared, only a
    correction can come, so every ten minutes."""
    return POLL_SECONDS_COMPLETE if night.complete else POLL_SECONDS


def headline(night: Night, parties: Parties) -> str:
    """Return the overview's headline: 'Labour won all 11 seats', '3 of 11 seats declared'."""
    leader, total = night.leader, night.total
    if leader is None:
        return "No results declared yet"
    if leader.after == total:
        return f"{parties[leader.party].name} won all {total} seats"
    if night.complete:
        return f"{parties[leader.party].name} won {leader.after} of {total} seats"
    return f"{night.declared} of {total} seats declared"


class LatestTime(NamedTuple):
    """The latest time the results record, and what happened then."""

    moment: datetime
    nearness: Optional[str]   # declared_at_approx, for a declaration time reported roughly
    what: str                 # 'the declaration in', "the Commons Library's record of", 'a correction to'
    seat: str


def last_updated(night: Night, site: SiteInfo) -> Optional[LatestTime]:
    """Return the latest time the content records for a declared seat (its declaration, the
    Library's record of it, or a correction), or None before any: never the build's clock, and
    never site.yml's `updated`, a day that says nothing of the night's hours."""
    known = []
    for seat in night.seats:
        if not seat.is_declared:
            continue
        facts, name = seat.seat.facts, seat.seat.facts.name
        if facts.declared_at is not None:
            known.append(LatestTime(facts.declared_at, facts.declared_at_approx, "the declaration in", name))
        if facts.recorded_at is not None:
            known.append(LatestTime(facts.recorded_at, None, "the Commons Library’s record of", name))
        known += [LatestTime(c.at, None, "a correction to", name) for c in facts.corrections]
    return max(known, key=lambda t: (t.moment, t.seat)) if known else None


def rank_phrases(results: Results, seat: SeatResult) -> tuple[str, ...]:
    """Return where a declared seat ranks in the area when that is notable: among the top or bottom
    three of at least four declared seats ('Closest result in Derbyshire', '3rd highest turnout of
    11', '2nd lowest turnout of the 5 declared so far')."""
    county = results.county
    n = len(county.seats)
    place = county.ranks.get(seat.seat.slug)
    if not place or n < 4:
        return ()
    complete = n == len(results.seats)
    area = results.content.info.area
    phrases = []
    for rank, near, far in ((place[0], "closest result", "largest majority"),
                            (place[1], "highest turnout", "lowest turnout")):
        if rank <= 3:
            phrases.append(_rank(rank, n, near, complete, area))
        elif n - rank + 1 <= 3:
            phrases.append(_rank(n - rank + 1, n, far, complete, area))
    return tuple(phrases)


def _rank(rank: int, n: int, words: str, complete: bool, area: str) -> str:
    text = words.capitalize() if rank == 1 else f"{ordinal(rank)} {words}"
    if not complete:
        return f"{text} of the {n} declared so far"
    return f"{text} in {area}" if rank == 1 else f"{text} of {n}"


def page_dates(site: SiteInfo, seats: tuple[SeatResult, ...]) -> tuple[tuple[str, str], ...]:
    """Return each page's last-modified date, from the content and never the clock: a seat's
    `updated`, else the day it was declared, else the site's `updated`, else polling day; the
    overview ('' first) the latest of them all."""
    fallback = site.updated or site.polling_day
    dates = []
    for s in seats:
        facts = s.seat.facts
        declared = facts.declared_at.date() if facts.declared_at else None
        dates.append((s.seat.slug, facts.updated or declared or fallback))
    overview = max([fallback, *(day for _, day in dates)])
    return (("", overview.isoformat()),) + tuple((slug, day.isoformat()) for slug, day in dates)


# --- contexts -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Neighbour:
    """A seat next to this one in the list, linked from its page."""

    slug: str
    name: str


@dataclass(frozen=True)
class SeatPage:
    """Everything a constituency page shows."""

    site: SiteInfo
    parties: Parties
    seat: SeatResult
    blurb: Optional[str]             # Markdown: the result's story once declared, until then the other
    previous: Optional[Neighbour]
    next: Optional[Neighbour]
    ranks: tuple[str, ...]
    poll_seconds: int
    share: str = ""                  # its share card's path: named by what the card shows


@dataclass(frozen=True)
class OverviewPage:
    """Everything the overview shows."""

    site: SiteInfo
    parties: Parties
    night: Night
    county: County
    blurb: Optional[str]
    share: str = ""


@dataclass(frozen=True)
class SeatEmbed:
    """A seat's card for other sites' articles."""

    site: SiteInfo
    parties: Parties
    seat: SeatResult


@dataclass(frozen=True)
class AreaEmbed:
    """The area's map and tally for other sites' articles."""

    site: SiteInfo
    parties: Parties
    night: Night


@dataclass(frozen=True)
class MovedPage:
    """The page left at a renamed seat's old address (or its embed's)."""

    site: SiteInfo
    name: str
    target: str


@dataclass(frozen=True)
class CorrectionsPage:
    """corrections/: every correction to a published result on the site, newest first."""

    site: SiteInfo
    seats: tuple[SeatResult, ...]   # the declared seats with corrections
    share: str = ""


def corrections_page(site: SiteInfo, seats: tuple[SeatResult, ...], share: str) -> CorrectionsPage:
    """Return the corrections page's context: the declared seats that have corrections."""
    return CorrectionsPage(site, tuple(s for s in seats if s.is_declared and s.seat.facts.corrections), share)


@dataclass(frozen=True)
class FeedEntry:
    """One declaration in feed.xml."""

    seat: SeatResult
    updated: str


@dataclass(frozen=True)
class Feed:
    """feed.xml: the declarations, newest first."""

    site: SiteInfo
    parties: Parties
    entries: tuple[FeedEntry, ...]
    declared: int
    total: int
    updated: str


def _moment(seat: SeatResult, polling_day: date) -> str:
    """Return the instant feed.xml gives for a seat's entry (RFC 3339), never one the content does
    not give: its latest correction; else its declaration time when exact; else when the Commons
    Library recorded it (recorded_at); else the close of polls, 22:00 UK time on polling day, the
    earliest a result can be declared (the entry's text says its time is not known)."""
    from sitegen.site.filters import UK_TIME
    facts = seat.seat.facts
    if facts.corrections:
        return facts.corrections[-1].at.isoformat()
    if facts.declared_at is not None and facts.declared_at_approx is None:
        return facts.declared_at.isoformat()
    if facts.recorded_at is not None:
        return facts.recorded_at.isoformat()
    if facts.declared_at is not None:
        return facts.declared_at.isoformat()
    return datetime(polling_day.year, polling_day.month, polling_day.day, 22, tzinfo=UK_TIME).isoformat()


def _instant(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def feed_of(site: SiteInfo, parties: Parties, seats: tuple[SeatResult, ...]) -> Feed:
    """Return feed.xml's context: an entry per declared seat, newest first (then by name), dated
    from the content, never the clock (_moment)."""
    declared = sorted((s for s in seats if s.is_declared), key=lambda s: s.seat.facts.name)
    entries = [FeedEntry(s, _moment(s, site.polling_day)) for s in declared]
    entries.sort(key=lambda e: _instant(e.updated), reverse=True)
    fallback = site.updated or site.polling_day
    updated = max((e.updated for e in entries), key=_instant) if entries else f"{fallback.isoformat()}T00:00:00Z"
    return Feed(site, parties, tuple(entries), len(declared), len(seats), updated)


# --- rendering ------------------------------------------------------------------------------------

_ROOT_LINK = re.compile(r'href="/(?!/)([^"]*)"')  # a link from the site's root (not '//host', another site)


class Renderer:
    """What every renderer may use besides its context: the templates, the static files, and the
    caches of converted Markdown, drawn cards and rendered fragments (pure functions of what they
    are given, kept between builds)."""

    def __init__(self, env: Environment, assets: dict[str, Asset], markdown: Blurbs, cards: Cards,
                 memo: Optional[Memo] = None):
        self.env, self.assets, self.markdown, self.cards = env, assets, markdown, cards
        self.memo = memo if memo is not None else Memo()

    def globals(self, page: str) -> dict[str, Any]:
        """Return what every template gets for linking: its own path, relurl() and asset()."""
        return {"page_path": page,
                "relurl": lambda target: relative_url(target, page),
                "asset": lambda name: relative_url(self.asset(name).output, page)}

    def blurb(self, text: Optional[str], page: str) -> Markup:
        """Return a blurb as sanitised HTML for `page`, with its links from the site's root
        ('/bolsover/') made relative, so that they work wherever the site is published."""
        html = self.markdown(text)
        if 'href="/' not in html:
            return html
        return Markup(_ROOT_LINK.sub(lambda m: f'href="{relative_url(m.group(1), page)}"', html))

    def asset(self, name: str) -> Asset:
        """Return the static file `name`; a template asking for one that is not there is told so
        (as a template error, located at the template's line)."""
        found = self.assets.get(name)
        if found is None:
            from jinja2 import TemplateRuntimeError
            raise TemplateRuntimeError(f"asset({name!r}): static/{name} is not there; put the file back, or "
                                       "change the template")
        return found

    def render(self, template: str, page: str, **values: Any) -> str:
        return self.env.get_template(template).render(**values, **self.globals(page))


def live_states(seats: tuple[SeatResult, ...]) -> str:
    """Return the states a page shows, for live.js, with each declared result's revision (see
    data.result_revision): 'amber-valley:d:1f0c9a2e bolsover:a'."""
    from sitegen.site.data import result_revision
    return " ".join(f"{s.seat.slug}:{s.status[0]}" + (f":{result_revision(s)}" if s.is_declared else "")
                    for s in seats)


def live_every(poll_seconds: int) -> Optional[int]:
    """Return the polling interval a page names for live.js, when it is not its default."""
    return None if poll_seconds == POLL_SECONDS else poll_seconds


def render_seat_page(r: Renderer, page: str, context: SeatPage) -> str:
    """Return one constituency page."""
    seat, site = context.seat, context.site
    bars = share_bars(seat)
    return r.render(
        "constituency.html", page, page_context=context, seat=seat, facts=seat.seat.facts, site=site,
        parties=context.parties, bars=bars, chart_height=chart_height(bars), change_bars=change_bars(seat),
        blurb=r.blurb(context.blurb, page), previous_seat=context.previous, next_seat=context.next,
        canonical=f"{site.base_url}{seat.seat.slug}/", live=live_states((seat,)), share=context.share,
        live_every=live_every(context.poll_seconds), embed_code=embed_snippet(site, seat, None))


def render_overview(r: Renderer, page: str, context: OverviewPage) -> str:
    """Return the area's overview page."""
    site, parties, night = context.site, context.parties, context.night
    hexes = hex_map(night.seats)
    seat_rows, map_tiles = overview_fragments(r, parties, night.seats, hexes)
    title = headline(night, parties)
    return r.render(
        "overview.html", page, night=night, site=site, parties=parties, blurb=r.blurb(context.blurb, page),
        canonical=site.base_url, map=hexes, seat_rows=seat_rows, map_tiles=map_tiles, county=context.county,
        map_views=view_titles(site, parties, night.seats) if hexes else (),
        changed=what_changed(context.county, parties),
        share=context.share,
        headline=title, updated=last_updated(night, site), live=live_states(night.seats),
        live_every=live_every(poll_seconds(night)), embed_code=embed_snippet(site, None, title),
        county_bars=county_bars(context.county),
        seat_bars=seat_bars(night.tally, night.total, f"Before: {site.previous_election}",
                            f"After: {site.polling_day.year}"))


class Changed(NamedTuple):
    """One line of the overview's "what changed": a sentence, then the seats it is about."""

    lead: str
    seats: tuple[tuple[str, str, str], ...]   # slug, name, a few words about it
    more: int = 0                              # seats left unlisted (the map lists them all)


def what_changed(county: County, parties: Parties) -> tuple[Changed, ...]:
    """Return the overview's short account of the night, worked out from the results: gains by
    party and from whom, sitting MPs who lost, the closest result, the biggest swing, and the
    highest and lowest turnout."""
    declared = county.seats
    if not declared:
        return ()
    lines: list[Changed] = []
    most = 6
    gains: dict[str, list[SeatResult]] = {}
    for seat in declared:
        if seat.is_gain:
            gains.setdefault(seat.winner.party, []).append(seat)
    for party, won in sorted(gains.items(), key=lambda item: (-len(item[1]), item[0])):
        sources: dict[str, int] = {}
        for seat in won:
            before = seat.seat.facts.previous.winner
            sources[before] = sources.get(before, 0) + 1
        froms = ", ".join(f"{n} from {parties[p].name}" for p, n in sorted(sources.items(), key=lambda i: (-i[1], i[0])))
        lines.append(Changed(f"{parties[party].name} gained {len(won)} {'seat' if len(won) == 1 else 'seats'} "
                             f"({froms})", tuple((s.seat.slug, s.seat.facts.name, "") for s in won[:most]),
                             max(0, len(won) - most)))
    if not gains:
        lines.append(Changed("No seat changed hands: every declared seat was held", ()))
    # the previous MP lost when exactly one candidate has their name and was not elected (two of one
    # name cannot tell which, so neither is named)
    named = [(s, [c for c in s.candidates if c.name == s.seat.facts.previous.mp]) for s in declared
             if s.seat.facts.previous.mp]
    lost = [(s, same[0]) for s, same in named if len(same) == 1 and not same[0].elected]
    if lost:
        lines.append(Changed(f"{len(lost)} sitting {'MP' if len(lost) == 1 else 'MPs'} lost", tuple(
            (s.seat.slug, c.name, f"{parties[c.party].short}, {s.seat.facts.name}") for s, c in lost[:most]),
            max(0, len(lost) - most)))
    closest = county.by_majority[0]
    lines.append(Changed("Closest result", ((closest.seat.slug, closest.seat.facts.name,
                                             f"majority {closest.majority:,} ({closest.majority_pct}%)"),)))
    swung = [s for s in declared if s.swing is not None]
    if swung:
        big = max(swung, key=lambda s: (s.swing.points, s.seat.facts.name))
        lines.append(Changed("Biggest swing", ((big.seat.slug, big.seat.facts.name,
                                                f"{big.swing.points_pp} points from {parties[big.swing.from_party].short} "
                                                f"to {parties[big.swing.to_party].short}"),)))
    high, low = county.by_turnout[0], county.by_turnout[-1]
    lines.append(Changed("Turnout", ((high.seat.slug, high.seat.facts.name, f"highest, {high.turnout_pct}%"),) + (
        ((low.seat.slug, low.seat.facts.name, f"lowest, {low.turnout_pct}%"),) if low is not high else ())))
    return tuple(lines)


class _Parts:
    """The per-seat fragments of a page (the overview's table rows, the map's tiles), each rendered
    again only when its seat's result, the parties or the tile's geometry changed."""

    def __init__(self, r: Renderer, parties: Parties, page: str):
        self.r, self.parties, self.page = r, parties, page
        self._module: Any = None

    def made(self, kind: str, slug: str, inputs: tuple, make: Callable[[Any], Markup]) -> Markup:
        def render() -> Markup:
            if self._module is None:
                self._module = self.r.env.get_template("_overview_parts.html").make_module({"parties": self.parties})
            return make(self._module)
        # (the environment too: a template changed is a new one, and the fragment is made anew)
        return self.r.memo.get((kind, self.page, slug), (*inputs, self.parties, self.r.env), render)

    def tiles(self, hexes: Optional[HexMap], new_tab: bool = False) -> list[Markup]:
        labels = bool(hexes) and len(hexes.tiles) <= MAX_LABELLED_TILES  # type: ignore[union-attr]
        return [self.made("tile", t.seat.seat.slug, (t.seat, t.x, t.y, t.lines, labels),
                          lambda p, t=t: p.map_tile(t, relative_url(t.seat.seat.slug + "/", self.page), new_tab, labels))
                for t in (hexes.tiles if hexes else ())]


def overview_fragments(r: Renderer, parties: Parties, seats: tuple[SeatResult, ...],
                       hexes: Optional[HexMap]) -> tuple[list[Markup], list[Markup]]:
    """Return the overview's table rows and map tiles, one per seat, reused while unchanged."""
    parts = _Parts(r, parties, "index.html")
    names = len(seats) <= MAX_LABELLED_TILES
    rows = [parts.made("row", s.seat.slug, (s, names), lambda p, s=s: p.seat_row(
        s, relative_url(s.seat.slug + "/", "index.html"), names)) for s in seats]
    return rows, parts.tiles(hexes)


def render_corrections(r: Renderer, page: str, context: CorrectionsPage) -> str:
    """Return the page listing every correction, newest first."""
    from sitegen.site.filters import correction_notes
    notes = sorted(((note, s) for s in context.seats for note in correction_notes(s.seat.facts)),
                   key=lambda pair: (pair[0].at, pair[1].seat.facts.name), reverse=True)
    return r.render("corrections.html", page, site=context.site, notes=notes,
                    canonical=f"{context.site.base_url}corrections/", live="", live_every=None,
                    share=context.share)


def render_moved(r: Renderer, page: str, context: MovedPage) -> str:
    """Return the page left at an old address of a renamed constituency (or of its embed),
    sending readers on."""
    return r.render("moved.html", page, site=context.site, name=context.name, target=context.target)


def render_feed(r: Renderer, page: str, context: Feed) -> str:
    """Return feed.xml: an Atom entry per declared seat, each rendered once per seat result."""
    parts: Any = None

    def entry(e: FeedEntry) -> Markup:
        def make() -> Markup:
            nonlocal parts
            if parts is None:
                parts = r.env.get_template("_feed_parts.xml").make_module({"site": context.site,
                                                                           "parties": context.parties})
            return parts.entry(e.seat, e.updated)
        return r.memo.get(("feed", e.seat.seat.slug), (e.seat, context.parties, context.site, e.updated, r.env), make)
    return r.env.get_template("feed.xml").render(
        site=context.site, entries=[entry(e) for e in context.entries], updated=context.updated,
        declared=context.declared, total=context.total)


def embed_height(seat: Optional[SeatResult]) -> int:
    """Return the frame height (px) the embed snippet gives, for hosts that run no script: the
    card's height at 320 px wide, so that nothing is cut off (a script fits it exactly)."""
    if seat is None:
        return 600
    if seat.is_declared:
        facts = seat.seat.facts
        notes = 40  # what turnout counts
        if facts.provisional:
            notes += 70
        if facts.corrections:  # 'Corrected <time>: <why>', some 35 characters a line at 320 px
            notes += 40 + 22 * (len(facts.corrections[-1].why) // 35 + 1)
        return 260 + 62 * len(seat.candidates) + notes
    return 240 + 30 * len(seat.candidates)


def render_seat_embed(r: Renderer, page: str, context: SeatEmbed) -> str:
    """Return a compact result card for an <iframe> in an article: no site chrome; links open the
    full page in a new tab."""
    seat, site = context.seat, context.site
    return r.render("embed.html", page, seat=seat, site=site, parties=context.parties, map=None, map_tiles=(),
                    night=None, headline=None, bars=share_bars(seat), canonical=f"{site.base_url}{seat.seat.slug}/")


def render_area_embed(r: Renderer, page: str, context: AreaEmbed) -> str:
    """Return the area's map and tally as a card for an <iframe> in an article."""
    night, site = context.night, context.site
    hexes = hex_map(night.seats)
    return r.render("embed.html", page, seat=None, site=site, parties=context.parties, map=hexes,
                    map_tiles=_Parts(r, context.parties, page).tiles(hexes, new_tab=True), night=night,
                    headline=headline(night, context.parties), bars=None, canonical=site.base_url)


def web_origin(url: str) -> str:
    """Return the origin a browser gives a page at `url` (in a message event's `origin`): the scheme
    and host in lower case (a host's letters in punycode), and the port unless it is the scheme's
    own. 'https://Example.ORG:443/x/' -> 'https://example.org'."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default else "")


def embed_snippet(site: SiteInfo, seat: Optional[SeatResult], headline: Optional[str]) -> str:
    """Return the HTML a newsroom copies into an article to show the card: the frame, and a few
    lines that fit its height to the card (the card says its height, from the site's own origin)."""
    base = site.base_url
    origin = web_origin(base)
    where = f"{seat.seat.slug}/" if seat else ""
    title = (f"{seat.seat.facts.name}: {seat.label}" if seat else str(headline)) + f" – {site.title}"
    return (f'<iframe src="{escape(base + where)}embed/" title="{escape(title)}" width="100%" '
            f'height="{embed_height(seat)}" style="border:0;width:100%;max-width:700px" loading="lazy">'
            f'</iframe>\n<script>addEventListener("message",function(e){{if(e.origin!=={json.dumps(origin)}||!e.data||'
            f'e.data.type!=="sitegen:height")return;document.querySelectorAll("iframe").forEach(function(f){{'
            f'if(f.contentWindow===e.source)f.style.height=e.data.height+"px"}})}});</script>')
