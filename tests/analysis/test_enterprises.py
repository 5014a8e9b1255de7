"""Row-level validation: messages in Chinese with file row numbers; good rows go on."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.land_yield.enterprises import prepare_enterprises
from geo.chinacoords import convert
from layers import load_layer


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return load_layer("districts")


def table(**columns) -> pd.DataFrame:
    base = {
        "企业名称": ["甲", "乙", "丙"],
        "行业代码": ["3811", "C39", "1411"],
        "规模": ["规上", "规上", "规下"],
        "用地面积(亩)": ["10", "20", "5"],
        "税收(万元)": ["100", "50", "10"],
        "营业收入(万元)": ["1000", "800", ""],
        "工业增加值(万元)": ["300", "200", ""],
        "综合能耗(吨标准煤)": ["100", "400", ""],
        "主要污染物排放量(吨)": ["1", "2", ""],
        "从业人员(人)": ["100", "50", ""],
        "区市": ["城阳区", "即墨", "胶州市"],
    }
    base.update(columns)
    frame = pd.DataFrame(base)
    frame["_row"] = np.arange(len(frame)) + 2  # header on row 1
    return frame


def errors(result) -> list[str]:
    return list(result.issues.loc[result.issues["severity"] == "error", "message_zh"])


def test_clean_table_passes_and_names_are_normalised(districts):
    result = prepare_enterprises(table(), districts)
    assert errors(result) == []
    assert list(result.data["district"]) == ["城阳区", "即墨区", "胶州市"]
    assert list(result.data["industry_division"]) == [38, 39, 14]
    assert result.data["employees"].iloc[0] == 100


def test_units_are_converted_from_the_header(districts):
    frame = table(**{"用地面积(亩)": ["6666.67", "13333.33", "3333.33"]}).rename(
        columns={"用地面积(亩)": "用地面积(平方米)", "税收(万元)": "税收(元)"}
    )
    data = prepare_enterprises(frame, districts).data
    assert data["land_mu"].tolist() == pytest.approx([10, 20, 5], abs=1e-3)
    assert data["tax"].tolist() == pytest.approx([0.01, 0.005, 0.001])


def test_row_errors_are_reported_in_chinese_and_rows_left_out(districts):
    frame = table(**{"用地面积(亩)": ["0", "abc", "5"], "规模": ["规上", "规上", "大型"]})
    result = prepare_enterprises(frame, districts)
    assert "第 2 行：用地面积(亩) 必须大于 0" in errors(result)
    assert "第 3 行：用地面积(亩) 不是数字（“abc”）" in errors(result)
    assert any(m.startswith("第 4 行：规模 应为“规上”或“规下”") for m in errors(result))
    assert result.data.empty and result.n_input == 3 and result.n_errors == 3


def test_above_scale_firms_need_their_indicator_inputs(districts):
    frame = table(**{"综合能耗(吨标准煤)": ["", "0", ""], "从业人员(人)": ["100", "-5", ""]})
    result = prepare_enterprises(frame, districts)
    assert "第 2 行：规上企业必须填写 综合能耗(吨标准煤)" in errors(result)
    assert "第 3 行：综合能耗(吨标准煤) 必须大于 0" in errors(result)
    assert "第 3 行：从业人员(人) 不能为负数" in errors(result)
    assert list(result.data["name"]) == ["丙"]  # the 规下 firm needs none of them


def test_unknown_district_suggests_a_name(districts):
    result = prepare_enterprises(table(区市=["城阳区", "即默区", "胶州市"]), districts)
    (message,) = errors(result)
    assert message.startswith("第 3 行：区市 不是青岛市的区市") and "即墨区" in message


def test_duplicate_credit_codes_and_bad_check_character(districts):
    good = "91350100M000100Y43"
    result = prepare_enterprises(table(统一社会信用代码=[good, good, "91350100M000100Y44"]), districts)
    assert errors(result) == ["第 3 行：统一社会信用代码 与第 2 行重复"]
    warnings = result.issues.loc[result.issues["severity"] == "warning", "message_zh"]
    assert any("第 4 行：统一社会信用代码" in w and "校验位" in w for w in warnings)


def test_coordinates_swapped_outside_and_gcj02(districts):
    lon, lat = ["36.3", "130.0", "120.35"], ["120.3", "36.3", "36.30"]
    result = prepare_enterprises(table(经度=lon, 纬度=lat), districts)
    assert "第 2 行：经度、纬度 可能填反了（经度约 120，纬度约 36）" in errors(result)
    assert any(m.startswith("第 3 行：坐标不在青岛市范围内") for m in errors(result))
    # GCJ-02 input is converted to WGS84 (≈ 460 m west in Qingdao).
    gcj = prepare_enterprises(table(经度=["120.35"] * 3, 纬度=["36.30"] * 3), districts, coords="gcj02").data
    expected = convert(np.array([120.35]), np.array([36.30]), "gcj02", "wgs84")
    assert gcj["lon"].iloc[0] == pytest.approx(expected[0][0], abs=1e-6)
    assert gcj.geometry.iloc[0].x == pytest.approx(expected[0][0], abs=1e-6)


def test_a_file_written_latitude_first_is_corrected_with_a_note_as_layers_are(districts):
    """One policy (geo.checks.swapped_everywhere): a whole file swapped is a convention, corrected and
    noted; one swapped row among correct ones is an entry error (above)."""
    result = prepare_enterprises(
        table(经度=["36.30", "36.33", "36.28"], 纬度=["120.35", "120.40", "120.30"]), districts
    )
    assert not errors(result)
    warnings = list(result.issues.loc[result.issues["severity"] == "warning", "message_zh"])
    assert sum("整个文件纬度在前" in w for w in warnings) == 3
    assert result.data["lon"].tolist() == [120.35, 120.40, 120.30] and result.data.geometry.iloc[1].y == 36.33


def test_district_filled_from_location_and_mismatch_warned(districts):
    # (120.40, 36.33) lies in 城阳区 (on land, checked by the join itself)
    result = prepare_enterprises(table(区市=["", "黄岛区", "胶州市"], 经度=["120.40", "120.40", ""],
                                       纬度=["36.33", "36.33", ""]), districts)  # fmt: skip
    located = districts.loc[districts.contains(shapely.Point(120.40, 36.33)), "name"].iloc[0]
    assert list(result.data["district"][:2]) == [located, located]
    assert f"第 3 行：区市 填写为“黄岛区”，坐标位于“{located}”，按坐标所在区市计" in list(result.issues["message_zh"])


def test_parcel_polygons_give_points_and_missing_land(districts):
    centre = gpd.GeoSeries([shapely.Point(120.35, 36.30)], crs=4326).to_crs(4549).iloc[0]
    box = shapely.box(centre.x, centre.y, centre.x + 200, centre.y + 100)  # 20 000 m² = 30 亩
    parcel = gpd.GeoSeries([box], crs=4549).to_crs(4326).iloc[0]
    gdf = gpd.GeoDataFrame(table().iloc[:1].drop(columns=["_row", "用地面积(亩)"]), geometry=[parcel], crs=4326)
    result = prepare_enterprises(gdf, districts)
    assert result.data["land_mu"].iloc[0] == pytest.approx(30, rel=0.01)
    assert result.data.geometry.iloc[0].within(parcel)


def test_numbers_with_separators_are_repaired_and_infinity_is_not_a_number(districts):
    frame = table(**{"税收(万元)": ["1,200", "１５", "inf"], "用地面积(亩)": ["10", "20", "NaN"]})
    result = prepare_enterprises(frame, districts)
    assert result.data["tax"].tolist() == [1200.0, 15.0]
    assert "第 4 行：税收(万元) 不是数字（“inf”）" in errors(result)
    assert "第 4 行：用地面积(亩) 不是数字（“NaN”）" in errors(result)
