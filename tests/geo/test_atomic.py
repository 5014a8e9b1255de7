"""Atomic writes: the target is replaced only by a complete file; failures leave it and no temporary file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geo.atomic import SameFileError, atomic_path, refuse_same_file
from geo.io import GeoIOError
from geo.write import write_geojson, write_gpkg, write_shapefile_zip


def points(n: int = 3) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [f"p{i}" for i in range(n)]},
                            geometry=[shapely.Point(120.3 + i / 100, 36.1) for i in range(n)], crs=4326)  # fmt: skip


def test_success_replaces_the_target_and_leaves_only_it(tmp_path):
    target = tmp_path / "out.gpkg"
    target.write_bytes(b"old")
    with atomic_path(target) as tmp:
        assert tmp.name == "out.gpkg" and tmp.parent.parent == tmp_path and not tmp.exists()
        assert tmp.parent.name.startswith(".out.gpkg.")  # hidden, beside the target: one file system
        tmp.write_bytes(b"new")
        (tmp.parent / "out.gpkg-journal").write_bytes(b"side file of a driver")
        assert target.read_bytes() == b"old"  # nothing visible until the body has finished
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.gpkg"]


@pytest.mark.parametrize("exc", [OSError(errno.EFBIG, "File too large"), ValueError("bad"), KeyboardInterrupt()])
def test_failure_keeps_the_old_file_and_removes_the_temporary_one(tmp_path, exc):
    target = tmp_path / "results.csv"
    target.write_bytes(b"previous results\n")
    with pytest.raises(type(exc)), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a fi")
        raise exc
    assert target.read_bytes() == b"previous results\n"
    assert os.listdir(tmp_path) == ["results.csv"]


def test_failure_without_a_previous_file_leaves_nothing(tmp_path):
    with pytest.raises(OSError), atomic_path(tmp_path / "new.xlsx") as tmp:
        tmp.write_bytes(b"PK")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert os.listdir(tmp_path) == []


def test_a_writer_that_writes_nothing_is_an_error(tmp_path):
    with pytest.raises(OSError, match="no file"), atomic_path(tmp_path / "x.geojson"):
        pass
    assert os.listdir(tmp_path) == []


def test_missing_folder_is_an_oserror(tmp_path):
    with pytest.raises(OSError), atomic_path(tmp_path / "no" / "x.csv"):
        pass


def test_refuse_same_file(tmp_path):
    source = tmp_path / "firms.csv"
    source.write_text("a\n")
    os.link(source, tmp_path / "hard.csv")
    (tmp_path / "link.csv").symlink_to(source)
    (tmp_path / "sub").mkdir()
    for out in (source, tmp_path / "sub" / ".." / "firms.csv", tmp_path / "hard.csv", tmp_path / "link.csv"):
        with pytest.raises(SameFileError, match="不能覆盖输入文件 / --out must not be the input file"):
            refuse_same_file(source, out)
    refuse_same_file(source, tmp_path / "results.csv")  # another file: fine, existing or not
    (tmp_path / "results.csv").write_text("b\n")
    refuse_same_file(source, tmp_path / "results.csv")


def _fail_after_partial_write(monkeypatch, exc):
    real = pyogrio.write_dataframe

    def partial(df, path, **kwargs):
        real(df.head(1), path, **kwargs)  # a fragment on disk, then the disk is full
        raise exc

    monkeypatch.setattr(pyogrio, "write_dataframe", partial)


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("a.geojson", lambda gdf, path: write_geojson(gdf, path)),
        ("a.gpkg", lambda gdf, path: write_gpkg({"points": gdf}, path)),
        ("a.zip", lambda gdf, path: write_shapefile_zip(gdf, path, layer="points")),
    ],
)
def test_vector_writers_keep_the_previous_file_when_gdal_fails(tmp_path, monkeypatch, name, write):
    path = tmp_path / name
    write(points(), path)
    before = path.read_bytes()
    _fail_after_partial_write(monkeypatch, pyogrio.errors.FeatureError("Cannot write feature"))
    with pytest.raises(GeoIOError, match=f"无法写入 / cannot write {path}"):
        write(points(50), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == [name]


def test_a_silently_truncated_gdal_file_is_not_installed(tmp_path, monkeypatch):
    """GDAL does not report a failed final flush of GeoJSON; the read-back catches it."""
    path = tmp_path / "a.geojson"
    real = pyogrio.write_dataframe

    def truncating(df, target, **kwargs):
        real(df, target, **kwargs)
        Path(target).write_bytes(Path(target).read_bytes()[:-5])

    monkeypatch.setattr(pyogrio, "write_dataframe", truncating)
    with pytest.raises(GeoIOError, match="cannot write"):
        write_geojson(points(), path)
    assert os.listdir(tmp_path) == []
