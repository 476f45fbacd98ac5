"""After rendering, in memory: every link and anchor resolves, and every figure agrees across the
seat pages, the overview, results.json and results.csv.

Pages are read with a real HTML parser (lexbor, through selectolax), so the check sees what a
browser sees however the markup is written; the data files with the json and csv modules.
"""
from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Mapping, Optional
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from sitegen.errors import ContentError
from sitegen.site.filters import format_number, format_signed
from sitegen.site.routes import OVERVIEW, PAGE, RESULTS_CSV, RESULTS_JSON, Body, Route


@dataclass
class PageScan:
    """A page's links (href and src), element ids, and its tables' body rows by the table's first
    class: each row's cell texts by column heading, and the row's first link."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    row_links: dict[str, list[Optional[str]]] = field(default_factory=dict)
    active: list[str] = field(default_factory=list)  # markup that runs code where none may be


# No template writes an event handler, and a blurb (in a .prose section) holds only the cleaned
# allow-list: whatever put one of these on a page (a damaged cache, a bug), it is not published.
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
_ACTIVE_IN_BLURBS = ".prose script, .prose style, .prose iframe, .prose object, .prose embed, .prose form, " \
                    ".prose img, .prose svg, .prose math, .prose link, .prose meta, .prose base"
SCRIPT_SCHEMES = ("javascript", "vbscript", "data")


def _text(node: Any) -> str:
    return " ".join(node.text(deep=True, separator="").split())


def scan_page(html: str) -> PageScan:
    """Return the links, ids and table cells of one page, parsed as a browser would."""
    tree = LexborHTMLParser(html)
    scan = PageScan()
    for node in tree.css("[href], [src], [id]"):
        attributes = node.attributes
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                scan.links.append(attributes[name])
        if attributes.get("id"):
            scan.ids.add(attributes["id"])
    if _HANDLER.search(html):  # (a quick look first: the attributes of every element cost more)
        for node in tree.css("*"):
            scan.active += [f"an event handler ({name}) on <{node.tag}>" for name in node.attributes
                            if name.lower().startswith("on")]
    scan.active += [f"<{node.tag}> in a blurb" for node in tree.css(_ACTIVE_IN_BLURBS)]
    for table in tree.css("table"):
        classes = (table.attributes.get("class") or "").split()
        cells, links = scan.tables.setdefault(classes[0] if classes else "", []), \
            scan.row_links.setdefault(classes[0] if classes else "", [])
        headings = [_text(cell) for cell in table.css("thead th")]
        for row in table.css("tbody > tr"):
            cells.append(dict(zip(headings, (_text(cell) for cell in row.iter() if cell.tag in ("th", "td")))))
            link = row.css_first("a[href]")
            links.append(link.attributes["href"] if link else None)
    return scan


@lru_cache(maxsize=65536)
def resolve_link(page: str, href: str) -> tuple[str, str] | None:
    """Return (output path, fragment) that a relative `href` on `page` points to; None if external."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    if not parts.path:
        return page, parts.fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
    if parts.path.endswith("/") or target == ".":
        target = posixpath.join("" if target == "." else target, "index.html")
    return target, parts.fragment


CSV_FIGURES = ("votes", "share_pct", "change_pp")  # the columns checked against results.json


@dataclass
class SeatData:
    """One constituency as the data files give it: its results.json record (numbers exactly as
    written) and the CSV_FIGURES of its results.csv rows."""

    record: dict[str, Any]
    csv_rows: list[list[str]]


def _csv_figures(text: str, header: Optional[list[str]] = None) -> dict[str, list[list[str]]]:
    records = csv.reader(io.StringIO(text))
    header = header or next(records, [])
    slug_at = header.index("constituency_slug")
    at = [header.index(column) for column in CSV_FIGURES]
    rows: dict[str, list[list[str]]] = {}
    for record in records:
        rows.setdefault(record[slug_at], []).append([record[i] for i in at])
    return rows


def read_data_files(files: Mapping[str, Body]) -> dict[str, SeatData]:
    """Return every constituency's data from the whole of results.json and results.csv."""
    seats = json.loads(files[RESULTS_JSON], parse_float=Decimal)["constituencies"]
    table = files[RESULTS_CSV]
    rows = _csv_figures(table.decode("utf-8") if isinstance(table, bytes) else table)
    return {s["slug"]: SeatData(s, rows.get(s["slug"], [])) for s in seats}


def read_data_records(records: Mapping[str, tuple[str, str]], header: list[str]) -> dict[str, SeatData]:
    """Return constituencies' data from the pieces results.json and results.csv were assembled from
    (slug -> its JSON record text and its CSV rows text): what an incremental rebuild checks."""
    data = {}
    for slug, (record, rows) in records.items():
        data[slug] = SeatData(json.loads(record, parse_float=Decimal), _csv_figures(rows, header).get(slug, []))
    return data


def _pct(value: Decimal) -> str:
    return f"{value}%"


def _change(candidate: dict) -> str:
    if candidate["new_party"]:
        return "new"
    return "–" if candidate["change_pp"] is None else format_signed(candidate["change_pp"])


def check_figures(routes: Mapping[str, Route], scans: Mapping[str, PageScan], data: Mapping[str, SeatData],
                  slugs: Iterable[str]) -> list[ContentError]:
    """Return an error for every figure of the seats `slugs` where its page, the overview,
    results.json and results.csv disagree."""
    pages = {route.seat: path for path, route in routes.items() if route.seat}
    overview_scan = scans[OVERVIEW]
    overview = dict(zip(overview_scan.row_links.get("seats", []), overview_scan.tables.get("seats", [])))
    errors = []

    def disagree(page: str, what: str, shown: Any, expected: Any) -> None:
        errors.append(ContentError(f"dist/{page}", 0, 0,
                                   f"{what} shows {shown!r} but results.json has {expected!r}"))

    for slug in sorted(slugs):
        if slug not in data:
            errors.append(ContentError(f"dist/{RESULTS_JSON}", 0, 0, f"has no record for {slug!r}"))
            continue
        seat = data[slug].record
        if seat["status"] != "declared":
            continue
        page = pages.get(slug)
        if page not in scans:
            errors.append(ContentError(f"dist/{slug}/index.html", 0, 0, f"results.json lists {seat['name']} "
                                       "but its page was not rendered"))
            continue
        rows = [[row.get(column) for column in ("Votes", "Share", "Change")]
                for row in scans[page].tables.get("result", [])]
        expected = [[format_number(c["votes"]), _pct(c["share_pct"]), _change(c)] for c in seat["candidates"]]
        rows = [_deposit_share(row, c) for row, c in zip(rows, seat["candidates"])] + rows[len(seat["candidates"]):]
        if rows != expected:
            disagree(page, "the results table", rows, expected)
        row = overview.get(seat["url"])
        summary = [row.get("Majority"), row.get("Turnout")] if row is not None else None
        want = [f"{format_number(seat['majority'])} ({_pct(seat['majority_pct'])})", _pct(seat["turnout_pct"])]
        if summary != want:
            disagree(OVERVIEW, f"the row for {seat['name']}", summary, want)
        from_json = [[str(c["votes"]), str(c["share_pct"]), "" if c["change_pp"] is None else str(c["change_pp"])]
                     for c in seat["candidates"]]
        if data[slug].csv_rows != from_json:
            disagree(RESULTS_CSV, f"the rows for {seat['name']}", data[slug].csv_rows, from_json)
    return errors


def _deposit_share(row: list, candidate: dict) -> list:
    """Return a results-table row with a lost deposit's share as results.json rounds it, when the
    page gives it to more places so that it does not read 5.0% (4.97%): that share must be under 5
    and round to the one in results.json."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
    shown = row[1] if len(row) > 1 else None
    if not candidate.get("lost_deposit") or not isinstance(shown, str) or not shown.endswith("%"):
        return row
    try:
        value = Decimal(shown[:-1])
    except InvalidOperation:
        return row
    if value < 5 and value.quantize(Decimal("0.1"), ROUND_HALF_UP) == Decimal(str(candidate["share_pct"])):
        return [row[0], _pct(candidate["share_pct"]), *row[2:]]
    return row


class Checker:
    """The post-render check, fed batch by batch as outputs are rendered (see engine.gather).

    Links to other files are checked as their page arrives, and the data files are read as soon as
    both have arrived, while other pages still render; links to anchors in other pages, and the
    figures, are checked by finish(). 404.html is left out: it is served at any address, so it
    links by absolute address.
    """

    def __init__(self, routes: Mapping[str, Route], pages: Iterable[str], slugs: Iterable[str],
                 read_data: bool = True):
        self.routes = routes
        self.pages = set(pages)     # the pages whose links to check
        self.slugs = set(slugs)     # the seats whose figures to check
        self.read_data = read_data  # read results.json and results.csv whole when they arrive
        self.problems: list[ContentError] = []
        self.data: Optional[dict[str, SeatData]] = None
        self._anchors: list[tuple[str, str, str, str]] = []  # page, href, target, fragment
        self._data_files: dict[str, Body] = {}
        self._checked: set[str] = set()  # pages whose links were checked (a batch may come twice)

    def add(self, files: Mapping[str, Body], scans: Mapping[str, PageScan]) -> None:
        """Check what can be checked of a batch of rendered outputs and their parsed pages."""
        for page, scan in scans.items():
            if page in self.pages and page not in self._checked and self.routes[page].kind == PAGE:
                self._checked.add(page)
                self._links(page, scan.links)
                self.problems += [ContentError(f"dist/{page}", 0, 0, f"has {what}, which neither the templates nor a "
                                               "cleaned blurb can hold; nothing was published (if the build cache "
                                               "was tampered with, delete .cache/ and build again)")
                                  for what in scan.active]
        if self.read_data and self.data is None:
            self._data_files.update((name, files[name]) for name in (RESULTS_JSON, RESULTS_CSV) if name in files)
            if len(self._data_files) == 2:
                self.data = read_data_files(self._data_files)

    def _links(self, page: str, links: list[str]) -> None:
        for href in links:
            if urlsplit(href.strip()).scheme.lower() in SCRIPT_SCHEMES:
                self.problems.append(ContentError(f"dist/{page}", 0, 0, f"link {href[:40]!r} runs code; neither the "
                                                  "templates nor a cleaned blurb can hold one, so nothing was published"))
                continue
            resolved = resolve_link(page, href)
            if resolved is None:
                continue
            target, fragment = resolved
            if target not in self.routes or target.startswith(".."):
                self.problems.append(ContentError(f"dist/{page}", 0, 0, f"link {href!r} points to a missing file"))
            elif fragment:
                self._anchors.append((page, href, target, fragment))

    def finish(self, scans: Mapping[str, PageScan], data: Optional[Mapping[str, SeatData]] = None
               ) -> list[ContentError]:
        """Return every problem found, given every page's scan (those kept from an earlier build
        too) and, unless the data files came in a batch, the seats' data."""
        problems = list(self.problems)
        for page, href, target, fragment in self._anchors:
            if target not in scans or fragment not in scans[target].ids:
                problems.append(ContentError(f"dist/{page}", 0, 0, f"link {href!r}: no element has id {fragment!r}"))
        figures = self.data if self.data is not None else data
        return problems + check_figures(self.routes, scans, figures or {}, self.slugs)
