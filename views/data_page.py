"""Data page: what each layer is, how good it is, where it comes from; downloads of all layers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n import t
from layers import LAYER_IDS, spec
from views import state
from views.downloads import download_panel

lang = state.lang()
en = lang == "en"
st.title(t("page_data", lang))
st.info(t("quality_notice", lang), icon=":material/info:")

layers = state.plan_layers()
rows = []
for layer_id in LAYER_IDS:
    gdf, s = layers[layer_id], spec(layer_id)
    quality = ", ".join(f"{t('quality_' + q, lang)} {n}" for q, n in gdf["geometry_quality"].value_counts().items())
    rows.append(
        {
            ("Layer id (file name)" if en else "图层代码（文件名）"): layer_id,
            ("Layer" if en else "图层"): s.label(lang),
            t("features", lang): len(gdf),
            t("quality", lang): quality,
            ("Description" if en else "说明"): s.description_en if en else s.description,
        }
    )
st.subheader(t("layer_table", lang))
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="—")

st.subheader(t("download", lang))
download_panel(list(LAYER_IDS), 5000.0, key="data_dl")

for layer_id in LAYER_IDS:
    with st.expander(f"{spec(layer_id).label(lang)} · {layer_id}"):
        st.dataframe(layers[layer_id].drop(columns="geometry"), hide_index=True, width="stretch", placeholder="—")
