"""The worker's reply channel: a script that writes anything anywhere runs nothing in the app.

Each hostile script writes its payload to every file descriptor it has and to
every one of the app's it can open (``/proc/<ppid>/fd``, but the terminal:
the app never reads it; not at all as root, whom nothing stops), then builds a
normal graph. ``gradviz export`` must exit 2 with one line, write no file and
leave the old one untouched, and never execute the payload (a marker file).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from gradviz.core.runtime.channel import (
    PIPE_SIZE,
    REPLY_LIMIT,
    ChannelError,
    FrameReader,
    check_reply,
    check_snapshot,
    encode,
    parse_frame,
    write_frames,
)

HOSTILE = r'''
import os, pickle, struct, sys, time
MARKER = {marker!r}

class Boom:
    def __reduce__(self):
        return (open, (MARKER, "w"))

def frame(obj):
    import json
    data = json.dumps(obj).encode()
    return struct.pack("!Q", len(data)) + data

PAYLOADS = {{
    "garbage": bytes(range(256)) * 64,
    "giant_header": struct.pack("!Q", 2**31) + struct.pack("!i", 2**31 - 1) + b"x" * 64,
    "pickle": (lambda p: struct.pack("!i", len(p)) + p)(pickle.dumps(("ok", Boom(), ""))),
    "fake_reply": frame({{"reply": "ok", "output": "", "snapshot": True}}) + frame({{"a": 1}}),
    "fake_error": frame({{"reply": "error", "kind": "user_error", "message": "m",
                         "details": {{"input_error": {{"code": 1}}}}}}),
    "stall": struct.pack("!Q", 1000) + b"{{",
}}
data = PAYLOADS[{mode!r}]

def spray(folder):
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if folder != "/proc/self/fd" and name in ("0", "1", "2"):
            continue  # the app's terminal: it never reads it (and root may write anything)
        try:
            fd = os.open(os.path.join(folder, name), os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            fd = None
        for target in ([int(name)] if folder == "/proc/self/fd" else []) + ([fd] if fd else []):
            try:
                os.write(target, data)
            except OSError:
                pass
        if fd:
            os.close(fd)

spray("/proc/self/fd")
if os.geteuid() != 0:  # root may write into any process: nothing to test there
    spray(f"/proc/{{os.getppid()}}/fd")
if {mode!r} == "stall":
    time.sleep(60)
import torch
x = torch.tensor(2.0, requires_grad=True)
output = x * x
params = {{"x": x}}
'''

MODES = ["garbage", "giant_header", "pickle", "fake_reply", "fake_error", "stall"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and pipes: Linux")
@pytest.mark.parametrize("mode", MODES)
def test_hostile_script_is_exit_2_one_line_no_file_no_payload(tmp_path, mode):
    marker = tmp_path / "marker"
    script = tmp_path / "hostile.py"
    script.write_text(HOSTILE.format(marker=str(marker), mode=mode))
    out = tmp_path / "out.json"
    out.write_text("old")
    timeout = "3" if mode == "stall" else "6"  # a stall waits the whole timeout
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "gradviz", "export", "--script", str(script), "-o", str(out),
         "--timeout", timeout],
        capture_output=True, text=True, errors="replace", timeout=90, cwd=tmp_path)
    assert time.monotonic() - start < 60
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gradviz: error: "), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    expected = "longer than 3 s" if mode == "stall" else "sent something invalid"
    assert expected in lines[0]
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.py", "out.json"]
    assert not marker.exists()


def test_frame_reader_refuses_a_giant_header_without_waiting():
    read, write = os.pipe()
    try:
        os.write(write, struct.pack("!Q", REPLY_LIMIT + 1))
        reader = FrameReader(read)
        start = time.monotonic()
        with pytest.raises(ChannelError, match="over the"):
            reader.next_frame(5.0)
        assert time.monotonic() - start < 1.0
    finally:
        os.close(read)
        os.close(write)


def test_frame_reader_never_blocks_on_a_half_frame():
    read, write = os.pipe()
    try:
        os.write(write, struct.pack("!Q", 100) + b"{")
        reader = FrameReader(read)
        start = time.monotonic()
        assert reader.next_frame(0.2) is None and reader.next_frame(0.2) is None
        assert time.monotonic() - start < 1.0
        os.write(write, b" " * 99)
        assert reader.next_frame(0.2) == b"{" + b" " * 99
    finally:
        os.close(read)
        os.close(write)


def test_frames_round_trip_in_pieces():
    read, write = os.pipe()
    try:
        data = encode({"reply": "ok", "output": "é", "snapshot": False, "value": [1, 2.5]})
        reader = FrameReader(read)
        for byte in data[:-1]:
            os.write(write, bytes([byte]))
            assert reader.next_frame(0) is None
        os.write(write, data[-1:])
        assert check_reply(parse_frame(reader.next_frame(0)))["value"] == [1, 2.5]
    finally:
        os.close(read)
        os.close(write)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ: Linux")
def test_a_big_frame_crosses_a_pipe_of_a_mebibyte():
    """A Snapshot's frame is megabytes: the reply pipe holds 1 MiB where Linux allows it
    (its default 64 KiB made ~70 select-and-read rounds of a 4 MB frame)."""
    import fcntl

    read, write = os.pipe()
    try:
        text = '"' + "x" * (3 * 2**20) + '"'
        data = encode(text.encode())  # JSON text as bytes: sent as is, as its str would be
        assert data == encode(text)
        reader = FrameReader(read)
        with open("/proc/sys/fs/pipe-max-size") as limit:
            assert fcntl.fcntl(read, fcntl.F_GETPIPE_SZ) == min(PIPE_SIZE, int(limit.read()))
        writer = threading.Thread(target=write_frames, args=(write, [data]))
        writer.start()
        frame = None
        while frame is None:
            frame = reader.next_frame(1.0)
        writer.join()
        assert parse_frame(frame) == "x" * (3 * 2**20)
    finally:
        os.close(read)
        os.close(write)


@pytest.mark.parametrize("reply", [
    [], "ok", {"reply": "ok"}, {"reply": "ok", "output": 1, "snapshot": False},
    {"reply": "ok", "output": "", "snapshot": 1},
    {"reply": "ready", "pid": True, "memory_limit": None},
    {"reply": "error", "kind": "evil", "message": "", "details": {}},
    {"reply": "error", "kind": "internal", "message": "", "details": {"traceback": 3}},
    {"reply": "error", "kind": "user_error", "message": "", "details": {"input_error": {}}},
    {"reply": "__reduce__"},
    {"reply": "progress", "done": "1", "total": 3}, {"reply": "progress", "done": True,
                                                      "total": 3},
    {"reply": "error", "kind": "engine", "message": "", "details": {}},
    {"reply": "error", "kind": "engine", "message": "", "details": {"engine_error": {
        "code": 3, "params": {}}}},
])
def test_replies_off_the_schema_are_invalid(reply):
    with pytest.raises(ChannelError, match="sent something invalid"):
        check_reply(reply)


@pytest.mark.parametrize("frame", [b"\xff\xfe", b"not json", b"[" * 100_000])
def test_frames_that_are_not_json_are_invalid(frame):
    with pytest.raises(ChannelError):
        parse_frame(frame)


def _seed_snapshot_json() -> dict:
    from gradviz.core.runtime.jobs import snapshot_from_expression
    from gradviz.core.runtime.options import BuildOptions

    snap = snapshot_from_expression("x*x", ["x=2"], options=BuildOptions(layout=False))
    return json.loads(snap.to_json())


def test_a_real_snapshot_passes_the_schema_check():
    data = _seed_snapshot_json()
    assert check_snapshot(json.dumps(data).encode()).output.value == 4.0


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("nodes"),
    lambda d: d["nodes"][0].update(label={"not": "text"}),
    lambda d: d["nodes"][0].update(extra=1),
    lambda d: d["steps"][0].update(index="0"),
    lambda d: d["variables"][0].update(requires_grad="yes"),
    lambda d: d.update(schema="other"),
    lambda d: d["output"].update(shape=[True]),
])
def test_snapshots_off_the_schema_are_invalid(mutate):
    data = _seed_snapshot_json()
    mutate(data)
    with pytest.raises(ChannelError, match="sent something invalid"):
        check_snapshot(json.dumps(data).encode())


def _nested(depth: int):
    value = 1.0
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


@pytest.mark.parametrize("where", ["node value", "step explanation", "grad out", "grad in",
                                   "meta"])
@pytest.mark.parametrize(("depth", "ok"), [(64, True), (65, False)])
def test_free_form_values_nest_at_most_64_deep(where, depth, ok):
    """Values, explanations and meta are free-form JSON: the typed decode lets any depth
    through, the channel's check refuses values nested more than 64 levels deep."""
    data = _seed_snapshot_json()
    value = _nested(depth)
    step = data["steps"][0]
    if where == "node value":
        data["nodes"][0]["value"] = value
    elif where == "step explanation":  # a dict itself: its own level counts
        step["explanation"] = {"rule": _nested(depth - 1)}
    elif where == "grad out":
        step["grad_out"] = [{"target": "n1", "value": value}]
    elif where == "grad in":
        step["grad_in"] = [value]
    else:
        data["meta"]["deep"] = value
    frame = json.dumps(data).encode()
    if ok:
        assert check_snapshot(frame) is not None
    else:
        with pytest.raises(ChannelError, match="bad snapshot"):
            check_snapshot(frame)


def test_typed_fields_inside_values_and_layout_are_checked():
    data = _seed_snapshot_json()
    data["steps"][0]["grad_out"] = [{"target": 3, "value": 1.0}]
    with pytest.raises(ChannelError, match="not a snapshot"):
        check_snapshot(json.dumps(data).encode())
    data = _seed_snapshot_json()
    data["layout"] = {"engine": "dot", "bbox": [0, 0, 1, 1],
                      "nodes": {"n1": {"x": "0", "y": 0, "width": 1, "height": 1}}}
    with pytest.raises(ChannelError, match="not a snapshot"):
        check_snapshot(json.dumps(data).encode())


def test_child_has_only_its_own_pipe_ends(tmp_path):
    """The child holds no end of a pipe it could use to reach the app's other channels."""
    from gradviz.core.runtime.worker import EvaluationWorker

    code = textwrap.dedent("""
        import os
        def fds(payload):
            return sorted(os.readlink(f"/proc/self/fd/{n}") for n in os.listdir("/proc/self/fd")
                          if os.path.exists(f"/proc/self/fd/{n}"))
    """)
    (tmp_path / "fd_probe.py").write_text(code)
    sys.path.insert(0, str(tmp_path))
    try:
        with EvaluationWorker(preload=()) as worker:
            import fd_probe

            found = worker.run(fd_probe.fds, {})
    finally:
        sys.path.remove(str(tmp_path))
    pipes = [f for f in found if f.startswith("pipe:")]
    assert len(pipes) <= 4  # jobs in, replies out, parent sentinel, (resource tracker)
    assert sum(f == "/dev/null" for f in found) >= 3  # stdin, stdout, stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/fd: Linux")
def test_a_child_that_breaks_its_own_pipes_is_one_line_not_a_traceback(tmp_path):
    """It used to print ``Process gradviz-worker:`` and a traceback before the message."""
    script = tmp_path / "close.py"
    script.write_text("import os\nfor name in os.listdir('/proc/self/fd'):\n"
                      "    if int(name) > 2:\n        try:\n            os.close(int(name))\n"
                      "        except OSError:\n            pass\n")
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "gradviz", "export", "--script", str(script), "-o", str(out),
         "--timeout", "6"], capture_output=True, text=True, timeout=90, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Process gradviz-worker" not in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not out.exists()
