"""Command line: build | check | serve. The only place that turns ContentErrors into exit code 1."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, Optional, TextIO

from .config import Paths
from .errors import ContentError, ContentErrors

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, told the terminal's width without importing shutil, which argparse
    otherwise does on every argument added (a build that finds nothing to do takes ~30 ms in all)."""

    def __init__(self, prog: str) -> None:
        try:
            columns = int(os.environ["COLUMNS"])
        except (KeyError, ValueError):
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
            except (AttributeError, ValueError, OSError):
                columns = 80
        super().__init__(prog, width=max(columns, 40) - 2)


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser for build.py."""
    parser = argparse.ArgumentParser(
        prog="python3 build.py", formatter_class=_HelpFormatter,
        description="Build the election-results microsite from content/ into dist/.")
    parser.add_argument("command", nargs="?", default="build",
                        choices=["build", "check", "serve", "rehearse", "new", "schemas"],
                        help="build (default): write dist/; check: validate and render in memory, "
                             "write nothing; serve: preview with live reload; rehearse: replay the "
                             "night's declarations in a preview, from a scratch copy; new NAME: start "
                             "a constituency's files; schemas: regenerate docs/schemas/ for editors")
    parser.add_argument("name", nargs="?", help="new: the constituency's name, in quotes")
    parser.add_argument("--content", type=Path, metavar="DIR", help="content folder (default content/)")
    parser.add_argument("--output", type=Path, metavar="DIR", help="output folder (default dist/)")
    parser.add_argument("--cache", type=Path, metavar="DIR",
                        help="build cache folder (default .cache/; safe to delete)")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="processes for rendering large sites (default: one per core)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default 8000)")
    parser.add_argument("--open", action="store_true", help="serve, rehearse: open the site in a browser")
    parser.add_argument("--every", type=float, default=20, metavar="SECONDS",
                        help="rehearse: seconds between declarations; 0 declares one each time you "
                             "press Enter (default 20)")
    parser.add_argument("--poll", type=float, default=10, metavar="SECONDS",
                        help="rehearse: how often open pages check for news (default 10; the "
                             "published site checks every 60)")
    parser.add_argument("--recount", metavar="SLUG",
                        help="rehearse: this seat goes to a recount the step before it declares")
    return parser


class ProgressBar:
    """On a terminal, a bar through the build's stages, shown once a build has run about a second."""

    WIDTH = 24

    def __init__(self, stream: TextIO, stages: tuple[str, ...], after: float = 1.0):
        self.stream, self.stages, self.after = stream, stages, after
        self.started = time.perf_counter()
        self.current = ""
        self.shown = False
        self._stop: Any = None
        self._thread: Any = None
        if stream.isatty():
            import threading  # only on a terminal
            self._stop = threading.Event()
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
        if self._thread:
            self._stop.set()
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
    from . import memory
    from .engine import STAGES, build, gather
    from .executor import Executor
    from .write import DiskProblem, OutputRefused, ignoring_interrupts
    started = time.perf_counter()
    bar = ProgressBar(err, STAGES if write else STAGES[:-1])
    try:
        with memory.paused():
            result = build(paths, jobs=jobs, progress=bar.stage) if write else \
                gather(paths, executor=Executor(jobs), progress=bar.stage)
    except ContentErrors as exc:
        bar.close()
        report(exc.errors, err)
        print(exc.summary(), file=err)
        return EXIT_CONTENT
    except (OutputRefused, DiskProblem) as exc:  # refused before anything was read, or the disk failed
        bar.close()
        print(f"python3 build.py: error: {exc}", file=err)
        return EXIT_USAGE if isinstance(exc, OutputRefused) else EXIT_CONTENT
    except KeyboardInterrupt:
        bar.close()
        print(f"Interrupted: nothing written; {paths.display(paths.dist)}/ is as it was.", file=err)
        return EXIT_INTERRUPTED
    bar.close()
    with ignoring_interrupts():  # done: a Ctrl-C now must not turn the report into 'interrupted'
        return _report(result, paths, write=write, started=started, out=out, err=err)


def _report(result: Any, paths: Paths, *, write: bool, started: float, out: TextIO, err: TextIO) -> int:
    """Print what a finished build or check did; return the exit code."""
    seconds = time.perf_counter() - started
    if not write:
        report(result.warnings, err)
        print(f"Checked {len(result.results.seats)} constituencies and {result.pages} pages: "
              f"no errors ({seconds:.2f} s).", file=out)
        return EXIT_OK
    for line in result.warnings:
        print(line, file=err)
    if result.site is None:
        print(f"Nothing changed since the last build: {paths.display(paths.dist)}/ is up to date "
              f"({result.files} files, {seconds:.2f} s).", file=out)
        return EXIT_OK
    pages = result.site.pages
    print(f"Built {pages} pages and {result.files - pages} other files into "
          f"{paths.display(paths.dist)}/: {result.written} written, "
          f"{result.files - result.written} unchanged, {seconds:.2f} s.", file=out)
    return EXIT_OK


def run(argv: list[str], root: Path) -> int:
    """Run build.py as a process of its own: main(), then leave without tidying up memory. A build
    catches its own Ctrl-C; one that lands elsewhere (parsing arguments) ends here with one line."""
    import signal

    from . import write

    def interrupted(signum: int, frame: Any) -> None:
        if not write.published:  # once a new site is in place, Ctrl-C only cuts the report short
            raise KeyboardInterrupt
    signal.signal(signal.SIGINT, interrupted)
    try:
        code = main(argv, root)
    except KeyboardInterrupt:
        print("Interrupted: nothing written.", file=sys.stderr)
        code = EXIT_INTERRUPTED
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the work is done; only leaving is left
    sys.stdout.flush()
    sys.stderr.flush()
    from . import memory
    memory.exiting()
    return code


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
        print(f"python3 build.py: error: unexpected argument {args.name!r}", file=err)
        return EXIT_USAGE
    if args.command == "schemas":
        from .schema import write_schemas
        for path in write_schemas(paths.root):
            print(f"Wrote {paths.display(path)}", file=out)
        return EXIT_OK
    if args.command == "serve":
        from .serve import serve
        return serve(paths, host=args.host, port=args.port, open_browser=args.open, out=out, err=err)
    if args.command == "rehearse":
        from .rehearse import rehearse
        return rehearse(paths, every=args.every, poll=args.poll, recount=args.recount, host=args.host,
                        port=args.port, open_browser=args.open, out=out, err=err)
    return run_build(paths, write=args.command == "build", out=out, err=err, jobs=args.jobs)
