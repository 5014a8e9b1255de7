import subprocess
import sys

import pyogrio
import pytest

from layers import LAYER_IDS, load_layers
from tests.conftest import ROOT


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "layers", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def originals():
    return load_layers()


def test_list_prints_every_layer_with_counts(originals):
    result = run("list")
    assert result.returncode == 0
    for layer_id, gdf in originals.items():
        line = next(line for line in result.stdout.splitlines() if line.startswith(layer_id + " "))
        assert str(len(gdf)) in line.split()


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4490", "EPSG:4549"])
def test_geojson_export_round_trip(tmp_path, originals, crs):
    result = run("export", "--out", str(tmp_path), "--crs", crs)
    assert result.returncode == 0, result.stderr
    for layer_id in LAYER_IDS:
        back = pyogrio.read_dataframe(tmp_path / f"{layer_id}.geojson")
        assert back.crs.to_epsg() == int(crs.split(":")[1])
        key = "name" if "name" in back else "u"  # roads have no names (the source has none)
        assert list(back[key]) == list(originals[layer_id][key])
        if crs == "EPSG:4549":
            ref = originals[layer_id].to_crs(4549).area.to_numpy()
            # coordinates are written to the millimetre: ≤ 0.5 mm × perimeter of area difference
            tolerance = originals[layer_id].to_crs(4549).length.to_numpy() * 5e-4
            assert (abs(back.area.to_numpy() - ref) <= tolerance + ref * 1e-9).all()


def test_gpkg_export_round_trip(tmp_path, originals):
    result = run("export", "--out", str(tmp_path), "--format", "gpkg", "--crs", "EPSG:4549")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "qingdao_plan_layers.gpkg"
    assert {str(n) for n, _ in pyogrio.list_layers(path)} == set(LAYER_IDS)
    for layer_id in LAYER_IDS:
        back = pyogrio.read_dataframe(path, layer=layer_id)
        assert back.crs.to_epsg() == 4549 and len(back) == len(originals[layer_id])


def test_shapefile_export_subset(tmp_path, originals):
    result = run("export", "--out", str(tmp_path), "--format", "shp", "--layers", "clusters,axes")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["axes.zip", "clusters.zip"]
    back = pyogrio.read_dataframe(f"/vsizip/{tmp_path / 'clusters.zip'}/clusters.shp")
    assert back.crs.to_epsg() == 4326
    assert sorted(back["name"]) == sorted(originals["clusters"]["name"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layers", "railways"], "unknown layer 'railways'"),
        (["--crs", "EPSG:3857"], "not supported"),
        (["--format", "kml"], "invalid choice"),
    ],
)
def test_bad_arguments_fail_with_one_clear_line(tmp_path, args, message):
    result = run("export", "--out", str(tmp_path), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("export", "--out", str(blocker / "sub"))
    assert result.returncode == 2
    assert "error:" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_the_shapefile_download_is_one_zip_with_a_folder_per_layer_not_a_zip_of_zips(originals, tmp_path):
    """Issue 12 (11): Shapefiles downloaded as a zip of zips that GIS software cannot open directly."""
    import io
    import zipfile

    import pyogrio

    from layers.export import export_zip_bytes

    data = export_zip_bytes({k: originals[k] for k in ("clusters", "axes")}, "shp", "EPSG:4549")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    assert not any(n.endswith(".zip") for n in names), names
    assert {"clusters/clusters.shp", "clusters/clusters.dbf", "clusters/clusters.prj", "clusters/clusters.cpg",
            "axes/axes.shp"} <= set(names)  # fmt: skip
    (tmp_path / "download.zip").write_bytes(data)
    layer = pyogrio.read_dataframe(f"/vsizip/{tmp_path / 'download.zip'}/clusters/clusters.shp")
    assert len(layer) == len(originals["clusters"]) and layer.crs.to_epsg() == 4549
