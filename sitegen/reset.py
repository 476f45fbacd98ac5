"""`reset --awaited`: every seat back to awaited, keeping its candidates, for a rehearsal or a new
night. Writes only seat files that hold a result; refuses the site's own content without --yes."""
from __future__ import annotations

from pathlib import Path
from typing import TextIO

from sitegen.cli import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, report
from sitegen.config import Paths
from sitegen.errors import ContentErrors
from sitegen.output import replace_file
from sitegen.preview.rehearse import RESULT_FIELDS, awaited_text
from sitegen.published import in_repository


def reset_awaited(paths: Paths, *, yes: bool, out: TextIO, err: TextIO) -> int:
    """Take every declared or recounting seat back to awaited; return the exit code."""
    from sitegen.content.checks import validate
    from sitegen.content.read import load_content
    shown = paths.display(paths.content)
    if not yes and in_repository(paths.content):
        print(f"python3 build.py: error: reset --awaited takes every result out of {shown}/, which git "
              "tracks (your site's own content); run it on a copy (rehearse makes one for you), or add "
              "--yes to go ahead: git keeps what it removes", file=err)
        return EXIT_USAGE
    try:
        content = validate(load_content(paths))
    except ContentErrors as exc:
        report(exc.errors, err)
        print(exc.summary().replace("nothing written.", "nothing reset."), file=err)
        return EXIT_CONTENT
    changed = 0
    for seat in content.constituencies:
        has_result = seat.is_declared() or any(getattr(seat.facts, name) not in (None, [])
                                                 for name in ("status", "recount_note"))
        if not has_result:
            continue
        path = paths.root / seat.path if not Path(seat.path).is_absolute() else Path(seat.path)
        text = path.read_text(encoding="utf-8")
        header = "".join(line for line in text.splitlines(keepends=True)[:2] if line.startswith("# yaml-language"))
        awaited = awaited_text(text).replace("# A rehearsal's copy: the result is not declared yet.",
                                             "# Reset to awaited (build.py reset --awaited): no result yet.", 1)
        replace_file(path, (header + awaited).encode("utf-8"))
        print(f"{seat.path}: awaited ({len(seat.facts.candidates)} candidates kept)", file=out)
        changed += 1
    left = ", ".join(RESULT_FIELDS[:4])
    print(f"Reset {changed} of {len(content.constituencies)} seats to awaited: votes, {left} and the rest of "
          "each result taken out; candidates kept." if changed else
          f"Every one of the {len(content.constituencies)} seats is already awaited; nothing changed.", file=out)
    return EXIT_OK
