"""Edges: users' files read into tables and results written to files (never analysis itself).

``enterprises`` reads an enterprise table by its content (CSV, XLSX, GeoJSON, GeoPackage, zipped
Shapefile); ``xlsx`` builds workbooks; ``results`` writes an evaluation by the output's suffix,
atomically. Geometry readers and writers are :mod:`geo.io` and :mod:`geo.write`.
"""
