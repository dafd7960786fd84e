"""What a source document becomes before its structure is recognised: a list of Blocks
(one paragraph with the text a reader sees, automatic number included, or one table), each
with its place in the source (paragraph number of a .docx, line of a .txt), and the reading
of plain text (.txt / .md) into blocks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from handbook_gen.core.diagnostics import Diagnostics, Location


@dataclass
class Block:
    no: int
    """1-based paragraph number in a .docx body (every paragraph counts, empty ones too),
    line number in a text file."""
    text: str = ""
    style: str = ""
    """The paragraph style's name (Word), '' for text."""
    heading: int = 0
    """Outline level from the style or a Markdown '#' (1 = top), 0 for body text."""
    auto: str = ""
    """The label Word's automatic numbering put before the text ('' when typed)."""
    centered: bool = False
    rows: list[list[str]] | None = None
    """A table's rows of cell texts (merged cells already split)."""


@dataclass
class Source:
    path: str
    """The source file as given (diagnostics point at it)."""
    blocks: list[Block] = field(default_factory=list)
    title: str = ""
    """The document's own title property, when it has one."""
    diags: Diagnostics = field(default_factory=Diagnostics)

    def at(self, block: Block | int) -> Location:
        return Location(self.path, block if isinstance(block, int) else block.no)


class NotADocx(Exception):
    """The file cannot be read as a Word document (the file is refused)."""


def excerpt(text: str, n: int = 30) -> str:
    """The start of a paragraph, as the report quotes it."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"


_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")


def read_text(path: str, data: bytes) -> Source:
    """A .txt or .md policy: one block per non-empty line (Markdown '#' headings give an
    outline level, a YAML front matter block is skipped). UTF-8, else GB18030 (the OA
    systems' export) with a note."""
    src = Source(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
        src.diags.add("HB515", "the file is not UTF-8; it was read as GB18030", Location(path, 1),
                      hint="check the converted text")
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            start = end + 1
    for i in range(start, len(lines)):
        line = lines[i].strip(" \t\u3000\ufeff")
        if not line:
            continue
        level = 0
        m = _MD_HEADING.match(line) if path.lower().endswith(".md") else None
        if m:
            level, line = len(m[1]), m[2]
        src.blocks.append(Block(i + 1, line, heading=level))
    return src
