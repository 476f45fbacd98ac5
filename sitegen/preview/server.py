"""The preview's server: serve dist/ with live reload, rebuilding only what each save touches.

livereload pushes reloads to open tabs; the pages themselves come from `Preview`, a small WSGI
app that serves files only from inside dist/ and, while the content has errors, the last good
page with the problems laid over it. The rebuild is rebuild.py's, the watching watcher.py's, and
the script added to every page is client.js.
"""
from __future__ import annotations

import html
import logging
import mimetypes
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, TextIO

from sitegen.config import Paths
from sitegen.errors import ContentError, ContentErrors
from sitegen.files import describe_os_error
from sitegen.output import OutputLock, OutputRefused, output_folder, shown_folder
from sitegen.preview.rebuild import Rebuilder, Rebuilt
from sitegen.preview.watcher import (EVERYTHING, POLL_EVERY_TICKS, TICK_MILLISECONDS, ChangeFeed, changed_files,
                                     source_snapshot)

CLIENT = Path(__file__).with_name("client.js")
# livereload.js, loaded from the preview's own address and port (as livereload's server adds it)
LIVERELOAD_LOADER = (b'<script>(function(){var s=document.createElement("script");'
                     b's.src="//"+location.host+"/livereload.js?port="+(location.port||(location.protocol=="https:"?443:80));'
                     b'document.head.appendChild(s);})();</script>')


def resolve_request(dist: Path, url_path: str) -> tuple[str, Optional[Path]]:
    """Return what a request path maps to in dist/: ('file', path), ('redirect', None) for a folder
    asked for without its '/', ('bad', None) for a path no file could have (a NUL, a backslash,
    '..'), ('forbidden', None) for anything leading outside dist/, else ('missing', None)."""
    if "\x00" in url_path or "\\" in url_path:
        return "bad", None
    parts = [part for part in url_path.split("/") if part not in ("", ".")]
    if ".." in parts:
        return "bad", None
    try:
        root = dist.resolve()
        target = root.joinpath(*parts).resolve() if parts else root
        if not target.is_relative_to(root):
            return "forbidden", None  # e.g. a symbolic link pointing out of dist/
        if target.is_dir():
            if not url_path.endswith("/"):
                return "redirect", None
            target = target / "index.html"
        return ("file", target) if target.is_file() else ("missing", None)
    except (OSError, ValueError):  # a name too long for the file system, and the like
        return "missing", None


def redirect_location(url_path: str) -> str:
    """Return where to send a folder asked for without its '/': always a path on this same host
    (a path starting '//' would name another host)."""
    return "/" + "/".join(part for part in url_path.split("/") if part not in ("", ".")) + "/"


LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]"})



def page_url(output: str) -> str:
    """Return the address a page output is served at: 'erewash/index.html' -> '/erewash/'."""
    return "/" + output.removesuffix("index.html")


def host_name(header: str) -> str:
    """Return the host name of a Host header, without its port: 'localhost:8000' -> 'localhost'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header.split("]", 1)[0] + "]"
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(host: str) -> Optional[frozenset[str]]:
    """Return the host names the preview answers for when listening on `host`: the loopback names,
    and `host` itself; None (any) when it listens on every address."""
    if host in ("0.0.0.0", "::", ""):
        return None
    return LOOPBACK | {host_name(host) if not host.count(":") > 1 else f"[{host}]"}


def _reloads(report: Rebuilt, changed: Optional[set[Path]], problems_changed: bool) -> list[str]:
    """Return what to tell the open tabs after a rebuild: '*' (every tab) when the problems shown
    over the pages changed; the new stylesheet alone when only a stylesheet changed; else the
    address of each page rendered again (a tab showing another page is left alone)."""
    if problems_changed:
        return ["*"]
    styles = sorted("/" + name for name in report.outputs if name.endswith(".css"))
    if changed and styles and all(path.suffix == ".css" for path in changed):
        return styles
    return sorted(page_url(name) for name in report.outputs if name.endswith(".html"))


def _problem_items(problems: list[ContentError]) -> str:
    return "\n".join(
        f"<li><code>{html.escape(p.format().split(': ', 1)[0])}</code>: "
        f"{html.escape(p.format().split(': ', 1)[1] if ': ' in p.format() else '')}</li>" for p in problems)


def render_overlay(errors: list[ContentError], warnings: list[ContentError]) -> str:
    """Return the panel laid over each previewed page while the content has problems: the errors
    (the page is its last good version) and, folded, the warnings."""
    look = ("margin:0;padding:.75rem 1rem;background:#fff;color:#111;font:15px/1.45 system-ui,sans-serif;"
            "border-top:4px solid #b00020;box-shadow:0 -2px 10px rgba(0,0,0,.25)")
    if errors:  # over the page, where the editor looks
        style = "position:fixed;left:0;right:0;bottom:0;max-height:45vh;overflow:auto;z-index:2147483647;" + look
        parts = [f'<aside id="sitegen-problems" role="alert" aria-label="Problems in the content" style="{style}">']
    else:  # warnings alone build fine: below the page, covering none of it
        style = look.replace("#b00020", "#8a6d00")
        parts = [f'<aside id="sitegen-problems" role="status" aria-label="Warnings about the content" style="{style}">']
    if errors:
        files = len({e.path for e in errors})
        parts.append(f"<p style=\"margin:0 0 .4rem\"><strong>{len(errors)} error{'s' if len(errors) != 1 else ''} "
                     f"in {files} file{'s' if files != 1 else ''}</strong>: this page is as it last built. "
                     "Fix the file and line named below and save.</p>")
        parts.append(f'<ol style="margin:0;padding-left:1.4rem">{_problem_items(errors)}</ol>')
    if warnings:
        count = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
        parts.append(f'<details style="margin-top:.4rem"><summary>{count}</summary>'
                     f'<ul style="margin:0;padding-left:1.4rem">{_problem_items(warnings)}</ul></details>')
    parts.append("</aside>\n")
    return "".join(parts)


def render_error_page(errors: list[ContentError], css: str) -> str:
    """Return the page every open tab shows while the content has errors (no template needed)."""
    items = "\n".join(
        f"<li><code>{html.escape(e.format().split(': ', 1)[0])}</code>: "
        f"{html.escape(e.format().split(': ', 1)[1] if ': ' in e.format() else '')}</li>"
        for e in errors)
    files = len({e.path for e in errors})
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    return f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: {count}</title>
<style>{css}
.build-errors li {{ margin: 0.6rem 0; }}
.build-errors code {{ font-weight: 700; overflow-wrap: anywhere; }}</style>
</head>
<body>
<header class="masthead"><div class="wrap masthead-inner"><span class="site-name">Preview</span></div></header>
<main id="main" class="wrap">
<div class="hero">
<h1>The site could not be built</h1>
<p class="lead">{count}. Fix the file and line named below and save: this page returns to the
site by itself. The last good build is unchanged.</p>
</div>
<section class="card" aria-labelledby="errors-heading">
<h2 id="errors-heading">What to fix</h2>
<ol class="build-errors">
{items}
</ol>
</section>
</main>
</body>
</html>
"""


class Preview:
    """The preview's state: a rebuilder, the errors of the last attempt, and the WSGI app."""

    def __init__(self, paths: Paths, out: TextIO, err: TextIO, hosts: Optional[frozenset[str]] = LOOPBACK,
                 inject: str = ""):
        self.paths, self.out, self.err = paths, out, err
        # added to every page: the live reload client, or the rehearsal's script
        self.inject = (inject or f"<script>{CLIENT.read_text(encoding='utf-8')}</script>\n").encode()
        # A rehearsal shows pages as readers will see them: its warnings (every awaited seat, at
        # every step) are expected, so they are neither printed nor laid over the pages.
        self.rehearsal = bool(inject)
        self.hosts = hosts  # the host names it answers for; None: any (see allowed_hosts)
        self.rebuilder = Rebuilder(paths)
        self.errors: list[ContentError] = []    # shown over every page until fixed
        self.warnings: list[ContentError] = []  # shown, folded, over every page
        self.reloads: list[str] = []            # what the open tabs are told after a rebuild
        self._seen = source_snapshot(paths)
        self._pending: Optional[dict] = None

    def rebuild(self, changes: Iterable[str] = (), changed: Optional[set[Path]] = None) -> bool:
        """Rebuild once and print one line (or the errors); return True when the site built."""
        what = ", ".join(changes) or "first build"
        try:
            report = self.rebuilder.rebuild(changed)
        except ContentErrors as exc:
            self.reloads = ["*"] if exc.errors != self.errors else []
            self.errors = exc.errors
            for error in exc.errors:
                print(error.format(), file=self.err)
            print(f"{what}: {exc.summary()[:-len('nothing written.')]}showing them in the browser.",
                  file=self.err, flush=True)
            return False
        warnings = [] if self.rehearsal else list(report.warnings)
        self.reloads = _reloads(report, changed, (list(report.held), warnings) != (self.errors, self.warnings))
        kind = "full" if report.full else "incremental"
        print(f"{what}: {kind} rebuild, {report.rendered} rendered, {report.written} written, "
              f"{report.milliseconds:.0f} ms", file=self.out, flush=True)
        if warnings != self.warnings:
            for warning in warnings:
                print(warning.format(), file=self.err)
        self.errors, self.warnings = list(report.held), warnings
        if self.errors:
            for error in self.errors:
                print(error.format(), file=self.err)
            print(f"{what}: {ContentErrors(self.errors).summary()[:-len('nothing written.')]}those seats stay "
                  "as they last built; showing the problems in the browser.", file=self.err, flush=True)
        return True

    def take_changes(self, feed: ChangeFeed) -> bool:
        """Rebuild if the feed reports changed sources; return True when it rebuilt."""
        changed = feed.take()
        if changed is EVERYTHING:
            self.rebuild(["a watched folder was replaced"], None)
            return True
        if not changed:
            return False
        self.rebuild(sorted(self.paths.display(p) for p in changed), changed)
        return True

    def poll(self) -> bool:
        """Rebuild if a source changed and the change has settled; return True when it rebuilt.
        Walks every source file: the fallback when the system cannot report changes."""
        snapshot = source_snapshot(self.paths)
        if snapshot == self._seen:
            self._pending = None
            return False
        if snapshot != self._pending:  # still being written: look again next time
            self._pending = snapshot
            return False
        changed = changed_files(self._seen, snapshot)
        self._seen, self._pending = snapshot, None
        self.rebuild(sorted(self.paths.display(p) for p in changed), changed)
        return True

    def _error_css(self) -> str:
        style = self.paths.static / "style.css"
        return style.read_text(encoding="utf-8", errors="replace") if style.is_file() else ""

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        """Serve a request: a file from dist/, a redirect, the error page, or 404; every page with
        the preview's client script (see CLIENT)."""
        sent: dict = {}

        def remember(status: str, headers: list) -> Any:
            sent["html"] = any(k == "Content-Type" and v.startswith("text/html") for k, v in headers)
            return start_response(status, [(k, v) for k, v in headers if k != "Content-Length"])
        body = b"".join(self._respond(environ, remember))
        if sent.get("html"):
            at = body.find(b"</head>")
            body = body[:at] + self.inject + body[at:] if at >= 0 else self.inject + body
        return [body]

    def _respond(self, environ: dict, start_response: Callable) -> list[bytes]:
        headers = [("Cache-Control", "no-store")]
        text = headers + [("Content-Type", "text/plain; charset=utf-8")]
        host = host_name(environ.get("HTTP_HOST", ""))
        if self.hosts is not None and host not in self.hosts:
            # A page elsewhere could otherwise read unpublished results through DNS rebinding.
            start_response("403 Forbidden", text)
            return [f"Forbidden: this preview answers only for {', '.join(sorted(self.hosts))}, "
                    f"not {host!r}.\n".encode("utf-8")]
        raw = environ.get("PATH_INFO", "/")
        url_path = raw.encode("latin-1", "replace").decode("utf-8", "replace")
        kind, target = resolve_request(self.paths.dist, url_path)
        if kind == "bad":
            start_response("400 Bad Request", text)
            return [b"Bad request: no file can have that address.\n"]
        if kind == "forbidden":
            start_response("403 Forbidden", text)
            return [b"Forbidden: only files inside dist/ are served.\n"]
        if kind == "redirect":
            start_response("301 Moved Permanently", headers + [("Location", redirect_location(url_path))])
            return [b""]
        is_page = target is None or target.suffix == ".html"
        if is_page and target is not None and (self.errors or self.warnings):
            # the last good page, with the problems laid over it
            page = target.read_bytes()
            at = page.rfind(b"</body>")
            overlay = render_overlay(self.errors, self.warnings).encode("utf-8")
            start_response("200 OK", headers + [("Content-Type", "text/html; charset=utf-8")])
            return [page[:at] + overlay + page[at:] if at >= 0 else page + overlay]
        if self.errors and is_page:  # no good page to show: the problems alone
            body = render_error_page(self.errors, self._error_css()).encode("utf-8")
            start_response("500 Internal Server Error", headers + [("Content-Type", "text/html; charset=utf-8")])
            return [body]
        if target is None:
            not_found = self.paths.dist / "404.html"
            body = not_found.read_bytes() if not_found.is_file() else b"Not found\n"
            start_response("404 Not Found", headers + [("Content-Type", "text/html; charset=utf-8")])
            return [body]
        kind_of = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind_of.startswith("text/") or kind_of in ("application/json", "application/javascript"):
            kind_of += "; charset=utf-8"
        start_response("200 OK", headers + [("Content-Type", kind_of)])
        return [target.read_bytes()]


def serve(paths: Paths, *, host: str, port: int, open_browser: bool, out: TextIO, err: TextIO,
          inject: str = "") -> int:
    """Build, then serve dist/ on host:port until interrupted, rebuilding after every save. The
    output folder stays locked against builds while the preview writes into it. Pages get the live
    reload client, or `inject` instead (the rehearsal's, which leaves news to the pages' own polling)."""
    try:
        with OutputLock(output_folder(paths), shown_folder(paths)):
            return _serve(paths, host, port, open_browser, out, err, inject)
    except OutputRefused as exc:
        print(f"python3 build.py: error: {exc}", file=err)
        return 2


def free_port(host: str, port: int, tries: int = 20) -> Optional[int]:
    """Return `port` if nothing listens on it at `host`, else the next free one (None if none of
    `tries` is)."""
    import socket
    for candidate in range(port, port + tries):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
            try:
                probe.bind((host, candidate))
                return candidate
            except OSError:
                continue
    return None


def _serve(paths: Paths, host: str, port: int, open_browser: bool, out: TextIO, err: TextIO, inject: str) -> int:
    """Serve until interrupted."""
    from livereload import Server

    from sitegen.preview.channel import make_server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import PeriodicCallback

    free = free_port(host, port)
    if free is None:
        print(f"python3 build.py: error: ports {port} to {port + 19} are all in use on {host}; "
              "choose another with --port", file=err)
        return 2
    if free != port:
        print(f"Port {port} is in use (another preview?); serving on port {free} instead.", file=err, flush=True)
        port = free
    hosts = allowed_hosts(host)
    if hosts is None:
        print(f"warning: --host {host} lets anyone who can reach this machine read the preview, "
              "unpublished results included", file=err, flush=True)
    preview = Preview(paths, out, err, hosts, inject)
    feed = ChangeFeed(paths)
    preview.rebuild()

    class SourceWatcher(Watcher):
        """Rebuilds on the changes the feed reports (or, if it cannot watch, by walking the
        sources), and reloads the tabs as soon as a rebuild has finished."""

        def start(self, callback: Callable) -> bool:
            self.ticks = 0
            PeriodicCallback(self.tick, TICK_MILLISECONDS).start()
            return True

        def tick(self) -> None:
            self.ticks += 1
            if feed.failed and self.ticks % POLL_EVERY_TICKS:
                return
            rebuilt = preview.poll() if feed.failed else preview.take_changes(feed)
            if rebuilt and not inject:
                for path in preview.reloads:
                    LiveReloadHandler.reload_waiters(path)

    class QuietServer(Server):
        def _setup_logging(self) -> None:  # keep the terminal to one line per rebuild
            logging.getLogger("livereload").setLevel(logging.WARNING)
            logging.getLogger("tornado.access").setLevel(logging.CRITICAL)

        def application(self, port: int, host: str, liveport: Any = None, debug: Any = None,
                        live_css: bool = True) -> None:
            """Listen with the guarded server of channel.py instead of livereload's own."""
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            make_server(self.app, LIVERELOAD_LOADER, hosts).listen(port, address=host)

    watcher = SourceWatcher()
    watcher.watch(str(paths.content))
    server = QuietServer(app=preview, watcher=watcher)
    print(f"Serving {paths.display(paths.dist)}/ at http://{host}:{port}/"
          f"{'' if inject else ' with live reload'} (Ctrl+C to stop)", file=out, flush=True)
    try:
        server.serve(host=host, port=port, debug=False, open_url_delay=0.5 if open_browser else None)
    except OSError as exc:  # taken between the look and the bind
        print(f"python3 build.py: error: cannot listen on {host}:{port} ({describe_os_error(exc)}); "
              "choose another port with --port", file=err)
        return 2
    finally:
        feed.close()
    return 0

