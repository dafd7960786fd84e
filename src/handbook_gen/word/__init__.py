"""Word in and out: importing .docx/.txt policies, exporting official copies as .docx."""
