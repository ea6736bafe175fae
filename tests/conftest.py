"""Shared test set-up: Qt runs offscreen; no display is ever needed."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from leak_guard import no_leaked_workers  # noqa: F401  (autouse: no worker left running)


@pytest.fixture
def temp_settings(tmp_path, monkeypatch):
    """QSettings and the trust store in a temporary folder (the user's are never touched).

    Window tests opt in with ``pytestmark = pytest.mark.usefixtures("temp_settings")``.
    """
    from PySide6.QtCore import QSettings  # only window tests pay for Qt

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    monkeypatch.setenv("GRADVIZ_TRUST_FILE", str(tmp_path / "trusted.json"))
    return tmp_path / "settings"


@pytest.fixture(scope="session")
def cli_worker():
    """One evaluation worker for every in-process command-line run (``cli``) of the session:
    a worker per module would import torch once more per module."""
    from leak_guard import keep, release

    from gradviz.core.runtime.worker import EvaluationWorker

    shared = EvaluationWorker(timeout=30.0)
    shared.start()
    keep(shared)
    yield shared
    release(shared)
    shared.close()


@pytest.fixture
def cli(capsys, cli_worker):
    """``cli(*argv)``: the ``gradviz`` command run through ``cli.main`` in this process, on
    the session's worker (a process per run would import torch each time); returns its
    ``returncode``, ``stdout`` and ``stderr``."""
    from types import SimpleNamespace

    from gradviz.cli import main

    def run(*argv: str) -> SimpleNamespace:
        code = main([str(a) for a in argv], worker=cli_worker)
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    return run
