"""Build the results microsite: `python3 build.py [check|serve]` (see --help)."""
import sys

if __name__ == "__main__":
    try:
        from pathlib import Path

        from sitegen.cli import run
    except BaseException as exc:  # Ctrl-C during start-up, before anything was read or written
        cause = exc  # (Python may wrap Ctrl-C in the error of the import it interrupted)
        while cause is not None and not isinstance(cause, KeyboardInterrupt):
            cause = cause.__cause__ or cause.__context__
        if cause is None:
            raise
        print("Interrupted: nothing written.", file=sys.stderr)
        sys.exit(130)
    # The project is the folder holding this file: content/, templates/, static/ and dist/.
    sys.exit(run(sys.argv[1:], root=Path(__file__).resolve().parent))
