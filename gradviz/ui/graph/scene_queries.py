"""What the graph scene answers about its nodes: find by text, tooltips made when asked.

Mixed into :class:`~gradviz.ui.graph.scene.GraphScene` (before ``QGraphicsScene``); its
strings keep the scene's translation context (``GraphScene``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QToolTip

from ...core.graph.formatting import GRAD_PREFIX, format_compact
from ..base.i18n import translate


class SceneQueries:
    """``find_nodes``, ``tooltip_text`` and the tooltip event, over ``node_items``."""

    def find_nodes(self, query: str) -> list[str]:
        """Ids of nodes whose label, op or variable contains ``query`` (any case)."""
        needle = query.strip().lower()
        if not needle:
            return []
        found = []
        for node_id, item in self.node_items.items():
            node = item.node
            haystack = " ".join(filter(None, (node.label, node.op, node.variable))).lower()
            if needle in haystack:
                found.append(node_id)
        return found

    def tooltip_text(self, node_id: str) -> str:
        """Op (or label), value and current gradient of a node, for its tooltip."""
        item = self.node_items[node_id]
        node = item.node
        title = node.op or node.variable or node.label.strip() or translate("GraphScene", "output")
        lines = [title]
        if node.expression and node.expression != title:
            lines.append(node.expression)  # the part of the function it computes
        if node.line is not None:
            lines.append(translate("GraphScene", "line {0}").format(node.line))
        if node.value is not None:
            lines.append(translate("GraphScene", "value: {0}").format(format_compact(node.value)))
        grad = item.grad_text().removeprefix(GRAD_PREFIX)
        grad = grad or translate("GraphScene", "not computed yet")
        lines.append(translate("GraphScene", "gradient: {0}").format(grad))
        return "\n".join(lines)

    def helpEvent(self, event) -> None:
        """Tooltips are made when asked for, not stored on thousands of items."""
        item = self.node_at(event.scenePos())
        if item is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.screenPos(), self.tooltip_text(item.node_id))
        event.accept()
