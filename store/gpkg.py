"""The parts of the OGC GeoPackage standard (12-128r18) the workspace needs, on plain SQLite.

A GeoPackage is an SQLite file with ``application_id`` ``GPKG``, three metadata tables and
geometry stored as a "GeoPackage binary" blob (a small header, then WKB). Writing them here
keeps the workspace one transactional SQLite file that QGIS and GDAL open as a GeoPackage.
"""

from __future__ import annotations

import struct

import shapely

__all__ = ["APPLICATION_ID", "CORE_DDL", "USER_VERSION", "decode", "encode", "register_table"]

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10400  # GeoPackage 1.4
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],'
    'UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]'
)
CORE_DDL = (
    """CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""",
    """CREATE TABLE IF NOT EXISTS gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
    "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES "
    "('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system')",
    "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES "
    "('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')",
    f"INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, '{_WGS84_WKT}', 'WGS84')",
)


def register_table(table: str, geometry_column: str | None, geometry_type: str = "GEOMETRY") -> list[str]:
    """Statements that list ``table`` in gpkg_contents (and its geometry column, if any)."""
    data_type = "features" if geometry_column else "attributes"
    srs = "4326" if geometry_column else "NULL"
    out = [f"INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
           f"VALUES ('{table}', '{data_type}', '{table}', {srs})"]  # fmt: skip
    if geometry_column:
        out.append(
            "INSERT OR IGNORE INTO gpkg_geometry_columns VALUES "
            f"('{table}', '{geometry_column}', '{geometry_type}', 4326, 0, 0)"
        )
    return out


def encode(geometry: shapely.Geometry | None, srs_id: int = 4326) -> bytes | None:
    """GeoPackage binary: magic ``GP``, version 0, flags (little endian, no envelope), srs id, WKB."""
    if geometry is None:
        return None
    flags = 0b0000_0001 | (0b0001_0000 if shapely.is_empty(geometry) else 0)
    return b"GP" + struct.pack("<BBi", 0, flags, srs_id) + shapely.to_wkb(geometry, byte_order=1)


def decode(blob: bytes | memoryview | None) -> shapely.Geometry | None:
    """The geometry in a GeoPackage binary blob (any envelope type, either byte order)."""
    if blob is None:
        return None
    data = bytes(blob)
    if data[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    flags = data[3]
    envelope = (0, 32, 48, 48, 64)[(flags >> 1) & 0b111]
    return shapely.from_wkb(data[8 + envelope :])
