"""The graph's items: a node box with its label, value and gradient lines; an edge
(:mod:`gradviz.ui.graph.edge_item`, re-exported here).

Both draw from the Snapshot's layout (y-down points) with the scene's shared
:class:`~gradviz.ui.graph.palette.Palette`. When zoomed out (level of detail below
the thresholds) they skip text and draw plain rectangles and hairlines, so
thousands of them repaint in a few milliseconds.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsItem

from ...core.graph.folding import repeat_count
from ...core.graph.formatting import GRAD_PREFIX, VALUE_PREFIX, annotation_lines, format_compact
from ...core.snapshot import GraphNode, NodeBox
from ..base.fonts import ADVANCE_EM, graph_font, graph_metrics
from .edge_item import EdgeItem
from .item_base import LOD_PLAIN, MARGIN, MIN_TEXT_PX, ROLES, STATES, ReplayLook
from .palette import Palette, emphasis

__all__ = ["EdgeItem", "NodeItem", "STATES", "ROLES", "TEXT_PAD"]  # EdgeItem: edge_item.py

CORNER = 3.0  # rounded corners, points: subtle
TEXT_PAD = 4.0  # inner horizontal padding a gradient text must keep
STACK_CARDS, STACK_STEP = 2, 4.0  # a folded block's cards behind it, points apart
SECONDARY_SCALE = 0.85  # a function's class name under its sub-expression
TINT_FRAME = 0.2  # zoomed out: the state colour's frame around a tint, share of the box


def tint_core(rect: QRectF) -> QRectF:
    """The inner part of a box that shows its tint when zoomed out (a frame of its state
    colour around it)."""
    inset = min(rect.width(), rect.height()) * TINT_FRAME
    return rect.adjusted(inset, inset, -inset, -inset)


class NodeItem(ReplayLook, QGraphicsItem):
    """A node box: torchviz's fill, its label, ``= value`` and a gradient slot."""

    is_node = True
    _tint = None  # "colour nodes by": a Tint, or None for the node kind's colour

    def __init__(self, node: GraphNode, box: NodeBox, palette: Palette) -> None:
        super().__init__()
        self.node = node
        self.node_id = node.id
        self.box = box
        self._palette = palette
        self._rect = QRectF(box.x - box.width / 2, box.y - box.height / 2, box.width, box.height)
        # A folded block (DecoderLayer ×31) is drawn as a stack: cards offset behind it.
        self._stack = STACK_STEP * (STACK_CARDS if repeat_count(node) > 1 else 0)
        self._bounds = self._rect.adjusted(-MARGIN, -MARGIN, MARGIN + self._stack,
                                           MARGIN + self._stack)
        self._grad_text = ""  # replay state and role: ReplayLook's class defaults
        self._value_shown = True
        self._texts: list | None = None  # laid out on first detailed paint
        self._grad_slot = any(line.text.startswith(GRAD_PREFIX)
                              for line in box.lines[box.label_lines:])
        self._grown = 0  # gradient lines under the box the bounds hold room for
        # No Qt flags (each setFlags costs microseconds): the scene does selection itself,
        # and nodes are added after edges, so they stack above them.

    # -- the API the animation drives ------------------------------------------------
    def grad_text(self) -> str:
        """The text in the gradient slot (empty until the replay sets it)."""
        return self._grad_text

    def set_grad_text(self, text: str, repaint: bool = True) -> bool:
        """Show ``text`` (e.g. ``"grad 72"``, a matrix over several lines) in the
        gradient slot; ``""`` clears it.

        With ``repaint=False`` the caller repaints (``GraphScene.items_look_changed``).
        True if the text changed.
        """
        if text == self._grad_text:
            return False
        rows = text.count("\n") + 1 if text else 0
        if rows > self._grown and not self._grad_slot and self.box.lines:
            # Drawn under the box: the bounds grow, and never shrink back (replay steps
            # then change no geometry, which would re-index the item in the scene).
            self.prepareGeometryChange()
            extra = self.box.lines[-1].size * 1.4 * rows
            self._bounds = self._rect.adjusted(-MARGIN, -MARGIN, MARGIN + self._stack,
                                               MARGIN + max(extra, self._stack))
            self._grown = rows
        self._grad_text = text
        self._texts = None
        if repaint:
            self.update()
        return True

    def value_shown(self) -> bool:
        """False while a forward replay hides the value (not computed yet)."""
        return self._value_shown

    def set_value_shown(self, shown: bool) -> None:
        """Show or hide the ``= value`` line (a forward replay hides values not computed yet)."""
        if shown != self._value_shown:
            self._value_shown = shown
            self._texts = None
            self.update()

    def tint(self):
        """The :class:`~gradviz.ui.graph.node_colors.Tint` of "colour nodes by", or None."""
        return self._tint

    def set_tint(self, tint) -> None:
        """Fill with ``tint`` (a :class:`~gradviz.ui.graph.node_colors.Tint`) instead of the kind's
        colour; None: the kind's colour again."""
        if tint is not self._tint:
            self._tint = tint
            self.update()

    def fill_brush(self):
        """The brush the box is filled with (the node kind's colour or its tint, faded when
        dimmed)."""
        if self._tint is not None:
            return self._tint.dim_fill if self._state == "dimmed" else self._tint.fill
        if self._state == "dimmed":
            return self._palette.dim_fill(self.node.kind)
        return self._palette.fill(self.node.kind)

    def rect(self) -> QRectF:
        """The box, in scene coordinates (layout points)."""
        return QRectF(self._rect)

    def apply_theme(self) -> None:
        """Re-read the shared palette (after the scene switched themes)."""
        self._texts = None
        self.update()

    # -- QGraphicsItem ------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        """Clicks hit the box itself, not the glow margin around it."""
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter, option, widget=None) -> None:
        """Draw the box; text only when it is big enough on screen to read."""
        palette = self._palette
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        look = emphasis(self._state, self._role)
        if lod < LOD_PLAIN:
            brush = palette.edge_brushes[look] if look != "idle" else self.fill_brush()
            if self._stack:
                painter.fillRect(self._rect.translated(self._stack, self._stack), brush)
            painter.fillRect(self._rect, brush)
            if self._tint is not None:  # "colour nodes by" stays seen: the state frames it
                painter.fillRect(tint_core(self._rect), self.fill_brush())
            return
        if self._stack:
            self._paint_stack(painter, palette.node_pens["idle"])
        if look == "active":
            painter.setPen(palette.glow_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect, CORNER, CORNER)
        dimmed = look == "idle" and self._state == "dimmed"
        painter.setPen(palette.dim_node_pen if dimmed else palette.node_pens[look])
        painter.setBrush(self.fill_brush())
        painter.drawRoundedRect(self._rect, CORNER, CORNER)
        if self.box.lines and lod * self.box.lines[0].size >= MIN_TEXT_PX:
            self._paint_text(painter)

    def _paint_stack(self, painter, pen) -> None:
        """The cards behind a folded block, farthest first."""
        painter.setPen(pen)
        painter.setBrush(self.fill_brush())
        for i in range(STACK_CARDS, 0, -1):
            offset = i * STACK_STEP
            painter.drawRoundedRect(self._rect.translated(offset, offset), CORNER, CORNER)

    def _paint_text(self, painter) -> None:
        palette = self._palette
        if self._texts is None:
            self._texts = self._layout_text()
        dimmed, tint = self._state == "dimmed", self._tint
        if tint is not None:
            text_pen, grad_pen = ((tint.dim_text, tint.dim_grad) if dimmed
                                  else (tint.text, tint.grad))
        else:
            text_pen, grad_pen = (palette.dim_text_pen if dimmed else palette.text_pen), \
                palette.grad_pen
        for size, point, text, is_grad in self._texts:
            painter.setFont(graph_font(size, palette.bold))
            painter.setPen(grad_pen if is_grad else text_pen)
            painter.drawText(point, text)

    def _layout_text(self) -> list[tuple[int, QPointF, str, bool]]:
        """Baseline positions of each visible line, centred where Graphviz put them.

        Numbers are formatted here, in the display language's decimal separator
        (the layout's text has the same width in every language).
        """
        lines = self.box.lines
        label_count = self.box.label_lines
        out = [self._placed(self._label_size(i, line.size), line.x, line.y, text, False)
               for i, (line, text) in enumerate(zip(lines[:label_count], self._label_texts()))
               if text]
        value_slot, grad_slot = self._slots()
        if self._value_shown and value_slot:
            texts = annotation_lines(VALUE_PREFIX, self.node.value) or []
            if len(texts) != len(value_slot):  # a layout from another formatter: its own text
                texts = [line.text for line in value_slot]
            out += [self._placed(line.size, line.x, line.y, text, False)
                    for line, text in zip(value_slot, texts)]
        out += [self._placed(line.size, line.x, line.y, line.text, False)
                for line in self._expression_lines() if line.text]
        if self._grad_text:
            slot = grad_slot or [self._slot_below()]
            texts = self._grad_text.split("\n")
            if grad_slot:  # a predicted slot (big graphs) may be shorter: never overflow
                texts = texts[:len(grad_slot)]
            for i, text in enumerate(texts):
                line = slot[min(i, len(slot) - 1)]
                y = line.y + max(0, i - len(slot) + 1) * line.size * 1.2
                out.append(self._placed(line.size, line.x, y,
                                        self._fitted(text, round(line.size)), True))
        return out

    def _label_texts(self) -> list[str]:
        """The label's lines; a saved literal (``0.5``) in the display's decimal separator."""
        node = self.node
        if node.kind == "saved" and node.value is not None and \
                node.label == format_compact(node.value, decimal="."):
            return [format_compact(node.value)]
        return [line.text for line in self.box.lines[:self.box.label_lines]]

    def _label_size(self, index: int, size: float) -> float:
        """A function's class name beside its sub-expression (``5x³``) is secondary: smaller."""
        node = self.node
        is_class_name = self.box.lines[index].text == node.op != "AccumulateGrad"
        secondary = node.kind == "function" and (
            index == self.box.label_lines - 1 > 0 or (bool(node.expression) and is_class_name))
        return size * SECONDARY_SCALE if secondary else size

    def _expression_lines(self) -> list:
        """The sub-expression lines between the label and the value (``5x³`` over ``= 40``)."""
        out = []
        for line in self.box.lines[self.box.label_lines:]:
            if line.text.startswith((VALUE_PREFIX, GRAD_PREFIX)):
                break
            out.append(line)
        return out

    def _slots(self) -> tuple[list, list]:
        """The value lines and the gradient lines the layout reserved under the label."""
        value, grad, current = [], [], None
        for line in self.box.lines[self.box.label_lines:]:
            if line.text.startswith(GRAD_PREFIX):
                current = grad
            elif line.text.startswith(VALUE_PREFIX):
                current = value
            if current is not None:
                current.append(line)
        return value, grad

    def _slot_below(self):
        """Where a gradient goes when the layout reserved no line: under the box."""
        last = self.box.lines[-1]
        y = self._rect.bottom() + last.size * 0.8
        return type(last)(text="", x=last.x, y=y, size=last.size)

    def _fitted(self, text: str, size: int) -> str:
        """``text`` elided to the box's inner width: never overflow the box."""
        width = self._rect.width() - 2 * TEXT_PAD
        if len(text) * ADVANCE_EM * size <= width:
            return text
        return graph_metrics(size, self._palette.bold).elidedText(
            text, Qt.TextElideMode.ElideRight, width)

    def _placed(self, size: float, x: float, y: float, text: str, is_grad: bool):
        px = round(size)
        metrics = graph_metrics(px, self._palette.bold)
        width = metrics.horizontalAdvance(text)
        baseline = y + (metrics.ascent() - metrics.descent()) / 2
        return px, QPointF(x - width / 2, baseline), text, is_grad

