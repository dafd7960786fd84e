"""Build: the pipeline that runs every stage (read, parse, assemble, check, render,
index), the parse cache, parser processes and the atomic output directory."""
