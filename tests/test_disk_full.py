"""A full disk while the command-line tools write: exit code 2, a clean message, the previous file intact.

The tools run in a subprocess whose file-size limit (``RLIMIT_FSIZE``) is small; with SIGXFSZ
ignored, a write beyond the limit fails with EFBIG, as on a full disk.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

from layers import LAYER_IDS
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "sample_enterprises.csv"
PLOTS = ROOT / "data" / "sample_plots.geojson"
LIMIT = 64 * 1024  # bytes; every output below is larger


def run(module: str, *args: str, limit: int | None = LIMIT) -> subprocess.CompletedProcess:
    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=small_disk if limit else None,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def assert_clean_failure(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "错误 / error:" in proc.stderr and "cannot write" in proc.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry of ``folder`` (hidden ones included), with the bytes of files."""
    return {p.name: p.read_bytes() if p.is_file() else b"<dir>" for p in folder.iterdir()}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson"])
@pytest.mark.parametrize("previous", [True, False])
def test_land_yield_keeps_the_previous_results(tmp_path, suffix, previous):
    out = tmp_path / f"results{suffix}"
    if previous:
        out.write_bytes(b"previous results, still needed\n")
    before = snapshot(tmp_path)
    proc = run("analysis.land_yield", "--input", str(SAMPLE), "--out", str(out))
    assert_clean_failure(proc)
    assert str(out) in proc.stderr
    assert snapshot(tmp_path) == before  # old file byte-identical (or still absent), no temporary file


def test_layers_import_keeps_a_good_geopackage(tmp_path):
    out = tmp_path / "plots.gpkg"
    good = run("layers", "import", "--kind", "plots", "--input", str(PLOTS), "--out", str(out), limit=None)
    assert good.returncode == 0, good.stderr
    assert out.stat().st_size > LIMIT
    before = snapshot(tmp_path)
    proc = run("layers", "import", "--kind", "plots", "--input", str(PLOTS), "--out", str(out))
    assert_clean_failure(proc)
    assert snapshot(tmp_path) == before
    assert len(pyogrio.read_dataframe(out)) == 600


def test_layers_export_leaves_every_file_whole(tmp_path):
    first = run("layers", "export", "--out", str(tmp_path), limit=None)
    assert first.returncode == 0, first.stderr
    before = snapshot(tmp_path)
    assert max(len(b) for b in before.values()) > LIMIT
    proc = run("layers", "export", "--out", str(tmp_path), "--crs", "EPSG:4549")
    assert_clean_failure(proc)
    after = snapshot(tmp_path)
    assert set(after) == set(before) == {f"{i}.geojson" for i in LAYER_IDS}  # no temporary files
    kept = [name for name in after if after[name] == before[name]]
    assert kept  # the file that did not fit keeps its previous content
    for name in set(after) - set(kept):  # files written before the failure are complete new ones
        back = pyogrio.read_dataframe(tmp_path / name)
        assert back.crs.to_epsg() == 4549 and len(back) > 0
    for name in kept:
        assert pyogrio.read_dataframe(tmp_path / name).crs.to_epsg() == 4326


def test_layers_export_geopackage_survives(tmp_path):
    first = run("layers", "export", "--out", str(tmp_path), "--format", "gpkg", limit=None)
    assert first.returncode == 0, first.stderr
    before = snapshot(tmp_path)
    proc = run("layers", "export", "--out", str(tmp_path), "--format", "gpkg", "--crs", "EPSG:4549")
    assert_clean_failure(proc)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("module", "args", "source"),
    [
        ("analysis.land_yield", ["--input", "IN", "--out", "OUT"], SAMPLE),
        ("layers", ["import", "--kind", "plots", "--input", "IN", "--out", "OUT"], PLOTS),
    ],
)
def test_out_equal_to_input_is_refused(tmp_path, module, args, source):
    copy = tmp_path / source.name
    copy.write_bytes(source.read_bytes())
    (tmp_path / "sub").mkdir()
    for out in (copy, tmp_path / "sub" / ".." / source.name):
        argv = [str(copy) if a == "IN" else str(out) if a == "OUT" else a for a in args]
        proc = run(module, *argv, limit=None)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert "不能覆盖输入文件 / --out must not be the input file" in proc.stderr
    assert copy.read_bytes() == source.read_bytes()


@pytest.mark.parametrize(
    ("module", "out", "name"),
    [("samples.enterprises", "firms.csv", "firms.csv"), ("samples.sites", ".", "sample_plots.geojson")],
)
def test_sample_writers_keep_the_previous_files(tmp_path, module, out, name):
    (tmp_path / name).write_bytes(b"previous sample\n")
    before = snapshot(tmp_path)
    proc = run(module, "--out", str(tmp_path / out), "--n", "3000", limit=16 * 1024)
    assert_clean_failure(proc)
    assert snapshot(tmp_path) == before
