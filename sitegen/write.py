"""The only module that touches dist/: write a complete new site beside it, then swap it in."""
from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Mapping, Optional, Union

TEMP_PREFIX = ".dist-"


def check_output_path(name: str) -> PurePosixPath:
    """Return `name` as a safe relative path inside dist/, or raise ValueError."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or ".." in path.parts or "\\" in name:
        raise ValueError(f"refusing to write outside dist/: {name!r}")
    return path


def remove_stale_temporaries(dist: Path) -> None:
    """Tidy up after a build that was interrupted: restore dist/ if it was mid-swap, delete the rest."""
    parent = dist.parent
    if not parent.is_dir():
        return
    if not dist.exists():
        previous = sorted(parent.glob(f"{TEMP_PREFIX}{dist.name}-old-*"))
        if previous:
            os.rename(previous[0], dist)
    for leftover in parent.glob(f"{TEMP_PREFIX}{dist.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def write_tree(files: Mapping[str, Union[str, bytes]], folder: Path, previous: Optional[Path] = None) -> int:
    """Write every file into `folder`, which must not exist yet; return how many were written.

    A file whose bytes equal the same file in `previous` is hard-linked from there instead of
    written again (the old folder is about to be replaced, and links keep its data alive).
    """
    folder.mkdir(parents=True)
    made: set[Path] = {folder}
    written = 0
    for name in sorted(files):
        parts = check_output_path(name).parts
        target = folder.joinpath(*parts)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        data = files[name]
        data = data.encode("utf-8") if isinstance(data, str) else data
        if previous is not None and _link_if_unchanged(previous.joinpath(*parts), target, data):
            continue
        target.write_bytes(data)
        written += 1
    return written


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
    remove_stale_temporaries(dist)
    fresh = dist.parent / f"{TEMP_PREFIX}{dist.name}-new-{os.getpid()}"
    old = dist.parent / f"{TEMP_PREFIX}{dist.name}-old-{os.getpid()}"
    try:
        written = write_tree(files, fresh, dist if dist.is_dir() else None)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if dist.exists():
        os.rename(dist, old)
    os.rename(fresh, dist)
    shutil.rmtree(old, ignore_errors=True)
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
