"""Core: what every layer shares. Diagnostics and their report formats, the document
model, Chinese numerals, identifiers, site URLs and SVG primitives. Imports nothing
else from the package."""
