"""analysis/ is the pure core: it imports neither Streamlit, the views, the catalogue nor the edges."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

FORBIDDEN = ("streamlit", "views", "layers.catalogue", "cli", "files", "samples", "store", "webmap")


def test_importing_every_analysis_module_loads_nothing_it_must_not():
    code = (
        "import pkgutil, importlib, sys, analysis\n"
        "for m in pkgutil.walk_packages(analysis.__path__, 'analysis.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        f"bad = sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r} or n in {FORBIDDEN!r})\n"
        "print('\\n'.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == []


def test_the_commands_readme_shows_still_start():
    for module in ("analysis.land_yield", "analysis.siting", "layers"):
        out = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)  # fmt: skip
        assert out.returncode == 0 and "usage" in out.stdout, (module, out.stderr[-500:])
