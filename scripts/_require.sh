# Sourced by test.sh and _postgis.sh: what happens when a test dependency (Chromium, strace,
# PostgreSQL + PostGIS) cannot be installed or started. On a developer's machine: a warning, and
# the tests that need it are skipped. In CI (CI=true): the run fails here, and the same rule holds
# in the tests (tests/conftest.py missing_dependency), so that CI never goes green by skipping.
missing_dependency() {
  if [ "$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]')" = true ]; then
    echo "error: $1; CI=true, so the run fails instead of skipping those tests" >&2
    exit 1
  fi
  echo "warning: $1; those tests will be skipped" >&2
}
