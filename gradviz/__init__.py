"""gradviz: see PyTorch autograd, the grad_fn graph and the backward pass step by step."""

__version__ = "0.1.0"
