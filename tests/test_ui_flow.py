"""The Gradient flow panel (pytest-qt): bars from the Snapshot, a click gives the numbers."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import QPoint, Qt

from gradviz.core.graph.record import ForwardRecorder
from gradviz.core.lens.saved_memory_report import memory_report
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.pipeline import build_snapshot
from gradviz.ui.panels.flow_panel import ROW_H, GradientFlowPanel, bytes_text
from gradviz.ui.viewer.player import Player


def flow_panel(qtbot, snapshot, *, width: int = 420, shown: bool = True, palette=None):
    """A Gradient flow panel on ``snapshot``'s replay (shown ``width`` × 400 by default)."""
    player = Player()
    panel = GradientFlowPanel(player)
    if palette is not None:
        panel.setPalette(palette)
    qtbot.addWidget(panel)
    if shown:
        panel.resize(width, 400)
        panel.show()
    player.set_snapshot(snapshot)
    return panel


@pytest.fixture(scope="module")
def mlp():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    inp = torch.randn(5, 4)
    params = dict(model.named_parameters())
    with ForwardRecorder() as rec:
        loss = model(inp).pow(2).mean()
    snapshot = build_snapshot(loss, params=params, values=rec.values, source="mlp",
                              options=BuildOptions(layout=False))
    grads = torch.autograd.grad(model(inp).pow(2).mean(), list(params.values()))
    return snapshot, dict(zip(params, grads))


def test_bars_follow_the_norms_and_a_click_gives_the_numbers(qtbot, mlp):
    snapshot, grads = mlp
    panel = flow_panel(qtbot, snapshot)
    chart = panel.chart
    assert [r.label for r in chart.rows] == list(grads)
    widths = [chart.bar_rect(i).width() for i in range(len(chart.rows))]
    norms = [g.norm().item() for g in grads.values()]
    biggest = max(range(len(norms)), key=norms.__getitem__)
    assert widths[biggest] == max(widths) > 0
    for width, n in zip(widths, norms):  # bar lengths are proportional to the norms
        assert width / widths[biggest] == pytest.approx(n / norms[biggest], rel=1e-4)
    with qtbot.waitSignal(panel.node_activated) as signal:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(10, 2 + ROW_H // 2))
    assert signal.args == [snapshot.variable("0.weight").node]
    assert panel.details.text().startswith("0.weight: norm ")
    assert "mean |g| ?" in panel.details.text()  # a summary: unknown, not guessed
    panel.set_grouping(panel.MODULES)
    assert [r.label for r in chart.rows] == ["0", "2"]


def test_saved_memory_bars(qtbot, mlp):
    snapshot, _ = mlp
    panel = flow_panel(qtbot, snapshot, shown=False)
    panel.set_grouping(panel.SAVED_NODES)
    report = memory_report(snapshot)
    rows = panel.chart.rows
    assert [(r.nodes[0], r.value) for r in rows] == report.biggest_of(len(rows))
    assert sum(r.value for r in rows) == report.total
    panel.set_grouping(panel.SAVED_MODULES)
    assert {r.label: r.value for r in panel.chart.rows} == {
        m or "(no module)": b for m, b in report.per_module.items()}


@pytest.mark.parametrize("size, text", [(8, "8\u00a0B"), (4000, "4\u00a0kB"),
                                        (3432192, "3.43\u00a0MB")])
def test_bytes_text(size, text):
    assert bytes_text(size) == text


@pytest.fixture(scope="module")
def three_runs():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    inp = torch.randn(5, 4)
    params = dict(model.named_parameters())
    snapshot = build_snapshot(model(inp).pow(2).mean(), params=params, source="mlp",
                              options=BuildOptions(layout=False, runs=3))
    grads = torch.autograd.grad(model(inp).pow(2).mean(), list(params.values()))
    return snapshot, {n: g.norm().item() for n, g in zip(params, grads)}


def test_lines_over_runs(qtbot, three_runs):
    snapshot, norms = three_runs
    panel = flow_panel(qtbot, snapshot, width=500)
    panel.set_grouping(panel.RUNS)
    assert panel.current_chart() is panel.lines
    lines = panel.lines.lines
    assert list(lines) == list(norms)
    for name, line in lines.items():  # every run brings the same gradient as torch's
        assert line == pytest.approx([norms[name]] * 3, rel=1e-5)
    top = max(norms, key=norms.get)
    rect = panel.lines.plot_rect()
    assert panel.lines.point(top, 0).y() == pytest.approx(rect.top())
    low = min(norms, key=norms.get)
    height = rect.bottom() - panel.lines.point(low, 2).y()
    assert height == pytest.approx(rect.height() * norms[low] / norms[top], rel=1e-4)
    assert "3 backward runs" in panel.details.text()
    panel.set_grouping(panel.MODULE_RUNS)
    assert list(panel.lines.lines) == ["0", "2"]


def test_the_chart_exports_as_png_and_svg(qtbot, mlp, tmp_path):
    import xml.etree.ElementTree as ET

    from PySide6.QtGui import QImage

    snapshot, _ = mlp
    panel = flow_panel(qtbot, snapshot)
    chart = panel.chart
    png = panel.export_chart(tmp_path / "flow.png")
    image = QImage(str(png))
    assert chart.height() > chart.content_height()  # the panel is taller than its rows
    assert image.width() == 2 * chart.width() and image.height() == 2 * chart.content_height()
    bar = chart.bar_rect(0)
    centre = image.pixelColor(int(bar.center().x() * 2), int(bar.center().y() * 2))
    assert centre == chart.palette().highlight().color()
    gap = image.pixelColor(int((bar.right() + 4) * 2), int(bar.center().y() * 2))
    assert gap != centre  # the bar ends where its norm says
    svg = panel.export_chart(tmp_path / "flow.svg")
    root = ET.parse(svg).getroot()
    texts = "".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert "0.weight" in texts and "2.bias" in texts
    with pytest.raises(Exception) as info:
        panel.export_chart(tmp_path / "flow.pdf")
    assert getattr(info.value, "code", None) == "bad_suffix"


def test_checkpoint_bars(qtbot):
    import gradviz
    from gradviz.core.lens.checkpoint_estimate import checkpoint_estimates

    torch.manual_seed(0)
    block = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 8))
    model = torch.nn.Sequential(block, torch.nn.ReLU(), torch.nn.Linear(8, 2))
    snapshot = gradviz.snapshot(model, torch.randn(32, 4), loss_fn=lambda o: o.pow(2).mean(),
                                layout=False)
    panel = flow_panel(qtbot, snapshot)
    panel.set_grouping(panel.CHECKPOINT)
    estimates = {e.module: e for e in checkpoint_estimates(snapshot)}
    rows = panel.chart.rows
    assert [r.label for r in rows] == sorted(estimates, key=lambda m: -estimates[m].estimate)
    assert rows[0].label == "0" and rows[0].value == estimates["0"].freed == 32 * 16 * 4
    relu = next(r for r in rows if r.label == "1")  # its input is saved by nothing else
    assert relu.value == 0 and relu.text == "costs " + bytes_text(32 * 8 * 4)
    widest = max(panel.chart.fontMetrics().horizontalAdvance(r.text) for r in rows)
    assert panel.chart.value_width() > widest  # "costs 1.02 kB" is not cut
    qtbot.mouseClick(panel.chart, Qt.MouseButton.LeftButton, pos=QPoint(10, 2 + ROW_H // 2))
    assert panel.details.text().startswith("0: checkpointing it would free 2.05\u00a0kB")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_selected_rows_text_stays_readable(qtbot, mlp, theme):
    from PySide6.QtGui import QImage

    from gradviz.ui.base.themes import get_theme
    from gradviz.ui.graph.palette import contrast_ratio

    snapshot, _ = mlp
    panel = flow_panel(qtbot, snapshot, palette=get_theme(theme).qpalette())
    chart = panel.chart
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(10, 2 + ROW_H // 2))
    image = QImage(chart.size(), QImage.Format.Format_RGB32)
    chart.render(image)
    shade = image.pixelColor(4, 4)  # the selected row, left of its name
    assert contrast_ratio(chart.palette().text().color(), shade) >= 4.5
