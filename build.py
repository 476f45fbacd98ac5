"""Build the results microsite: `python3 build.py [check|serve]` (see --help)."""
import sys
from pathlib import Path

if __name__ == "__main__":
    try:
        from sitegen.cli import run
    except BaseException as exc:  # Ctrl-C during start-up, before anything was read or written
        if not isinstance(exc, KeyboardInterrupt) and not isinstance(exc.__cause__ or exc.__context__,
                                                                       KeyboardInterrupt):
            raise  # (Python may wrap Ctrl-C in the error of the import it interrupted)
        print("Interrupted: nothing written.", file=sys.stderr)
        sys.exit(130)
    # The project is the folder holding this file: content/, templates/, static/ and dist/.
    sys.exit(run(sys.argv[1:], root=Path(__file__).resolve().parent))
