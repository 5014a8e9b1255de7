#!/usr/bin/env bash
# Install the runtime dependencies into .venv and start the planner on the bundled data.
# Extra arguments go to streamlit, e.g.:  bash scripts/run.sh --server.port 8600
source "$(dirname "$0")/_venv.sh" requirements.txt
exec .venv/bin/python -m streamlit run app.py "$@"
