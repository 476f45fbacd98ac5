"""The preview's web server: the pages (server.Preview, a WSGI app) and livereload's channel to
the open tabs, answering only the editor's own pages.

livereload's own server accepts a websocket from any origin, answers /forcereload from any page
(which could make the editor's tab load another site's stylesheet over the figures they check
against the declaration sheet), prints a traceback for a frame that is not JSON and accepts
connections until the process runs out of files. This one keeps livereload's protocol and
livereload.js, and: checks the Host header on every path and the Origin of every websocket
against the preview's own address; has no /forcereload; drops malformed frames quietly; caps
frames at 4 KB and connections at MAX_CONNECTIONS, closing any beyond at once.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

MAX_CONNECTIONS = 128      # open tabs need a few each; more is a page trying to exhaust the process
MAX_FRAME_BYTES = 4096     # livereload's handshake messages are a few hundred bytes


def same_origin(origin: Optional[str], host_header: str) -> bool:
    """Return True when a websocket's Origin is the page's own address: http(s), and the same host
    and port as the Host header it was sent to (so a page on another port is another origin)."""
    if not origin:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.strip().lower() != ""


def make_server(app: Callable, script: bytes, hosts: Optional[frozenset[str]]) -> Any:
    """Return the HTTP server (not yet listening) for the pages of WSGI `app`, with `script`
    (livereload's loader) added to each, and the guarded live-reload channel."""
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from livereload.server import LiveScriptContainer
    from tornado import web
    from tornado.httpserver import HTTPServer

    from sitegen.preview.server import host_name

    def refused(handler: web.RequestHandler) -> bool:
        """Answer 403 and return True when the request names another host (DNS rebinding)."""
        if hosts is None or host_name(handler.request.headers.get("Host", "")) in hosts:
            return False
        handler.set_status(403)
        handler.set_header("Content-Type", "text/plain; charset=utf-8")
        handler.finish("Forbidden: this preview answers only for its own address.\n")
        return True

    class Channel(LiveReloadHandler):
        """livereload's websocket, for the preview's own pages only."""

        sockets: set = set()

        async def get(self, *args: Any, **kwargs: Any) -> None:
            if refused(self):
                return
            if len(Channel.sockets) >= MAX_CONNECTIONS:
                self.set_status(503)
                self.finish("Too many open connections.\n")
                return
            await super().get(*args, **kwargs)

        def check_origin(self, origin: str) -> bool:
            return same_origin(origin, self.request.headers.get("Host", ""))

        def open(self, *args: Any, **kwargs: Any) -> None:
            Channel.sockets.add(self)

        def on_close(self) -> None:
            Channel.sockets.discard(self)
            super().on_close()

        def on_message(self, message: Any) -> None:
            try:
                parsed = json.loads(message)
            except (ValueError, TypeError):
                return  # not livereload's protocol: dropped
            if isinstance(parsed, dict) and isinstance(parsed.get("command"), str):
                super().on_message(json.dumps(parsed))

    class Script(LiveReloadJSHandler):
        def get(self) -> None:
            if not refused(self):
                super().get()

    class Capped(HTTPServer):
        """An HTTP server that closes connections beyond MAX_CONNECTIONS as they arrive."""

        def handle_stream(self, stream: Any, address: tuple) -> None:
            if len(self._connections) + len(Channel.sockets) >= MAX_CONNECTIONS:
                stream.close()
                return
            super().handle_stream(stream, address)

    application = web.Application(
        handlers=[(r"/livereload", Channel), (r"/livereload\.js", Script),
                  (r".*", web.FallbackHandler, {"fallback": LiveScriptContainer(app, script)})],
        websocket_max_message_size=MAX_FRAME_BYTES)
    return Capped(application)
