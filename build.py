"""Build the results microsite: `python3 build.py [check|serve]` (see --help)."""
import sys
from pathlib import Path

if __name__ == "__main__":
    try:
        from sitegen.cli import run
        # The project is the folder holding this file: content/, templates/, static/ and dist/.
        code = run(sys.argv[1:], root=Path(__file__).resolve().parent)
    except KeyboardInterrupt:  # Ctrl-C before the build began (during start-up): nothing written
        print("Interrupted: nothing written.", file=sys.stderr)
        code = 130
    sys.exit(code)
