"""Start the planner: warm up (:mod:`views.warmup`), then serve ``app.py`` with Streamlit.

Run ``python -m views.serve [streamlit options]`` (``bash scripts/run.sh`` does); the options go
to ``streamlit run``. ``QDP_WARMUP=0`` starts serving at once and leaves the work to the first page.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    """Warm up unless ``QDP_WARMUP=0``, then hand over to ``streamlit run app.py``."""
    args = sys.argv[1:] if argv is None else argv
    command = [str(ROOT / "app.py"), *args]
    if os.environ.get("QDP_WARMUP", "1") != "0":
        from streamlit.web import bootstrap, cli

        from views.warmup import warm_up

        # The options as `streamlit run` will read them (config files, then these flags), so that the
        # warm-up sees the same server.baseUrlPath and Streamlit finds no change when it starts.
        params = cli.main_run.make_context("run", list(command)).params
        bootstrap.load_config_options({k: v for k, v in params.items() if k not in ("target", "args")})
        warm_up(lambda line: print(line, file=sys.stderr, flush=True))
        # What the warm-up built lives as long as the server: moved out of the cyclic collector's
        # sight, so that the full collection Streamlit runs after every rerun (runner.postScriptGC)
        # stops walking it — 0.12 s of CPU per rerun with 50,000 firms, holding the interpreter
        # lock every session needs. Reference counting still frees what is dropped; a cycle among
        # these objects stays until the server stops (at most what the warm-up built, once).
        gc.freeze()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", "run", *command]
    streamlit_main()


if __name__ == "__main__":
    main()
