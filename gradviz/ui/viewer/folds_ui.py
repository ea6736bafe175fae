"""Folded blocks in the window: the status bar's line and a block's context menu.

A big graph opens folded (:mod:`gradviz.core.layout.fold_layout`); the status bar
says so in one line, and a folded block's context menu expands one layer, all
of them, or folds every block again (double-click: one layer). The work is the
:class:`~gradviz.ui.viewer.modules_ui.ModuleCollapser`'s; this module only speaks.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QMenu

from ...core.snapshot import Snapshot
from ..base.i18n import current_language, translate


def _number(value: int) -> str:
    """An integer as the display language writes it (6,858; 6 858)."""
    return QLocale(current_language()).toString(value)


def fold_message(snapshot: Snapshot) -> str | None:
    """The status bar's line for a folded or collapsed first picture (None otherwise)."""
    meta = snapshot.meta
    level = meta.get("fold_level")
    if level is None:
        return None
    total, shown = _number(meta.get("fold_nodes", 0)), _number(len(snapshot.nodes))
    if level == "folded":
        blocks = ", ".join(f"{f['kind']} ×{f['count']}" for f in meta.get("folds", {}).values()
                           if f["count"] > 1)
        return translate("Folds", "Big graph ({0} nodes): repeated layers folded ({1}), "
                         "{2} nodes shown. Double-click a block to expand one layer.").format(
            total, blocks, shown)
    return translate("Folds", "Big graph ({0} nodes): the folded layout took too long, modules "
                     "collapsed, {1} nodes shown. Double-click a module to expand it.").format(
        total, shown)


def show_fold_menu(window, node_id: str, global_pos) -> None:
    """The context menu of folded block ``node_id``: expand one, expand all, fold all."""
    modules = window.modules
    members = modules.fold_members(node_id)
    if not members:
        return
    menu = QMenu(window)
    one = menu.addAction(translate("Folds", "Expand one layer ({0})").format(members[0]))
    every = menu.addAction(translate("Folds", "Expand all {0} layers").format(len(members)))
    again = menu.addAction(translate("Folds", "Fold every block again"))
    again.setEnabled(bool(modules.expanded))
    one.triggered.connect(lambda: modules.expand_fold(node_id, 1))
    every.triggered.connect(lambda: modules.expand_fold(node_id, None))
    again.triggered.connect(modules.fold_all)
    menu.popup(global_pos)
