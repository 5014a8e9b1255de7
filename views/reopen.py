"""Reopen saved work in its own page, as it was saved, and say whether it still gives the same answer.

A saved 亩产效益 run keeps its input data set, parameters and coordinate system; a saved site study
keeps its project and parameters. :func:`reopen_run` and :func:`reopen_study` put them back into
the session (the pages read their inputs from there) and switch to the page. The page then
recomputes and calls :func:`check_run` / :func:`check_study`, which compare the answer with what
was stored — class counts of every firm, the clusters' ranks and scores — and say so: equal, or
which figures differ (new software or data since).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from analysis.land_yield.report import class_counts
from i18n import t
from store import WorkspaceError
from views import state
from views.sources_panel import reopen_input
from views.text import local_time, md

__all__ = ["check_run", "check_study", "reopen_run", "reopen_study"]

RUN_KEY, STUDY_KEY = "ly_reopened", "site_reopened"
_STUDY_FIELDS = ("industry", "land_mu", "investment_wan", "tax_wan", "energy_tce")


def reopen_run(ws: Any, row: Any) -> None:
    """Open the stored run ``row`` (a row of ``ws.evaluations()``) on the 亩产效益 page."""
    if row.dataset_fid is None or pd.isna(row.dataset_fid):
        raise WorkspaceError(t("ws_reopen_no_data", state.lang()))
    filename, data = ws.dataset_content(int(row.dataset_fid))
    summary = json.loads(row.summary_json)
    coords = str(summary.get("coords", "auto"))
    reopen_input(data, filename)  # several tables come back as tables, with their header map
    st.session_state["ly_config"] = str(row.config_toml)
    st.session_state["ly_coords"] = st.session_state["_kept_ly_coords"] = coords
    st.session_state[RUN_KEY] = {
        "fid": int(row.fid), "name": str(row.name), "at": str(row.created_at), "classes": summary["classes"],
        "key": (filename, str(row.config_toml), coords),
    }  # fmt: skip
    st.switch_page("views/land_yield_page.py")


def check_run(key: tuple, result: pd.DataFrame, lang: str) -> None:
    """On the 亩产效益 page: whether the run reopened there gives the class counts it was saved with."""
    saved = st.session_state.get(RUN_KEY)
    if saved is None:
        return
    if saved["key"] != (key[1], key[2], key[3]):  # the planner has changed the input since: a new run
        st.session_state.pop(RUN_KEY)
        return
    if "class_evaluated" in result.columns:  # objections reviewed since: compare the classes as evaluated
        result = result.assign(**{"class": result["class_evaluated"]})
    now = class_counts(result)
    head = t("ws_reopened_run", lang).format(fid=saved["fid"], name=md(saved["name"]), at=local_time(saved["at"]))
    if now == saved["classes"]:
        st.success(head + t("ws_reopen_same", lang), icon=":material/history:")
        return
    before = saved["classes"]
    changed = "；".join(f"{c} {before.get(c, 0)} → {now.get(c, 0)}" for c in sorted(set(now) | set(before))
                       if now.get(c, 0) != before.get(c, 0))  # fmt: skip
    st.warning(head + t("ws_reopen_differs", lang).format(changes=changed), icon=":material/history:")


def reopen_study(ws: Any, row: Any) -> None:
    """Open the stored study ``row`` (a row of ``ws.site_studies()``) on the 选址分析 page."""
    project = json.loads(row.project_json)
    inputs = {"industry": project["industry_term"], "land_mu": float(project["land_mu"])}
    inputs.update({k: float(project[k] or 0.0) for k in ("investment_wan", "tax_wan", "energy_tce")})
    inputs["top"] = int(st.session_state.get("site_inputs", {}).get("top", 10))  # rows shown: not part of a study
    candidates = ws.site_candidates(int(row.fid))
    st.session_state["site_inputs"] = inputs
    for name in list(st.session_state):
        if str(name).startswith("site_f_"):
            del st.session_state[name]  # the form is seeded again from site_inputs
    st.session_state["site_config"] = str(row.config_toml)
    clusters = candidates[candidates["kind"] == "cluster"]
    st.session_state[STUDY_KEY] = {
        "fid": int(row.fid), "name": str(row.name), "at": str(row.created_at),
        "inputs": {k: inputs[k] for k in _STUDY_FIELDS}, "config": str(row.config_toml),
        "clusters": [(str(r.ref_id), int(r.rank), round(float(r.score), 2)) for r in clusters.itertuples()],
    }  # fmt: skip
    st.switch_page("views/siting_page.py")


def check_study(inputs: dict, config_toml: str, clusters: pd.DataFrame, lang: str) -> None:
    """On the 选址分析 page: whether the study reopened there ranks the clusters as it was saved."""
    saved = st.session_state.get(STUDY_KEY)
    if saved is None:
        return
    if saved["inputs"] != {k: inputs[k] for k in _STUDY_FIELDS} or saved["config"] != config_toml:
        st.session_state.pop(STUDY_KEY)  # the project or parameters have changed since: a new study
        return
    now = [(str(r.id), int(r.rank), round(float(r.score), 2)) for r in clusters.itertuples()]
    head = t("ws_reopened_study", lang).format(fid=saved["fid"], name=md(saved["name"]), at=local_time(saved["at"]))
    if sorted(now) == sorted(saved["clusters"]):
        st.success(head + t("ws_reopen_same", lang), icon=":material/history:")
        return
    before = {i: (r, s) for i, r, s in saved["clusters"]}
    changed = [f"{i} #{before[i][0]}→#{r}（{before[i][1]:.2f}→{s:.2f}）" for i, r, s in now
               if i in before and before[i] != (r, s)]  # fmt: skip
    st.warning(head + t("ws_reopen_differs", lang).format(changes="；".join(changed[:5]) or "—"),
               icon=":material/history:")  # fmt: skip
