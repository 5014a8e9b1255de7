"""Command-line edges: what every command of the planner shares (``python -m …`` entry points)."""
