"""What was published: a declared result's figures as a git revision of content/ had them, so that
`check --published REV` refuses a published figure changed without a correction entry."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Optional

import yaml

from sitegen.content.checks import CORRECTABLE, figures_of, result_figures
from sitegen.content.model import Constituency, Content
from sitegen.errors import ContentError


class NoRevision(Exception):
    """The revision named is not a commit of the repository holding content/."""


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, encoding="utf-8",
                          errors="replace", check=False)


def published_seats(content: Path, revision: str) -> dict[str, dict]:
    """Return each seat file of content/constituencies as `revision` had it (slug: its data), or
    {} when the repository has no commits yet; raise NoRevision for a name git does not know."""
    if _git(content, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode != 0 and revision == "HEAD":
        return {}  # the first commit: nothing has been published
    found = _git(content, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if found.returncode != 0:
        raise NoRevision(revision)
    listed = _git(content, "ls-tree", "--name-only", revision, "--", "constituencies/")
    seats: dict[str, dict] = {}
    for name in listed.stdout.splitlines():
        if not name.endswith(".yml"):
            continue
        shown = _git(content, "show", f"{revision}:./constituencies/{Path(name).name}")
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


def _line_of(path: Path, key: str) -> int:
    """Return the line of the file that gives figure `key` (a candidate's line, or the field's)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    name = key.rsplit(" (", 1)[0]
    for i, line in enumerate(lines, 1):
        if key in CORRECTABLE and line.startswith(f"{key}:") or key not in CORRECTABLE and any(
                f"name: {quoted}," in line for quoted in (name, f'"{name}"', f"'{name}'")):
            return i
    return 0


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
    path = root / seat.path if not Path(seat.path).is_absolute() else Path(seat.path)
    if len(facts.corrections) < len(old_entries):
        return [ContentError(seat.path, _line_of(path, "corrections") or 1, 0,
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
            seat.path, _line_of(path, key), 0,
            f"{what}: published as {'none' if was is None else f'{was:,}'} ({revision}), {shown} now; a published "
            f"figure changes only with a correction entry, which readers see: add under corrections: - {example}"))
    return errors
