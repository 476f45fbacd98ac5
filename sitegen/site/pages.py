"""Page contexts -> HTML strings through the templates (no output files)."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional

from jinja2 import Environment
from markupsafe import Markup, escape

from sitegen.site.assets import Asset
from sitegen.site.markdown import Blurbs
from sitegen.site.charts import HexMap, change_bars, county_bars, hex_map, seat_bars, share_bars
from sitegen.results import Results, SeatResult


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


def _page_globals(page: str, assets: dict[str, Asset]) -> dict[str, Callable[[str], str]]:
    return {
        "page_path": page,
        "relurl": lambda target: relative_url(target, page),
        "asset": lambda name: relative_url(assets[name].output, page),
    }


def seat_path(seat: SeatResult) -> str:
    """Return the output file of a constituency page."""
    return f"{seat.seat.slug}/index.html"


def headline(results: Results) -> str:
    """Return the overview's headline: 'Labour won all 11 seats', '3 of 11 seats declared'."""
    leader, total, parties = results.leader, len(results.seats), results.site.parties
    if leader is None:
        return "No results declared yet"
    if leader.after == total:
        return f"{parties[leader.party].name} won all {total} seats"
    if results.declared == total:
        return f"{parties[leader.party].name} won {leader.after} of {total} seats"
    return f"{results.declared} of {total} seats declared"


def render_overview(results: Results, env: Environment, assets: dict[str, Asset],
                    memo: RenderMemo) -> str:
    """Return the county overview page."""
    page = "index.html"
    hexes = hex_map(results)
    seat_rows, map_tiles = overview_fragments(results, env, hexes, memo)
    return env.get_template("overview.html").render(
        results=results, site=results.site.info, parties=results.site.parties,
        blurb=memo.markdown(results.site.overview), canonical=results.site.info.base_url,
        map=hexes, seat_rows=seat_rows, map_tiles=map_tiles, county=results.county, headline=headline(results),
        embed_code=embed_snippet(results, None),
        county_bars=county_bars(results.county),
        seat_bars=seat_bars(results, f"Before: {results.site.info.previous_election}",
                            f"After: {results.site.info.polling_day.year}"),
        **_page_globals(page, assets))


def render_moved(results: Results, seat: SeatResult, old: str, env: Environment,
                 assets: dict[str, Asset], part: str = "") -> str:
    """Return the page left at an old address of a renamed constituency (or, with part 'embed/',
    of its embed), sending readers on."""
    return env.get_template("moved.html").render(
        site=results.site.info, name=seat.seat.facts.name, target=f"{seat.seat.slug}/{part}",
        **_page_globals(f"{old}/{part}index.html", assets))


def render_constituency(results: Results, index: int, env: Environment,
                        assets: dict[str, Asset], md: Blurbs) -> str:
    """Return one constituency page; `index` is its place in the alphabetical list."""
    seats = results.seats
    seat = seats[index]
    page = seat_path(seat)
    return env.get_template("constituency.html").render(
        results=results, seat=seat, facts=seat.seat.facts, site=results.site.info,
        parties=results.site.parties, bars=share_bars(seat),
        # the story of the result once declared; until then, what the editor wrote for the wait
        blurb=md(seat.seat.blurb if seat.is_declared else seat.seat.awaited_blurb),
        change_bars=change_bars(seat),
        previous_seat=seats[index - 1] if index > 0 else None,
        next_seat=seats[index + 1] if index + 1 < len(seats) else None,
        canonical=f"{results.site.info.base_url}{seat.seat.slug}/", embed_code=embed_snippet(results, seat),
        **_page_globals(page, assets))


def page_dates(results: Results) -> dict[str, str]:
    """Return each page's last-modified date, from the content and never the clock.

    A seat's date is its `updated`, else the day it was declared, else the site's `updated`, else
    polling day; the overview ('' key) takes the latest of them all.
    """
    info = results.site.info
    fallback = info.updated or info.polling_day
    dates = {}
    for s in results.seats:
        facts = s.seat.facts
        declared = facts.declared_at.date() if facts.declared_at else None
        dates[s.seat.slug] = facts.updated or declared or fallback
    dates[""] = max([fallback, *dates.values()])
    return {key: day.isoformat() for key, day in dates.items()}


class RenderMemo:
    """What rendering can reuse from one build to the next (the preview keeps one)."""

    def __init__(self, cache: Optional[Path] = None) -> None:
        from sitegen.site.cards import Cards
        self.markdown = Blurbs(cache / "markdown" if cache else None)
        self.cards = Cards(cache / "cards" if cache else None)
        self.records: dict = {}    # slug -> (SeatResult, its results.json record, its results.csv rows)
        self.fragments: dict = {}  # (kind, slug) -> (what it was made from, the Markup)


def overview_fragments(results: Results, env: Environment, hexes: Optional[HexMap],
                       memo: RenderMemo) -> tuple[list[Markup], list[Markup]]:
    """Return the overview's table rows and map tiles, one per seat, reusing unchanged ones."""
    parties = results.site.parties
    parts: Any = None

    def made(kind: str, slug: str, key: tuple, make: Callable[[Any], Markup]) -> Markup:
        nonlocal parts
        remembered = memo.fragments.get((kind, slug))
        # the same seat result and parties objects (kept alive here), and equal tile geometry
        if remembered is not None and all(a is b for a, b in zip(remembered[0][:2], key[:2])) \
                and remembered[0][2:] == key[2:]:
            return remembered[1]
        if parts is None:
            parts = env.get_template("_overview_parts.html").make_module({"parties": parties})
        markup = make(parts)
        memo.fragments[(kind, slug)] = (key, markup)
        return markup

    def href(slug: str) -> str:
        return relative_url(slug + "/", "index.html")

    rows = [made("row", s.seat.slug, (s, parties), lambda p, s=s: p.seat_row(s, href(s.seat.slug)))
            for s in results.seats]
    tiles = [made("tile", t.seat.seat.slug, (t.seat, parties, t.points, t.lines),
                  lambda p, t=t: p.map_tile(t, href(t.seat.seat.slug)))
             for t in (hexes.tiles if hexes else ())]
    return rows, tiles


def _moment(seat: SeatResult, fallback: date) -> str:
    """Return when a seat was declared as RFC 3339: its declared_at, else the start of its day."""
    facts = seat.seat.facts
    if facts.declared_at is not None:
        return facts.declared_at.isoformat()
    return f"{(facts.updated or fallback).isoformat()}T00:00:00Z"


def render_feed(results: Results, env: Environment, memo: RenderMemo) -> str:
    """Return feed.xml: an Atom entry per declared seat, newest first (then by name), dated from
    the content, never the clock. An entry is rendered once per seat result (the preview's memo)."""
    info, parties = results.site.info, results.site.parties
    fallback = info.updated or info.polling_day
    declared = sorted((s for s in results.seats if s.is_declared), key=lambda s: s.seat.facts.name)
    # declared_at when known; a seat without it sorts by its day, after timed seats of that day
    declared.sort(key=lambda s: (s.seat.facts.declared_at.astimezone(timezone.utc).isoformat()
                                 if s.seat.facts.declared_at else _moment(s, fallback)[:10]), reverse=True)
    parts: Any = None
    entries, stamps = [], []
    for seat in declared:
        stamp = _moment(seat, fallback)
        stamps.append(stamp)
        key = (seat, parties, info, stamp)
        remembered = memo.fragments.get(("feed", seat.seat.slug))
        if remembered is not None and all(a is b for a, b in zip(remembered[0][:3], key[:3])) \
                and remembered[0][3] == stamp:
            entries.append(remembered[1])
            continue
        if parts is None:
            parts = env.get_template("_feed_parts.xml").make_module({"site": info, "parties": parties})
        entry = parts.entry(seat, stamp)
        memo.fragments[("feed", seat.seat.slug)] = (key, entry)
        entries.append(entry)
    updated = max(stamps, key=_instant) if stamps else f"{fallback.isoformat()}T00:00:00Z"
    return env.get_template("feed.xml").render(results=results, site=info, entries=entries, updated=updated)


def _instant(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def embed_path(seat: Optional[SeatResult]) -> str:
    """Return the output file of a seat's embeddable card, or (None) the county's."""
    return f"{seat.seat.slug}/embed/index.html" if seat else "embed/index.html"


def embed_height(seat: Optional[SeatResult], results: Results) -> int:
    """Return the frame height (px) the embed snippet gives, for hosts that run no script: the
    card's height at 320 px wide, so that nothing is cut off (a script fits it exactly)."""
    if seat is None:
        return 600
    if seat.is_declared:
        return 260 + 62 * len(seat.candidates)
    return 240 + 30 * len(seat.candidates)


def render_embed(results: Results, seat: Optional[SeatResult], env: Environment,
                 assets: dict[str, Asset]) -> str:
    """Return a compact result card for an <iframe> in an article: one seat's, or (None) the
    county's map and tally. No site chrome; links open the full page in a new tab."""
    page = embed_path(seat)
    hexes = hex_map(results) if seat is None else None
    return env.get_template("embed.html").render(
        results=results, seat=seat, site=results.site.info, parties=results.site.parties,
        map=hexes, headline=headline(results), bars=share_bars(seat) if seat else None,
        canonical=f"{results.site.info.base_url}{seat.seat.slug + '/' if seat else ''}",
        **_page_globals(page, assets))


def embed_snippet(results: Results, seat: Optional[SeatResult]) -> str:
    """Return the HTML a newsroom copies into an article to show the card: the frame, and a few
    lines that fit its height to the card (the card says its height, from the site's own origin)."""
    base = results.site.info.base_url
    origin = "/".join(base.split("/")[:3])
    where = f"{seat.seat.slug}/" if seat else ""
    title = (f"{seat.seat.facts.name}: {seat.label}" if seat else headline(results)) + f" – {results.site.info.title}"
    return (f'<iframe src="{escape(base + where)}embed/" title="{escape(title)}" width="100%" '
            f'height="{embed_height(seat, results)}" style="border:0;width:100%;max-width:700px" loading="lazy">'
            f'</iframe>\n<script>addEventListener("message",function(e){{if(e.origin!=={json.dumps(origin)}||!e.data||'
            f'e.data.type!=="sitegen:height")return;document.querySelectorAll("iframe").forEach(function(f){{'
            f'if(f.contentWindow===e.source)f.style.height=e.data.height+"px"}})}});</script>')

