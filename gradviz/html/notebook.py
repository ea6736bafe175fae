"""The page inside Jupyter: an ``<iframe srcdoc>`` (JupyterLab, classic Notebook, VS Code).

The page runs in a sandboxed iframe (scripts only: no access to the notebook,
no same-origin rights), with its whole HTML escaped into ``srcdoc``.
"""

from __future__ import annotations

import sys
from html import escape

FRAME_HEIGHT = 640  # pixels: the graph, the controls and a two-line explanation


def in_notebook() -> bool:
    """True inside a Jupyter kernel (an IPython shell with a kernel), False elsewhere."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def iframe(page: str, *, height: int = FRAME_HEIGHT, title: str = "gradviz") -> str:
    """``page`` (a whole HTML document) isolated in a sandboxed iframe."""
    return (f'<iframe srcdoc="{escape(page, quote=True)}" sandbox="allow-scripts" '
            f'title="{escape(title, quote=True)}" width="100%" height="{int(height)}" '
            'style="border: 1px solid #ccc; border-radius: 4px;"></iframe>')


def snapshot_iframe(snapshot, **options) -> str:
    """The interactive page of ``snapshot`` in an iframe (options: ``record_page``'s)."""
    from gradviz.ui.export.page_export import page_html

    options.setdefault("title", snapshot.source)
    return iframe(page_html(snapshot, **options), title=options["title"])
