"""The preview's rebuild: gather with the last build's state, then sync dist/ in place."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from sitegen import workers
from sitegen.config import Paths
from sitegen.engine import State, gather
from sitegen.errors import ContentError, ContentErrors
from sitegen.files import describe_os_error
from sitegen.output import output_folder, shown_folder, sync_site
from sitegen.workers import Executor


@dataclass(frozen=True)
class Rebuilt:
    """What one preview rebuild did."""

    outputs: frozenset[str]  # the outputs rendered again
    written: int             # files whose bytes changed on disk
    milliseconds: float
    full: bool
    held: tuple[ContentError, ...] = ()   # problems in seats left as they last built (see gather)
    warnings: tuple[ContentError, ...] = ()

    @property
    def rendered(self) -> int:
        """Return how many outputs were rendered again."""
        return len(self.outputs)


class Rebuilder:
    """The preview's builder: gathers with the last build's state and syncs dist/ in place."""

    def __init__(self, paths: Paths, executor: Optional[Executor] = None):
        self.paths = paths
        self.folder = output_folder(paths)  # raises OutputRefused for a folder it may not write
        self.state = State(paths, partial=True)
        self.executor = executor or Executor()
        self._published: Optional[set[str]] = None  # the outputs in dist/ after the last rebuild

    def rebuild(self, changed: Optional[set[Path]] = None) -> Rebuilt:
        """Bring dist/ up to date; raise ContentErrors (leaving dist/ as it was) when content is wrong.

        `changed`, when a watcher knows it, lists the only source files that may have changed.
        """
        started = time.perf_counter()
        site = gather(self.paths, self.state, changed=changed, executor=self.executor)
        fresh = {name: site.files[name] for name in site.rendered}
        outputs = set(site.files)
        # an output no longer routed (a seat removed) is deleted; looking costs a walk of dist/
        try:
            written = sync_site(fresh, self.folder, keep=outputs if outputs != self._published else None)
        except OSError as exc:
            self.state.last = None  # what is on disk is unknown: write everything next time
            raise ContentErrors([ContentError(shown_folder(self.paths), 0, 0, "could not write the "
                                              f"preview ({describe_os_error(exc)})")]) from None
        self._published = outputs
        if site.full:
            # What a full build keeps (the last build, the memos) lives until the next full build;
            # at 650 seats a walk of it by the collector took 80 ms of a one-seat rebuild.
            workers.settle()
        return Rebuilt(site.rendered, written, (time.perf_counter() - started) * 1000, site.full,
                       site.held, tuple(site.warnings))
