"""Blurbs: Markdown -> sanitised HTML, the one place Markdown becomes Markup.

One configured Python-Markdown converter (tables, typographic quotes, dashes and ellipses), then
nh3 keeps only the tags and attributes below. Converting is the slowest thing a page does, so each
text's result is kept in memory and, with a cache folder, on disk by a hash of the text and of
everything that shapes the output (converter settings and package versions).
"""
from __future__ import annotations

import hashlib
import os
from importlib.metadata import version
from pathlib import Path
from typing import Optional

import markdown
import nh3
from markupsafe import Markup

# What blurbs may contain: prose, lists, tables, links. No scripts, styles, frames or handlers.
ALLOWED_TAGS = {"p", "br", "hr", "em", "strong", "b", "i", "a", "ul", "ol", "li", "blockquote",
                "h2", "h3", "h4", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
                "abbr", "sup", "sub", "del", "ins", "q", "cite", "small"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

EXTENSIONS = ["tables", "smarty"]
EXTENSION_CONFIGS = {"smarty": {"smart_dashes": True, "smart_quotes": True, "smart_ellipses": True,
                                "smart_angled_quotes": False}}
CACHE_FORMAT = 1
# Everything besides the text that decides the HTML: a change to any of it starts a fresh cache.
SETTINGS = repr((CACHE_FORMAT, version("markdown"), version("nh3"), EXTENSIONS, EXTENSION_CONFIGS,
                 sorted(ALLOWED_TAGS), sorted((k, sorted(v)) for k, v in ALLOWED_ATTRIBUTES.items()),
                 sorted(ALLOWED_URL_SCHEMES)))


class Blurbs:
    """Markdown text -> sanitised Markup, remembered in memory and (with `folder`) on disk."""

    def __init__(self, folder: Optional[Path] = None):
        self.folder = folder
        self._converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                                            output_format="html")
        self._memo: dict[str, Markup] = {}

    def __call__(self, text: Optional[str]) -> Markup:
        """Return sanitised HTML for Markdown `text`."""
        if not text:
            return Markup("")
        html = self._memo.get(text)
        if html is None:
            html = self._memo[text] = Markup(self._cached(text))
        return html

    def _cached(self, text: str) -> str:
        if self.folder is None:
            return self.convert(text)
        key = hashlib.sha256(f"{SETTINGS}\0{text}".encode()).hexdigest()
        path = self.folder / key[:2] / f"{key}.html"
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
        html = self.convert(text)
        try:  # best effort: a cache that cannot be written is no error
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{key}.{os.getpid()}.tmp")
            temporary.write_text(html, encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            pass
        return html

    def convert(self, text: str) -> str:
        """Return Markdown `text` as HTML cleaned to the allow-list; links get rel=noopener."""
        html = self._converter.reset().convert(text).strip()
        return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                         url_schemes=ALLOWED_URL_SCHEMES, link_rel="noopener noreferrer")


def markdown_to_html(text: str) -> Markup:
    """Return Markdown `text` as sanitised HTML, without any cache."""
    return Markup(Blurbs().convert(text))
