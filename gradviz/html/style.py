"""The page's CSS, from a theme's colours and scales (the window's palette, as CSS classes).

Widths and colours follow :mod:`gradviz.ui.graph.palette`: a node's border is 1 pt idle,
2 pt done, 3 pt active (with an 8 pt glow), 3 pt selected; edges 1, 1.8, 2.5 pt;
dimmed items fade to the theme's ``dim_opacity``. When a node is both active and
selected, active wins; selected wins over done (``palette.emphasis``). Qt-free.
"""

from __future__ import annotations

import re
from typing import Any

NODE_WIDTH = {"idle": 1.0, "done": 2.0, "sel": 3.0, "active": 3.0}
EDGE_WIDTH = {"idle": 1.0, "done": 1.8, "active": 2.5}
_COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$|^[a-zA-Z]{1,30}$")
FONTS = '"Liberation Mono", Cousine, "Courier New", Courier, monospace'  # Courier metrics


def css_color(text: str) -> str:
    """A theme colour as CSS (``#rrggbbaa`` is CSS's own order); anything odd → grey."""
    return text if _COLOR.match(str(text)) else "#808080"


def _alpha(color: str, alpha: float) -> str:
    """``#rrggbb`` with an opacity, as ``rgba()``."""
    color = css_color(color)
    if not color.startswith("#") or len(color) not in (7, 9):
        return color
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha:.3f})"


def _edge_rules(theme: dict[str, Any], ls: float) -> list[str]:
    rules = [f".e path {{ fill: none; stroke: {css_color(theme['edge'])}; "
             f"stroke-width: {EDGE_WIDTH['idle'] * ls}; }}",
             f".e polygon {{ fill: {css_color(theme['edge'])}; stroke: {css_color(theme['edge'])};"
             f" stroke-width: {EDGE_WIDTH['idle'] * ls}; }}"]
    for look, key in (("done", "done"), ("active", "active")):
        color, width = css_color(theme[key]), EDGE_WIDTH[look] * ls
        rules.append(f".e.{look} path {{ stroke: {color}; stroke-width: {width}; }}")
        rules.append(f".e.{look} polygon {{ fill: {color}; stroke: {color}; }}")
    for look, width in EDGE_WIDTH.items():  # Qt's dash patterns are in pen widths
        sel = f".e.{look}" if look != "idle" else ".e"
        w = width * ls
        rules.append(f"{sel}.s-dashed path {{ stroke-dasharray: {4 * w:.2f} {2.5 * w:.2f}; }}")
        rules.append(f"{sel}.s-dotted path {{ stroke-dasharray: {w:.2f} {2 * w:.2f}; }}")
    rules.append(f".e .lab rect {{ fill: {css_color(theme['label_background'])}; }}")
    rules.append(f".e .lab text {{ fill: {css_color(theme['grad_text'])}; font-size: 9px; "
                 "text-anchor: middle; dominant-baseline: central; }")
    return rules


def _node_rules(theme: dict[str, Any], ls: float) -> list[str]:
    fills = theme.get("fills", {})
    rules = [f".n rect.box {{ fill: {css_color(fills.get('function', '#d3d3d3'))}; "
             f"stroke: {css_color(theme['node_border'])}; "
             f"stroke-width: {NODE_WIDTH['idle'] * ls}; }}",
             ".n rect.glow { fill: none; stroke: none; }",
             f".n text {{ fill: {css_color(theme['text'])}; text-anchor: middle; "
             "dominant-baseline: central; }",
             f".n text.grad {{ fill: {css_color(theme['grad_text'])}; }}"]
    rules.extend(f".n.k-{re.sub(r'[^a-z_]', '', kind)} rect.box {{ fill: {css_color(color)}; }}"
                 for kind, color in fills.items())
    for look, key in (("done", "done"), ("sel", "selected"), ("active", "active")):
        rules.append(f".n.{look} rect.box {{ stroke: {css_color(theme[key])}; "
                     f"stroke-width: {NODE_WIDTH[look] * ls}; }}")
    rules.append(f".n.active rect.glow {{ stroke: {_alpha(theme['active'], 80 / 255)}; "
                 f"stroke-width: {8 * ls}; }}")
    return rules


def page_css(theme: dict[str, Any]) -> str:
    """Every rule of the page for ``theme`` (a theme's JSON fields, as in resources/themes)."""
    ls = float(theme.get("line_scale", 1.0))
    fs = float(theme.get("font_scale", 1.0))
    dim = float(theme.get("dim_opacity", 0.3))
    bg, text = css_color(theme["background"]), css_color(theme["text"])
    panel, panel_text = css_color(theme["panel"]), css_color(theme["panel_text"])
    muted, accent = css_color(theme["muted_text"]), css_color(theme["accent"])
    weight = "bold" if theme.get("bold_text") else "normal"
    rules = [
        f"html, body {{ margin: 0; background: {panel}; color: {panel_text}; "
        f"font: {round(14 * fs)}px system-ui, sans-serif; }}",
        "#page { display: grid; grid-template-columns: minmax(0, 1fr) minmax(220px, 30%); "
        "grid-template-rows: auto minmax(0, 1fr) auto; height: 100vh; }",
        "#page.still { grid-template-columns: minmax(0, 1fr); }",
        "#page.still #side, #page.still #controls { display: none; }",
        "header { grid-column: 1 / -1; padding: 4px 10px; }",
        "header h1 { font-size: 1.2em; margin: 2px 0; }",
        "header p { margin: 2px 0; white-space: pre-wrap; }",
        f"#view {{ position: relative; overflow: hidden; background: {bg}; min-height: 200px; "
        "touch-action: none; cursor: grab; }",
        "#graph { width: 100%; height: 100%; display: block; user-select: none; }",
        f"#graph text {{ font-family: {FONTS}; font-weight: {weight}; }}",
        f".dimmed {{ opacity: {dim}; }}",
        ".n { cursor: pointer; } .n:focus { outline: none; }",
        f".c rect {{ stroke: {muted}; stroke-width: {0.8 * ls}; }}",
        f".c text {{ fill: {muted}; font-size: {round(9 * fs)}px; dominant-baseline: hanging; }}",
        *(f".c.d{d} rect {{ fill: {_alpha(theme['muted_text'], min(0.04 * (d + 1), 0.2))}; }}"
          for d in range(5)),
        *_edge_rules(theme, ls), *_node_rules(theme, ls),
        f"#side {{ overflow: auto; padding: 6px 10px; border-left: 1px solid {muted}; }}",
        "#side h2 { font-size: 1em; margin: 10px 0 4px; }",
        f"#grads {{ border-collapse: collapse; font-family: {FONTS}; width: 100%; }}",
        "#grads td { overflow-wrap: anywhere; }",
        "#grads td, #grads th { padding: 1px 8px 1px 0; text-align: left; vertical-align: top; }",
        f"#explain {{ grid-column: 1 / -1; padding: 6px 10px; border-top: 1px solid {muted}; "
        "max-height: 28vh; overflow: auto; }",
        "#explain-title { font-weight: bold; }",
        f"#explain-body {{ font-family: {FONTS}; font-size: {round(15 * fs)}px; "
        "white-space: pre-wrap; margin: 2px 0; }",
        "#explain-note, .note { font-style: italic; white-space: pre-wrap; margin: 2px 0; }",
        "#controls { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }",
        f"#controls button {{ font: inherit; padding: 2px 10px; background: {bg}; color: {text}; "
        f"border: 1px solid {muted}; border-radius: 3px; }}",
        f"#controls button:focus-visible {{ outline: 2px solid {accent}; }}",
        "#counter { min-width: 9em; }",
        f"#info {{ white-space: pre-wrap; font-family: {FONTS}; font-size: 0.9em; }}",
        f"#tip {{ position: absolute; pointer-events: none; background: {panel}; "
        f"color: {panel_text}; border: 1px solid {muted}; padding: 4px 6px; max-width: 40em; "
        f"white-space: pre-wrap; font-family: {FONTS}; font-size: 12px; }}",
        "[hidden] { display: none !important; }",
    ]
    return "\n".join(rules)
