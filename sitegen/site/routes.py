"""The route table: every file the site publishes, and nothing else.

Each route names its output path, its renderer, and its context: the frozen value the renderer
is given, and nothing else besides the templates, static files and code. So two builds that give
a route equal contexts give it the same bytes, and the preview renders a route again exactly when
its context differs from the last build's (or the templates, static files or code changed): the
context is the route's dependency, with no second list to keep in step. The post-render check
finds the pages, the seat pages and the data files here. To publish a new file, add its route below with the context it needs.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Optional, Union

from sitegen.buildcache import Memo
from sitegen.content.model import SiteInfo
from sitegen.results import Results
from sitegen.site.cards import OverviewCard, SeatCard, card_file, favicon_ico, overview_card, seat_card, touch_icon
from sitegen.site.charts import hex_map
from sitegen.site.maps import map_views, render_map
from sitegen.site.find import FIND_PAGE, find_outputs, render_find_data, render_find_page
from sitegen.site.data import (ResultsData, hexjson_name, render_county_csv, render_hexjson, render_results_csv,
                               render_results_json, render_status, seat_states, tiles_of)
from sitegen.site.pages import (AreaEmbed, MovedPage, Neighbour, OverviewPage, Renderer, SeatEmbed, SeatPage,
                                corrections_page, embed_path, feed_of, render_corrections, page_dates, poll_seconds, rank_phrases, render_area_embed,
                                render_feed, render_moved, render_overview, render_seat_embed, render_seat_page,
                                seat_path)

Body = Union[str, bytes]

OVERVIEW, RESULTS_JSON, RESULTS_CSV = "index.html", "results.json", "results.csv"
STATUS, FEED = "status.json", "feed.xml"
CORRECTIONS = "corrections/index.html"

# What a route publishes, which decides how the post-render check reads it.
PAGE = "page"              # HTML whose links and anchors must resolve
ANYWHERE_PAGE = "anywhere"  # HTML served at any address (404.html), so it links by absolute address
DATA = "data"              # a data file for readers and machines
ASSET = "asset"            # a static file, published under its content hash
IMAGE = "image"            # a drawn image: share cards and icons

Render = Callable[[Renderer, str, Any], Body]


class Route(NamedTuple):
    """One output file of the site: render(renderer, path, context) makes its bytes (or text,
    written as UTF-8)."""

    path: str
    render: Render
    context: Any
    kind: str = PAGE
    seat: Optional[str] = None     # a constituency's page: its slug


def site_path(base_url: str) -> str:
    """Return the path part of the site's address ('/derbyshire-2024/'): where 404.html, served
    at any depth, links home, on the host the site is published on."""
    return "/" + base_url.split("://", 1)[-1].partition("/")[2]


@dataclass(frozen=True)
class NotFound:
    """404.html: served at any address, so it links home by the site's own path."""

    site: SiteInfo
    home: str
    seats: tuple[tuple[str, str], ...] = ()  # (slug, name) of every seat, listed on the page


@dataclass(frozen=True)
class Sitemap:
    """sitemap.xml: every page's address and last-modified day."""

    site: SiteInfo
    dates: tuple[tuple[str, str], ...]  # ('' for the overview, then each seat's slug) and the day


def render_not_found(r: Renderer, page: str, context: NotFound) -> str:
    css = r.assets["style.css"].data.decode("utf-8") if "style.css" in r.assets else ""
    from markupsafe import Markup
    icon = r.assets.get("favicon.svg")
    icon_url = "data:image/svg+xml;base64," + base64.b64encode(icon.data).decode("ascii") if icon else None
    return r.env.get_template("404.html").render(site=context.site, inline_css=Markup(css), home=context.home,
                                                 seats=context.seats, icon=icon_url,
                                                 search_js=r.assets["search.js"].output if "search.js" in r.assets else None)


def render_sitemap(r: Renderer, page: str, context: Sitemap) -> str:
    return r.env.get_template("sitemap.xml").render(site=context.site, home=context.dates[0][1],
                                                    pages=context.dates[1:])


def render_robots(r: Renderer, page: str, base_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n"


def render_seat_card(r: Renderer, page: str, card: SeatCard) -> bytes:
    return r.cards.seat(card)


def render_overview_card(r: Renderer, page: str, card: OverviewCard) -> bytes:
    return r.cards.overview(card)


def render_icon(r: Renderer, page: str, draw: Callable[[], bytes]) -> bytes:
    return draw()


def render_asset(r: Renderer, page: str, name: str) -> bytes:
    return r.assets[name].data


def route_table(results: Results, asset_names: dict[str, str], memo: Optional[Memo] = None) -> dict[str, Route]:
    """Return every output of the site by path, in a stable order. `asset_names` maps each static
    file to the path it is published under; with `memo` (the preview's), a seat's card and contexts
    are made again only when what they are made from changed."""
    memo = memo if memo is not None else Memo()
    content, seats = results.content, results.seats
    info, parties = content.info, content.parties
    night, county = results.night, results.county
    # Share cards (og:image) are named by what they show, so a changed card has a new address
    area_card = overview_card(night, county, parties, info.title, info.election)
    cards = {seat.seat.slug: memo.get(("card", seat.seat.slug), (seat, parties, info.title, info.election),
                                      lambda seat=seat: seat_card(seat, parties, info.title, info.election))
             for seat in seats}
    shares = {slug: f"{slug}/{card_file(card)}" for slug, card in cards.items()}
    area_share = card_file(area_card)
    table = [Route(OVERVIEW, render_overview, OverviewPage(info, parties, night, county, content.overview, area_share))]
    for i, seat in enumerate(seats):
        before, after = (seats[i - 1] if i else None), (seats[i + 1] if i + 1 < len(seats) else None)
        slug = seat.seat.slug
        table.append(Route(seat_path(slug), render_seat_page, SeatPage(
            info, parties, seat, content.blurbs[slug].shown(seat.is_declared),
            Neighbour(before.seat.slug, before.seat.facts.name) if before else None,
            Neighbour(after.seat.slug, after.seat.facts.name) if after else None,
            rank_phrases(results, seat) if seat.is_declared else (), poll_seconds(night), shares[slug]), seat=slug))
    # A renamed seat's old addresses keep working: a small page at each sends readers on
    # (and so do embeds already placed in articles).
    table += [Route(f"{old}/{part}index.html", render_moved, MovedPage(info, seat.seat.facts.name,
                                                                        f"{seat.seat.slug}/{part}"))
              for seat in seats for old in seat.seat.facts.old_slugs for part in ("", "embed/")]
    data = ResultsData(info, parties, seats, results.tally, county)
    table += [
        Route(CORRECTIONS, render_corrections, corrections_page(info, seats, area_share)),
        Route("404.html", render_not_found, NotFound(info, site_path(info.base_url), tuple(
            (seat.seat.slug, seat.seat.facts.name) for seat in seats)), kind=ANYWHERE_PAGE),
        Route("sitemap.xml", render_sitemap, Sitemap(info, page_dates(info, seats)), kind=DATA),
        Route("robots.txt", render_robots, info.base_url, kind=DATA),
        Route(RESULTS_JSON, render_results_json, data, kind=DATA),
        Route(RESULTS_CSV, render_results_csv, data, kind=DATA),
        Route("county.csv", render_county_csv, data, kind=DATA),
        # election night: what open pages poll for news, and the declarations as a feed
        Route(STATUS, render_status, seat_states(seats), kind=DATA),
        Route(FEED, render_feed, feed_of(info, parties, seats), kind=DATA),
    ]
    # The map views, one page each, when the seats have places on the map
    table += [Route(path, render_map, view) for path, view in
              map_views(info, parties, night, hex_map(night.seats), area_share).items()]
    # Find your seat: a page listing every seat with its places, and the index the search box reads
    for path, context in find_outputs(info, parties, seats, content.places, area_share).items():
        table.append(Route(path, render_find_page, context) if path == FIND_PAGE
                     else Route(path, render_find_data, context, kind=DATA))
    if any(s.seat.facts.hex for s in seats):
        table.append(Route(hexjson_name(info.area), render_hexjson, tiles_of(seats), kind=DATA))
    # Results that travel: a share card per page (og:image), an embeddable card per seat and for
    # the area; and the icons browsers and phones ask for by name.
    for seat in seats:
        slug = seat.seat.slug
        table.append(Route(shares[slug], render_seat_card, cards[slug], kind=IMAGE))
        table.append(Route(embed_path(slug), render_seat_embed, memo.get(("embed", slug), (info, parties, seat),
                                                                         lambda seat=seat: SeatEmbed(info, parties, seat))))
    table += [
        Route(area_share, render_overview_card, area_card, kind=IMAGE),
        Route(embed_path(None), render_area_embed, AreaEmbed(info, parties, night)),
        Route("apple-touch-icon.png", render_icon, touch_icon, kind=IMAGE),
        Route("favicon.ico", render_icon, favicon_ico, kind=IMAGE),
    ]
    table += [Route(output, render_asset, name, kind=ASSET) for name, output in asset_names.items()]
    routes = {route.path: route for route in table}
    # (content/ cannot name a seat after a folder the site writes: config.RESERVED_SLUGS)
    assert len(routes) == len(table), [path for path in routes if sum(r.path == path for r in table) > 1]
    return routes
