"""`build.py` with the share images left undrawn: each card is a fixed 1-pixel PNG instead.

For bench/run.py --images only: the same build, minus drawing and encoding the cards, so that the
cost of the images shows as the difference. Never used to publish (the pages would point to
1-pixel images).
"""
from __future__ import annotations

import base64
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.site import cards  # noqa: E402
from sitegen.cli import run  # noqa: E402

PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAWk1v8QAAAABJRU5ErkJggg==")
cards.Cards.seat = lambda self, data: PIXEL  # type: ignore[method-assign]
cards.Cards.overview = lambda self, data: PIXEL  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.exit(run(sys.argv[1:], root=ROOT))
