"""The autograd graph as the student sees it: capture, names, origins, modules, the trace."""
