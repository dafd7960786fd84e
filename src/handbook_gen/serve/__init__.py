"""Serve: the live site for editors. It keeps the last state, re-runs the pipeline's
stages for each change set, serves pages from memory with live reload, and watches
the source tree."""
