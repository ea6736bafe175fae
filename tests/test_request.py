"""One request: the window, ``gradviz export`` and the Python API ask for the same build."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gradviz.cli_args import app_parser, build_parser
from gradviz.cli_request import app_config, request_from_args
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.request import AppConfig, BuildRequest, Expression, Script, seed_request

FUNCTION = ["sin(x*y)", "--var", "x=1.5", "--const", "y=-2", "--dtype", "float64",
            "--seed", "3", "--rankdir", "LR", "--runs", "2", "--timeout", "7",
            "--max-memory", "3", "--layout-engine", "dot", "--no-saved"]


class RecordingRunner:
    """Stands for the window's BuildRunner: keeps the requests it is asked to build."""

    def __init__(self) -> None:
        self.started: list[BuildRequest] = []

    def start(self, request: BuildRequest) -> None:
        self.started.append(request)


class IdleWorker:
    """Never started: the window is not shown."""

    def start(self) -> None:
        """Nothing to start."""

    def close(self) -> None:
        """Nothing to close."""


def window_request(qtbot, argv: list[str]) -> BuildRequest:
    """What the window's Build button asks for, opened with ``gradviz ARGV``."""
    from gradviz.ui.window.main_window import MainWindow

    window = MainWindow(app_config(argv), worker=IdleWorker())
    qtbot.addWidget(window)
    recorder = RecordingRunner()
    window.builds.runner.start = recorder.start
    window.builds.ready = True
    window.build()
    (request,) = recorder.started
    return request


@pytest.mark.parametrize("device", ["cpu", "cpu:0", "cuda:1"])
def test_the_window_asks_for_what_export_asks_for(qtbot, temp_settings, device):
    flags = [*FUNCTION, "--device", device]
    export = request_from_args(build_parser().parse_args([*flags, "-o", "f.json"]))
    assert window_request(qtbot, flags) == export == app_config(flags).request
    assert export == BuildRequest(
        Expression("sin(x*y)", ("x=1.5",), ("y=-2",)), dtype="float64", seed=3, device=device,
        options=BuildOptions(runs=2, rankdir="LR", engine="dot", show_saved=False),
        timeout=7.0, max_memory_gib=3.0)
    assert (export.memory_cap is None) == device.startswith("cuda")
    assert export.memory_cap in (None, 3 * 2**30)


def test_the_window_keeps_the_order_and_the_seed(qtbot, temp_settings):
    flags = ["x**3", "--var", "x=1.5", "--order", "2"]
    export = request_from_args(build_parser().parse_args([*flags, "-o", "f.json"]))
    assert export.source.order == 2
    assert window_request(qtbot, flags) == export
    assert window_request(qtbot, []) == seed_request() == AppConfig().request


def test_the_api_asks_for_the_options_export_asks_for():
    import torch

    from gradviz.api import build_request

    x = torch.tensor(2.0, requires_grad=True)
    api = build_request(x * x, params={"x": x}, runs=2, reduction="sum", show_saved=False,
                        engine="dot")
    export = request_from_args(build_parser().parse_args(
        ["x*x", "--var", "x=2", "--runs", "2", "--reduce", "sum", "--no-saved",
         "--layout-engine", "dot", "-o", "f.json"]))
    assert api.options == export.options
    assert api.in_process and not export.in_process  # tensors stay here; text goes to a worker
    assert api.source.params == {"x": x} and api.source.name == "tensor"
    assert replace(api, source=export.source, timeout=export.timeout) == export


def test_a_script_runs_in_the_worker_with_the_command_lines_limits(tmp_path):
    script = tmp_path / "s.py"
    args = app_parser().parse_args(["--script", str(script), "--timeout", "4", "--runs", "3"])
    request = request_from_args(args)
    assert request.source == Script(str(script))
    assert request.runs_user_code and not request.in_process
    assert (request.timeout, request.options.runs) == (4.0, 3)


def test_a_lesson_on_the_command_line_is_opened_not_typed(tmp_path):
    config = app_config(["course.gradviz.json", "--theme", "dark", "--lang", "fr"])
    assert config.lesson == "course.gradviz.json" and config.request == seed_request()
    assert (config.theme, config.language, config.remember) == ("dark", "fr", True)
    assert not app_config(["--screenshot", str(tmp_path / "w.png")]).remember


def test_a_lessons_function_is_built_alike_in_the_window_and_in_export(qtbot, temp_settings,
                                                                       tmp_path):
    from gradviz.core.lesson.files import Lesson, LessonFunction, ViewSettings, save_lesson

    lesson = Lesson(title="T", view=ViewSettings(show_saved=False, show_attrs=False,
                                                 rankdir="LR"),
                    functions=[LessonFunction(expression="x*y + 1", variables=["x=2.0"],
                                              constants=["y=3"], dtype="float64", seed=5,
                                              reduce="sum", runs=2)])
    path = tmp_path / "t.gradviz.json"
    save_lesson(lesson, path)
    export = request_from_args(build_parser().parse_args(
        ["--lesson", str(path), "--timeout", "7", "-o", "f.json"]))
    assert export.options == BuildOptions(runs=2, reduction="sum", show_saved=False,
                                          show_attrs=False, rankdir="LR")
    assert window_request(qtbot, [str(path), "--timeout", "7"]) == export


def test_a_script_is_built_alike_in_the_window_and_in_export(qtbot, temp_settings, tmp_path):
    from gradviz.ui.window.main_window import MainWindow

    script = tmp_path / "s.py"
    flags = ["--script", str(script), "--runs", "2", "--no-saved", "--rankdir", "BT"]
    export = request_from_args(build_parser().parse_args([*flags, "-o", "f.json"]))
    window = MainWindow(app_config(flags), worker=IdleWorker())
    qtbot.addWidget(window)
    recorder = RecordingRunner()
    window.builds.runner.start = recorder.start
    window.builds.first_build()  # what the window builds once shown
    assert recorder.started == [export]
