"""The interactive page in a real browser: Chromium, driven by Playwright, offline (one
Chromium for the module, the session's evaluation worker; a fresh browser context per test).

Needs Debian's ``chromium`` and the ``playwright`` package (its own browser download
is not used). Skipped with a reason when either is missing, failed instead when
``GRADVIZ_REQUIRE_BROWSER=1`` (CI). Screenshots go to ``$GRADVIZ_SHOTS`` if set.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from snapshots import transformer_snapshot

SEED = ["5*x**3 + 2*x**2 + 4*x + 8", "--var", "x=2.0"]
ACTIVE_RGB = "rgb(213, 94, 0)"  # the light theme's "active" (Okabe–Ito vermillion)
DONE_RGB = "rgb(0, 114, 178)"


def _chromium() -> str | None:
    found = os.environ.get("GRADVIZ_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    return found if found and Path(found).exists() else None


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for the module (launching it takes seconds); tests get their own
    context (``browser``): no cookies, storage or pages shared between tests."""
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed (pip install playwright)"
    executable = _chromium()
    if reason is None and executable is None:
        reason = "no Chromium (apt-get install chromium)"
    if reason is not None:
        if os.environ.get("GRADVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GRADVIZ_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable,
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def browser(chromium):
    """A fresh browser context (1200×800 pages) on the module's Chromium."""
    context = chromium.new_context(viewport={"width": 1200, "height": 800})
    yield context
    context.close()


@pytest.fixture
def main(cli):
    """The command line in this process, on the session's worker (conftest's ``cli``):
    ``main(argv)`` → its exit code."""
    return lambda argv: cli(*argv).returncode


def _open(browser, path: Path):
    """A page on ``path`` that records every request and lets none leave the machine."""
    page = browser.new_page()
    requests, errors = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def route(r):
        requests.append(r.request.url)
        if r.request.url == path.as_uri():
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    return page, requests, errors


def _shot(page, name: str) -> None:
    folder = os.environ.get("GRADVIZ_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def _active(page) -> tuple[str, str]:
    """The active node's id and its border colour, as the browser computes it."""
    return page.evaluate("""() => {
        const n = document.querySelector('.n.active');
        return n ? [n.id, getComputedStyle(n.querySelector('rect.box')).stroke] : ['', ''];
    }""")


def test_the_seed_page_steps_to_x_grad_72_by_keyboard_offline(browser, main, tmp_path):
    out = tmp_path / "seed.html"
    assert main(["export", *SEED, "-o", str(out)]) == 0
    page, requests, errors = _open(browser, out)
    assert page.inner_text("#counter") == "Step 0 of 9"
    assert page.inner_text("#v0") == "—"
    _shot(page, "seed-step0.png")
    seen = []
    for k in range(1, 10):
        page.keyboard.press("ArrowRight")
        assert page.inner_text("#counter") == f"Step {k} of 9"
        node, stroke = _active(page)
        assert stroke == ACTIVE_RGB
        if seen:  # the node that ran before is drawn as done now
            before = page.eval_on_selector(f"#{seen[-1]} rect.box",
                                           "r => getComputedStyle(r).stroke")
            assert before == DONE_RGB
        seen.append(node)
        if k == 4:
            _shot(page, "seed-step4.png")
    assert len(set(seen)) == 9  # a different node at each step
    assert "x.grad = 72" in page.inner_text("#explain-body")
    assert page.inner_text("#v0") == "72 = 4 + 8 + 60"
    assert page.inner_text("#explain-title") == "Step 9 of 9: AccumulateGrad"
    _shot(page, "seed-step9.png")
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("#counter") == "Step 8 of 9"
    assert page.inner_text("#v0") != "72 = 4 + 8 + 60"
    page.keyboard.press("Home")
    assert page.inner_text("#counter") == "Step 0 of 9" and _active(page)[0] == ""
    page.keyboard.press("End")
    assert page.inner_text("#counter") == "Step 9 of 9"
    assert requests == [out.as_uri()] and errors == []


def test_hover_click_zoom_and_play(browser, main, tmp_path):
    out = tmp_path / "seed.html"
    assert main(["export", *SEED, "--step", "3", "-o", str(out)]) == 0
    page, requests, errors = _open(browser, out)
    assert page.inner_text("#counter") == "Step 3 of 9"
    leaf = page.locator(".n.k-leaf")
    leaf.hover()
    assert page.is_visible("#tip") and "Value: 2" in page.inner_text("#tip")
    leaf.click()
    info = page.inner_text("#info")
    assert "leaf tensor" in info and "Gradient" in info and "72" in info
    assert "sel" in leaf.get_attribute("class")
    _shot(page, "seed-selected.png")
    def view_box():
        return [round(float(v), 1) for v in page.get_attribute("#graph", "viewBox").split()]

    box = view_box()
    page.keyboard.press("+")
    assert view_box()[2] < box[2]  # zoomed in: a smaller part of the graph in view
    page.keyboard.press("f")
    assert view_box() == box
    page.keyboard.press(" ")  # play to the end
    page.wait_for_selector("body[data-step='9']", timeout=15_000)
    assert requests == [out.as_uri()] and errors == []


def test_the_french_page_says_pas_8_sur_9(browser, main, tmp_path):
    out = tmp_path / "seed-fr.html"
    assert main(["export", *SEED, "--lang", "fr", "-o", str(out)]) == 0
    page, _requests, errors = _open(browser, out)
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    assert page.inner_text("#counter") == "Pas 8 sur 9"
    assert page.inner_text("#explain-title").startswith("Pas 8 sur 9")
    _shot(page, "seed-fr-step8.png")
    assert errors == []


def test_a_still_page_has_no_controls(browser, main, tmp_path):
    out = tmp_path / "still.html"
    assert main(["export", *SEED, "--step", "last", "--no-controls", "-o", str(out)]) == 0
    page, _requests, errors = _open(browser, out)
    assert not page.is_visible("#controls") and not page.is_visible("#side")
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("#explain-title") == "Step 9 of 9: AccumulateGrad"
    _shot(page, "seed-still.png")
    assert errors == []


@pytest.mark.slow
def test_a_24_layer_transformer_page_loads_and_steps(browser, tmp_path):
    from gradviz.ui.export.page_export import export_page

    snapshot = transformer_snapshot(24)
    out = export_page(snapshot, tmp_path / "transformer.html")
    page, requests, errors = _open(browser, out)
    total = len(snapshot.steps)
    assert page.inner_text("#counter") == f"Step 0 of {total}"
    for k in range(1, 4):
        page.keyboard.press("ArrowRight")
        assert page.inner_text("#counter") == f"Step {k} of {total}"
        assert _active(page)[1] == ACTIVE_RGB
    page.keyboard.press("End")
    assert page.inner_text("#counter") == f"Step {total} of {total}"
    assert page.locator(".n.dimmed").count() == 0  # every node ran
    _shot(page, "transformer-end.png")
    for _ in range(20):
        page.keyboard.press("+")
    page.keyboard.press("ArrowLeft")  # zoomed in, the view follows the active node
    active = page.locator(".n.active rect.box").bounding_box()
    view = page.locator("#view").bounding_box()
    assert view["x"] <= active["x"] and active["x"] + active["width"] <= view["x"] + view["width"]
    assert view["y"] <= active["y"] and active["y"] + active["height"] <= view["y"] + view["height"]
    _shot(page, "transformer-zoomed.png")
    page.keyboard.press("Home")
    assert page.locator(".n.done").count() == 0
    assert requests == [out.as_uri()] and errors == []


def test_the_notebook_iframe_runs_the_page_sandboxed(browser, tmp_path):
    from snapshots import seed_snapshot

    out = tmp_path / "cell.html"
    out.write_text("<!DOCTYPE html><html><body>" + seed_snapshot()._repr_html_() + "</body></html>",
                   encoding="utf-8")
    page, requests, errors = _open(browser, out)
    frame = page.frames[1]
    for _ in range(9):
        frame.click("#next")
    assert frame.inner_text("#counter") == "Step 9 of 9"
    assert frame.inner_text("#v0") == "72 = 4 + 8 + 60"
    reach = "() => { try { return parent.document.title; } catch (e) { return 'blocked'; } }"
    assert frame.evaluate(reach) == "blocked"  # the sandbox keeps the page out of the notebook
    _shot(page, "notebook-iframe.png")
    assert requests == [out.as_uri()] and errors == []
