"""Blurbs: Markdown -> sanitised HTML, the one place Markdown becomes Markup.

One configured Python-Markdown converter (its `tables` extension, and typographic quotes, dashes
and ellipses from `Typography` below), then nh3 keeps only the tags and attributes below.
Converting is the slowest thing a page does, so each text's conversion is kept in memory and,
with a cache folder, on disk (buildcache.DiskCache) under the text and the version of this code and
of Python-Markdown; the cleaning runs after, every time.
"""
from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any, Iterator, Optional

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from sitegen.buildcache import DiskCache
from sitegen.errors import ContentError

# What blurbs may contain: prose, lists, tables, links. No scripts, styles, frames or handlers.
ALLOWED_TAGS = {"p", "br", "hr", "em", "strong", "b", "i", "a", "ul", "ol", "li", "blockquote",
                "h2", "h3", "h4", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
                "abbr", "sup", "sub", "del", "ins", "q", "cite", "small"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


class _Typographer(Treeprocessor):
    """Curly quotes, apostrophes, en and em dashes and ellipses in running text, never in code.

    Works on the parsed tree after inline Markdown, so a quote next to **bold** or a link is judged
    by the character before it wherever that was written: after a space, an opening bracket, a dash
    or the start of a block it opens, otherwise it closes. Python-Markdown's own `smarty` extension
    does the same with a pattern per case, which took half of all the time a blurb took to convert.
    """

    MARK = re.compile(r"---|--|\.\.\.|[\"']")
    OPENS_AFTER = frozenset(" \t\n([{\u2013\u2014\u201c\u2018/")
    SKIP = frozenset({"code", "pre"})
    DECADE = re.compile(r"\d0s\b")

    def run(self, root: etree.Element) -> None:
        for block in root.iter():
            if block.tag in ("p", "li", "td", "th", "h2", "h3", "h4", "h5", "h6", "blockquote", "h1", "dd", "dt"):
                self._walk(block, [""])

    def _walk(self, element: etree.Element, last: list[str]) -> None:
        """Smarten `element`'s own text and its inline children's, in reading order; `last` holds the
        character read before (\"\" at the start of a block). Nested blocks are done on their own."""
        if element.text:
            element.text = self._smarten(element.text, last)
        for child in element:
            if child.tag in self.SKIP:
                if child.text:
                    last[0] = child.text[-1]
            elif not isinstance(child.tag, str) or child.tag in ("p", "ul", "ol", "li", "table", "blockquote"):
                last[0] = ""
            else:
                self._walk(child, last)
            if child.tail:
                child.tail = self._smarten(child.tail, last)

    def _smarten(self, text: str, last: list[str]) -> str:
        def replace(match: re.Match) -> str:
            mark, start = match.group(), match.start()
            before = text[start - 1] if start else last[0]
            if mark == "---":
                return "\u2014"
            if mark == "--":
                return "\u2013"
            if mark == "...":
                return "\u2026"
            opening = before == "" or before in self.OPENS_AFTER
            if mark == '"':
                return "\u201c" if opening else "\u201d"
            if opening and not self.DECADE.match(text, start + 1):
                return "\u2018"
            return "\u2019"  # an apostrophe, or a closing quote
        if "-" in text or "." in text or '"' in text or "'" in text:
            text = self.MARK.sub(replace, text)
        last[0] = text[-1] if text else last[0]
        return text


class Typography(Extension):
    """Registers _Typographer after inline Markdown and before escaped characters are restored."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.ESCAPED_CHARS.extend(['"', "'"])  # \" and \' keep a straight quote
        md.treeprocessors.register(_Typographer(md), "typography", 5)


BLURB_SECONDS = 2.0  # a real blurb converts in milliseconds; Markdown built to be slow gets this long


class SlowBlurb(Exception):
    """A blurb took longer than BLURB_SECONDS to convert (Python-Markdown reads many '[', '![' or
    '<' left open in time that grows with the square of the text); `text` is the blurb."""

    def __init__(self, text: str):
        super().__init__(text[:60])
        self.text = text


class _Deadline(BaseException):
    """Raised inside Python-Markdown when the time is up (a BaseException, so nothing in it catches it)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise _Deadline in the body after `seconds` of real time. Only the main thread can take a
    signal; elsewhere (and where there is no interval timer) the body runs unbounded."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def up(signum: int, frame: Any) -> None:
        raise _Deadline
    before = signal.signal(signal.SIGALRM, up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


# Instances, not names: a name makes Python-Markdown look through every installed package's entry
# points (importlib.metadata, 7 ms at each start).
EXTENSIONS = [TableExtension(), Typography()]


def markdown_version() -> str:
    """Return the version of what turns Markdown into HTML: this module and Python-Markdown (the
    sanitiser runs after the cache, on every page, so its version need not be part of it)."""
    from sitegen.buildcache import code_version
    return code_version(Path(__file__))


class Blurbs:
    """Markdown text -> sanitised Markup. The conversion, the slow part, is remembered in memory
    and (with `folder`) on disk by the text; cleaning to the allow-list happens after, every time,
    so nothing in the cache can put markup on a page that the sanitiser would not."""

    def __init__(self, folder: Optional[Path] = None):
        self.folder = folder
        self._disk: Optional[DiskCache] = None
        self._converter = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
        self._memo: dict[str, Markup] = {}
        self._slow: set[str] = set()  # texts that ran out of time: not tried again after every save

    @property
    def disk(self) -> DiskCache:
        if self._disk is None:
            self._disk = DiskCache(self.folder, markdown_version(), ".html")
        return self._disk

    def __call__(self, text: Optional[str]) -> Markup:
        """Return sanitised HTML for Markdown `text`."""
        if not text:
            return Markup("")
        html = self._memo.get(text)
        if html is None:
            html = self._memo[text] = Markup(sanitise(self._converted(text)))
        return html

    def _converted(self, text: str) -> str:
        found = self.disk.get(text) if self.folder is not None else None
        if found is not None:
            try:
                return found.decode("utf-8")
            except UnicodeDecodeError:
                pass
        html = self.convert(text)
        if self.folder is not None:
            self.disk.put(text, html.encode("utf-8"))
        return html

    def convert(self, text: str) -> str:
        """Return Markdown `text` as HTML, before cleaning; raise SlowBlurb when it takes longer
        than BLURB_SECONDS."""
        if text in self._slow:
            raise SlowBlurb(text)
        try:
            with deadline(BLURB_SECONDS):
                return self._converter.reset().convert(text).strip()
        except _Deadline:
            self._slow.add(text)
            raise SlowBlurb(text) from None


def sanitise(html: str) -> str:
    """Return HTML cleaned to the allow-list; links get rel=noopener."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
                     link_rel="noopener noreferrer")


_RAW_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)(?![\w:@.-])")
_HANDLER = re.compile(r"<[^<>]*\son[a-z]+\s*=", re.I)  # (not past the next '<': linear in the text)
_SCRIPT_LINK = re.compile(r"\]\(\s*(?:javascript|data|vbscript):|href\s*=\s*[\"']?\s*(?:javascript|data|vbscript):", re.I)


def _prose(text: str) -> str:
    """Return Markdown `text` with its code spans and blocks blanked out (lines kept): what shows
    HTML and brackets as text, not as markup."""
    return re.sub(r"```.*?```|`[^`\n]*`", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)


# [text](address "title"), [ref]: address, href=address (each closed, as Markdown needs it to be a link)
_LINKS = re.compile(r"\]\([ \t]*<?([^)\s>]+)>?(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
                    r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)|href\s*=\s*[\"']?([^\"'\s>]+)", re.M | re.I)


@functools.lru_cache(maxsize=16384)
def blurb_links(text: str) -> tuple[tuple[int, str], ...]:
    """Return the line and address of each link written in Markdown `text`: [text](address),
    [ref]: address, and <a href=...>."""
    prose = _prose(text)
    return tuple((prose.count("\n", 0, m.start()) + 1, next(g for g in m.groups() if g))
                 for m in _LINKS.finditer(prose))


@functools.lru_cache(maxsize=16384)  # the preview asks again for every blurb after every save
def removed_html(text: str) -> tuple[int, tuple[str, ...]]:
    """Return the line of the first piece of raw HTML in Markdown `text` that cleaning removes when
    it is published, and what those pieces are (tags off the allow-list, event handlers, script
    links); (0, []) when there are none. Code spans and blocks, which show HTML as text, are left out."""
    prose = _prose(text)
    found, first = [], 0
    for pattern, name in ((_RAW_TAG, None), (_HANDLER, "an event handler (on...=)"),
                          (_SCRIPT_LINK, "a script link (javascript:)")):
        for match in pattern.finditer(prose):
            what = name or f"<{match.group(1).lower()}>"
            if name is None and match.group(1).lower() in ALLOWED_TAGS:
                continue
            line = prose.count("\n", 0, match.start()) + 1
            first = min(first, line) if first else line
            if what not in found:
                found.append(what)
    return first, tuple(found)


def cleaning_warnings(raw: Any) -> list[ContentError]:
    """Return a warning for each blurb with raw HTML that is removed when published."""
    warnings = []
    seats = [raw.blurbs[slug] for slug in sorted(raw.blurbs)] + [
        raw.awaited_blurbs[slug] for slug in sorted(raw.awaited_blurbs)]
    for blurb in ([raw.overview] if raw.overview else []) + seats:
        line, removed = removed_html(blurb.text)
        if removed:
            listed = removed[0] if len(removed) == 1 else ", ".join(removed[:-1]) + " and " + removed[-1]
            warnings.append(ContentError(blurb.path, line, 0, f"{listed} {'is' if len(removed) == 1 else 'are'} "
                                         "removed when published: blurbs keep plain formatting, links, tables "
                                         "and the HTML listed in docs/CONTENT.md", warning=True))
    return warnings
