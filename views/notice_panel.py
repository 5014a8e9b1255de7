"""The 公示与异议 tab of the 亩产效益 page (issue 13, 5): notice lists and the objection register.

* :func:`notice_tab` — download the 公示名单 (XLSX, DOCX; firms' figures only when ticked) and keep
  the register of the saved run: record an objection and its decision (each entry also goes to the
  audit log), see the register, download it for ``--objections``;
* :func:`objection_register` — the register in force for the evaluation shown: the one of the saved
  run chosen in the tab, or of the run reopened from the workspace. :func:`views.yearly_panel.with_extras`
  applies it before the year-on-year comparison and the policy, so every output shows the class
  after review.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.land_yield.objections import (
    DECISIONS,
    Objection,
    ObjectionError,
    effective,
    make_objection,
    register_table,
)
from analysis.land_yield.sources import normalise_codes
from files.notice import NoticeOptions, notice_docx, notice_xlsx
from geo.tables import neutralise_formulas
from i18n import t
from store import WorkspaceError
from views import state
from views.reopen import RUN_KEY
from views.text import local_time, md

__all__ = ["REGISTER_RUN", "notice_tab", "objection_register", "reviewed_rows"]

REGISTER_RUN = "ly_objection_run"  # fid of the saved run whose register applies (None: none)
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _runs_of(year: int) -> pd.DataFrame:
    """Saved runs of the evaluation year, latest first."""
    try:
        runs = state.workspace().evaluations()
    except WorkspaceError:
        return pd.DataFrame(columns=["fid", "name", "evaluation_year", "created_at"])
    return runs[runs["evaluation_year"] == year]


def _signature(key: tuple) -> tuple:
    """What identifies the input evaluated (file name, parameters, coordinates), as :func:`views.reopen.check_run`."""
    return (key[1], key[2], key[3])


def _register_fid(year: int, key: tuple) -> int | None:
    """The run whose register applies: chosen in the tab for this input, else the run reopened (when of this year).

    A choice made for another input (another file or parameters) does not carry over.
    """
    fids = set(int(f) for f in _runs_of(year)["fid"])
    chosen = st.session_state.get(REGISTER_RUN)
    if chosen is not None and chosen[1] == _signature(key):
        return chosen[0] if chosen[0] in fids else None
    reopened = st.session_state.get(RUN_KEY)
    if reopened and reopened["key"] == _signature(key) and int(reopened["fid"]) in fids:
        return int(reopened["fid"])
    return None


def objection_register(ev, key: tuple) -> list[Objection]:
    """The register in force for ``ev`` (an :class:`analysis.land_yield.pipeline.Evaluation` of ``key``), or none."""
    fid = _register_fid(ev.config.evaluation_year, key)
    if fid is None:
        return []
    try:
        return state.workspace().objections(fid)
    except WorkspaceError:
        return []


def reviewed_rows(ev) -> tuple[tuple[int, str, str, str], ...]:
    """(row, class, zh, en) of the firms whose class was reviewed on objection (for the map, whose cache keys on it)."""
    if "objection" not in ev.result.columns:
        return ()
    hit = ev.result[ev.result["objection"] != ""]
    return tuple((int(i), str(r["class"]), str(r["objection_zh"]), str(r["objection_en"])) for i, r in hit.iterrows())


def _downloads(ev, lang: str) -> None:
    st.caption(t("ly_notice_intro", lang))
    figures = st.checkbox(t("ly_notice_figures", lang), key="ly_notice_figures")
    options = NoticeOptions(ev.config.evaluation_year, lang, figures, ev.synthetic)
    c1, c2 = st.columns(2)
    stem = f"公示名单_{ev.config.evaluation_year}" if lang == "zh" else f"notice_{ev.config.evaluation_year}"
    c1.download_button(t("ly_notice_xlsx", lang), lambda: notice_xlsx(ev.result, options), file_name=f"{stem}.xlsx",
                       mime=_XLSX, key="ly_notice_xlsx", on_click="ignore", icon=":material/download:")  # fmt: skip
    c2.download_button(t("ly_notice_docx", lang), lambda: notice_docx(ev.result, options), file_name=f"{stem}.docx",
                       mime=_DOCX, key="ly_notice_docx", on_click="ignore", icon=":material/download:")  # fmt: skip


def _run_picker(year: int, key: tuple, lang: str) -> int | None:
    runs = _runs_of(year)
    labels: dict[int | None, str] = {None: t("ly_objection_none", lang)}
    labels.update({int(r.fid): f"#{int(r.fid)} {r.name} · {local_time(str(r.created_at))}" for r in runs.itertuples()})
    options = list(labels)
    current = _register_fid(year, key)
    choice = st.selectbox(t("ly_objection_run", lang), options, index=options.index(current),
                          format_func=labels.__getitem__, key=f"ly_objection_pick_{lang}")  # fmt: skip
    if choice != current:
        st.session_state[REGISTER_RUN] = (choice, _signature(key))
        st.rerun()
    return choice


def _form(ev, fid: int, lang: str) -> None:
    decisions = list(DECISIONS)
    with st.form("ly_objection_form", clear_on_submit=True):
        c1, c2 = st.columns(2)
        code = c1.text_input(t("ly_objection_code", lang), max_chars=40, key="ly_obj_code")
        received = c2.date_input(t("ly_objection_received", lang), value=None, format="YYYY-MM-DD", key="ly_obj_date")
        claim = st.text_area(t("ly_objection_claim", lang), max_chars=2000, height=80, key="ly_obj_claim")
        c3, c4 = st.columns(2)
        decision = c3.radio(t("ly_objection_decision", lang), decisions, horizontal=True, key=f"ly_obj_decision_{lang}",
                            format_func=lambda d: DECISIONS[d][0 if lang == "zh" else 1])  # fmt: skip
        after = c4.selectbox(t("ly_objection_class_after", lang), ["", "A", "B", "C", "D"], key="ly_obj_after",
                             format_func=lambda c: c or "—")  # fmt: skip
        reason = st.text_area(t("ly_objection_reason", lang), max_chars=2000, height=80, key="ly_obj_reason")
        if not st.form_submit_button(t("ly_objection_record", lang), icon=":material/gavel:", key="ly_obj_submit"):
            return
    user = st.session_state["auth_user"].username
    try:
        objection = make_objection(ev.result, code, claim, decision, after, reason,
                                   received.isoformat() if received else "", user)  # fmt: skip
        _same_in_run(fid, objection)
        state.workspace().record_objection(fid, objection, user)
    except (ObjectionError, WorkspaceError) as exc:
        st.error(md(exc))
        return
    st.session_state["ly_objection_done"] = f"{objection.name} · {objection.credit_code}"
    st.rerun()


def _same_in_run(fid: int, objection: Objection) -> None:
    """Refuse an objection the saved run would not recognise (the firm rated otherwise there, or absent)."""
    stored = state.workspace().evaluation_firms(fid)
    codes = normalise_codes(stored["credit_code"])
    there = stored.loc[(codes == objection.credit_code).to_numpy(), "class"]
    if there.empty or str(there.iloc[0]) != objection.class_before:
        now = "—" if there.empty else str(there.iloc[0]) or "—"
        shown = objection.class_before
        raise ObjectionError(f"保存的评价 #{fid} 中该企业为“{now}”，与当前显示的 {shown} 类不同：请先打开该次评价再登记"
                             f" / run #{fid} rates the firm {now}, not {shown} as shown: reopen that run "
                             "to record")  # fmt: skip


def notice_tab(key: tuple, ev, lang: str) -> None:
    """The 公示与异议 tab (analysts)."""
    _downloads(ev, lang)
    st.subheader(t("ly_objection_title", lang))
    year = ev.config.evaluation_year
    if _runs_of(year).empty:
        st.info(t("ly_objection_save_first", lang).format(year=year, save=t("ly_tab_save", lang)),
                icon=":material/save:")  # fmt: skip
        return
    fid = _run_picker(year, key, lang)
    if fid is None:
        return
    done = st.session_state.pop("ly_objection_done", None)
    if done:
        st.success(t("ly_objection_recorded", lang).format(firm=md(done)), icon=":material/check_circle:")
    for zh, en in ev.objection_warnings:
        st.warning(md(zh if lang == "zh" else en), icon=":material/warning:")
    _form(ev, fid, lang)
    register = state.workspace().objections(fid)
    if not register:
        return
    decided = [o.decision for o in effective(register).values()]
    counts = {d: decided.count(d) for d in DECISIONS}
    st.caption(t("ly_objection_count", lang).format(n=len(register), **counts))
    table = register_table(register, lang)
    st.dataframe(table, hide_index=True, width="stretch", placeholder="—", height=240)
    csv = neutralise_formulas(table).to_csv(index=False).encode("utf-8-sig")
    st.download_button(t("ly_objection_download", lang), csv,
                       file_name=f"异议登记_{year}.csv" if lang == "zh" else f"objections_{year}.csv", mime="text/csv",
                       key="ly_objection_csv", on_click="ignore", icon=":material/download:")  # fmt: skip
