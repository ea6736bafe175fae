"""Start-up driver, run in a fresh process by ``bench.bench_startup`` (never imports torch).

    python -m bench.startup_child window   # first painted main window, no build started
    python -m bench.startup_child seed     # the seed built (worker, layout) and its scene drawn

Both follow the app's own start (``gradviz.cli.run_app``): the evaluation worker is
spawned first, before Qt is imported, so ``import torch`` runs in its child meanwhile.

Prints one JSON line: ``time.monotonic()`` at each mark (CLOCK_MONOTONIC, the same
clock as the parent's, so the parent measures from its own launch of this process):

- ``imported``: gradviz.ui.window.main_window imported; ``window``: QApplication + MainWindow made;
- ``painted``: the event loop is back after the first Paint event (the whole window's
  first backing-store sync has run: every visible widget painted once);
- seed only: ``worker_ready`` (the worker's child has imported torch), ``job_done`` (the
  Snapshot is back in the GUI process, before its layout), ``built`` (the window's
  ``built`` signal: laid out, scene made and set) and ``drawn`` (back in the event loop
  after the graph viewport's first paint with that scene).

``torch_loaded``: whether torch was in sys.modules at the first paint (it must not be:
the window paints before torch loads anywhere; the worker loads it in its own process).
"""

from __future__ import annotations

import json
import os
import sys
import time

TIMEOUT_MS = 120_000


def _hook(worker, marks: dict[str, float]) -> None:
    """Mark when the worker is ready (torch imported in its child) and when the job returns."""
    for name, key in (("wait_ready", "worker_ready"), ("run", "job_done")):
        method = getattr(worker, name)

        def timed(*args, _method=method, _key=key, **kwargs):
            result = _method(*args, **kwargs)
            marks.setdefault(_key, time.monotonic())
            return result

        setattr(worker, name, timed)


def main(mode: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    marks: dict[str, float] = {"start": time.monotonic()}
    from gradviz.core.runtime.worker import EvaluationWorker  # torch-free here, as in cli.run_app

    worker = EvaluationWorker(timeout=10.0, max_memory=4 * 2**30)  # the app's defaults
    worker.start()
    marks["spawned"] = time.monotonic()
    from PySide6.QtCore import QEvent, QObject, QTimer

    from gradviz.ui.window.app import application
    from gradviz.ui.window.main_window import MainWindow

    marks["imported"] = time.monotonic()
    app = application()
    window = MainWindow(worker=worker)
    if mode == "window":
        # The window starts the seed build right after it shows
        # (showEvent → builds.first_build): measured here without it.
        if not hasattr(window.builds, "first_build"):
            raise SystemExit("BuildController.first_build is gone: update bench/startup_child.py")
        window.builds.first_build = lambda *args, **kwargs: None
    else:
        _hook(worker, marks)
    marks["window"] = time.monotonic()
    viewport = window.graph.view.viewport()
    info: dict[str, object] = {}

    def finish(key: str) -> None:
        marks[key] = time.monotonic()
        if key == ("painted" if mode == "window" else "drawn"):
            app.quit()

    class PaintWatch(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                if "paint" not in marks:
                    marks["paint"] = time.monotonic()
                    info["torch_loaded"] = "torch" in sys.modules
                    QTimer.singleShot(0, lambda: finish("painted"))
                elif obj is viewport and "built" in marks and "scene_paint" not in marks:
                    marks["scene_paint"] = time.monotonic()
                    QTimer.singleShot(0, lambda: finish("drawn"))
            return False

    def built(snapshot) -> None:
        marks["built"] = time.monotonic()
        info["nodes"] = len(snapshot.nodes)
        info["scene"] = window.graph.view.graph_scene() is not None

    watch = PaintWatch()
    app.installEventFilter(watch)
    window.built.connect(built)
    window.build_failed.connect(lambda message: info.setdefault("error", message))
    window.build_failed.connect(app.quit)
    window.show()
    QTimer.singleShot(TIMEOUT_MS, app.quit)
    app.exec()
    app.removeEventFilter(watch)
    info["torch_in_gui_process"] = "torch" in sys.modules
    window.close()
    worker.close()  # the window never closes a worker it was given
    print(json.dumps({"marks": marks, **info}), flush=True)
    return 0


if __name__ == "__main__":  # the worker is spawned: its child re-imports this module
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "window"))
