"""Build the results microsite: `python build.py [check|serve]`."""
import sys

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
