"""Static files with a content hash in their published names."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .config import ASSET_HASH_LENGTH


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


def collect_assets(static: Path) -> dict[str, Asset]:
    """Return every file under static/, by name, in a stable order."""
    assets = {}
    files = sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []
    for path in files:
        name = path.relative_to(static).as_posix()
        data = path.read_bytes()
        assets[name] = Asset(name, fingerprint(name, data), data)
    return assets
