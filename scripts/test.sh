#!/usr/bin/env bash
# Install everything the tests need and run the whole suite: lint, unit tests, AppTest, the
# end-to-end tests in headless Chromium (Debian's package; Playwright never downloads a browser)
# and the workspace tests against a real PostgreSQL + PostGIS (Debian's packages, a throw-away server).
# Extra arguments go to pytest, e.g.:  bash scripts/test.sh -k export
source "$(dirname "$0")/_venv.sh" requirements-test.txt
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  echo "installing Debian chromium for the browser tests"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null \
    || echo "warning: could not install chromium; browser tests will be skipped" >&2
fi
source "$(dirname "$0")/_postgis.sh"
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
.venv/bin/python -m pytest "$@"
