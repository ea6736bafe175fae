"""The main window, its menus, builds, lessons, help and presentation mode."""
