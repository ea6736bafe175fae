"""Lesson files: format, open/save, trusted code (torch-free)."""
