"""Typed expressions compute the same values and gradients as PyTorch itself."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from gradviz.core.expr.expression import (
    FUNCTION_NAMES,
    MAX_ELEMENTS,
    Expression,
    ExpressionError,
    parse_expression,
)
from gradviz.core.expr.functions import FUNCTIONS

VALUES = {
    "x": 0.7,
    "v": [0.2, -0.5, 0.9],
    "p": [0.2, 0.3, 0.5],
    "q": [0.1, 0.6, 0.9],
    "m": [[0.1, 0.4, -0.3], [0.8, -0.6, 0.2]],
    "w": [[0.5, -0.2], [0.3, 0.7], [-0.4, 0.1]],
}


def leaves(dtype: torch.dtype = torch.float64) -> dict[str, torch.Tensor]:
    return {k: torch.tensor(v, dtype=dtype, requires_grad=True) for k, v in VALUES.items()}


UNARY_ON_V = "sin cos tan asin acos atan sinh cosh tanh exp log1p abs sign sigmoid relu".split()
UNARY_ON_P = "log log2 log10 sqrt rsqrt".split()

# (expression, the same function written directly in PyTorch)
CASES = [(f"{n}(v)", lambda e, n=n: getattr(torch, n)(e["v"])) for n in UNARY_ON_V]
CASES += [(f"{n}(p)", lambda e, n=n: getattr(torch, n)(e["p"])) for n in UNARY_ON_P]
CASES += [
    ("leaky_relu(v)", lambda e: F.leaky_relu(e["v"])),
    ("leaky_relu(v, 0.2)", lambda e: F.leaky_relu(e["v"], 0.2)),
    ("F.leaky_relu(v, negative_slope=0.3)", lambda e: F.leaky_relu(e["v"], 0.3)),
    ("elu(v, alpha=0.5)", lambda e: F.elu(e["v"], alpha=0.5)),
    ("gelu(v)", lambda e: F.gelu(e["v"])),
    ("softplus(v, beta=2)", lambda e: F.softplus(e["v"], beta=2)),
    ("silu(v)", lambda e: F.silu(e["v"])),
    ("pow(v, 3)", lambda e: torch.pow(e["v"], 3)),
    ("pow(p, v)", lambda e: torch.pow(e["p"], e["v"])),
    ("square(v)", lambda e: torch.square(e["v"])),
    ("v * detach(v)", lambda e: e["v"] * e["v"].detach()),
    ("sum(m)", lambda e: e["m"].sum()),
    ("sum(m, dim=1)", lambda e: e["m"].sum(dim=1)),
    ("sum(m, 0, True)", lambda e: e["m"].sum(0, keepdim=True)),
    ("mean(m, dim=-1)", lambda e: e["m"].mean(dim=-1)),
    ("prod(v)", lambda e: e["v"].prod()),
    ("prod(m, 1)", lambda e: e["m"].prod(1)),
    ("max(v)", lambda e: e["v"].max()),
    ("max(m, dim=1)", lambda e: e["m"].max(dim=1).values),
    ("torch.max(m, 0, keepdim=True)", lambda e: e["m"].max(0, keepdim=True).values),
    ("max(v, p)", lambda e: torch.maximum(e["v"], e["p"])),
    ("min(v)", lambda e: e["v"].min()),
    ("min(m, dim=0)", lambda e: e["m"].min(dim=0).values),
    ("min(v, p)", lambda e: torch.minimum(e["v"], e["p"])),
    ("amax(m, dim=0)", lambda e: e["m"].amax(dim=0)),
    ("amin(m, 1)", lambda e: e["m"].amin(1)),
    ("norm(v)", lambda e: torch.norm(e["v"])),
    ("norm(m, p=1)", lambda e: torch.norm(e["m"], p=1)),
    ("norm(m, dim=1)", lambda e: torch.norm(e["m"], dim=1)),
    ("matmul(m, w)", lambda e: e["m"] @ e["w"]),
    ("m @ w", lambda e: e["m"] @ e["w"]),
    ("m @ v", lambda e: e["m"] @ e["v"]),
    ("mm(m, w)", lambda e: torch.mm(e["m"], e["w"])),
    ("dot(v, p)", lambda e: torch.dot(e["v"], e["p"])),
    ("outer(v, p)", lambda e: torch.outer(e["v"], e["p"])),
    ("softmax(v)", lambda e: torch.softmax(e["v"], -1)),
    ("softmax(m, dim=0)", lambda e: torch.softmax(e["m"], 0)),
    ("torch.nn.functional.softmax(m, dim=1)", lambda e: F.softmax(e["m"], dim=1)),
    ("log_softmax(m)", lambda e: torch.log_softmax(e["m"], -1)),
    ("logsumexp(m)", lambda e: torch.logsumexp(e["m"].reshape(-1), 0)),
    ("logsumexp(m, dim=1)", lambda e: torch.logsumexp(e["m"], 1)),
    ("clamp(v, -0.3, 0.5)", lambda e: torch.clamp(e["v"], -0.3, 0.5)),
    ("clamp(v, min=0)", lambda e: torch.clamp(e["v"], min=0)),
    ("mse_loss(v, p)", lambda e: F.mse_loss(e["v"], e["p"])),
    ("l1_loss(v, p)", lambda e: F.l1_loss(e["v"], e["p"])),
    ("binary_cross_entropy(sigmoid(v), q)",
     lambda e: F.binary_cross_entropy(torch.sigmoid(e["v"]), e["q"])),
    ("cross_entropy(v, 2)", lambda e: F.cross_entropy(e["v"], torch.tensor(2))),
    ("cross_entropy(v, p)", lambda e: F.cross_entropy(e["v"], e["p"])),
    ("F.cross_entropy(m @ w, softmax(2 * m @ w), label_smoothing=0.1)",
     lambda e: F.cross_entropy(e["m"] @ e["w"], torch.softmax(2 * e["m"] @ e["w"], -1),
                               label_smoothing=0.1)),
    ("sum(softmax(m @ w, dim=-1) * log_softmax(m @ w))",
     lambda e: (torch.softmax(e["m"] @ e["w"], -1) * torch.log_softmax(e["m"] @ e["w"], -1)).sum()),
    ("torch.sin(x) + F.relu(x) * F.tanh(x) - torch.nn.functional.sigmoid(x)",
     lambda e: torch.sin(e["x"]) + torch.relu(e["x"]) * torch.tanh(e["x"]) - torch.sigmoid(e["x"])),
    ("5*x**3 + 2*x**2 + 4*x + 8", lambda e: 5 * e["x"] ** 3 + 2 * e["x"] ** 2 + 4 * e["x"] + 8),
    ("x / (1 + e**-x) - pi * x", lambda e: e["x"] / (1 + torch.e ** -e["x"]) - torch.pi * e["x"]),
    ("-x + +x - --x * -(-v)", lambda e: -e["x"] + e["x"] - e["x"] * e["v"]),
    ("where(v > 0, v, 0.1 * v)", lambda e: torch.where(e["v"] > 0, e["v"], 0.1 * e["v"])),
    ("torch.where(v <= p, v, p)", lambda e: torch.where(e["v"] <= e["p"], e["v"], e["p"])),
    ("(v >= 0.2) * v + (x < 1) * x - (v != p) * p + (q == 0.6) * q",
     lambda e: (e["v"] >= 0.2) * e["v"] + (e["x"] < 1) * e["x"] - (e["v"] != e["p"]) * e["p"]
     + (e["q"] == 0.6) * e["q"]),
]


def _grads(out: torch.Tensor, env: dict[str, torch.Tensor]) -> list[torch.Tensor | None]:
    names = sorted(env)
    if not out.requires_grad:
        return [None] * len(names)
    grads = torch.autograd.grad(out.sum(), [env[n] for n in names], allow_unused=True)
    return [None if g is None else g.detach() for g in grads]


@pytest.mark.parametrize(("text", "direct"), CASES, ids=[c[0] for c in CASES])
def test_matches_pytorch(text, direct):
    env, reference_env = leaves(), leaves()
    out = parse_expression(text).evaluate(env)
    expected = direct(reference_env)
    torch.testing.assert_close(out.detach(), expected.detach())
    for got, want in zip(_grads(out, env), _grads(expected, reference_env), strict=True):
        if want is None or got is None:
            assert got is None or not got.any()
            assert want is None or not want.any()
        else:
            torch.testing.assert_close(got, want)


def test_integer_class_targets_from_a_long_variable():
    from gradviz.core.expr.variables import VariableSpec, build_variables

    env = build_variables([VariableSpec.parse("z=[[1, 2, 0.5], [0, 1, 3]]"),
                           VariableSpec.parse("y=long([2, 0])")], ["z", "y"])
    assert env["y"].dtype == torch.int64 and not env["y"].requires_grad
    loss = parse_expression("cross_entropy(z, y)").evaluate(env)
    torch.testing.assert_close(loss, F.cross_entropy(env["z"], torch.tensor([2, 0])))


@pytest.mark.parametrize(("text", "values", "code", "message"), [
    ("cross_entropy(z, y)", ["z=[[1, 2, 0.5], [0, 1, 3]]", "y=[2, 0]"], "class_index_target",
     "y=long([2, 0])"),
    ("binary_cross_entropy(sigmoid(z), y)", ["z=[1, 2]", "y=long([1, 0])"],
     "probability_target", "probabilities"),
    ("where(z, z, 0)", ["z=[1, 2]"], "where_condition", "comparison like x > 0"),
])
def test_wrong_kind_of_tensor_is_a_clear_error(text, values, code, message):
    from gradviz.core.expr.variables import VariableSpec, build_variables

    env = build_variables([VariableSpec.parse(v) for v in values], ["z", "y"][:len(values)])
    with pytest.raises(ExpressionError) as info:
        parse_expression(text).evaluate(env)
    assert info.value.code == code and message in info.value.message


def test_chained_comparisons_are_refused_with_a_hint():
    with pytest.raises(ExpressionError) as info:
        parse_expression("0 < x < 1")
    assert info.value.code == "chained_comparison"
    assert "write one comparison" in info.value.message
    assert info.value.column == 0


def test_cases_cover_the_whole_function_table():
    used = {name for text, _ in CASES for name in parse_expression(text).functions}
    assert used == set(FUNCTIONS)


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_every_call_name_resolves_to_its_function(name):
    spec = FUNCTIONS[name.rsplit(".", 1)[-1]]
    args = ", ".join(["v"] * spec.tensors[0])
    if spec.name in ("mm",):
        args = "m, w"
    expression = parse_expression(f"{name}({args})")
    assert expression.functions == (spec.name,)


def test_function_names_are_sorted_and_dotted_only_where_torch_has_them():
    assert list(FUNCTION_NAMES) == sorted(FUNCTION_NAMES)
    assert {"sin", "torch.sin", "F.relu", "torch.nn.functional.relu"} <= set(FUNCTION_NAMES)
    assert "torch.gelu" not in FUNCTION_NAMES and "F.sin" not in FUNCTION_NAMES


FD_CASES = ["5*x**3 + 2*x**2 + 4*x + 8", "sum(softmax(m @ w) * (m @ w))", "logsumexp(v * x)",
            "norm(outer(v, p) @ q)", "mean(sigmoid(m) ** 2) / (1 + x**2)",
            "cross_entropy(m @ w, softmax(x * m @ w))"]


@pytest.mark.parametrize("text", FD_CASES)
def test_gradients_match_finite_differences(text):
    expression = parse_expression(text)
    env = leaves()
    out = expression.evaluate(env)
    names = list(expression.variables)
    grads = torch.autograd.grad(out, [env[n] for n in names])
    h = 1e-6
    for name, grad in zip(names, grads, strict=True):
        base = env[name].detach()
        numeric = torch.zeros_like(base).reshape(-1)
        for i in range(base.numel()):
            bumped = [base.clone().reshape(-1) for _ in range(2)]
            bumped[0][i] += h
            bumped[1][i] -= h
            f = [expression.evaluate({**env, name: b.reshape(base.shape)}) for b in bumped]
            numeric[i] = (f[0] - f[1]) / (2 * h)
        torch.testing.assert_close(grad, numeric.reshape(base.shape), atol=1e-6, rtol=1e-5)


def test_seed_example():
    x = torch.tensor(2.0, requires_grad=True)
    y = parse_expression("5*x**3 + 2*x**2 + 4*x + 8").evaluate({"x": x})
    y.backward()
    assert y.item() == 64.0 and x.grad.item() == 72.0


def test_variables_and_functions_in_order_of_appearance():
    expression = parse_expression("b*x + a*torch.sin(x) + relu(b) + pi*e + F.relu(c) + sin(a)")
    assert expression.variables == ("b", "x", "a", "c")
    assert expression.functions == ("sin", "relu")
    assert isinstance(expression, Expression) and expression.text.startswith("b*x")


def test_literals_follow_the_variables_dtype():
    as64 = parse_expression("x + 1").evaluate({"x": torch.tensor(1.0, dtype=torch.float64)})
    as32 = parse_expression("x + 1").evaluate({"x": torch.tensor(1.0)})
    assert as64.dtype == torch.float64 and as32.dtype == torch.float32
    assert parse_expression("2 * pi").evaluate({}).dtype == torch.float32


def test_leading_spaces_and_columns():
    with pytest.raises(ExpressionError) as info:
        parse_expression("   x % 2")
    assert info.value.code == "forbidden_syntax" and info.value.column == 5
    assert "^" in info.value.format()


def test_shape_mismatch_is_a_torch_error_at_the_operator():
    with pytest.raises(ExpressionError) as info:
        parse_expression("sin(v) + v @ m").evaluate(leaves())
    err = info.value
    assert err.code == "torch_error" and err.column == 11 and err.params["function"] == "@"
    assert "matmul" in err.message or "shape" in err.message


def test_broadcast_mismatch_is_torch_own_error_at_the_operator():
    env = leaves()
    with pytest.raises(RuntimeError) as torch_info:
        env["v"] + env["w"]  # (3,) against (3, 2)
    with pytest.raises(ExpressionError) as info:
        parse_expression("x * v + w").evaluate(env)
    err = info.value
    assert err.code == "torch_error" and err.column == 6 and err.params["function"] == "+"
    assert err.params["torch_message"] == str(torch_info.value).splitlines()[0]


def test_missing_variables_on_evaluate():
    with pytest.raises(ExpressionError) as info:
        parse_expression("a + b * c").evaluate({"b": torch.tensor(1.0)})
    assert info.value.code == "missing_variables" and info.value.params["names"] == ["a", "c"]


def test_max_with_dim_returns_values_only_and_softmax_defaults_to_last_dim():
    env = leaves()
    assert isinstance(parse_expression("max(m, dim=1)").evaluate(env), torch.Tensor)
    torch.testing.assert_close(parse_expression("softmax(m)").evaluate(env).sum(-1).detach(),
                               torch.ones(2, dtype=torch.float64))


def test_mixed_max_arguments_are_wrong_arguments():
    with pytest.raises(ExpressionError) as info:
        parse_expression("max(v, p, dim=0)").evaluate(leaves())
    assert info.value.code == "dim_with_two_tensors"


@pytest.mark.parametrize("text", ["outer(a, a)", "col + row"])
def test_size_cap_is_checked_before_computing(text):
    env = {"a": torch.ones(10**4), "col": torch.ones(5000, 1), "row": torch.ones(1, 5000)}
    with pytest.raises(ExpressionError) as info:
        parse_expression(text).evaluate(env)
    assert info.value.code == "tensor_too_large"
    assert info.value.params["elements"] > MAX_ELEMENTS


def test_total_elements_are_capped():
    env = {"a": torch.ones(3000, 3000)}  # 9M elements each step, 50M in all
    with pytest.raises(ExpressionError) as info:
        parse_expression("a + a + a + a + a + a + a").evaluate(env)
    assert info.value.code == "too_many_elements"


def test_expression_pickles_as_its_text():
    import pickle

    expression = pickle.loads(pickle.dumps(parse_expression("sum(relu(m @ w)) + x")))
    assert expression.variables == ("m", "w", "x")
    assert expression.evaluate(leaves()).requires_grad


def test_autograd_graph_is_kept():
    env = leaves()
    out = parse_expression("sum(relu(m @ w))").evaluate(env)
    assert out.grad_fn is not None and out.requires_grad
