"""The dependency map: which outputs a change to the content touches, for incremental rebuilds.

Worked out from the data, not from file names: the old and new validated content are compared.
"""
from __future__ import annotations

from typing import Optional

from .compute import Results
from .export import hexjson_name
from .render import seat_path

# Outputs that list every constituency, so any change to one seat touches them.
SEAT_INDEXES = ("index.html", "results.json", "results.csv", "sitemap.xml")


def neighbours(results: Results, slug: str) -> set[str]:
    """Return the slugs listed just before and after `slug` (their pages link to it)."""
    slugs = [s.seat.slug for s in results.seats]
    if slug not in slugs:
        return set()
    i = slugs.index(slug)
    return {slugs[j] for j in (i - 1, i + 1) if 0 <= j < len(slugs)}


def affected_outputs(before: Results, after: Results, *, code_changed: bool) -> Optional[set[str]]:
    """Return the outputs to render again after a change, or None when everything is touched.

    - templates or static files, site.yml or parties.yml changed, or a seat added or removed: all;
    - overview.md changed: the overview;
    - one constituency's facts or blurb changed: its page, the pages listed next to it before and
      after the change (their links name it), the overview, the data files and the sitemap.
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
    changed = [slug for slug in new if new[slug] != old[slug]]
    if changed:
        names.update(SEAT_INDEXES)
        names.add(hexjson_name(new_site.info.area))
    for slug in changed:
        for touched in {slug} | neighbours(before, slug) | neighbours(after, slug):
            names.add(seat_path(after.seat(touched)))
    return names
