"""Command line: build | check | serve. The only place that turns ContentErrors into exit code 1."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional, TextIO

from sitegen.config import Paths
from sitegen.errors import ContentError, ContentErrors

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help layout (examples kept as written), told the terminal's width without
    importing shutil, which argparse otherwise does on every argument added (a build that finds
    nothing to do takes ~30 ms in all)."""

    def __init__(self, prog: str) -> None:
        try:
            columns = int(os.environ["COLUMNS"])
        except (KeyError, ValueError):
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
            except (AttributeError, ValueError, OSError):
                columns = 80
        super().__init__(prog, width=max(columns, 40) - 2)


# Each command: its one-line summary, what it does, and examples (`python3 build.py CMD --help`).
COMMANDS = {
    "build": ("write the site into dist/ (the default)",
              "Check the content, render every page and data file, and replace dist/ with them in one step.\n"
              "Nothing is written when anything is wrong: the published site stays as it was.",
              ["python3 build.py", "python3 build.py --content other/ --output /srv/www/results/"]),
    "check": ("check everything and write nothing; --against: compare with the official release",
              "Check the content and render every page in memory; write nothing. With --against, also\n"
              "compare every declared seat with the official release, figure by figure: electorate, valid\n"
              "and rejected votes, each candidate's votes, share and change, the majority and gain or\n"
              "hold. One line per difference; exit 1 if anything differs.",
              ["python3 build.py check",
               "python3 build.py check --against HoC-GE2024-results-by-candidate.csv "
               "HoC-GE2024-results-by-constituency.csv"]),
    "serve": ("preview on http://127.0.0.1:8000/, rebuilding on every save",
              "Build, serve the site on this machine and rebuild what each save touches; open pages\n"
              "reload by themselves. While a file has a mistake, pages show what to fix.",
              ["python3 build.py serve", "python3 build.py serve --port 8080 --open"]),
    "rehearse": ("replay election night from a scratch copy, in a preview",
                 "Serve a scratch copy of the content with every seat awaited, then declare one seat\n"
                 "every --every seconds (0: each time you press Enter), as the night will go. Your\n"
                 "content/ is never written to.",
                 ["python3 build.py rehearse --open", "python3 build.py rehearse --every 0 --recount erewash",
                  "python3 build.py rehearse --correct high-peak"]),
    "new": ("start a constituency's files: new \"Name\"",
            "Write content/constituencies/<slug>.yml, with every field explained, and an empty blurb\n"
            "beside it. Never overwrites a file.",
            ['python3 build.py new "Newtown and District"']),
    "import": ("bring in official data: import candidates|results|places FILE",
               "import candidates FILE: Democracy Club's candidate list into awaited seats: one file per\n"
               "  seat (ONS code, name, candidates in ballot order with party and person id), new parties\n"
               "  added to parties.yml. Run again after nominations close: candidates are added, withdrawn\n"
               "  and renamed on awaited seats, each change printed; declared seats, blurbs and your own\n"
               "  edits are left alone.\n"
               "import results FILE: the UK Parliament results website's candidate-level export: electorate,\n"
               "  valid and rejected votes, each candidate's votes, as declared. A declared seat that\n"
               "  differs is listed, and changed only with --apply.\n"
               "import places FILE --wards FILE: a postcode lookup (postcode, PCON24CD) and the ONS ward\n"
               "  lookup into content/places/, for readers to find their seat: the rows of the site's seats,\n"
               "  a ward kept in a seat only where its postcodes are. Credit them in content/places/sources.md.\n"
               "The area: the site's own seats, or --seats, --region or --all.",
               ["python3 build.py import candidates candidates.csv --all --area Derbyshire --area-type county",
                "python3 build.py import candidates candidates.csv --seats @seats.txt --notional notional.csv "
                "--hexjson uk.hexjson",
                "python3 build.py import places postcodes.csv --wards wards.csv",
                "python3 build.py import results results.csv --notional notional.csv --region \"East Midlands\"",
                "python3 build.py import results results.csv --apply"]),
    "reset": ("reset --awaited: every seat back to awaited, candidates kept",
              "Take every result out of the content: each seat's votes, totals, times, elected candidate,\n"
              "corrections and recount lines, keeping its candidates, as before polls close. For a\n"
              "rehearsal or a new night. Content that git tracks (your site's own) needs --yes.",
              ["python3 build.py reset --awaited --content /tmp/night-copy/content",
               "python3 build.py reset --awaited --yes"]),
    "schemas": ("regenerate docs/schemas/ after changing sitegen/content/model.py",
                "Write the JSON Schemas editors' tools read, from the validator's own model.",
                ["python3 build.py schemas"]),
}


def _common(sub: argparse.ArgumentParser, *, output: bool = True, jobs: bool = False) -> None:
    """Add the folder options to a command (SUPPRESS: given before the command, they still count)."""
    sub.add_argument("--content", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                     help="content folder (default content/)")
    if output:
        sub.add_argument("--output", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                         help="output folder (default dist/)")
        sub.add_argument("--cache", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                         help="build cache folder (default .cache/; safe to delete)")
    if jobs:
        sub.add_argument("--jobs", type=int, metavar="N", default=argparse.SUPPRESS,
                         help="processes for rendering large sites (default: one per core)")


def _server_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sub.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    sub.add_argument("--open", action="store_true", help="open the site in a browser")


def _area_options(sub: argparse.ArgumentParser) -> None:
    group = sub.add_argument_group("the area (default: the seats the site already has)")
    group.add_argument("--seats", metavar="A,B", help="seats by name or ONS code, or @FILE with one per line")
    group.add_argument("--region", metavar="NAME", help="an English region or a nation ('East Midlands', 'Wales')")
    group.add_argument("--all", action="store_true", help="every seat in the file")
    group.add_argument("--area", metavar="NAME", help="the area's name, for a new site.yml ('Derbyshire')")
    group.add_argument("--area-type", metavar="TYPE", help="what the area is, for a new site.yml: county, city, "
                       "borough, district, region, nation, country or area")


def _seconds(least: float) -> Callable[[str], float]:
    """Return an argument type for a number of seconds from `least` to an hour."""
    from sitegen.config import MAX_SECONDS

    def seconds(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
        if not least <= value <= MAX_SECONDS:  # (also refuses nan and inf)
            raise argparse.ArgumentTypeError(f"expected seconds from {least:g} to {MAX_SECONDS}, got {text!r}")
        return value
    return seconds


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser for build.py: one sub-command each, with its own --help."""
    parser = argparse.ArgumentParser(
        prog="python3 build.py", formatter_class=_HelpFormatter,
        description="Build the election-results microsite from content/ into dist/.\n"
                    "Run python3 build.py COMMAND --help for a command's options and examples.")
    parser.add_argument("--content", type=Path, metavar="DIR", help="content folder (default content/)")
    parser.add_argument("--output", type=Path, metavar="DIR", help="output folder (default dist/)")
    parser.add_argument("--cache", type=Path, metavar="DIR", help="build cache folder (default .cache/; safe to delete)")
    parser.add_argument("--jobs", type=int, metavar="N", help="processes for rendering large sites (default: one per core)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    subs = {}
    for name, (summary, description, examples) in COMMANDS.items():
        subs[name] = commands.add_parser(
            name, help=summary, formatter_class=_HelpFormatter, description=description,
            epilog="examples:\n" + "\n".join(f"  {e}" for e in examples))
    _common(subs["build"], jobs=True)
    _common(subs["check"], jobs=True)
    subs["check"].add_argument("--published", metavar="REV",
                               help="a git revision holding what was last published (HEAD before a commit; the "
                                    "commit before a push): a declared result's figure changed since needs a "
                                    "correction entry")
    subs["check"].add_argument("--against", nargs="+", type=Path, metavar="FILE",
                               help="official files to compare with: the Commons Library's CBP-10009 results "
                                    "by candidate and by constituency, or the UK Parliament results export")
    _common(subs["serve"])
    _server_options(subs["serve"])
    _common(subs["rehearse"])
    _server_options(subs["rehearse"])
    subs["rehearse"].add_argument("--every", type=_seconds(0), default=20, metavar="SECONDS",
                                  help="seconds between declarations; 0 declares one each time you press Enter "
                                       "(default 20)")
    subs["rehearse"].add_argument("--poll", type=_seconds(1), default=10, metavar="SECONDS",
                                  help="how often open pages check for news (default 10; the published site "
                                       "checks every 60)")
    subs["rehearse"].add_argument("--correct", metavar="SLUG",
                                  help="this seat declares with a figure mistyped, and is corrected (a correction "
                                       "entry) the step after")
    subs["rehearse"].add_argument("--recount", metavar="SLUG",
                                  help="this seat goes to a recount the step before it declares")
    _common(subs["reset"], output=False)
    subs["reset"].add_argument("--awaited", action="store_true", required=True,
                               help="every seat back to awaited (the one reset there is)")
    subs["reset"].add_argument("--yes", action="store_true", help="go ahead on content that git tracks")
    _common(subs["new"])
    subs["new"].add_argument("name", nargs="?", help="the constituency's name, in quotes")
    _common(subs["import"])
    subs["import"].add_argument("kind", choices=["candidates", "results", "places"], help="what the file holds")
    subs["import"].add_argument("file", type=Path, help="the official file (CSV)")
    subs["import"].add_argument("--notional", type=Path, metavar="FILE",
                                help="the notional results of the previous election on these boundaries "
                                     "(UK Parliament export), for each seat's previous result")
    subs["import"].add_argument("--hexjson", type=Path, metavar="FILE",
                                help="a HexJSON layout keyed by ONS code, for each seat's place on the map")
    subs["import"].add_argument("--wards", type=Path, metavar="FILE",
                                help="places: the ONS ward to constituency lookup, for finding a seat by ward")
    subs["import"].add_argument("--apply", action="store_true",
                                help="results: also change declared results that differ from the file")
    _area_options(subs["import"])
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


def run_build(paths: Paths, *, write: bool, out: TextIO, err: TextIO, jobs: Optional[int] = None,
              published: Optional[str] = None) -> int:
    """Build (or only check) once and report; return the exit code. `published`: a git revision
    whose declared results may change only with a correction entry."""
    from sitegen.engine import STAGES, build, gather
    from sitegen.workers import Executor
    from sitegen.output import DiskProblem, OutputRefused, ignoring_interrupts
    started = time.perf_counter()
    bar = ProgressBar(err, STAGES if write else STAGES[:-1])
    try:
        result = build(paths, jobs=jobs, progress=bar.stage) if write else \
            gather(paths, executor=Executor(jobs), progress=bar.stage)
        if published is not None:
            _check_published(paths, result.results.content, published)
    except ContentErrors as exc:
        bar.close()
        report(exc.errors, err)
        print(exc.summary(), file=err)
        return EXIT_CONTENT
    except (OutputRefused, DiskProblem) as exc:  # refused before anything was read, or the disk failed
        bar.close()
        print(f"python3 build.py: error: {exc}", file=err)
        return EXIT_USAGE if isinstance(exc, OutputRefused) else EXIT_CONTENT
    except Exception as exc:  # noqa: BLE001 (only Ctrl-C's doing is handled; anything else goes on)
        if not is_interrupt(exc):
            raise
        bar.close()
        print(f"Interrupted: nothing written; {paths.display(paths.dist)}/ is as it was.", file=err)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        bar.close()
        print(f"Interrupted: nothing written; {paths.display(paths.dist)}/ is as it was.", file=err)
        return EXIT_INTERRUPTED
    bar.close()
    with ignoring_interrupts():  # done: a Ctrl-C now must not turn the report into 'interrupted'
        return _report(result, paths, write=write, started=started, out=out, err=err)


def _check_published(paths: Paths, content: Any, revision: str) -> None:
    """Raise ContentErrors for each published figure changed without a correction entry."""
    from sitegen.published import NoRevision, published_seats, unrecorded_changes
    try:
        seats = published_seats(paths.content, revision)
    except NoRevision:
        raise ContentErrors([ContentError(paths.display(paths.content), 0, 0,
                                          f"--published {revision}: git knows no such commit here; give the "
                                          "commit that was last published (HEAD before a commit)")]) from None
    errors = unrecorded_changes(content, seats, revision, paths.root)
    if errors:
        raise ContentErrors(errors)


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

    def interrupted(signum: int, frame: Any) -> None:
        if not write.published:  # once a new site is in place, Ctrl-C only cuts the report short
            write.interrupt_asked = True
            raise KeyboardInterrupt

    def unraisable(problem: Any) -> None:  # an interrupt Python cannot raise where it landed is
        if not isinstance(problem.exc_value, KeyboardInterrupt):  # heeded before publishing instead
            sys.__unraisablehook__(problem)
    try:
        from sitegen import output as write  # (a Ctrl-C can land while this loads)
        sys.unraisablehook = unraisable
        signal.signal(signal.SIGINT, interrupted)
        code = main(argv, root)
    except BaseException as exc:
        if not is_interrupt(exc):
            raise
        print("Interrupted: nothing written.", file=sys.stderr)
        code = EXIT_INTERRUPTED
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the work is done; only leaving is left
    sys.stdout.flush()
    sys.stderr.flush()
    from sitegen import workers
    if code == EXIT_INTERRUPTED:
        workers.end_children()  # whatever a Ctrl-C caught mid-way: no worker outlives the build
    workers.exiting()
    return code


def is_interrupt(exc: BaseException) -> bool:
    """Return True when `exc` is Ctrl-C, or another error that Ctrl-C caused (Python 3.11 turns one
    that lands while a class is being defined into a RuntimeError, with it as the cause)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1  # type: ignore[assignment]
    return False


def main(argv: list[str], root: Optional[Path] = None, out: TextIO = sys.stdout,
         err: TextIO = sys.stderr) -> int:
    """Run build.py with `argv`; return the exit code (0 ok, 1 content errors, 2 usage)."""
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    command = args.command or "build"
    paths = Paths.from_root(root or PROJECT_ROOT, args.content, getattr(args, "output", None),
                            getattr(args, "cache", None))
    if command == "new":
        from sitegen.content.scaffold import create_constituency
        return create_constituency(paths, args.name, out=out, err=err)
    if command == "schemas":
        from sitegen.content.schema import write_schemas
        for path in write_schemas(paths.root):
            print(f"Wrote {paths.display(path)}", file=out)
        return EXIT_OK
    if command == "import":
        return run_import_command(paths, args, out, err)
    if command == "reset":
        from sitegen.reset import reset_awaited
        return reset_awaited(paths, yes=args.yes, out=out, err=err)
    if command == "serve":
        from sitegen.preview.server import serve
        return serve(paths, host=args.host, port=args.port, open_browser=args.open, out=out, err=err)
    if command == "rehearse":
        from sitegen.preview.rehearse import rehearse
        return rehearse(paths, every=args.every, poll=args.poll, recount=args.recount, correct=args.correct,
                        host=args.host, port=args.port, open_browser=args.open, out=out, err=err)
    if command == "check" and args.against:
        return run_reconcile(paths, args.against, out=out, err=err, jobs=args.jobs)
    return run_build(paths, write=command == "build", out=out, err=err, jobs=args.jobs,
                     published=getattr(args, "published", None))


def run_import_command(paths: Paths, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`import candidates|results FILE`: check the options, then import."""
    from sitegen.official.area import Area, read_seat_list
    from sitegen.official.importer import ImportOptions, run_import
    chosen = [flag for flag, given in (("--seats", args.seats), ("--region", args.region), ("--all", args.all))
              if given]
    if len(chosen) > 1:
        print(f"python3 build.py: error: choose one of {', '.join(chosen)}", file=err)
        return EXIT_USAGE
    if args.kind == "places":
        from sitegen.official.places import run_places_import
        return run_places_import(paths, args.file, args.wards, out, err)
    if args.wards:
        print("python3 build.py: error: --wards is for import places", file=err)
        return EXIT_USAGE
    if args.apply and args.kind != "results":
        print("python3 build.py: error: --apply is for import results", file=err)
        return EXIT_USAGE
    from sitegen.content.model import AREA_TYPES
    if args.area_type and args.area_type not in AREA_TYPES:
        print(f"python3 build.py: error: --area-type must be one of {', '.join(AREA_TYPES)}", file=err)
        return EXIT_USAGE
    try:
        seats = read_seat_list(args.seats) if args.seats else ()
    except ContentErrors as exc:
        report(exc.errors, err)
        return EXIT_CONTENT
    options = ImportOptions(args.kind, args.file, args.notional, args.hexjson, Area(seats, args.region, args.all),
                            args.apply, args.area, args.area_type)
    return run_import(paths, options, out, err)


def run_reconcile(paths: Paths, files: list[Path], *, out: TextIO, err: TextIO, jobs: Optional[int]) -> int:
    """`check --against FILE...`: check the content, then compare it with the official release."""
    from sitegen.engine import gather
    from sitegen.workers import Executor
    from sitegen.official.reconcile import reconcile
    try:
        site = gather(paths, executor=Executor(jobs))
        differences, summary = reconcile(paths, site.results, files)
    except ContentErrors as exc:
        report(exc.errors, err)
        print(exc.summary().replace("nothing written.", "nothing compared."), file=err)
        return EXIT_CONTENT
    for line in differences:
        print(line, file=out)
    print(summary, file=out)
    return EXIT_CONTENT if differences else EXIT_OK
