"""Word in and out: importing Word (.docx; .doc/.wps through LibreOffice) and text
(.txt/.md) policies; exporting official copies, the compiled edition and a revision's
修订对照表 as .docx.

Import: importer.py (``handbook import``) over blocks.py / docx_reader.py (reading),
docx_numbering.py (Word's automatic numbering), structure.py, front.py and writer.py;
report.py writes its conversion report. Export: export.py (``handbook export --docx``)
lays out through docx_out.py. numfmt.py (Word's number formats, both ways) is shared by
both directions. Everything here needs the [word] extra (python-docx) only for
.docx files.
"""
