"""Persistence: the workspace database (GeoPackage file or PostGIS) and its schema migrations.

The names below are imported on first use, so that ``python -m store.workspace`` runs the module
once (as ``__main__``) rather than after the package has already imported it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Workspace", "WorkspaceError", "open_workspace"]

if TYPE_CHECKING:
    from store.workspace import Workspace, WorkspaceError, open_workspace


def __getattr__(name: str) -> Any:
    if name in __all__:
        from store import workspace

        return getattr(workspace, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
