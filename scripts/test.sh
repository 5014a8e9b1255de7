#!/usr/bin/env bash
# Install everything the tests need and run the whole suite: lint, unit tests, AppTest, the
# end-to-end tests in headless Chromium (Debian's package; Playwright never downloads a browser)
# and the workspace tests against a real PostgreSQL + PostGIS (Debian's packages, a throw-away server).
# A dependency that cannot be installed skips its tests with a warning; with CI=true it fails the run.
# Extra arguments go to pytest, e.g.:  bash scripts/test.sh -k export
source "$(dirname "$0")/_venv.sh" requirements-test.txt
source scripts/_require.sh
# Debian packages the tests need: chromium (browser tests), strace (the server opens no outbound connection)
CHROMIUM="${CHROMIUM_PATH:-$(command -v chromium || echo /usr/bin/chromium)}"
PACKAGES=""
[ -x "$CHROMIUM" ] || PACKAGES="chromium"
# Chinese text in the browser screenshots and on printed maps (webmap/print_layout.py)
fc-list :lang=zh 2>/dev/null | grep -q . || PACKAGES="$PACKAGES fonts-noto-cjk"
command -v strace >/dev/null || PACKAGES="$PACKAGES strace"
if [ -n "$PACKAGES" ] && command -v apt-get >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  echo "installing Debian $PACKAGES for the tests"
  # shellcheck disable=SC2086  # a list of package names
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $PACKAGES >/dev/null \
    || echo "warning: could not install $PACKAGES" >&2
  CHROMIUM="${CHROMIUM_PATH:-$(command -v chromium || echo /usr/bin/chromium)}"
fi
[ -x "$CHROMIUM" ] || missing_dependency "chromium not found at $CHROMIUM (browser tests)"
command -v strace >/dev/null || missing_dependency "strace not found (the server's outbound-connection test)"
fc-list :lang=zh 2>/dev/null | grep -q . || missing_dependency "no Chinese font (Debian fonts-noto-cjk: printed maps)"
source "$(dirname "$0")/_postgis.sh"
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
# Types of the core and its edges (configuration in pyproject.toml)
.venv/bin/python -m mypy
# The Examples in the docstrings of the source packages run as doctests, then every test
.venv/bin/python -m pytest --doctest-modules --ignore-glob="*/__main__.py" geo layers analysis store i18n cli webmap files views/widget_language.py views/page_script.py views/warmup.py views/text.py views/input_key.py -q
.venv/bin/python -m pytest "$@"
