"""A preview only the editor's pages control: the live-reload channel checks Host and Origin, has
no /forcereload, drops malformed frames, caps connections, and the watcher survives its folder
being replaced. Against the real server (build.py serve) in a process of its own."""
from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitegen.preview.channel import MAX_CONNECTIONS, same_origin
from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.conftest import edit
from tests.test_serve import server, wait_for  # noqa: F401 (the fixture)

SEAT = "content/constituencies/erewash.yml"


def raw_request(port: int, request: str, read: int = 4096) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(request.encode())
        return conn.recv(read)


def upgrade(port: int, origin: str, host: str = "") -> bytes:
    """Return the first line of the answer to a websocket handshake for /livereload."""
    host = host or f"127.0.0.1:{port}"
    return raw_request(port, f"GET /livereload HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                             f"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").split(b"\r\n", 1)[0]


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].strip("/"))


def test_same_origin_is_scheme_host_and_port() -> None:
    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert same_origin("http://LOCALHOST:8000", "localhost:8000")
    assert not same_origin("http://127.0.0.1:9000", "127.0.0.1:8000")  # another port: another page
    assert not same_origin("http://evil.example", "127.0.0.1:8000")
    assert not same_origin("null", "127.0.0.1:8000")  # a sandboxed frame or a file
    assert not same_origin(None, "127.0.0.1:8000")
    assert not same_origin("http://", "")


def test_the_websocket_and_every_endpoint_answer_only_the_previews_own_pages(server) -> None:  # noqa: F811
    url, project, process = server
    port = port_of(url)
    assert upgrade(port, f"http://127.0.0.1:{port}") == b"HTTP/1.1 101 Switching Protocols"
    assert upgrade(port, "http://evil.example") == b"HTTP/1.1 403 Forbidden"
    assert upgrade(port, f"http://127.0.0.1:{port + 1}") == b"HTTP/1.1 403 Forbidden"  # another local page
    assert upgrade(port, "http://evil.example", host="evil.example") == b"HTTP/1.1 403 Forbidden"  # rebinding
    script = raw_request(port, f"GET /livereload.js HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n")
    assert script.split(b"\r\n", 1)[0] == b"HTTP/1.1 403 Forbidden"
    ours = urllib.request.urlopen(f"{url}livereload.js", timeout=5)
    assert ours.status == 200 and b"LiveReload" in ours.read()
    # /forcereload told every open tab to load any path (a stylesheet elsewhere): it is gone
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(f"{url}forcereload?path=http://evil.example/x.css", timeout=5)
    assert gone.value.code == 404


async def _talk(port: int, frames: list) -> list[str]:
    """Open a websocket as the preview's own page would, send `frames`, return what came back."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect
    request = HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers={"Origin": f"http://127.0.0.1:{port}"})
    connection = await websocket_connect(request)
    for frame in frames:
        await connection.write_message(frame, binary=isinstance(frame, bytes))
    replies = []
    while True:
        try:
            reply = await asyncio.wait_for(connection.read_message(), 0.5)
        except asyncio.TimeoutError:
            break
        if reply is None:
            break
        replies.append(reply)
    connection.close()
    return replies


def test_malformed_frames_are_dropped_quietly(server) -> None:  # noqa: F811
    """Each frame that was not JSON printed a traceback; a flood of them wrote 79 MB of log."""
    url, project, process = server
    port = port_of(url)
    junk = ["not json", "[]", "5", '{"command": 5}', '{"no": "command"}', b"\xff\xfe binary", "{" * 3000]
    replies = asyncio.run(_talk(port, junk * 20 + ['{"command": "hello", "protocols": []}']))
    assert [json.loads(r)["command"] for r in replies] == ["hello"]  # the protocol still works after
    assert urllib.request.urlopen(url, timeout=5).status == 200
    process.terminate()
    _, err = process.communicate(timeout=10)
    assert "Traceback" not in err and len(err) < 2000, err[-2000:]


def test_a_flood_of_connections_leaves_the_preview_answering(server) -> None:  # noqa: F811
    """About 1,100 sockets used to exhaust the process's files: the preview stopped answering."""
    url, project, process = server
    port = port_of(url)
    flood = []
    try:
        for _ in range(1100):
            try:
                flood.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                break
        time.sleep(0.5)
        closed = 0
        for conn in flood[MAX_CONNECTIONS + 10:MAX_CONNECTIONS + 60]:  # over the cap: closed at once
            conn.settimeout(1)
            try:
                closed += conn.recv(1) == b""
            except socket.timeout:
                pass  # still open, waiting
            except ConnectionResetError:
                closed += 1
        assert closed == 50
    finally:
        for conn in flood:
            conn.close()
    assert wait_for(lambda: urllib.request.urlopen(url, timeout=2).status == 200, 10)
    process.terminate()
    _, err = process.communicate(timeout=10)
    assert len(err) < 2000, err[-2000:]


def test_saves_are_seen_after_the_content_folder_is_replaced(server, tmp_path: Path) -> None:  # noqa: F811
    """`rm -rf content && cp -r backup content` while serving: saves after it went unseen."""
    url, project, process = server
    backup = Path(shutil.copytree(project.content, tmp_path / "backup"))
    shutil.rmtree(project.content)
    shutil.copytree(backup, project.content)
    time.sleep(1)  # the watcher notices the new folder (within half a second) and watches it
    edit(project, SEAT, "votes: 17224", "votes: 17230")  # (and the declared total with it)

    def shows_new_figure() -> bool:
        return "17,230" in urllib.request.urlopen(f"{url}erewash/", timeout=2).read().decode()
    assert wait_for(shows_new_figure, 10)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.browser
def test_a_page_on_another_port_learns_and_changes_nothing(server, tmp_path: Path) -> None:  # noqa: F811
    """Tried on the code before: another local page made the editor's tab load its stylesheet (the
    background turned red and every figure gained ' (99,999)')."""
    from playwright.sync_api import sync_playwright
    url, project, process = server
    port = port_of(url)
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "x.css").write_text("body { background: red !important; }")
    (evil / "index.html").write_text(f"""<!doctype html><title>evil</title><script>
window.result = {{opened: false, messages: 0, closed: false}};
var ws = new WebSocket("ws://127.0.0.1:{port}/livereload");
ws.onopen = function () {{ window.result.opened = true;
  ws.send(JSON.stringify({{command: "hello", protocols: ["http://livereload.com/protocols/official-7"]}}));
  ws.send(JSON.stringify({{command: "info", url: "http://127.0.0.1:{port}/erewash/"}})); }};
ws.onmessage = function () {{ window.result.messages += 1; }};
ws.onclose = function () {{ window.result.closed = true; }};
new Image().src = "http://127.0.0.1:{port}/forcereload?path=http://127.0.0.1:EVILPORT/x.css";
fetch("http://127.0.0.1:{port}/forcereload?path=*", {{mode: "no-cors"}}).catch(function () {{}});
</script>""")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(evil)))
    evil_port = httpd.server_address[1]
    (evil / "index.html").write_text((evil / "index.html").read_text().replace("EVILPORT", str(evil_port)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            tab = browser.new_page()
            tab.goto(f"{url}erewash/")
            tab.wait_for_function("() => window.LiveReload && window.LiveReload.connector && "
                                  "window.LiveReload.connector._connectionDesired")
            sheets = tab.evaluate("() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)")
            background = tab.evaluate("() => getComputedStyle(document.body).backgroundColor")
            attacker = browser.new_page()
            attacker.goto(f"http://127.0.0.1:{evil_port}/")
            attacker.wait_for_function("() => window.result.closed || window.result.opened", timeout=5000)
            # a save now: the editor's tab is told, the attacker's socket (had it opened) would be too
            edit(project, SEAT, "votes: 17224", "votes: 17225")
            tab.wait_for_function("() => document.body.innerText.includes('17,225')", timeout=10_000)
            assert attacker.evaluate("() => window.result") == {"opened": False, "messages": 0, "closed": True}
            assert tab.evaluate("() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)") == sheets
            assert tab.evaluate("() => getComputedStyle(document.body).backgroundColor") == background
            browser.close()
    finally:
        httpd.shutdown()
