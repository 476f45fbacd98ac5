#!/usr/bin/env bash
# Set up (or update) the project's virtual environment in .venv/ and build the site.
#   bash tools/setup.sh          the generator, then a build into dist/
#   bash tools/setup.sh --test   the generator and the test tools, no build (tests/run.sh uses this)
# A virtual environment works the same on Debian's and Ubuntu's system Python (which refuse
# `pip install` outside one), on macOS and in CI. Set PYTHON to choose the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv || {
    echo "Could not create .venv/ with $python: on Debian or Ubuntu, install it with: apt-get install python3-venv" >&2
    exit 1
  }
fi
extras="."
[ "${1:-}" = "--test" ] && extras=".[test]"
# compat mode: a path in a .pth file, where the default mode imports a finder at every start-up (9 ms)
.venv/bin/python -m pip install --quiet --disable-pip-version-check --config-settings editable_mode=compat -e "$extras"
# bytecode for our own modules, as pip compiles every package it installs (a start-up without it
# compiles them again, on machines that set PYTHONDONTWRITEBYTECODE)
.venv/bin/python -m compileall -q sitegen

if [ "${1:-}" != "--test" ]; then
  .venv/bin/python build.py
  echo "Set up. Run the generator with .venv/bin/python build.py (or '. .venv/bin/activate' first, then python3 build.py)."
fi
