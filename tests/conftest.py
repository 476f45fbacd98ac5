"""Shared fixtures: project paths, fixture trees, and builds held in memory."""
from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path
from typing import Any, Iterator

import pytest
from bs4 import BeautifulSoup

from sitegen.config import Paths
from sitegen.engine import Site, gather

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "tests" / "fixtures"


def project_paths(content: Path, dist: Path, root: Path = PROJECT) -> Paths:
    """Return Paths using the project's templates and static files with other content and dist."""
    return Paths(root=root, content=content, templates=PROJECT / "templates",
                 static=PROJECT / "static", dist=dist)


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Create `files` (relative path -> text, dedented, or bytes) under `folder`; return it."""
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return folder


def copy_content(source: Path, target: Path) -> Path:
    """Copy a content tree to `target` (tests never write into the real content/)."""
    shutil.copytree(source, target)
    return target


# A declared result's own lines, besides the candidates' votes (taken out to make a seat awaited).
RESULT_LINE = re.compile(r"^(valid_votes|elected|result_source|recorded_at|provisional|declared_at|"
                         r"declared_at_approx): .*\n", re.M)


def without_result(text: str) -> str:
    """Return a seat file's text with its result taken out: no votes, no declared total, no time,
    no elected candidate, the lines around them as they were."""
    return RESULT_LINE.sub("", re.sub(r", votes: \d+", "", text))


def card_path(site: Site, slug: str | None = None) -> str:
    """Return the path a share card is published under (named by what it shows): a seat's, or the
    area's when `slug` is None."""
    prefix = f"{slug}/share-" if slug else "share-"
    found = [p for p in site.routes if p.startswith(prefix) and p.endswith(".png") and p.count("/") == prefix.count("/")]
    assert len(found) == 1, found
    return found[0]


CARD_NAME = re.compile(r"share-[0-9a-f]{12}\.png")


def plain_card_names(paths: Any) -> Any:
    """Return output paths (a set, or a dict's keys) with each card's content-named file shown as
    share.png, to compare what changed whatever the cards are called."""
    if isinstance(paths, dict):
        return {CARD_NAME.sub("share.png", k): v for k, v in paths.items()}
    return {CARD_NAME.sub("share.png", p) for p in paths}


def parse(html: str | bytes) -> BeautifulSoup:
    """Return the page parsed by a real HTML parser."""
    return BeautifulSoup(html, "html.parser")


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The real Derbyshire content rendered in memory."""
    return gather(project_paths(PROJECT / "content", tmp_path_factory.mktemp("real") / "dist"))


@pytest.fixture(scope="session")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The two-seat fixture site rendered in memory."""
    return gather(project_paths(FIXTURES / "small", tmp_path_factory.mktemp("small") / "dist"))


def small_project_at(root: Path) -> Path:
    """Make `root` a project holding the small fixture site as content/, with copies of the
    project's templates and static files; return it."""
    shutil.copytree(FIXTURES / "small", root / "content")
    for name in ("templates", "static"):
        shutil.copytree(PROJECT / name, root / name)
    return root


def copy_project_files(target: Path, *, runnable: bool = False) -> Path:
    """Copy the project's content, templates and static files into `target` (and build.py, so that
    `python build.py ...` runs there, when `runnable`); return `target`."""
    for name in ("content", "templates", "static"):
        shutil.copytree(PROJECT / name, target / name)
    if runnable:
        shutil.copy(PROJECT / "build.py", target / "build.py")
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's content, templates and static files to build and break freely."""
    return copy_project_files(tmp_path)


@pytest.fixture
def project(project_copy: Path) -> Paths:
    """Paths for a copy of the project, for tests that edit its sources."""
    return Paths.from_root(project_copy)


VOTES = re.compile(r"votes: (\d+)")


def edit(paths: Paths, name: str, old: str, new: str) -> None:
    """Replace the first `old` with `new` in the project file `name` (relative to its root).

    Retyping one candidate's votes (`votes: 17224` -> `votes: 17225`) also moves the seat's declared
    `valid_votes` by the same amount, as an editor entering a corrected declaration would; any
    other edit (`votes: lots`) is made exactly as given.
    """
    file = paths.root / name
    text = file.read_text()
    assert old in text, old
    text = text.replace(old, new, 1)
    was, now = VOTES.fullmatch(old.rstrip("}")), VOTES.fullmatch(new.rstrip("}"))
    if was and now:
        total = re.search(r"^valid_votes: (\d+)$", text, re.M)
        if total:
            moved = int(total.group(1)) + int(now.group(1)) - int(was.group(1))
            text = text[:total.start(1)] + str(moved) + text[total.end(1):]
    file.write_text(text)


def read_tree(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` by relative path, for before/after comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def pytest_terminal_summary(terminalreporter, exitstatus: int, config) -> None:  # noqa: ANN001
    """Report the weight of every page measured by the browser tests."""
    try:
        from tests.test_browser import PAGE_BUDGET_BYTES, PAGE_WEIGHTS
    except ImportError:
        return
    if PAGE_WEIGHTS:
        terminalreporter.section("page weight: the HTML uncompressed; all it loads (HTML, CSS, JS, data), gzipped")
        for page, (html, total) in sorted(PAGE_WEIGHTS.items()):
            terminalreporter.write_line(f"{page:<24} {html / 1024:6.1f} KB HTML, {total / 1024:6.1f} KB sent "
                                        f"(budget {PAGE_BUDGET_BYTES // 1024} KB each)")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium under Playwright, one per test module. Not one per session: some modules
    start Playwright of their own, and two cannot run at once in one thread."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
