"""The route table is the only list of outputs: dist/ holds exactly the files it declares."""
from __future__ import annotations

from pathlib import Path

from sitegen.engine import Site, build
from sitegen.site.routes import IMAGE, ANYWHERE_PAGE, ASSET, DATA, PAGE
from sitegen.output import MARKER
from tests.conftest import PROJECT, plain_card_names, project_paths


def published(dist: Path) -> set[str]:
    return {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}


def test_dist_holds_exactly_the_files_the_routes_declare(tmp_path: Path) -> None:
    paths = project_paths(PROJECT / "content", tmp_path / "dist")
    built = build(paths)
    assert built.site is not None
    routes = built.site.routes
    assert published(paths.dist) == set(routes) | {MARKER}  # and the file saying the generator wrote it
    # 14 pages and 12 embeds, 6 data files, the tile map, sitemap, robots.txt, 12 share images, 2 icons, 7 assets,
    # and the search index: its first file, a file per postcode area and district, and per first letter
    districts = {line.split(" ")[0] for line in postcode_lines()}
    areas = {district.rstrip("0123456789") for district in districts}
    letters = {path for path in routes if path.startswith("find/n-")}
    assert (len(districts), len(areas)) == (50, 6)  # DE, LE, NG, S, SK, ST
    maps = {path for path in routes if path.startswith("maps/")}
    assert len(maps) == 10  # winner, 2019, majority, turnout, five parties' change in share, swing
    assert len(routes) == 57 + 1 + len(areas) + len(districts) + len(letters) + len(maps)


def postcode_lines() -> list[str]:
    return (PROJECT / "content" / "places" / "postcodes.csv").read_text(encoding="utf-8").splitlines()[1:]


def test_every_route_says_what_it_publishes(real_build: Site) -> None:
    kinds = {path: route.kind for path, route in real_build.routes.items()}
    assert {p for p, k in kinds.items() if k == PAGE} == {"index.html", "embed/index.html", "corrections/index.html",
                                                         "find/index.html"} | {
        p for p in kinds if p.startswith("maps/")} | {
        f"{s.seat.slug}/index.html" for s in real_build.results.seats} | {
        f"{s.seat.slug}/embed/index.html" for s in real_build.results.seats}
    assert plain_card_names({p for p, k in kinds.items() if k == IMAGE}) == {
        "share.png", "apple-touch-icon.png", "favicon.ico"} | {f"{s.seat.slug}/share.png" for s in real_build.results.seats}
    assert {p for p, k in kinds.items() if k == ANYWHERE_PAGE} == {"404.html"}
    assert {p for p, k in kinds.items() if k == DATA} == {
        "results.json", "results.csv", "county.csv", "derbyshire.hexjson", "sitemap.xml", "robots.txt",
        "status.json", "feed.xml"} | {p for p in kinds if p.startswith("find/") and p.endswith(".json")}
    assert all(p.startswith("assets/") for p, k in kinds.items() if k == ASSET)
    seat_pages = {route.seat: p for p, route in real_build.routes.items() if route.seat}
    assert seat_pages == {s.seat.slug: f"{s.seat.slug}/index.html" for s in real_build.results.seats}
