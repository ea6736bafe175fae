"""docs/example.ipynb runs headless (nbclient) and its output cells hold the interactive page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (test extra)")
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("ipykernel", reason="ipykernel is not installed (test extra)")

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "example.ipynb"


def _page(output: dict) -> str:
    """The page inside an output's iframe ``srcdoc``, unescaped."""
    frame = output["data"]["text/html"]
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame
    return html.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))


def test_the_example_notebook_executes_and_shows_the_page(tmp_path):
    notebook = nbformat.read(EXAMPLE, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    seed = _page(next(o for o in code[0].outputs if o.output_type == "execute_result"))
    assert "default-src 'none'" in seed and 'id="gradviz-data"' in seed
    assert "72 = 4 + 8 + 60" in seed and "Step 9 of 9: AccumulateGrad" in seed
    shown = [o for o in code[1].outputs if o.output_type == "display_data"]
    assert len(shown) == 1 and "Sequential" in _page(shown[0])  # inline, no window
    written = tmp_path / "seed-fr.html"
    assert "Pas 9 sur 9" in written.read_text(encoding="utf-8")
