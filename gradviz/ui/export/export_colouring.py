""""Colour nodes by" in headless exports: the window's own colouring, on an export's scene.

:class:`ExportColouring` runs :class:`~gradviz.ui.graph.colour_by.NodeColouring` (the
code behind View ▸ Colour nodes by) on a scene that no window shows, in the
order the window does (the choice, the theme, then the drawing), so an export
gets the same tints and the same :class:`~gradviz.ui.graph.colour_by.ColourLegend`;
:func:`~gradviz.ui.export.images.export_scene` draws that legend under the graph.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...core.lens.node_measures import check_colour_by
from ..graph.colour_by import NodeColouring
from ..graph.scene import GraphScene

HOST_SIZE = (800, 600)  # the unseen widget the legend belongs to (its size places nothing)


class ExportColouring:
    """Tint ``scene``'s nodes by ``measure`` (None: as the window opens the graph) and keep
    the legend to draw; :attr:`legend` is None when nothing is coloured."""

    def __init__(self, scene: GraphScene, measure: str | None) -> None:
        check_colour_by(measure)
        self._host = QWidget()  # never shown: the legend is rendered, not displayed
        self._host.resize(*HOST_SIZE)
        self.colouring = NodeColouring(self._host, scene.theme)
        if measure:
            self.colouring.set_measure(measure)
        self.colouring.apply_theme(scene.theme)
        self.colouring.set_scene(scene)

    @property
    def measure(self) -> str:
        """The measure the nodes are coloured by (``none`` for the kinds' colours)."""
        return self.colouring.measure

    @property
    def legend(self) -> QWidget | None:
        """The legend the window would show, or None."""
        legend = self.colouring.legend
        return None if legend.isHidden() else legend

    def close(self) -> None:
        """Let the unseen widget and its legend go."""
        self._host.deleteLater()
