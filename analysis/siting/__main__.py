"""``python -m analysis.siting`` (the command itself is :mod:`cli.siting`)."""

import sys

from cli.pipes import quiet_pipe
from cli.siting import main

sys.exit(quiet_pipe(main))
