"""Where the site weights come from, and how much the ranking depends on them (issue 14, 2 and 3).

* :func:`ahp_panel` — pairwise judgements of the factors on Saaty's scale (one slider per pair),
  the weights they give (principal eigenvector), the consistency ratio with the judgement to revisit,
  and a button that puts the weights into the site parameters; an AHP file (TOML) can be loaded
  and the judgements downloaded as one (``python -m analysis.siting --ahp``);
* :func:`sensitivity_panel` — the share of weight draws in which each cluster ranks first and in the
  top 3, Kendall's τ and the one-weight-at-a-time table, for the ranking shown.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import altair as alt
import pandas as pd
import streamlit as st

from analysis.siting.ahp import Ahp, AhpError, ahp_weights, load_ahp
from analysis.siting.config import FACTORS, SitingConfig, SitingConfigError
from analysis.siting.sensitivity import Sensitivity, SensitivityError, sensitivity
from i18n import t
from views.input_key import HASH_FUNCS
from views.text import md

__all__ = ["ahp_panel", "applied_ahp", "sensitivity_panel"]

SCALE: tuple[Fraction, ...] = tuple(Fraction(v) for v in ("9", "7", "5", "3", "1", "1/3", "1/5", "1/7", "1/9"))
_JUDGEMENTS = "site_ahp"  # {(i, j): Fraction} of the pairs judged


def _nearest(value: float) -> Fraction:
    """The judgement on Saaty's scale nearest to ``value`` (a file's entries lie on it)."""
    return min(SCALE, key=lambda s: abs(float(s) - value))


def _label(value: Fraction | int, i: str, j: str, lang: str) -> str:
    v = Fraction(value)
    if v == 1:
        return t("ahp_equal", lang)
    more, times = (i, v) if v > 1 else (j, 1 / v)
    return t("ahp_more", lang).format(factor=t(f"factor_{more}", lang), n=int(times))


def _toml(judgements: dict[tuple[str, str], Fraction]) -> str:
    rows = []
    for i in FACTORS:
        cells = []
        for j in FACTORS:
            v = Fraction(1) if i == j else judgements.get((i, j)) or 1 / judgements.get((j, i), Fraction(1))
            cells.append(str(v.numerator) if v.denominator == 1 else f'"{v}"')
        rows.append("  [" + ", ".join(cells) + "],")
    return "# 层次分析法判断矩阵 / AHP pairwise comparison matrix\nfactors = [" + ", ".join(
        f'"{f}"' for f in FACTORS) + "]\nmatrix = [\n" + "\n".join(rows) + "\n]\n"  # fmt: skip


def ahp_panel(config: SitingConfig, lang: str) -> None:
    """The AHP judgements in the site parameters; applying them replaces the factor weights."""
    judgements: dict[tuple[str, str], Fraction] = st.session_state.setdefault(_JUDGEMENTS, {})
    st.caption(t("ahp_caption", lang))
    analyst = st.session_state["auth_user"].has("analyst") if "auth_user" in st.session_state else False
    # viewers get no upload widget (nothing of theirs makes the server read a file)
    upload = st.file_uploader(t("ahp_upload", lang), type=["toml"], key="site_ahp_file") if analyst else None
    if upload is not None and st.session_state.get("site_ahp_loaded") != upload.file_id:
        try:
            loaded = load_ahp(upload.getvalue())
        except AhpError as exc:
            st.error(md(exc))
        else:
            st.session_state["site_ahp_loaded"] = upload.file_id
            at = {f: k for k, f in enumerate(loaded.factors)}
            for i, j in itertools.combinations(FACTORS, 2):  # factors the file does not compare: equal
                given = loaded.matrix[at[i]][at[j]] if i in at and j in at else 1.0
                judgements[(i, j)] = _nearest(given)
                st.session_state[f"site_ahp_{i}_{j}_{lang}"] = judgements[(i, j)]
    for i, j in itertools.combinations(FACTORS, 2):
        widget = f"site_ahp_{i}_{j}_{lang}"
        value = None if widget in st.session_state else judgements.get((i, j), Fraction(1))
        chosen = st.select_slider(
            f"{t(f'factor_{i}', lang)} ↔ {t(f'factor_{j}', lang)}", options=SCALE, value=value,
            format_func=lambda v, i=i, j=j: _label(v, i, j, lang), key=widget,
        )  # fmt: skip
        judgements[(i, j)] = Fraction(chosen) if chosen is not None else Fraction(1)
    matrix = [[Fraction(1) if i == j else judgements.get((i, j)) or 1 / judgements[(j, i)] for j in FACTORS]
              for i in FACTORS]  # fmt: skip
    ahp = ahp_weights(FACTORS, [[float(v) for v in row] for row in matrix])
    shown = pd.DataFrame({t("ahp_factor", lang): [t(f"factor_{f}", lang) for f in FACTORS],
                          t("ahp_weight", lang): [round(100 * ahp.weights[f], 1) for f in FACTORS]})  # fmt: skip
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(t("ahp_cr", lang).format(cr=f"{ahp.cr:.3f}", lam=f"{ahp.lambda_max:.3f}"))
    warning = ahp.warning()
    if warning is not None:
        st.warning(md(warning[0 if lang == "zh" else 1]), icon=":material/warning:")
    c1, c2 = st.columns(2)
    if c1.button(t("ahp_apply", lang), icon=":material/check:", key="site_ahp_apply"):
        try:
            st.session_state["site_config"] = config.with_changes(weights=ahp.config_weights()).to_toml()
            st.session_state["site_ahp_result"] = ahp  # for the report: where the weights came from
        except SitingConfigError as exc:
            st.error(md(exc))
        else:
            for f in FACTORS:  # the weight fields of the parameter form show the new weights
                st.session_state.pop(f"site_w_{f}", None)
            st.rerun()
    c2.download_button(t("ahp_download", lang), _toml(judgements), file_name="ahp.toml", mime="application/toml",
                       icon=":material/download:", on_click="ignore", key="site_ahp_download")  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=HASH_FUNCS)
def _stability(_result, key: tuple, draws: int) -> Sensitivity:
    return sensitivity(_result, draws)


def applied_ahp(config: SitingConfig) -> Ahp | None:
    """The AHP judgements the weights of ``config`` came from, if they were applied on this page and kept since."""
    ahp = st.session_state.get("site_ahp_result")
    if ahp is None:
        return None
    weights = ahp.config_weights()
    same = all(abs(config.weights.get(f, 0.0) - w) < 1e-6 for f, w in weights.items())
    return ahp if same else None


def sensitivity_panel(result, key: tuple, lang: str) -> Sensitivity | None:
    """How often each cluster ranks first and in the top 3 when the weights move (±20 %); returns the answer."""
    with st.expander(t("sens_title", lang), icon=":material/ssid_chart:"):
        st.caption(t("sens_caption", lang))
        draws = st.number_input(t("sens_draws", lang), 100, 10_000, 1000, 100, key="site_sens_draws")
        try:
            s = _stability(result, key, int(draws))
        except SensitivityError as exc:
            st.error(md(exc))
            return None
        frame = s.clusters.head(10).melt(id_vars=["name", "rank"], value_vars=["top1_share", "top3_share"],
                                         var_name="kind", value_name="share")  # fmt: skip
        frame["kind"] = frame["kind"].map({"top1_share": t("sens_top1", lang), "top3_share": t("sens_top3", lang)})
        chart = alt.Chart(frame).mark_bar().encode(
            x=alt.X("share:Q", title=t("sens_share", lang), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("name:N", sort=alt.SortField("rank"), title=None, axis=alt.Axis(labelLimit=300)),
            yOffset="kind:N", color=alt.Color("kind:N", title=None, scale=alt.Scale(range=["#3b528b", "#5ec962"])),
            tooltip=["name", "kind", alt.Tooltip("share:Q", format=".0%")],
        ).properties(height=30 * min(10, len(s.clusters)) + 20)  # fmt: skip
        st.altair_chart(chart, width="stretch")
        summary = s.summary()
        st.caption(t("sens_tau", lang).format(draws=s.draws, mean=summary["tau_clusters"]["mean"],  # type: ignore[index]
                                              p05=summary["tau_clusters"]["p05"]))  # type: ignore[index]  # fmt: skip
        oat = s.one_at_a_time.assign(
            factor=s.one_at_a_time["factor"].map(lambda f: t(f"factor_{f}", lang)),
            change=s.one_at_a_time["change"].map(lambda c: f"{c:+.0%}"), tau=s.one_at_a_time["tau"].round(3),
        ).rename(columns={"factor": t("ahp_factor", lang), "change": t("sens_change", lang),
                          "first": t("sens_first", lang), "tau": "Kendall τ"})  # fmt: skip
        st.dataframe(oat, hide_index=True, width="stretch")
        return s
