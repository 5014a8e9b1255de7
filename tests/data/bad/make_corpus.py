"""Regenerate the hostile-input corpus in this folder: ``python -m tests.data.bad.make_corpus``.

Every file is small and deterministic. What each one is, and what the importers must do with it
(a clear bilingual message or a documented repair, never a traceback), is listed in
``CORPUS`` of ``tests/test_bad_inputs.py``. A file above the size limit is not stored here: the
test makes a sparse one at run time.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.chinacoords import convert_geometry
from geo.write import write_shapefile_zip
from layers import load_layer

HERE = Path(__file__).resolve().parent
PLOT = [[120.30, 36.32], [120.31, 36.32], [120.31, 36.33], [120.30, 36.33], [120.30, 36.32]]
HEADER = ",".join([
    "企业名称", "统一社会信用代码", "行业代码", "规模", "区市", "用地面积(亩)", "税收(万元)", "营业收入(万元)",
    "工业增加值(万元)", "综合能耗(吨标准煤)", "主要污染物排放量(吨)", "从业人员(人)", "经度", "纬度",
])  # fmt: skip


def _feature(geometry: dict | None, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _fc(*features: dict, **extra) -> str:
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)}, ensure_ascii=False)


def _polygon(ring: list) -> dict:
    return {"type": "Polygon", "coordinates": [ring]}


def _firm_rows(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def _good_row(i: int, code: str = "", land: str = "20", tax: str = "300") -> str:
    return f"样例企业{i}（合成）,{code},3811,规上,城阳区,{land},{tax},5000,1200,300,2,80,120.31,36.33"


def _shapefile_parts(gdf: gpd.GeoDataFrame | None = None) -> dict[str, bytes]:
    """The members of a zipped Shapefile of ``gdf`` (default: one plot), by name."""
    if gdf is None:
        gdf = gpd.GeoDataFrame({"name": ["地块"]}, geometry=[shapely.Polygon(PLOT)], crs=4326)
    buf = HERE / "_tmp.zip"
    write_shapefile_zip(gdf, buf, layer="plots")
    with zipfile.ZipFile(buf) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    buf.unlink()
    return parts


def _write(files: dict[str, str | bytes]) -> None:
    """Write each file into this folder (text as UTF-8)."""
    for name, content in files.items():
        path = HERE / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _zip(name: str, parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(HERE / name, "w", compression) as zf:
        for member, data in parts.items():
            zf.writestr(member, data)


def main() -> None:
    files: dict[str, str | bytes] = {
        "malformed.geojson": '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {',
        "not_geojson.geojson": json.dumps({"hello": "world", "rows": [1, 2, 3]}),
        "points_as_plots.geojson": _fc(_feature({"type": "Point", "coordinates": [120.3, 36.3]}, name="点")),
        "self_intersecting.geojson": _fc(
            _feature(
                _polygon([[120.30, 36.30], [120.32, 36.32], [120.32, 36.30], [120.30, 36.32], [120.30, 36.30]]),
                name="蝴蝶结",
            )
        ),
        "empty_geometries.geojson": _fc(
            _feature(None, name="空"),
            _feature(_polygon(PLOT), name="好"),
            _feature({"type": "Polygon", "coordinates": []}, name="空面"),
        ),
        "all_empty.geojson": _fc(_feature(None, name="空1"), _feature(None, name="空2")),
        "metres_as_degrees.geojson": _fc(
            _feature(
                _polygon([[443000, 4020000], [444000, 4020000], [444000, 4021000], [443000, 4020000]]),
                name="投影坐标无声明",
            )
        ),
        "swapped_lonlat.geojson": _fc(_feature(_polygon([[y, x] for x, y in PLOT]), name="纬度在前")),
        "outside_qingdao.geojson": _fc(
            _feature(_polygon([[116.39, 39.90], [116.40, 39.90], [116.40, 39.91], [116.39, 39.90]]), name="北京")
        ),
        "script_names.geojson": _fc(
            _feature(_polygon(PLOT), name="<img src=x onerror=alert(1)>", status='=HYPERLINK("http://x")')
        ),
        "sold_plots.geojson": _fc(_feature(_polygon(PLOT), name="已出让地块", status="已出让")),
        "duplicate_ids.geojson": _fc(_feature(_polygon(PLOT), id="A1"), _feature(_polygon(PLOT), id="A1")),
        "firms_gbk.csv": _firm_rows([_good_row(1), _good_row(2)]).encode("gbk"),
        "firms_utf8_bom.csv": b"\xef\xbb\xbf" + _firm_rows([_good_row(1), _good_row(2)]).encode("utf-8"),
        "firms_bad_numbers.csv": _firm_rows(
            [
                _good_row(1),
                _good_row(2, land="0"),
                _good_row(3, land="-5"),
                _good_row(4, tax="NaN"),
                _good_row(5, tax="1e15"),
                _good_row(6, land="abc"),
                _good_row(7, tax="=1+1"),
            ]
        ),
        "firms_duplicate_codes.csv": _firm_rows(
            [_good_row(1, "91370200MA3C4FEG2K"), _good_row(2, "91370200MA3C4FEG2K")]
        ),
        "firms_bd09.csv": _firm_rows([_good_row(1)]).replace("经度,纬度", "经度(百度),纬度(百度)"),
        "firms_swapped_outside.csv": _firm_rows(
            [
                _good_row(1).replace("120.31,36.33", "36.33,120.31"),
                _good_row(2).replace("120.31,36.33", "116.4,39.9"),
            ]
        ),
        "firms_no_rows.csv": HEADER + "\n",
        "firms_missing_columns.csv": "企业名称,区市\n某企业,城阳区\n",
        "not_a_table.xlsx": b"PK\x03\x04 this is not really a spreadsheet",
        "empty.csv": b"",
        "binary.csv": bytes(range(256)) * 8,
    }
    _write(files)

    # Excel with two title rows above the header (normal in government tables)
    frame = pd.read_csv(io.StringIO(_firm_rows([_good_row(1), _good_row(2)])))
    with pd.ExcelWriter(HERE / "firms_title_rows.xlsx", engine="openpyxl") as xl:
        frame.to_excel(xl, index=False, startrow=2)
        xl.sheets["Sheet1"]["A1"] = "2025年度亩产效益评价企业名单"
        xl.sheets["Sheet1"]["A2"] = "填报单位：某区工信局"

    # GCJ-02 district boundaries (as copied from a Gaode-based source): detected and converted
    districts = load_layer("districts")[["name", "geometry"]]
    shifted = districts.set_geometry(convert_geometry(districts.geometry.to_numpy(), "wgs84", "gcj02"))
    shifted.to_file(HERE / "districts_gcj02.geojson", driver="GeoJSON")

    parts = _shapefile_parts()
    _zip("shapefile_no_shx.zip", {k: v for k, v in parts.items() if not k.endswith(".shx")})
    _zip("shapefile_no_prj.zip", {k: v for k, v in parts.items() if not k.endswith(".prj")})
    _zip("zip_slip.zip", {**parts, "../../evil.txt": b"escaped"})
    _zip("zip_bomb.zip", {**parts, "plots.dbf": parts["plots.dbf"] + bytes(40 * 2**20)})
    _zip("two_shapefiles.zip", {**parts, **{k.replace("plots", "other"): v for k, v in parts.items()}})
    (HERE / "not_a_zip.zip").write_bytes(np.random.default_rng(0).bytes(2048))
    _hostile_files(parts)
    print(f"corpus written to {HERE}")


VRT = (
    '<OGRVRTDataSource><OGRVRTLayer name="plots"><SrcDataSource>../../workspace/workspace.gpkg</SrcDataSource>'
    "<SrcSQL>SELECT username, password_hash AS name FROM users</SrcSQL></OGRVRTLayer></OGRVRTDataSource>"
)
KML = (
    '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><NetworkLink><Link>'
    "<href>http://192.0.2.1/plots.kml</href></Link></NetworkLink></kml>"
)
GML = '<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml"/>'
GCJ_PRJ = (
    'GEOGCS["GCJ02",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]]'
)


def _gpkg(name: str, sql: list[str], spatial: bool = True) -> None:
    """A GeoPackage with one plot layer (or none) and extra SQL run on it."""
    import sqlite3

    path = HERE / name
    path.unlink(missing_ok=True)
    if spatial:
        gpd.GeoDataFrame({"name": ["地块"]}, geometry=[shapely.Polygon(PLOT)], crs=4326).to_file(path, layer="plots")
    else:
        gpd.GeoDataFrame({"name": ["地块"]}, geometry=[shapely.Polygon(PLOT)], crs=4326).to_file(path, layer="tmp")
        pd.DataFrame({"企业名称": ["某企业"], "税收(万元)": [1.0]}).to_sql("firms", sqlite3.connect(path), index=False)
    conn = sqlite3.connect(path)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _hostile_files(parts: dict[str, bytes]) -> None:
    """Files that must be refused or repaired with a precise note (issue 10's attacks and accidents)."""
    good = _feature(_polygon(PLOT), name="好地块")
    texts: dict[str, str | bytes] = {
        "vrt_as_geojson.geojson": VRT,
        "vrt_as_csv.csv": VRT,
        "kml_network_link.geojson": KML,
        "gml_as_geojson.geojson": GML,
        "antimeridian_plot.geojson": _fc(
            _feature(
                _polygon([[179.9, 36.3], [-179.9, 36.3], [-179.9, 36.4], [179.9, 36.4], [179.9, 36.3]]), name="跨日界线"
            ),
            good,
        ),
        "hole_outside_shell.geojson": _fc(
            _feature({"type": "Polygon", "coordinates": [PLOT, [[x + 0.02, y] for x, y in PLOT][::-1]]}, name="洞在外"),
            good,
        ),
        "nan_vertex.geojson": _fc(
            _feature(_polygon([[120.30, 36.32], [float("nan"), 36.32], [120.31, 36.33], [120.30, 36.32]]), name="NaN"),
            good,
        ),
        "firms_tiny_land.csv": _firm_rows([_good_row(1), _good_row(2, land="1.5e-320"), _good_row(3, land="0.0001")]),
        "firms_semicolon_decimal_comma.csv": _firm_rows([_good_row(1, land="12,5"), _good_row(2, land="7,25")])
        .replace(",", ";")
        .replace("12;5", "12,5")
        .replace("7;25", "7,25"),
        "firms_semicolon_ambiguous.csv": _firm_rows([_good_row(1, land="1,250"), _good_row(2, land="2,500")])
        .replace(",", ";")
        .replace("1;250", "1,250")
        .replace("2;500", "2,500"),
        "firms_quoted_decimal_comma.csv": _firm_rows([_good_row(1), _good_row(2).replace(",20,", ',"12,5",')]),
        "firms_zero_width.csv": _firm_rows(
            [
                _good_row(1, "91370200MA3C4FEG2K"),
                _good_row(2, "９１３７０２００ＭＡ３Ｃ４ＦＥＧ２Ｋ"),
                _good_row(3, "91370200MA3C4FEG2K\u200b"),
            ]
        ).replace("经度,纬度", "经度\u200b,\u200d纬度"),
        "firms_control_characters.csv": _firm_rows(
            [_good_row(1).replace("样例企业1", "样例\x0b企业1\u202e"), _good_row(2)]
        ),
        "firms_gbk_with_utf8_row.csv": _firm_rows([_good_row(1), _good_row(2)]).encode("gbk")
        + (_good_row(3) + "\n").encode("utf-8"),
    }
    _write(texts)

    _gpkg("gpkg_view.gpkg", ["CREATE VIEW plots_view AS SELECT * FROM plots"])
    _gpkg(
        "gpkg_recursive_view.gpkg",
        ["CREATE VIEW forever AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"],
    )
    _gpkg(
        "gpkg_trigger.gpkg",
        ["CREATE TRIGGER evil AFTER INSERT ON plots BEGIN DELETE FROM gpkg_contents; END"],
    )
    _gpkg(
        "gpkg_attributes_only.gpkg",
        [
            "DELETE FROM gpkg_contents WHERE table_name = 'tmp'",
            "INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('firms', 'attributes', 'firms')",
        ],
        spatial=False,
    )

    import stat

    with zipfile.ZipFile(HERE / "shapefile_symlink.zip", "w") as zf:
        for member, data in parts.items():
            info = zipfile.ZipInfo(member)
            if member.endswith(".dbf"):
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                data = b"/work/main/workspace/workspace.gpkg"
            zf.writestr(info, data)
    dbf = parts["plots.dbf"]
    _zip("dbf_unreadable.zip", {**parts, "plots.dbf": dbf[:4] + b"\xff\xff\xff\x7f" + dbf[8:]})
    shifted = convert_geometry(np.array([shapely.Polygon(PLOT)]), "wgs84", "gcj02")
    gcj_parts = _shapefile_parts(gpd.GeoDataFrame({"name": ["高德坐标地块"]}, geometry=shifted, crs=4326))
    _zip("prj_gcj02.zip", {**gcj_parts, "plots.prj": GCJ_PRJ.encode()})

    # A workbook whose first sheet is hidden (last year's table) and whose second holds this year's
    frame = pd.read_csv(io.StringIO(_firm_rows([_good_row(1), _good_row(2), _good_row(3)])))
    with pd.ExcelWriter(HERE / "firms_hidden_first_sheet.xlsx", engine="openpyxl") as xl:
        frame.iloc[:1].to_excel(xl, sheet_name="2024年", index=False)
        frame.to_excel(xl, sheet_name="2025年", index=False)
        xl.sheets["2024年"].sheet_state = "hidden"
        xl.book.active = 1


if __name__ == "__main__":
    main()
