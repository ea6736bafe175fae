"""The timeline under the graph: first, back, play/pause, forward, last, speed, scrubber.

A view of the :class:`~gradviz.ui.viewer.player.Player`: it listens to the player's
signals and writes back only through the player's commands. Keyboard
control (Space, ←/→, Home/End) lives at the window level.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

from gradviz.replay.state import FORWARD

from ...core.graph.formatting import format_number
from ..base.i18n import translate
from ..base.plain import plain

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)
MAX_TICKS = 60  # beyond this many steps, ticks every few steps


def position_text(player) -> str:
    """Where the replay is, in words: ``Step 3 / 9`` (or ``Forward 2 / 8`` in a forward replay)."""
    if player.phase == FORWARD:
        return translate("Timeline", "Forward {0} / {1}").format(player.step, player.forward_count)
    snapshot = player.snapshot
    total = len(snapshot.steps) if snapshot is not None else 0
    text = translate("Timeline", "Step {0} / {1}").format(player.backward_step, total)
    runs = snapshot.steps[-1].run + 1 if snapshot is not None and snapshot.steps else 1
    if runs > 1:  # which backward call the step belongs to (.grad accumulating)
        text += "  " + translate("Timeline", "(backward call {0} of {1})").format(
            player.state().run + 1, runs)
    return text


class Timeline(QWidget):
    """Transport buttons, a speed choice and a scrubber with one tick per step."""

    def __init__(self, player, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Timeline")
        self.player = player
        icons = QStyle.StandardPixmap
        self.first_button = self._button(icons.SP_MediaSkipBackward, self.tr("First step (Home)"))
        self.back_button = self._button(icons.SP_MediaSeekBackward, self.tr("Step back (←)"))
        self.play_button = self._button(icons.SP_MediaPlay, self.tr("Play / pause (Space)"))
        self.forward_button = self._button(icons.SP_MediaSeekForward, self.tr("Step forward (→)"))
        self.last_button = self._button(icons.SP_MediaSkipForward, self.tr("Last step (End)"))
        self.speed_box = QComboBox()
        self.speed_box.setToolTip(self.tr("Playback speed"))
        for speed in SPEEDS:
            self.speed_box.addItem(self.tr("{0}×").format(format_number(float(speed))), speed)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("Scrubber")
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setPageStep(1)
        self.slider.setToolTip(self.tr("Drag to any step of the backward pass"))
        self.step_label = QLabel()
        plain(self.step_label)
        self.step_label.setObjectName("StepLabel")
        self.step_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("Step 8888 / 8888"))
        self._layout()
        self._connect()
        self._sync_all()

    def _button(self, pixmap, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(self.style().standardIcon(pixmap))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the window
        return button

    def _layout(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        for button in (self.first_button, self.back_button, self.play_button,
                       self.forward_button, self.last_button):
            row.addWidget(button)
        row.addWidget(self.speed_box)
        row.addWidget(self.slider, 1)
        row.addWidget(self.step_label)

    def _connect(self) -> None:
        player = self.player
        self.first_button.clicked.connect(player.first)
        self.back_button.clicked.connect(player.previous)
        self.play_button.clicked.connect(player.toggle)
        self.forward_button.clicked.connect(player.next)
        self.last_button.clicked.connect(player.last)
        self.slider.valueChanged.connect(player.set_step)
        self.speed_box.currentIndexChanged.connect(self._on_speed_chosen)
        player.step_changed.connect(self._sync_step)
        player.playing_changed.connect(self._sync_playing)
        player.speed_changed.connect(self._sync_speed)
        player.snapshot_changed.connect(self._sync_all)

    # -- player → widgets -------------------------------------------------------------------
    def _sync_all(self) -> None:
        count = self.player.count
        with QSignalBlocker(self.slider):
            self.slider.setRange(0, count)
            self.slider.setTickInterval(max(1, -(-count // MAX_TICKS)))
        self.setEnabled(count > 0)
        self._sync_step(self.player.step)
        self._sync_playing(self.player.playing)
        self._sync_speed(self.player.speed)

    def _sync_step(self, k: int) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(k)
        count = self.player.count
        self.step_label.setText(position_text(self.player))
        self.first_button.setEnabled(k > 0)
        self.back_button.setEnabled(k > 0)
        self.forward_button.setEnabled(k < count)
        self.last_button.setEnabled(k < count)

    def _sync_playing(self, playing: bool) -> None:
        pixmaps = QStyle.StandardPixmap
        icon = pixmaps.SP_MediaPause if playing else pixmaps.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setToolTip(self.tr("Pause (Space)") if playing
                                    else self.tr("Play (Space)"))

    def _sync_speed(self, speed: float) -> None:
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - speed))
        with QSignalBlocker(self.speed_box):
            self.speed_box.setCurrentIndex(index)

    # -- widgets → player -------------------------------------------------------------------
    def _on_speed_chosen(self, index: int) -> None:
        self.player.set_speed(SPEEDS[index])
