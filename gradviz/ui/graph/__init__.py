"""The graph scene and its items: nodes, edges, clusters, labels, overlays, the replay's look."""
