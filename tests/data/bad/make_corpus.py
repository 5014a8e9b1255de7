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


def _shapefile_parts() -> dict[str, bytes]:
    gdf = gpd.GeoDataFrame({"name": ["地块"]}, geometry=[shapely.Polygon(PLOT)], crs=4326)
    buf = HERE / "_tmp.zip"
    write_shapefile_zip(gdf, buf, layer="plots")
    with zipfile.ZipFile(buf) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    buf.unlink()
    return parts


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
    for name, content in files.items():
        path = HERE / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

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
    print(f"corpus written to {HERE}")


if __name__ == "__main__":
    main()
