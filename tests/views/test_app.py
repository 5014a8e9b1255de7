"""The Streamlit app through streamlit's AppTest (no browser)."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.views.tabs import open_tab


@pytest.fixture
def app(monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def test_map_page_in_chinese_with_data_quality_notice(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "青岛制造业布局规划助手"
    assert any("示意" in i.value and "推测" in i.value for i in app.info)
    assert not app.warning  # offline by default: no online-basemap warning


def test_english_switch(app):
    app.run()
    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Qingdao Manufacturing Layout Planner"
    assert any("schematic" in i.value for i in app.info)


def test_online_basemaps_warn_and_tianditu_without_key_falls_back(app):
    app.run()
    app.sidebar.selectbox(key="basemap").set_value("osm").run()
    assert any("外部" in w.value for w in app.warning)
    app.sidebar.selectbox(key="basemap").set_value("tianditu").run()
    assert any("未配置天地图密钥" in w.value for w in app.warning)
    app.sidebar.selectbox(key="basemap").set_value("gaode").run()
    assert any("GCJ-02" in i.value for i in app.info)
    assert not app.exception


def test_targets_page_shows_the_kpi_table(app):
    app.run()
    app.switch_page("views/kpi_page.py").run()
    assert not app.exception
    kpi = app.dataframe[0].value
    assert len(kpi) == 15
    assert "29左右" in set(kpi["2025年目标"])


def test_targets_page_measures_each_cluster_against_the_plan_target_and_opens_the_map(app):
    app.run()
    app.switch_page("views/kpi_page.py").run()
    assert not app.exception
    assert any(s.value == "集聚区主导产业集聚度（由企业数据测算）" for s in app.subheader)
    shares = next(d.value for d in app.dataframe if "主导产业集聚度(%)" in d.value.columns)
    assert len(shares) == 14 and set(shares["是否达标"]) <= {"达标（超过目标）", "未达标", "待定（行业不明企业较多）"}
    verdicts = [m for m in app.metric if m.label in ("达标（超过目标）", "未达标", "待定（行业不明企业较多）")]
    assert (
        len(verdicts) == 3 and sum(int(m.value) for m in verdicts) == 14
    )  # every cluster has a verdict on the bundled sample
    assert any("合成" in w.value for w in app.warning)  # the sample is labelled synthetic here too
    app.button(key="kpi_conc_map").click().run()
    assert not app.exception and app.session_state["ly_value"] == "leading_share_pct"
    assert app.selectbox(key="ly_value").value == "leading_share_pct"  # the 亩产效益 map shows the indicator


def test_data_page_lists_layers_and_offers_download(app):
    app.run()
    app.switch_page("views/data_page.py").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["图层代码（文件名）"]) == [  # the layer's download name, under a Chinese header
        "districts", "bay_areas", "axes", "axis_corridors", "clusters", "transport_nodes", "roads", "exclusion_zones",
        "plots",
    ]  # fmt: skip
    by_id = table.set_index("图层代码（文件名）")
    assert by_id.loc["clusters", "要素数"] == 14
    assert "合成样例" in by_id.loc["plots", "数据质量"] and "近似" in by_id.loc["transport_nodes", "数据质量"]
    assert "近似" in by_id.loc["roads", "数据质量"] and by_id.loc["roads", "要素数"] > 2000
    assert app.get("download_button")


def _land_yield_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/land_yield_page.py").run()
    return at


def _class_counts(at: AppTest) -> dict[str, int]:
    """Firms per class from the row of figures ("A 优先发展类" → 546)."""
    return {m.label.split()[0]: int(m.value.replace(",", "")) for m in at.metric}


def test_land_yield_page_with_the_sample_is_labelled_and_evaluates():
    at = _land_yield_page()
    assert not at.exception
    assert any("合成样例数据" in w.value for w in at.warning)
    counts = _class_counts(at)
    rated = sum(counts[c] for c in "ABCD")
    assert rated > 2000 and counts["A"] <= 0.2 * rated
    assert sum(counts.values()) == 3000  # every sample firm is counted once (T and out of scope included)


def test_land_yield_weights_editor_changes_the_result():
    at = _land_yield_page()
    before = _class_counts(at)
    open_tab(at, "评价参数")
    at.number_input(key="ly_s_A").set_value(10.0)
    at.number_input(key="ly_s_B").set_value(50.0)
    _apply_button(at).click()
    at.run()
    assert not at.exception and not at.error
    after = _class_counts(at)
    assert after["A"] < before["A"]
    assert "A = 0.1" in at.session_state["ly_config"]


def _apply_button(at: AppTest):
    return next(b for b in at.button if b.label == "应用参数并重新评价")


def test_land_yield_invalid_shares_show_an_error_not_a_crash():
    at = _land_yield_page()
    open_tab(at, "评价参数")
    at.number_input(key="ly_s_A").set_value(50.0)
    _apply_button(at).click()
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    # in the percentages the planner typed (issue 12, 12): not "1.400" of a 0–1 share
    assert any(re.search(r"之和须为 100%，当前为 \d{3}%", e) for e in errors), errors
    assert not any("1.400" in e or "须为 1（" in e for e in errors), errors


def _siting_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/siting_page.py").run()
    return at


def test_siting_page_ranks_clusters_with_reasons_and_labels_sample_data():
    at = _siting_page()
    assert not at.exception and not at.error
    ranking = at.dataframe[0].value
    assert ranking.iloc[0]["名称"] in {"即墨汽车制造产业集聚区", "莱西姜山新能源汽车产业集聚区"}  # default: NEV parts
    assert (ranking["得分"].diff().dropna()[ranking["合规性"].iloc[1:] == "✓"] <= 0).all()
    assert any("合成样例" in i.value for i in at.info)
    assert any("【规划四(二)】" in m.value.replace("\\", "") for m in at.markdown)  # shown escaped


def test_siting_form_changes_the_project_and_standard_land_failures_are_shown():
    at = _siting_page()
    at.selectbox(key="site_f_industry").set_value("食品")
    at.number_input(key="site_f_land_mu").set_value(100.0)
    at.number_input(key="site_f_investment_wan").set_value(5_000.0)  # 50 万元/亩: below the default 300
    next(b for b in at.button if b.label == "分析").click().run()
    assert not at.exception
    assert at.dataframe[0].value.iloc[0]["名称"] == "莱西市食品产业集聚区"
    assert any("标准地" in w.value and "投资强度" in w.value for w in at.warning)


def _cluster_chart(at: AppTest) -> tuple[dict, int] | None:
    """The cluster ranking chart's Vega-Lite spec and how many bars it has."""
    import json

    import pyarrow as pa

    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if spec.get("encoding", {}).get("y", {}).get("field") == "cluster":
            return spec, pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().num_rows
    return None


def test_the_cluster_ranking_is_sorted_by_value_with_a_row_per_cluster():
    """Issue 12 (5): bars were sorted by name and half the labels were dropped."""
    at = open_tab(_land_yield_page(), "图表")
    assert not at.exception
    found = _cluster_chart(at)
    assert found is not None
    spec, n = found
    assert spec["encoding"]["y"]["sort"] == "-x"  # best first, by value
    assert n >= 5 and spec["height"] >= 24 * n  # room for every label
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False


def test_a_small_table_says_there_is_nothing_to_rank_instead_of_an_empty_chart(tmp_path, monkeypatch):
    """Issue 12 (5): a 20-row upload drew an empty chart labelled 0.000000."""
    lines = (ROOT / "data" / "sample_enterprises.csv").read_text(encoding="utf-8-sig").splitlines()
    small = tmp_path / "small.csv"
    small.write_text("\n".join(lines[:8]) + "\n", encoding="utf-8")  # title, header and 6 firms: no cluster has 3
    monkeypatch.setenv("QDP_ENTERPRISES", str(small))
    at = open_tab(_land_yield_page(), "图表")
    assert not at.exception
    assert _cluster_chart(at) is None
    assert any("不作排名" in i.value for i in at.info)


def test_the_download_panel_says_when_geojson_is_not_rfc_7946():
    """Issue 12 (11): the EPSG:4549 GeoJSON was offered as "GeoJSON (RFC 7946)"."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert any("RFC 7946" in c.value and "WGS84" in c.value for c in at.caption)
    at.selectbox(key="map_dl_crs").set_value("EPSG:4549").run()
    assert any("GeoJSON 2008" in c.value for c in at.caption) and not at.exception
    assert all("RFC 7946)" not in o for o in at.selectbox(key="map_dl_fmt").options)


def _map_layer_names(at: AppTest) -> str:
    return " ".join(str(e.proto) for e in at.get("iframe"))


def test_the_firm_filters_apply_to_the_map_as_well_as_the_table():
    """Issue 12 (12): filtering the results table left every firm on the map."""
    at = open_tab(_land_yield_page(), "评价结果")
    assert "筛选后" not in _map_layer_names(at)
    at.multiselect(key="ly_f_class").set_value(["A"]).run()
    assert not at.exception
    shown = re.search(r"筛选结果 ([\d,]+) 行", " ".join(c.value for c in at.caption))
    on_map = re.search(r"企业（按类别）：筛选后 ([\d,]+) 家", _map_layer_names(at))
    assert shown and on_map
    assert on_map.group(1) == shown.group(1) == f"{_class_counts(at)['A']:,}"  # the same 546 firms in both
    at.multiselect(key="ly_f_class").set_value(["A", "B"]).run()
    both = re.search(r"筛选后 ([\d,]+) 家", _map_layer_names(at))
    assert both and int(both.group(1).replace(",", "")) > int(on_map.group(1).replace(",", ""))


def test_scores_above_100_are_explained_next_to_the_table():
    """Issue 12 (12): scores above 100 appeared without explanation."""
    at = _land_yield_page()
    text = " ".join(c.value for c in at.caption)
    assert "综合得分 = Σ 权重 × min(指标值 ÷ 同组中位数, 2)" in text and "最高 200 分" in text
    at.sidebar.radio(key="lang").set_value("en").run()
    assert "scores reach 200" in " ".join(c.value for c in at.caption)


def test_a_firm_is_found_by_its_credit_code_with_a_panel_and_the_map_opens_on_it():
    """Issue 12 (expectations): search a firm by name or 统一社会信用代码 and jump to it, with a firm panel."""
    import unicodedata

    at = _land_yield_page()
    firms = open_tab(at, "评价结果").dataframe[0].value
    code = str(firms.iloc[5]["统一社会信用代码"])
    open_tab(at, "概况")  # the page as it opens: the firm table is not shown
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in code)  # typed full-width
    assert unicodedata.normalize("NFKC", wide) == code != wide
    at.text_input(key="ly_search").set_value(wide).run()
    assert not at.exception
    assert any(code in m.value for m in at.markdown)  # the firm panel names it …
    assert {m.label for m in at.metric} >= {"类别", "综合得分", "组内排名"}
    assert any("同组中位数" in d.value.columns for d in at.dataframe)  # … with its cohort medians
    assert at.session_state["ly_tab"] == "评价结果"  # the firm table opens, the firm's row first
    assert str(at.dataframe[-1].value.iloc[0]["统一社会信用代码"]) == code
    open_tab(at, "概况")  # the planner may go back: the firm found does not pull the table open again
    assert at.session_state["ly_tab"] == "概况"
    page = " ".join(str(e.proto) for e in at.get("iframe"))
    lon, lat = (float(firms.iloc[5][c]) for c in ("经度", "纬度"))
    view = page.split("function go()")[-1][:200]
    assert "setView" in view and ", 14, " in view  # the map opens on the firm, zoomed in
    shown = [float(x) for x in re.search(r"setView\(\[([\d.]+), ([\d.]+)\]", view).groups()]
    assert abs(shown[0] - lat) < 1e-5 and abs(shown[1] - lon) < 1e-5
    at.text_input(key="ly_search").set_value("没有这家企业").run()
    assert any("未找到" in c.value for c in at.caption)


def test_the_land_yield_page_builds_only_the_open_tab():
    """Issue 12 (speed): the table, charts, parameter form and downloads were all built before the map painted."""
    at = _land_yield_page()
    tabs = ["概况", "评价结果", "图表", "下载", "数据校验", "数据合并", "历年对比", "差别化政策", "公示与异议",
            "存量企业", "评价参数", "保存到工作空间"]  # fmt: skip
    assert [t.label for t in at.tabs] == tabs
    # the overview opens first: no data grid (its script costs the browser 0.3–0.5 s before the map paints)
    assert not at.dataframe and "| A | 优先发展类 | 0–20 % |" in " ".join(m.value for m in at.markdown)
    assert _cluster_chart(at) is None and not at.number_input and not at.get("download_button")
    assert len(open_tab(at, "评价结果").dataframe) == 1  # the results table only
    open_tab(at, "图表")
    assert _cluster_chart(at) is not None and not at.dataframe


def test_the_open_tab_survives_a_language_switch_and_a_page_change():
    at = open_tab(_land_yield_page(), "评价参数")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.session_state["ly_tab"] == "Parameters" and at.number_input(key="ly_s_A")
    at.switch_page("views/map_page.py").run()
    at.switch_page("views/land_yield_page.py").run()
    assert not at.exception and at.number_input(key="ly_s_A").value == 20.0


def _map_view(at: AppTest) -> str:
    """The view-setting script of the map on the page (plan map: st_folium; 亩产效益: iframe)."""
    page = " ".join(str(e.proto) for e in (*at.get("component_instance"), *at.get("iframe")))
    return page.split("function go()")[-1][:240] if "function go()" in page else ""


def test_the_plan_map_opens_on_a_place_or_coordinates_typed():
    """Issue 12 (find things): search a place (district, cluster, town) or type coordinates and go there."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert _map_view(at) == ""  # the city view
    at.text_input(key="plan_place").set_value("即墨汽车").run()
    view = _map_view(at)
    assert "fitBounds" in view and not at.exception  # a cluster: its box, outlined
    south, west = (float(v) for v in re.search(r"fitBounds\(\[\[([\d.]+), ([\d.]+)\]", view).groups())
    assert 36.2 < south < 36.6 and 120.3 < west < 120.6
    at.text_input(key="plan_place").set_value("北纬36°04′12″ 东经120°22′48″").run()
    assert "setView([36.07, 120.38], 14" in _map_view(at)
    assert any("已定位" in c.value and "N/E" in c.value for c in at.caption)
    at.selectbox(key="plan_place_system").set_value("gcj02").run()  # typed from a Gaode map: ≈ 0.5 km west
    lat, lon = (float(v) for v in re.search(r"setView\(\[([\d.]+), ([\d.]+)\]", _map_view(at)).groups())
    assert 120.374 < lon < 120.377 and 36.069 < lat < 36.071
    at.text_input(key="plan_place").set_value("没有这个地方").run()
    assert any("未找到" in c.value for c in at.caption) and _map_view(at) == ""


def test_a_viewer_on_the_land_yield_page_finds_places_but_never_firms(monkeypatch):
    """The one search box finds firms for analysts only; everyone can find places."""
    at = open_tab(_land_yield_page(), "评价结果")
    code = str(at.dataframe[0].value.iloc[0]["统一社会信用代码"])
    from views import auth

    monkeypatch.setattr(auth.User, "has", lambda self, role: role == "viewer")  # the page as a viewer sees it
    at.switch_page("views/map_page.py").run()
    at.switch_page("views/land_yield_page.py").run()
    at.text_input(key="ly_search").set_value(code).run()
    assert not at.exception and not any(code in m.value for m in at.markdown)
    at.text_input(key="ly_search").set_value("董家口").run()
    assert "fitBounds" in _map_view(at) or "setView" in _map_view(at)


def _marked_rows(frame) -> set[int]:
    """Rows of a styled table shown in yellow (Styler CSS sent with the table)."""
    styles = frame.proto.arrow_data.styler.styles
    return {int(r) for r in re.findall(r"_row(\d+)_col0\b", styles)} if "#fde68a" in styles else set()


def test_the_siting_table_and_map_select_each_other():
    """Issue 12 (table ⇄ map): ticking clusters outlines them on the map; a cluster clicked is marked in the table."""
    from views import state

    at = _siting_page()
    ranking = at.dataframe[0].value
    assert _marked_rows(at.dataframe[0]) == set()
    clusters = state.plan_layers()["clusters"]
    second = ranking.iloc[1]["名称"]
    spot = clusters[clusters["name"] == second].geometry.iloc[0].representative_point()
    at.session_state["site_map_event"] = ("point", (spot.x, spot.y), "wgs84")  # what a click on the map stores
    at.run()
    assert not at.exception and _marked_rows(at.dataframe[0]) == {1}
    at.session_state["site_cluster_table"] = {"selection": {"rows": [2], "columns": []}}  # the third row ticked
    at.run()
    view = _map_view(at)
    south, west, north, east = (float(v) for v in re.search(r"fitBounds\(\[\[([\d.]+), ([\d.]+)\], \[([\d.]+), "
                                                                  r"([\d.]+)\]\]", view).groups())  # fmt: skip
    third = clusters[clusters["name"] == ranking.iloc[2]["名称"]].geometry.iloc[0]
    assert (west, south, east, north) == pytest.approx(third.bounds, abs=1e-5)


def test_tables_in_chinese_show_no_english_placeholders(tmp_path, monkeypatch):
    """Screenshots at 1366×768: "None" in the targets table, "empty" grids and an "E-mail" label on the admin page."""
    monkeypatch.setenv("QDP_WORKSPACE", str(tmp_path / "ws.gpkg"))
    from views import state

    state.workspace.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/kpi_page.py").run()
    assert at.dataframe and all(d.proto.placeholder == "—" for d in at.dataframe)  # a missing 2020 value: —
    at.switch_page("views/admin_page.py").run()
    labels = [w.label for w in at.text_input]
    assert "电子邮箱" in labels and "E-mail" not in labels
    assert not at.dataframe and any(c.value == "暂无记录" for c in at.caption)  # no users, datasets or audit rows yet
    state.workspace.clear()
