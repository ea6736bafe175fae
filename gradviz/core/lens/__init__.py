"""The debugging lens: diagnostics, gradient flow, saved memory, higher order."""
