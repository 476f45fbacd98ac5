"""The build cache (.cache/ by default; git-ignored and safe to delete), and the memory a preview
keeps between builds: the one home of speed besides the workers.

- The fingerprint: per output folder, a hash of every input of the last successful build
  (content, templates, static files, this package's source, the Python version and the installed
  libraries) and the state of the output it wrote. When both still match, nothing can have changed
  and `build` stops there, without importing the renderer.
- `Memo`: results kept by key while their inputs are the very same objects (the preview's memory
  of checked seats, computed results, rendered fragments and data records).
- `DiskCache`: compiled templates, converted Markdown and drawn share cards on disk, each under a
  name made from what it was made from and the code and library versions that made it, and each
  checked against its own checksum when read: a damaged entry is made again, never published.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, TypeVar

from sitegen.config import Paths
from sitegen.files import every_file

CACHE_FORMAT = 2
PACKAGE = Path(__file__).resolve().parent
T = TypeVar("T")


def input_fingerprint(paths: Paths) -> str:
    """Return a hash of every byte the build reads, the generator's code included.

    A file is opened only if the build itself may open it (files.py); for one it may not (a FIFO,
    a broken link, a link out of its folder, an oversized content file), the reason is hashed
    instead, so the build runs and says what is wrong.
    """
    from sitegen.config import MAX_CONTENT_BYTES
    from sitegen.files import read_file
    digest = hashlib.sha256(f"{CACHE_FORMAT} {sys.version} {installed_libraries()}".encode())
    for label, folder in (("code", PACKAGE), ("content", paths.content), ("templates", paths.templates),
                          ("static", paths.static)):
        for path in every_file(folder):
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
    return [[p.relative_to(dist).as_posix(), p.stat().st_size, p.stat().st_mtime_ns] for p in every_file(dist)]


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


_installed: list[str] = []


def installed_libraries() -> str:
    """Return the installed packages with their versions, as their metadata folders are named
    ('markdown-3.7.dist-info'): a new version of any library the build uses is a new input,
    found without importing anything."""
    if not _installed:
        for folder in sys.path:
            if folder.endswith(("site-packages", "dist-packages")) and os.path.isdir(folder):
                _installed.extend(sorted(n.lower() for n in os.listdir(folder)
                                         if n.endswith((".dist-info", ".egg-info"))))
        _installed.append("")  # looked, even if nothing was found
    return " ".join(_installed)


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(sitegen[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[\w, \t]+)"
                     r"|import[ \t]+(sitegen[\w.]*))", re.M)


def code_closure(*files: Path) -> list[Path]:
    """Return `files` and every module of this package they import, and those modules' imports in
    turn (read from their import lines, never by importing): all the code a cached thing comes from."""
    found: dict[Path, None] = {}
    todo = list(files)
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found[path] = None
        if path.suffix != ".py":
            continue
        for module, names, plain in _IMPORT.findall(path.read_text(encoding="utf-8")):
            dotted = [module or plain] + [f"{module}.{name.split()[0]}" for name in names.strip("()").split(",")
                                          if module and name.split()]
            for name in dotted:
                base = PACKAGE.parent.joinpath(*name.split("."))
                todo += [c for c in (base.with_suffix(".py"), base / "__init__.py") if c.is_file()]
    return sorted(found)


def code_version(*files: Path) -> str:
    """Return a short hash of the code that makes a cached thing and of every installed library's
    version: part of every cached item's name, so that a change to the code (the files given, say
    a font, and every module of this package they import, found by code_closure) or to any library
    makes it anew, with no version constant to remember to bump."""
    digest = hashlib.sha256(f"{CACHE_FORMAT} {sys.version} {installed_libraries()}".encode())
    for path in code_closure(*files):
        digest.update(f"\0{path.relative_to(PACKAGE.parent).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Memo:
    """Values kept by key, reused while they were made from the very same input objects (or equal
    plain values: text, numbers, tuples of them). What the preview remembers between saves."""

    def __init__(self) -> None:
        self._entries: dict[Any, tuple[tuple, Any]] = {}

    def get(self, key: Any, inputs: tuple, make: Callable[[], T]) -> T:
        """Return what `make` gave for `key` last time if `inputs` are the same, else make it now."""
        found = self._entries.get(key)
        if found is not None and len(found[0]) == len(inputs) and all(
                a is b or (type(a) in _PLAIN and type(a) is type(b) and a == b) for a, b in zip(found[0], inputs)):
            return found[1]
        value = make()
        self._entries[key] = (inputs, value)
        return value

    def peek(self, key: Any) -> Optional[tuple[tuple, Any]]:
        """Return (inputs, value) remembered for `key`, or None."""
        return self._entries.get(key)

    def keep(self, keys: set) -> None:
        """Forget every key not in `keys` (seats removed, say)."""
        for key in [k for k in self._entries if k not in keys]:
            del self._entries[key]


_PLAIN = (str, int, float, bool, tuple, bytes, type(None))
_MAGIC = b"sitegen-cache-2\n"
_damaged: list[Path] = []  # items of any DiskCache in this process found damaged (see take_damaged)


def take_damaged() -> list[Path]:
    """Return the cached items found damaged in this process since the last call, and forget them
    (a worker sends its list back with its work; gather turns them into warnings)."""
    found = list(_damaged)
    _damaged.clear()
    return found


def note_damaged(found: Iterable[Path]) -> None:
    """Add items another process found damaged (see take_damaged)."""
    _damaged.extend(found)


def _seal(name: str, data: bytes) -> bytes:
    """Return the checksum stored with an item: of its bytes and its name, so that an item copied
    under another item's name (or another code version's) fails the check like a damaged one."""
    return hashlib.sha256(name.encode() + b"\0" + data).digest()


class DiskCache:
    """Items on disk under one folder, named by a key and the code version, each stored with its
    SHA-256 and checked against it when read. Reading never fails: a missing or damaged item is
    None (a damaged one is deleted and noted for take_damaged), and writing is best effort."""

    def __init__(self, folder: Optional[Path], version: str, suffix: str = ""):
        self.folder, self.version, self.suffix = folder, version, suffix
        self._made = False

    def name(self, key: str) -> str:
        """Return the file name an item is stored under."""
        return hashlib.sha256(f"{self.version}\0{key}".encode()).hexdigest() + self.suffix

    def _path(self, key: str) -> Optional[Path]:
        return None if self.folder is None else self.folder / self.name(key)

    def get(self, key: str) -> Optional[bytes]:
        """Return the item stored under `key`, or None when there is none or it is damaged."""
        path = self._path(key)
        if path is None:
            return None
        try:
            stored = path.read_bytes()
        except OSError:
            return None
        head = len(_MAGIC) + 32
        if stored[:len(_MAGIC)] == _MAGIC and len(stored) >= head and \
                _seal(path.name, stored[head:]) == stored[len(_MAGIC):head]:
            return stored[head:]
        _damaged.append(path)
        try:
            path.unlink()
        except OSError:
            pass
        return None

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key`, whole (written beside, then renamed), or not at all."""
        path = self._path(key)
        if path is None:
            return
        try:
            if not self._made:
                self.folder.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
                self._made = True
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with open(temporary, "wb") as handle:
                handle.write(_MAGIC + _seal(path.name, data) + data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except OSError:
            pass

    def prune(self, keys: Iterable[str]) -> int:
        """Delete every item but those of `keys` (what the last build used; items workers wrote
        are known by their keys); return how many were deleted."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        kept = {self.name(key) for key in keys}
        removed = 0
        for entry in os.scandir(self.folder):
            # (a name starting '.' is an item another process is writing: see put)
            if entry.name not in kept and not entry.name.startswith(".") and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
        return removed
