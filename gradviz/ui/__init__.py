"""The Qt side of gradviz: draws Snapshots, never calls torch's autograd."""

from .base import qt_compat as _qt_compat  # noqa: F401  (must run before any other Qt use)
