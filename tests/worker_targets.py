"""Job functions for the evaluation worker tests; they run in the worker's child process."""

from __future__ import annotations

import ctypes
import os
import time

from gradviz.core.errors import InputError


def echo(payload: dict) -> dict:
    """Return the payload, and print something to check output capture."""
    print("echo says hello")
    return {"echo": payload, "pid": os.getpid()}


def spin(payload: dict) -> None:
    """Never return, holding the GIL."""
    while True:
        pass


def sleep(payload: dict) -> str:
    """Sleep ``payload["seconds"]`` seconds."""
    time.sleep(payload["seconds"])
    return "slept"


def hard_exit(payload: dict) -> None:
    """End the process without cleanup."""
    os._exit(payload.get("code", 1))


def allocate(payload: dict) -> int:
    """Ask for an 80 GB list: MemoryError."""
    return len([0] * 10**10)


def null_read(payload: dict) -> bytes:
    """Read address 0: segmentation fault."""
    return ctypes.string_at(0)


def input_error(payload: dict) -> None:
    """Raise an InputError with all its fields."""
    raise InputError("bad_name", {"name": "x"}, text="x +", column=2)


def value_error(payload: dict) -> None:
    """Raise an unexpected exception (an internal error, not a script's)."""
    raise ValueError("boom")


def unpicklable(payload: dict) -> object:
    """Return a value that cannot cross the pipe."""
    return lambda: None


def memory_limit(payload: dict) -> dict:
    """The address-space limit the child runs under."""
    import resource

    return {"as": resource.getrlimit(resource.RLIMIT_AS)[0]}


def run_script(payload: dict) -> dict:
    """Run a user script; return its outputs' values and its params' grads after backward."""
    from gradviz.core.runtime.script import run_script as run

    result = run(payload["path"])
    total = sum(out.sum() for out in result.outputs)
    total.backward()
    return {
        "outputs": [out.detach().tolist() for out in result.outputs],
        "grads": {
            name: (p.grad.tolist() if p.grad is not None else None)
            for name, p in result.params.items()
        },
    }


def chatty(payload: dict) -> str:
    """Print far more than the worker sends back."""
    print("x" * 100_000)
    return "done"


def pollute(payload: dict) -> str:
    """Change torch's global state the way a script could."""
    import torch

    torch.autograd.set_detect_anomaly(True)
    torch.set_default_dtype(torch.float64)
    torch.set_default_device("meta")
    torch.set_grad_enabled(False)
    return "polluted"


def torch_state(payload: dict) -> dict:
    """torch's global switches as a job sees them."""
    import torch

    return {"anomaly": torch.is_anomaly_enabled(), "grad": torch.is_grad_enabled(),
            "dtype": str(torch.get_default_dtype()), "device": str(torch.empty(1).device)}


def stall_reply(payload: dict) -> str:
    """Write a frame header promising 1000 bytes on every pipe it can, then wait."""
    import struct

    for name in os.listdir("/proc/self/fd"):
        try:
            os.write(int(name), struct.pack("!Q", 1000) + struct.pack("!i", 2**31 - 1) + b"{")
        except OSError:
            pass
    time.sleep(payload.get("seconds", 30))
    return "late"


def engine_spares(payload: dict) -> dict:
    """The child's spare layout engines: whether kept, and the pid waiting per engine."""
    from gradviz.core.layout import engine_spares as spares

    return {"enabled": spares.enabled(),
            "waiting": {f"{path}|{fmt}": pid for (path, fmt), pid in spares.waiting().items()}}
