"""The only module that touches dist/: write a complete new site beside it, then swap it in.

It also decides whether a folder may be written at all: never the content, templates, static
files or the project, never a non-empty folder this generator did not make (every output folder
it makes holds MARKER), and only one build at a time (OutputLock).

shutil is imported where a folder is removed, not here: a build that finds nothing to do imports
this module and need not pay for it.
"""
from __future__ import annotations

import os
import time
from pathlib import Path, PurePosixPath
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Optional, Union

from sitegen.workers import Threads
from sitegen.files import describe_os_error

if TYPE_CHECKING:
    from sitegen.config import Paths

TEMP_PREFIX = ".dist-"
published = False  # this process has swapped a new site in (see cli.run: Ctrl-C after that is moot)
interrupt_asked = False  # Ctrl-C came (cli.run sets it), even if Python swallowed the interrupt it raised
MARKER = ".sitegen-output"  # written into every output folder; says the folder may be replaced
MARKER_TEXT = "This folder was written by the site generator (build.py), which replaces it whole.\n"
LOCK_WAIT_SECONDS = 10.0
WRITE_THREADS = 4
WRITE_BATCH = 32  # files handed to a writer thread at a time


def check_output_path(name: str) -> PurePosixPath:
    """Return `name` as a safe relative path inside dist/, or raise ValueError."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or ".." in path.parts or "\\" in name:
        raise ValueError(f"refusing to write outside dist/: {name!r}")
    return path


class OutputRefused(Exception):
    """The output folder may not be written; the message says why, in one line."""


class DiskProblem(Exception):
    """Writing the output failed for a reason outside the content (a full or read-only disk, a
    permission); the message names the folder and the cause, and the published site is intact."""


def shown_folder(paths: Paths) -> str:
    """Return the output folder as messages name it: 'dist/', './', '/srv/site/'."""
    shown = paths.display(paths.dist)
    if os.path.abspath(paths.dist) == str(paths.root):
        shown = "."
    return shown.rstrip("/") + "/"


def output_folder(paths: Paths) -> Path:
    """Return the folder to write the site into: `paths.dist`, or the folder it links to when it is
    a symbolic link (which is then replaced in its place, so the link keeps working). Raise
    OutputRefused when the folder is or holds the project's sources, or is not the generator's."""
    shown = shown_folder(paths)
    real = Path(os.path.realpath(paths.dist))
    for what, folder in (("the project folder", paths.root), ("the content folder", paths.content),
                         ("the templates folder", paths.templates), ("the static files folder", paths.static)):
        source = Path(os.path.realpath(folder))
        if real == source or source.is_relative_to(real):
            holds = "is" if real == source else "holds"
            raise OutputRefused(f"{shown} {holds} {what}, which a build would replace; "
                                "build into a folder of its own (the default is dist/)")
        if real.is_relative_to(source) and folder != paths.root:
            raise OutputRefused(f"{shown} is inside {what}; build into a folder of its own "
                                "(the default is dist/)")
    if real.exists() or real.is_symlink():
        if not real.is_dir():
            raise OutputRefused(f"{shown.rstrip('/')} is a file, not a folder; choose a folder for the site")
        try:
            foreign = not (real / MARKER).is_file() and any(real.iterdir())
        except OSError as exc:
            raise OutputRefused(f"{shown} cannot be read ({describe_os_error(exc)})") from None
        if foreign:
            raise OutputRefused(f"{shown} holds files this generator did not write (it has no "
                                f"{MARKER} file); empty it, or build into another folder with --output")
    return real


class OutputLock:
    """One build (or preview) at a time per output folder: an exclusive lock on a file beside it,
    which holds the process id and the command of whoever has it. Released when the process ends,
    however it ends."""

    def __init__(self, folder: Path, shown: str, wait: Optional[float] = None):
        self.path = folder.parent / f"{TEMP_PREFIX}{folder.name}.lock"
        self.shown, self.wait = shown, LOCK_WAIT_SECONDS if wait is None else wait
        self._file: Optional[int] = None

    def __enter__(self) -> "OutputLock":
        deadline = time.monotonic() + self.wait
        while True:
            with ignoring_interrupts():  # a lock file is made and held whole, or not at all
                holder = self._try()
            if holder is None:
                return self
            if time.monotonic() >= deadline:
                raise OutputRefused(f"{self.shown} is being written by {holder}; wait for it to "
                                    "finish, or build into another folder with --output")
            time.sleep(0.05)

    def _try(self) -> Optional[str]:
        """Take the lock if it is free (return None), else return who holds it."""
        import fcntl
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DiskProblem(f"{self.shown}: cannot create the lock file beside it "
                              f"({describe_os_error(exc)}); the published site is unchanged") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 400, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(handle)
            return holder
        try:  # the holder before us may have removed the file as we opened it: lock the new one
            same = os.fstat(handle).st_ino == os.stat(self.path).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(handle)
            return "another process"  # look again at once
        self._file = handle
        try:  # who holds it, for the message another build prints; a full disk only loses that
            os.ftruncate(handle, 0)
            os.pwrite(handle, f"process {os.getpid()} ({_command()}, since {time.strftime('%H:%M:%S')})".encode(), 0)
        except OSError:
            pass
        return None

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            with ignoring_interrupts():
                try:
                    os.unlink(self.path)  # while still locked, so nobody else holds a removed file
                except OSError:
                    pass
                os.close(self._file)
                self._file = None


def _command() -> str:
    """Return how this process was started, shortly: 'build.py serve'."""
    import sys
    words = [os.path.basename(sys.argv[0])] + sys.argv[1:2] if sys.argv and sys.argv[0] else ["python"]
    return " ".join(words)


@contextmanager
def ignoring_interrupts() -> Iterator[None]:
    """Let Ctrl-C pass unheeded for the body: once the new site starts going in, stopping halfway
    would be worse than finishing (and a build told 'nothing written' must not have written)."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _owner_is_gone(folder: Path) -> bool:
    """Return True when the process that made a staging folder (its name ends in its id) has ended."""
    pid = folder.name.rpartition("-")[2]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, owned by someone else
        return False
    return False


def remove_stale_temporaries(dist: Path) -> None:
    """Tidy up after a build that was interrupted: restore dist/ if it was left mid-swap, and delete
    the staging folders of builds that have ended. Another build's folders, still in use, stay."""
    import shutil
    parent = dist.parent
    if not parent.is_dir():
        return
    if not dist.exists():
        previous = sorted(p for p in parent.glob(f"{TEMP_PREFIX}{dist.name}-old-*") if _owner_is_gone(p))
        if previous:
            os.rename(previous[0], dist)
    for leftover in parent.glob(f"{TEMP_PREFIX}{dist.name}-*"):
        if _owner_is_gone(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


class Staging:
    """A new dist/ being written beside the old one, named for this process: commit() swaps it in,
    discard() removes it.

    A file whose bytes equal the same file in the old dist/ is hard-linked from there instead of
    written again (the old folder is about to be replaced, and links keep its data alive).
    """

    def __init__(self, dist: Path):
        import shutil
        remove_stale_temporaries(dist)
        self.dist = dist
        self.folder = dist.parent / f"{TEMP_PREFIX}{dist.name}-new-{os.getpid()}"
        self.previous = dist if dist.is_dir() and not dist.is_symlink() else None
        self._threads = Threads(WRITE_THREADS)
        self._queued: set[str] = set()
        with ignoring_interrupts():  # made whole, or not at all: no caller could remove half of it
            shutil.rmtree(self.folder, ignore_errors=True)  # this process's own, from an earlier try
            self.folder.mkdir(parents=True)
            try:
                (self.folder / MARKER).write_text(MARKER_TEXT)
            except BaseException:
                shutil.rmtree(self.folder, ignore_errors=True)
                raise

    def write_soon(self, files: Mapping[str, Union[str, bytes]]) -> None:
        """Start writing `files` on the writer threads and return at once (see write())."""
        names = sorted(name for name in files if name not in self._queued)
        self._queued.update(names)
        for i in range(0, len(names), WRITE_BATCH):
            batch = names[i:i + WRITE_BATCH]  # the batch's own bodies: the caller may let go of its mapping
            self._threads.submit(self._write_names, {name: files[name] for name in batch}, batch)

    def write(self, files: Mapping[str, Union[str, bytes]]) -> int:
        """Write every file of `files` not already started with write_soon(), wait for all of them,
        and return how many were written rather than linked from the old dist/.

        Files are written on a few threads, which overlap the waits on the disk (one thread took
        about twice as long for 650 pages here).
        """
        self.write_soon(files)
        return sum(self._threads.wait())

    def _write_names(self, files: Mapping[str, Union[str, bytes]], names: list[str]) -> int:
        written = 0
        for name in names:
            target = self.folder.joinpath(*check_output_path(name).parts)
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True, exist_ok=True)
            data = files[name]
            data = data.encode("utf-8") if isinstance(data, str) else data
            if self.previous is not None and _link_if_unchanged(self.previous / name, target, data):
                continue
            target.write_bytes(data)
            written += 1
        return written

    def commit(self) -> None:
        """Put the new folder in place of dist/; the old one is deleted. Ctrl-C cannot part the two
        renames, and if the second fails the old folder is put back."""
        import shutil
        old = self.dist.parent / f"{TEMP_PREFIX}{self.dist.name}-old-{os.getpid()}"
        with ignoring_interrupts():
            moved = False
            if self.dist.exists():
                os.rename(self.dist, old)
                moved = True
            try:
                os.rename(self.folder, self.dist)
            except OSError:
                if moved:
                    os.rename(old, self.dist)
                raise
            global published
            published = True
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Delete the new folder, leaving dist/ as it was (a second Ctrl-C cannot stop it halfway)."""
        import shutil
        with ignoring_interrupts():
            self._threads.cancel()
            shutil.rmtree(self.folder, ignore_errors=True)


def _link_if_unchanged(old: Path, target: Path, data: bytes) -> bool:
    try:
        if old.is_file() and not old.is_symlink() and old.stat().st_size == len(data) and old.read_bytes() == data:
            os.link(old, target)
            return True
    except OSError:  # no hard links on this file system: write instead
        pass
    return False


def write_site(files: Mapping[str, Union[str, bytes]], dist: Path, shown: Optional[str] = None,
               then: Callable[[], None] = lambda: None) -> int:
    """Replace dist/ with exactly `files`: written into a folder beside it, then swapped in; a
    failure at any point leaves the old dist/ as it was. `then` runs straight after the swap, where
    Ctrl-C is not heeded (the build records itself there). Returns how many files had new bytes
    (the rest were linked from the old dist/). Raises DiskProblem, naming the folder as `shown`,
    when the disk refuses."""
    shown = shown or f"{dist.name}/"
    try:
        staging = Staging(dist)
    except OSError as exc:
        raise DiskProblem(f"{shown}: cannot write a new site beside it ({describe_os_error(exc)}); "
                          "the published site is unchanged") from None
    try:
        written = staging.write(files)
        with ignoring_interrupts():  # from the swap on, the build finishes
            if interrupt_asked:  # a Ctrl-C Python swallowed (one landing in a fork hook is printed, not raised)
                raise KeyboardInterrupt
            staging.commit()
            then()
    except OSError as exc:
        staging.discard()
        raise DiskProblem(f"{shown}: could not write the new site ({describe_os_error(exc)}); "
                          "the published site is unchanged") from None
    except BaseException:
        staging.discard()
        raise
    return written


def replace_file(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file, so a reader never sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def sync_site(files: Mapping[str, Union[str, bytes]], dist: Path, keep: Optional[set[str]] = None) -> int:
    """Update dist/ in place: write each file whose bytes changed; with `keep`, delete files not in it.

    Used by the preview server, which must never serve a missing page mid-build. Never writes
    through a symbolic link inside dist/: a link where a folder or file belongs is replaced by the
    real thing. Returns how many files were written.
    """
    written = 0
    dist.mkdir(parents=True, exist_ok=True)
    if not (dist / MARKER).is_file():
        (dist / MARKER).write_text(MARKER_TEXT)
    checked: set[Path] = {dist}
    for name in sorted(files):
        target = dist.joinpath(*check_output_path(name).parts)
        _real_folders(dist, target.parent, checked)
        data = files[name]
        data = data.encode("utf-8") if isinstance(data, str) else data
        if target.is_symlink() or not target.is_file() or target.read_bytes() != data:
            replace_file(target, data)
            written += 1
    if keep is not None:
        keep = keep | {MARKER}
        for path in sorted(dist.rglob("*"), reverse=True):
            name = path.relative_to(dist).as_posix()
            if path.is_symlink() or path.is_file():
                if name not in keep:
                    path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written


def _real_folders(dist: Path, folder: Path, checked: set[Path]) -> None:
    """Make `folder` and each folder between it and dist/ a real folder, not a symbolic link."""
    if folder in checked:
        return
    _real_folders(dist, folder.parent, checked)
    if folder.is_symlink():
        folder.unlink()
    folder.mkdir(exist_ok=True)
    checked.add(folder)
