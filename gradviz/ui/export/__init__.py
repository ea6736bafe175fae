"""Exports: images, GIFs, the HTML page, captions, the File menu's export actions."""
