"""After rendering, in memory: links resolve, and every figure agrees across pages and data files."""
from __future__ import annotations

import csv
import io
import json
import posixpath
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any, Mapping, Union
from urllib.parse import urlsplit

from .errors import ContentError
from .render import format_number, format_signed

LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("use", "href")}


class PageScan(HTMLParser):
    """Collect a page's internal links, element ids and the cell texts of its tables by class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._section = ""
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if (tag, name) in LINK_ATTRIBUTES and value:
                self.links.append(value)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if tag == "table":
            self._table = (attributes.get("class") or "").split(" ")[0]
            self.tables.setdefault(self._table, [])
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self._table and self._section == "tbody":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def scan_pages(files: Mapping[str, Union[str, bytes]]) -> dict[str, PageScan]:
    """Return a scan of every HTML page, by output path."""
    scans = {}
    for name, body in files.items():
        if name.endswith(".html") and isinstance(body, str):
            scan = PageScan()
            scan.feed(body)
            scan.close()
            scans[name] = scan
    return scans


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


def check_links(files: Mapping[str, Union[str, bytes]], scans: dict[str, PageScan]) -> list[ContentError]:
    """Return an error for every internal link or #anchor that points at nothing."""
    errors = []
    for page, scan in sorted(scans.items()):
        if page == "404.html":  # served at any address, so it links by absolute base_url
            continue
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


def _pct(value: Any) -> str:
    return f"{Decimal(str(value))}%"


def _change(candidate: dict) -> str:
    if candidate["new_party"]:
        return "new"
    return format_signed(Decimal(str(candidate["change_pp"])))


def check_figures(files: Mapping[str, Union[str, bytes]], scans: dict[str, PageScan]) -> list[ContentError]:
    """Return an error for every figure where a seat page, the overview, results.json and results.csv disagree."""
    data = json.loads(files["results.json"])
    csv_rows = list(csv.DictReader(io.StringIO(str(files["results.csv"]))))
    overview = {row[0]: row for row in scans["index.html"].tables.get("seats", [])}
    errors = []

    def disagree(page: str, what: str, shown: Any, expected: Any) -> None:
        errors.append(ContentError(f"dist/{page}", 0, 0,
                                   f"{what} shows {shown!r} but results.json has {expected!r}"))

    for seat in data["constituencies"]:
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
        summary = next((row for name, row in overview.items() if name.startswith(seat["name"])), None)
        want = [f"{format_number(seat['majority'])} ({_pct(seat['majority_pct'])})", _pct(seat["turnout_pct"])]
        if summary is None or summary[-2:] != want:
            disagree("index.html", f"the row for {seat['name']}", summary and summary[-2:], want)
        from_csv = [[r["votes"], r["share_pct"], r["change_pp"]] for r in csv_rows
                    if r["constituency_slug"] == seat["slug"]]
        from_json = [[str(c["votes"]), str(Decimal(str(c["share_pct"]))),
                      "" if c["change_pp"] is None else str(Decimal(str(c["change_pp"])))]
                     for c in seat["candidates"]]
        if from_csv != from_json:
            disagree("results.csv", f"the rows for {seat['name']}", from_csv, from_json)
    return errors


def verify_output(files: Mapping[str, Union[str, bytes]]) -> list[ContentError]:
    """Return every broken link and every disagreement between the site's outputs."""
    scans = scan_pages(files)
    return check_links(files, scans) + check_figures(files, scans)
