"""What a Snapshot carries is a field: the process-local ones never cross JSON."""

from __future__ import annotations

import json

import torch

from gradviz.core.layout.snapshot_layout import snapshot_dot
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.pipeline import build_snapshot
from gradviz.core.snapshot import Snapshot


def built() -> Snapshot:
    x = torch.tensor(2.0, requires_grad=True)
    return build_snapshot(5 * x**3 + 2 * x, params={"x": x}, options=BuildOptions(layout=False))


def test_the_capture_order_is_a_field_and_stays_in_this_process():
    snapshot = built()
    assert snapshot.statements  # torchviz's DOT statements, in capture order
    snapshot.node(snapshot.nodes[0].id)
    assert "node_index" in snapshot.derived
    data = json.loads(snapshot.to_json())
    assert "statements" not in data and "derived" not in data
    again = Snapshot.from_json(snapshot.to_json())
    assert again.statements is None and again.derived == {}
    assert again == snapshot  # the local fields take no part in equality
    # without them, the same DOT statements are rebuilt from the model (in another order)
    assert sorted(snapshot_dot(again).splitlines()) == sorted(snapshot_dot(snapshot).splitlines())


def test_a_document_cannot_set_the_local_fields():
    data = json.loads(built().to_json())
    data["statements"] = [["n1 -> n2 [label=injected]"]]
    data["derived"] = {"node_index": {}}
    for read in (Snapshot.from_json(json.dumps(data)), Snapshot.from_dict(data)):
        assert read.statements is None and read.derived == {}
        assert "injected" not in snapshot_dot(read)
