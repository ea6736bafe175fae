"""Running builds: the request, the pipeline, the worker process, deadlines, files."""
