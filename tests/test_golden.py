"""Golden Snapshot JSON and DOT for a few functions (regenerate: GRADVIZ_REGEN_GOLDEN=1)."""

import json
import os
from pathlib import Path

import pytest

from gradviz.core.layout.snapshot_layout import snapshot_dot
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.snapshot import Snapshot

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("GRADVIZ_REGEN_GOLDEN") == "1"

CASES = {
    "seed": ("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"], []),
    "neuron": ("sigmoid(w*x + b)", ["w=0.5", "b=-1.0"], ["x=2.0"]),
    "square": ("x*x", ["x=3.0"], []),
    "mse": ("mse_loss(W @ v + c, t)", ["W=[[1.0, 2.0], [0.5, -1.0]]", "c=[0.1, 0.2]"],
            ["v=[1.0, 2.0]", "t=[3.0, 0.0]"]),
}


def _stable(snapshot: Snapshot) -> dict:
    """The Snapshot without what varies between machines (timings, versions, layout)."""
    data = snapshot.to_dict()
    data.pop("layout")
    data["meta"] = {k: v for k, v in data["meta"].items() if k in ("inputs", "options")}
    return data


def _check(path: Path, text: str) -> None:
    if REGEN or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not REGEN:
            pytest.fail(f"golden file {path.name} was missing and has been written; rerun")
    assert text == path.read_text(encoding="utf-8"), f"differs from {path}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_json_and_dot(name):
    text, variables, constants = CASES[name]
    snap = snapshot_from_expression(text, variables, constants,
                                    options=BuildOptions(layout=False))
    _check(GOLDEN / f"{name}.json", json.dumps(_stable(snap), indent=1, sort_keys=False) + "\n")
    _check(GOLDEN / f"{name}.dot", snapshot_dot(snap))


def test_round_trip_through_json():
    snap = snapshot_from_expression("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"])
    again = Snapshot.from_json(snap.to_json())
    assert again.to_json() == snap.to_json()
    assert again.layout == snap.layout and again.steps == snap.steps


def test_non_finite_values_survive_strict_json():
    snap = snapshot_from_expression("log(x - x) + sqrt(-x)", ["x=2.0"],
                                    options=BuildOptions(layout=False))
    text = snap.to_json()
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    again = Snapshot.from_json(text)
    assert str(again.output.value) == "nan"


def test_wrong_schema_is_refused():
    data = snapshot_from_expression("x*2", ["x=1.0"], options=BuildOptions(layout=False)).to_dict()
    data["schema"] = "gradviz.snapshot/999"
    with pytest.raises(ValueError, match="unsupported snapshot schema"):
        Snapshot.from_dict(data)
