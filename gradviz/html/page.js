"use strict";
// gradviz page: applies the replay's recorded per-step changes (classes and texts).
// No replay rule lives here: every look and number was computed by gradviz in Python.
(function () {
  var data = JSON.parse(document.getElementById("gradviz-data").textContent);
  var total = data.total, words = data.strings;
  var svg = document.getElementById("graph"), world = document.getElementById("world");
  var view = document.getElementById("view"), tip = document.getElementById("tip");
  var LOOKS = ["idle", "dimmed", "active", "done"];
  var cur = {}, undo = [], shown = 0, timer = null, selected = null;

  // Undo lists: the value each change replaces (walk the changes once, from step 0).
  Object.keys(data.cells).forEach(function (key) { cur[key] = data.cells[key]; });
  data.changes.forEach(function (frame, i) {
    undo[i] = frame.map(function (pair) {
      var old = Object.prototype.hasOwnProperty.call(cur, pair[0]) ? cur[pair[0]] : "";
      cur[pair[0]] = pair[1];
      return [pair[0], old];
    });
  });
  cur = {};
  Object.keys(data.cells).forEach(function (key) { cur[key] = data.cells[key]; });

  function byId(id) { return document.getElementById(id); }
  function format(text, args) {
    return text.replace(/\{(\d)\}/g, function (_, i) { return String(args[+i]); });
  }
  function elide(text, width, size) {
    var room = Math.floor((width - 8) / (0.6 * size));
    return text.length <= room ? text : text.slice(0, Math.max(room - 1, 0)) + "\u2026";
  }
  function setLook(el, look) {
    LOOKS.forEach(function (name) { el.classList.remove(name); });
    el.classList.add(look);
  }
  function apply(key, value) {
    cur[key] = value;
    var kind = key.charAt(0), el = byId((kind === "g" ? "n" : kind === "l" ? "e" : kind) + key.slice(1));
    if (!el) return;
    if (kind === "n" || kind === "e") { setLook(el, value); return; }
    if (kind === "v") { el.textContent = value; return; }
    if (kind === "g") {
      var text = el.querySelector("text.grad");
      text.textContent = elide(value, +text.getAttribute("data-w"), +text.getAttribute("font-size"));
      return;
    }
    var lab = el.querySelector(".lab"), rect = lab.querySelector("rect"), t = lab.querySelector("text");
    var width = value ? value.length * 0.6 * 9 + 6 : 0, x = +lab.getAttribute("data-x");
    t.textContent = value;
    rect.setAttribute("width", width.toFixed(2));
    t.setAttribute("x", (x + width / 2).toFixed(2));
    if (value) lab.removeAttribute("hidden"); else lab.setAttribute("hidden", "");
  }
  function show(k) {
    k = Math.max(0, Math.min(total, k));
    while (shown < k) { data.changes[shown].forEach(function (p) { apply(p[0], p[1]); }); shown++; }
    while (shown > k) { shown--; undo[shown].forEach(function (p) { apply(p[0], p[1]); }); }
    var step = data.steps[k];
    byId("explain-title").textContent = step[0];
    byId("explain-body").textContent = step[1];
    byId("explain-note").textContent = step[2];
    byId("counter").textContent = format(words.step_of, [k, total]);
    document.body.setAttribute("data-step", String(k));
    follow();
    if (selected !== null) showInfo(selected);
    if (k >= total) stop();
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    byId("play").textContent = words.play_label;
    byId("play").title = words.play;
  }
  function play() {
    if (timer !== null) { stop(); return; }
    if (shown >= total) show(0);
    timer = setInterval(function () { show(shown + 1); }, 900);
    byId("play").textContent = words.pause_label;
    byId("play").title = words.pause;
  }
  function nodeText(i) {
    var grad = cur["g" + i];
    return data.info[i] + (grad ? "\n" + format(words.now, [grad]) : "");
  }
  function showInfo(i) { byId("info").textContent = nodeText(i); }

  // Zoom and pan: the viewBox moves; nothing is redrawn.
  var box = svg.getAttribute("data-box").split(" ").map(Number), vb = box.slice();
  function setBox() { svg.setAttribute("viewBox", vb.map(function (v) { return v.toFixed(2); }).join(" ")); }
  function zoom(factor, fx, fy) {
    var px = vb[0] + vb[2] * fx, py = vb[1] + vb[3] * fy;
    vb[2] /= factor; vb[3] /= factor;
    vb[0] = px - vb[2] * fx; vb[1] = py - vb[3] * fy;
    setBox();
  }
  function fit() { vb = box.slice(); setBox(); }
  function follow() {  // zoomed in: keep the active node in view, as the window's camera does
    var node = document.querySelector(".n.active rect.box");
    if (!node || vb[2] >= box[2]) return;
    var x = +node.getAttribute("x"), y = +node.getAttribute("y");
    var w = +node.getAttribute("width"), h = +node.getAttribute("height");
    if (x >= vb[0] && y >= vb[1] && x + w <= vb[0] + vb[2] && y + h <= vb[1] + vb[3]) return;
    vb[0] = x + w / 2 - vb[2] / 2; vb[1] = y + h / 2 - vb[3] / 2;
    setBox();
  }
  function fraction(event) {
    var r = svg.getBoundingClientRect();
    return [(event.clientX - r.left) / r.width, (event.clientY - r.top) / r.height];
  }
  view.addEventListener("wheel", function (event) {
    event.preventDefault();
    var f = fraction(event);
    zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, f[0], f[1]);
  }, { passive: false });
  var drag = null;
  view.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, y: event.clientY, vb: vb.slice(), moved: false };
  });
  view.addEventListener("pointermove", function (event) {
    if (drag === null) return;
    var r = svg.getBoundingClientRect(), scale = Math.max(vb[2] / r.width, vb[3] / r.height);
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    vb[0] = drag.vb[0] - dx * scale; vb[1] = drag.vb[1] - dy * scale;
    setBox();
  });
  view.addEventListener("pointerup", function () { setTimeout(function () { drag = null; }, 0); });

  // Hover and click on a node: what the window's inspector shows.
  svg.addEventListener("mouseover", function (event) {
    var node = event.target.closest(".n");
    if (!node) { tip.hidden = true; return; }
    tip.textContent = nodeText(+node.getAttribute("data-i"));
    var r = view.getBoundingClientRect();
    tip.style.left = Math.min(event.clientX - r.left + 12, r.width - 200) + "px";
    tip.style.top = (event.clientY - r.top + 12) + "px";
    tip.hidden = false;
  });
  svg.addEventListener("mouseleave", function () { tip.hidden = true; });
  svg.addEventListener("click", function (event) {
    if (drag && drag.moved) return;
    var node = event.target.closest(".n");
    var old = selected === null ? null : byId("n" + selected);
    if (old) old.classList.remove("sel");
    if (!node) { selected = null; byId("info").textContent = words.click; return; }
    selected = +node.getAttribute("data-i");
    node.classList.add("sel");
    showInfo(selected);
  });

  var actions = {
    first: function () { stop(); show(0); }, last: function () { stop(); show(total); },
    prev: function () { stop(); show(shown - 1); }, next: function () { stop(); show(shown + 1); },
    play: play, zoom_in: function () { zoom(1.25, 0.5, 0.5); },
    zoom_out: function () { zoom(1 / 1.25, 0.5, 0.5); }, fit: fit
  };
  Object.keys(actions).forEach(function (key) {
    var button = byId(key);
    if (button) button.addEventListener("click", actions[key]);
  });
  var KEYS = { ArrowRight: "next", ArrowLeft: "prev", Home: "first", End: "last", " ": "play",
               "+": "zoom_in", "=": "zoom_in", "-": "zoom_out", f: "fit", F: "fit" };
  document.addEventListener("keydown", function (event) {
    if (!data.controls || event.ctrlKey || event.metaKey || event.altKey) return;
    var action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    actions[action]();
  });
  show(data.start);
})();
