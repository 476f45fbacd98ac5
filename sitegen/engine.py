"""The engine: the one path from content/ to a rendered site, shared by build, check and serve.

    gather = read (load.py) -> validate (validate.py) -> compute (compute.py)
             -> route (routes.py) -> render (render.py, export.py; on every core when large)
             -> check (verify.py)

`gather` returns the site in memory and touches nothing outside the build cache. `check` is one
gather; `build` is one gather, then write.py replaces dist/ in one step; the preview server
(serve.py) gathers again after each save with a `State`, the last gather's memory, so only the
routes whose inputs changed are rendered, and hands the changed files to write.py's in-place sync.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional

from sitegen.config import Paths
from sitegen.errors import ContentError, ContentErrors
from sitegen.workers import Executor, Pending, shared

# The stages are imported where they are first used, not here: a build that finds nothing changed
# stops before needing any of them (PyYAML, Jinja, Python-Markdown and the rest take ~100 ms).
if TYPE_CHECKING:
    from jinja2 import Environment, TemplateError

    from sitegen.results import Results
    from sitegen.content.read import LoadCache
    from sitegen.site.routes import Body, Route
    from sitegen.check import PageScan

STAGES = ("reading content", "rendering pages", "checking links and figures", "writing dist/")
READ_ON_CORES_FROM = 400    # content files: below this, forking to read costs more than it saves
RENDER_ON_CORES_FROM = 200  # outputs: the same for rendering

Progress = Callable[[str], None]


# Named tuples rather than dataclasses, as in config.py: a build that finds nothing to do imports
# this module and should not pay for `dataclasses`.
class Site(NamedTuple):
    """A gathered site: every output rendered and checked, in memory."""

    results: Results
    routes: dict[str, Route]
    files: dict[str, Body]          # every output, by path, in route order
    warnings: list[ContentError]
    rendered: frozenset[str]        # the outputs rendered by this gather; the rest were carried over
    scans: dict[str, PageScan]      # the parsed pages, for the check
    held: tuple[ContentError, ...] = ()  # a partial gather's problems in seats it built without them

    @property
    def pages(self) -> int:
        """Return how many HTML pages the site has."""
        return sum(1 for name in self.files if name.endswith(".html"))

    @property
    def full(self) -> bool:
        """Return True when every output was rendered by this gather."""
        return len(self.rendered) == len(self.files)


class State:
    """What one gather leaves to the next: parsed files, checked and computed seats, converted
    blurbs, compiled templates, and the last good site. The preview keeps one."""

    def __init__(self, paths: Paths):
        from sitegen.content.read import LoadCache
        from sitegen.site.pages import RenderMemo
        self.loaded = LoadCache()
        self.validated: dict = {}
        self.computed: dict = {}
        self.memo = RenderMemo(paths.cache)
        self.env: Optional[Environment] = None
        self.assets: dict = {}
        self.code: Optional[tuple] = None  # templates/ and static/ as last read (see code_snapshot)
        self.last: Optional[Site] = None


def code_snapshot(paths: Paths) -> tuple:
    """Return the names, sizes and modification times of every file in templates/ and static/."""
    entries = []
    for folder in (paths.templates, paths.static):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                stat = path.stat()
                entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


def _read_piece(span: tuple[int, int]) -> LoadCache:
    """In a worker: parse the content files files[start:end] into a loader cache, marking each in
    the shared progress array while it is being read (1) and once it is read (2)."""
    from sitegen.content.read import LoadCache, load_markdown, load_yaml
    paths, files, progress = shared()
    cache = LoadCache()
    for i in range(*span):
        progress[i] = 1
        (load_yaml if files[i].suffix == ".yml" else load_markdown)(files[i], paths, [], cache)
        progress[i] = 2
    return cache


def _compile_piece(_: None) -> dict[str, bytes]:
    """In a worker: compile every template; return the bytecode (see render.compiled_bytecode)."""
    from sitegen.site.filters import compiled_bytecode
    paths = shared()
    return compiled_bytecode(paths.templates, paths.cache / "templates" if paths.cache else None)


class Ahead(NamedTuple):
    """Work a one-shot build starts on other cores before it needs the results: the constituency
    files being parsed (large sites only) and the templates being compiled (any site, when there
    is a second core: compiling takes about 60 ms, which this process spends importing and
    checking content meanwhile)."""

    reading: Optional[Pending]
    compiling: Optional[Pending]
    files: list[Path] = []       # the files being read
    progress: Any = None         # shared with the readers: 0 not started, 1 being read, 2 read

    def read(self, paths: Paths) -> list[LoadCache]:
        """Return what the readers read; raise ContentErrors naming the file a reader was on when
        it died (killed, or out of memory), rather than wait for it."""
        from concurrent.futures.process import BrokenProcessPool
        try:
            return self.reading.result() if self.reading is not None else []
        except BrokenProcessPool:
            stuck = [path for path, state in zip(self.files, self.progress) if state == 1]
            raise ContentErrors([ContentError(paths.display(path), 0, 0, "the process reading this file "
                                              "ended before it finished (out of memory, or stopped "
                                              "from outside)") for path in stuck] or [
                ContentError(paths.display(paths.content), 0, 0, "a process reading content ended "
                             "before it finished (out of memory, or stopped from outside)")]) from None

    def cancel(self) -> None:
        """Stop what is still running."""
        for pending in (self.reading, self.compiling):
            if pending is not None:
                pending.cancel()


def start_ahead(paths: Paths, executor: Executor) -> Ahead:
    """Start reading and compiling on other cores, where that is worth it."""
    folder = paths.content / "constituencies"
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".md") and not p.name.startswith("."))
    except OSError:  # the loader says what is wrong with the folder
        files = []
    reading, progress = None, None
    if executor.forks_for(len(files), READ_ON_CORES_FROM):
        from multiprocessing.sharedctypes import RawArray
        progress = RawArray("b", len(files))  # in shared memory, so a dead reader's file is known
        size = max(16, len(files) // (executor.jobs * 4))
        spans = [(i, min(i + size, len(files))) for i in range(0, len(files), size)]
        reading = executor.start(_read_piece, spans, (paths, files, progress))
    compiling = executor.start(_compile_piece, [None], paths, workers=1) if executor.forks_for(1, 1) else None
    return Ahead(reading, compiling, files, progress)


def template_error(exc: TemplateError, paths: Paths) -> ContentError:
    """Return a template mistake located at its file and line in templates/."""
    import traceback

    from jinja2 import TemplateSyntaxError
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return ContentError(paths.display(exc.filename), exc.lineno or 0, 0,
                            f"template syntax error: {exc.message}")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if str(paths.templates) in f.filename]
    where = (paths.display(frames[-1].filename), frames[-1].lineno or 0) if frames else (
        paths.display(paths.templates), 0)
    return ContentError(where[0], where[1], 0, f"template error: {exc}")


def _render_piece(names: list[str]) -> tuple[dict[str, Body], dict[str, PageScan]]:
    """Render the routes `names` of the shared route table, and parse the pages among them."""
    from sitegen.site.routes import PAGE
    from sitegen.check import scan_page
    routes = shared()
    files = {name: routes[name].render() for name in names}
    return files, {name: scan_page(body) for name, body in files.items()  # type: ignore[arg-type]
                   if routes[name].kind == PAGE}


def work_pieces(routes: dict[str, Route], names: list[str], jobs: int) -> list[list[str]]:
    """Split the routes `names` into pieces that idle workers take in turn: the costly ones first,
    one per piece (routes that share work in one piece), then the rest in small runs, so that every
    worker finishes at about the same time."""
    grouped: dict[str, list[str]] = {}
    light = []
    for name in names:
        route = routes[name]
        if route.together:
            grouped.setdefault(route.together, []).append(name)
        elif route.cost > 1:
            grouped[name] = [name]
        else:
            light.append(name)
    heavy = sorted(grouped.values(), key=lambda piece: -sum(routes[n].cost for n in piece))
    size = max(4, len(light) // (jobs * 8))
    return heavy + [light[i:i + size] for i in range(0, len(light), size)]


def _render(routes: dict[str, Route], names: list[str], executor: Executor,
            each: Optional[Callable[[tuple[dict[str, Body], dict[str, PageScan]]], None]] = None
            ) -> tuple[dict[str, Body], dict[str, PageScan]]:
    """Return the outputs `names` rendered, and their pages parsed: on every core when large.
    `each` is called with each piece's outputs and parsed pages as soon as they are ready."""
    pieces = work_pieces(routes, names, executor.jobs)
    try:
        parts = executor.map(_render_piece, pieces, routes, size=len(names), forks_from=RENDER_ON_CORES_FROM,
                             each=each)
    except Exception:
        if not executor.forks_for(len(names), RENDER_ON_CORES_FROM):
            raise
        # A worker failed (a template error may not even pickle): render here, where the error
        # surfaces with its traceback into templates/.
        parts = Executor(1).map(_render_piece, [names], routes, size=len(names),
                                forks_from=RENDER_ON_CORES_FROM, each=each)
    files: dict[str, Body] = {}
    scans: dict[str, PageScan] = {}
    for part_files, part_scans in parts:
        files.update(part_files)
        scans.update(part_scans)
    return files, scans


def _incremental_data(site_results: Results, slugs: set[str], state: State, files: dict[str, Body]) -> dict:
    """Return the data of the seats `slugs` for an incremental check: from the records the data
    files were just assembled from in this process when they were, else from the files whole."""
    from sitegen.site.data import CSV_COLUMNS
    from sitegen.check import read_data_files, read_data_records
    seats = {s.seat.slug: s for s in site_results.seats}
    remembered = {slug: state.memo.records.get(slug) for slug in slugs}
    if all(r is not None and r[0] is seats.get(slug) for slug, r in remembered.items()):
        return read_data_records({slug: r[2:] for slug, r in remembered.items()}, CSV_COLUMNS)  # type: ignore[index]
    return read_data_files(files)


def gather(paths: Paths, state: Optional[State] = None, *, changed: Optional[set[Path]] = None,
           executor: Optional[Executor] = None, progress: Progress = lambda stage: None,
           ahead: Optional[Ahead] = None, rendered: Optional[Callable[[dict[str, Body]], None]] = None,
           partial: bool = False) -> Site:
    """Read, check, compute, render and verify the site; return it, or raise ContentErrors.

    With `state` (the preview's), only the outputs whose inputs changed since its last good site are
    rendered, and `changed`, when a watcher knows it, names the only source files that may have
    changed. `ahead` is work already started on other cores (see start_ahead). `rendered` is
    handed each batch of outputs as soon as it is rendered, before anything is checked: `build`
    starts writing them into its staging folder, which it throws away if the check fails.

    With `partial` (the preview's), problems confined to constituency files do not stop the
    gather: each such seat stands as it last built (or is left out), and the problems are in
    Site.held (see validate).
    """
    from jinja2 import TemplateError

    from sitegen.results import compute_results
    from sitegen.content.read import load_content
    from sitegen.site.routes import IMAGE, route_table
    from sitegen.content.checks import collect_warnings, validate
    from sitegen.check import Checker
    progress(STAGES[0])
    one_shot = state is None
    state = state or State(paths)
    executor = executor or Executor()
    if ahead is None and one_shot:
        ahead = start_ahead(paths, executor)
    try:
        if ahead is not None:
            for part in ahead.read(paths):
                state.loaded.update(part)
        raw = load_content(paths, state.loaded, changed)
        held: Optional[list[ContentError]] = [] if partial else None
        stand_ins = {c.slug: c for c in state.last.results.site.constituencies} if partial and state.last else None
        content = validate(raw, state.validated, stand_ins, held)
        results = compute_results(content, state.computed)
        if ahead is not None and ahead.compiling is not None:
            _draw_while_compiling(results, state, ahead.compiling)
        code_changed = _refresh_code(paths, state, one_shot, ahead.compiling if ahead else None)
    finally:
        if ahead is not None:
            ahead.cancel()
    routes = route_table(results, state.env, state.assets, state.memo)  # type: ignore[arg-type]
    last = state.last
    if last is None or code_changed or (last.results.site.info, last.results.site.parties) != (
            content.info, content.parties):
        names, last = list(routes), None
    else:
        names = [name for name, route in routes.items()
                 if name not in last.routes or last.routes[name].inputs != route.inputs]
    progress(STAGES[1])
    checker = Checker(routes, names, {routes[name].seat for name in names if routes[name].seat},  # type: ignore[misc]
                      read_data=last is None)

    def arrived(part: tuple[dict[str, Body], dict[str, PageScan]]) -> None:
        checker.add(*part)
        if rendered is not None:
            rendered(part[0])
            # Nothing reads an image again once it is on its way to the staging folder: let go of it
            # here, so that a large build does not hold every card until the end (15 MB at 650 seats).
            for name in part[0]:
                if routes[name].kind == IMAGE:
                    part[0][name] = RELEASED
    try:
        fresh, scans = _render(routes, names, executor, arrived)
    except TemplateError as exc:
        state.code = None  # the next gather renders everything
        raise ContentErrors([template_error(exc, paths)]) from None
    if last is not None:
        scans = {name: last.scans[name] for name in routes if name in last.scans and name not in fresh} | scans
    files = {name: fresh[name] if name in fresh else last.files[name] for name in routes}  # type: ignore[union-attr]
    site = Site(results, routes, files, raw.warnings + collect_warnings(content) + _cleaning_warnings(raw),
                frozenset(fresh), scans, tuple(held or ()))
    progress(STAGES[2])
    problems = checker.finish(scans, None if last is None else _incremental_data(results, checker.slugs, state, files))
    if problems:
        if code_changed:
            state.code = None
        raise ContentErrors(problems)
    state.last = site
    return site


def _draw_while_compiling(results: Results, state: State, compiling: Pending) -> None:
    """Draw share images here while the templates compile on another core, until they are ready:
    images need no templates, and this core would otherwise wait. Workers forked later inherit
    what was drawn; the routes find it in the memo."""
    from sitegen.site.cards import favicon_ico, overview_card_data, seat_card_data, touch_icon
    from sitegen.site.pages import headline
    info, cards = results.site.info, state.memo.cards
    if compiling.done():
        return
    touch_icon(), favicon_ico()  # remembered for the process (and the workers forked from it)
    cards.overview(overview_card_data(results, headline(results)))
    for seat in results.seats:
        if compiling.done():
            return
        cards.seat(seat_card_data(seat, info.title, info.election))


# In Site.files of a build (not a check, not the preview), an image already handed to the staging
# folder: the file is written there, and the body was let go.
RELEASED = b""


def _cleaning_warnings(raw: Any) -> list[ContentError]:
    """Return a warning for each blurb with raw HTML that is removed when published."""
    from sitegen.site.markdown import removed_html
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


def _refresh_code(paths: Paths, state: State, one_shot: bool, compiling: Optional[Pending] = None) -> bool:
    """Load templates and static files if they changed since the state's last gather (always for a
    one-shot gather, which has no last gather); return True when they were loaded. `compiling` is
    the templates being compiled in another process (see start_ahead)."""
    from sitegen.site.assets import collect_assets
    from sitegen.site.filters import compile_templates, make_environment
    snapshot = () if one_shot else code_snapshot(paths)
    if state.env is not None and snapshot == state.code:
        return False
    known = None
    if compiling is not None:
        try:
            known = compiling.result()[0]
        except Exception:  # noqa: BLE001 (compiled here instead, where a mistake is reported)
            known = None
    state.env = make_environment(paths.templates, paths.cache / "templates" if paths.cache else None, known)
    compile_templates(state.env)  # once, before any worker is forked
    state.assets = collect_assets(paths.static, paths.display)
    state.code = snapshot
    return True


class Built(NamedTuple):
    """What `build` did: the site it wrote (None when dist/ was already up to date), how many files
    got new bytes, and the seconds it took."""

    site: Optional[Site]
    written: int
    files: int
    warnings: list[str]
    seconds: float


def removed_pages(folder: Path, files: dict[str, Body], shown: str) -> list[ContentError]:
    """Return a warning for each page in the published folder that the new site no longer has."""
    published = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html")) if folder.is_dir() else []
    return [ContentError(shown + page.removesuffix("index.html"), 0, 0, "was published by the last build and "
                         "is not in this one; if its seat's files were renamed, list the old name under "
                         "old_slugs in the new .yml so that links already shared keep working", warning=True)
            for page in published if page not in files
            # a seat's embed goes with its page: one warning for the two
            and not (page.endswith("/embed/index.html") and page.removesuffix("embed/index.html") + "index.html"
                     in published and page.removesuffix("embed/index.html") + "index.html" not in files)]


def build(paths: Paths, *, jobs: Optional[int] = None, progress: Progress = lambda stage: None) -> Built:
    """Gather the site and, only if it all rendered and checked, replace dist/ with it in one step.

    Stops early when the inputs (code included) and dist/ are exactly as the last build left them.
    Raises OutputRefused before reading anything when dist/ may not be written, or another build is
    writing it; DiskProblem when the disk refuses the new site (the old one stays).
    """
    from sitegen.buildcache import has_record, input_fingerprint, is_up_to_date, remember_build
    from sitegen.files import describe_os_error
    from sitegen.output import MARKER, DiskProblem, OutputLock, Staging, ignoring_interrupts, output_folder, shown_folder
    started = time.perf_counter()
    folder = output_folder(paths)
    shown = shown_folder(paths)
    with OutputLock(folder, shown):
        executor = Executor(jobs)
        # With nothing to compare against, this is a full build: start reading before fingerprinting.
        ahead = None if has_record(paths) else start_ahead(paths, executor)
        try:
            fingerprint = input_fingerprint(paths)
            record = is_up_to_date(paths, fingerprint)
        except BaseException:
            if ahead is not None:
                ahead.cancel()
            raise
        if record is not None:
            return Built(None, 0, record["files"], record["warnings"], time.perf_counter() - started)
        try:
            staging = Staging(folder)
        except OSError as exc:
            if ahead is not None:
                ahead.cancel()
            raise DiskProblem(f"{shown}: cannot write a new site beside it ({describe_os_error(exc)}); "
                              "the published site is unchanged") from None
        try:
            site = gather(paths, executor=executor, progress=progress, ahead=ahead, rendered=staging.write_soon)
            removed = removed_pages(folder, site.files, shown)
            progress(STAGES[3])
            try:
                written = staging.write(site.files)
                with ignoring_interrupts():  # from the swap on, the build finishes
                    staging.commit()
                    warnings = [w.format() for w in site.warnings + removed]
                    remember_build(paths, fingerprint, warnings, len(site.files), set(site.files) | {MARKER})
            except OSError as exc:
                raise DiskProblem(f"{shown}: could not write the new site ({describe_os_error(exc)}); "
                                  "the published site is unchanged") from None
        except BaseException:
            staging.discard()
            raise
    return Built(site, written, len(site.files), warnings, time.perf_counter() - started)
