"""Result sizes predicted from shapes alone (core.expression_plan), checked against torch."""

import itertools

import pytest
import torch

from gradviz.core.expr.expression_plan import _predict_numel

SHAPES = [(), (3,), (4,), (3, 4), (4, 3), (4, 5), (1, 4, 5), (2, 4, 5), (2, 3, 4), (2, 1, 3, 4),
          (5, 2, 4, 3)]
OPS = {"matmul": torch.matmul, "mm": torch.mm, "dot": torch.dot, "outer": torch.outer}


@pytest.mark.parametrize("name", sorted(OPS))
def test_matrix_products_match_torch_for_every_pair_of_shapes(name):
    for a, b in itertools.product(SHAPES, repeat=2):
        left, right = torch.zeros(a), torch.zeros(b)
        try:
            expected = OPS[name](left, right).numel()
        except RuntimeError:
            expected = None
        assert _predict_numel([left, right], name) == expected, (name, a, b)


def test_elementwise_broadcast_matches_torch():
    for a, b in itertools.product(SHAPES, repeat=2):
        try:
            expected = (torch.zeros(a) + torch.zeros(b)).numel()
        except RuntimeError:
            expected = None
        assert _predict_numel([torch.zeros(a), torch.zeros(b)], None) == expected, (a, b)

