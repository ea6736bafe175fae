"""Headless stills at any step, GIF and frames: same drawing as the window."""

import pytest
from PIL import Image, ImageChops
from snapshots import seed_snapshot

from gradviz.core.errors import InputError
from gradviz.core.runtime.export_options import parse_step
from gradviz.replay.state import state_at
from gradviz.ui.export.file_export import export_frames, export_snapshot


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


def _share_over(img, threshold):
    """Fraction of pixels of a greyscale image brighter than ``threshold``."""
    histogram = img.histogram()
    return sum(histogram[threshold + 1:]) / (img.width * img.height)


def _image(path):
    with Image.open(path) as img:
        return img.convert("RGB")


def test_steps_change_the_picture_only_where_the_graph_changed(seed, tmp_path, qapp):
    paths = {k: export_snapshot(seed, tmp_path / f"s{k}.png", step=k) for k in ("0", "3", "last")}
    again = export_snapshot(seed, tmp_path / "again3.png", step=3)
    assert ImageChops.difference(_image(paths["3"]), _image(again)).getbbox() is None
    first, third, last = (_image(paths[k]) for k in ("0", "3", "last"))
    assert first.size == third.size == last.size
    assert ImageChops.difference(first, third).getbbox() is not None
    assert ImageChops.difference(third, last).getbbox() is not None
    # the step-3 changes sit around the three executed nodes, not everywhere
    share = _share_over(ImageChops.difference(first, third).convert("L"), 40)
    assert 0.001 < share < 0.5


def test_gif_has_one_frame_per_state_and_loops(seed, tmp_path, qapp):
    gif = export_snapshot(seed, tmp_path / "seed.gif", frame_ms=300)
    still = export_snapshot(seed, tmp_path / "last.png", step="last")
    with Image.open(gif) as img:
        assert img.n_frames == len(seed.steps) + 1  # step 0 (forward done) to the last step
        assert img.info.get("loop") == 0
        img.seek(img.n_frames - 1)
        final = img.convert("RGB")
    # the last frame is the finished backward (x.grad = 72), as the still at --step last,
    # over its caption (a frame's width is at least the caption's: the graph is centred)
    graph = _image(still)
    assert final.height > graph.height
    centre = (final.width - graph.width) // 2
    shares = [_share_over(ImageChops.difference(
        final.crop((left, 0, left + graph.width, graph.height)), graph).convert("L"), 60)
        for left in range(centre - 2, centre + 3)]
    assert min(shares) < 0.01


def test_frames_carry_a_counter_and_the_explanation_line(seed, qapp):
    from gradviz.ui.export.captions import CaptionWriter
    from gradviz.ui.export.file_export import _frame_caption, _frames
    from gradviz.ui.graph.scene import GraphScene

    writer = CaptionWriter(seed)
    scene = GraphScene(seed)
    texts = [_frame_caption(writer, state, False) for _, state in _frames(scene, False)]
    assert texts[0].startswith("Step 0 / 9 · ")
    assert texts[3].splitlines() == ["Step 3 / 9 · MulBackward0",
                                     "MulBackward0 (4·x): grad_in = grad_out · 4 = 1 · 4 = 4"]
    assert texts[-1].startswith("Step 9 / 9 · AccumulateGrad\n")
    with_formula = _frame_caption(writer, state_at(seed, 3), True)
    assert with_formula.splitlines()[0].startswith("y = 5") and "/" not in with_formula[:3]


def test_smooth_frames_never_show_a_leaf_apart_from_its_accumulategrad(seed, qapp):
    from gradviz.ui.export.file_export import _frames
    from gradviz.ui.graph.scene import GraphScene

    scene = GraphScene(seed)
    x = next(v.node for v in seed.variables if v.name == "x")
    shown = []
    for partial, state in _frames(scene, True):
        if partial or state.step == len(seed.steps):
            leaf = scene.node_item(x).grad_text()
            accumulate = scene.node_item(state.active_node).grad_text()
            assert leaf == accumulate, (leaf, accumulate)
            shown.append(leaf)
    assert shown == ["grad 4", "grad 12", "grad 72"]


def test_smooth_gif_adds_the_partial_sums(seed, tmp_path, qapp):
    gif = export_snapshot(seed, tmp_path / "smooth.gif", smooth=True)
    with Image.open(gif) as img:
        assert img.n_frames == len(seed.steps) + 1 + 2  # 4 and 12 before 72


def test_frames_are_numbered_pngs(seed, tmp_path, qapp):
    written = export_frames(seed, tmp_path / "frames")
    assert [p.name for p in written][:2] == ["frame_000.png", "frame_001.png"]
    assert len(written) == len(seed.steps) + 1


def test_bad_step_is_a_clear_input_error():
    assert parse_step("last", 9) == 9 and parse_step("0", 9) == 0
    for bad in ("10", "-1", "first"):
        with pytest.raises(InputError, match="(?i)step") as info:
            parse_step(bad, 9)
        assert "--step" in info.value.format() and "--step" not in info.value.message


def test_nothing_is_left_behind_on_failure(seed, tmp_path, qapp):
    with pytest.raises(InputError):
        export_snapshot(seed, tmp_path / "x.png", step=99)
    assert list(tmp_path.iterdir()) == []
