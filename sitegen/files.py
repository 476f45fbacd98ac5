"""Which files a build may open: one rule for the loader, the static files, the templates and the
build's fingerprint, so that nothing is opened before it passes (a FIFO would hang the build, a
link to /dev/zero would fill the memory, a link out of the project would publish a private file).
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Optional


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
