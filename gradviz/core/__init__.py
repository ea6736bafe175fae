"""Core engine: torch and plain Python only, never Qt."""
