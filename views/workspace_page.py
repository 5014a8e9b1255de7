"""Workspace page (analysts and admins): saved 亩产效益 runs and site studies, their downloads."""

from __future__ import annotations

import json

import geopandas as gpd
import streamlit as st

from i18n import t
from i18n.render import render_all
from store import WorkspaceError
from views import state
from views.reopen import reopen_run, reopen_study
from views.text import local_time, md
from views.yearly_panel import save_sample_years

lang = state.lang()
user = st.session_state["auth_user"]
if not user.has("analyst"):  # the page is not listed for viewers; refuse a direct call as well
    st.error(t("ws_forbidden", lang))
    st.stop()

st.title(t("page_workspace", lang))
ws = state.workspace()
st.caption(t("ws_location", lang).format(location=md(ws.location), version=ws.version))


def _geojson_bytes(gdf) -> bytes:
    return gdf.to_json(drop_id=True, to_wgs84=True, ensure_ascii=False).encode("utf-8")


def _delete_with_confirmation(place, table: str, fid: int, name: object) -> None:
    """删除 asks first: a second step names what goes, with 确认删除 and 取消 (issue 12: it deleted at once)."""
    asking = st.session_state.get("ws_confirm") == (table, fid)
    if not asking:
        if place.button(t("ws_delete", lang), key=f"ws_del_{table}_{fid}", icon=":material/delete:"):
            st.session_state["ws_confirm"] = (table, fid)
            st.rerun()
        return
    place.warning(t("ws_delete_confirm", lang).format(name=md(name)))
    yes, no = place.columns(2)
    if yes.button(t("ws_delete_yes", lang), key=f"ws_yes_{table}_{fid}", type="primary"):
        ws.delete(table, fid, user=user.username)
        st.session_state.pop("ws_confirm", None)
        st.rerun()
    if no.button(t("ws_delete_no", lang), key=f"ws_no_{table}_{fid}"):
        st.session_state.pop("ws_confirm", None)
        st.rerun()


try:
    st.subheader(t("ws_studies", lang))
    studies = ws.site_studies()
    if studies.empty:
        st.caption(t("ws_empty", lang))
    for row in studies.itertuples():
        project = json.loads(row.project_json)
        with st.expander(f"{row.fid} · {row.name} · {project['industry_term']} {project['land_mu']:g} 亩 · "
                         f"{row.created_by or ''} {local_time(row.created_at)}"):  # fmt: skip
            candidates = ws.site_candidates(int(row.fid))
            shown = candidates.drop(columns="geometry")
            for col in ("failed", "reasons"):  # stored as findings: shown in the language of the page
                shown[col] = shown[col].map(lambda found: "\n".join(render_all(found, lang)))
            st.dataframe(shown, hide_index=True, width="stretch", placeholder="—")
            c0, c1, c2 = st.columns(3)
            if c0.button(t("ws_reopen_study", lang), key=f"ws_open_s_{row.fid}", icon=":material/open_in_new:"):
                reopen_study(ws, row)
            export = gpd.GeoDataFrame(shown, geometry=candidates.geometry, crs=4326)
            c1.download_button(t("site_dl_geojson", lang), _geojson_bytes(export[export.geometry.notna()]),
                               file_name=f"site_study_{row.fid}.geojson", key=f"ws_s_{row.fid}",
                               on_click="ignore")  # fmt: skip
            _delete_with_confirmation(c2, "site_studies", int(row.fid), row.name)

    st.subheader(t("ws_runs", lang))
    if st.button(t("ws_sample_years", lang), key="ws_sample_years", icon=":material/science:"):
        with st.spinner(t("ly_working", lang)):
            fids = save_sample_years(user.username)
        st.success(t("ws_sample_years_done", lang).format(n=len(fids), fids="、".join(map(str, fids))))
    runs = ws.evaluations()
    if runs.empty:
        st.caption(t("ws_empty", lang))
    for row in runs.itertuples():
        label = t("ly_sample_short", lang) if row.synthetic else ""
        with st.expander(
            f"{row.fid} · {row.name} · {row.n_firms} · {row.created_by or ''} {local_time(row.created_at)} {label}"
        ):
            st.json(json.loads(row.summary_json))
            c0, c1, c2 = st.columns(3)
            if c0.button(t("ws_reopen_run", lang), key=f"ws_open_r_{row.fid}", icon=":material/open_in_new:"):
                reopen_run(ws, row)
            firms = lambda fid=int(row.fid): _geojson_bytes(ws.evaluation_firms(fid))  # noqa: E731
            c1.download_button(t("ly_dl_points", lang), firms, file_name=f"evaluation_{row.fid}.geojson",
                               key=f"ws_r_{row.fid}", on_click="ignore")  # fmt: skip
            _delete_with_confirmation(c2, "evaluation_runs", int(row.fid), row.name)
except WorkspaceError as exc:
    st.error(md(exc))
