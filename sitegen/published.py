"""What was published: a declared result's figures as a git revision of content/ had them, so that
`check --published REV` refuses a published figure changed without a correction entry."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from sitegen.content.checks import CORRECTABLE, figures_of, result_figures
from sitegen.content.model import Constituency, Content
from sitegen.content.read import parse_yaml
from sitegen.errors import ContentError


def in_repository(folder: Path) -> bool:
    """Return True when git tracks `folder` (the content is a site's own, not a scratch copy)."""
    found = git(folder, "rev-parse", "--is-inside-work-tree")
    return found.returncode == 0 and found.stdout.strip() == "true"


class NoRevision(Exception):
    """The revision named is not a commit of the repository holding content/."""


def git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Run git in `folder` (the content's), never raising for its exit code."""
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, encoding="utf-8",
                          errors="replace", check=False)


def published_seats(content: Path, revision: str) -> dict[str, dict]:
    """Return each seat file of content/constituencies as `revision` had it (slug: its data), or
    {} when the repository has no commits yet; raise NoRevision for a name git does not know."""
    if git(content, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode != 0 and revision == "HEAD":
        return {}  # the first commit: nothing has been published
    found = git(content, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if found.returncode != 0:
        raise NoRevision(revision)
    listed = git(content, "ls-tree", "--name-only", revision, "--", "constituencies/")
    seats: dict[str, dict] = {}
    for name in listed.stdout.splitlines():
        if not name.endswith(".yml"):
            continue
        shown = git(content, "show", f"{revision}:./constituencies/{Path(name).name}")
        try:
            data = yaml.safe_load(shown.stdout) if shown.returncode == 0 else None
        except yaml.YAMLError:
            continue  # it did not build then, so it was not published
        if isinstance(data, dict):
            seats[Path(name).stem] = data
    return seats


def _raw_figures(data: dict) -> Optional[dict[str, int]]:
    """Return the figures a seat file's data gave, or None when it held no declared result."""
    candidates = data.get("candidates")
    if not isinstance(candidates, list) or not candidates or not all(
            isinstance(c, dict) and isinstance(c.get("votes"), int) for c in candidates):
        return None
    return result_figures([(str(c.get("name")), str(c.get("party")), c["votes"]) for c in candidates],
                          {k: data.get(k) for k in CORRECTABLE if isinstance(data.get(k), int)})


def _lines_of(seat: Constituency, path: Path) -> Callable[[str], int]:
    """Return a function giving the line of the seat's file that holds a figure (a candidate's
    votes, or a field), found through the file's YAML marks as every other message is, so that
    block-style candidates are found too; 0 when the file cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return lambda key: 0
    file, _ = parse_yaml(text, seat.path)
    if file is None:
        return lambda key: 0
    names = list(result_figures([(c.name, c.party, 0) for c in seat.facts.candidates], {}))

    def line(key: str) -> int:
        loc = ("candidates", names.index(key), "votes") if key in names else (key,)
        return file.marks.find(loc)[0]
    return line


def unrecorded_changes(content: Content, published: dict[str, dict], revision: str, root: Path
                       ) -> list[ContentError]:
    """Return an error for each figure of a published declared result that differs now without a
    correction entry giving what it was, and for a published correction taken out."""
    errors: list[ContentError] = []
    for seat in content.constituencies:
        data = published.get(seat.slug) or next((published[s] for s in seat.facts.old_slugs if s in published), None)
        if data is None:
            continue
        before = _raw_figures(data)
        if before is None or not seat.is_declared():
            continue
        errors += _seat_changes(seat, data, before, revision, root)
    return errors


def _seat_changes(seat: Constituency, data: dict, before: dict[str, int], revision: str, root: Path
                  ) -> list[ContentError]:
    facts = seat.facts
    now = figures_of(facts)
    old_entries = data.get("corrections") if isinstance(data.get("corrections"), list) else []
    line_of = _lines_of(seat, root / seat.path if not Path(seat.path).is_absolute() else Path(seat.path))
    if len(facts.corrections) < len(old_entries):
        return [ContentError(seat.path, line_of("corrections") or 1, 0,
                             f"corrections: {len(old_entries)} were published ({revision}) and {len(facts.corrections)} "
                             "are here; a published correction stays on the page: put it back")]
    new = facts.corrections[len(old_entries):]
    errors = []
    for key in sorted(set(before) | set(now), key=lambda k: (k in CORRECTABLE, k)):
        was, is_now = before.get(key), now.get(key)
        if was == is_now or any(c.was.get(key, -1) == (was or 0) for c in new):
            continue
        what = f"{key}'s votes" if key not in CORRECTABLE else key
        shown = "none" if is_now is None else f"{is_now:,}"
        example = f"{{at: <when, like 2024-07-05T04:10:00+01:00>, was: {{{key}: {was}}}, why: <for readers>}}"
        errors.append(ContentError(
            seat.path, line_of(key), 0,
            f"{what}: published as {'none' if was is None else f'{was:,}'} ({revision}), {shown} now; a published "
            f"figure changes only with a correction entry, which readers see: add under corrections: - {example}"))
    return errors
