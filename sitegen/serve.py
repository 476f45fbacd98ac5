"""Preview server: build, serve dist/ with livereload, rebuild on every change to the sources."""
from __future__ import annotations

from typing import Callable, TextIO

from .config import Paths


def make_rebuilder(paths: Paths, out: TextIO, err: TextIO) -> Callable[[], bool]:
    """Return a callable that rebuilds once, reports, and never raises for content errors.

    A failed rebuild leaves the last good dist/ in place (write.py swaps only complete sites).
    """
    from .cli import run_build

    def rebuild() -> bool:
        return run_build(paths, write=True, out=out, err=err) == 0

    return rebuild


def serve(paths: Paths, *, host: str, port: int, open_browser: bool, out: TextIO, err: TextIO) -> int:
    """Serve dist/ on host:port until interrupted, rebuilding when content, templates or static change."""
    from livereload import Server

    rebuild = make_rebuilder(paths, out, err)
    if not rebuild() and not paths.dist.exists():
        print("Fix the errors above and save; the preview starts once the site builds.", file=err)
    server = Server()
    for folder in (paths.content, paths.templates, paths.static):
        server.watch(str(folder), rebuild)
    print(f"Serving {paths.display(paths.dist)}/ at http://{host}:{port}/ (Ctrl+C to stop)", file=out)
    server.serve(host=host, port=port, root=str(paths.dist), open_url_delay=0.5 if open_browser else None)
    return 0
