"""Which files are sources, and which a build may open: one rule for the loader, the static
files, the templates, the preview's watcher and the build's fingerprint.

- A source is a file whose name is not hidden (starting '.') and not an editor's working file or
  backup (vim's swap files, Emacs's locks and auto-saves, `name~`, `.bak`...): what the build reads.
- A file may be opened only if it passes `refusal`: a FIFO would hang the build, a link to
  /dev/zero would fill the memory, a link out of the project would publish a private file.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Optional

# Editors' own working files, passed over quietly: vim swap files and its write test (4913), Emacs
# locks and auto-saves, and temporary files.
EDITOR_WORK = re.compile(r"\.sw[a-p]$|^4913$|^\.#|^#.*#$|\.te?mp$|^\.DS_Store$|^~\$")
# Copies editors and tools keep beside a file, named after it: reported by the loader, passed over.
BACKUP = re.compile(r"~$|\.(?:bak|orig|old|backup)$")


def is_source_name(name: str) -> bool:
    """Return True when a file of this name is a source: not hidden, not an editor's working file
    or backup copy."""
    return not (name.startswith(".") or EDITOR_WORK.search(name) or BACKUP.search(name))


def every_file(folder: Path) -> list[Path]:
    """Return every file under `folder`, sources or not, in a stable order (links to folders are
    not followed): what the build's fingerprint covers, since skipped files are warned about."""
    found = []
    for directory, subfolders, names in os.walk(folder):
        subfolders.sort()
        found.extend(Path(directory) / name for name in sorted(names))
    return found


def source_files(folder: Path) -> list[Path]:
    """Return the source files under `folder`, in a stable order; a hidden folder is passed over."""
    found = []
    for directory, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        found.extend(Path(directory) / name for name in sorted(names) if is_source_name(name))
    return found


def describe_os_error(exc: OSError) -> str:
    """Return an OSError's cause in words: 'no space left on the disk', 'permission denied'."""
    words = {errno.ENOSPC: "no space left on the disk", errno.EROFS: "the disk is read-only",
             errno.EACCES: "permission denied", errno.EPERM: "permission denied",
             errno.EDQUOT: "the disk quota is used up", errno.ENAMETOOLONG: "a file name is too long",
             errno.ELOOP: "a symbolic link loops back on itself"}
    return words.get(exc.errno or 0, exc.strerror or str(exc)).rstrip(".")


def refusal(path: Path, within: Path, limit: Optional[int] = None, label: str = "") -> Optional[str]:
    """Return why `path` may not be opened, or None when it may: it must be a regular file (a
    symbolic link is followed only to a regular file inside `within`), no larger than `limit`.
    `label` names the folder in messages ('content/')."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            try:
                real = Path(os.path.realpath(path, strict=True))
            except OSError:
                return "is a symbolic link that leads nowhere (a broken link, or a loop); remove it"
            if not real.is_relative_to(os.path.realpath(within)):
                return f"is a symbolic link to a file outside {label or within.name + '/'}; copy the file in instead"
            info = os.stat(real)
    except OSError as exc:
        return f"cannot be read ({describe_os_error(exc)})"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if limit is not None and info.st_size > limit:
        return f"file is {info.st_size:,} bytes; content files are limited to {limit:,} bytes"
    return None


def read_file(path: Path, within: Path, limit: Optional[int] = None, label: str = "") -> tuple[Optional[bytes], Optional[str]]:
    """Return (the file's bytes, None), or (None, why it may not be read)."""
    why = refusal(path, within, limit, label)
    if why is not None:
        return None, why
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1 if limit is not None else -1)
    except OSError as exc:
        return None, f"cannot be read ({describe_os_error(exc)})"
    if limit is not None and len(data) > limit:  # it grew since it was looked at
        return None, f"file is over {limit:,} bytes; content files are limited to {limit:,} bytes"
    return data, None
