"""Looking at the graph: the view, camera, find, the player and timeline, modules."""
