"""App start-up against the cost of importing torch (and Qt), in fresh processes.

Each measure is a new ``python`` process timed from its launch by the parent
(``time.monotonic()``, the same clock in every process), so interpreter start-up
counts everywhere:

- ``torch``: ``python -c "import torch"``, until the import is done (the child prints
  the clock then: its exit, ~0.1 s with torch loaded, is left out of every row);
- ``torch + Qt``: ``import torch; from PySide6 import QtWidgets``, likewise;
- ``window``: ``bench/startup_child.py window``, until the main window's first paint
  has completed (worker spawned first as the app does, no build; torch must not be
  loaded in the GUI process);
- ``seed``: ``bench/startup_child.py seed``, until the seed's scene is drawn (the app's
  start: worker spawned before Qt loads, window, build, layout in the GUI process,
  scene, paint);
- ``screenshot``: ``python -m gradviz --screenshot FILE.png``, to exit (includes its
  150 ms settle, PNG write and worker shut-down; for reference).

Every repeat runs each command once, rotating the order (load drift hits all).
gradviz's bytecode is compiled first (``compileall``), as an installed wheel has it
(pip compiles at install) and as torch's and Qt's is: where ``PYTHONDONTWRITEBYTECODE``
is set (this machine's sessions), every start would otherwise compile each gradviz
module from source again (~0.2–0.4 s of the window's time), never what a user waits for.
Targets (issue): window ≤ 0.5 × torch; seed ≤ 1.2 × torch + Qt.

Run: ``python -m bench.bench_startup [--repeats N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # python bench/bench_startup.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
CLOCK = "import time; print('{\"marks\": {\"done\": %r}}' % time.monotonic())"
FLOORS = {
    "torch": f"import torch; {CLOCK}",
    "torch + Qt": f"import torch; from PySide6 import QtWidgets; {CLOCK}",
}
WINDOW_TARGET = 0.5  # × torch
SEED_TARGET = 1.2  # × torch + Qt
TIMEOUT_S = 180


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _launch(argv: list[str], mark: str | None) -> tuple[float, dict]:
    """Seconds from launch to ``mark`` (printed by the child) or to exit; the child's report."""
    start = time.monotonic()
    proc = subprocess.run(argv, cwd=ROOT, env=_env(), capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    ended = time.monotonic()
    if proc.returncode != 0:
        raise RuntimeError(f"{argv!r} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    if mark is None:
        return ended - start, {}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    report = json.loads(lines[-1])
    if mark not in report["marks"]:
        raise RuntimeError(f"{argv!r} never reached {mark!r}: {report}")
    return report["marks"][mark] - start, report


def commands(shot: Path) -> dict[str, tuple[list[str], str | None]]:
    """label -> (argv, mark)."""
    py = sys.executable
    out = {label: ([py, "-c", code], "done") for label, code in FLOORS.items()}
    out["window"] = ([py, "-m", "bench.startup_child", "window"], "painted")
    out["seed"] = ([py, "-m", "bench.startup_child", "seed"], "drawn")
    out["screenshot"] = ([py, "-m", "gradviz", "--screenshot", str(shot)], None)
    return out


def compile_bytecode() -> None:
    """Write gradviz's (and the drivers') ``__pycache__`` (what ``pip install`` does), so
    that no measured start compiles it from source; a ``.pyc`` is used only while its
    source is unchanged."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "gradviz"),
                    str(ROOT / "bench")],
                   cwd=ROOT, env=_env(), check=True, capture_output=True, timeout=TIMEOUT_S)


def run_startup(repeats: int, log=None) -> tuple[dict[str, list[float]], dict[str, list]]:
    """Seconds per command label, ``repeats`` each, order rotated per repeat; and per
    driver label, each round's marks (seconds from launch)."""
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        todo = commands(Path(tmp) / "seed.png")
        labels = list(todo)
        times: dict[str, list[float]] = {label: [] for label in labels}
        phases: dict[str, list[dict[str, float]]] = {"window": [], "seed": []}
        for i in range(repeats):
            for label in labels[i % len(labels):] + labels[:i % len(labels)]:
                argv, mark = todo[label]
                seconds, report = _launch(argv, mark)
                if label == "window" and report.get("torch_loaded") is not False:
                    raise RuntimeError(f"torch was loaded before the first paint: {report}")
                if label.startswith("seed") and (report.get("error") or not report.get("scene")):
                    raise RuntimeError(f"the seed was not drawn: {report}")
                times[label].append(seconds)
                if label in phases:
                    launch = report["marks"][mark] - seconds
                    phases[label].append({k: v - launch for k, v in report["marks"].items()})
            if log:
                log(f"  start-up round {i + 1}/{repeats}")
    return times, phases


def summary(times: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """Median, min, max per label, and the two target ratios (paired per round, medians)."""
    out = {label: {"median": statistics.median(v), "min": min(v), "max": max(v)}
           for label, v in times.items()}
    for label, floor, target in (("window", "torch", WINDOW_TARGET),
                                 ("seed", "torch + Qt", SEED_TARGET)):
        ratios = [a / b for a, b in zip(times[label], times[floor])]
        out[label].update(ratio=out[label]["median"] / out[floor]["median"], floor=floor,
                          target=target, ratio_min=min(ratios), ratio_max=max(ratios))
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f}"


def print_phases(phases: dict[str, list[dict[str, float]]]) -> None:
    """Median time from launch to each mark of the drivers (see bench/startup_child.py)."""
    for label, rounds in phases.items():
        if rounds:
            keys = sorted(rounds[0], key=lambda k: statistics.median(r[k] for r in rounds))
            line = ", ".join(f"{k} {_ms(statistics.median(r[k] for r in rounds))}" for k in keys)
            print(f"\n{label} driver, ms from launch (medians): {line}.")


def print_startup(result: dict[str, dict[str, float]], repeats: int, phases=None) -> None:
    print(f"\n### Start-up, fresh processes, median of {repeats}\n")
    print("| measure | ms | range | against | ratio (per-round range) | target |")
    print("|---|---:|---|---|---:|---|")
    for label, r in result.items():
        against = ratio = target = ""
        if "ratio" in r:
            ok = "✓" if r["ratio"] <= r["target"] else "✗"
            against = r["floor"]
            ratio = f"{r['ratio']:.2f} ({r['ratio_min']:.2f}–{r['ratio_max']:.2f})"
            target = f"≤ {r['target']:g} {ok}"
        print(f"| {label} | {_ms(r['median'])} | {_ms(r['min'])}–{_ms(r['max'])} | {against} "
              f"| {ratio} | {target} |")
    print("\ntorch and torch + Qt: until the import is done (their exit, ~0.5 s with torch "
          "loaded, is not counted).")
    if phases:
        print_phases(phases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    times, phases = run_startup(args.repeats,
                                log=lambda text: print(text, file=sys.stderr, flush=True))
    print_startup(summary(times), args.repeats, phases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
