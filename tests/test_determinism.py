"""The same bytes whatever the route: cold, warm (cached), incremental, on one core or two."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Callable

import pytest

from bench.generate import generate
from sitegen import engine, workers
from sitegen.cli import main
from sitegen.config import Paths
from sitegen.errors import ContentErrors
from sitegen.engine import build
from sitegen.preview.rebuild import Rebuilder
from tests.conftest import PROJECT, read_tree


def content_for(kind: str, folder: Path) -> Path:
    if kind == "derbyshire":
        return Path(shutil.copytree(PROJECT / "content", folder))
    return generate(100, folder)


@pytest.mark.parametrize("kind", ["derbyshire", "generated-100"])
def test_every_route_gives_the_same_bytes(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = content_for(kind, tmp_path / "content")

    def paths(name: str) -> Paths:
        return Paths(PROJECT, content, PROJECT / "templates", PROJECT / "static", tmp_path / name,
                     tmp_path / f"cache-{name}")

    build(paths("one-core"), jobs=1)
    monkeypatch.setattr(workers, "RENDER_ON_CORES_FROM", 0)  # make two workers render even small sites
    build(paths("two-cores"), jobs=2)
    expected = read_tree(tmp_path / "one-core")
    assert read_tree(tmp_path / "two-cores") == expected

    argv = ["--content", str(content), "--output", str(tmp_path / "cli"), "--cache", str(tmp_path / "cache-cli")]
    out = io.StringIO()
    assert main(argv, root=PROJECT, out=out, err=io.StringIO()) == 0
    assert main(argv, root=PROJECT, out=out, err=io.StringIO()) == 0  # warm: nothing to do
    assert "Nothing changed since the last build" in out.getvalue().splitlines()[-1]
    assert read_tree(tmp_path / "cli") == expected

    rebuilder = Rebuilder(paths("incremental"))
    rebuilder.rebuild()
    seat = sorted((content / "constituencies").glob("*.yml"))[1]
    original = seat.read_text()
    votes = re.search(r", votes: (\d+)", original)  # a candidate's (and the declared total with it)
    total = re.search(r"^valid_votes: (\d+)$", original, re.M)
    seat.write_text(original.replace(votes.group(0), f", votes: {int(votes.group(1)) + 7}", 1)
                    .replace(total.group(0), f"valid_votes: {int(total.group(1)) + 7}", 1))
    rebuilder.rebuild()
    seat.write_text(original)
    assert not rebuilder.rebuild().full
    assert read_tree(tmp_path / "incremental") == expected


def test_a_warm_build_notices_a_changed_input_and_an_edited_output(tmp_path: Path) -> None:
    content = shutil.copytree(PROJECT / "content", tmp_path / "content")
    argv = ["--content", str(content), "--output", str(tmp_path / "dist"), "--cache", str(tmp_path / "cache")]

    def run() -> str:
        out = io.StringIO()
        assert main(argv, root=PROJECT, out=out, err=io.StringIO()) == 0
        return out.getvalue()

    run()
    assert run().startswith("Nothing changed")
    (content / "overview.md").write_text("Changed.\n")
    assert run().startswith("Built 37 pages and 112 other files into ")
    assert "<p>Changed.</p>" in (tmp_path / "dist" / "index.html").read_text()
    (tmp_path / "dist" / "erewash" / "index.html").write_text("tampered")
    assert run().startswith("Built")  # dist/ no longer matches what was built: build again
    assert "tampered" not in (tmp_path / "dist" / "erewash" / "index.html").read_text()
    shutil.rmtree(tmp_path / "cache")
    assert run().startswith("Built")  # the cache is safe to delete


def test_compiled_templates_follow_their_source_and_survive_damage(tmp_path: Path) -> None:
    templates = Path(shutil.copytree(PROJECT / "templates", tmp_path / "templates"))
    paths = Paths(PROJECT, PROJECT / "content", templates, PROJECT / "static", tmp_path / "dist", tmp_path / "cache")
    build(paths)
    compiled = sorted((tmp_path / "cache" / "templates").iterdir())
    assert len(compiled) == len(list(templates.iterdir()))  # every template, compiled once
    expected = read_tree(tmp_path / "dist")
    page = templates / "constituency.html"
    page.write_text(page.read_text().replace("Vote share</h2>", "Share of the vote</h2>"))
    build(paths)
    assert "Share of the vote</h2>" in (tmp_path / "dist" / "erewash" / "index.html").read_text()
    page.write_text(page.read_text().replace("Share of the vote</h2>", "Vote share</h2>"))
    for file in (tmp_path / "cache" / "templates").iterdir():
        file.write_bytes(file.read_bytes()[:40])  # cut short, as by a full disk
    build(paths)
    assert read_tree(tmp_path / "dist") == expected


def spoil_seat_template_after_a_parallel_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                spoil: Callable[[str], str]) -> list[str]:
    """Build the real site on two workers with a copy of the templates, change the seat page
    template with `spoil`, build again, check that the first build's dist/ stands untouched and
    no staging folder is left; return the second build's messages."""
    templates = Path(shutil.copytree(PROJECT / "templates", tmp_path / "templates"))
    paths = Paths(PROJECT, PROJECT / "content", templates, PROJECT / "static", tmp_path / "dist", tmp_path / "cache")
    monkeypatch.setattr(workers, "RENDER_ON_CORES_FROM", 0)
    build(paths, jobs=2)
    published = read_tree(tmp_path / "dist")
    page = templates / "constituency.html"
    page.write_text(spoil(page.read_text()))
    with pytest.raises(ContentErrors) as caught:
        build(paths, jobs=2)
    assert read_tree(tmp_path / "dist") == published
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist-")]  # no half-written copy
    return [e.format() for e in caught.value.errors]


def test_a_template_error_in_a_worker_leaves_dist_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    errors = spoil_seat_template_after_a_parallel_build(tmp_path, monkeypatch, lambda text: text.replace(
        "{{ facts.electorate|num }}", "{{ facts.electorate.nope.nope }}"))
    assert errors[0].startswith(f"{(tmp_path / 'templates' / 'constituency.html').as_posix()}:")


def test_a_failed_check_throws_away_what_was_already_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are written into the staging folder while others render; a broken link found by the
    check afterwards must leave dist/ exactly as it was and no staging folder behind."""
    def broken_link(text: str) -> str:
        at = text.rindex("{% endblock %}")
        return text[:at] + '<a\nhref="nowhere/">x</a>\n' + text[at:]
    errors = spoil_seat_template_after_a_parallel_build(tmp_path, monkeypatch, broken_link)
    assert errors[0] == "dist/amber-valley/index.html: link 'nowhere/' points to a missing file"
    assert len(errors) == 11  # one per seat page
