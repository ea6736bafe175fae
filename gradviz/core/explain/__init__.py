"""Explanations of backward steps: structure, rules per op family, text."""
