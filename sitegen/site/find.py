"""Find your seat: the page listing every seat with its places, and the static index search.js reads.

The index is split so that one lookup downloads a few KB, whatever the area's size:
- `find/index.json`: the seats (slug, name, result in a word) and which files exist;
- `find/n-<letter>.json`: the seats, wards and candidates with a word starting with that letter;
- `find/p/<AREA>.json` (`DE`): each postcode district and sector of the area with the seats it touches;
- `find/p/<DISTRICT>.json` (`DE56`): each full postcode of the district with its seat.
Seats are named in the other files by their place in index.json's list.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from sitegen.content.model import SiteInfo
from sitegen.content.places import Places
from sitegen.results import SeatResult

if TYPE_CHECKING:
    from sitegen.site.pages import Parties, Renderer

FIND = "find/"
FIND_PAGE = "find/index.html"
SMALL_WORDS = {"and", "the", "of", "upon", "on", "in", "with", "de", "le", "la"}


def folded(text: str) -> str:
    """Return `text` as the search compares it: lower case, no accents, '&' as 'and', one space
    between words, no other punctuation (search.js folds what the reader types the same way)."""
    text = unicodedata.normalize("NFKD", text.replace("&", " and ")).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def letters(text: str) -> set[str]:
    """Return the first letters of the words an entry can be found by."""
    return {word[0] for word in folded(text).split() if word not in SMALL_WORDS}


@dataclass(frozen=True)
class FindSeat:
    """One seat as the find page lists it."""

    slug: str
    name: str
    result: str                                       # 'Labour hold', 'Result awaited'
    councils: tuple[tuple[str, tuple[str, ...]], ...]  # each council with the seat's wards in it


@dataclass(frozen=True)
class FindPage:
    """find/index.html: every seat with its places, for readers without JavaScript (and the
    box's results page with it); and the credit the place lookups' licences ask for."""

    site: SiteInfo
    seats: tuple[FindSeat, ...]
    sources: Optional[str]          # Markdown, from content/places/sources.md
    postcodes: bool                 # whether the box can look up postcodes
    share: str                      # the overview's share card, for og:image


@dataclass(frozen=True)
class FindIndex:
    """find/index.json."""

    seats: tuple[tuple[str, str, str], ...]   # slug, name, result in a few words
    letters: tuple[str, ...]
    areas: tuple[str, ...]                    # postcode areas with a file in find/p/


@dataclass(frozen=True)
class NameFile:
    """find/n-<letter>.json: [name, kind (0 seat, 1 ward, 2 candidate), what it is, seat number...]
    per entry."""

    entries: tuple[tuple, ...]


@dataclass(frozen=True)
class AreaFile:
    """find/p/<AREA>.json: districts and sectors with the seats they touch."""

    districts: tuple[tuple[str, tuple[int, ...]], ...]
    sectors: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class DistrictFile:
    """find/p/<DISTRICT>.json: each postcode's second half with its seat."""

    postcodes: tuple[tuple[str, int], ...]


def result_words(seat: SeatResult, parties: "Parties") -> str:
    if seat.is_declared:
        return f"{parties[seat.winner.party].name} {'gain' if seat.is_gain else 'hold'}"
    return "Recount under way" if seat.status == "recount" else "Result awaited"


def find_outputs(site: SiteInfo, parties: "Parties", seats: tuple[SeatResult, ...], places: Optional[Places],
                 share: str) -> dict[str, object]:
    """Return every file of find/ by path, each as the context it is rendered from."""
    # seats are numbered in the order of their slugs, which a renamed seat keeps
    seats = tuple(sorted(seats, key=lambda seat: seat.seat.slug))
    number = {seat.seat.slug: i for i, seat in enumerate(seats)}
    # (a seat file with a mistake is left out of the preview for now, and so are its places)
    place_wards = [w for w in places.wards if w[2] in number] if places else []
    place_postcodes = [p for p in places.postcodes if p[1] in number] if places else []
    wards: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ward, council, slug in place_wards:
        wards[slug][council].append(ward)
    page_seats = tuple(FindSeat(
        seat.seat.slug, seat.seat.facts.name, result_words(seat, parties),
        tuple((council, tuple(sorted(names, key=str.casefold))) for council, names in sorted(wards[seat.seat.slug].items())))
        for seat in seats)
    outputs: dict[str, object] = {}
    # names: seats, wards (one entry per ward and council, with every seat it is in), candidates
    entries: list[tuple] = [(seat.seat.facts.name, 0, "", number[seat.seat.slug]) for seat in seats]
    ward_seats: dict[tuple[str, str], list[int]] = defaultdict(list)
    for ward, council, slug in place_wards:
        ward_seats[ward, council].append(number[slug])
    entries += [(ward, 1, f"{council} council ward", *sorted(found))
                for (ward, council), found in sorted(ward_seats.items())]
    for seat in seats:
        for candidate in seat.seat.facts.candidates:
            entries.append((candidate.name, 2, f"{parties[candidate.party].name} candidate", number[seat.seat.slug]))
    by_letter: dict[str, list[tuple]] = defaultdict(list)
    for entry in entries:
        for letter in letters(entry[0]):
            by_letter[letter].append(entry)
    for letter, found in sorted(by_letter.items()):
        outputs[f"find/n-{letter}.json"] = NameFile(tuple(found))
    # postcodes: by area, then by district
    areas: dict[str, tuple[dict[str, set[int]], dict[str, set[int]]]] = {}
    districts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for postcode, slug in place_postcodes:
        outward, inward = postcode.split(" ")
        area = re.match(r"[A-Z]+", outward).group()  # type: ignore[union-attr]
        by_district, by_sector = areas.setdefault(area, (defaultdict(set), defaultdict(set)))
        by_district[outward].add(number[slug])
        by_sector[f"{outward} {inward[0]}"].add(number[slug])
        districts[outward].append((inward, number[slug]))
    for area, (by_district, by_sector) in sorted(areas.items()):
        outputs[f"find/p/{area}.json"] = AreaFile(
            tuple((d, tuple(sorted(s))) for d, s in sorted(by_district.items())),
            tuple((d, tuple(sorted(s))) for d, s in sorted(by_sector.items())))
    for district, found in sorted(districts.items()):
        outputs[f"find/p/{district}.json"] = DistrictFile(tuple(sorted(found)))
    outputs["find/index.json"] = FindIndex(tuple((s.slug, s.name, s.result) for s in page_seats),
                                           tuple(sorted(by_letter)), tuple(sorted(areas)))
    outputs[FIND_PAGE] = FindPage(site, tuple(sorted(page_seats, key=lambda s: (s.name.casefold(), s.slug))), places.sources if places else None, bool(areas),
                                  share)
    return outputs


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def render_find_data(r: "Renderer", page: str, context: object) -> str:
    """Return one of find/'s JSON files."""
    if isinstance(context, FindIndex):
        return _json({"seats": [list(s) for s in context.seats], "letters": "".join(context.letters),
                      "areas": list(context.areas)})
    if isinstance(context, NameFile):
        return _json([list(e) for e in context.entries])
    if isinstance(context, AreaFile):
        return _json({"d": dict(context.districts), "s": dict(context.sectors)})
    assert isinstance(context, DistrictFile)
    return _json(dict(context.postcodes))


def render_find_page(r: "Renderer", page: str, context: FindPage) -> str:
    """Return the page listing every seat with its places."""
    return r.render("find.html", page, site=context.site, seats=context.seats, postcodes=context.postcodes,
                    sources=r.blurb(context.sources, page) if context.sources else None,
                    canonical=f"{context.site.base_url}find/", live="", live_every=None, share=context.share)
