"""Word in and out: importing .docx/.txt policies, exporting official copies as .docx.

Import: importer.py (``handbook import``) over blocks.py / docx_reader.py (reading),
docx_numbering.py (Word's automatic numbering), structure.py, front.py and writer.py;
report.py writes its conversion report. numfmt.py (Word's number formats, both ways) is
shared by both directions. Everything here needs the [word] extra (python-docx) only for
.docx files.
"""
