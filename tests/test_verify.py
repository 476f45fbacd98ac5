"""The post-render check catches broken links, missing anchors and figures that disagree, however
the HTML is written. Its fixtures are rendered without the check, so every test here can fail."""
from __future__ import annotations

import pytest

from sitegen.check import Checker, scan_page, resolve_link
from sitegen.config import Paths
from sitegen.content.checks import validate
from sitegen.content.read import load_content
from sitegen.results import compute_results
from sitegen.site.assets import collect_assets
from sitegen.site.cards import Cards
from sitegen.site.filters import make_environment
from sitegen.site.markdown import Blurbs
from sitegen.site.pages import Renderer
from sitegen.site.routes import PAGE, Body, Route, route_table
from tests.conftest import FIXTURES, PROJECT, project_paths

Rendered = tuple[dict[str, Route], dict[str, Body]]


def render_unchecked(paths: Paths) -> Rendered:
    """Return the route table and every output, rendered as the build renders them, unchecked."""
    results = compute_results(validate(load_content(paths)))
    assets = collect_assets(paths.static)
    routes = route_table(results, {name: a.output for name, a in assets.items()})
    renderer = Renderer(make_environment(paths.templates), assets, Blurbs(), Cards())
    return routes, {name: route.render(renderer, name, route.context) for name, route in routes.items()}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render_unchecked(project_paths(FIXTURES / "small", tmp_path_factory.mktemp("small") / "dist"))


def problems(routes: dict[str, Route], files: dict[str, Body]) -> list[str]:
    """Return what the build's check finds in a whole site (as a full build runs it: every page
    parsed, the data files read, every seat's figures compared)."""
    scans = {name: scan_page(str(body)) for name, body in files.items() if routes[name].kind == PAGE}
    checker = Checker(routes, list(routes), [route.seat for route in routes.values() if route.seat])
    checker.add(files, scans)
    return [e.format() for e in checker.finish(scans)]


def test_the_real_outputs_agree(small: Rendered, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert problems(*small) == []
    assert problems(*render_unchecked(project_paths(PROJECT / "content", tmp_path_factory.mktemp("r") / "d"))) == []


def test_resolve_link() -> None:
    assert resolve_link("a/index.html", "../b/") == ("b/index.html", "")
    assert resolve_link("a/index.html", "../") == ("index.html", "")
    assert resolve_link("index.html", "./") == ("index.html", "")
    assert resolve_link("index.html", "#main") == ("index.html", "main")
    assert resolve_link("index.html", "https://x.org/") is None
    assert resolve_link("index.html", "mailto:a@b.c") is None


def test_a_missing_page_and_a_missing_anchor_are_reported(small: Rendered) -> None:
    routes, files = dict(small[0]), dict(small[1])
    del routes["chesterfield/index.html"], files["chesterfield/index.html"]
    files["index.html"] = str(files["index.html"]).replace('href="#main"', 'href="#nowhere"')
    found = problems(routes, files)
    assert "dist/index.html: link 'chesterfield/' points to a missing file" in found
    assert "dist/index.html: link '#nowhere': no element has id 'nowhere'" in found


@pytest.mark.parametrize("link", ['<a\nhref="nowhere/">x</a>', "<a href='nowhere/'>x</a>",
                                  '<A HREF=nowhere/>x</A>', '<a\ttitle="t"\n  href = "nowhere/" >x</a>',
                                  '<img alt="" src="nowhere/">'])
def test_a_broken_link_is_found_however_it_is_written(small: Rendered, link: str) -> None:
    routes, files = small[0], dict(small[1])
    files["amber-valley/index.html"] = str(files["amber-valley/index.html"]).replace("</main>", link + "</main>")
    assert problems(routes, files) == ["dist/amber-valley/index.html: link 'nowhere/' points to a missing file"]


def test_an_anchor_is_found_however_its_id_is_written(small: Rendered) -> None:
    routes, files = small[0], dict(small[1])
    page = str(files["amber-valley/index.html"]).replace("</main>", '<a href="#late">x</a></main>')
    files["amber-valley/index.html"] = page
    assert problems(routes, files) == ["dist/amber-valley/index.html: link '#late': no element has id 'late'"]
    files["amber-valley/index.html"] = page.replace("</main>", "<p\nid=late>x</p></main>")
    assert problems(routes, files) == []


def test_a_figure_that_disagrees_is_reported(small: Rendered) -> None:
    routes, files = small[0], dict(small[1])
    files["amber-valley/index.html"] = str(files["amber-valley/index.html"]).replace(
        '<td class="num">15,746</td>', '<td class="num">15,747</td>')
    files["index.html"] = str(files["index.html"]).replace("59.6%", "59.7%")
    files["results.csv"] = str(files["results.csv"]).replace(",10725,", ",10726,")
    found = problems(routes, files)
    assert [p.split(":")[0] for p in found] == ["dist/amber-valley/index.html", "dist/index.html", "dist/results.csv"]
    assert "'15,747'" in found[0] and "'15,746'" in found[0]


def test_a_figure_split_across_lines_by_markup_still_agrees(small: Rendered) -> None:
    routes, files = small[0], dict(small[1])
    files["amber-valley/index.html"] = str(files["amber-valley/index.html"]).replace(
        '<td class="num">15,746</td>', '<td\nclass="num">\n  15,746\n</td>')
    assert problems(routes, files) == []


def test_a_seat_missing_from_the_data_is_reported(small: Rendered) -> None:
    routes, files = small[0], dict(small[1])
    files["results.json"] = str(files["results.json"]).replace('{"slug":"chesterfield",', '{"slug":"elsewhere",')
    assert problems(routes, files) == ["dist/results.json: has no record for 'chesterfield'"]


def test_figures_are_read_by_column_heading(small: Rendered) -> None:
    routes, files = small[0], dict(small[1])
    files["amber-valley/index.html"] = str(files["amber-valley/index.html"]).replace(
        '<th scope="col" class="num">Votes</th>', '<th scope="col" class="num">Ballots</th>')
    found = problems(routes, files)
    assert len(found) == 1 and found[0].startswith("dist/amber-valley/index.html: the results table shows [[None, ")
