"""The bundled example lessons: they load, and every number they teach is PyTorch's own."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from gradviz.core.errors import InputError
from gradviz.core.lesson.files import LessonError, function_request, load_lesson
from gradviz.core.runtime.jobs import build_snapshot_job, snapshot_from_expression
from gradviz.core.runtime.script import run_code

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "examples"
PATHS = sorted(EXAMPLES.glob("*.gradviz.json"))

#: Each expression example written directly in torch, independently of gradviz's evaluator.
REFERENCE = {
    "01-seed-polynomial": lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8,
    "02-neuron": lambda w, b, x: torch.sigmoid(w * x + b),
    "03-shared-product": lambda x, y: x * y + torch.exp(x * y),
    "04-tensor-exponent": lambda x, y: torch.pow(x, y),
    "05-dot-product": lambda v, w: torch.dot(v, w),
    "06-relu-layer": lambda W, b, v: torch.relu(torch.mv(W, v) + b).sum(),
    "07-mse-linear": lambda W, b, v, t: F.mse_loss(torch.mv(W, v) + b, t),
    "08-cross-entropy": lambda z: F.cross_entropy(z, torch.tensor(2)),
    "09-gradient-accumulation": lambda x: 3 * x**2,
}


def example_id(path: Path) -> str:
    return path.name.removesuffix(".gradviz.json")


def build(path: Path):
    lesson = load_lesson(path)
    fn = lesson.functions[0]
    request = function_request(fn, allow_code=False, view=lesson.view)
    source, options = request.source, replace(request.options, layout=False)
    snapshot = snapshot_from_expression(source.text, source.variables, source.constants,
                                        dtype=request.dtype, seed=request.seed, options=options)
    return lesson, snapshot


def test_examples_are_numbered_and_the_seed_comes_first():
    names = [example_id(p) for p in PATHS]
    assert len(names) >= 10
    assert all(re.fullmatch(r"\d\d-[a-z0-9-]+", name) for name in names)
    assert names[0] == "01-seed-polynomial"
    diagnosed = {"11-nan-sqrt", "12-saturated-sigmoid", "13-dead-relu-layer",
                 "14-detached-branch",  # checked in test_diagnostics_examples.py
                 "15-second-derivative"}  # and in test_higher_order.py
    assert set(REFERENCE) | {"10-small-mlp"} | diagnosed == set(names)


@pytest.mark.parametrize("path", PATHS, ids=example_id)
def test_every_example_loads_in_english_and_french(path):
    lesson = load_lesson(path)
    assert lesson.unknown_keys == [] and lesson.language == "en"
    french = lesson.localized("fr")
    assert french.title != lesson.title and french.notes != lesson.notes
    for fn in lesson.functions:  # notes like "x.grad = 12." read the same in both
        assert set(fn.translations["fr"].step_notes) == set(fn.step_notes)


@pytest.mark.parametrize("path", [p for p in PATHS if example_id(p) in REFERENCE],
                         ids=example_id)
def test_expression_example_gradients_are_pytorchs(path):
    lesson, snapshot = build(path)
    fn = lesson.functions[0]
    leaves = {v.name: torch.tensor(v.value, dtype=torch.float32, requires_grad=v.requires_grad)
              for v in snapshot.variables}
    output = REFERENCE[example_id(path)](**leaves)
    assert torch.allclose(torch.tensor(snapshot.output.value), output.detach())
    wanted = [name for name, leaf in leaves.items() if leaf.requires_grad]
    grads = torch.autograd.grad(output, [leaves[name] for name in wanted])
    shown = {v.name: v.grad for v in snapshot.variables}
    for name, grad in zip(wanted, grads):
        assert torch.allclose(torch.tensor(shown[name]), fn.runs * grad, atol=1e-6), name
    assert all(shown[name] is None for name in leaves if name not in wanted)
    assert max(fn.step_notes, default=0) <= len(snapshot.steps)


def test_seed_step_notes_fall_where_x_receives_4_8_and_60():
    lesson, snapshot = build(EXAMPLES / "01-seed-polynomial.gradviz.json")
    (step,) = [s for s in snapshot.steps if s.variable == "x"]
    received = {c.step + 1: c.value for c in step.contributions}  # player step k = index + 1
    assert received == {3: 4.0, 6: 8.0, 8: 60.0}
    notes = lesson.functions[0].step_notes
    assert set(received) < set(notes)
    assert "= 12" in notes[6] and "= 72" in notes[8] and "x.grad: 72" in notes[9]
    assert snapshot.output.value == 64.0 and step.grad_after == 72.0


def test_relu_example_has_a_unit_that_is_off():
    _, snapshot = build(EXAMPLES / "06-relu-layer.gradviz.json")
    grads = {v.name: v.grad for v in snapshot.variables}
    assert grads["b"] == [1.0, 1.0, 0.0]
    assert grads["W"][2] == [0.0, 0.0, 0.0, 0.0]


def test_code_example_runs_only_when_trusted_and_names_params_like_pytorch():
    lesson = load_lesson(EXAMPLES / "10-small-mlp.gradviz.json")
    fn = lesson.functions[0]
    with pytest.raises(LessonError):
        function_request(fn, allow_code=False)
    request = function_request(fn, allow_code=True, view=lesson.view)
    assert request.options.show_saved is False
    with torch.random.fork_rng():
        snapshot = build_snapshot_job(request)
        namespace: dict = {}
        exec(fn.code, namespace)  # the test trusts the bundled example
    model, output = namespace["model"], namespace["output"]
    names = [name for name, _ in model.named_parameters()]
    assert [v.name for v in snapshot.variables] == names == ["0.weight", "0.bias", "2.weight",
                                                            "2.bias"]
    grads = torch.autograd.grad(output, list(model.parameters()))
    for variable, grad in zip(snapshot.variables, grads):
        assert torch.allclose(torch.tensor(variable.grad), grad, atol=1e-6), variable.name
    assert snapshot.source == "<lesson: Linear → tanh → Linear>"
    assert snapshot.meta["inputs"] == {"code": fn.code, "name": fn.title}


def test_run_code_follows_the_script_rules():
    with pytest.raises(InputError) as info:
        run_code("output = (", "broken")
    assert info.value.code == "script_syntax" and "broken, line 1" in info.value.message
    with pytest.raises(InputError) as info:
        run_code("x = 1", "nothing")
    assert info.value.code == "script_no_output"
    result = run_code("import torch\ndef build():\n    w = torch.ones(2, requires_grad=True)\n"
                      "    return (w * 3).sum(), {'w': w}\n", "built")
    assert list(result.params) == ["w"] and result.path == "<lesson: built>"


def test_run_code_tracebacks_show_the_snippets_lines():
    import traceback

    with pytest.raises(ZeroDivisionError) as info:
        run_code("a = 1\nb = a / 0\n", "divides")
    text = "".join(traceback.format_exception(info.value))
    assert '"<lesson: divides>", line 2' in text and "b = a / 0" in text


def test_the_worker_runs_lesson_code_and_reports_its_errors_with_its_lines():
    from gradviz.core.runtime.job import snapshot_job
    from gradviz.core.runtime.request import BuildRequest, LessonCode
    from gradviz.core.runtime.worker import EvaluationWorker, WorkerError

    lesson = load_lesson(EXAMPLES / "10-small-mlp.gradviz.json")
    with EvaluationWorker(timeout=20.0) as worker:
        snapshot = worker.run(snapshot_job, function_request(lesson.functions[0], allow_code=True))
        assert [v.name for v in snapshot.variables][:2] == ["0.weight", "0.bias"]
        with pytest.raises(WorkerError) as info:
            worker.run(snapshot_job, BuildRequest(LessonCode("x = 1\ny = x / 0\n", "bad")))
    assert info.value.kind == "script_error"
    assert '"<lesson: bad>", line 2' in info.value.details["traceback"]
    assert "y = x / 0" in info.value.details["traceback"]


def _french_strings(obj, inside: bool = False):
    if isinstance(obj, str):
        if inside:
            yield obj
    elif isinstance(obj, list):
        for item in obj:
            yield from _french_strings(item, inside)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _french_strings(value, inside or key == "fr")


def test_french_texts_of_the_examples_follow_french_typography():
    import json
    import re

    bad = re.compile(r"( [:;?!])|([A-Za-zÀ-ÿ»)][;?!](\s|$))|([A-Za-zÀ-ÿ»)]: )")
    seen = 0
    for path in PATHS:
        data = json.loads(path.read_text(encoding="utf-8"))
        for text in _french_strings(data):
            seen += 1
            assert not bad.search(text), (path.name, text)
    assert seen > 30
    seed = json.loads(PATHS[0].read_text(encoding="utf-8"))
    assert "graine" not in seed["translations"]["fr"]["title"]
