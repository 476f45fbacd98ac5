"""The Jinja environment: its filters, and templates compiled once (in memory, in another process,
or in the build cache). Kept apart from the page renderers so that a process which only compiles
templates imports Jinja and nothing else of ours."""
from __future__ import annotations

import pickle
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, Optional, Union
from zoneinfo import ZoneInfo

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

from sitegen.config import ordinal


def format_number(value: int) -> str:
    """Return 15746 as '15,746'."""
    return f"{value:,}"


def format_pct(value: Decimal) -> str:
    """Return a rounded percentage as '37.0%'."""
    return f"{value}%"


def format_signed(value: Union[Decimal, int]) -> str:
    """Return '+10.2', '−38.6' (a true minus sign) or '0.0'."""
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\u2212{-value}"
    return f"{value}"



def format_day(value: date) -> str:
    """Return a date as '4 July 2024'."""
    return f"{value.day} {value:%B %Y}"


UK_TIME = ZoneInfo("Europe/London")


def format_uk_time(value: datetime, nearness: Optional[str] = None) -> str:
    """Return a declaration time in UK time, as '03:40 BST, 5 July', or with how near the reported
    time is (declared_at_approx), as 'just after 02:30 BST, 5 July'."""
    local = value.astimezone(UK_TIME)
    return f"{nearness + ' ' if nearness else ''}{local:%H:%M} {local.tzname()}, {local.day} {local:%B}"


class Changed(NamedTuple):
    """One figure a correction changed: what it is, as published, and as it is now."""

    what: str
    was: int
    now: Optional[int]


class CorrectionNote(NamedTuple):
    """A correction as readers see it."""

    at: datetime
    changes: tuple[Changed, ...]
    why: str


FIGURE_NAMES = {"valid_votes": "Valid votes", "rejected": "Rejected ballots", "electorate": "Electorate"}


def correction_notes(facts: Any) -> tuple[CorrectionNote, ...]:
    """Return a seat's corrections, newest first, each figure with what it is now (the figure
    after this correction: the next correction's 'was', or the file's)."""
    from sitegen.content.checks import figures_of
    now = figures_of(facts)
    notes = []
    for correction in reversed(facts.corrections):
        changes = tuple(Changed(FIGURE_NAMES.get(k, f"Votes for {k}"), was, now.get(k)) for k, was in correction.was.items())
        notes.append(CorrectionNote(correction.at, changes, correction.why))
        now = {**now, **correction.was}
    return tuple(notes)


SOURCE_NAMES = {"count": "as announced at the count", "notice": "from the returning officer's declaration notice",
                "release": "from the official results release"}


def machine_time(value: datetime, nearness: Optional[str] = None) -> str:
    """Return a <time datetime> value: the instant, or for a time reported as 'just after 02:30'
    only its day in the UK, which is all the content knows exactly."""
    return value.astimezone(UK_TIME).date().isoformat() if nearness else value.isoformat()


def has_long_word(text: str, letters: int = 16) -> bool:
    """Return True when a word of `text` is too long for a narrow column (a 58-letter Welsh name):
    such a cell may break it anywhere, where others break only between words."""
    return any(len(word) > letters for word in str(text).split())


def text_colour_on(fill: str) -> str:
    """Return black or white, whichever contrasts more with the `#rrggbb` fill (WCAG formula)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def make_environment(templates: Path, compiled: Optional[Path] = None,
                     known: Optional[dict[str, bytes]] = None) -> Environment:
    """Return the Jinja environment: autoescape on, undefined names are errors.

    Templates already compiled are loaded instead of compiled again: those in `known` (bytecode by
    Jinja's cache key, from compiled_bytecode in another process), then those in `compiled`, a
    folder in the build cache. Jinja checks each against its template's source and its own version.
    """
    env = Environment(loader=FileSystemLoader(str(templates)),
                      autoescape=select_autoescape(["html", "xml"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True,
                      bytecode_cache=CompiledTemplates(compiled, known) if compiled or known else None)
    env.filters.update(num=format_number, pct=format_pct, signed=format_signed, day=format_day,
                       uk_time=format_uk_time, text_on=text_colour_on, machine_time=machine_time,
                       ordinal=ordinal, corrections=correction_notes, source_name=SOURCE_NAMES.get,
                       long_word=has_long_word)
    from sitegen.site.charts import HEX_PATH, MAX_LABELLED_TILES
    env.globals["hex_path"] = HEX_PATH  # the one tile every map draws with <use>
    env.globals["max_labelled_tiles"] = MAX_LABELLED_TILES
    return env


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory (`known`) and, with a folder, on disk in the build cache
    (checked when read; named by the template's source checksum, this module and Jinja's version)."""

    def __init__(self, folder: Optional[Path], known: Optional[dict[str, bytes]] = None):
        from sitegen.buildcache import DiskCache, code_version
        self.known: dict[str, bytes] = dict(known or {})
        self.disk = DiskCache(folder, code_version(Path(__file__)), ".jinja") \
            if folder is not None else None

    def load_bytecode(self, bucket: Any) -> None:
        data = self.known.get(bucket.key)
        if data is None and self.disk is not None:
            data = self.disk.get(f"{bucket.key}\0{bucket.checksum}")
        if data is not None:
            try:
                bucket.bytecode_from_string(data)  # reset when stale: another source or Jinja
            except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
                bucket.reset()
            if bucket.code is not None:
                self.known[bucket.key] = data

    def dump_bytecode(self, bucket: Any) -> None:
        data = self.known[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            self.disk.put(f"{bucket.key}\0{bucket.checksum}", data)


def template_cache_keys(templates: Path) -> list[str]:
    """Return the keys CompiledTemplates stores the templates of `templates` under, as Jinja names
    them (by the template's name, file and source), for pruning the build cache."""
    env = make_environment(templates)
    cache = CompiledTemplates(None)
    keys = []
    for name in env.list_templates():
        try:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        except (OSError, TemplateError, UnicodeDecodeError):
            continue
        keys.append(f"{cache.get_cache_key(name, filename)}\0{cache.get_source_checksum(source)}")
    return keys


def compiled_bytecode(templates: Path, compiled: Optional[Path] = None) -> dict[str, bytes]:
    """Compile every template (or load it from `compiled`); return the bytecode by cache key, for
    make_environment(known=...) in another process."""
    env = make_environment(templates, compiled, {})
    compile_templates(env)
    return env.bytecode_cache.known  # type: ignore[union-attr]


def compile_templates(env: Environment) -> None:
    """Compile every template now (workers forked later share them); mistakes surface at render.
    Files the build may not open (files.py: a FIFO, a broken link, an editor's lock file) are left
    for rendering to report if a page needs them."""
    from sitegen.files import is_source_name, refusal
    folder = Path(env.loader.searchpath[0])  # type: ignore[union-attr]
    for name in env.list_templates(filter_func=lambda name: is_source_name(name.rsplit("/", 1)[-1])):
        if refusal(folder / name, folder) is not None:
            continue
        try:
            env.get_template(name)
        except TemplateError:
            pass
