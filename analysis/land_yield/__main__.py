"""``python -m analysis.land_yield`` (the command itself is :mod:`cli.land_yield`)."""

import sys

from cli.land_yield import main
from cli.pipes import quiet_pipe

sys.exit(quiet_pipe(main))
