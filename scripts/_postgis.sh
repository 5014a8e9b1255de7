# Sourced by test.sh: a throw-away PostgreSQL + PostGIS server for the workspace tests.
# Installs Debian's postgresql + postgis when missing (as root or with passwordless sudo), starts a
# cluster in a temporary folder on a free local port, creates a database with PostGIS and exports
# QDP_TEST_POSTGIS_URL. Without the packages the PostGIS tests are skipped, with a warning — and
# with CI=true the run fails (missing_dependency, scripts/_require.sh).
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if { [ -z "$PG_BIN" ] || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; } \
    && command -v apt-get >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  echo "installing Debian postgresql + postgis for the workspace tests"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgis >/dev/null \
    || echo "warning: could not install postgresql/postgis" >&2
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -n "$PG_BIN" ] && [ -z "${QDP_TEST_POSTGIS_URL:-}" ]; then
  PG_DIR=$(mktemp -d /tmp/qdp-pg.XXXXXX)
  PG_PORT=$(.venv/bin/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  AS_PG=""
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; AS_PG="runuser -u postgres --"; fi
  if $AS_PG "$PG_BIN/initdb" -D "$PG_DIR/data" -U qdp --auth=trust >/dev/null \
      && $AS_PG "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
           -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
      && $AS_PG "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U qdp qdp_test; then
    export QDP_TEST_POSTGIS_URL="postgresql+psycopg://qdp@127.0.0.1:$PG_PORT/qdp_test"
    trap '$AS_PG "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PG_DIR"' EXIT
  else
    echo "warning: could not start PostgreSQL (see $PG_DIR/log)" >&2
  fi
fi
[ -n "${QDP_TEST_POSTGIS_URL:-}" ] || missing_dependency "no PostgreSQL + PostGIS server (QDP_TEST_POSTGIS_URL unset)"
