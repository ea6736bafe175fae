"""Text from lesson files is shown as written: an image tag or Markdown image never loads.

``![d](/dev/zero)`` or ``<img src="/dev/zero">`` in a lesson's notes, title,
function title, step note, theme (rejected: a message box) or an expression's
comment made the window read /dev/zero until it aborted. The window runs in a
subprocess under an address-space limit, opens each lesson, steps through it,
and must stay up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from gradviz.ui.base.plain import hidden_characters, show_hidden, tip

PAYLOADS = ['![d](/dev/zero)', '<img src="/dev/zero">']

DRIVER = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, resource.RLIM_INFINITY))
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from gradviz.cli_request import app_config
    from gradviz.ui.window.app import application
    from gradviz.ui.window.main_window import MainWindow

    def wait(window, ms):
        loop = QEventLoop()
        window.built.connect(loop.quit)
        window.build_failed.connect(loop.quit)
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def main():
        app = application()
        window = MainWindow(app_config(["x*2", "--var", "x=1"]))
        window.show()
        wait(window, 60_000)
        for path in sys.argv[1:]:
            if window.lessons.open_path(path):
                wait(window, 60_000)
            for k in range(window.player.count + 1):
                window.player.set_step(k)
                QCoreApplication.processEvents()
            window.grab()
            for widget in QApplication.topLevelWidgets():
                if widget.isVisible():
                    widget.grab()
            print("shown", path, window.player.count, window.lessons.message_box is not None,
                  flush=True)
        window.runner.shutdown()
        print("alive", flush=True)

    if __name__ == "__main__":  # the worker is spawned: it imports this file
        main()
""")


def lesson(payload: str, **changes) -> dict:
    fn = {"title": f"f {payload}", "expression": f"x*x*3 # {payload}", "variables": ["x=2.0"],
          "step_notes": {str(k): f"note {k} {payload}" for k in range(6)}}
    data = {"schema": "gradviz.lesson/1", "title": f"T {payload}",
            "notes": [f"Notes {payload}", payload], "functions": [fn]}
    data.update(changes)
    return data


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS: Linux")
def test_lessons_carrying_image_payloads_keep_the_window_up(tmp_path):
    paths = []
    for number, payload in enumerate(PAYLOADS):
        for name, data in (("ok", lesson(payload)),
                           ("theme", lesson(payload, view={"theme": payload}))):
            path = tmp_path / f"{name}{number}.gradviz.json"
            path.write_text(json.dumps(data), encoding="utf-8")
            paths.append(str(path))
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "GRADVIZ_TRUST_FILE": str(tmp_path / "trusted.json"), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(driver), *paths], capture_output=True,
                          text=True, timeout=240, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("shown ") == len(paths) and "alive" in done.stdout


def test_tooltips_and_hidden_characters_are_shown_as_written():
    assert "&lt;img" in tip('<img src="/dev/zero">') and "<img" not in tip("<img src=x>")
    code = "x = 1 \u2067;open('f')\u2069 # ok\u200b\n\tdone"
    assert hidden_characters(code) == ["\u2067", "\u2069", "\u200b"]
    assert show_hidden(code) == "x = 1 «U+2067»;open('f')«U+2069» # ok«U+200B»\n\tdone"


def test_code_dialog_escapes_bidi_warns_and_wraps(qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    from gradviz.ui.panels.lesson_panel import CodeConfirmDialog

    code = "total = 1  # \u2067;open('/etc/passwd')\u2069 harmless\n" + "y = 2 " * 80
    dialog = CodeConfirmDialog("t\u202e", code)
    qtbot.addWidget(dialog)
    shown = dialog.code_view.toPlainText()
    assert "\u2067" not in shown and "«U+2067»;open('/etc/passwd')«U+2069»" in shown
    assert not dialog.hidden_warning.isHidden() and "2" in dialog.hidden_warning.text()
    assert dialog.code_view.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    clean = CodeConfirmDialog("t", "x = 1\n")
    qtbot.addWidget(clean)
    assert clean.hidden_warning.isHidden()
