"""The engine: the one path from content/ to a rendered, checked site, shared by every command.

    gather = read (content/read.py) -> check (content/checks.py) -> compute (results.py)
             -> route (site/routes.py) -> render (site/pages.py, site/data.py, site/cards.py)
             -> check the output (check.py)

`gather` returns the site in memory and touches nothing outside the build cache. `check` is one
gather; `build` is one gather, then output.py replaces dist/ in one step; the preview gathers
again after each save with a `State`, the last gather's memory, so only the routes whose context
changed are rendered, and hands the changed files to output.py's in-place sync. Where the work
runs, and when, is workers.py's business; what is kept between builds is buildcache.py's.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple, Optional

from sitegen import workers
from sitegen.config import Paths
from sitegen.errors import ContentError, ContentErrors
from sitegen.output import shown_folder
from sitegen.workers import Executor

# The stages are imported where they are first used, not here: a build that finds nothing changed
# stops before needing any of them (PyYAML, Jinja, Python-Markdown and the rest take ~100 ms).
if TYPE_CHECKING:
    from jinja2 import TemplateError

    from sitegen.check import PageScan
    from sitegen.content.model import Content
    from sitegen.content.read import RawContent
    from sitegen.results import Results
    from sitegen.site.pages import Renderer
    from sitegen.site.routes import Body, Route

STAGES = ("reading content", "rendering pages", "checking links and figures", "writing dist/")

Progress = Callable[[str], None]


class Site(NamedTuple):
    """A gathered site: every output rendered and checked, in memory."""

    results: Results
    routes: dict[str, Route]
    files: dict[str, Body]          # every output, by path, in route order
    warnings: list[ContentError]
    rendered: frozenset[str]        # the outputs rendered by this gather; the rest were carried over
    scans: dict[str, PageScan]      # the parsed pages, for the check
    held: tuple[ContentError, ...] = ()  # a partial gather's problems in seats it built without them
    repaired: tuple[ContentError, ...] = ()  # warnings of damaged cache items made again (in warnings too)

    @property
    def pages(self) -> int:
        """Return how many HTML pages the site has."""
        return sum(1 for name in self.files if name.endswith(".html"))

    @property
    def full(self) -> bool:
        """Return True when every output was rendered by this gather."""
        return len(self.rendered) == len(self.files)


class State:
    """What one gather leaves to the next: parsed files, the memo of checked seats, computed
    results and rendered fragments, the renderer with its compiled templates, and the last good
    site. The preview keeps one; with `partial`, a seat with a mistake stands as it last built
    (see content/checks.validate)."""

    def __init__(self, paths: Paths, partial: bool = False):
        from sitegen.buildcache import Memo
        from sitegen.content.read import LoadCache
        from sitegen.site.cards import Cards
        from sitegen.site.markdown import Blurbs
        self.partial = partial
        self.loaded = LoadCache()
        self.memo = Memo()
        self.markdown = Blurbs(paths.cache / "markdown" if paths.cache else None)
        self.cards = Cards(paths.cache / "cards" if paths.cache else None)
        self.renderer: Optional[Renderer] = None
        self.code: Optional[tuple] = None  # templates/ and static/ as last read (see code_snapshot)
        self.last: Optional[Site] = None


def code_snapshot(paths: Paths) -> tuple:
    """Return the names, sizes and modification times of every file in templates/ and static/."""
    from sitegen.files import source_files
    entries = []
    for folder in (paths.templates, paths.static):
        for path in source_files(folder):
            stat = path.stat()
            entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


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


def gather(paths: Paths, state: Optional[State] = None, *, changed: Optional[set[Path]] = None,
           executor: Optional[Executor] = None, progress: Progress = lambda stage: None) -> Site:
    """Read, check, compute, render and check the output; return the site, or raise ContentErrors.

    With `state` (the preview's), only the outputs whose context changed since its last good site
    are rendered, and `changed`, when a watcher knows it, names the only source files that may
    have changed.
    """
    from sitegen.check import Checker
    from sitegen.site.routes import IMAGE, route_table
    from sitegen.buildcache import take_damaged
    from sitegen.site.markdown import SlowBlurb
    progress(STAGES[0])
    take_damaged()  # (what an earlier gather in this process left)
    one_shot = state is None
    state = state or State(paths)
    executor = executor or Executor()
    with workers.Ahead(paths if one_shot else None, executor) as ahead:
        raw = _read(paths, state, changed)
        held: list[ContentError] = []
        content = _check_content(raw, state, held)
        results = _compute(content, state)
        assets = _assets(paths, state, one_shot)
        routes = route_table(results, {name: asset.output for name, asset in assets.items()}, state.memo)
        _check_blurb_links(raw, routes)
        if ahead.compiling is not None:  # draw share cards while the templates compile elsewhere
            from sitegen.site.pages import Renderer
            drawing = Renderer(None, assets, state.markdown, state.cards, state.memo)  # type: ignore[arg-type]
            ahead.while_compiling([lambda route=route: route.render(drawing, route.path, route.context)
                                   for route in routes.values() if route.kind == IMAGE])
        code_changed = _refresh_code(paths, state, one_shot, ahead, assets)
    last = state.last
    if last is None or code_changed:
        names, last = list(routes), None
    else:
        names = [name for name, route in routes.items()
                 if name not in last.routes or last.routes[name].context != route.context]
    progress(STAGES[1])
    checker = Checker(routes, names, {routes[name].seat for name in names if routes[name].seat},  # type: ignore[misc]
                      read_data=last is None)
    try:
        fresh, scans = _render(paths, routes, names, state.renderer, executor, checker.add)  # type: ignore[arg-type]
    except ContentErrors:  # a template's mistake
        state.code = None  # the next gather renders everything
        raise
    except SlowBlurb as exc:
        raise ContentErrors(_slow_blurb(exc.text, raw)) from None
    if last is not None:
        scans = {name: last.scans[name] for name in routes if name in last.scans and name not in fresh} | scans
    files = {name: fresh[name] if name in fresh else last.files[name] for name in routes}  # type: ignore[union-attr]
    _check_blurb_links(raw, routes, scans)
    progress(STAGES[2])
    problems = checker.finish(scans, None if last is None else _seat_data(results, checker.slugs, state))
    if problems:
        if code_changed:
            state.code = None
        raise ContentErrors(problems)
    repaired = _damage_warnings(paths)
    site = Site(results, routes, files, _warnings(raw, content) + _card_warnings(paths, routes, results, state) + repaired,
                frozenset(fresh), scans, tuple(held), tuple(repaired))
    state.last = site
    return site


def _read(paths: Paths, state: State, changed: Optional[set[Path]]) -> RawContent:
    from sitegen.content.read import load_content
    return load_content(paths, state.loaded, changed)


def _check_content(raw: RawContent, state: State, held: list[ContentError]) -> Content:
    from sitegen.content.checks import validate
    if not state.partial:
        return validate(raw, state.memo)
    stand_ins = {c.slug: c for c in state.last.results.content.constituencies} if state.last else None
    return validate(raw, state.memo, stand_ins, held)


def _compute(content: Content, state: State) -> Results:
    from sitegen.results import compute_results
    return compute_results(content, state.memo)


def _assets(paths: Paths, state: State, one_shot: bool) -> dict:
    """Return the static files, read again only when templates/ or static/ changed."""
    from sitegen.site.assets import collect_assets
    if not one_shot and state.renderer is not None and code_snapshot(paths) == state.code:
        return state.renderer.assets
    return collect_assets(paths.static, paths.display)


def _refresh_code(paths: Paths, state: State, one_shot: bool, ahead: workers.Ahead, assets: dict) -> bool:
    """Make the renderer again if templates or static files changed since the state's last gather
    (always for a one-shot gather, which has no last gather); return True when it was made."""
    from sitegen.site.filters import compile_templates, make_environment
    from sitegen.site.pages import Renderer
    snapshot = () if one_shot else code_snapshot(paths)
    if state.renderer is not None and snapshot == state.code:
        return False
    env = make_environment(paths.templates, paths.cache / "templates" if paths.cache else None, ahead.compiled())
    compile_templates(env)  # once, before any worker is forked
    state.renderer = Renderer(env, assets, state.markdown, state.cards, state.memo)
    state.code = snapshot
    return True


def _render_piece(names: list[str]) -> tuple[dict[str, Body], dict[str, PageScan], list[Path]]:
    """Render the routes `names` of the shared route table, and parse the pages among them; with
    the cached items found damaged meanwhile. A template mistake is located here, where its
    traceback is (a worker sends back only the message)."""
    from jinja2 import TemplateError

    from sitegen.buildcache import take_damaged
    from sitegen.check import scan_page
    from sitegen.site.routes import PAGE
    routes, renderer, paths = workers.shared()
    try:
        files = {name: routes[name].render(renderer, name, routes[name].context) for name in names}
    except TemplateError as exc:
        raise ContentErrors([template_error(exc, paths)]) from None
    scans = {name: scan_page(body) for name, body in files.items() if routes[name].kind == PAGE}  # type: ignore[arg-type]
    if workers.in_worker():
        # sent to the parent as UTF-8: a page with a dash or a curly quote is two bytes a character
        # in a Python string, about one in UTF-8 (a 650-seat build holds 40 MB of pages less)
        files = {name: body.encode("utf-8") if isinstance(body, str) else body for name, body in files.items()}
        return files, scans, take_damaged()
    return files, scans, []  # (in this process, gather takes them at the end)


def _render(paths: Paths, routes: dict[str, Route], names: list[str], renderer: Renderer, executor: Executor,
            each: Callable[[dict[str, Body], dict[str, PageScan]], None]
            ) -> tuple[dict[str, Body], dict[str, PageScan]]:
    """Return the outputs `names` rendered, and their pages parsed: on every core when large.
    `each` is given each piece's outputs and parsed pages as soon as they are ready."""
    from concurrent.futures.process import BrokenProcessPool
    try:
        parts = executor.map(_render_piece, workers.pieces(names), (routes, renderer, paths), size=len(names),
                             forks_from=workers.RENDER_ON_CORES_FROM, each=lambda part: each(*part[:2]))
    except BrokenProcessPool:  # a worker killed (out of memory, or from outside): said, not hung on
        raise ContentErrors([ContentError(shown_folder(paths), 0, 0, "a process rendering the site ended before "
                                          "it finished (out of memory, or stopped from outside)")]) from None
    from sitegen.buildcache import note_damaged
    files: dict[str, Body] = {}
    scans: dict[str, PageScan] = {}
    for part_files, part_scans, damaged in parts:
        files.update(part_files)
        scans.update(part_scans)
        note_damaged(damaged)
    return files, scans


def _seat_data(results: Results, slugs: set[str], state: State) -> dict:
    """Return the data files' figures of the seats `slugs`, for an incremental check: the records
    results.json and results.csv were assembled from (in the memo, keyed by the seat result)."""
    from sitegen.check import read_data_records
    from sitegen.site.data import CSV_COLUMNS, seat_data
    seats = {s.seat.slug: s for s in results.seats}
    return read_data_records({slug: seat_data(seats[slug], results.content.parties, state.memo)
                              for slug in slugs if slug in seats}, CSV_COLUMNS)


def _check_blurb_links(raw: RawContent, routes: dict[str, Route], scans: Optional[dict[str, PageScan]] = None
                       ) -> None:
    """Raise ContentErrors, at the blurb's line, for each link in a blurb that leads to no output
    of the site from the page it is shown on (a link from the root, '/bolsover/', is taken from the
    site's own root, as pages.Renderer.blurb writes it); with `scans` (the pages rendered), for
    each link to a place on a page that the page does not have. The post-render check would find
    them too, but could only name the page."""
    from urllib.parse import urlsplit

    from sitegen.check import resolve_link
    from sitegen.site.markdown import blurb_links
    from sitegen.site.pages import seat_path
    shown = [(raw.overview, "index.html")] if raw.overview else []
    for slug, blurb in sorted(raw.blurbs.items()) + sorted(raw.awaited_blurbs.items()):
        shown.append((blurb, seat_path(slug)))
    errors = []
    for blurb, page in shown:
        for line, href in blurb_links(blurb.text):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("//"):
                continue  # another site, or an e-mail address
            root = href.startswith("/")
            target, fragment = resolve_link("index.html" if root else page, href[1:] if root else href) or ("", "")
            if target in routes and not target.startswith(".."):
                if scans is not None and fragment and target in scans and fragment not in scans[target].ids:
                    errors.append(ContentError(blurb.path, line, 0, f"link {href!r}: the page it leads to has no "
                                               f"place called {fragment!r}"))
                continue
            if scans is not None:
                continue  # (said before rendering)
            folder = target.rstrip("/") + "/index.html"
            hint = f" (did you mean {href + '/'!r}?)" if folder in routes and not href.endswith("/") else ""
            where = "outside the site" if target.startswith("..") else "to no page or file of the site"
            errors.append(ContentError(blurb.path, line, 0, f"link {href!r} leads {where}{hint}; link to a seat "
                                       "from the site's root, like '/bolsover/', wherever the blurb is"))
    if errors:
        raise ContentErrors(errors)


def _card_warnings(paths: Paths, routes: dict[str, Route], results: Results, state: State) -> list[ContentError]:
    """Return a warning for each share card that leaves out a text its fonts have no letters for
    (a name in Arabic or Chinese script, say), naming the seat's file (site.yml for the area's card)."""
    from sitegen.site.cards import Cards
    files = {seat.slug: seat.path for seat in results.content.constituencies}
    warnings = []
    for path, route in routes.items():
        if Cards.key_of(route.context) is None:
            continue
        seat = path.split("/")[0] if "/" in path else None
        said = state.memo.get(("left out", seat), (route.context,), lambda route=route: state.cards.left_out(route.context))
        where = files[seat] if seat else paths.display(paths.content / "site.yml")
        card = "its share card" if seat else "the area's share card"
        warnings += [ContentError(where, 0, 0, f"{card} {what}; the page shows it in full", warning=True)
                     for what in said]
    return warnings


def _damage_warnings(paths: Paths) -> list[ContentError]:
    """Return a warning for each item of the build cache found damaged while gathering."""
    from sitegen.buildcache import take_damaged
    return [ContentError(paths.display(path), 0, 0, "was damaged in the build cache (it did not match its "
                         "checksum), so it was deleted and made again; if this keeps happening, check the disk",
                         warning=True) for path in sorted(set(take_damaged()))]


def _slow_blurb(text: str, raw: RawContent) -> list[ContentError]:
    """Return an error for each blurb file holding `text`, which took too long to convert."""
    from sitegen.site.markdown import BLURB_SECONDS
    files = [raw.overview] + list(raw.blurbs.values()) + list(raw.awaited_blurbs.values())
    return sorted(ContentError(f.path, 0, 0, f"took more than {BLURB_SECONDS:g} seconds to turn into HTML, far "
                               "longer than any blurb needs: Markdown with many '[', '![' or '<' left open is read "
                               "slowly; close them, or write them as \\[ and &lt;")
                  for f in files if f is not None and f.text == text)


def _warnings(raw: RawContent, content: Content) -> list[ContentError]:
    from sitegen.content.checks import collect_warnings
    from sitegen.site.markdown import cleaning_warnings
    return raw.warnings + collect_warnings(content, raw) + cleaning_warnings(raw)


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
    """Gather the site and, only if it all rendered and checked, write it beside dist/ and swap it
    in, in one step.

    Stops early when the inputs (code included) and dist/ are exactly as the last build left them.
    Raises OutputRefused before reading anything when dist/ may not be written, or another build is
    writing it; DiskProblem when the disk refuses the new site (the old one stays).
    """
    from sitegen.buildcache import input_fingerprint, is_up_to_date, remember_build
    from sitegen.output import MARKER, OutputLock, output_folder, shown_folder, write_site
    started = time.perf_counter()
    folder = output_folder(paths)
    shown = shown_folder(paths)
    with OutputLock(folder, shown):
        fingerprint = input_fingerprint(paths)
        record = is_up_to_date(paths, fingerprint)
        if record is not None:
            return Built(None, 0, record["files"], record["warnings"], time.perf_counter() - started)
        site = gather(paths, executor=Executor(jobs), progress=progress)
        warnings = [w.format() for w in site.warnings + removed_pages(folder, site.files, shown)]
        # what an unchanged build says again: not the cache repairs, which were this build's
        lasting = [w for w in warnings if w not in {r.format() for r in site.repaired}]
        progress(STAGES[3])
        written = write_site(site.files, folder, shown, then=lambda: remember_build(
            paths, fingerprint, lasting, len(site.files), set(site.files) | {MARKER}))
        prune_caches(paths, site)
    return Built(site, written, len(site.files), warnings, time.perf_counter() - started)


def prune_caches(paths: Paths, site: Site) -> None:
    """Delete from the build cache every share card, blurb and compiled template this site did not
    use (a preview's save storm leaves hundreds of cards; CI's cache would grow with every commit)."""
    if paths.cache is None:
        return
    from sitegen.site.cards import Cards
    from sitegen.site.filters import CompiledTemplates, template_cache_keys
    from sitegen.site.markdown import Blurbs
    content = site.results.content
    Cards(paths.cache / "cards").disk.prune(
        key for key in (Cards.key_of(route.context) for route in site.routes.values()) if key is not None)
    Blurbs(paths.cache / "markdown").disk.prune(
        [content.overview or ""] + [text or "" for blurbs in content.blurbs.values() for text in blurbs])
    disk = CompiledTemplates(paths.cache / "templates").disk
    if disk is not None:
        disk.prune(template_cache_keys(paths.templates))
