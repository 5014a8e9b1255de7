"""Where the bundled data files are."""

from pathlib import Path

__all__ = ["DATA_DIR"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
