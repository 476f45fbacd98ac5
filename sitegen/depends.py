"""The dependency map: which outputs a change to the content touches, for incremental rebuilds.

Worked out from the data, not from file names: the old and new validated content are compared.
"""
from __future__ import annotations

from typing import Optional

from .compute import Results, SeatResult
from .export import hexjson_name
from .render import seat_path

# Outputs that show every constituency's figures or the county's sums, so any change to a seat's
# facts touches them.
SEAT_INDEXES = ("index.html", "results.json", "results.csv", "county.csv")


def neighbours(results: Results, slug: str) -> set[str]:
    """Return the slugs listed just before and after `slug` (their pages link to it)."""
    slugs = [s.seat.slug for s in results.seats]
    if slug not in slugs:
        return set()
    i = slugs.index(slug)
    return {slugs[j] for j in (i - 1, i + 1) if 0 <= j < len(slugs)}


def _sitemap_key(seat: SeatResult) -> tuple:
    """What the sitemap takes from a seat besides its slug: its lastmod's dates, and its name,
    which orders the list."""
    return seat.seat.facts.updated, seat.seat.facts.declared_at, seat.seat.facts.name


def _tile_key(seat: SeatResult) -> tuple:
    """What the tile-map file shows of a seat."""
    facts = seat.seat.facts
    return facts.hex, facts.name, seat.status, seat.winner.party if seat.winner else None


def affected_outputs(before: Results, after: Results, *, code_changed: bool) -> Optional[set[str]]:
    """Return the outputs to render again after a change, or None when everything is touched.

    - templates or static files, site.yml or parties.yml changed, or a seat added or removed: all;
    - overview.md changed: the overview;
    - a blurb changed: its seat's page;
    - a constituency's facts changed: its page, the overview and the data files; the pages listed
      next to it before and after the change when its name changed (their links name it); the
      sitemap when its dates or name changed; the tile map when its tile, name, status or winner
      changed; and every seat page whose rank in the county (closest result, turnout) moved.
    """
    old_site, new_site = before.site, after.site
    if code_changed or old_site.info != new_site.info or old_site.parties != new_site.parties:
        return None
    old = {c.slug: c for c in old_site.constituencies}
    new = {c.slug: c for c in new_site.constituencies}
    if old.keys() != new.keys():
        return None
    if any(c.facts.hex for c in old.values()) != any(c.facts.hex for c in new.values()):
        return None  # the tile-map file appears or disappears
    names: set[str] = set()
    if old_site.overview != new_site.overview:
        names.add("index.html")
    for slug in (slug for slug in new if new[slug] != old[slug]):
        was, now = before.seat(slug), after.seat(slug)
        names.add(seat_path(now))
        if old[slug].facts == new[slug].facts:
            continue  # only the blurb changed, which only its own page shows
        names.update(SEAT_INDEXES)
        if old[slug].facts.name != new[slug].facts.name:
            names.update(seat_path(after.seat(s)) for s in neighbours(before, slug) | neighbours(after, slug))
        if _sitemap_key(was) != _sitemap_key(now):
            names.add("sitemap.xml")
        if _tile_key(was) != _tile_key(now):
            names.add(hexjson_name(new_site.info.area))
    # Seat pages say where they rank in the county; a change elsewhere can move them.
    old_ranks, new_ranks = before.county.ranks, after.county.ranks
    covered = (len(before.county.seats), len(after.county.seats))
    names.update(seat_path(s) for s in after.seats
                 if old_ranks.get(s.seat.slug) != new_ranks.get(s.seat.slug)
                 or (covered[0] != covered[1] and s.is_declared))
    return names
