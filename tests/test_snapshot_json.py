"""The Snapshot's JSON codec (core.snapshot_json): strict, compact, typed on the way back."""

import json
import math
from dataclasses import asdict, fields

import pytest
from snapshots import seed_snapshot, transformer_snapshot

from gradviz.core import snapshot_json
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.snapshot import BackwardStep, NodeBox, Snapshot
from gradviz.core.snapshot_json import LOCAL_FIELDS


def _strict(text):
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard constant {c}"))


def _reference_dict(snap: Snapshot) -> dict:
    """The dict the pre-msgspec code built with dataclasses.asdict (the JSON fields)."""
    data = {f.name: getattr(snap, f.name) for f in fields(snap) if f.name not in LOCAL_FIELDS}
    plain = {k: ([asdict(v) for v in value] if isinstance(value, list)
                 else asdict(value) if hasattr(value, "__dataclass_fields__") else value)
             for k, value in data.items()}
    return {"schema": plain.pop("schema"), **plain}


def test_round_trip_rebuilds_the_same_dataclasses():
    snap = transformer_snapshot(1)
    again = Snapshot.from_json(snap.to_json_bytes())
    assert again == snap
    assert isinstance(again.steps[0], BackwardStep)
    assert all(isinstance(box, NodeBox) for box in again.layout.nodes.values())
    assert Snapshot.from_json(snap.to_json()) == snap  # str as well as bytes


def test_to_dict_matches_asdict_and_starts_with_the_schema():
    snap = seed_snapshot()
    data = snap.to_dict()
    assert data == _reference_dict(snap)
    assert list(data)[:2] == ["schema", "source"]
    assert snap.to_json().startswith('{"schema":"gradviz.snapshot/1"')
    assert Snapshot.from_dict(data) == snap


def test_compact_by_default_indent_on_request():
    snap = seed_snapshot()
    compact, indented = snap.to_json(), snap.to_json(indent=2)
    assert "\n" not in compact and '": ' not in compact
    assert indented.startswith('{\n  "schema": "gradviz.snapshot/1"')
    assert _strict(compact) == _strict(indented)


def test_non_finite_numbers_everywhere_become_strings_and_come_back():
    snap = snapshot_from_expression("log(x - x) + sqrt(-x)", ["x=2.0"])
    snap.meta["probe"] = [math.inf, -math.inf, -math.nan]
    snap.steps[0].grad_in = [[1.0, math.inf]]
    snap.layout.nodes[snap.nodes[0].id].x = math.nan
    snap.nodes[0].label = "NaN"  # names and text keep the word
    snap.variables[0].name = "Infinity"
    text = snap.to_json()
    data = _strict(text)
    assert data["meta"]["probe"] == ["Infinity", "-Infinity", "NaN"]
    assert data["steps"][0]["grad_in"] == [[1.0, "Infinity"]]
    again = Snapshot.from_json(text)
    assert math.isnan(again.output.value)
    assert again.steps[0].grad_in == [[1.0, math.inf]]
    assert math.isnan(again.layout.nodes[snap.nodes[0].id].x)
    assert again.nodes[0].label == "NaN" and again.variables[0].name == "Infinity"
    assert again.meta["probe"] == ["Infinity", "-Infinity", "NaN"]  # meta is left as written


def test_finite_snapshots_never_take_the_slow_path(monkeypatch):
    def refuse(_value):
        raise AssertionError("slow path taken for a finite snapshot")

    monkeypatch.setattr(snapshot_json, "encode_floats", refuse)
    monkeypatch.setattr(snapshot_json, "_restore_floats", refuse)
    snap = transformer_snapshot(1)
    assert Snapshot.from_json(snap.to_json()) == snap


@pytest.mark.parametrize("schema", ["gradviz.snapshot/999", None])
def test_wrong_or_missing_schema_is_refused(schema):
    data = _strict(seed_snapshot(layout=False).to_json())
    data["schema"] = schema
    if schema is None:
        del data["schema"]
    with pytest.raises(ValueError, match="unsupported snapshot schema"):
        Snapshot.from_json(json.dumps(data))


def test_not_a_snapshot_is_a_value_error():
    with pytest.raises(ValueError):
        Snapshot.from_json('{"schema": "gradviz.snapshot/1", "source": 3}')
    with pytest.raises(ValueError):
        Snapshot.from_json("{not json")


def test_export_json_written_by_the_pipeline_reads_back(tmp_path):
    snap = snapshot_from_expression("x*x", ["x=3.0"], options=BuildOptions(layout=False))
    path = tmp_path / "s.json"
    path.write_bytes(snap.to_json_bytes())
    assert Snapshot.from_json(path.read_bytes()).variable("x").grad == 6.0


def test_wrong_types_are_refused_and_unknown_fields_named():
    data = _strict(seed_snapshot(layout=False).to_json())
    data["steps"][0]["index"] = "0"  # strict decoding: no coercion
    with pytest.raises(ValueError):
        Snapshot.from_json(json.dumps(data))
    data["steps"][0]["index"] = 0
    data["nodes"][1]["extra"] = 1
    data["layout"] = None
    assert snapshot_json.unknown_fields(json.dumps(data), Snapshot) == ["snapshot.nodes.extra"]
    assert snapshot_json.unknown_fields(seed_snapshot().to_json(), Snapshot) == []
