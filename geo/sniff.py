"""What a file really is, from its bytes: the allow-list every reader opens files through.

GDAL opens a file by its content, not by its name: a GDAL VRT saved as ``地块.geojson`` is
opened as VRT and can read any file on the server. So every upload and imported file is
identified here from its first bytes (magic numbers and structure), must be one of the formats
the caller allows, and must agree with its suffix. Formats that can reference other files or
URLs (VRT, KML, GML and other XML, legacy .xls) are refused outright.

Examples
--------
>>> sniff(b'{"type": "FeatureCollection", "features": []}')
'geojson'
>>> sniff(b"name,tax\\n1,2\\n")
'csv'
>>> sniff(b"<OGRVRTDataSource><OGRVRTLayer/></OGRVRTDataSource>")
'vrt'
>>> expect_format(b'{"type": "FeatureCollection"}', "plots.csv", VECTOR_FORMATS)
Traceback (most recent call last):
...
geo.sniff.FormatError: 文件内容是 GeoJSON，与扩展名“.csv”不符，请核实文件 / the content is GeoJSON but ...
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

__all__ = [
    "FORMAT_NAMES",
    "SUFFIXES",
    "TABLE_FORMATS",
    "VECTOR_FORMATS",
    "FormatError",
    "check_zip",
    "expect_format",
    "sniff",
    "zip_has_links",
]

VECTOR_FORMATS = frozenset({"geojson", "gpkg", "shapefile_zip", "shp"})
TABLE_FORMATS = frozenset({"csv", "xlsx"})
SUFFIXES = {
    "geojson": (".geojson", ".json"),
    "gpkg": (".gpkg",),
    "shapefile_zip": (".zip",),
    "shp": (".shp",),
    "xlsx": (".xlsx", ".xlsm"),
    "csv": (".csv", ".txt"),
}
FORMAT_NAMES = {
    "geojson": ("GeoJSON", "GeoJSON"),
    "gpkg": ("GeoPackage", "GeoPackage"),
    "shapefile_zip": ("压缩的 Shapefile（.zip）", "zipped Shapefile"),
    "shp": ("Shapefile", "Shapefile"),
    "xlsx": ("Excel 工作簿（.xlsx）", "Excel workbook (.xlsx)"),
    "csv": ("CSV 文本表格", "CSV text table"),
}
# Refused formats: (Chinese, English) reason.
_REFUSED = {
    "vrt": ("GDAL VRT（可引用服务器上的其他文件）", "a GDAL VRT, which can reference other files on the server"),
    "kml": ("KML（可含网络链接）", "KML, which can contain network links"),
    "xml": ("XML（GML/VRT 等可引用其他文件或网址）", "XML (GML, VRT …), which can reference other files or URLs"),
    "xls": ("旧版 Excel（.xls），请在 Excel 中另存为 .xlsx", "a legacy .xls workbook; save it as .xlsx in Excel"),
    "sqlite": ("SQLite 数据库，但不是 GeoPackage", "an SQLite database that is not a GeoPackage"),
    "zip": ("zip，但其中既没有 Shapefile 也不是 Excel 工作簿", "a zip with neither a Shapefile nor an Excel workbook"),
    "binary": ("二进制数据，不是可识别的表格或图层", "binary data, not a table or layer this program reads"),
    "json": ("JSON，但不是 GeoJSON 对象", "JSON that is not a GeoJSON object"),
    "pdf": ("PDF 文档", "a PDF document"),
}
_GPKG_IDS = (b"GPKG", b"GP10", b"GP11")
_SNIFF_BYTES = 4096


class FormatError(ValueError):
    """The content is not an allowed format or disagrees with the file name (bilingual message)."""


def _strip_bom(head: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return head[len(bom) :]
    return head


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = [n.lower() for n in zf.namelist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return "binary"
    if "[content_types].xml" in names and any(n.startswith("xl/workbook") for n in names):
        return "xlsx"
    if any(n.endswith(".shp") for n in names):
        return "shapefile_zip"
    return "zip"


def sniff(data: bytes) -> str:
    """Identify content: an allowed format (keys of :data:`SUFFIXES`) or a refused kind.

    Parameters
    ----------
    data : bytes
        The whole file (zip formats are told apart by their member names).

    Returns
    -------
    str
        ``"geojson"``, ``"gpkg"``, ``"shapefile_zip"``, ``"shp"``, ``"xlsx"``, ``"csv"``, or a
        refused kind (``"vrt"``, ``"kml"``, ``"xml"``, ``"xls"``, ``"sqlite"``, ``"zip"``,
        ``"json"``, ``"pdf"``, ``"binary"``).
    """
    head = data[:_SNIFF_BYTES]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg" if head[68:72] in _GPKG_IDS else "sqlite"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head[:4] == b"\x00\x00\x27\x0a":  # ESRI Shapefile main file (big-endian file code 9994)
        return "shp"
    text = _strip_bom(head).lstrip()
    if text.startswith(b"<"):
        lowered = text[:_SNIFF_BYTES].lower()
        if b"ogrvrtdatasource" in lowered:
            return "vrt"
        if b"<kml" in lowered:
            return "kml"
        return "xml"
    if text.startswith(b"{"):
        return "geojson"
    if text.startswith(b"["):
        return "json"
    if b"\x00" in head:
        return "binary"
    return "csv"


def expect_format(data: bytes, filename: str, allowed: frozenset[str] | set[str]) -> str:
    """The sniffed format of ``data``, checked against ``allowed`` and the suffix of ``filename``.

    Raises
    ------
    FormatError
        A refused kind, a format the caller does not read, or content that disagrees with the
        suffix (``表格.csv`` holding a zip, say).
    """
    kind = sniff(data)
    suffix = Path(filename).suffix.lower()
    if kind in _REFUSED:
        zh, en = _REFUSED[kind]
        raise FormatError(f"文件内容是 {zh}，不予读取 / the content is {en}; refused")
    if kind not in allowed:
        zh, en = FORMAT_NAMES[kind]
        wanted_zh = "、".join(FORMAT_NAMES[k][0] for k in sorted(allowed))
        wanted_en = ", ".join(FORMAT_NAMES[k][1] for k in sorted(allowed))
        raise FormatError(f"文件内容是 {zh}，此处只接受 {wanted_zh} / the content is {en}; expected {wanted_en}")
    if suffix not in SUFFIXES[kind]:
        zh, en = FORMAT_NAMES[kind]
        raise FormatError(
            f"文件内容是 {zh}，与扩展名“{suffix or '（无）'}”不符，请核实文件 / "
            f"the content is {en} but the name ends in {suffix or '(nothing)'}; check the file"
        )
    return kind


def zip_has_links(infos: list[zipfile.ZipInfo]) -> list[str]:
    """Members of a zip that are symbolic links (Unix mode in the external attributes).

    Examples
    --------
    >>> info = zipfile.ZipInfo("a.dbf")
    >>> info.external_attr = (stat.S_IFLNK | 0o777) << 16
    >>> zip_has_links([info, zipfile.ZipInfo("a.shp")])
    ['a.dbf']
    """
    return [i.filename for i in infos if stat.S_ISLNK(i.external_attr >> 16)]


def check_zip(infos: list[zipfile.ZipInfo], max_unpacked: int, max_ratio: float) -> None:
    """Refuse a zip with unsafe member paths, links, or a size or ratio of a zip bomb.

    Raises
    ------
    FormatError
        Absolute or ``..`` member paths (zip slip), symbolic links, more than ``max_unpacked``
        bytes unpacked, or a member over 1 MB compressed more than ``max_ratio`` times.
    """
    for info in infos:
        pure = PurePosixPath(info.filename.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
            raise FormatError(f"zip 中含有不安全路径 / unsafe path in zip: {info.filename}")
    links = zip_has_links(infos)
    if links:
        raise FormatError(f"zip 中含有符号链接，不予读取 / the zip contains symbolic links: {', '.join(links[:3])}")
    unpacked = sum(i.file_size for i in infos)
    bomb = any(i.file_size > 2**20 and i.file_size > max_ratio * max(i.compress_size, 1) for i in infos)
    if unpacked > max_unpacked or bomb:
        raise FormatError(
            f"zip 解压后过大（{unpacked / 2**20:,.0f} MB，上限 {max_unpacked / 2**20:,.0f} MB）或压缩比异常"
            f"（疑似压缩炸弹），拒绝读取 / the zip unpacks to {unpacked / 2**20:,.0f} MB (limit "
            f"{max_unpacked / 2**20:,.0f} MB) or is compressed suspiciously well (zip bomb?); refused"
        )
