#!/usr/bin/env bash
# Install the runtime dependencies into .venv and start the planner on the bundled data.
# Extra arguments go to streamlit, e.g.:  bash scripts/run.sh --server.port 8600
source "$(dirname "$0")/_venv.sh" requirements.txt
# The server's allocator settings (see the file); a value already in the environment wins.
while IFS='=' read -r name value; do
  case "$name" in ''|\#*) continue ;; esac
  if [ -z "${!name:-}" ]; then export "$name=$value"; fi
done < scripts/server.env
exec .venv/bin/python -m views.serve "$@"  # warms up (views/warmup.py), then streamlit run app.py
