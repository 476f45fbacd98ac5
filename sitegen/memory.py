"""The garbage collector's settings: the only module that touches `gc`.

A build makes hundreds of thousands of long-lived objects and few reference cycles, so collecting
while it runs costs more than the memory it gives back. Three situations:
- a one-shot build or check: no collection until it ends (`paused`);
- forked workers: the parent's objects are frozen out of the collector's reach before forking, so
  a worker's collector never writes to (and so copies) the parent's memory (`forking`, `in_worker`);
- the preview: what a full build keeps alive lives until the next full build, so it is frozen once
  and not walked again every few saves (`settle`);
- the end of the `build.py` process, which need not tidy up what the system frees (`exiting`).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

_settled = False  # the preview has frozen its long-lived objects


@contextmanager
def paused() -> Iterator[None]:
    """Run the body without garbage collection (it is turned back on after, if it was on)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def forking() -> Iterator[None]:
    """Fork worker processes in the body with every object frozen out of the collector's reach.

    Thawed again afterwards unless the preview froze them for its own reasons (see `settle`).
    """
    gc.freeze()
    try:
        yield
    finally:
        if not _settled:
            gc.unfreeze()


def in_worker() -> None:
    """Set up a forked worker: it lives for one piece of work and collects nothing."""
    gc.disable()


def settle() -> None:
    """After the preview's full rebuild: collect what the previous one left, then freeze the rest."""
    global _settled
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _settled = True


def exiting() -> None:
    """The process is about to end: keep the collector from walking every object on the way out
    (finalising a build's objects took a tenth of a small build's time); the system frees them."""
    gc.disable()
    gc.freeze()
