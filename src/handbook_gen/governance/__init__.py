"""Governance: the document-control features on top of the rendered site. Process
flows, the org chart and responsibility matrix, git history, the catalogue and the
compiled edition, and the pages that show them."""
