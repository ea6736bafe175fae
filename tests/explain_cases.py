"""Shared helpers for the explanation tests: leaves, the pipeline run, the formula check."""

from __future__ import annotations

import torch

from gradviz.core.runtime import pipeline


def leaf(*values):
    """A float64 leaf (a number gives a 0-d tensor)."""
    return torch.tensor(values[0] if len(values) == 1 else list(values), dtype=torch.float64,
                        requires_grad=True)


def v(x):
    """An explanation value as a float64 tensor."""
    return torch.as_tensor(x, dtype=torch.float64)


def unbroadcast(t, shape):
    """Sum ``t`` down to ``shape`` (what autograd does for broadcast inputs)."""
    return t.sum_to_size(shape) if list(t.shape) != list(shape) else t


def weighted_root(y):
    """``(y·c).sum()`` with c = 0.5 … 2: a root whose grad_out at ``y`` is not all ones."""
    c = torch.linspace(0.5, 2.0, y.numel(), dtype=torch.float64).reshape(y.shape)
    return (y * c).sum()


def snapshot_of(root, **params):
    """The pipeline's Snapshot of ``root`` (no layout): its steps carry its explanations."""
    return pipeline.build_snapshot(root, params=params,
                                   options=pipeline.BuildOptions(layout=False))


def step_of(snapshot, op):
    """The last step running ``op`` (the upstream ``(y·c).sum()`` runs before the op)."""
    steps = [s for s in snapshot.steps if s.op == op]
    assert steps, f"no {op} step in {[s.op for s in snapshot.steps]}"
    return steps[-1]


def check_explanation(step, inputs, root, check):
    """Results are PyTorch's gradients, and the rule's formula, computed independently
    by ``check(operands, grad_out, shapes)``, reproduces each of them."""
    expl = step.explanation
    assert expl is not None and expl["op"] == step.op
    assert expl["rule"] != "generic", expl
    needed = [t for t in inputs if t is not None]
    grads = iter(torch.autograd.grad(root, needed, retain_graph=True))
    expected = {index: next(grads) for index, t in enumerate(inputs) if t is not None}
    ops = {o["name"]: v(o["value"]) for o in expl["operands"]
           if not isinstance(o["value"], str)}
    shapes = {r["wrt"]: list(v(r["value"]).shape) for r in expl["results"]}
    formula = check(ops, ops["grad_out"], shapes)
    assert sorted(r["input"] for r in expl["results"]) == sorted(expected)
    assert [r["value"] for r in expl["results"]] == [g.value for g in step.grad_out]
    for result in expl["results"]:
        torch.testing.assert_close(v(result["value"]), expected[result["input"]])
        torch.testing.assert_close(v(result["value"]), formula[result["wrt"]].to(torch.float64))
        assert result["formula"]
    return expl
