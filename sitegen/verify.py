"""After rendering, in memory: links resolve, and every figure agrees across pages and data files."""
from __future__ import annotations

import csv
import io
import json
import posixpath
from decimal import Decimal
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping, Optional, Union
from urllib.parse import urlsplit

from .errors import ContentError
from .render import format_number, format_signed



LINK_RE = re.compile(r' (?:href|src)="([^"]*)"')
# Links and ids in one pass. Our templates and the sanitiser put one space before each attribute;
# starting with that literal lets the regex engine skip ahead, five times faster than `\s`.
ATTRIBUTE_RE = re.compile(r' (href|src|id)="([^"]*)"')
TABLE_CLASS_RE = re.compile(r'<table class="([\w-]+)')
CELL_RE = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S)
TAG_RE = re.compile(r"<[^>]+>")


@dataclass
class PageScan:
    """A page's internal links, element ids and the cell texts of its tables' bodies, by class.

    Reads only our own template output (double-quoted attributes, escaped text), so regular
    expressions suffice; the tests check the pages themselves with a real HTML parser.
    """

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    tables: dict[str, list[list[str]]] = field(default_factory=dict)
    row_links: dict[str, list[Optional[str]]] = field(default_factory=dict)  # each row's first link


def _cell_text(cell: str) -> str:
    if "<" in cell:
        cell = TAG_RE.sub("", cell)
    return " ".join((html.unescape(cell) if "&" in cell else cell).split())


@lru_cache(maxsize=200_000)
def _row(row: str) -> tuple[list[str], Optional[str]]:
    """Return a table row's cell texts and its first link (cached: most rows repeat between builds)."""
    link = LINK_RE.search(row)
    return [_cell_text(c) for c in CELL_RE.findall(row)], html.unescape(link.group(1)) if link else None


def _table_rows(html_text: str) -> list[str]:
    """Return the inside of each <tr> element (string splitting: four times faster than a regex)."""
    rows = []
    for chunk in html_text.split("<tr")[1:]:
        if chunk[:1] in (">", " "):
            rows.append(chunk[chunk.index(">") + 1:chunk.index("</tr>")])
    return rows


def scan_page(page: str) -> PageScan:
    """Return the links, ids and table cells of one rendered page."""
    scan = PageScan()
    for attribute, value in ATTRIBUTE_RE.findall(page):
        if attribute == "id":
            scan.ids.add(value)
        else:
            scan.links.append(html.unescape(value))
    position = page.find("<table ")
    while position >= 0:
        end_of_table = page.find("</table>", position)
        body = page[position:end_of_table]
        match = TABLE_CLASS_RE.match(body)
        table_class = match.group(1) if match else ""
        position = page.find("<table ", end_of_table)
        start, end = body.find("<tbody"), body.find("</tbody>")
        rows = [_row(row) for row in _table_rows(body[start:end])] if start >= 0 else []
        scan.tables.setdefault(table_class, []).extend(list(cells) for cells, _ in rows)
        scan.row_links.setdefault(table_class, []).extend(link for _, link in rows)
    return scan


def scan_pages(files: Mapping[str, Union[str, bytes]],
               cache: Optional[dict[str, tuple[str, PageScan]]] = None) -> dict[str, PageScan]:
    """Return a scan of every HTML page, by output path; `cache` keeps scans of unchanged pages."""
    scans = {}
    for name, body in files.items():
        if name.endswith(".html") and isinstance(body, str):
            if cache is not None and name in cache and cache[name][0] is body:
                scans[name] = cache[name][1]
                continue
            scans[name] = scan_page(body)
            if cache is not None:
                cache[name] = (body, scans[name])
    return scans


@lru_cache(maxsize=65536)
def resolve_link(page: str, href: str) -> tuple[str, str] | None:
    """Return (output path, fragment) that a relative `href` on `page` points to; None if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    if not parts.path:
        return page, parts.fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
    if parts.path.endswith("/") or target == ".":
        target = posixpath.join("" if target == "." else target, "index.html")
    return target, parts.fragment


def check_links(files: Mapping[str, Union[str, bytes]], scans: dict[str, PageScan],
                pages: Optional[set[str]] = None) -> list[ContentError]:
    """Return an error for every internal link or #anchor that points at nothing (in `pages`, or all)."""
    errors = []
    for page, scan in sorted(scans.items()):
        if page == "404.html" or (pages is not None and page not in pages):
            continue  # 404.html is served at any address, so it links by absolute base_url
        for href in scan.links:
            resolved = resolve_link(page, href)
            if resolved is None:
                continue
            target, fragment = resolved
            if target not in files or target.startswith(".."):
                errors.append(ContentError(f"dist/{page}", 0, 0, f"link {href!r} points to a missing file"))
            elif fragment and (target not in scans or fragment not in scans[target].ids):
                errors.append(ContentError(f"dist/{page}", 0, 0, f"link {href!r}: no element has id {fragment!r}"))
    return errors


def _pct(value: Decimal) -> str:
    return f"{value}%"


def _change(candidate: dict) -> str:
    if candidate["new_party"]:
        return "new"
    return format_signed(candidate["change_pp"])


CSV_FIGURES = ("votes", "share_pct", "change_pp")  # the columns checked against results.json


def _csv_rows(text: str, slugs: Optional[set[str]]) -> dict[str, list[list[str]]]:
    """Return the CSV_FIGURES of results.csv's rows by constituency slug (only those of `slugs`,
    when given)."""
    lines = text.splitlines(keepends=True)
    if slugs is not None:
        lines = lines[:1] + [line for line in lines[1:] if line.split(",", 1)[0] in slugs]
    records = csv.reader(io.StringIO("".join(lines)))
    header = next(records, [])
    slug_at = header.index("constituency_slug")
    at = [header.index(column) for column in CSV_FIGURES]
    rows: dict[str, list[list[str]]] = {}
    for record in records:
        rows.setdefault(record[slug_at], []).append([record[i] for i in at])
    return rows


def _json_seats(text: str, slugs: Optional[set[str]]) -> list[dict[str, Any]]:
    """Return results.json's constituency records, figures as Decimals (exactly as written): all of
    them, or only those of `slugs`, which are decoded straight from the text without the rest."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    if slugs is None:
        return decoder.decode(text)["constituencies"]
    records = []
    for slug in sorted(slugs):
        start = text.find('{"slug":' + json.dumps(slug, ensure_ascii=False) + ",")
        records.append(decoder.raw_decode(text, start)[0] if start >= 0 else {"slug": slug, "status": "missing"})
    return records


def check_figures(files: Mapping[str, Union[str, bytes]], scans: dict[str, PageScan],
                  slugs: Optional[set[str]] = None) -> list[ContentError]:
    """Return an error for every figure where a seat page, the overview, results.json and results.csv
    disagree (for the seats in `slugs`, or all of them)."""
    seats = _json_seats(str(files["results.json"]), slugs)
    csv_rows = _csv_rows(str(files["results.csv"]), slugs)
    overview_scan = scans["index.html"]
    overview = dict(zip(overview_scan.row_links.get("seats", []), overview_scan.tables.get("seats", [])))
    errors = []

    def disagree(page: str, what: str, shown: Any, expected: Any) -> None:
        errors.append(ContentError(f"dist/{page}", 0, 0,
                                   f"{what} shows {shown!r} but results.json has {expected!r}"))

    for seat in seats:
        if seat["status"] == "missing":
            errors.append(ContentError("dist/results.json", 0, 0, f"has no record for {seat['slug']!r}"))
        if seat["status"] != "declared":
            continue
        page = f"{seat['slug']}/index.html"
        if page not in scans:
            errors.append(ContentError(f"dist/{page}", 0, 0, f"results.json lists {seat['name']} "
                                       "but its page was not rendered"))
            continue
        rows = scans[page].tables.get("result", [])
        expected = [[format_number(c["votes"]), _pct(c["share_pct"]), _change(c)] for c in seat["candidates"]]
        if [row[-3:] for row in rows] != expected:
            disagree(page, "the results table", [row[-3:] for row in rows], expected)
        summary = overview.get(seat["url"])
        want = [f"{format_number(seat['majority'])} ({_pct(seat['majority_pct'])})", _pct(seat["turnout_pct"])]
        if summary is None or summary[-2:] != want:
            disagree("index.html", f"the row for {seat['name']}", summary and summary[-2:], want)
        from_csv = csv_rows.get(seat["slug"], [])
        from_json = [[str(c["votes"]), str(c["share_pct"]), "" if c["change_pp"] is None else str(c["change_pp"])]
                     for c in seat["candidates"]]
        if from_csv != from_json:
            disagree("results.csv", f"the rows for {seat['name']}", from_csv, from_json)
    return errors


def verify_output(files: Mapping[str, Union[str, bytes]],
                  cache: Optional[dict[str, tuple[str, PageScan]]] = None,
                  changed: Optional[set[str]] = None) -> list[ContentError]:
    """Return every broken link and every disagreement between the site's outputs.

    With `changed` (the outputs rendered again by an incremental rebuild, which never removes one),
    only the links on those pages and the figures of the seats whose pages changed are checked:
    everything else was checked when it was rendered.
    """
    scans = scan_pages(files, cache)
    slugs = None if changed is None else {n.split("/")[0] for n in changed if n.endswith("/index.html")}
    return check_links(files, scans, changed) + check_figures(files, scans, slugs)
