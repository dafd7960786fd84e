"""Source: reading the source tree safely (one bounded reader for build, check and
serve), safe YAML, front matter and the department registry (``_handbook.yaml``)."""
