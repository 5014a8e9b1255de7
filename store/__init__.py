"""Persistence: the workspace database (GeoPackage file or PostGIS) and its schema migrations."""

from store.workspace import Workspace, WorkspaceError, open_workspace

__all__ = ["Workspace", "WorkspaceError", "open_workspace"]
