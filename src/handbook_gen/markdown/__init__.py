"""Markdown: one source file to a Document. The markdown-it-py parser with the
handbook's rules (articles, chapters, citations, fenced blocks) and the per-file entry
point that the parse cache and the parser processes run."""
