"""Analysis over the plan layers: pure, typed functions on GeoDataFrames (no Streamlit, no hidden I/O).

亩产效益 evaluation and site selection arrive here with issues #3 and #4.
"""
