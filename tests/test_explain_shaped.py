"""Explanations of ops that need particular shapes (matrix products, reductions, losses,
views and indexing): PyTorch's numbers, reproduced by each rule's formula."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from gradviz.core.explain.text import render_explanation
from tests.explain_cases import check_explanation, leaf, snapshot_of, step_of, weighted_root

T = torch.tensor
VEC = (0.5, -1.2, 2.0)
VEC2 = (1.5, 0.4, 3.0)


def _mats():
    return leaf(*[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]), leaf(*[[1.0, 2.0], [-1.0, 0.5],
                                                                  [0.25, 3.0]])


def _mat_and(*values):
    return lambda: (_mats()[0], leaf(*values))


def _vecs():
    return leaf(*VEC), leaf(*VEC2)


def _one(mask):
    return mask.to(torch.float64)


def _evenly(x, out, dim):
    """max/amax's routing: ties share the gradient."""
    hit = _one(x == (out if dim is None else out.unsqueeze(dim)))
    return hit / (hit.sum() if dim is None else hit.sum(dim, keepdim=True))


def _placed(shape, index, g, accumulate=False):
    z = torch.zeros(shape, dtype=torch.float64)
    if accumulate:
        return z.index_put_(index, g, accumulate=True)
    z[index] = g
    return z


def _addmm(c, A, B):
    return torch.addmm(c, A, B), [c, A, B]


def _then(u, op):
    """``op(u)`` whose input is the intermediate ``u``."""
    return op(u), [u]


def _ints(t):
    return tuple(int(n) for n in t.tolist())


# Each case: make(a, b) -> (op output, op inputs); leaves() -> (a, b); op class;
# check(o, g, shapes) -> {wrt: expected gradient}; a piece of the rendered text.
SHAPED = {
    "mm": (lambda A, B: (A @ B, [A, B]), _mats, "MmBackward0",
           lambda o, g, s: {"A": g @ o["B"].T, "B": o["A"].T @ g}, "a·b"),
    "bmm": (lambda A, B: (torch.bmm(A, B), [A, B]),
            lambda: (leaf(*[[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]] * 2),
                     leaf(*[[[1.0, 2.0], [-1.0, 0.5], [0.25, 3.0]]] * 2)), "BmmBackward0",
            lambda o, g, s: {"A": g @ o["B"].transpose(1, 2), "B": o["A"].transpose(1, 2) @ g},
            "a·b"),
    "addmm": (lambda x, W: _addmm(W[0], x, W.T),
              lambda: (leaf(*[[0.5, -1.0], [1.5, 0.25]]), leaf(*[[1.0, 2.0], [-1.0, 0.5]])),
              "AddmmBackward0",
              lambda o, g, s: {"c": g.sum(0), "A": g @ o["B"].T, "B": o["A"].T @ g}, "grad_a"),
    "dot": (lambda a, b: (a @ b, [a, b]), _vecs, "DotBackward0",
            lambda o, g, s: {"a": g * o["b"], "b": g * o["a"]}, "a·b"),
    "mv": (lambda A, x: (A @ x, [A, x]), lambda: (_mats()[0], leaf(*VEC2)),
           "MvBackward0", lambda o, g, s: {"A": torch.outer(g, o["v"]), "v": o["A"].T @ g},
           "a·b"),
    "t": (lambda A, b: (A.t(), [A]), _mat_and(1.0), "TBackward0",
          lambda o, g, s: {"x": g.T}, "(aᵀ)"),
    "transpose": (lambda A, b: (A.transpose(0, 1), [A]), _mat_and(1.0), "TransposeBackward0",
                  lambda o, g, s: {"x": g.transpose(0, 1)}, "transpose(a, 0, 1)"),
    "permute": (lambda A, b: (A.permute(1, 0), [A]), _mat_and(1.0), "PermuteBackward0",
                lambda o, g, s: {"x": g.permute(*_ints(o["inv"]))}, "permute(a, [1, 0])"),
    "view": (lambda A, b: (A.view(6), [A]), _mat_and(1.0), "ViewBackward0",
             lambda o, g, s: {"x": g.reshape(_ints(o["shape"]))}, "view(a)"),
    "unsafe_view": (lambda A, b: (torch.ops.aten._unsafe_view(A, (6,)), [A]), _mat_and(1.0),
                    "UnsafeViewBackward0", lambda o, g, s: {"x": g.reshape(_ints(o["shape"]))},
                    "view(a)"),
    "squeeze": (lambda A, b: _then(A.unsqueeze(0), lambda u: u.squeeze()), _mat_and(1.0),
                "SqueezeBackward0",
                lambda o, g, s: {"x": g.reshape(_ints(o["shape"]))}, "squeeze(unsqueeze(a, 0))"),
    "squeeze_dim": (lambda A, b: _then(A.unsqueeze(0), lambda u: u.squeeze(0)), _mat_and(1.0),
                    "SqueezeBackward1", lambda o, g, s: {"x": g.reshape(_ints(o["shape"]))},
                    "squeeze("),
    "squeeze_dims": (lambda A, b: _then(A.unsqueeze(0), lambda u: u.squeeze((0,))), _mat_and(1.0),
                     "SqueezeBackward2", lambda o, g, s: {"x": g.reshape(_ints(o["shape"]))},
                     "squeeze("),
    "expand": (lambda a, b: (a.expand(2, 3), [a]), _vecs, "ExpandBackward0",
               lambda o, g, s: {"x": g.sum_to_size(_ints(o["shape"]))}, "sum_to"),
    "unsqueeze": (lambda a, b: (a.unsqueeze(1), [a]), _vecs, "UnsqueezeBackward0",
                  lambda o, g, s: {"x": g.squeeze(1)}, "unsqueeze(a, 1)"),
    "select": (lambda A, b: (A[:, 1], [A]), _mat_and(1.0), "SelectBackward0",
               lambda o, g, s: {"x": _placed((2, 3), (slice(None), 1), g)}, "a[:, 1]"),
    "slice": (lambda A, b: (A[:, 1:], [A]), _mat_and(1.0), "SliceBackward0",
              lambda o, g, s: {"x": _placed((2, 3), (slice(None), slice(1, None)), g)},
              "a[:, 1:]"),
    "index": (lambda a, b: (a[T([0, 2, 0])], [a]), _vecs, "IndexBackward0",
              lambda o, g, s: {"x": _placed((3,), (T([0, 2, 0]),), g, True)}, "a[[0, 2, 0]]"),
    "gather": (lambda A, b: (A.gather(1, T([[0], [2]])), [A]), _mat_and(1.0), "GatherBackward0",
               lambda o, g, s: {"x": torch.zeros(2, 3, dtype=torch.float64).scatter_add(
                   1, o["i"].long(), g)}, "gather(a, 1, "),
    "max": (lambda A, b: (A.max(), [A]), lambda: (leaf(*[[2.0, -1.0], [2.0, 0.5]]), leaf(1.0)),
            "MaxBackward1", lambda o, g, s: {"x": g * _evenly(o["x"], o["out"], None)},
            "max(a)"),
    "min": (lambda A, b: (A.min(), [A]), _mat_and(1.0), "MinBackward1",
            lambda o, g, s: {"x": g * _evenly(o["x"], o["out"], None)}, "min(a)"),
    "min_dim": (lambda A, b: (A.min(0).values, [A]), _mat_and(1.0), "MinBackward0",
                lambda o, g, s: {"x": F.one_hot(o["i"].long(), 2).T * g.unsqueeze(0)},
                "min(a, dim=0)"),
    "amin": (lambda A, b: (A.amin(1), [A]), lambda: (leaf(*[[2.0, -1.0], [-1.0, -1.0]]),
                                                      leaf(1.0)),
             "AminBackward0", lambda o, g, s: {"x": g.unsqueeze(1) * _evenly(o["x"], o["out"], 1)},
             "min(a, dim=1)"),
    "max_dim": (lambda A, b: (A.max(1).values, [A]), _mat_and(1.0), "MaxBackward0",
                lambda o, g, s: {"x": F.one_hot(o["i"].long(), 3) * g.unsqueeze(1)},
                "max(a, dim=1)"),
    "amax": (lambda A, b: (A.amax(0), [A]), lambda: (leaf(*[[2.0, -1.0], [2.0, 0.5]]), leaf(1.0)),
             "AmaxBackward0", lambda o, g, s: {"x": g * _evenly(o["x"], o["out"], 0)},
             "max(a, dim=0)"),
    "prod": (lambda a, b: (a.prod(), [a]), _vecs, "ProdBackward0",
             lambda o, g, s: {"x": g * o["out"] / o["x"]}, "Π(a)"),
    "prod_dim": (lambda A, b: (A.prod(1), [A]), _mat_and(1.0), "ProdBackward1",
                 lambda o, g, s: {"x": g.unsqueeze(1) * o["out"].unsqueeze(1) / o["x"]},
                 "Π(a, dim=1)"),
    "logsumexp": (lambda A, b: (A.logsumexp(1), [A]), _mat_and(1.0), "LogsumexpBackward0",
                  lambda o, g, s: {"x": g.unsqueeze(1) * (o["x"] - o["out"].unsqueeze(1)).exp()},
                  "logsumexp(a, dim=1)"),
    "norm": (lambda a, b: (a.norm(), [a]), _vecs, "LinalgVectorNormBackward0",
             lambda o, g, s: {"x": g * o["x"] / o["out"]}, "‖a‖"),
    "norm_1": (lambda a, b: (torch.linalg.vector_norm(a, 1), [a]), _vecs,
               "LinalgVectorNormBackward0", lambda o, g, s: {"x": g * o["x"].sign()}, "‖a‖_1"),
    "norm_3_dim": (lambda A, b: (torch.linalg.vector_norm(A, 3, dim=1), [A]), _mat_and(1.0),
                   "LinalgVectorNormBackward0",
                   lambda o, g, s: {"x": g.unsqueeze(1) * o["x"].sign() * o["x"].abs() ** 2
                                    / o["out"].unsqueeze(1) ** 2}, "‖a‖_3, dim=1"),
    "softmax": (lambda a, b: (a.softmax(-1), [a]), _vecs, "SoftmaxBackward0",
                lambda o, g, s: {"x": o["out"] * (g - (g * o["out"]).sum(0, keepdim=True))},
                "softmax(a, dim=-1)"),
    "log_softmax": (lambda A, b: (A.log_softmax(1), [A]), _mat_and(1.0), "LogSoftmaxBackward0",
                    lambda o, g, s: {"x": g - o["out"].exp() * g.sum(1, keepdim=True)},
                    "log_softmax(a, dim=1)"),
    "mse": (lambda a, b: (F.mse_loss(a, b), [a, b]), _vecs, "MseLossBackward0",
            lambda o, g, s: {"ŷ": 2 * (o["ŷ"] - o["y"]) * g / o["N"],
                             "y": -2 * (o["ŷ"] - o["y"]) * g / o["N"]}, "mse(a, b)"),
    "mse_sum": (lambda a, b: (F.mse_loss(a, b.detach(), reduction="sum"), [a, None]), _vecs,
                "MseLossBackward0", lambda o, g, s: {"ŷ": 2 * (o["ŷ"] - o["y"]) * g}, "mse(a, "),
    "nll": (lambda A, t: (F.nll_loss(A, t), [A]),
            lambda: (leaf(*[[-0.5, -1.5, -2.0], [-1.0, -0.7, -3.0]]), T([2, 0])),
            "NllLossBackward0",
            lambda o, g, s: {"z": -g * F.one_hot(o["t"].long(), 3) / o["W"]}, "nll(a, b)"),
    "bce": (lambda p, t: (F.binary_cross_entropy(p, t), [p]),
            lambda: (leaf(0.2, 0.9, 0.6), T([0.0, 1.0, 1.0], dtype=torch.float64)),
            "BinaryCrossEntropyBackward0",
            lambda o, g, s: {"p": g * (o["p"] - o["y"]) / (o["p"] * (1 - o["p"])) / o["N"]},
            "bce(a, b)"),
    "bce_target": (lambda p, t: (F.binary_cross_entropy(p, t), [p, t]),
                   lambda: (leaf(0.2, 0.9, 0.6), leaf(0.0, 1.0, 0.5)),
                   "BinaryCrossEntropyBackward0",
                   lambda o, g, s: {"p": g * (o["p"] - o["y"]) / (o["p"] * (1 - o["p"])) / o["N"],
                                    "y": g * (torch.log(1 - o["p"]) - torch.log(o["p"])) / o["N"]},
                   "bce(a, b)"),
    "sum_dim": (lambda A, b: (A.sum(0), [A]), _mat_and(1.0), "SumBackward1",
                lambda o, g, s: {"x": g.unsqueeze(0).expand(s["x"])}, "sum(a, dim=0)"),
    "mean_dim_neg": (lambda A, b: (A.mean(-1), [A]), _mat_and(1.0), "MeanBackward1",
                     lambda o, g, s: {"x": g.unsqueeze(1).expand(s["x"]) / o["N"]},
                     "mean(a, dim=-1)"),
    "add_broadcast": (lambda A, b: (A + b, [A, b]), _mat_and(*VEC2), "AddBackward0",
                      lambda o, g, s: {"a": g, "b": g.sum(0)}, "Σ[grad_out]"),
    "mul_broadcast": (lambda A, b: (A * b, [A, b]), _mat_and(*VEC2), "MulBackward0",
                      lambda o, g, s: {"a": g * o["b"], "b": (g * o["a"]).sum(0)}, "⊙"),
}


@pytest.mark.parametrize("case", sorted(SHAPED))
def test_shaped_rule_numbers_are_pytorchs(case):
    make, leaves, op, check, piece = SHAPED[case]
    a, b = leaves()
    y, inputs = make(a, b)
    root = weighted_root(y)
    params = {"a": a, "b": b}
    expl = check_explanation(step_of(snapshot_of(root, **params), op), inputs, root, check)
    text = render_explanation(expl)
    assert text.startswith(op) and piece in text, text
    assert "18446744073709551615" not in text and "−" not in text


def test_every_rule_has_a_numbers_test():
    from gradviz.core.explain.rules import RULES
    from tests.test_explain import CASES

    tested = {c[1] for c in CASES.values()} | {c[2] for c in SHAPED.values()} | {"CopySlices"}
    assert set(RULES) <= tested, sorted(set(RULES) - tested)


def test_copy_slices_routes_around_the_in_place_write():
    a = leaf(*VEC)
    y = a.clone()
    y[0] = y[0] * 3
    root = weighted_root(y)
    snapshot = snapshot_of(root, a=a)
    expl = step_of(snapshot, "CopySlices").explanation
    assert expl["rule"] == "copy_slices"
    g = torch.linspace(0.5, 2.0, 3, dtype=torch.float64)
    base, src = (torch.as_tensor(r["value"], dtype=torch.float64) for r in expl["results"])
    torch.testing.assert_close(base, g * T([0.0, 1.0, 1.0], dtype=torch.float64))
    torch.testing.assert_close(src, g[0])
    (grad,) = torch.autograd.grad(root, a)
    torch.testing.assert_close(grad, g * T([3.0, 1.0, 1.0], dtype=torch.float64))
    text = render_explanation(expl)
    assert "0 where the in-place write overwrote it" in text and "at the overwritten" in text


def test_dim_minus_one_reads_as_typed_and_mean_along_it_is_explained():
    M = leaf(*[[1.0, 2.0], [3.0, 4.0]])
    snapshot = snapshot_of(M.mean(dim=-1).sum() + M.sum(-1).sum() + M.softmax(-1)[0, 0], M=M)
    texts = [render_explanation(s.explanation) for s in snapshot.steps]
    assert not any("error" in s.explanation for s in snapshot.steps)
    assert any(t.startswith("MeanBackward1 (mean(M, dim=-1))") for t in texts), texts
    assert any("sum(M, dim=-1)" in t for t in texts) and any("softmax(M, dim=-1)" in t
                                                            for t in texts)
    assert not any("18446744073709551615" in t for t in texts)


def test_linear_layer_is_addmm_with_the_weight_transposed():
    torch.manual_seed(0)
    layer = torch.nn.Linear(3, 2).double()
    x = leaf(*[[0.5, -1.0, 2.0]])
    root = layer(x).sum()
    snapshot = snapshot_of(root, x=x, **dict(layer.named_parameters()))
    addmm = step_of(snapshot, "AddmmBackward0").explanation
    text = render_explanation(addmm)
    assert text.startswith("AddmmBackward0 (bias + "), text
    assert "·weightᵀ): grad_bias = Σ[grad_out] = [1, 1]; " in text, text
    assert " = grad_out · weight = " in text and "grad_(weightᵀ) = " in text  # (Wᵀ)ᵀ is W
    assert render_explanation(step_of(snapshot, "TBackward0").explanation).startswith(
        "TBackward0 (weightᵀ): grad_in = grad_outᵀ")
