"""One self-contained HTML page that replays the backward pass: SVG, CSS, data and script inline.

:class:`PageData` is plain data: the looks and texts of every replay step as
*changes* from the step before (a 1,000-node graph's page stays small), the
explanation of each step, the translated words of the page. It is recorded
from the window's own code (:mod:`gradviz.ui.export.page_export`); this module only
writes it out. The page's script applies the recorded changes and never
evaluates a replay rule itself.

Safety: every text is escaped; the data travels as JSON in a
``<script type="application/json">`` block (``<``, ``>`` and ``&`` escaped) read
with ``JSON.parse``; no ``eval``, no inline event handlers; a
Content-Security-Policy forbids every load (``default-src 'none'``) and allows
only this page's own script and style, by hash. Qt-free.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from gradviz.core.snapshot import Snapshot

from .style import page_css
from .svg import graph_svg

SCRIPT = Path(__file__).with_name("page.js")
_LIST = re.compile(r"\[([-0-9.eE,…×μσ=\s]*)\]")
_DECIMAL = re.compile(r"(?<![\w.])(-?\d+)\.(\d)")


@dataclass
class PageData:
    """Everything the page shows, recorded step by step (see the module's docstring)."""

    snapshot: Snapshot
    theme: dict[str, Any]  # a theme's fields (resources/themes/*.json)
    lang: str = "en"
    strings: dict[str, str] = field(default_factory=dict)  # the page's own words
    steps: list[list[str]] = field(default_factory=list)  # k -> [title, body, note]
    start_cells: dict[str, str] = field(default_factory=dict)  # cells at step 0
    changes: list[list[list[str]]] = field(default_factory=list)  # k-1 -> [[cell, value]...]
    variables: list[list[str]] = field(default_factory=list)  # [name, value text]
    node_info: list[str] = field(default_factory=list)  # node index -> inspector text
    title: str = ""
    notes: str = ""
    start: int = 0
    controls: bool = True


def decimal_comma(text: str) -> str:
    """French numbers: ``0.5`` → ``0,5``; in a list of numbers ``[1.5, 2]`` → ``[1,5 ; 2]``."""
    def in_list(match: re.Match) -> str:
        inner = match.group(1)
        if not _DECIMAL.search(inner):
            return match.group(0)
        return "[" + _DECIMAL.sub(r"\1,\2", inner.replace(", ", "\u202f; ")) + "]"

    return _DECIMAL.sub(r"\1,\2", _LIST.sub(in_list, text))


def _localized(data: PageData) -> dict[str, Any]:
    """The JSON the script reads, numbers written the language's way."""
    fix = decimal_comma if data.lang == "fr" else (lambda text: text)

    def cell(key: str, value: str) -> str:
        return fix(value) if key[0] in "glv" else value

    return {
        "total": len(data.steps) - 1, "start": data.start, "controls": data.controls,
        "strings": data.strings,
        "steps": [[title, fix(body), note] for title, body, note in data.steps],
        "cells": {key: cell(key, value) for key, value in data.start_cells.items()},
        "changes": [[[key, cell(key, value)] for key, value in frame] for frame in data.changes],
        "info": [fix(text) for text in data.node_info],
    }


def _json_block(payload: dict[str, Any]) -> str:
    """JSON safe inside a script block: no ``</script>``, no ``<!--``, no ``&`` surprises."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _gradients_table(data: PageData, fix) -> str:
    words = data.strings
    rows = [f"<tr><th>{escape(words.get('leaf', 'leaf'))}</th>"
            f"<th>{escape(words.get('value', 'value'))}</th>"
            f"<th>{escape(words.get('grad', '.grad'))}</th></tr>"]
    for j, (name, value) in enumerate(data.variables):
        grad = fix(data.start_cells.get(f"v{j}", ""))
        rows.append(f"<tr><td>{escape(name)}</td><td>{escape(fix(value))}</td>"
                    f'<td id="v{j}">{escape(grad)}</td></tr>')
    return f'<table id="grads">{"".join(rows)}</table>'


def _controls(words: dict[str, str]) -> str:
    buttons = [("first", "|◀"), ("prev", "◀"), ("play", words.get("play_label", "Play")),
               ("next", "▶"), ("last", "▶|")]
    html = [f'<button type="button" id="{key}" title="{escape(words.get(key, key))}" '
            f'aria-label="{escape(words.get(key, key))}">{escape(sign)}</button>'
            for key, sign in buttons]
    html.append('<span id="counter" aria-live="polite"></span>')
    html.extend(f'<button type="button" id="{key}" title="{escape(words.get(key, key))}" '
                f'aria-label="{escape(words.get(key, key))}">{sign}</button>'
                for key, sign in (("zoom_in", "+"), ("zoom_out", "−"), ("fit", "⤢")))
    return f'<div id="controls" role="toolbar">{"".join(html)}</div>'


def render_page(data: PageData) -> str:
    """The page as one string of HTML (UTF-8 when written)."""
    fix = decimal_comma if data.lang == "fr" else (lambda text: text)
    snapshot, words = data.snapshot, data.strings
    looks = {k: v for k, v in data.start_cells.items() if k[0] in "ne"}
    texts = {k: v for k, v in data.start_cells.items() if k[0] in "gl"}
    svg = graph_svg(snapshot, looks, texts, title=data.title or snapshot.source)
    if data.lang == "fr":
        svg = _french_svg(svg)
    script = SCRIPT.read_text(encoding="utf-8")
    css = page_css(data.theme)
    csp = (f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(css)}'; "
           "base-uri 'none'; form-action 'none'")
    title = data.title or snapshot.source
    notes = f'<p class="note">{escape(data.notes)}</p>' if data.notes else ""
    k = data.start
    step = data.steps[k] if data.steps else ["", "", ""]
    still = "" if data.controls else ' class="still"'
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(data.lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(csp, quote=False)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{css}</style></head><body>"
        f'<div id="page"{still}>'
        f"<header><h1>{escape(title)}</h1>{notes}{_controls(words)}</header>"
        f'<div id="view">{svg}<div id="tip" hidden></div></div>'
        f'<aside id="side"><h2>{escape(words.get("gradients", "Gradients"))}</h2>'
        f'{_gradients_table(data, fix)}<h2>{escape(words.get("node", "Node"))}</h2>'
        f'<div id="info">{escape(words.get("click", ""))}</div></aside>'
        f'<section id="explain"><div id="explain-title">{escape(step[0])}</div>'
        f'<div id="explain-body">{escape(fix(step[1]))}</div>'
        f'<div id="explain-note">{escape(step[2])}</div></section></div>'
        f'<script type="application/json" id="gradviz-data">{_json_block(_localized(data))}'
        f"</script><script>{script}</script></body></html>\n")


def _french_svg(svg: str) -> str:
    """Decimal commas in the texts of the SVG (never in its coordinates)."""
    return re.sub(r">([^<]+)<", lambda m: ">" + decimal_comma(m.group(1)) + "<", svg)
