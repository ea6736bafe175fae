"""The interactive page: one self-contained HTML file that replays the backward pass.

:mod:`~gradviz.html.page` writes it from plain data (:class:`~gradviz.html.page.PageData`),
:mod:`~gradviz.html.svg` draws the graph, :mod:`~gradviz.html.style` its theme;
all Qt-free. The per-step data is recorded from the window's own replay code by
:mod:`gradviz.ui.export.page_export`; :mod:`~gradviz.html.notebook` shows the page
inside Jupyter.
"""
