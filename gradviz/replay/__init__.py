"""The backward (and forward) replay as plain data, Qt-free: one implementation for every view.

The window (:mod:`gradviz.ui.viewer.player`), the image and GIF exporters and the
interactive HTML page all read their per-step states from here:
:mod:`~gradviz.replay.state` (the reference: a state as a pure function of the
position), :mod:`~gradviz.replay.rules` (the same rules, cell by cell) and
:mod:`~gradviz.replay.timeline` (states from per-step deltas).
"""
