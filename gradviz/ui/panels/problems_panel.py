"""The Problems panel: what :func:`~gradviz.core.lens.diagnostics.diagnose` found in the replay.

A view of the :class:`~gradviz.ui.viewer.player.Player`: it reads the player's
Snapshot when it changes, and a click on a finding writes back only through
the player (``set_step``), so every other view follows as for any jump.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from ...core.lens.diagnostics import Finding, diagnose, problems
from .problems_text import finding_text

_ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}


class ProblemsPanel(QWidget):
    """A summary line and one row per finding; clicking a row jumps the replay to its step."""

    node_activated = Signal(str)  # the finding's node, for the graph to select

    def __init__(self, player, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProblemsPanel")
        self._player = player
        self._findings: list[Finding] = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("ProblemsList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.list.itemClicked.connect(self._on_item_activated)
        self.list.itemActivated.connect(self._on_item_activated)
        player.snapshot_changed.connect(self._on_snapshot_changed)
        self._on_snapshot_changed()

    @property
    def findings(self) -> list[Finding]:
        """The findings listed, in order."""
        return list(self._findings)

    def activate(self, row: int) -> None:
        """Do what a click on row ``row`` does."""
        self._on_item_activated(self.list.item(row))

    def _on_snapshot_changed(self) -> None:
        snapshot = self._player.snapshot
        self._findings = diagnose(snapshot) if snapshot is not None else []
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for finding in self._findings:
            item = QListWidgetItem(self.style().standardIcon(_ICONS[finding.severity]),
                                   finding_text(finding))
            item.setToolTip(item.text())
            if finding.severity == "info":
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
        self.summary.setText(self._summary())

    def _summary(self) -> str:
        if self._player.snapshot is None:
            return self.tr("Build a function to check its gradients.")
        count = len(problems(self._findings))
        if count == 0:
            return self.tr("No problem found by the rules (see what was not checked below).") \
                if self._findings else self.tr("No problem found.")
        if count == 1:
            return self.tr("1 problem found. Click it to go to its step.")
        return self.tr("{0} problems found. Click one to go to its step.").format(count)

    def _on_item_activated(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        finding = self._findings[self.list.row(item)]
        if finding.step is not None:
            self._player.pause()
            self._player.set_step(self._player.forward_count + finding.step + 1)
        if finding.node is not None:
            self.node_activated.emit(finding.node)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._fill()
        super().changeEvent(event)

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), 160))
        return hint

