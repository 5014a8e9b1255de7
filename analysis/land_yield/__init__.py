"""亩产效益 (land-use efficiency) evaluation: the method as pure functions.

``schema`` (fields and header matching), ``enterprises`` (validating a firm table), ``config``
(parameters), ``scoring`` (indicators, scores, classes), ``aggregate`` and ``hotspots`` (by area),
``report`` (result tables), ``pipeline`` (file → evaluation, shared by the UI and the command line
``python -m analysis.land_yield``, whose edge lives in :mod:`cli.land_yield`).
"""
