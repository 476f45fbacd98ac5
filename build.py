"""Build the results microsite: `python3 build.py [check|serve]` (see --help)."""
import sys
from pathlib import Path

from sitegen.cli import run

if __name__ == "__main__":
    # The project is the folder holding this file: content/, templates/, static/ and dist/.
    sys.exit(run(sys.argv[1:], root=Path(__file__).resolve().parent))
