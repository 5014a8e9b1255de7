"""Front-end assets served from the local machine, never from a CDN.

Leaflet comes from the installed PyPI package ``XStatic-Leaflet`` (byte-identical to the files
folium would fetch from a CDN). :func:`publish` copies them into the Streamlit static folder
(``static/vendor/``, ignored by git), which Streamlit serves at ``/app/static/`` when
``server.enableStaticServing`` is on. Nothing is copied into the repository.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AssetUrls", "leaflet_source_dir", "publish", "streamlit_urls"]

VENDOR = "vendor/leaflet"
_FILES = ("leaflet.js", "leaflet.css")


def leaflet_source_dir() -> Path:
    """Folder holding leaflet.js, leaflet.css and images/ in the installed XStatic package."""
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR)


@dataclass(frozen=True)
class AssetUrls:
    """URLs of the local Leaflet files as the browser should request them."""

    leaflet_js: str
    leaflet_css: str

    @classmethod
    def under(cls, base: str) -> AssetUrls:
        """URLs below ``base`` (a URL path or relative folder, without trailing slash)."""
        base = base.rstrip("/")
        return cls(f"{base}/{VENDOR}/leaflet.js", f"{base}/{VENDOR}/leaflet.css")


def publish(static_dir: str | Path) -> Path:
    """Copy Leaflet from the installed package into ``static_dir/vendor/leaflet`` if out of date.

    Returns the target folder. Files are compared by size and modification time, so calling this
    on every app start costs a few ``stat`` calls.
    """
    src = leaflet_source_dir()
    dst = Path(static_dir) / VENDOR
    pairs = [(src / name, dst / name) for name in _FILES]
    pairs += [(p, dst / "images" / p.name) for p in sorted((src / "images").iterdir()) if p.is_file()]
    for source, target in pairs:
        if target.exists():
            s, t = source.stat(), target.stat()
            if s.st_size == t.st_size and s.st_mtime <= t.st_mtime:
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return dst


def streamlit_urls(base_url_path: str = "") -> AssetUrls:
    """Asset URLs for a page served by Streamlit (``server.baseUrlPath`` honoured)."""
    prefix = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return AssetUrls.under(f"{prefix}/app/static")
