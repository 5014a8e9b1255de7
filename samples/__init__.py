"""Generators of the bundled synthetic sample data (labelled synthetic everywhere): firms and plots.

Edges, not analysis: ``python -m samples.enterprises`` and ``python -m samples.sites`` write the
files in ``data/`` (see ``data/README.md``).
"""
