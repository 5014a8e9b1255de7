"""Baseline for ``python -m benchmarks.land_yield``: the 亩产效益 map the plain way, in Streamlit.

What a developer following the folium and streamlit-folium tutorials would write: evaluate once
(``st.cache_data``), build a folium map with every firm as a GeoJSON circle marker styled by a
``style_function``, show it with ``st_folium``. Run by the benchmark from a temporary folder
(``QDP_ROOT`` = the project, ``QDP_ENTERPRISES`` = the firm table); not part of the app.
"""

import os
import sys

sys.path.insert(0, os.environ["QDP_ROOT"])

import streamlit as st
from streamlit_folium import st_folium

from analysis.land_yield.config import default_config
from analysis.land_yield.pipeline import evaluate_table
from benchmarks.land_yield import folium_default_map
from files.enterprises import read_enterprises
from layers import load_layer


@st.cache_data
def result():
    raw = read_enterprises(os.environ["QDP_ENTERPRISES"])
    return evaluate_table(raw, default_config(), load_layer("districts")).result


st.title("st_folium baseline")
st_folium(folium_default_map(result(), "/app/static"), height=640, use_container_width=True, returned_objects=[])
