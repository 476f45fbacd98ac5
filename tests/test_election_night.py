"""Election night: a copy of the real content with most seats still awaited, checked in every state."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from sitegen.engine import Site, gather
from tests.conftest import without_result, PROJECT, parse, project_paths

DECLARED = {  # seat -> declaration time (invented for this test only, in place of the real content's)
    "erewash": "2024-07-05T02:35:00+01:00",
    "high-peak": "2024-07-05T03:55:00+01:00",
    "chesterfield": "2024-07-05T01:50:00Z",  # given in UTC: shown as 02:50 BST
}


def night_content(target: Path) -> Path:
    """Copy content/ and strip the votes from every seat not in DECLARED."""
    shutil.copytree(PROJECT / "content", target)
    for path in (target / "constituencies").glob("*.yml"):
        text = re.sub(r"^declared_at(_approx)?: .*\n", "", path.read_text(), flags=re.M)
        if path.stem in DECLARED:
            text = text.replace("rejected:", f"declared_at: {DECLARED[path.stem]}\nrejected:", 1)
        else:
            text = without_result(text)
        path.write_text(text)
    return target


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("night")
    return gather(project_paths(night_content(root / "content"), root / "dist"))


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_awaited_seat_page(night: Site) -> None:
    page = parse(night.files["derbyshire-dales/index.html"])
    assert text(page.find("title")) == "Derbyshire Dales: result awaited – Derbyshire results 2024"
    assert text(page.find(class_="badge")) == "Result awaited"
    assert page.find("table", class_="result") is None
    # last time's figures, for context, and no figure of this election's
    facts = page.find("dl", class_="facts")
    assert [text(dt) for dt in facts.find_all("dt")] == ["Held by", "Previous MP", "Majority to overturn"]
    facts.decompose()
    page.find("details", class_="embed-offer").decompose()  # the embed code (width="100%") is no figure
    assert "%" not in text(page.find("main"))
    candidates = [text(li) for li in page.find("ul", class_="candidates").find_all("li")]
    assert candidates == [  # ballot-paper order, by surname
        "Kelda Boothroyd – Green Party", "Robert Court – Liberal Democrats", "Sarah Dines – Conservative",
        "Rachel Elnaugh-Love – Independent", "Edward Oakenfull – Reform UK", "Helen Wetherall – True and Fair Party",
        "John Whitby – Labour"]


def test_overview_shows_progress_running_tally_and_what_is_left(night: Site) -> None:
    page = parse(night.files["index.html"])
    assert text(page.find("h1")) == "3 of 11 seats declared"
    assert text(page.find(class_="progress")) == "3 of 11 declared"
    tally = {text(r.find("th")): [text(td) for td in r.find_all("td")]
             for r in page.find("table", class_="tally").find("tbody").find_all("tr")}
    # Change so far: Erewash and High Peak went from the Conservatives to Labour, Chesterfield was a
    # Labour hold; the eight seats still to declare count as neither gained nor lost
    assert tally == {"Labour": ["2", "3", "+2"], "Conservative": ["9", "0", "\u22122"]}
    assert [text(th) for th in page.find("table", class_="tally").find("thead").find_all("th")] == [
        "Party", "Before", "Won", "Change so far"]
    awaited = [text(a) for a in page.find("ul", class_="awaited-list").find_all("a")]
    assert len(awaited) == 8 and awaited[0] == "Amber Valley" and "Erewash" not in awaited
    latest = page.find("ol", class_="declarations").find_all("li")
    assert [(li.find("time")["datetime"], text(li.find("time")), text(li.find("a"))) for li in latest] == [
        ("2024-07-05T03:55:00+01:00", "03:55 BST, 5 July", "High Peak"),
        ("2024-07-05T01:50:00+00:00", "02:50 BST, 5 July", "Chesterfield"),
        ("2024-07-05T02:35:00+01:00", "02:35 BST, 5 July", "Erewash"),
    ]
    rows = {text(r.find("a")): r for r in page.find("table", class_="seats").find("tbody").find_all("tr")}
    assert "Result awaited" in text(rows["Bolsover"])
    tiles = {a["aria-label"]: a for a in page.find("figure", class_="hex-map").find_all("a")}
    assert tiles["Bolsover Awaited: result awaited"].find("use")["fill"] == "url(#awaited-hatch)"
    assert tiles["Erewash Lab: Labour gain from Conservative"].find("use")["fill"] == "#E4003B"


def test_data_files_carry_each_seat_status(night: Site) -> None:
    data = json.loads(night.files["results.json"])
    assert (data["seats"], data["declared"]) == (11, 3)
    seats = {s["slug"]: s for s in data["constituencies"]}
    assert seats["bolsover"]["status"] == "awaited"
    assert seats["bolsover"]["majority"] is None and seats["bolsover"]["result"] is None
    assert seats["bolsover"]["candidates"][0]["votes"] is None
    assert seats["erewash"]["declared_at"] == "2024-07-05T02:35:00+01:00"
    rows = list(csv.DictReader(io.StringIO(night.files["results.csv"])))
    assert {r["status"] for r in rows if r["constituency_slug"] == "bolsover"} == {"awaited"}
    assert {r["votes"] for r in rows if r["constituency_slug"] == "bolsover"} == {""}


def test_a_fully_awaited_night_before_any_result(tmp_path: Path) -> None:
    content = night_content(tmp_path / "content")
    for path in (content / "constituencies").glob("*.yml"):
        path.write_text(without_result(path.read_text()))
    build = gather(project_paths(content, tmp_path / "dist"))
    page = parse(build.files["index.html"])
    assert text(page.find("h1")) == "No results declared yet"
    assert page.find("ol", class_="declarations") is None
    assert len(page.find("ul", class_="awaited-list").find_all("li")) == 11


@pytest.mark.browser
def test_night_pages_pass_the_browser_checks_and_vnu(tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from sitegen.engine import build
    from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH, serve_folder
    from tests.test_browser import WCAG_TAGS
    from tests.test_html_valid import run_vnu

    dist = tmp_path / "dist"
    build(project_paths(night_content(tmp_path / "content"), dist))
    assert run_vnu([dist / "index.html", dist / "bolsover" / "index.html"]) == []
    with serve_folder(dist) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for path in ("", "bolsover/"):
            for width in (320, 1280):
                page = browser.new_page(viewport={"width": width, "height": 800})
                errors: list[str] = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(url + path)
                assert errors == []
                assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
                violations = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
                assert violations.response["violations"] == [], (path, width)
                page.close()
        browser.close()
