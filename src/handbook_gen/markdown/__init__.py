"""Markdown: one source file to a Document. The markdown-it-py parser with the handbook's
rules as named core rules (parser.py lists them), fenced blocks registered by name
(fences/), and the placeholders the later stages fill (placeholders.py)."""
