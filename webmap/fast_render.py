"""Render map layers without handing their data to Jinja a second time.

branca's ``MacroElement.render`` wraps each rendered part (header, html, script) in a new
``Element(text)``, and ``Element.__init__`` compiles its text as a Jinja template. A layer's script
carries its data (a GeoJSON, or 1.4 MB of packed firms), so every build tokenised that data once
more: 0.23 s of a 0.8 s 选址分析 rerun, and about half of the 亩产效益 map's build
(``benchmarks/siting_page.py``, ``benchmarks/land_yield.py``). :class:`FastMacro` renders the same
parts into :class:`RawElement` children, which return their text as it is.

Put :class:`FastMacro` after a folium class in the bases (``class Layer(folium.GeoJson, FastMacro)``):
the folium class still does its own work (style maps, includes, add-to-map) and then reaches this
``render`` instead of branca's.

Examples
--------
>>> RawElement("{{ not a template }}").render()
'{{ not a template }}'
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, MacroElement

__all__ = ["FastMacro", "RawElement"]


class RawElement(Element):
    """Text put into the page as it is (no Jinja)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawElement"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class FastMacro(MacroElement):
    """``MacroElement.render`` with the rendered parts kept as raw text."""

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        module = self._template.module.__dict__
        for part, target in (("header", "header"), ("html", "html"), ("script", "script")):
            macro = module.get(part)
            if macro is not None:
                getattr(figure, target).add_child(RawElement(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
        return ""  # what it draws went into the figure's parts
