"""The only module that touches dist/: write a complete new site beside it, then swap it in."""
from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Mapping, Optional, Union

from .executor import Threads

TEMP_PREFIX = ".dist-"
WRITE_THREADS = 4
WRITE_BATCH = 32  # files handed to a writer thread at a time


def check_output_path(name: str) -> PurePosixPath:
    """Return `name` as a safe relative path inside dist/, or raise ValueError."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or ".." in path.parts or "\\" in name:
        raise ValueError(f"refusing to write outside dist/: {name!r}")
    return path


def _owner_is_gone(folder: Path) -> bool:
    """Return True when the process that made a staging folder (its name ends in its id) has ended."""
    pid = folder.name.rpartition("-")[2]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, owned by someone else
        return False
    return False


def remove_stale_temporaries(dist: Path) -> None:
    """Tidy up after a build that was interrupted: restore dist/ if it was left mid-swap, and delete
    the staging folders of builds that have ended. Another build's folders, still in use, stay."""
    parent = dist.parent
    if not parent.is_dir():
        return
    if not dist.exists():
        previous = sorted(p for p in parent.glob(f"{TEMP_PREFIX}{dist.name}-old-*") if _owner_is_gone(p))
        if previous:
            os.rename(previous[0], dist)
    for leftover in parent.glob(f"{TEMP_PREFIX}{dist.name}-*"):
        if _owner_is_gone(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


class Staging:
    """A new dist/ being written beside the old one, named for this process: commit() swaps it in,
    discard() removes it.

    A file whose bytes equal the same file in the old dist/ is hard-linked from there instead of
    written again (the old folder is about to be replaced, and links keep its data alive).
    """

    def __init__(self, dist: Path):
        remove_stale_temporaries(dist)
        self.dist = dist
        self.folder = dist.parent / f"{TEMP_PREFIX}{dist.name}-new-{os.getpid()}"
        self.previous = dist if dist.is_dir() else None
        shutil.rmtree(self.folder, ignore_errors=True)  # this process's own, from an earlier attempt
        self.folder.mkdir(parents=True)
        self._threads = Threads(WRITE_THREADS)
        self._queued: set[str] = set()

    def write_soon(self, files: Mapping[str, Union[str, bytes]]) -> None:
        """Start writing `files` on the writer threads and return at once (see write())."""
        names = sorted(name for name in files if name not in self._queued)
        self._queued.update(names)
        for i in range(0, len(names), WRITE_BATCH):
            self._threads.submit(self._write_names, files, names[i:i + WRITE_BATCH])

    def write(self, files: Mapping[str, Union[str, bytes]]) -> int:
        """Write every file of `files` not already started with write_soon(), wait for all of them,
        and return how many were written rather than linked from the old dist/.

        Files are written on a few threads, which overlap the waits on the disk (one thread took
        about twice as long for 650 pages here).
        """
        self.write_soon(files)
        return sum(self._threads.wait())

    def _write_names(self, files: Mapping[str, Union[str, bytes]], names: list[str]) -> int:
        written = 0
        for name in names:
            target = self.folder.joinpath(*check_output_path(name).parts)
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True, exist_ok=True)
            data = files[name]
            data = data.encode("utf-8") if isinstance(data, str) else data
            if self.previous is not None and _link_if_unchanged(self.previous / name, target, data):
                continue
            target.write_bytes(data)
            written += 1
        return written

    def commit(self) -> None:
        """Put the new folder in place of dist/; the old one is deleted."""
        old = self.dist.parent / f"{TEMP_PREFIX}{self.dist.name}-old-{os.getpid()}"
        if self.dist.exists():
            os.rename(self.dist, old)
        os.rename(self.folder, self.dist)
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Delete the new folder, leaving dist/ as it was."""
        self._threads.cancel()
        shutil.rmtree(self.folder, ignore_errors=True)


def _link_if_unchanged(old: Path, target: Path, data: bytes) -> bool:
    try:
        if old.is_file() and not old.is_symlink() and old.stat().st_size == len(data) and old.read_bytes() == data:
            os.link(old, target)
            return True
    except OSError:  # no hard links on this file system: write instead
        pass
    return False


def write_site(files: Mapping[str, Union[str, bytes]], dist: Path) -> int:
    """Replace dist/ with exactly `files`; a failure at any point leaves the old dist/ as it was.

    Returns how many files had new bytes (the rest were linked from the old dist/).
    """
    staging = Staging(dist)
    try:
        written = staging.write(files)
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    return written


def replace_file(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file, so a reader never sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def sync_site(files: Mapping[str, Union[str, bytes]], dist: Path, keep: Optional[set[str]] = None) -> int:
    """Update dist/ in place: write each file whose bytes changed; with `keep`, delete files not in it.

    Used by the preview server, which must never serve a missing page mid-build. Returns how many
    files were written.
    """
    written = 0
    for name in sorted(files):
        target = dist.joinpath(*check_output_path(name).parts)
        data = files[name]
        data = data.encode("utf-8") if isinstance(data, str) else data
        if not target.is_file() or target.read_bytes() != data:
            replace_file(target, data)
            written += 1
    if keep is not None and dist.is_dir():
        for path in sorted(dist.rglob("*"), reverse=True):
            name = path.relative_to(dist).as_posix()
            if path.is_file() and name not in keep:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written
