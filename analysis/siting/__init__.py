"""Site selection: where a project fits the plan, as pure functions over an immutable plan.

``project`` (the project asked), ``plan_fit`` (what the plan says about an industry at a place),
``config`` (parameters), ``context`` (the plan's layers in metres, candidates located), ``scores``
(factor kernels), ``assess`` (the one assessment behind every verdict), ``rank`` (ranking with
reasons), ``location`` (point and area queries), ``suitability`` (the raster). The command line
``python -m analysis.siting`` lives in :mod:`cli.siting`.
"""
