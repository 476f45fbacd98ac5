"""A rehearsal of election night: the editor's finished content replayed seat by seat.

A scratch copy of content/ starts with every seat awaited; each step puts one seat's own file back
as the editor wrote it, in the order the seats declared (`declared_at`, else the Commons Library's
`recorded_at`; seats with neither follow in file-name order). With --correct, one seat is declared
with a figure mistyped and corrected, with a correction entry, the step after. Nothing of the editor's is written to. `build.py rehearse` serves the scratch
copy like the published site (no live reload: open pages learn of new results as readers' pages
will, through status.json), and the tests replay it step by step.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TextIO

import yaml

from sitegen.config import Paths
from sitegen.files import source_files

if TYPE_CHECKING:
    from sitegen.content.model import Content

# What a seat file says about its result; left out while the seat waits in the rehearsal.
RESULT_FIELDS = ("valid_votes", "rejected", "elected", "result_source", "provisional", "corrections", "recorded_at",
                 "declared_at", "declared_at_approx", "status", "recount_note")


def awaited_text(text: str) -> str:
    """Return a constituency file's text as it stood before its result: the same candidates without
    votes, the result's own fields left out."""
    data = yaml.safe_load(text)
    for name in RESULT_FIELDS:
        data.pop(name, None)
    data["candidates"] = [{k: v for k, v in c.items() if k != "votes"} for c in data["candidates"]]
    return ("# A rehearsal's copy: the result is not declared yet.\n"
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=200))


def recount_text(text: str) -> str:
    """Return a constituency file's text while its votes are being counted again."""
    return awaited_text(text) + "status: recount\nrecount_note: A recount is under way (rehearsal).\n"


def declaration_order(content: Content) -> list[str]:
    """Return the seats' slugs in the order they declared: by declared_at, or where that is not
    known by when the Commons Library recorded the result (recorded_at); then the rest by slug."""
    def when(seat: Any) -> Optional[datetime]:
        return seat.facts.declared_at or seat.facts.recorded_at
    timed = sorted((when(seat).astimezone(timezone.utc), seat.slug) for seat in content.constituencies
                   if when(seat) is not None)
    untimed = sorted(seat.slug for seat in content.constituencies if when(seat) is None)
    return [slug for _, slug in timed] + untimed


MISTYPED_BY = 18  # what --correct adds to the winner's votes (and the total) before correcting it


def mistyped_text(text: str) -> tuple[str, dict[str, int]]:
    """Return a declared seat file with the elected candidate's votes and valid_votes typed 18 too
    high (as a slip at the keyboard would), and the figures as they were typed."""
    data = yaml.safe_load(text)
    elected, valid = data["elected"], data["valid_votes"]
    votes = next(c["votes"] for c in data["candidates"] if c["name"] == elected)
    text = re.sub(rf"^valid_votes: {valid}\b", f"valid_votes: {valid + MISTYPED_BY}", text, count=1, flags=re.M)
    line = re.compile(rf"^(\s*- \{{name: {re.escape(str(elected))},.*votes: ){votes}\}}", re.M)
    text = line.sub(lambda m: f"{m.group(1)}{votes + MISTYPED_BY}}}", text, count=1)
    return text, {str(elected): votes + MISTYPED_BY, "valid_votes": valid + MISTYPED_BY}


def corrected_text(text: str, was: dict[str, int]) -> str:
    """Return the seat's final file with a correction entry for the mistyped figures, made 25
    minutes after the declaration (or the Library's record of it)."""
    data = yaml.safe_load(text)
    moment = data.get("declared_at") or data.get("recorded_at")
    at = (moment + timedelta(minutes=25)).isoformat() if moment else None
    figures = ", ".join(f"{name}: {value}" for name, value in was.items())
    entry = (f"  - {{at: {at}, was: {{{figures}}}, why: \"Rehearsal: {MISTYPED_BY} votes too many were typed; "
             "corrected from the declaration\"}\n")
    return text.rstrip("\n") + "\ncorrections:\n" + entry


def copy_sources(source: Path, target: Path) -> None:
    """Copy the files the build reads from `source` (files.source_files: no hidden drafts, no
    editors' lock or backup files) to `target`."""
    for path in source_files(source):
        copy = target / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)


class Rehearsal:
    """A scratch copy of the content, declared one seat at a time."""

    def __init__(self, paths: Paths, scratch: Path, recount: Optional[str] = None, correct: Optional[str] = None):
        """Copy the content into `scratch` with every seat awaited. Raises ContentErrors when the
        content does not pass the build's checks: only a finished night can be replayed."""
        from sitegen.content.checks import validate
        from sitegen.content.read import load_content
        from sitegen.errors import ContentErrors
        self.source = paths.content
        self.scratch = scratch
        self.paths = Paths.from_root(paths.root, scratch / "content", scratch / "dist", scratch / ".cache")
        raw = load_content(paths)
        if raw.errors:
            raise ContentErrors(raw.errors)
        content = validate(raw)
        self.names = {seat.slug: seat.facts.name for seat in content.constituencies}
        self.order = declaration_order(content)
        copy_sources(self.source, self.paths.content)
        self.folder = self.paths.content / "constituencies"
        self.recount = recount      # a seat that goes to a recount the step before it declares
        self.correct = correct      # a seat declared with a figure mistyped, corrected the step after
        self.declared: list[str] = []
        self._recounting = False
        self._mistyped: Optional[dict[str, int]] = None
        # The story of the whole night is held back until the night is over.
        self._overview = self.paths.content / "overview.md"
        self._story = self._overview.read_bytes() if self._overview.exists() else None
        self._overview.unlink(missing_ok=True)
        for slug in self.order:
            self._write(slug, awaited_text(self._final(slug)))

    @property
    def done(self) -> bool:
        """Return True when every seat has declared."""
        return len(self.declared) == len(self.order)

    def _final(self, slug: str) -> str:
        return (self.source / "constituencies" / f"{slug}.yml").read_text(encoding="utf-8")

    def _write(self, slug: str, text: str) -> None:
        """Replace one scratch file whole, so that the preview never reads it half written."""
        target = self.folder / f"{slug}.yml"
        temporary = self.folder / f".{slug}.yml.rehearsal"
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)

    def step(self) -> Optional[str]:
        """Move the night on one step; return what happened ('Erewash declared'), None when done."""
        if self._mistyped is not None and self.correct is not None:
            self._write(self.correct, corrected_text(self._final(self.correct), self._mistyped))
            self._mistyped = None
            if self.done and self._story is not None:
                self._overview.write_bytes(self._story)
            return f"{self.names[self.correct]} corrected"
        if self.done:
            return None
        slug = self.order[len(self.declared)]
        name = self.names[slug]
        if slug == self.correct:
            text, self._mistyped = mistyped_text(self._final(slug))
            self._write(slug, text)
            self.declared.append(slug)
            return f"{name} declared, with a figure mistyped"
        if slug == self.recount and not self._recounting:
            self._recounting = True
            self._write(slug, recount_text(self._final(slug)))
            return f"{name}: recount"
        self._write(slug, self._final(slug))
        self.declared.append(slug)
        if self.done and self._story is not None and self._mistyped is None:
            self._overview.write_bytes(self._story)
        return f"{name} declared"

    def close(self) -> None:
        """Remove the scratch copy."""
        shutil.rmtree(self.scratch, ignore_errors=True)


def _can_press_enter() -> bool:
    """Return False when standard input can never bring an Enter: closed, or a device that is not a
    terminal (/dev/null, as a service or `nohup` gives). A pipe or a file is read line by line."""
    import stat
    try:
        if sys.stdin is None or sys.stdin.closed:
            return False
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return True  # (an object standing in for input, in a test: it is read as it is)
    return sys.stdin.isatty() or not stat.S_ISCHR(mode)


def rehearse(paths: Paths, *, every: float, poll: float, recount: Optional[str], host: str, port: int,
             open_browser: bool, out: TextIO, err: TextIO, correct: Optional[str] = None) -> int:
    """Serve a rehearsal until interrupted, declaring a seat every `every` seconds (0: on Enter).
    The scratch copy is removed however it ends (Ctrl-C even while copying, `kill`, a closed terminal)."""
    from sitegen.errors import ContentErrors
    from sitegen.preview.server import serve

    if every == 0 and not _can_press_enter():
        print("python3 build.py: error: --every 0 declares a seat each time you press Enter, and there is no "
              "terminal to press it in; give the seconds between declarations instead", file=err)
        return 2

    def stopped(signum: int, frame: object) -> None:  # `kill`, or a terminal closing: leave tidily
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, stopped)
    signal.signal(signal.SIGHUP, stopped)
    stop = threading.Event()
    scratch = Path(tempfile.mkdtemp(prefix="sitegen-rehearsal-"))
    try:
        try:
            rehearsal = Rehearsal(paths, scratch, recount, correct)
            from sitegen.engine import gather
            gather(paths)  # the finished content must build, pages and all, before it can be replayed
        except ContentErrors as exc:
            for error in exc.errors:
                print(error.format(), file=err)
            print(f"rehearse: {exc.summary()[:-len('nothing written.')]}fix them first.", file=err)
            return 1
        for flag, slug in (("--recount", recount), ("--correct", correct)):
            if slug is not None and slug not in rehearsal.order:
                print(f"python3 build.py: error: {flag} {slug!r} is not a constituency's slug", file=err)
                return 2

        def night() -> None:
            total = len(rehearsal.order)
            while not stop.is_set():
                if every > 0:
                    if stop.wait(every):
                        return
                elif not sys.stdin.readline():
                    print("Rehearsal: the input has ended, so no more seats will declare (--every 0 declares one "
                          "each time Enter is pressed); Ctrl+C to stop.", file=err, flush=True)
                    return
                happened = rehearsal.step()
                if happened is None:
                    print(f"Rehearsal: all {total} declared; Ctrl+C to stop.", file=out, flush=True)
                    return
                print(f"Rehearsal: {happened} ({len(rehearsal.declared)} of {total} declared)", file=out, flush=True)

        when = f"one every {every:g} s" if every > 0 else "one each time you press Enter"
        print(f"Rehearsal of {len(rehearsal.order)} declarations, {when}, in a scratch copy "
              f"({rehearsal.scratch}); open pages check for news every {poll:g} s.", file=out, flush=True)
        threading.Thread(target=night, daemon=True).start()
        script = f"<script>window.SITEGEN_POLL_SECONDS = {poll:g};</script>"
        return serve(rehearsal.paths, host=host, port=port, open_browser=open_browser, out=out, err=err,
                     inject=script)
    finally:
        stop.set()
        shutil.rmtree(scratch, ignore_errors=True)
