"""Typed functions: parsed, checked and evaluated without eval; variables and names."""
