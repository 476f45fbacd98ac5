"""Static files with a content hash in their published names."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sitegen.config import ASSET_HASH_LENGTH
from sitegen.errors import ContentError, ContentErrors
from sitegen.files import read_file, source_files


@dataclass(frozen=True)
class Asset:
    """A static file and the fingerprinted path it is published under."""

    name: str       # as templates ask for it, e.g. "style.css"
    output: str     # where it is written in dist/, e.g. "assets/style.1a2b3c4d5e.css"
    data: bytes


def fingerprint(name: str, data: bytes) -> str:
    """Return the published path of `name`: its content hash goes before the extension."""
    digest = hashlib.sha256(data).hexdigest()[:ASSET_HASH_LENGTH]
    stem, dot, ext = name.rpartition(".")
    return f"assets/{stem}.{digest}.{ext}" if dot and stem else f"assets/{name}.{digest}"


# a quoted string (kept whole, whatever it holds), or a comment
_CSS_COMMENT = re.compile(rb"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')|/\*.*?\*/\n?", re.S)
_JS_LINE_COMMENT = re.compile(rb"^[ \t]*//[^\n]*\n", re.M)


def without_comments(name: str, data: bytes) -> bytes:
    """Return a stylesheet without its /* comments */, or a script without its whole-line //
    comments: they are for whoever edits static/, and every reader would download them (about
    2 KB of the overview's 60 KB budget). Nothing else changes, so nothing can break."""
    if name.endswith(".css"):
        return _CSS_COMMENT.sub(lambda m: m.group(1) or b"", data)
    if name.endswith(".js"):
        return _JS_LINE_COMMENT.sub(b"", data)
    return data


def collect_assets(static: Path, shown: Callable[[Path], str] = str) -> dict[str, Asset]:
    """Return every file under static/, by name, in a stable order; raise ContentErrors for any that
    may not be read (files.py: links leading out of static/, anything but regular files). Hidden
    files and editors' leftovers (names starting '.' or ending '~') are not published."""
    assets, errors = {}, []
    for path in source_files(static) if static.is_dir() else []:
        data, why = read_file(path, static, label="static/")
        if data is None:
            errors.append(ContentError(shown(path), 0, 0, why or "cannot be read"))
            continue
        name = path.relative_to(static).as_posix()
        data = without_comments(name, data)
        assets[name] = Asset(name, fingerprint(name, data), data)
    if errors:
        raise ContentErrors(errors)
    return assets
