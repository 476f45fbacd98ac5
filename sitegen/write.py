"""The only module that touches dist/: write a complete new site beside it, then swap it in."""
from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Mapping, Union

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


def write_tree(files: Mapping[str, Union[str, bytes]], folder: Path) -> None:
    """Write every file into `folder`, which must not exist yet."""
    folder.mkdir(parents=True)
    for name in sorted(files):
        target = folder.joinpath(*check_output_path(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = files[name]
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def write_site(files: Mapping[str, Union[str, bytes]], dist: Path) -> None:
    """Replace dist/ with exactly `files`; a failure at any point leaves the old dist/ as it was."""
    remove_stale_temporaries(dist)
    fresh = dist.parent / f"{TEMP_PREFIX}{dist.name}-new-{os.getpid()}"
    old = dist.parent / f"{TEMP_PREFIX}{dist.name}-old-{os.getpid()}"
    try:
        write_tree(files, fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if dist.exists():
        os.rename(dist, old)
    os.rename(fresh, dist)
    shutil.rmtree(old, ignore_errors=True)
