"""The build cache (.cache/ by default; git-ignored and safe to delete).

It remembers, per output folder, a fingerprint of every input of the last successful build
(content, templates, static files, this package's own source and the Python version) and the
state of the output it wrote. When both still match, nothing can have changed and `build` stops
there, without importing the renderer. Nothing is trusted across a change of code or templates:
they are part of the fingerprint.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Optional

from sitegen.config import Paths

CACHE_FORMAT = 1
PACKAGE = Path(__file__).resolve().parent


def _files(folder: Path) -> list[Path]:
    found = []
    for directory, subfolders, names in os.walk(folder):  # links to folders are not followed
        subfolders.sort()
        found.extend(Path(directory) / name for name in sorted(names))
    return found


def input_fingerprint(paths: Paths) -> str:
    """Return a hash of every byte the build reads, the generator's code included.

    A file is opened only if the build itself may open it (files.py); for one it may not (a FIFO,
    a broken link, a link out of its folder, an oversized content file), the reason is hashed
    instead, so the build runs and says what is wrong.
    """
    from sitegen.config import MAX_CONTENT_BYTES
    from sitegen.files import read_file
    digest = hashlib.sha256(f"{CACHE_FORMAT} {sys.version}".encode())
    for label, folder in (("code", PACKAGE), ("content", paths.content), ("templates", paths.templates),
                          ("static", paths.static)):
        for path in _files(folder):
            if label == "code" and path.suffix not in (".py", ".ttf"):  # the cards' fonts draw pixels
                continue
            digest.update(f"\0{label}/{path.relative_to(folder).as_posix()}\0".encode())
            data, why = read_file(path, folder, MAX_CONTENT_BYTES if label == "content" else None)
            digest.update(data if data is not None else f"\0refused: {why}".encode())
    return digest.hexdigest()


def output_state(dist: Path) -> list[list]:
    """Return each output file's name, size and modification time, to notice edits to dist/."""
    if not dist.is_dir():
        return []
    return [[p.relative_to(dist).as_posix(), p.stat().st_size, p.stat().st_mtime_ns] for p in _files(dist)]


def _manifest(paths: Paths) -> Optional[Path]:
    if paths.cache is None:
        return None
    key = hashlib.sha256(str(paths.dist).encode()).hexdigest()[:16]
    return paths.cache / f"build-{key}.json"


def has_record(paths: Paths) -> bool:
    """Return True when a build into this output folder has been remembered (see is_up_to_date)."""
    manifest = _manifest(paths)
    return manifest is not None and manifest.is_file()


def is_up_to_date(paths: Paths, fingerprint: str) -> Optional[dict]:
    """Return the last build's record if its inputs and its output are exactly as they are now."""
    manifest = _manifest(paths)
    try:
        record = json.loads(manifest.read_text()) if manifest else None
    except (OSError, ValueError):
        return None
    if not record or record.get("inputs") != fingerprint:
        return None
    return record if record.get("output") == output_state(paths.dist) else None


def remember_build(paths: Paths, fingerprint: str, warnings: list[str], files: int,
                   expected: Optional[set[str]] = None) -> None:
    """Record a successful build (best effort: a cache that cannot be written is no error).

    With `expected`, the files the swap should have put in place: when dist/ does not hold exactly
    those, nothing is recorded, so the next build does not take a damaged dist/ as up to date.
    """
    manifest = _manifest(paths)
    if manifest is None:
        return
    try:
        state = output_state(paths.dist)
        if expected is not None and {entry[0] for entry in state} != expected:
            return
        manifest.parent.mkdir(parents=True, exist_ok=True)
        record = {"inputs": fingerprint, "output": state, "warnings": warnings, "files": files}
        temporary = manifest.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(record))
        os.replace(temporary, manifest)
    except OSError:
        pass
