"""Sign-in and roles in the app: a viewer never receives enterprise-level rows, on any page or download."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from store import open_workspace
from store.users import add_user
from tests.conftest import ROOT
from tests.views.tabs import every_tab, open_tab
from views.sources_panel import map_widget_key

PAGES = ("views/map_page.py", "views/land_yield_page.py", "views/siting_page.py", "views/kpi_page.py",
         "views/data_page.py", "views/workspace_page.py", "views/admin_page.py")  # fmt: skip
FIRM_MARKERS = ("样例企业", "913702000000")  # sample firm names and credit codes


@pytest.fixture
def app(tmp_path, monkeypatch):
    location = tmp_path / "ws.gpkg"
    monkeypatch.setenv("QDP_WORKSPACE", str(location))
    ws = open_workspace(location)
    add_user(ws, "viewer1", "viewer password 1", "viewer")
    add_user(ws, "analyst1", "analyst password 1", "analyst")
    from views import state

    state.workspace.clear()  # the app opens the workspace of this test
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    yield at, ws
    state.workspace.clear()  # later tests open their own (or none): no sign-in left over from this one


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="auth_name").set_value(name)
    at.text_input(key="auth_password").set_value(password)
    return at.button[0].click().run()


def _everything_sent(at: AppTest) -> str:
    """Every text the page sent to the browser: markdown, tables, iframe pages, download contents."""
    parts = [str(e.value) for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.metric)]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(e.proto) for e in at.get("iframe")]
    for button in at.get("download_button"):
        parts.append(button.proto.label)
    return "\n".join(parts)


def test_sign_in_is_required_once_users_exist(app):
    at, _ = app
    assert [t.label for t in at.text_input] == ["用户名", "密码"] and not at.get("iframe")
    _sign_in(at, "viewer1", "wrong password")
    assert any("不正确" in e.value for e in at.error)
    _sign_in(at, "viewer1", "viewer password 1")
    assert not at.exception and "auth_name" not in [w.key for w in at.text_input]  # signed in: the plan map page
    assert at.title[0].value == "青岛制造业布局规划助手" and any("viewer1" in c.value for c in at.sidebar.caption)


def test_a_viewer_never_receives_firm_level_data(app):
    at, _ = app
    _sign_in(at, "viewer1", "viewer password 1")
    for page in PAGES:
        if page in ("views/workspace_page.py", "views/admin_page.py"):
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)  # not offered to a viewer at all
            continue
        at.switch_page(page).run()
        for tab in [None, *every_tab(at)]:  # the page as opened, then each tab it builds only when opened
            assert not at.exception, (page, tab)
            sent = _everything_sent(at)
            assert not any(marker in sent for marker in FIRM_MARKERS), (page, tab)
            assert not at.get("file_uploader"), page  # no upload anywhere: a viewer cannot make the server read a file
            assert "$argon2" not in sent, page
    at.switch_page("views/land_yield_page.py").run()
    assert [t.label for t in at.tabs] == ["概况", "评价结果", "图表", "下载"]  # no row messages, parameters, saving
    assert any("仅分析员" in i.value for i in open_tab(at, "评价结果").info)
    open_tab(at, "下载")
    labels = [b.proto.label for b in at.get("download_button")]  # area figures, the surface and a print without firms
    assert labels == ["分区统计（GeoJSON）", "栅格面（GeoTIFF，EPSG:4549）", "下载 A4 PDF"]
    at.switch_page("views/siting_page.py").run()
    assert any("需要“分析员”角色" in c.value for c in at.caption)


def test_an_analyst_sees_the_upload_widgets(app):
    at, _ = app
    _sign_in(at, "analyst1", "analyst password 1")
    at.switch_page("views/siting_page.py").run()
    assert len(at.get("file_uploader")) == 3  # plots, exclusion zones, an AHP matrix


def test_an_analyst_sees_firms_and_saves_an_evaluation(app):
    at, ws = app
    _sign_in(at, "analyst1", "analyst password 1")
    at.switch_page("views/land_yield_page.py").run()
    assert not at.exception
    assert any(m in _everything_sent(open_tab(at, "评价结果")) for m in FIRM_MARKERS)
    open_tab(at, "保存到工作空间")
    form_button = next(b for b in at.button if b.label == "保存")
    form_button.click().run()
    assert any("已保存为评价记录" in s.value for s in at.success)
    assert ws.evaluations()["n_firms"].tolist() == [3000]
    assert ws.audit_log()["username"].iloc[0] == "analyst1"


def test_idle_sessions_expire(app, monkeypatch):
    at, _ = app
    _sign_in(at, "viewer1", "viewer password 1")
    monkeypatch.setenv("QDP_SESSION_MINUTES", "1")
    at.session_state["auth_session"]["seen"] = time.time() - 120
    at.run()
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert any("过期" in i.value for i in at.info)


def test_a_saved_site_study_reopens_in_the_language_of_the_page(app):
    """The workspace stores findings, not sentences: switch the language and the reasons follow."""
    from analysis.siting.context import build_context
    from analysis.siting.project import make_project
    from analysis.siting.rank import rank_sites
    from layers import load_layers
    from tests.plans import CONFIG, PLAN

    at, ws = app
    result = rank_sites(make_project(PLAN, "智能家电", 120, 60_000, 3_000), build_context(load_layers(), PLAN), CONFIG)
    ws.save_site_study("平度家电", result, user="analyst1")
    _sign_in(at, "analyst1", "analyst password 1")
    at.switch_page("views/workspace_page.py").run()
    assert not at.exception
    zh_reasons = "\n".join(at.dataframe[0].value["reasons"])
    assert "【规划四(二)】" in zh_reasons
    from views.text import local_time

    stored = ws.site_studies().iloc[0]["created_at"]
    label = at.expander[0].label
    assert local_time(stored) in label and stored not in label  # local time, not the stored UTC (issue 12, 9)
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page("views/workspace_page.py").run()
    en_reasons = "\n".join(at.dataframe[0].value["reasons"])
    assert "[Plan 四(二)]" in en_reasons and "【规划" not in en_reasons


def test_the_admin_page_speaks_the_language_of_the_page(app):
    """Issue 12 (7): English table headers and a user-form button labelled 应用参数并重新评价."""
    at, ws = app
    add_user(ws, "admin1", "admin password 1", "admin")
    _sign_in(at, "admin1", "admin password 1")
    at.switch_page("views/admin_page.py").run()
    assert not at.exception
    headers = [list(d.value.columns) for d in at.dataframe]
    assert headers[0] == ["用户名", "角色", "电子邮箱", "已停用", "创建时间"]
    assert all(not any(h.isascii() and h.isidentifier() for h in cols) for cols in headers), headers
    labels = [b.label for b in at.get("form_submit_button")] if at.get("form_submit_button") else []
    labels += [b.proto.label for b in at.get("button")]
    assert "保存修改" in labels and "应用参数并重新评价" not in labels


def test_deleting_a_saved_study_asks_first(app):
    """Issue 12 (9): 删除 deleted at once, without asking."""
    from analysis.siting.context import build_context
    from analysis.siting.project import make_project
    from analysis.siting.rank import rank_sites
    from layers import load_layers
    from tests.plans import CONFIG, PLAN

    at, ws = app
    result = rank_sites(make_project(PLAN, "食品", 50), build_context(load_layers(), PLAN), CONFIG)
    ws.save_site_study("莱西食品", result, user="analyst1")
    _sign_in(at, "analyst1", "analyst password 1")
    at.switch_page("views/workspace_page.py").run()
    at.button(key=next(b.key for b in at.button if b.key.startswith("ws_del_site_studies"))).click().run()
    assert len(ws.site_studies()) == 1  # nothing deleted yet
    assert any("莱西食品" in w.value and "无法恢复" in w.value for w in at.warning)
    at.button(key=next(b.key for b in at.button if b.key.startswith("ws_no_"))).click().run()
    assert len(ws.site_studies()) == 1 and not at.warning  # cancelled
    at.button(key=next(b.key for b in at.button if b.key.startswith("ws_del_site_studies"))).click().run()
    at.button(key=next(b.key for b in at.button if b.key.startswith("ws_yes_"))).click().run()
    assert len(ws.site_studies()) == 0 and not at.exception


def _submit(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def test_a_saved_site_study_reopens_in_its_page_as_saved(app):
    """Issue 12 (9): saved studies could not be reopened in their page."""
    at, ws = app
    _sign_in(at, "analyst1", "analyst password 1")
    at.switch_page("views/siting_page.py").run()
    at.selectbox(key="site_f_industry").set_value("食品")
    at.number_input(key="site_f_land_mu").set_value(150.0)
    _submit(at, "分析")
    ranking = at.dataframe[0].value
    _submit(at, "保存")
    assert len(ws.site_studies()) == 1
    at.selectbox(key="site_f_industry").set_value("智能家电")  # the planner moves on …
    _submit(at, "分析")
    at.switch_page("views/workspace_page.py").run()
    at.button(key=next(b.key for b in at.button if b.key.startswith("ws_open_s_"))).click().run()
    assert not at.exception  # … and reopens the study: the page, its project and its ranking
    assert at.selectbox(key="site_f_industry").value == "食品" and at.number_input(key="site_f_land_mu").value == 150
    assert at.dataframe[0].value.equals(ranking)
    assert any("已打开保存的选址研究" in s.value and "与保存时一致" in s.value for s in at.success)

    with ws.transaction() as conn:  # as if the software had changed since: the check says so
        conn.exec_driver_sql("UPDATE site_candidates SET score = score + 5 WHERE kind = 'cluster' AND rank = 1")
    at.switch_page("views/workspace_page.py").run()
    at.button(key=next(b.key for b in at.button if b.key.startswith("ws_open_s_"))).click().run()
    assert any("与保存时不同" in w.value for w in at.warning)


def test_a_saved_evaluation_reopens_in_its_page_as_saved(app):
    """Issue 12 (9): saved 亩产效益 runs could not be reopened in their page."""
    at, ws = app
    _sign_in(at, "analyst1", "analyst password 1")
    at.switch_page("views/land_yield_page.py").run()
    at.selectbox(key="ly_coords").set_value("gcj02").run()  # a choice the run must keep
    counts = [m.value for m in at.metric]
    open_tab(at, "保存到工作空间")
    _submit(at, "保存")
    assert len(ws.evaluations()) == 1
    at.selectbox(key="ly_coords").set_value("auto").run()
    at.switch_page("views/workspace_page.py").run()
    at.button(key=next(b.key for b in at.button if b.key.startswith("ws_open_r_"))).click().run()
    assert not at.exception
    assert at.selectbox(key="ly_coords").value == "gcj02" and [m.value for m in at.metric] == counts
    assert any("已打开保存的评价" in s.value and "与保存时一致" in s.value for s in at.success)


def test_a_joined_run_and_its_header_map_are_saved_and_come_back(app):
    """Issue 13 (2): several departments' tables saved as one run reopen as those tables; a header map is a preset."""
    import io

    import pandas as pd

    at, ws = app
    _sign_in(at, "analyst1", "analyst password 1")
    frame = pd.read_csv(ROOT / "data" / "sample_enterprises.csv", skiprows=1, dtype=str).head(40)
    tax = frame[["统一社会信用代码", "企业名称", "区市", "规模", "税收(万元)"]]
    land = frame[["统一社会信用代码", "用地面积(亩)"]]

    def csv(table: pd.DataFrame) -> bytes:
        buffer = io.StringIO()
        table.to_csv(buffer, index=False)
        return buffer.getvalue().encode("utf-8")

    tax = tax.rename(columns={"税收(万元)": "纳税总额"})  # a header the schema does not know
    files = (("税务", "税务.csv", csv(tax)), ("自然资源", "地.csv", csv(land)))
    at.session_state["ly_sources_kept"] = files
    at.switch_page("views/land_yield_page.py").run()
    at.sidebar.selectbox(key=map_widget_key("纳税总额", "zh")).set_value("tax").run()
    at.sidebar.text_input(key="ly_map_name").set_value("税务局表头 2025").run()
    at.sidebar.button(key="ly_map_save").click().run()
    assert ws.datasets("header_map")["name"].tolist() == ["税务局表头 2025"]
    counts = [m.value for m in at.metric]
    open_tab(at, "保存到工作空间")
    _submit(at, "保存")
    at.session_state["ly_header_map"] = {}  # a new session would start without them
    at.session_state["ly_sources_kept"] = files[:1]
    at.switch_page("views/workspace_page.py").run()
    at.button(key=next(b.key for b in at.button if b.key.startswith("ws_open_r_"))).click().run()
    assert not at.exception and [m.value for m in at.metric] == counts
    assert at.session_state["ly_header_map"] == {"纳税总额": "tax"} and len(at.session_state["ly_sources_kept"]) == 2
    assert any("与保存时一致" in s.value for s in at.success)
    at.session_state["ly_header_map"] = {}
    at.switch_page("views/land_yield_page.py").run()
    assert any("缺少必填列" in e.value for e in at.error)
    at.sidebar.button(key="ly_map_apply").click().run()  # next year: the saved header map applied
    assert at.session_state["ly_header_map"] == {"纳税总额": "tax"} and not at.error
