"""The site-selection workbook: sheets a committee can read, in the language asked.

Headers are words, not internal names (``pts_plan_fit`` → 规划符合度); numbers are rounded as
shown on the page (points and km to 0.1, 亩 to 0.1); yes/no instead of True/False; reasons and
failed rules are rendered findings. Written with :func:`files.xlsx.xlsx_bytes`.
"""

from __future__ import annotations

import pandas as pd

from analysis.siting.config import FACTORS
from analysis.siting.rank import SiteResult
from i18n import t
from i18n.render import render_all

__all__ = ["site_report_sheets"]


def _table(frame: pd.DataFrame, weights: dict[str, float], lang: str, plots: bool) -> pd.DataFrame:
    yes_no = {True: t("yes", lang), False: t("no", lang)}
    columns: dict[str, object] = {
        t("site_rank", lang): frame["rank"],
        t("site_name", lang): frame["name"],
        t("site_score", lang): frame["score"].round(1),
        t("site_verdict", lang): frame["compliant"].astype(bool).map(yes_no),
        t("site_site_ok", lang): frame["site_ok"].astype(bool).map(yes_no),
        t("site_fit", lang): frame["fit_level"].map(lambda v: t(f"fit_{v}", lang)),
    }
    columns.update({t(f"factor_{f}", lang): frame[f"pts_{f}"].round(1) for f in FACTORS if f in weights})
    if plots:
        columns[t("site_cluster", lang)] = frame["cluster"]
        columns[t("site_area", lang)] = frame["area_mu"].round(1)
    else:
        columns[t("site_free_land", lang)] = frame["free_land_mu"].round(1)
        columns[t("site_largest_plot", lang)] = frame["largest_plot_mu"].round(1)
    columns[t("site_axis_km", lang)] = frame["axis_km"].round(1)
    columns[t("site_failed", lang)] = frame["failures"].map(lambda found: "\n".join(render_all(found, lang)))
    columns[t("site_reasons", lang)] = frame["reasons"].map(lambda found: "\n".join(render_all(found, lang)))
    return pd.DataFrame(columns)


def site_report_sheets(result: SiteResult, lang: str = "zh", max_plots: int = 500) -> dict[str, pd.DataFrame]:
    """Sheets of the workbook: project, ranked clusters, ranked plots (first ``max_plots``), notes, parameters."""
    project = result.project.as_dict()
    query = pd.DataFrame({t("rep_item", lang): list(project), t("rep_value", lang): [str(v) for v in project.values()]})
    sheets = {
        t("rep_sheet_query", lang): query,
        t("rep_sheet_clusters", lang): _table(result.clusters, result.weights, lang, plots=False),
    }
    if len(result.plots):
        sheets[t("rep_sheet_plots", lang)] = _table(result.plots.head(max_plots), result.weights, lang, plots=True)
    sheets[t("rep_sheet_notes", lang)] = pd.DataFrame({t("rep_sheet_notes", lang): render_all(result.notes, lang)})
    sheets[t("rep_sheet_parameters", lang)] = pd.DataFrame({"TOML": result.config.to_toml().splitlines()})
    return sheets
