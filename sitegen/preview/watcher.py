"""What the preview watches: the source files (files.source_files' rule), as the operating system
reports their changes, or by walking them where it cannot."""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Optional

from sitegen.config import Paths
from sitegen.files import is_source_name, source_files

TICK_MILLISECONDS = 10   # how often the preview looks at what the change feed has collected
POLL_EVERY_TICKS = 10    # without a feed, how many ticks between walks of every source file
EVERYTHING = None        # what take() returns when it cannot tell which files changed


def watched_folders(paths: Paths) -> tuple[Path, ...]:
    """Return the folders whose files are the site's sources."""
    return (paths.content, paths.templates, paths.static)


def source_snapshot(paths: Paths) -> dict[Path, tuple[int, int]]:
    """Return (size, modification time) of every source file the preview watches."""
    snapshot = {}
    for folder in watched_folders(paths):
        for path in source_files(folder) if folder.is_dir() else ():
            try:
                stat = path.stat()
            except OSError:  # gone since it was listed
                continue
            snapshot[path] = (stat.st_size, stat.st_mtime_ns)
    return snapshot


def changed_files(before: dict[Path, tuple[int, int]], after: dict[Path, tuple[int, int]]) -> set[Path]:
    """Return the watched files added, removed or changed between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def _identity(folder: Path) -> Optional[tuple[int, int]]:
    try:
        info = os.stat(folder)
        return info.st_dev, info.st_ino
    except OSError:
        return None


class ChangeFeed:
    """The source files that changed, as the operating system reports them (watchfiles: inotify on
    Linux), collected on a thread of its own; take() returns those seen since it last did. An idle
    preview then costs nothing, where walking 13,000 files every 100 ms took most of a core.

    A watched folder deleted and made again (`rm -rf content && cp -r backup content`) is noticed
    within half a second: watching starts again on the new folder, and the next take() says that
    everything may have changed."""

    def __init__(self, paths: Paths):
        self._folders = watched_folders(paths)
        self._changed: set[Path] = set()
        self._everything = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.failed: Optional[str] = None  # why watching stopped, if it did
        self._thread = threading.Thread(target=self._run, name="change-feed", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            from watchfiles import watch
            while not self._stop.is_set():
                roots = {folder: _identity(folder) for folder in self._folders}
                present = [str(folder) for folder, identity in roots.items() if identity is not None]
                if not present:
                    self._stop.wait(0.2)
                    continue
                # step: a burst of saves is reported once it has been quiet this long (milliseconds);
                # on a timeout it yields nothing, and the folders are looked at again
                for changes in watch(*present, stop_event=self._stop, step=10, rust_timeout=400,
                                     yield_on_timeout=True, raise_interrupt=False):
                    with self._lock:
                        self._changed.update(Path(path) for _, path in changes)
                    # a watched folder itself deleted (its watch ends with it; a copy made at once
                    # can even get its inode number back), or gone, or another folder now
                    if any(path in present for _, path in changes) or any(
                            _identity(folder) != identity for folder, identity in roots.items()):
                        with self._lock:
                            self._everything = True  # a folder went or came back: look at it all
                        break
        except Exception as exc:  # noqa: BLE001 (e.g. out of inotify watches: the preview polls)
            self.failed = str(exc) or type(exc).__name__

    def take(self) -> Optional[set[Path]]:
        """Return the source files changed since the last call (editors' own files left out), or
        EVERYTHING when a watched folder was replaced."""
        with self._lock:
            changed, self._changed = self._changed, set()
            everything, self._everything = self._everything, False
        if everything:
            return EVERYTHING
        return {p for p in changed if is_source_name(p.name)}

    def close(self) -> None:
        """Stop watching."""
        self._stop.set()
        self._thread.join(timeout=2)
