"""Graph capture: torchviz's picture, without torchviz's defects."""

import re
import sys

import pytest
import torch
from snapshots import Cube

from gradviz.core.graph.capture import capture_graph
from gradviz.core.graph.torchviz_compat import make_dot

sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))


def _normalise_torchviz(source: str) -> list[str]:
    """torchviz DOT lines with its id(...) numbers renamed n0, n1... by first appearance."""
    ids: dict[str, str] = {}

    def rename(match):
        return ids.setdefault(match.group(0), f"n{len(ids)}")

    body = [line for line in source.splitlines() if line.startswith("\t") and "[align" not in line]
    body = [line for line in body if not line.startswith("\tgraph")]
    return [re.sub(r"\b\d{6,}\b", rename, line) for line in body]


_EDGE_ATTRS = {"saved": " [dir=none]", "view": " [style=dotted]"}


def _our_lines(graph) -> list[tuple]:
    by_id = {n.id: n for n in graph.nodes}
    lines = []
    for st in graph.statements:
        if st[0] == "node":
            node = by_id[st[1]]
            lines.append((st[1], node.label.replace("\n", "\\n"), node.fillcolor))
        else:
            kind = graph.edges[int(st[3])].kind
            lines.append((st[1], st[2], _EDGE_ATTRS.get(kind, "")))
    return lines


def _torchviz_lines(dot_source: str) -> list[tuple]:
    out = []
    for line in _normalise_torchviz(dot_source.replace("\n ", "\\n ")):
        edge = re.match(r"\t(n\d+) -> (n\d+)(.*)", line)
        if edge:
            out.append(edge.groups())
            continue
        node = re.match(r'\t(n\d+) \[label=("?)(.*?)\2(?: fillcolor=(\S+))?\]$', line)
        out.append((node.group(1), node.group(3), node.group(4)))
    return out


def _structure(lines: list[tuple]) -> list[tuple]:
    """Statements with tensor labels cut to their shape line (names are gradviz's own)."""
    out = []
    for line in lines:
        if len(line) == 3 and line[2] is not None and not line[2].startswith(" ["):
            shape = line[1].split("\\n")[-1].strip() if "\\n" in line[1] else "()"
            line = (line[0], shape, line[2])
        out.append(line)
    return out


def _compare_with_torchviz(output, params, show_saved):
    """Same statements, in the same order, as torchviz.make_dot (ids renamed); function
    labels equal, tensor labels with the same shape line (none for a scalar)."""
    theirs = _torchviz_lines(make_dot(output, params=params, show_saved=show_saved).source)
    mine = _our_lines(capture_graph([output], params=params, show_saved=show_saved))
    assert _structure(mine) == _structure(theirs)


def _mlp():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    loss = ((model(torch.randn(5, 3)) - torch.randn(5, 1)) ** 2).mean()
    return loss, dict(model.named_parameters())


def test_same_statements_as_torchviz_without_saved():
    loss, params = _mlp()
    _compare_with_torchviz(loss, params, show_saved=False)


def test_same_statements_as_torchviz_sigmoid_neuron():
    w = torch.tensor(0.5, requires_grad=True)
    b = torch.tensor(-1.0, requires_grad=True)
    x = torch.tensor(2.0)
    y = torch.sigmoid(w * x + b)
    _compare_with_torchviz(y, {"w": w, "b": b}, show_saved=True)


def test_saved_leaf_keeps_its_name():
    """torchviz gives a saved tensor that is a leaf the leaf's id: the leaf turns orange."""
    x = torch.tensor(2.0, requires_grad=True)
    y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    dot = make_dot(y, params={"x": x}, show_saved=True).source
    assert 'label="x\n ()" fillcolor=lightblue' in dot  # torchviz writes it ...
    assert dot.rindex("fillcolor=orange") > dot.index("fillcolor=lightblue")  # ... then overwrites
    graph = capture_graph([y], params={"x": x}, show_saved=True)
    leaves = [n for n in graph.nodes if n.kind == "leaf"]
    assert [(n.variable, n.fillcolor, n.label) for n in leaves] == [("x", "lightblue", "x")]
    saved = [n for n in graph.nodes if n.kind == "saved" and n.label == "x (saved)"]
    assert len(saved) == 1 and saved[0].fillcolor == "orange"  # one node, saved twice
    assert leaves[0].id not in {n.id for n in saved}


def test_deep_chain_does_not_recurse():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    with pytest.raises(RecursionError):
        make_dot(y, show_saved=False)
    graph = capture_graph([y], params={"x": x}, show_saved=False)
    assert sum(n.kind == "function" for n in graph.nodes) == 5001  # 5000 Mul + AccumulateGrad


def test_several_outputs_and_views():
    x = torch.arange(6.0, requires_grad=True)
    v = x.view(2, 3)
    a, b = v.sum(), (v * 2).t()
    graph = capture_graph([a, b], params={"x": x})
    kinds = [n.kind for n in graph.nodes]
    assert kinds.count("output") == 2 and kinds.count("leaf") == 1
    assert any(e.kind == "view" for e in graph.edges)  # b is a view of (v * 2)
    assert "view_base" in kinds


def test_in_place_and_int_bool_intermediates():
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = x * 2
    y.relu_()
    mask = (x > 0).float()  # a bool intermediate, no grad_fn
    z = (y * mask).sum() + x.argmax()  # an integer intermediate
    graph = capture_graph([z], params={"x": x})
    ops = {n.op for n in graph.nodes if n.kind == "function"}
    assert "ReluBackward0" in ops and "MulBackward0" in ops


def test_custom_autograd_function_shows_saved_tensors():
    x = torch.tensor(2.0, requires_grad=True)
    y = Cube.apply(x)
    graph = capture_graph([y], params={"x": x}, show_saved=False)
    assert any(n.op == "CubeBackward" for n in graph.nodes)
    assert any(n.kind == "saved" for n in graph.nodes)


def test_constant_leaf_is_not_in_graph():
    x = torch.tensor(2.0, requires_grad=True)
    c = torch.tensor(3.0)
    graph = capture_graph([x * c], params={"x": x, "c": c})
    assert [n.variable for n in graph.nodes if n.kind == "leaf"] == ["x"]


def test_unnamed_leaves_get_names_and_ids_are_stable():
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    first = capture_graph([a * b])
    again = capture_graph([a * b])
    assert sorted(first.names.values()) == ["leaf0", "leaf1"]
    assert [n.id for n in first.nodes] == [n.id for n in again.nodes]


def test_typed_expressions_build_the_graph_plain_pytorch_builds():
    """Literals beside tensors act as Python numbers: the seed is the course's picture."""
    from gradviz.core.expr.expression import parse_expression

    cases = {
        "5*x**3 + 2*x**2 + 4*x + 8": lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8,
        "2**x / (1 - x)": lambda x: 2**x / (1 - x),
        "sigmoid(3*x - 1)": lambda x: torch.sigmoid(3 * x - 1),
    }
    for text, code in cases.items():
        x = torch.tensor(2.0, requires_grad=True)
        typed = parse_expression(text).evaluate({"x": x})
        assert _our_lines(capture_graph([typed], params={"x": x})) == \
            _our_lines(capture_graph([code(x)], params={"x": x})), text


def test_torchviz_imports_without_distutils():
    """Python 3.12+ has no distutils: torchviz must still import (shim, not luck)."""
    import subprocess
    import sys as _sys

    code = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('distutils', '_distutils_hack', 'setuptools'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "for m in [m for m in sys.modules if m.split('.')[0] in ('distutils', 'setuptools')]:\n"
        "    del sys.modules[m]\n"
        "import torch\n"
        "from gradviz.core.graph.torchviz_compat import make_dot, torchviz_dot\n"
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "print(type(torchviz_dot()).__name__, 'MulBackward0' in make_dot(x * x).source)\n"
    )
    done = subprocess.run([_sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["module", "True"]
