"""Header aliases, units, encodings and the header-row search."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.land_yield.enterprises import find_header_row
from analysis.land_yield.schema import SchemaError, match_columns
from geo.tables import TableReadError, read_table

REQUIRED = {"name": "企业名称", "scale": "规模", "land_mu": "用地面积(亩)", "tax": "税收(万元)"}


@pytest.mark.parametrize(
    ("header", "field", "factor"),
    [
        ("用地面积(亩)", "land_mu", 1.0),
        ("用地面积（亩）", "land_mu", 1.0),  # full-width brackets
        (" 占地面积 ", "land_mu", 1.0),
        ("LAND_MU", "land_mu", 1.0),
        ("用地面积(平方米)", "land_mu", 1 / (10000 / 15)),
        ("用地面积（公顷）", "land_mu", 15.0),
        ("税收(元)", "tax", 1e-4),
        ("实缴税金（亿元）", "tax", 1e4),
        ("tax_wan", "tax", 1.0),
        ("综合能耗(万吨标准煤)", "energy_tce", 1e4),
        ("主要污染物排放量(千克)", "emissions_t", 1e-3),
        ("R&D经费(万元)", "rd", 1.0),
        ("规上/规下", "scale", 1.0),
    ],
)
def test_header_aliases_and_units(header, field, factor):
    headers = {**REQUIRED, field: header}.values()
    m = match_columns(headers)
    assert m[field].header == header
    assert m[field].factor == pytest.approx(factor)


def test_missing_required_column_names_it_and_suggests():
    with pytest.raises(SchemaError, match="用地面积") as err:
        match_columns(["企业名称", "规模", "税收(万元)", "用地面积亩数"])
    assert "用地面积" in str(err.value)


def test_unknown_unit_is_an_error_listing_accepted_units():
    with pytest.raises(SchemaError, match="平方米"):
        match_columns(["企业名称", "规模", "税收(万元)", "用地面积(英亩)"])


def test_two_headers_for_one_field_are_rejected():
    with pytest.raises(SchemaError, match="都表示"):
        match_columns([*REQUIRED.values(), "占地面积"])


def _csv_bytes(encoding: str) -> bytes:
    text = (
        "2024年度亩产效益评价企业名单\n企业名称,规模,用地面积（亩）,税收（万元）\n"
        '青岛甲公司,规上,10,100\n\n即墨乙厂,规下,5,"1,200"\n'
    )
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_title_line_and_row_numbers(encoding):
    table = read_table(_csv_bytes(encoding), "x.csv", find_header=find_header_row)
    assert list(table["企业名称"]) == ["青岛甲公司", "即墨乙厂"]
    assert list(table["_row"]) == [3, 5]  # file rows as Excel shows them; the blank row 4 is skipped
    assert table.attrs["header_row"] == 2
    assert table.loc[1, "税收(万元)"] == "1,200"  # headers are NFKC-folded: full-width brackets become ASCII


def test_xlsx_with_title_row(tmp_path):
    path = tmp_path / "firms.xlsx"
    with pd.ExcelWriter(path) as xl:
        rows = [["名单", None, None, None], list(REQUIRED.values()), ["甲", "规上", 12.5, 300]]
        pd.DataFrame(rows).to_excel(xl, index=False, header=False)
    table = read_table(path, find_header=find_header_row)
    assert table.loc[0, "用地面积(亩)"] == "12.5"
    assert table.loc[0, "_row"] == 3


def test_tab_and_semicolon_delimiters():
    for sep in ("\t", ";"):
        data = (sep.join(REQUIRED.values()) + "\n" + sep.join(["甲", "规上", "3", "4"])).encode()
        assert read_table(data, "t.csv").shape[0] == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xff\xfe\x00\x81\x30\x00", "x.csv", "二进制"),
        (b"\x81\x30\xff\xfe", "x.csv", "编码"),
        (b"not a zip", "x.xlsx", "与扩展名“.xlsx”不符"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "x.xls", "另存为 .xlsx"),
        (b"a,b", "x.pdf", "与扩展名“.pdf”不符"),
        (b"%PDF-1.4 a,b", "x.csv", "PDF"),
        (b"a,a\n1,2\n", "x.csv", "重复"),
    ],
)
def test_unreadable_tables_raise_clear_errors(data, name, message):
    with pytest.raises(TableReadError, match=message):
        read_table(data, name)
