import json
import zipfile

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geo.io import GeoIOError, read_vector
from geo.write import geojson_bytes, shapefile_field_names, write_geojson, write_gpkg, write_shapefile_zip


@pytest.fixture
def layer():
    # Clockwise exterior ring on purpose: RFC 7946 output must flip it.
    cw = shapely.Polygon([(120.3, 36.0), (120.3, 36.1), (120.4, 36.1), (120.4, 36.0)])
    return gpd.GeoDataFrame(
        {"name": ["城阳区测试", "即墨"], "geometry_quality": ["schematic", "official"], "value": [1.5, 2.0]},
        geometry=[cw, shapely.Point(120.46, 36.39)],
        crs=4326,
    )


def test_geojson_follows_rfc7946(tmp_path, layer):
    path = write_geojson(layer, tmp_path / "a.geojson", precision=5)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in doc
    ring = shapely.LinearRing(doc["features"][0]["geometry"]["coordinates"][0])
    assert ring.is_ccw
    assert doc["features"][0]["properties"]["name"] == "城阳区测试"
    back = pyogrio.read_dataframe(path)
    assert back.crs.to_epsg() == 4326 and len(back) == 2


def test_geojson_downloads_are_built_in_memory_and_equal_the_file(tmp_path, layer):
    for crs in ("EPSG:4326", "EPSG:4549"):
        assert geojson_bytes(layer, crs) == write_geojson(layer, tmp_path / "f.geojson", crs).read_bytes()
    assert json.loads(geojson_bytes(layer))["features"][1]["properties"]["name"] == "即墨"


def test_geojson_in_projected_crs_declares_it(tmp_path, layer):
    path = write_geojson(layer, tmp_path / "b.geojson", crs="EPSG:4549")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "4549" in json.dumps(doc["crs"])
    back = pyogrio.read_dataframe(path)
    assert back.crs.to_epsg() == 4549
    assert back.geometry.iloc[1].x == pytest.approx(layer.to_crs(4549).geometry.iloc[1].x, abs=0.01)


def test_gpkg_holds_several_layers(tmp_path, layer):
    path = write_gpkg({"one": layer, "two": layer.iloc[:1]}, tmp_path / "x.gpkg", crs="EPSG:4490")
    names = {str(n) for n, _ in pyogrio.list_layers(path)}
    assert names == {"one", "two"}
    assert pyogrio.read_dataframe(path, layer="two").crs.to_epsg() == 4490


def test_zipped_shapefile_has_utf8_cpg_and_field_table(tmp_path, layer):
    path = write_shapefile_zip(layer.iloc[:1], tmp_path / "s.zip", layer="s")
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert {"s.shp", "s.shx", "s.dbf", "s.prj", "s.cpg", "s_fields.csv"} <= names
        assert zf.read("s.cpg").decode().strip().upper().replace("-", "") == "UTF8"
        assert "geometry_quality" in zf.read("s_fields.csv").decode("utf-8")
    back = read_vector(path)
    assert back["name"].iloc[0] == "城阳区测试"
    assert "geometry_q" in back.columns


def test_long_text_is_cut_at_a_character_boundary_for_dbase(tmp_path, layer):
    long = layer.iloc[:1].copy()
    long["name"] = "集聚区" * 200
    back = read_vector(write_shapefile_zip(long, tmp_path / "l.zip", layer="l"))
    text = back["name"].iloc[0]
    assert text.endswith("…") and len(text.encode("utf-8")) <= 254


def test_field_names_are_unique_and_short():
    mapping = shapefile_field_names(["geometry_quality", "geometry_source", "规划章节名称很长", "id"])
    assert len(set(mapping.values())) == 4
    assert all(len(v.encode("utf-8")) <= 10 for v in mapping.values())


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_read_errors_are_clear(tmp_path, layer):
    with pytest.raises(GeoIOError, match="file not found"):
        read_vector(tmp_path / "nope.geojson")
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(GeoIOError, match="the content is CSV text table; expected GeoJSON"):
        read_vector(tmp_path / "a.txt")
    with pytest.raises(GeoIOError, match="unsafe path"):
        read_vector(_zip(tmp_path / "evil.zip", {"../x.shp": b"", "../x.shx": b"", "../x.dbf": b""}))
    good = write_shapefile_zip(layer.iloc[:1], tmp_path / "g.zip", layer="g")
    with zipfile.ZipFile(good) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if not n.endswith(".shx")}
    repaired = read_vector(_zip(tmp_path / "noshx.zip", parts))  # GDAL rebuilds a missing index
    assert len(repaired) == 1 and any(".shx" in note for note in repaired.attrs["repairs"])
    (tmp_path / "bad.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(GeoIOError, match="cannot read"):
        read_vector(tmp_path / "bad.geojson")


def test_missing_crs_is_refused_not_guessed(tmp_path, layer):
    write_shapefile_zip(layer.iloc[:1], tmp_path / "g.zip", layer="g")
    with zipfile.ZipFile(tmp_path / "g.zip") as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if not n.endswith(".prj")}
    with pytest.raises(GeoIOError, match=r"no \.prj"):
        read_vector(_zip(tmp_path / "noprj.zip", parts))


def test_invalid_geometry_is_repaired_with_its_area_before_and_after(tmp_path):
    spike = shapely.Polygon(
        [(120.0, 36.0), (120.1, 36.0), (120.1, 36.1), (120.05, 36.1), (120.05, 36.15), (120.05, 36.1), (120.0, 36.1)]
    )
    assert not spike.is_valid
    gdf = gpd.GeoDataFrame({"name": ["spike"]}, geometry=[spike], crs=4326)
    pyogrio.write_dataframe(gdf, tmp_path / "spike.gpkg")
    back = read_vector(tmp_path / "spike.gpkg")
    assert back.geometry.is_valid.all()
    (note,) = back.attrs["repairs"]
    mu = gpd.GeoSeries([spike], crs=4326).to_crs("EPSG:4549").area.iloc[0] / 666.67
    assert "make_valid" in note and f"#1（spike） {mu:,.1f} → {mu:,.1f} 亩" in note


def test_a_repair_that_changes_the_area_is_refused_with_both_areas(tmp_path):
    bowtie = shapely.Polygon([(120.0, 36.0), (120.1, 36.1), (120.1, 36.0), (120.0, 36.1)])
    square = shapely.box(120.2, 36.2, 120.21, 36.21)
    gdf = gpd.GeoDataFrame({"name": ["bow", "ok"]}, geometry=[bowtie, square], crs=4326)
    pyogrio.write_dataframe(gdf, tmp_path / "bow.gpkg")
    back = read_vector(tmp_path / "bow.gpkg")
    assert back["name"].tolist() == ["ok"]
    (note,) = back.attrs["repairs"]
    repaired = gpd.GeoSeries([shapely.make_valid(bowtie)], crs=4326).to_crs("EPSG:4549").area.iloc[0] / 666.67
    assert "面积变化超过 1%" in note and "#1（bow）" in note and f"→ {repaired:,.1f} 亩" in note


def test_writing_into_a_missing_folder_fails_clearly(tmp_path, layer):
    with pytest.raises(GeoIOError, match="does not exist"):
        write_geojson(layer, tmp_path / "missing" / "a.geojson")
