"""The preview server: safe paths, the error page, rebuilds that survive mistakes, and live reload
in a real browser against the real server."""
from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from sitegen.config import Paths
from sitegen.errors import ContentError
from sitegen.preview.server import Preview, allowed_hosts, render_error_page, resolve_request
from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.conftest import PROJECT, edit, parse, read_tree

SEAT = "content/constituencies/erewash.yml"


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_resolve_request_stays_inside_dist(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "seat").mkdir(parents=True)
    (dist / "seat" / "index.html").write_text("x")
    (dist / "index.html").write_text("x")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", dist / "link.txt")
    assert resolve_request(dist, "/") == ("file", (dist / "index.html").resolve())
    assert resolve_request(dist, "/seat/") == ("file", (dist / "seat" / "index.html").resolve())
    assert resolve_request(dist, "/seat") == ("redirect", None)
    assert resolve_request(dist, "/nope/") == ("missing", None)
    assert resolve_request(dist, "/" + "x" * 5000) == ("missing", None)  # too long for any file name
    assert resolve_request(dist, "/link.txt") == ("forbidden", None)
    for bad in ("/../secret.txt", "/seat/../../secret.txt", "/a\x00b", "/..\\secret.txt"):
        assert resolve_request(dist, bad) == ("bad", None), bad


def test_error_page_lists_every_message_escaped() -> None:
    page = parse(render_error_page([ContentError("content/a.yml", 3, 7, "name: <b>bad</b>"),
                                    ContentError("content/b.yml", 1, 1, "x: y")], css=""))
    assert page.find("h1").get_text() == "The site could not be built"
    assert [li.get_text() for li in page.find("ol").find_all("li")] == [
        "content/a.yml:3:7: name: <b>bad</b>", "content/b.yml:1:1: x: y"]
    assert page.find("b") is None
    assert page.find("title").get_text() == "Build failed: 2 errors in 2 files"


def call(app: Preview, path: str, host: str = "localhost:8000") -> tuple[str, dict, bytes]:
    seen: dict = {}
    environ = {"PATH_INFO": path, "HTTP_HOST": host}
    body = b"".join(app(environ, lambda status, headers: seen.update(status=status, headers=dict(headers))))
    return seen["status"], seen["headers"], body


@pytest.mark.parametrize("host, status", [
    ("localhost:8000", "200 OK"), ("127.0.0.1:8000", "200 OK"), ("[::1]:8000", "200 OK"), ("LOCALHOST", "200 OK"),
    ("evil.example:8000", "403 Forbidden"), ("evil.example", "403 Forbidden"), ("", "403 Forbidden"),
])
def test_the_preview_answers_only_for_its_own_host_names(project: Paths, host: str, status: str) -> None:
    """Another site's page cannot read unpublished results by pointing its own name at 127.0.0.1."""
    preview = Preview(project, io.StringIO(), io.StringIO())
    preview.rebuild()
    got, _, body = call(preview, "/erewash/", host)
    assert got == status
    if got != "200 OK":
        name = host.rsplit(":", 1)[0] if host else ""
        assert body.decode() == f"Forbidden: this preview answers only for 127.0.0.1, [::1], localhost, not {name!r}.\n"


def test_hosts_allowed_follow_the_address_it_listens_on() -> None:
    assert allowed_hosts("127.0.0.1") == {"localhost", "127.0.0.1", "[::1]"}
    assert allowed_hosts("192.168.1.20") == {"localhost", "127.0.0.1", "[::1]", "192.168.1.20"}
    assert allowed_hosts("0.0.0.0") is None  # every address: any name, and the preview says so


@pytest.mark.parametrize("path, status, location", [
    ("/erewash", "301 Moved Permanently", "/erewash/"),
    ("//erewash", "301 Moved Permanently", "/erewash/"),  # never '//erewash/', another host
    ("///evil.example/../erewash", "400 Bad Request", None),
    ("/a\x00b", "400 Bad Request", None),
    ("/" + "x" * 5000, "404 Not Found", None),
])
def test_odd_addresses_get_a_plain_answer_on_the_same_host(project: Paths, path: str, status: str,
                                                           location: str | None) -> None:
    preview = Preview(project, io.StringIO(), io.StringIO())
    preview.rebuild()
    got, headers, _ = call(preview, path)
    assert (got, headers.get("Location")) == (status, location)


def test_a_failing_rebuild_keeps_serving_and_recovers(project: Paths) -> None:
    out, err = io.StringIO(), io.StringIO()
    preview = Preview(project, out, err)
    assert preview.rebuild()
    assert call(preview, "/erewash/")[0] == "200 OK"
    edit(project, SEAT, "votes: 17224", "votes: 17,224x")
    assert not preview.poll()  # the first look only notices the change
    assert preview.poll()      # once it has settled, it rebuilds
    status, headers, body = call(preview, "/erewash/")
    assert status == "200 OK" and headers["Cache-Control"] == "no-store"
    page = parse(body)  # the last good page, with the problem laid over it
    assert "content/constituencies/erewash.yml:17:67" in page.find("aside", id="sitegen-problems").find("ol").get_text()
    assert "17,224" in page.find("table", class_="result").get_text()
    assert call(preview, "/assets/" + next(p.name for p in (project.dist / "assets").iterdir()))[0] == "200 OK"
    assert "17,224" in (project.dist / "erewash" / "index.html").read_text()  # last good build kept
    edit(project, SEAT, "votes: 17,224x", "votes: 17000")
    edit(project, SEAT, "valid_votes: 43006", "valid_votes: 42782")
    preview.poll()
    assert preview.poll()
    status, _, body = call(preview, "/erewash/")
    assert status == "200 OK" and b"17,000" in body
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("first build: full rebuild, 149 rendered, 149 written, ")
    assert re.fullmatch(r"content/constituencies/erewash\.yml: incremental rebuild, 23 rendered, 22 written, \d+ ms",
                        lines[-1])
    assert err.getvalue().splitlines()[-1] == ("content/constituencies/erewash.yml: 1 error in 1 file; "
                                               "those seats stay as they last built; showing the problems "
                                               "in the browser.")


# --- the real server in a real browser ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Return the local addresses with a listening TCP socket on `port` (from /proc/net/tcp*)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if int(port_hex, 16) == port and state == "0A":  # LISTEN
                if width == 8:
                    found.add(".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0)))
                else:
                    found.add(address)
    return found


@pytest.fixture
def server(project: Paths) -> Iterator[tuple[str, Paths, subprocess.Popen]]:
    port = free_port()
    shutil.copy(PROJECT / "build.py", project.root / "build.py")
    process = subprocess.Popen([sys.executable, "build.py", "serve", "--port", str(port)],
                               cwd=project.root, env={**os.environ, "PYTHONPATH": str(PROJECT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"

    def up() -> bool:
        try:
            return urllib.request.urlopen(url, timeout=1).status == 200
        except OSError:
            return False

    assert wait_for(up, 20), process.stderr.read() if process.poll() is not None else "server did not start"
    try:
        yield url, project, process
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.browser
def test_open_tabs_follow_every_save(server) -> None:
    from playwright.sync_api import sync_playwright
    url, project, process = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        seat, overview = browser.new_page(), browser.new_page()
        seat.goto(url + "erewash/")
        overview.goto(url)
        # livereload's script has connected in both tabs before we start editing
        for tab in (seat, overview):
            tab.wait_for_function("() => window.LiveReload && window.LiveReload.connector && window.LiveReload.connector._connectionDesired")
        time.sleep(0.3)

        edit(project, SEAT, "votes: 17224", "votes: 18224")  # majority 6,859 of 44,006 valid votes = 15.59%
        seat.wait_for_function("() => document.body.innerText.includes('18,224')", timeout=10_000)
        overview.wait_for_function("() => document.body.innerText.includes('6,859 (15.6%)')", timeout=10_000)

        seat.evaluate("() => window.scrollTo(0, 700)")
        edit(project, SEAT, "votes: 18224", "votes: lots")
        for tab in (seat, overview):  # the last good pages, with the problem laid over them
            tab.wait_for_selector("#sitegen-problems", timeout=10_000)
            assert "content/constituencies/erewash.yml:17:64" in tab.locator("#sitegen-problems ol").inner_text()
        assert seat.locator("h1").inner_text() == "Erewash" and "18,224" in seat.locator("table.result").inner_text()

        edit(project, SEAT, "votes: lots", "votes: 17224")
        edit(project, SEAT, "valid_votes: 44006", "valid_votes: 43006")
        seat.wait_for_function("() => !document.getElementById('sitegen-problems') && "
                               "document.body.innerText.includes('17,224')", timeout=10_000)
        seat.wait_for_function("() => Math.abs(window.scrollY - 700) < 5", timeout=5_000)  # back where it was
        overview.wait_for_function("() => document.querySelector('h1').innerText === 'Labour won all 11 seats'",
                                   timeout=10_000)
        assert "5,859 (13.6%)" in overview.locator("table.seats").inner_text()
        browser.close()
    assert process.poll() is None  # still serving


def test_binds_to_loopback_by_default_and_refuses_paths_outside_dist(server) -> None:
    url, project, _ = server
    port = int(url.rsplit(":", 1)[1].strip("/"))
    assert listening_addresses(port) == {"127.0.0.1"}
    (project.root / "secret.txt").write_text("not for the web")
    for path in ("../secret.txt", "%2e%2e/secret.txt", "erewash/../../secret.txt"):
        with socket.create_connection(("127.0.0.1", port)) as conn:  # send the path exactly as written
            conn.sendall(f"GET /{path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
            reply = conn.makefile("rb").read()
        assert reply.split(b"\r\n", 1)[0] in (b"HTTP/1.1 403 Forbidden", b"HTTP/1.1 400 Bad Request"), path
        assert b"not for the web" not in reply


def test_the_change_feed_reports_saves_without_walking_the_sources(project: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.preview import server as serve
    from sitegen.preview.watcher import ChangeFeed
    walked = []
    monkeypatch.setattr(serve, "source_snapshot", lambda paths: walked.append(1) or {})
    feed = ChangeFeed(project)
    try:
        time.sleep(0.3)  # let it start watching
        assert feed.take() == set()
        edit(project, SEAT, "votes: 17224", "votes: 17225")
        (project.content / "constituencies" / ".erewash.yml.swp").write_text("an editor's own file")
        seen: set = set()
        deadline = time.monotonic() + 5
        while project.root / SEAT not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
            seen |= feed.take()
        assert seen == {project.root / SEAT} and feed.failed is None
    finally:
        feed.close()
    assert walked == []


def test_a_port_in_use_moves_the_preview_to_the_next_free_one(project: Paths) -> None:
    """Something already listens on the port asked for: one line, and the next free port."""
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        shutil.copy(PROJECT / "build.py", project.root / "build.py")
        process = subprocess.Popen([sys.executable, "build.py", "serve", "--port", str(port)],
                                   cwd=project.root, env={**os.environ, "PYTHONPATH": str(PROJECT)},
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = process.stderr.readline()
            assert line.startswith(f"Port {port} is in use (another preview?); serving on port ")
            moved = int(line.split("serving on port ")[1].split()[0])
            assert moved > port and wait_for(lambda: bool(listening_addresses(moved)), 20)
            assert f"at http://127.0.0.1:{moved}/" in process.stdout.readline() + process.stdout.readline()
        finally:
            process.terminate()
            _, err = process.communicate(timeout=10)
    assert "Traceback" not in err


def test_one_unfinished_seat_hides_nothing_else(project: Paths) -> None:
    """`new` while previewing: the scaffold has blanks to fill, yet every other page still
    previews, with the new file's problems laid over it; warnings show too, folded."""
    from sitegen.cli import main
    out, err = io.StringIO(), io.StringIO()
    preview = Preview(project, out, err)
    assert preview.rebuild()
    assert main(["new", "Derby West"], root=project.root, out=io.StringIO(), err=io.StringIO()) == 0
    edit(project, "content/constituencies/erewash.md", "Labour", "Labour's")  # a save elsewhere too
    preview.rebuild(["content/constituencies/derby-west.yml"])
    status, _, body = call(preview, "/erewash/")
    page = parse(body)
    assert status == "200 OK" and "Labour\u2019s" in page.find("section", class_="prose").get_text()
    problems = page.find("aside", id="sitegen-problems")
    assert problems.find("strong").get_text() == "4 errors in 1 file"  # the blanks `new` leaves
    assert all(li.get_text().startswith("content/constituencies/derby-west.yml:") for li in problems.find("ol").find_all("li"))
    assert not (project.dist / "derby-west").exists()  # not built yet: asking for it shows the problems
    assert call(preview, "/derby-west/")[0] == "500 Internal Server Error"
    edit(project, "content/constituencies/erewash.md", "Labour's", "Labour")
    (project.content / "constituencies" / "derby-west.yml").unlink()
    (project.content / "constituencies" / "derby-west.md").unlink()
    (project.content / "constituencies" / "erewash.md").unlink()  # a warning now
    preview.rebuild(["content/constituencies/derby-west.yml"])
    aside = parse(call(preview, "/")[2]).find("aside", id="sitegen-problems")
    assert aside.find("ol") is None and aside.find("summary").get_text() == "1 warning"
    # warnings alone build fine: they sit below the page, covering none of it ('11 warnings' covered it)
    assert "position:fixed" not in aside["style"] and aside["role"] == "status"
    assert aside.find("li").get_text() == ("content/constituencies/erewash.yml: warning: has no blurb; add "
                                           "erewash.md beside it to describe the result")


@pytest.mark.browser
def test_only_the_tabs_whose_pages_changed_reload_and_keep_their_place(server) -> None:
    """A save updates the tabs showing pages it changed, in place and where the reader was; the
    other tabs are left alone; a stylesheet is swapped in without reloading anything."""
    from playwright.sync_api import sync_playwright
    url, project, process = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        tabs = {path: browser.new_page(viewport={"width": 390, "height": 600}) for path in ("erewash/", "bolsover/", "")}
        for path, tab in tabs.items():
            tab.goto(url + path)
            tab.wait_for_function("() => window.LiveReload && window.LiveReload.connector && "
                                  "window.LiveReload.connector._connectionDesired")
            tab.evaluate("() => { window.unreloaded = true; document.body.dataset.untouched = 'yes'; }")
        seat = tabs["erewash/"]
        seat.evaluate("() => window.scrollTo(0, 900)")
        time.sleep(0.3)

        edit(project, "content/constituencies/erewash.md", "Adam Thompson", "Adam Thompson MP")  # its page only
        seat.wait_for_function("() => document.body.innerText.includes('Adam Thompson MP')", timeout=10_000)
        assert seat.evaluate("() => [window.unreloaded, document.body.dataset.untouched]") == [True, None]  # swapped in place
        assert abs(seat.evaluate("() => window.scrollY") - 900) < 5  # where the reader was
        time.sleep(0.5)
        assert [path for path, tab in tabs.items() if tab.evaluate("() => document.body.dataset.untouched")] == [
            "bolsover/", ""]  # the pages the change did not touch

        before = tabs[""].evaluate("() => document.querySelector('link[rel=stylesheet]').href")
        edit(project, "static/style.css", "--radius: 10px;", "--radius: 6px;")  # a stylesheet alone
        tabs[""].wait_for_function(f"() => document.querySelector('link[rel=stylesheet]').href !== {before!r}",
                                   timeout=10_000)
        time.sleep(0.5)
        assert all(tab.evaluate("() => window.unreloaded === true") for tab in tabs.values())  # no reloads
        browser.close()
    assert process.poll() is None


@pytest.mark.browser
def test_a_new_unfinished_seat_and_a_warning_in_open_tabs(server) -> None:
    """`new` while previewing: the open page still shows the site, with the new file's problems
    over it; once that file is gone, a warning (a blurb deleted) shows folded in the panel."""
    from playwright.sync_api import sync_playwright
    url, project, process = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.goto(url + "bolsover/")
        tab.wait_for_function("() => window.LiveReload && window.LiveReload.connector && "
                              "window.LiveReload.connector._connectionDesired")
        time.sleep(0.3)
        new = subprocess.run([sys.executable, "build.py", "new", "Derby West"], cwd=project.root,
                             env={**os.environ, "PYTHONPATH": str(PROJECT)}, capture_output=True, text=True)
        assert new.returncode == 0, new.stderr
        tab.wait_for_selector("#sitegen-problems ol", timeout=10_000)
        items = tab.locator("#sitegen-problems ol li").all_inner_texts()
        assert items and all(item.startswith("content/constituencies/derby-west.yml:") for item in items)
        assert tab.locator("h1").inner_text() == "Bolsover"  # the page itself, as it last built
        for name in ("derby-west.yml", "derby-west.md"):
            (project.content / "constituencies" / name).unlink()
        (project.content / "constituencies" / "bolsover.md").unlink()
        tab.wait_for_function("() => !document.querySelector('#sitegen-problems ol') && "
                              "document.querySelector('#sitegen-problems summary')", timeout=10_000)
        assert tab.locator("#sitegen-problems summary").inner_text() == "1 warning"
        assert tab.locator("#sitegen-problems li").text_content() == (  # folded away until opened
            "content/constituencies/bolsover.yml: warning: has no blurb; add bolsover.md beside it to "
            "describe the result")
        browser.close()
    assert process.poll() is None


@pytest.mark.parametrize("first", ["yml", "md"])
def test_renaming_a_seats_files_one_at_a_time_keeps_serving_and_recovers(project: Paths, first: str) -> None:
    """Either file of a seat renamed first: the preview keeps serving every page, shows the
    problem while the pair is split, and is whole again once both are renamed."""
    preview = Preview(project, io.StringIO(), io.StringIO())
    assert preview.rebuild()
    folder = project.content / "constituencies"
    second = "md" if first == "yml" else "yml"
    (folder / f"bolsover.{first}").rename(folder / f"bolsover-new.{first}")
    assert preview.rebuild(["rename"], {folder / f"bolsover.{first}", folder / f"bolsover-new.{first}"})
    status, _, body = call(preview, "/erewash/")
    problems = parse(body).find("aside", id="sitegen-problems")
    assert status == "200 OK" and problems is not None
    orphan = "bolsover.md" if first == "yml" else "bolsover-new.md"
    assert [li.get_text() for li in problems.find("ol").find_all("li")] == [
        f"content/constituencies/{orphan}:1: blurb has no matching {orphan[:-3]}.yml "
        f"({'bolsover-new' if first == 'yml' else 'bolsover'}.yml has no blurb: if one of the two was renamed, "
        "give both the same name)"]
    (folder / f"bolsover.{second}").rename(folder / f"bolsover-new.{second}")
    assert preview.rebuild(["rename"], {folder / f"bolsover.{second}", folder / f"bolsover-new.{second}"})
    status, _, body = call(preview, "/bolsover-new/")
    assert status == "200 OK" and parse(body).find("aside", id="sitegen-problems") is None
    assert "Natalie Fleet" in parse(body).find("p", class_="lead").get_text()
    assert call(preview, "/bolsover/")[0] == "404 Not Found" and not (project.dist / "bolsover").exists()


def test_the_seats_folder_moved_out_and_back_in(project: Paths, tmp_path: Path) -> None:
    preview = Preview(project, io.StringIO(), io.StringIO())
    assert preview.rebuild()
    folder = project.content / "constituencies"
    folder.rename(tmp_path / "away")
    assert not preview.rebuild(["moved"], None)
    status, _, body = call(preview, "/erewash/")  # the last good page, with what is wrong
    assert status == "200 OK" and "no constituency files found" in parse(body).find("aside").get_text()
    (tmp_path / "away").rename(folder)
    assert preview.rebuild(["moved back"], None)
    assert call(preview, "/erewash/")[0] == "200 OK" and preview.errors == []


def test_a_storm_of_saves_ends_equal_to_a_full_build(project: Paths, tmp_path: Path) -> None:
    """Fifty saves as fast as they come, a rebuild after every few: the last one leaves dist/ as a
    build from nothing would."""
    from sitegen.engine import build
    preview = Preview(project, io.StringIO(), io.StringIO())
    assert preview.rebuild()
    seat = project.content / "constituencies" / "erewash.yml"
    text = seat.read_text()
    for i in range(50):
        seat.write_text(text.replace("votes: 17224", f"votes: {17224 + i}", 1)
                        .replace("valid_votes: 43006", f"valid_votes: {43006 + i}", 1))
        if i % 7 == 0:
            preview.rebuild(["save"], {seat})
    preview.rebuild(["save"], {seat})
    fresh = project._replace(dist=tmp_path / "fresh", cache=None)
    build(fresh)
    assert read_tree(project.dist) == read_tree(fresh.dist)
