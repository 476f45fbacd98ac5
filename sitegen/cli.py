"""Command line: build | check | serve. The only place that turns ContentErrors into exit code 1."""
from __future__ import annotations

import argparse
import gc
import sys
import threading
import time
from pathlib import Path
from typing import Any, Optional, TextIO

from .config import Paths
from .errors import ContentError, ContentErrors

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser for build.py."""
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the election-results microsite from content/ into dist/.")
    parser.add_argument("command", nargs="?", default="build",
                        choices=["build", "check", "serve", "new", "schemas"],
                        help="build (default): write dist/; check: validate and render in memory, "
                             "write nothing; serve: preview with live reload; new NAME: start a "
                             "constituency's files; schemas: regenerate docs/schemas/ for editors")
    parser.add_argument("name", nargs="?", help="new: the constituency's name, in quotes")
    parser.add_argument("--content", type=Path, metavar="DIR", help="content folder (default content/)")
    parser.add_argument("--output", type=Path, metavar="DIR", help="output folder (default dist/)")
    parser.add_argument("--cache", type=Path, metavar="DIR",
                        help="build cache folder (default .cache/; safe to delete)")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="processes for rendering large sites (default: one per core)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default 8000)")
    parser.add_argument("--open", action="store_true", help="serve: open the site in a browser")
    return parser


class ProgressBar:
    """On a terminal, a bar through the build's stages, shown once a build has run about a second."""

    WIDTH = 24

    def __init__(self, stream: TextIO, stages: tuple[str, ...], after: float = 1.0):
        self.stream, self.stages, self.after = stream, stages, after
        self.started = time.perf_counter()
        self.current = ""
        self.shown = False
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        if stream.isatty():
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def stage(self, name: str) -> None:
        """Note that the build has reached stage `name`."""
        self.current = name

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            elapsed = time.perf_counter() - self.started
            if elapsed < self.after or self.current not in self.stages:
                continue
            done = self.stages.index(self.current)
            filled = self.WIDTH * done // len(self.stages)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {self.current}... {elapsed:.1f} s\033[K")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        """Stop, and erase the bar if it was shown."""
        self._stop.set()
        if self._thread:
            self._thread.join()
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def report(errors: list[ContentError], out: TextIO) -> None:
    """Print one line per error or warning."""
    for error in errors:
        print(error.format(), file=out)


def run_build(paths: Paths, *, write: bool, out: TextIO, err: TextIO, jobs: Optional[int] = None) -> int:
    """Build (or only check) once and report; return the exit code."""
    # One build makes hundreds of thousands of objects and few reference cycles: collecting
    # garbage while it runs costs more than the memory it would give back before the build ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_build(paths, write=write, out=out, err=err, jobs=jobs)
    finally:
        if collecting:
            gc.enable()


def _read_ahead(paths: Paths, jobs: Optional[int]) -> Any:
    from .parallel import default_jobs, read_ahead
    return read_ahead(paths, default_jobs() if jobs is None else jobs)


def _run_build(paths: Paths, *, write: bool, out: TextIO, err: TextIO, jobs: Optional[int]) -> int:
    started = time.perf_counter()
    reading = None  # large sites: content parsed on every core while this process gets on
    fingerprint = None
    if write:
        from .cache import has_record, input_fingerprint, is_up_to_date, remember_build
        if not has_record(paths):  # nothing to compare with, so a full build: start reading now
            reading = _read_ahead(paths, jobs)
        fingerprint = input_fingerprint(paths)
        record = is_up_to_date(paths, fingerprint)
        if record is not None:
            for line in record["warnings"]:
                print(line, file=err)
            print(f"Nothing changed since the last build: {paths.display(paths.dist)}/ is up to date "
                  f"({record['files']} files, {time.perf_counter() - started:.2f} s).", file=out)
            return EXIT_OK
    reading = reading or _read_ahead(paths, jobs)
    try:
        from .pipeline import STAGES, build, render_build
    except BaseException:
        if reading:
            reading.close()
        raise
    bar = ProgressBar(err, STAGES if write else STAGES[:-1])
    try:
        result = (build if write else render_build)(paths, jobs, bar.stage, reading)
    except ContentErrors as exc:
        bar.close()
        report(exc.errors, err)
        print(exc.summary(), file=err)
        return EXIT_CONTENT
    bar.close()
    report(result.warnings, err)
    if fingerprint is not None:
        remember_build(paths, fingerprint, [w.format() for w in result.warnings], len(result.files))
    seconds = time.perf_counter() - started
    pages = sum(1 for name in result.files if name.endswith(".html"))
    if write:
        print(f"Built {pages} pages and {len(result.files) - pages} other files into "
              f"{paths.display(paths.dist)}/: {result.written} written, "
              f"{len(result.files) - result.written} unchanged, {seconds:.2f} s.", file=out)
    else:
        print(f"Checked {len(result.results.seats)} constituencies and {pages} pages: "
              f"no errors ({seconds:.2f} s).", file=out)
    return EXIT_OK


def main(argv: list[str], root: Optional[Path] = None, out: TextIO = sys.stdout,
         err: TextIO = sys.stderr) -> int:
    """Run build.py with `argv`; return the exit code (0 ok, 1 content errors, 2 usage)."""
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    paths = Paths.from_root(root or PROJECT_ROOT, args.content, args.output, args.cache)
    if args.command == "new":
        from .scaffold import create_constituency
        return create_constituency(paths, args.name, out=out, err=err)
    if args.name:
        print(f"python build.py: error: unexpected argument {args.name!r}", file=err)
        return EXIT_USAGE
    if args.command == "schemas":
        from .schema import write_schemas
        for path in write_schemas(paths.root):
            print(f"Wrote {paths.display(path)}", file=out)
        return EXIT_OK
    if args.command == "serve":
        from .serve import serve
        return serve(paths, host=args.host, port=args.port, open_browser=args.open, out=out, err=err)
    return run_build(paths, write=args.command == "build", out=out, err=err, jobs=args.jobs)
