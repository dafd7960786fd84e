"""A .docx (python-docx opens the package; the body is read from its XML) into Blocks:
each paragraph's text as a reader sees it, with the label of Word's automatic numbering
(docx_numbering.py) put back in front, its style and outline level; tables with merged
cells split; and a note for everything that does not come across: images, text boxes,
footnotes, comments, tracked changes (insertions are accepted, deletions dropped).
"""
from __future__ import annotations

import io

from lxml import etree

from handbook_gen.core.diagnostics import Location
from handbook_gen.word.blocks import Block, NotADocx, Source, excerpt
from handbook_gen.word.docx_numbering import W, Numbering

_SKIP = {W + "del", W + "moveFrom"}
_IMAGES = {W + "drawing", W + "pict", W + "object"}
_NOTES_REF = {W + "footnoteReference": "footnote", W + "endnoteReference": "endnote"}


def read_docx(path: str, data: bytes) -> Source:
    import docx  # the [word] extra; cli checks it is installed
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise NotADocx(str(exc) or type(exc).__name__) from None
    part = document.part
    numbering_el = None
    try:
        numbering_el = part.numbering_part.element
    except (NotImplementedError, KeyError):
        pass
    numbering = Numbering(numbering_el, part.styles.element if _has_styles(part) else None)
    src = Source(path, title=(document.core_properties.title or "").strip())
    comments = _comments(part)
    reader = _Reader(src, numbering, comments)
    for child in part.element.body:
        reader.block(child)
    for fmt in sorted(numbering.unsupported):
        src.diags.add("HB513", "numbering format '{fmt}' is not supported; its numbers were "
                      "read as decimal", Location(path), fmt=fmt)
    return src


def _has_styles(part) -> bool:
    try:
        part.styles  # noqa: B018 - raises when the package has no styles part
        return True
    except (KeyError, NotImplementedError):
        return False


def _comments(part) -> dict[str, str]:
    for rel in part.rels.values():
        if rel.reltype.endswith("/comments") and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            return {c.get(W + "id"): "".join(t.text or "" for t in c.iter(W + "t"))
                    for c in root.iter(W + "comment")}
    return {}


class _Reader:
    def __init__(self, src: Source, numbering: Numbering, comments: dict[str, str]):
        self.src, self.numbering, self.comments = src, numbering, comments
        self.no = 0
        self.tables = 0

    def block(self, el) -> None:
        if el.tag == W + "p":
            self.paragraph(el)
        elif el.tag == W + "tbl":
            self.table(el)
        elif el.tag == W + "sdt":  # a content control: its content is ordinary body
            content = el.find(W + "sdtContent")
            for child in content if content is not None else ():
                self.block(child)

    def paragraph(self, p) -> None:
        self.no += 1
        ppr = p.find(W + "pPr")
        style = ppr.find(W + "pStyle").get(W + "val") \
            if ppr is not None and ppr.find(W + "pStyle") is not None else None
        text, changes = self.text(p)
        block = Block(self.no, text.strip(" \t\u3000"), self.numbering.style_name.get(style or "", ""))
        block.heading = _heading_level(ppr, style, self.numbering)
        jc = ppr.find(W + "jc") if ppr is not None else None
        block.centered = jc is not None and jc.get(W + "val") == "center"
        numpr = self.numbering.paragraph_numpr(ppr, style)
        if numpr and block.text:
            found = self.numbering.label(*numpr)
            if found and found[0]:
                block.auto = found[0]
                block.text = found[0] + ("" if found[1].suffix == "nothing" else " ") + block.text
        at = self.src.at(block)
        if changes[0] or changes[1]:
            self.src.diags.add("HB508", "tracked changes in '{excerpt}': {ins} insertion(s) "
                               "accepted, {dels} deletion(s) dropped", at,
                               hint="compare with the source", excerpt=excerpt(block.text),
                               ins=changes[0], dels=changes[1])
        self.src.blocks.append(block)

    def text(self, p) -> tuple[str, tuple[int, int]]:
        out: list[str] = []
        ins = dels = 0
        at = Location(self.src.path, self.no)
        for el in p.iter():
            tag = el.tag
            if tag == W + "ins" or tag == W + "moveTo":
                ins += 1
                continue
            if tag in _SKIP:
                dels += 1
                continue
            if tag not in (W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen") and \
                    tag not in _IMAGES and tag not in _NOTES_REF and tag != W + "commentReference":
                continue
            if any(a.tag in _SKIP or a.tag in _IMAGES for a in el.iterancestors()):
                continue
            if tag == W + "t":
                out.append(el.text or "")
            elif tag in (W + "tab", W + "br", W + "cr"):
                out.append(" ")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag in _IMAGES:
                boxed = "".join(t.text or "" for t in el.iter(W + "t"))
                if boxed:
                    self.src.diags.add("HB512", "a text box was dropped: '{excerpt}'", at,
                                       hint="copy its text into the policy if it matters",
                                       excerpt=excerpt(boxed))
                else:
                    self.src.diags.add("HB507", "an image was dropped (after '{excerpt}')", at,
                                       hint="describe it in words or as a table",
                                       excerpt=excerpt("".join(out)) or "…")
            elif tag in _NOTES_REF:
                self.src.diags.add("HB512", "a {kind!t} was dropped (after '{excerpt}')", at,
                                   hint="write it as a Markdown footnote [^1]",
                                   kind=_NOTES_REF[tag], excerpt=excerpt("".join(out)) or "…")
            else:
                self.src.diags.add("HB509", "comment dropped: '{comment}'", at,
                                   comment=excerpt(self.comments.get(el.get(W + "id"), ""), 60))
        return "".join(out), (ins, dels)

    def table(self, tbl) -> None:
        self.no += 1
        self.tables += 1
        rows: list[list[str]] = []
        merged = nested = False
        for tr in tbl.findall(W + "tr"):
            row: list[str] = []
            for tc in tr.findall(W + "tc"):
                tcpr = tc.find(W + "tcPr")
                span = int(tcpr.find(W + "gridSpan").get(W + "val", "1")) \
                    if tcpr is not None and tcpr.find(W + "gridSpan") is not None else 1
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                continued = vmerge is not None and vmerge.get(W + "val") in (None, "continue")
                nested |= tc.find(".//" + W + "tbl") is not None
                texts = [self.text(p)[0].strip() for p in tc.iter(W + "p")]
                row.append("" if continued else " ".join(t for t in texts if t))
                row.extend([""] * (span - 1))
                merged |= span > 1 or vmerge is not None
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        at = Location(self.src.path, self.no)
        if merged:
            self.src.diags.add("HB506", "table {table}: merged cells were split into a simple "
                               "table (the text stays in the first cell)", at,
                               hint="check the table", table=self.tables)
        if nested:
            self.src.diags.add("HB506", "table {table}: a table inside a cell was flattened "
                               "into its text", at, table=self.tables)
        if rows and width:
            self.src.blocks.append(Block(self.no, rows=rows))


def _heading_level(ppr, style: str | None, numbering: Numbering) -> int:
    """1-based outline level of a heading paragraph (its own outlineLvl, its style's, or a
    style named Heading N / 标题 N), 0 for body text; Title / 标题 styles count as 1."""
    own = ppr.find(W + "outlineLvl") if ppr is not None else None
    if own is not None and own.get(W + "val", "9").isdigit() and int(own.get(W + "val")) < 9:
        return int(own.get(W + "val")) + 1
    if style in numbering.style_outline and numbering.style_outline[style] < 9:
        return numbering.style_outline[style] + 1
    name = numbering.style_name.get(style or "", "").lower().replace(" ", "")
    for prefix in ("heading", "标题"):
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            return int(name[len(prefix):])
    return 1 if name in ("title", "标题") else 0
