"""Assemble: the documents become one Handbook. Grouping and ordering, citation
resolution, cross-document checks, and each policy's lifecycle state on the build date."""
