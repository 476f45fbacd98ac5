"""The one place for paths and site-wide constants."""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple, Optional

# A constituency's slug, which is also its file name and its URL folder.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Folders the site writes for itself: a seat (or a seat's old address) cannot be one of them.
RESERVED_SLUGS = {"assets": "the site's stylesheets and scripts", "embed": "the area's embeddable card",
                  "corrections": "the page listing every correction",
                  "find": "the page and index for finding a constituency", "maps": "the map views"}
# Content files larger than this are refused (a results file is a few KB).
MAX_CONTENT_BYTES = 1_000_000
MAX_SECONDS = 3600  # rehearse --every and --poll: an hour between steps is no rehearsal
MAX_BLURB_CHARACTERS = 100_000  # about 15,000 words: far beyond a blurb, and quick to convert
# UK parliamentary deposit rule: returned at 5% or more of the valid votes.
DEPOSIT_THRESHOLD_PCT = 5
ASSET_HASH_LENGTH = 10


def ordinal(value: int) -> str:
    """Return 1 as '1st', 2 as '2nd', 11 as '11th', 23 as '23rd' (pages and messages alike)."""
    suffix = "th" if value % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def slugify(name: str) -> str:
    """Return the slug for a name, always one SLUG_RE accepts (or '' when nothing is left):
    accents dropped, other characters turned into '-', 'Café Seat' -> 'cafe-seat'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())


# A named tuple rather than a dataclass: this module is on the path of a build that finds nothing
# to do, where importing `dataclasses` (and `inspect` with it) would take a fifth of the time.
class Paths(NamedTuple):
    """Where content is read from and where the site is written."""

    root: Path
    content: Path
    templates: Path
    static: Path
    dist: Path
    cache: Optional[Path] = None  # build cache; None: no cache

    @classmethod
    def from_root(cls, root: Path, content: Path | None = None, dist: Path | None = None,
                  cache: Path | None = None) -> "Paths":
        """Return the standard layout under `root`; `content`, `dist` and `cache` may be moved."""
        root = Path(root).resolve()
        return cls(
            root=root,
            content=Path(content).resolve() if content else root / "content",
            templates=root / "templates",
            static=root / "static",
            dist=Path(dist).resolve() if dist else root / "dist",
            cache=Path(cache).resolve() if cache else root / ".cache",
        )

    def display(self, path: Path) -> str:
        """Return `path` relative to the project root when it is inside it, for messages."""
        absolute = os.path.abspath(path)
        root = str(self.root)
        if absolute.startswith(root + os.sep):
            return absolute[len(root) + 1:].replace(os.sep, "/")
        return Path(path).as_posix()
