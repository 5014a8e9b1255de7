"""The colours of every map and chart, one meaning per colour family, all colour-blind safe.

==================  ===============================================  =====================================
family              meaning                                          colours
==================  ===============================================  =====================================
viridis             a quantity, low → high: surfaces, choropleths,   ``SEQUENTIAL`` (5 stops)
                    suitability and site scores
Okabe–Ito           亩产效益 classes A → D (T grey)                  ``CLASS_COLOURS``
purple / indigo     hot and cold spots (Gi*)                         ``HOT_SPOT_COLOURS``
grey, dashed        where building is excluded                       ``EXCLUSION_STYLE``
Tol muted           a cluster against the plan's 集聚度 target:        ``VERDICT_COLOURS``
                    meets (teal), below (rose), undetermined (sand)
warm grey, thin     roads (context, never a value)                   ``ROAD_STYLE``
brown, outlined     drive time from a place: near (dark) → far       ``ISOCHRONE_COLOURS``
==================  ===============================================  =====================================

Before (issue 12), greens meant exclusion zones, score classes, A/B firms and the surface at
once, and red meant both a hot spot (good) and class D (bad). ``tests/webmap/test_palette.py``
checks that no colour serves two meanings and that the classes stay apart for viewers with
deuteranopia, protanopia and tritanopia (simulated).

Examples
--------
>>> len(SEQUENTIAL), CLASS_COLOURS["A"]
(5, '#0072b2')
"""

from __future__ import annotations

__all__ = [
    "CLASS_COLOURS",
    "EXCLUSION_STYLE",
    "HOT_SPOT_COLOURS",
    "ISOCHRONE_COLOURS",
    "ROAD_STYLE",
    "SEQUENTIAL",
    "VERDICT_COLOURS",
]

# viridis at 0, .25, .5, .75, 1 (matplotlib's perceptually uniform, colour-blind-safe map)
SEQUENTIAL = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")

# Okabe & Ito (2008), "Color Universal Design": blue, sky blue, orange, vermillion; grey for T
CLASS_COLOURS = {"A": "#0072b2", "B": "#56b4e9", "C": "#e69f00", "D": "#d55e00", "T": "#7b8794"}

# Paul Tol's purple (hot: high values cluster) and indigo (cold); grey: not significant
HOT_SPOT_COLOURS = {"hot": "#aa3377", "cold": "#332288", "ns": "#bdbdbd"}

EXCLUSION_STYLE = {"color": "#374151", "weight": 1.0, "fillColor": "#9ca3af", "fillOpacity": 0.35, "dashArray": "2 4"}

# Paul Tol's muted scheme: a cluster meets the plan's target (teal), is below it (rose), cannot be
# told (sand); light grey without data. Also the order of the verdicts in legends.
VERDICT_COLOURS = {"meets": "#44aa99", "below": "#cc6677", "undetermined": "#ddcc77", "": "#dddddd"}

# Roads are context: a thin warm grey under everything that carries a value.
ROAD_STYLE = {"color": "#78716c", "weight": 1.2, "opacity": 0.7}

# Drive-time bands (ColorBrewer YlOrBr, 3 of 5): the shortest time darkest; outlines with a light fill,
# so that the scores under them stay readable.
ISOCHRONE_COLOURS = ("#993404", "#d95f0e", "#fe9929", "#fec44f", "#fee391")
