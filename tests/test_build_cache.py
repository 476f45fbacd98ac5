"""A build cache that cannot lie: whatever happens to .cache/ (a file cut short, emptied, a byte
flipped, two items swapped, junk added, a record garbled), the build publishes exactly what a build
without any cache publishes, and says which items it made again."""
from __future__ import annotations

import io
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen import workers
from sitegen.cli import main
from tests.conftest import read_tree, small_project_at

DAMAGE = ("truncate", "empty", "flip", "swap", "append", "delete")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], Path]:
    """The small site with an awaited seat (so it has every kind of card and blurb), its output
    built with no cache at all, and a cache filled by a build."""
    root = small_project_at(tmp_path_factory.mktemp("damage") / "project")
    (root / "content/constituencies/amber-valley.awaited.md").write_text("Waiting for *the count*.\n")
    (root / "content/overview.md").write_text("The [night](https://example.org/) in **brief**.\n")
    expected_dist = root.parent / "uncached"
    argv = ["--output", str(expected_dist), "--cache", str(root.parent / "unused")]
    assert main(argv, root=root, out=io.StringIO(), err=io.StringIO()) == 0
    shutil.rmtree(root.parent / "unused")  # so nothing of it is ever read again
    cache = root.parent / "filled"
    assert main(["--output", str(root.parent / "first"), "--cache", str(cache)], root=root,
                out=io.StringIO(), err=io.StringIO()) == 0
    return root, read_tree(expected_dist), cache


def damage(files: list[Path], how: str, rng: random.Random) -> None:
    """Do `how` to a file picked from `files` (and a second one for 'swap')."""
    target = rng.choice(files)
    data = target.read_bytes()
    if how == "truncate":
        target.write_bytes(data[:rng.randrange(len(data))] if data else b"")
    elif how == "empty":
        target.write_bytes(b"")
    elif how == "flip" and data:
        at = rng.randrange(len(data))
        target.write_bytes(data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:])
    elif how == "swap":  # two items of one cache: each now under the other's name
        others = [f for f in files if f.parent == target.parent and f != target]
        if not others:
            return
        other = rng.choice(others)
        target.write_bytes(other.read_bytes())
        other.write_bytes(data)
    elif how == "append":
        target.write_bytes(data + rng.randbytes(rng.randrange(1, 64)))
    elif how == "delete":
        target.unlink()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), steps=st.lists(st.sampled_from(DAMAGE), min_size=1, max_size=6),
       on_workers=st.booleans())
def test_any_damage_to_the_cache_publishes_what_a_build_without_one_does(
        project: tuple[Path, dict[str, bytes], Path], tmp_path_factory: pytest.TempPathFactory,
        seed: int, steps: list[str], on_workers: bool) -> None:
    root, expected, filled = project
    work = tmp_path_factory.mktemp("try")
    cache = Path(shutil.copytree(filled, work / "cache"))
    shutil.copytree(root.parent / "first", work / "dist")
    rng = random.Random(seed)
    for how in steps:
        files = sorted(p for p in cache.rglob("*") if p.is_file())
        if files:
            damage(files, how, rng)
    with pytest.MonkeyPatch.context() as patch:
        if on_workers:  # the cards and blurbs then come from the cache in forked workers
            patch.setattr(workers, "RENDER_ON_CORES_FROM", 0)
        for dist in (work / "dist", work / "fresh"):  # the same folder again, and a new one
            err = io.StringIO()
            argv = ["--output", str(dist), "--cache", str(cache), "--jobs", "2" if on_workers else "1"]
            assert main(argv, root=root, out=io.StringIO(), err=err) == 0, err.getvalue()
            assert read_tree(dist) == expected, steps


def test_a_damaged_card_is_made_again_with_a_warning_that_names_it(
        project: tuple[Path, dict[str, bytes], Path], tmp_path: Path) -> None:
    """A crash after the rename, before the bytes reached the disk, leaves an empty file: it used
    to be published as a 0-byte share.png."""
    root, expected, filled = project
    cache = Path(shutil.copytree(filled, tmp_path / "cache"))
    cards = sorted((cache / "cards").iterdir())
    for card in cards:
        card.write_bytes(b"")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--output", str(tmp_path / "dist"), "--cache", str(cache)], root=root, out=out, err=err) == 0
    assert read_tree(tmp_path / "dist") == expected
    lines = [line for line in err.getvalue().splitlines() if "build cache" in line]
    assert lines == [f"{card}: warning: was damaged in the build cache (it did not match its checksum), so it "
                     "was deleted and made again; if this keeps happening, check the disk" for card in cards]


def test_a_script_put_into_a_cached_blurb_never_reaches_a_page(
        project: tuple[Path, dict[str, bytes], Path], tmp_path: Path) -> None:
    """The cache holds Markdown converted but not yet cleaned: even an item forged with a valid
    checksum is cleaned to the allow-list on its way to every page."""
    from sitegen.buildcache import DiskCache
    from sitegen.site.markdown import markdown_version
    root, expected, filled = project
    cache = Path(shutil.copytree(filled, tmp_path / "cache"))
    text = (root / "content/overview.md").read_text()
    DiskCache(cache / "markdown", markdown_version(), ".html").put(
        text, b'<p>The night<script>alert(1)</script><img src=x onerror="alert(2)"></p>')
    assert main(["--output", str(tmp_path / "dist"), "--cache", str(cache)], root=root, out=io.StringIO(),
                err=io.StringIO()) == 0
    page = (tmp_path / "dist/index.html").read_text()
    assert "alert(" not in page and "<p>The night</p>" in page


def test_the_cache_keeps_only_what_the_last_build_used(
        project: tuple[Path, dict[str, bytes], Path], tmp_path: Path) -> None:
    """A preview's save storm drew 449 cards; CI's cache grew with every commit."""
    root, _, filled = project
    cache = Path(shutil.copytree(filled, tmp_path / "cache"))
    kept = {folder: sorted(p.name for p in (cache / folder).iterdir()) for folder in ("cards", "markdown", "templates")}
    for folder in kept:
        (cache / folder / ("0" * 64 + ".stale")).write_bytes(b"left by an older build")
    assert main(["--output", str(tmp_path / "dist"), "--cache", str(cache)], root=root, out=io.StringIO(),
                err=io.StringIO()) == 0
    assert {folder: sorted(p.name for p in (cache / folder).iterdir()) for folder in kept} == kept


@pytest.fixture
def own_checkout(tmp_path: Path) -> Path:
    """A copy of the generator (its code, templates and static files) with the small site, to edit
    the code of as a developer would, built by its own build.py."""
    from tests.conftest import PROJECT
    root = small_project_at(tmp_path / "checkout")
    shutil.copytree(PROJECT / "sitegen", root / "sitegen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "build.py", root / "build.py")
    (root / "content/overview.md").write_text("Wait for it... the count.\n")
    return root


def build_in(root: Path, extra_path: str = "") -> str:
    import os
    import subprocess
    import sys
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(root), extra_path) if p)}
    done = subprocess.run([sys.executable, str(root / "build.py")], cwd=root, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_edit_to_the_code_that_converts_blurbs_is_published_at_once(own_checkout: Path) -> None:
    """After an edit to the blurbs' code the build said '0 written' and kept the old HTML."""
    build_in(own_checkout)
    assert "Wait for it\u2026 the count." in (own_checkout / "dist/index.html").read_text()
    code = own_checkout / "sitegen/site/markdown.py"
    code.write_text(code.read_text().replace('return "\\u2026"', 'return "\\u22ef"'))  # a midline ellipsis
    assert "written" in build_in(own_checkout)
    assert "Wait for it\u22ef the count." in (own_checkout / "dist/index.html").read_text()


def test_an_edit_to_the_code_that_draws_cards_draws_them_again(own_checkout: Path) -> None:
    """A colour changed in cards.py without a design-version bump used to publish the old PNGs."""
    build_in(own_checkout)
    [before] = (own_checkout / "dist").glob("share-*.png")
    drawn = before.read_bytes()
    code = own_checkout / "sitegen/site/cards.py"
    code.write_text(code.read_text().replace('NAVY, ACCENT = "#14213d", "#e4003b"', 'NAVY, ACCENT = "#14213d", "#00a651"'))
    build_in(own_checkout)
    [after] = (own_checkout / "dist").glob("share-*.png")
    # drawn anew, and under a new name, so link previews that kept the old one fetch it
    assert after.read_bytes() != drawn and after.name != before.name


def test_a_new_version_of_a_library_makes_every_cached_item_anew(own_checkout: Path, tmp_path: Path) -> None:
    """With another Markdown package installed the build said 'Nothing changed since the last build'."""
    build_in(own_checkout)
    cache = own_checkout / ".cache"
    before = {folder: {p.name for p in (cache / folder).iterdir()} for folder in ("markdown",)}
    other = tmp_path / "site-packages"  # what pip leaves for an upgrade: another version's metadata
    (other / "markdown-99.0.dist-info").mkdir(parents=True)
    assert "Nothing changed" not in build_in(own_checkout, str(other))
    after = {p.name for p in (cache / "markdown").iterdir()}
    assert after and not after & before["markdown"]  # every blurb converted by the new version


def test_markup_that_runs_code_is_refused_by_the_check_wherever_it_came_from(
        project: tuple[Path, dict[str, bytes], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the cleaning switched off (a bug, say) and a forged cache item, the post-render check
    still refuses to publish: it reads the pages as a browser would."""
    from sitegen.buildcache import DiskCache
    from sitegen.site import markdown
    root, _, filled = project
    cache = Path(shutil.copytree(filled, tmp_path / "cache"))
    text = (root / "content/overview.md").read_text()
    DiskCache(cache / "markdown", markdown.markdown_version(), ".html").put(
        text, b'<p>The night<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a></p>')
    monkeypatch.setattr(markdown, "sanitise", lambda html: html)
    err = io.StringIO()
    assert main(["--output", str(tmp_path / "dist"), "--cache", str(cache)], root=root, out=io.StringIO(), err=err) == 1
    tail = ("neither the templates nor a cleaned blurb can hold; nothing was published (if the build cache was "
            "tampered with, delete .cache/ and build again)")
    assert err.getvalue().splitlines() == [
        f"dist/index.html: has <img> in a blurb, which {tail}",
        f"dist/index.html: has <script> in a blurb, which {tail}",
        f"dist/index.html: has an event handler (onerror) on <img>, which {tail}",
        "dist/index.html: link 'javascript:alert(3)' runs code; neither the templates nor a cleaned blurb can "
        "hold one, so nothing was published",
        "dist/index.html: link 'x' points to a missing file",
        "5 errors in 1 file; nothing written.",
    ]
    assert not (tmp_path / "dist").exists()
