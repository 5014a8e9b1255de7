"""End a command quietly when its reader goes away (``python -m analysis.siting … | head``).

Python turns a closed pipe into ``BrokenPipeError`` and, at exit, into a second error while it
flushes stdout. :func:`quiet_pipe` runs a command's ``main``, and when the pipe closes it points
stdout at ``/dev/null`` so that nothing more is written and nothing is printed, and returns 141
— the status a Unix tool killed by SIGPIPE has (128 + 13), so shell pipelines see what happened.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

__all__ = ["BROKEN_PIPE_STATUS", "quiet_pipe"]

BROKEN_PIPE_STATUS = 141


def quiet_pipe(main: Callable[[], int]) -> int:
    """Run ``main``; on a closed stdout, return 141 without a traceback.

    Examples
    --------
    >>> quiet_pipe(lambda: 0)
    0
    """
    try:
        status = main()
        sys.stdout.flush()  # a closed pipe shows here when the output was buffered
        return status
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return BROKEN_PIPE_STATUS
