"""Graphviz: find and run an engine, lay a Snapshot out, read the result."""
