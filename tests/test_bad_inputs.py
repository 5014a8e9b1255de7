"""The hostile-input corpus (tests/data/bad): every file gets a clear bilingual message or a
documented repair from every importer and command line — never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from analysis.land_yield.config import default_config
from analysis.land_yield.pipeline import InputError, evaluate_table
from cli import land_yield as land_yield_cli
from files.enterprises import read_enterprises
from files.results import write_results
from files.xlsx import xlsx_bytes
from geo.io import MAX_INPUT_BYTES, GeoIOError
from layers import __main__ as layers_cli
from layers import load_layer
from layers.imports import import_layer
from tests.conftest import ROOT
from tests.data.bad.make_corpus import PLOT

BAD = Path(__file__).with_name("data") / "bad"

# file → (kind, "ok" | "error", text the note or message must contain)
VECTOR = {
    "malformed.geojson": ("plots", "error", "无法读取"),
    "not_geojson.geojson": ("plots", "error", "无法读取"),
    "points_as_plots.geojson": ("plots", "error", "几何类型应为面"),
    "self_intersecting.geojson": ("plots", "error", "面积变化超过 1%"),
    "empty_geometries.geojson": ("plots", "ok", "空几何"),
    "all_empty.geojson": ("plots", "error", "没有"),
    "metres_as_degrees.geojson": ("plots", "error", "不是有效的经纬度"),
    "swapped_lonlat.geojson": ("plots", "ok", "经纬度顺序颠倒"),
    "outside_qingdao.geojson": ("plots", "error", "不在青岛市范围内"),
    "script_names.geojson": ("plots", "ok", ""),
    "sold_plots.geojson": ("plots", "error", "没有可供地块"),
    "duplicate_ids.geojson": ("plots", "error", "编号重复"),
    "districts_gcj02.geojson": ("districts", "ok", "GCJ-02"),
    "shapefile_no_shx.zip": ("plots", "ok", ".shx"),
    "shapefile_no_prj.zip": ("plots", "error", ".prj"),
    "zip_slip.zip": ("plots", "error", "不安全路径"),
    "zip_bomb.zip": ("plots", "error", "压缩炸弹"),
    "two_shapefiles.zip": ("plots", "error", "恰有一个 .shp"),
    "not_a_zip.zip": ("plots", "error", "二进制数据"),
    # issue 10: files that reference other files, exhaust the server or mislead
    "vrt_as_geojson.geojson": ("plots", "error", "GDAL VRT"),
    "kml_network_link.geojson": ("plots", "error", "KML"),
    "gml_as_geojson.geojson": ("plots", "error", "XML"),
    "gpkg_view.gpkg": ("plots", "error", "视图"),
    "gpkg_recursive_view.gpkg": ("plots", "error", "视图"),
    "gpkg_trigger.gpkg": ("plots", "error", "触发器"),
    "gpkg_attributes_only.gpkg": ("plots", "error", "没有空间图层"),
    "shapefile_symlink.zip": ("plots", "error", "符号链接"),
    "dbf_unreadable.zip": ("plots", "error", ".dbf"),
    "antimeridian_plot.geojson": ("plots", "ok", "1 个要素不在（或超出）青岛市范围，不参与分析：#1（跨日界线）"),
    "hole_outside_shell.geojson": ("plots", "ok", "面积变化超过 1%，未导入"),
    "nan_vertex.geojson": ("plots", "ok", "1 个要素含非数值坐标（NaN/无穷），未导入：#1（NaN）"),
    "prj_gcj02.zip": ("plots", "ok", "名为 GCJ-02"),
}
# file → ("ok", valid rows, texts in the issue table) or ("error", message text)
TABLES = {
    "firms_gbk.csv": ("ok", 2, []),
    "firms_utf8_bom.csv": ("ok", 2, []),
    "firms_title_rows.xlsx": ("ok", 2, []),
    "firms_bad_numbers.csv": ("ok", 1, ["第 3 行：用地面积(亩) 必须大于 0", "第 4 行：用地面积(亩) 必须大于 0",
                                        "第 5 行：税收(万元) 不是数字", "第 6 行：税收(万元) 数值不合理",
                                        "第 7 行：用地面积(亩) 不是数字", "第 8 行：税收(万元) 不是数字"]),
    "firms_duplicate_codes.csv": ("ok", 1, ["第 3 行：统一社会信用代码 与第 2 行重复"]),
    "firms_bd09.csv": ("ok", 1, ["BD09，已全部转换为 WGS84"]),
    "firms_swapped_outside.csv": ("ok", 0, ["可能填反了", "不在青岛市范围内"]),
    "firms_no_rows.csv": ("error", "没有数据行"),
    "firms_missing_columns.csv": ("error", "缺少必填列"),
    "not_a_table.xlsx": ("error", "二进制数据"),
    "empty.csv": ("error", "表格为空"),
    "binary.csv": ("error", "/"),
    # issue 10
    "vrt_as_csv.csv": ("error", "GDAL VRT"),
    "gpkg_attributes_only.gpkg": ("error", "没有空间图层"),
    "firms_tiny_land.csv": ("ok", 1, ["第 3 行：用地面积(亩) 数值过小", "第 4 行：用地面积(亩) 数值过小"]),
    "firms_semicolon_decimal_comma.csv": ("ok", 2, ["以逗号作小数点"]),
    "firms_semicolon_ambiguous.csv": ("error", "无法判断小数点"),
    "firms_quoted_decimal_comma.csv": ("ok", 1, ["第 3 行：用地面积(亩) 不是数字（“12,5”）"]),
    "firms_zero_width.csv": ("ok", 1, ["第 3 行：统一社会信用代码 与第 2 行重复", "第 4 行：统一社会信用代码 与第 2 行重复"]),  # noqa: E501
    "firms_control_characters.csv": ("ok", 2, []),
    "firms_gbk_with_utf8_row.csv": ("ok", 3, ["第 4 行为 UTF-8 编码"]),
    "firms_hidden_first_sheet.xlsx": ("ok", 3, ["读取工作表“2025年”（第 2 个，共 2 个）；隐藏工作表未读：2024年"]),
}  # fmt: skip


def _bilingual(message: str) -> bool:
    """Chinese first, then English after a slash."""
    zh, _, en = message.partition("/")
    return any("\u4e00" <= ch <= "\u9fff" for ch in zh) and sum(ch.isascii() and ch.isalpha() for ch in en) >= 6


def test_the_corpus_is_complete():
    on_disk = {p.name for p in BAD.iterdir() if p.suffix != ".py"}
    assert on_disk == set(VECTOR) | set(TABLES)


@pytest.mark.parametrize("name", sorted(VECTOR))
def test_vector_imports_repair_or_refuse_clearly(name):
    kind, outcome, text = VECTOR[name]
    if outcome == "error":
        with pytest.raises(GeoIOError) as err:
            import_layer(BAD / name, kind)
        assert text in str(err.value) and _bilingual(str(err.value)), str(err.value)
        return
    checked = import_layer(BAD / name, kind)
    assert len(checked.gdf) > 0 and (checked.gdf["geometry_quality"] == "imported").all()
    assert checked.gdf.geometry.is_valid.all() and checked.gdf.crs.to_epsg() == 4326
    if text:
        assert any(text in n for n in checked.notes_zh), checked.notes_zh
        assert len(checked.notes_zh) == len(checked.notes_en)


def test_gcj02_boundaries_are_detected_and_moved_back_onto_the_official_ones():
    official = load_layer("districts").set_index("name")
    fixed = import_layer(BAD / "districts_gcj02.geojson", "districts").gdf.set_index("name")
    as_given = import_layer(BAD / "districts_gcj02.geojson", "districts", coords="wgs84").gdf.set_index("name")
    for name in official.index:
        a, b, c = (g.loc[name].geometry for g in (official, fixed, as_given))
        assert a.symmetric_difference(b).area < 0.05 * a.symmetric_difference(c).area


@pytest.mark.parametrize("name", sorted(TABLES))
def test_enterprise_tables_report_rows_or_refuse_clearly(name):
    expected = TABLES[name]
    districts = load_layer("districts")
    if expected[0] == "error":
        with pytest.raises(InputError) as err:
            evaluate_table(read_enterprises(BAD / name), default_config(), districts)
        assert expected[1] in str(err.value) and _bilingual(str(err.value)), str(err.value)
        return
    ev = evaluate_table(read_enterprises(BAD / name), default_config(), districts)
    assert (ev.result["status"] != "data_error").sum() == expected[1]  # evaluated …
    assert len(ev.result) == ev.prepared.n_input  # … and every other row listed with its errors (issue 13, 1)
    messages = "\n".join(ev.issues["message_zh"])
    for text in expected[2]:
        assert text in messages, messages


def test_files_above_the_size_limit_are_refused_before_reading(tmp_path):
    for suffix, reader in ((".geojson", lambda p: import_layer(p, "plots")), (".csv", read_enterprises)):
        big = tmp_path / f"big{suffix}"
        with big.open("wb") as fh:  # sparse: no disk space used
            fh.truncate(MAX_INPUT_BYTES + 1)
        with pytest.raises((GeoIOError, InputError), match="文件过大"):
            reader(big)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_land_yield_cli_never_shows_a_traceback(name, tmp_path, capsys):
    code = land_yield_cli.main(["--input", str(BAD / name), "--out", str(tmp_path / "out.xlsx")])
    err = capsys.readouterr().err
    assert code == (2 if TABLES[name][0] == "error" else 0)
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("错误 / error:") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", sorted(VECTOR))
def test_layer_import_cli_never_shows_a_traceback(name, tmp_path, capsys):
    kind, outcome, text = VECTOR[name]
    code = layers_cli.main(["import", "--kind", kind, "--input", str(BAD / name), "--out", str(tmp_path / "o.geojson")])
    out = capsys.readouterr()
    assert code == (2 if outcome == "error" else 0) and "Traceback" not in out.err
    assert text in (out.err if code else out.out)


def test_siting_cli_with_bad_plots_exits_2_with_one_line():
    for name in ("zip_bomb.zip", "points_as_plots.geojson", "outside_qingdao.geojson"):
        args = ["--industry", "食品", "--land-mu", "10", "--plots", str(BAD / name)]
        proc = subprocess.run(
            [sys.executable, "-m", "analysis.siting", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


def test_exports_neutralise_formulas(tmp_path):
    ev = evaluate_table(read_enterprises(BAD / "firms_bad_numbers.csv"), default_config(), load_layer("districts"))
    ev.result.loc[ev.result.index[0], "name"] = '=HYPERLINK("http://example.com","点我")'
    write_results(ev, tmp_path / "r.csv", {})
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    import pandas as pd

    book = pd.read_excel(pd.io.common.BytesIO(xlsx_bytes({"s": ev.result[["name", "tax"]]})))
    assert book["name"].iloc[0].startswith("'=") and book["tax"].dtype.kind in "if"  # numbers stay numbers


def _evaluate(name: str):
    return evaluate_table(read_enterprises(BAD / name), default_config(), load_layer("districts"))


def test_decimal_commas_are_read_as_decimals_not_thousands():
    assert sorted(_evaluate("firms_semicolon_decimal_comma.csv").result["land_mu"]) == [7.25, 12.5]


def test_invisible_characters_neither_hide_columns_nor_split_firms():
    ev = _evaluate("firms_zero_width.csv")
    assert ev.result["lon"].notna().all()  # 经度\u200b is 经度: the firm is located
    evaluated = ev.result[ev.result["status"] != "data_error"]
    assert evaluated["credit_code"].tolist() == ["91370200MA3C4FEG2K"]  # one firm, not three
    repeats = ev.result[ev.result["status"] == "data_error"]  # the same code again: listed, saying so
    assert len(repeats) == 2 and repeats["problems_zh"].str.contains("统一社会信用代码 与第 2 行重复").all()


def test_control_and_bidi_characters_are_removed_from_names():
    names = _evaluate("firms_control_characters.csv").result["name"].tolist()
    assert "样例 企业1(合成)" in names and not any(ch in "".join(names) for ch in "\x0b\u202e")


def test_a_prj_naming_gcj02_is_honoured():
    checked = import_layer(BAD / "prj_gcj02.zip", "plots")
    expected = shapely.Polygon(PLOT)
    metric = gpd.GeoSeries([checked.gdf.geometry.iloc[0], expected], crs=4326).to_crs("EPSG:4549")
    assert metric.iloc[0].hausdorff_distance(metric.iloc[1]) < 5  # m; as given it lies ≈ 460 m off


def test_data_outside_qingdao_is_never_ranked():
    checked = import_layer(BAD / "antimeridian_plot.geojson", "plots")
    assert checked.gdf["name"].tolist() == ["好地块"]
    proc = subprocess.run(
        [sys.executable, "-m", "analysis.siting", "--industry", "食品", "--land-mu", "10", "--json",
         "--plots", str(BAD / "antimeridian_plot.geojson")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0 and "跨日界线" not in proc.stdout and "不在（或超出）青岛市范围" in proc.stderr


@pytest.mark.parametrize("name", sorted(VECTOR))
def test_uploads_of_the_corpus_get_the_same_answer_as_files(name):
    """The UI passes content and the uploaded name: same refusal or repair as the file on disk."""
    kind, outcome, text = VECTOR[name]
    upload = ((BAD / name).read_bytes(), f"上传的{name}")
    if outcome == "error":
        with pytest.raises(GeoIOError, match=re.escape(text)):
            import_layer(upload, kind)
    else:
        notes = import_layer(upload, kind).notes_zh
        assert not text or any(text in n for n in notes), notes


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_uploads_of_the_corpus_get_the_same_answer_as_files(name):
    expected = TABLES[name]
    upload = ((BAD / name).read_bytes(), name)
    if expected[0] == "error":
        with pytest.raises(InputError, match=re.escape(expected[1])):
            evaluate_table(read_enterprises(*upload), default_config(), load_layer("districts"))
    else:
        result = evaluate_table(read_enterprises(*upload), default_config(), load_layer("districts")).result
        assert (result["status"] != "data_error").sum() == expected[1]


def test_plots_of_implausible_size_are_left_out_and_named():
    tiny = shapely.box(120.30, 36.30, 120.30001, 36.30001)  # ≈ 1 m²
    good = shapely.Polygon(PLOT)
    gdf = gpd.GeoDataFrame({"id": ["T1", "G1"]}, geometry=[tiny, good], crs=4326)
    checked = import_layer((gdf.to_json().encode(), "plots.geojson"), "plots")
    assert checked.gdf["id"].tolist() == ["G1"]
    assert any("1 个地块面积不合理（应在 0.1–30,000 亩之间），不参与分析：T1（0.0 亩）" in n for n in checked.notes_zh)
    with pytest.raises(GeoIOError, match="全部地块面积不合理"):
        import_layer((gdf.iloc[:1].to_json().encode(), "plots.geojson"), "plots")
