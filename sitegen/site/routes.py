"""The route table: every file the site publishes, and nothing else.

Each route names its output path, how it is rendered, and what it is made from (`inputs`): two
builds whose routes have equal inputs, and the same site-wide inputs (site.yml, parties.yml,
templates and static files), give that file the same bytes. The preview re-renders a route only
when its inputs changed; the build shares routes out between cores by `cost` and `together`; the
post-render check finds the pages, the seat pages and the data files here. To publish a new file,
add its route below.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

from jinja2 import Environment
from markupsafe import Markup

from sitegen.site.assets import Asset
from sitegen.site.cards import favicon_ico, overview_card_data, seat_card_data, touch_icon
from sitegen.results import Results, SeatResult
from sitegen.site.data import (hexjson_name, render_county_csv, render_hexjson, render_results_csv, render_results_json,
                     render_status)
from sitegen.site.pages import (RenderMemo, embed_path, headline, page_dates, render_constituency, render_embed, render_feed,
                     render_moved, render_overview, seat_path)

Body = Union[str, bytes]

OVERVIEW, RESULTS_JSON, RESULTS_CSV = "index.html", "results.json", "results.csv"
SHARE_IMAGE = "share.png"
STATUS, FEED = "status.json", "feed.xml"

# What a route publishes, which decides how the post-render check reads it.
PAGE = "page"              # HTML whose links and anchors must resolve
ANYWHERE_PAGE = "anywhere"  # HTML served at any address (404.html), so it links by absolute address
DATA = "data"              # a data file for readers and machines
ASSET = "asset"            # a static file, published under its content hash
IMAGE = "image"            # a drawn image: share cards and icons


@dataclass(frozen=True)
class Route:
    """One output file of the site."""

    path: str                      # where it is written in dist/
    render: Callable[[], Body]     # makes its bytes (or text, written as UTF-8)
    inputs: Any                    # what it is made from besides the site-wide inputs
    kind: str = PAGE
    seat: Optional[str] = None     # a constituency's page: its slug
    cost: int = 1                  # about how many seat pages' work it is to render
    together: str = ""             # routes that share work (same non-empty key) render in one piece


def _neighbour(seat: Optional[SeatResult]) -> Optional[tuple[str, str]]:
    return (seat.seat.slug, seat.seat.facts.name) if seat else None


def _tile(seat: SeatResult) -> tuple:
    facts = seat.seat.facts
    return seat.seat.slug, facts.hex, facts.name, seat.status, seat.winner.party if seat.winner else None


def site_path(base_url: str) -> str:
    """Return the path part of the site's address ('/derbyshire-2024/'): where 404.html, served
    at any depth, links home, on the host the site is published on."""
    return "/" + base_url.split("://", 1)[-1].partition("/")[2]


def _state(seat: SeatResult) -> tuple:
    return seat.seat.slug, seat.seat.facts.name, seat.status, seat.label, seat.seat.facts.declared_at


def route_table(results: Results, env: Environment, assets: dict[str, Asset], memo: RenderMemo) -> dict[str, Route]:
    """Return every output of the site by path, in a stable order."""
    info, seats, county = results.site.info, results.seats, results.county
    declared = len(county.seats)
    # A seat's figures follow from its facts and the parties (site-wide); its blurb shows on its page only.
    facts = tuple((s.seat.slug, s.seat.facts) for s in seats)
    table = [Route(OVERVIEW, lambda: render_overview(results, env, assets, memo), (results.site.overview, facts),
                   cost=50)]
    for i, seat in enumerate(seats):
        before, after = (seats[i - 1] if i else None), (seats[i + 1] if i + 1 < len(seats) else None)
        table.append(Route(
            seat_path(seat), lambda i=i: render_constituency(results, i, env, assets, memo.markdown),
            # the page names its neighbours and says where the seat ranks among those declared
            (seat.seat, _neighbour(before), _neighbour(after), county.ranks.get(seat.seat.slug),
             declared if seat.is_declared else None, declared == len(seats)),
            seat=seat.seat.slug))
    # A renamed seat's old addresses keep working: a small page at each sends readers on.
    # (and so do embeds already placed in articles)
    table += [Route(f"{old}/{part}index.html",
                    lambda seat=seat, old=old, part=part: render_moved(results, seat, old, env, assets, part),
                    (old, seat.seat.slug, seat.seat.facts.name))
              for seat in seats for old in seat.seat.facts.old_slugs for part in ("", "embed/")]
    css = assets["style.css"].data.decode("utf-8") if "style.css" in assets else ""
    table += [
        Route("404.html", lambda: env.get_template("404.html").render(site=info, inline_css=Markup(css),
                                                                       home=site_path(info.base_url)), (),
              kind=ANYWHERE_PAGE),
        Route("sitemap.xml", lambda: env.get_template("sitemap.xml").render(
            results=results, site=info, lastmod=page_dates(results)),
            tuple((s.seat.slug, s.seat.facts.name, s.seat.facts.updated, s.seat.facts.declared_at) for s in seats),
            kind=DATA),
        Route("robots.txt", lambda: f"User-agent: *\nAllow: /\nSitemap: {info.base_url}sitemap.xml\n", (),
              kind=DATA),
        Route(RESULTS_JSON, lambda: render_results_json(results, memo.records), facts, kind=DATA, cost=10,
              together="records"),
        Route(RESULTS_CSV, lambda: render_results_csv(results, memo.records), facts, kind=DATA, cost=10,
              together="records"),
        Route("county.csv", lambda: render_county_csv(results), facts, kind=DATA),
        # election night: what open pages poll for news, and the declarations as a feed
        Route(STATUS, lambda: render_status(results), tuple(_state(s) for s in seats), kind=DATA),
        Route(FEED, lambda: render_feed(results, env, memo), facts, kind=DATA),
    ]
    if any(s.seat.facts.hex for s in seats):
        table.append(Route(hexjson_name(info.area), lambda: render_hexjson(results),
                           tuple(_tile(s) for s in seats), kind=DATA))
    # Results that travel: a share card per page (og:image), an embeddable card per seat and for
    # the county; and the icons browsers and phones ask for by name.
    cards, title, election = memo.cards, info.title, info.election
    for seat in seats:
        card = seat_card_data(seat, title, election)
        table.append(Route(f"{seat.seat.slug}/{SHARE_IMAGE}", lambda card=card: cards.seat(card), card, kind=IMAGE,
                           cost=8))
        table.append(Route(embed_path(seat), lambda seat=seat: render_embed(results, seat, env, assets),
                           (seat.seat.facts, seat.status), cost=1))
    overview_card = overview_card_data(results, headline(results))
    table += [
        Route(SHARE_IMAGE, lambda: cards.overview(overview_card), overview_card, kind=IMAGE, cost=12),
        Route(embed_path(None), lambda: render_embed(results, None, env, assets),
              (tuple(_tile(s) for s in seats), results.tally), cost=5),
        Route("apple-touch-icon.png", touch_icon, (), kind=IMAGE),
        Route("favicon.ico", favicon_ico, (), kind=IMAGE),
    ]
    table += [Route(asset.output, lambda asset=asset: asset.data, (), kind=ASSET) for asset in assets.values()]
    return {route.path: route for route in table}
