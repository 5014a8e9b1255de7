"""Small files that would exhaust the server: each is refused by its own limit, quickly, with its own message.

The big cases are generated at run time (nothing large is stored). Every case goes through the
path an upload takes (content and file name) and through a command line.
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np
import pytest

from analysis.land_yield.pipeline import InputError
from files.enterprises import read_enterprises
from geo import bounded
from geo.io import GeoIOError
from geo.limits import LIMITS
from layers.imports import import_layer
from tests.conftest import ROOT

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>{doctype}'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def xlsx(rows: int, doctype: str = "", name: str = "Sheet1", wide: bool = False, columns: int = 1) -> bytes:
    """A minimal workbook whose one sheet really holds ``rows`` rows (``columns`` cells each, or one far cell)."""
    letters = [chr(ord("A") + i // 26 - 1) + chr(ord("A") + i % 26) if i >= 26 else chr(ord("A") + i)
               for i in range(columns)]  # fmt: skip
    cells = "".join(f'<c r="{c}{{r}}" t="n"><v>1</v></c>' for c in letters)
    cell = '<c r="XFD{r}" t="n"><v>1</v></c>' if wide else cells
    body = "".join(f'<row r="{r}">{cell.format(r=r)}</row>' for r in range(1, rows + 1))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK.format(doctype=doctype, name=name))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def polygon_geojson(n: int, seed: int = 0) -> bytes:
    """One plot of ``n`` random vertices near 城阳 (wildly self-intersecting)."""
    rng = np.random.default_rng(seed)
    ring = np.c_[120.30 + rng.random(n) * 0.02, 36.30 + rng.random(n) * 0.02].round(6).tolist()
    ring.append(ring[0])
    feature = {
        "type": "Feature",
        "properties": {"name": "乱线"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def _timed(func, *args):
    start = time.perf_counter()
    with pytest.raises((GeoIOError, InputError)) as err:
        func(*args)
    return str(err.value), time.perf_counter() - start


def test_an_xlsx_with_a_million_rows_is_refused_before_it_is_loaded():
    data = xlsx(1_048_576)
    assert len(data) < 6 * 2**20  # a small file …
    message, seconds = _timed(read_enterprises, data, "企业.xlsx")
    assert f"行数过多（超过 {LIMITS.max_rows:,}）" in message and seconds < 10  # … refused by counting, not loading


def test_a_sheet_with_a_far_column_is_refused_by_its_width():
    message, _ = _timed(read_enterprises, xlsx(10, wide=True), "企业.xlsx")
    assert "列数过多（超过 200）" in message


def test_tables_with_too_many_cells_are_refused_before_they_are_loaded():
    rows = LIMITS.max_cells // 40 + 1  # within the row limit, 40 columns: over the cell limit
    message, seconds = _timed(read_enterprises, xlsx(rows, columns=40), "企业.xlsx")
    assert f"单元格数过多（超过 {LIMITS.max_cells:,}）" in message and seconds < 10
    data = ("企业名称" + ",x" * 39 + "\n" + ("某企业" + ",1" * 39 + "\n") * rows).encode()
    message, _ = _timed(read_enterprises, data, "企业.csv")
    assert f"单元格数过多（{(rows + 1) * 40:,}），上限 {LIMITS.max_cells:,}" in message


def test_an_xlsx_with_an_entity_bomb_is_refused():
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    message, _ = _timed(read_enterprises, xlsx(3, doctype=laughs, name="&lol2;"), "企业.xlsx")
    assert "结构损坏" in message


def test_a_csv_with_too_many_rows_is_refused():
    data = ("企业名称,用地面积(亩),税收(万元)\n" + "某企业,10,1\n" * (LIMITS.max_rows + 1)).encode()
    message, seconds = _timed(read_enterprises, data, "企业.csv")
    assert "行数过多" in message and seconds < 10


def test_a_polygon_with_too_many_vertices_is_refused_before_any_repair():
    data = polygon_geojson(100_000)
    message, seconds = _timed(import_layer, (data, "地块.geojson"), "plots")
    assert f"第 1 个要素有 100,001 个顶点，上限 {LIMITS.max_vertices_per_geometry:,}" in message and seconds < 10


def test_a_scribbled_polygon_is_refused_by_its_crossings_before_any_repair():
    # 5,000 random vertices cross themselves ≈ 6 million times: repairing them grew past 380 MB
    # (in all ≈ 600 MB with the interpreter); counting stops after the first thousand.
    message, seconds = _timed(import_layer, (polygon_geojson(5_000), "地块.geojson"), "plots")
    assert f"1 个要素的边界自相交超过 {LIMITS.max_repair_crossings:,} 处，无法可靠修复，未导入" in message
    assert "#1（乱线）" in message and seconds < 5


def test_a_scribble_is_left_out_and_named_while_the_other_plots_are_imported():
    scribble = json.loads(polygon_geojson(2_000))["features"][0]
    square = [[120.31, 36.31], [120.312, 36.31], [120.312, 36.312], [120.31, 36.312], [120.31, 36.31]]
    bow_tie = [[120.32, 36.32], [120.322, 36.322], [120.322, 36.32], [120.32, 36.322], [120.32, 36.32]]
    features = [scribble] + [
        {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for name, ring in (("方块", square), ("蝴蝶", bow_tie))
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    layer = import_layer((data, "地块.geojson"), "plots")
    assert sorted(layer.gdf["name"]) == ["方块"]  # the bow-tie's repair changes its area: refused for that
    text = " ".join(layer.notes_zh)
    assert "边界自相交超过" in text and "#1（乱线）" in text and "面积变化超过 1%" in text


def test_a_parse_that_takes_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(bounded, "LIMITS", dataclasses.replace(LIMITS, seconds=1.0))
    start = time.perf_counter()
    with pytest.raises(bounded.ResourceLimitError, match="用时超过 1 秒"):
        bounded.run_bounded(time.sleep, 30)
    assert time.perf_counter() - start < 5


def test_a_parse_that_needs_too_much_memory_is_stopped(monkeypatch):
    monkeypatch.setattr(bounded, "LIMITS", dataclasses.replace(LIMITS, memory_bytes=20 * 2**20))
    rows = "".join(f"某企业{i},{i % 50 + 1},{i % 7}\n" for i in range(200_000))
    message, _ = _timed(read_enterprises, ("企业名称,用地面积(亩),税收(万元)\n" + rows).encode(), "企业.csv")
    assert "内存超过 20 MB" in message


def test_the_command_lines_refuse_the_big_cases_in_one_line(tmp_path):
    (tmp_path / "rows.xlsx").write_bytes(xlsx(1_048_576))
    (tmp_path / "poly.geojson").write_bytes(polygon_geojson(100_000))
    for args, text in (
        (["analysis.land_yield", "--input", str(tmp_path / "rows.xlsx"), "--out", str(tmp_path / "o.csv")], "行数过多"),
        (["layers", "import", "--kind", "plots", "--input", str(tmp_path / "poly.geojson"), "--out",
          str(tmp_path / "o.geojson")], "顶点"),
        (["layers", "import", "--kind", "plots", "--input", "/vsicurl/http://127.0.0.1:9/x.geojson", "--out",
          str(tmp_path / "o.geojson")], "虚拟路径"),
    ):  # fmt: skip
        proc = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and text in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_large_arguments_and_results_reach_the_worker_through_a_private_folder_that_is_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    spilled = []
    spill = bounded._spill
    monkeypatch.setattr(bounded, "_spill", lambda *a: spilled.append(spill(*a)) or spilled[-1])
    data = bytes(range(256)) * 8192  # 2 MB: handed over as a file
    assert bounded.run_bounded(bytes.upper, data) == data.upper()
    members = {"a.shp": data, "a.dbf": b"small"}
    assert bounded.run_bounded(dict.copy, members) == members
    assert sum(isinstance(v, bounded._Spilled) for v in spilled) == 2  # the 2 MB, alone and in the dict
    assert b"small" in spilled  # small values go through the pipe
    assert list(tmp_path.iterdir()) == []
