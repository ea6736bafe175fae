"""The explanation bar's forward-pass text: the inputs, each node as it is computed.

Split from :mod:`gradviz.ui.panels.explanation_bar`; its strings keep that bar's translation
context (``ExplanationBar``).
"""

from __future__ import annotations

from ...core.graph.formatting import format_compact
from ...core.graph.forward import forward_inputs
from ...core.snapshot import Snapshot
from ..base.i18n import translate, typeset
from ..base.plain import plain


def backward_runs(snapshot: Snapshot) -> int:
    """How many backward calls the snapshot recorded."""
    return snapshot.steps[-1].run + 1 if snapshot.steps else 1


def forward_intro(snapshot: Snapshot, total: int) -> str:
    """The forward pass's last line: the output, and how to start the backward pass."""
    value = format_compact(snapshot.output.value)
    line = translate("ExplanationBar", "output = {0}. ").format(value)
    if not total:
        return line + translate("ExplanationBar",
                                "Nothing requires a gradient: there is no backward pass.")
    runs = backward_runs(snapshot)
    if runs > 1:
        line += translate("ExplanationBar", "backward is called {0} times without zeroing: "
                          "each call adds to .grad. ").format(runs)
    return line + translate("ExplanationBar", "Press Space to play the backward pass "
                            "({0} steps), or → to go one step at a time.").format(total)


def show_forward(bar, state) -> None:
    """Show the forward pass at ``state.forward`` on ``bar``: the inputs, or the node just
    computed."""
    snapshot = bar._snapshot
    if snapshot is None:
        return
    bar.note.setText("")
    bar.note.hide()
    plain(bar.title, bar.body, bar.note)
    k, total = state.forward, state.forward_total
    if k == 0:
        leaves = ", ".join(f"{v.name} = {format_compact(v.value)}" for v in snapshot.variables)
        bar.title.setText(translate("ExplanationBar", "Forward pass: the inputs"))
        bar.body.setText(translate("ExplanationBar", "The leaves hold the inputs: {0}. Press → "
                                   "to compute the first node ({1} to go).").format(
            leaves or "—", total))
        return
    node = snapshot.node(state.active_node)
    name = node.op or node.label.split("\n")[0]
    bar.title.setText(translate("ExplanationBar", "Forward {0} of {1}: {2}").format(k, total, name))
    inputs = ", ".join(operand(snapshot, i) for i in forward_inputs(snapshot, node.id))
    text = translate("ExplanationBar", "{0} computes {1} from {2}.").format(
        name, format_compact(node.value) or "?", inputs or translate("ExplanationBar", "constants"))
    saved = [n for n in snapshot.nodes if n.kind == "saved" and n.saved_of == node.id]
    if saved:
        text += " " + translate("ExplanationBar", "It saves {0} for the backward pass.").format(
            ", ".join(f"{n.label.split()[0]} = {format_compact(n.value)}" for n in saved))
    if k >= total:
        text += "\n" + translate("ExplanationBar", "The forward pass is done: output = {0}. "
                                 "Press → to start the backward pass.").format(
            format_compact(snapshot.output.value))
    bar.body.setText(typeset(text))


def operand(snapshot: Snapshot, node_id: str) -> str:
    """An input of a forward node: ``x = 2`` for a leaf, ``PowBackward0 = 8`` otherwise."""
    for edge in snapshot.edges:  # a leaf's AccumulateGrad stands for the leaf
        if edge.kind == "variable" and edge.target == node_id:
            node_id = edge.source
    node = snapshot.node(node_id)
    name = node.variable or node.op or node.label.split("\n")[0]
    value = format_compact(node.value)
    return f"{name} = {value}" if value else name
