"""Writing .docx: a policy's rendered body (the HTML the site shows, references filled)
laid out as an editable Word document in the style of a 公文 (GB/T 9704-2012).

Articles, 项 and 目 carry real Word numbering (``第%1条`` on chineseCountingThousand,
``（%1）`` on chineseCounting, ``%1.`` decimal), so the file stays editable in Word and WPS:
inserting a paragraph renumbers what follows. An inserted article (第九条之一) has no
number of its own in Word's scheme and is written as literal text, which leaves the
numbering of the next article (第十条) as the source has it.

Every style the writer uses has a name (``条文``, ``章标题``, ``发文机关标志`` …). A
handbook overrides the look by putting ``reference.docx`` in its ``templates/`` folder:
the document starts from that file (its page setup, fonts and styles), and a style it
defines under one of these names is used as it is.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋", "黑体", "楷体", "方正小标宋简体", "宋体"
"""Font names as GB/T 9704 asks for them (body 仿宋, headings 黑体/楷体, titles 小标宋);
Word and WPS substitute an installed font when one is missing."""
BODY_PT = 16
"""三号."""

# Elements whose content is not part of the document (the site's own furniture).
_SKIP_CLASSES = {"cited-by", "anchor", "item-no", "footnote-backref", "flow-chart",
                 "footnotes-sep", "admonition-title-icon"}
_SKIP_TAGS = {"svg", "script", "style", "nav"}


@dataclass
class _Node:
    tag: str
    attrs: dict
    children: list

    def cls(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Tree(HTMLParser):
    """The body HTML as a small tree of _Node and str (our own, well-formed output)."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {}, [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, dict(attrs), [])
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(html: str) -> _Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


# --- numbering -------------------------------------------------------------------------

def _lvl(ilvl: int, fmt: str, text: str, indent_chars: int = 200, font: str | None = None,
         restart: int | None = None) -> str:
    rpr = (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/></w:rPr>'
           if font else "")
    restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'{restart_xml}<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLineChars="{indent_chars}"'
            f' w:firstLine="{indent_chars * BODY_PT // 10}"/></w:pPr>{rpr}</w:lvl>')


ARTICLES, ITEMS, BULLETS = "articles", "items", "bullets"
_ABSTRACT = {
    # 第%1条 then a full-width space, the number in 黑体 as 制度 print it
    ARTICLES: [_lvl(0, "chineseCountingThousand", "第%1条\u3000", font=HEITI)],
    # 项 （一）, 目 1., and (1) below them
    ITEMS: [_lvl(0, "chineseCounting", "（%1）"), _lvl(1, "decimal", "%1."),
            _lvl(2, "decimal", "（%3）")],
    BULLETS: [_lvl(0, "bullet", "·")],
}


class Numbering:
    """The document's numbering part: one abstract numbering per kind, and a fresh
    ``w:num`` (restarting at 1) for each list or, in the compiled edition, each policy."""

    def __init__(self, document):
        self.part = document.part.numbering_part.element
        used_abstract = [int(a.get(qn("w:abstractNumId")))
                         for a in self.part.findall(qn("w:abstractNum"))]
        used_num = [int(n.get(qn("w:numId"))) for n in self.part.findall(qn("w:num"))]
        self.next_num = max(used_num, default=0) + 1
        self.abstract: dict[str, int] = {}
        first = max(used_abstract, default=-1) + 1
        first_num = self.part.find(qn("w:num"))
        for i, (kind, levels) in enumerate(_ABSTRACT.items()):
            aid = first + i
            self.abstract[kind] = aid
            xml = (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
                   f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>')
            element = parse_xml(xml)
            # every abstractNum precedes every num (the schema's order)
            if first_num is not None:
                first_num.addprevious(element)
            else:
                self.part.append(element)

    def new(self, kind: str) -> int:
        """A new list of `kind` whose first level starts again at 1."""
        nid = self.next_num
        self.next_num += 1
        self.part.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{self.abstract[kind]}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        return nid


def _number(paragraph, num_id: int, ilvl: int = 0) -> None:
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = ilvl
    numpr.get_or_add_numId().val = num_id


# --- styles -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Style:
    name: str
    font: str
    size: float
    align: str = "justify"
    first_line_chars: int = 0
    bold: bool = False
    color: str | None = None
    outline: int | None = None
    """Outline level (0 = top): shows in Word's navigation pane and TOC."""
    keep_next: bool = False
    space_before: float = 0
    space_after: float = 0


STYLES = {s.name: s for s in (
    _Style("正文", FANGSONG, BODY_PT, first_line_chars=200),
    _Style("条文", FANGSONG, BODY_PT, first_line_chars=200),
    _Style("款", FANGSONG, BODY_PT, first_line_chars=200),
    _Style("项", FANGSONG, BODY_PT, first_line_chars=200),
    _Style("编标题", HEITI, BODY_PT, "center", outline=0, keep_next=True, space_before=8),
    _Style("章标题", HEITI, BODY_PT, "center", outline=0, keep_next=True, space_before=8,
           space_after=4),
    _Style("节标题", KAITI, BODY_PT, "center", bold=True, outline=1, keep_next=True),
    _Style("小标题", HEITI, BODY_PT, "left", first_line_chars=200, outline=2, keep_next=True),
    _Style("发文机关标志", XIAOBIAOSONG, 30, "center", color="FF0000", space_before=12),
    _Style("发文字号", FANGSONG, BODY_PT, "center", space_before=12),
    _Style("公文标题", XIAOBIAOSONG, 22, "center", space_before=12, space_after=12),
    _Style("主送机关", FANGSONG, BODY_PT, "left"),
    _Style("汇编篇标题", HEITI, 22, "center", outline=0, keep_next=True, space_after=12),
    _Style("汇编制度标题", XIAOBIAOSONG, 22, "center", outline=1, keep_next=True,
           space_after=12),
    _Style("表格文字", FANGSONG, 12, "left"),
    _Style("图表题", HEITI, 14, "center", keep_next=True),
    _Style("注释", FANGSONG, 14, "left", first_line_chars=200),
    _Style("页码", SONGTI, 14, "center"),
)}
# Children of w:pPr and w:settings that must follow the element inserted (schema order).
_AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                 "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                 "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                 "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                 "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                 *_AFTER_OUTLINE)
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
                        "w:docVars", "w:rsids", "w:attachedSchema", "w:themeFontLang",
                        "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                        "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                        "w:readModeInkLockDown", "w:smartTagType", "w:shapeDefaults",
                        "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
_ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
          "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _fonts(rpr_owner, font: str) -> None:
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), font)


def ensure_styles(document) -> None:
    """Add every named style the reference document does not define."""
    have = {s.name for s in document.styles}
    for spec in STYLES.values():
        if spec.name in have:
            continue
        style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = None
        style.quick_style = True
        font = style.font
        font.size = Pt(spec.size)
        font.bold = spec.bold
        if spec.color:
            font.color.rgb = RGBColor.from_string(spec.color)
        _fonts(style.element, spec.font)
        fmt = style.paragraph_format
        fmt.alignment = _ALIGN[spec.align]
        fmt.line_spacing = Pt(28)
        fmt.space_before, fmt.space_after = Pt(spec.space_before), Pt(spec.space_after)
        fmt.keep_with_next = spec.keep_next
        ppr = style.element.get_or_add_pPr()
        if spec.first_line_chars:
            ind = ppr.get_or_add_ind()
            ind.set(qn("w:firstLineChars"), str(spec.first_line_chars))
            ind.set(qn("w:firstLine"), str(spec.first_line_chars * BODY_PT // 10 * 2))
        if spec.outline is not None:
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(spec.outline))
            ppr.insert_element_before(level, *_AFTER_OUTLINE)


# --- page setup and page numbers --------------------------------------------------------

def _page_number_paragraph(footer, align) -> None:
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = align
    p.add_run("— ")
    run = p.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    p.add_run(" —")
    for r in p.runs:
        r.font.size = Pt(14)
        _fonts(r._r, SONGTI)


def page_setup(document, fresh: bool) -> None:
    """A4 with GB/T 9704's margins (unless a reference document set its own), and page
    numbers "— 1 —" in the footer: odd pages right, even pages left."""
    section = document.sections[0]
    if fresh:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_paragraph(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


# --- the body ---------------------------------------------------------------------------

class BodyWriter:
    """Appends one policy body (parsed HTML) to the document."""

    def __init__(self, document, numbering: Numbering, heading_shift: int = 0):
        self.doc, self.numbering, self.shift = document, numbering, heading_shift
        self.articles_num = numbering.new(ARTICLES)

    def paragraph(self, style: str):
        return self.doc.add_paragraph(style=self.doc.styles[style])

    def write(self, root: _Node) -> None:
        for child in root.children:
            self.block(child)

    def block(self, node) -> None:
        if isinstance(node, str):
            if node.strip():
                self.inline(self.paragraph("正文"), [node])
            return
        if node.tag in _SKIP_TAGS or node.cls() & _SKIP_CLASSES:
            return
        tag = node.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(node)
        elif tag == "div" and "article" in node.cls():
            self.article(node)
        elif tag == "p":
            self.inline(self.paragraph("正文"), node.children)
        elif tag in ("ol", "ul"):
            self.items(node, 0)
        elif tag == "table":
            self.table(node)
        elif tag == "figure":
            for child in node.children:
                if isinstance(child, _Node) and child.tag == "figcaption":
                    self.inline(self.paragraph("图表题"), child.children)
                else:
                    self.block(child)
        elif tag == "dl":
            self.definitions(node)
        elif tag == "section" and "footnotes" in node.cls():
            self.footnotes(node)
        elif tag == "hr":
            return
        else:  # div, section, blockquote, admonitions: their blocks in order
            for child in node.children:
                self.block(child)

    def heading(self, node: _Node) -> None:
        text = node.text().strip()
        level = int(node.tag[1]) + self.shift
        if text.startswith("第") and "编" in text[:8]:
            style = "编标题"
        elif level <= 2:
            style = "章标题"
        elif level == 3:
            style = "节标题"
        else:
            style = "小标题"
        self.paragraph(style).add_run(text)

    def article(self, node: _Node) -> None:
        first = True
        for child in node.children:
            if isinstance(child, _Node) and child.tag == "p" and "article-no" in {
                    c.attrs.get("class") for c in child.children if isinstance(c, _Node)}:
                number = next(c for c in child.children
                              if isinstance(c, _Node) and c.attrs.get("class") == "article-no")
                rest = [c for c in child.children if c is not number]
                paragraph = self.paragraph("条文")
                label = number.text()
                if "之" in label:  # 第九条之一: literal, Word's numbering cannot say it
                    run = paragraph.add_run(label + "\u3000")
                    _fonts(run._r, HEITI)
                else:
                    _number(paragraph, self.articles_num)
                self.inline(paragraph, rest)
                first = False
            elif isinstance(child, _Node) and child.tag == "p" and first is False:
                self.inline(self.paragraph("款"), child.children)
            else:
                self.block(child)

    def items(self, node: _Node, level: int) -> None:
        ordered = node.tag == "ol" and "footnotes-list" not in node.cls()
        num = self.numbering.new(ITEMS if ordered else BULLETS)
        for li in node.children:
            if not isinstance(li, _Node) or li.tag != "li":
                continue
            inline, nested = [], []
            for c in li.children:
                (nested if isinstance(c, _Node) and c.tag in ("ol", "ul", "table", "div")
                 else inline).append(c)
            # a loose list item holds paragraphs: take their inlines
            flat = []
            for c in inline:
                flat.extend(c.children if isinstance(c, _Node) and c.tag == "p" else [c])
            paragraph = self.paragraph("项")
            _number(paragraph, num, level if ordered else 0)
            self.inline(paragraph, flat)
            for n in nested:
                if n.tag in ("ol", "ul"):
                    self.items(n, min(level + 1, 2))
                else:
                    self.block(n)

    def definitions(self, node: _Node) -> None:
        term = None
        for c in node.children:
            if not isinstance(c, _Node):
                continue
            if c.tag == "dt":
                term = c
            elif c.tag == "dd":
                paragraph = self.paragraph("正文")
                if term is not None:
                    run = paragraph.add_run(term.text().strip() + "：")
                    _fonts(run._r, HEITI)
                self.inline(paragraph, c.children)

    def footnotes(self, node: _Node) -> None:
        for i, li in enumerate(_find_all(node, "li"), 1):
            paragraph = self.paragraph("注释")
            paragraph.add_run(f"注{i}：")
            for c in li.children:
                self.inline(paragraph, c.children if isinstance(c, _Node) and c.tag == "p"
                            else [c])

    def table(self, node: _Node) -> None:
        rows = _find_all(node, "tr")
        if not rows:
            return
        width = max(len([c for c in r.children if isinstance(c, _Node)
                         and c.tag in ("td", "th")]) for r in rows)
        table = self.doc.add_table(rows=0, cols=width)
        if "Table Grid" in {s.name for s in self.doc.styles}:
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r in rows:
            cells = [c for c in r.children if isinstance(c, _Node) and c.tag in ("td", "th")]
            row = table.add_row()
            header = all(c.tag == "th" for c in cells)
            if header:  # repeat the header row on every page
                trpr = row._tr.get_or_add_trPr()
                trpr.append(OxmlElement("w:tblHeader"))
            for cell, source in zip(row.cells, cells):
                paragraph = cell.paragraphs[0]
                paragraph.style = self.doc.styles["表格文字"]
                self.inline(paragraph, source.children, bold=header)
        self.doc.add_paragraph(style=self.doc.styles["正文"])

    def inline(self, paragraph, nodes, bold: bool = False, italic: bool = False,
               sup: bool = False) -> None:
        for node in nodes:
            if isinstance(node, str):
                text = node.replace("\n", "")
                if text:
                    run = paragraph.add_run(text)
                    run.bold = bold or None
                    run.italic = italic or None
                    if sup:
                        run.font.superscript = True
                continue
            if node.tag in _SKIP_TAGS or node.cls() & _SKIP_CLASSES:
                continue
            if node.tag == "br":
                paragraph.add_run().add_break(WD_BREAK.LINE)
            elif node.tag in ("strong", "b"):
                self.inline(paragraph, node.children, True, italic, sup)
            elif node.tag in ("em", "i"):
                self.inline(paragraph, node.children, bold, True, sup)
            elif node.tag == "sup":
                self.inline(paragraph, node.children, bold, italic, True)
            elif node.tag in ("del", "ins"):  # a redline: struck through / underlined
                start = len(paragraph.runs)
                self.inline(paragraph, node.children, bold, italic, sup)
                for run in paragraph.runs[start:]:
                    if node.tag == "del":
                        run.font.strike = True
                        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
                    else:
                        run.font.underline = True
                        run.font.bold = True
            else:  # a, span, code, mark, time …: their text
                self.inline(paragraph, node.children, bold, italic, sup)


def _find_all(node: _Node, tag: str) -> list[_Node]:
    found = []
    for c in node.children:
        if isinstance(c, _Node):
            if c.tag == tag:
                found.append(c)
            else:
                found.extend(_find_all(c, tag))
    return found


# --- documents --------------------------------------------------------------------------

@dataclass(frozen=True)
class Masthead:
    """The 公文 first page: 发文机关标志, 发文字号, title, 主送机关 (each optional but the title)."""

    title: str
    issuer: str | None = None
    doc_no: str | None = None
    recipients: str | None = None


def start(reference: Path | None):
    """A new document: the reference document emptied, or python-docx's default."""
    if reference is not None and reference.is_file():
        document = new_docx(str(reference))
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        fresh = False
    else:
        document = new_docx()
        fresh = True
    ensure_styles(document)
    page_setup(document, fresh)
    core = document.core_properties
    core.author = core.last_modified_by = "handbook-gen"
    core.created = core.modified = _dt.datetime(2000, 1, 1)
    core.revision = 1
    return document


def masthead(document, head: Masthead) -> None:
    if head.issuer:
        document.add_paragraph(head.issuer, style=document.styles["发文机关标志"])
    if head.doc_no:
        document.add_paragraph(head.doc_no, style=document.styles["发文字号"])
    if head.issuer or head.doc_no:
        # the red separator line under the 版头
        p = document.add_paragraph(style=document.styles["正文"])
        p._p.get_or_add_pPr().insert_element_before(
            parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="12"'
                      ' w:space="1" w:color="FF0000"/></w:pBdr>'), *_AFTER_BORDER)
    document.add_paragraph(head.title, style=document.styles["公文标题"])
    if head.recipients:
        document.add_paragraph(head.recipients.rstrip("：:") + "：",
                               style=document.styles["主送机关"])


def landscape(document) -> None:
    """Turn the page: A4 landscape, for tables of three wide columns."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    if section.page_width < section.page_height:
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)


def comparison_table(document, numbering: Numbering, header: tuple[str, ...],
                     rows: list[tuple[str, ...]], widths: tuple[float, ...]) -> None:
    """A table whose cells are HTML fragments (a 修订对照表's redlined articles), the
    header row repeated on every page; `widths`: each column's share of the line."""
    html = ["<table><thead><tr>", *(f"<th>{h}</th>" for h in header), "</tr></thead><tbody>"]
    for row in rows:
        html += ["<tr>", *(f"<td>{cell}</td>" for cell in row), "</tr>"]
    html.append("</tbody></table>")
    BodyWriter(document, numbering).write(parse_html("".join(html)))
    table = document.tables[-1]
    section = document.sections[-1]
    line = section.page_width - section.left_margin - section.right_margin
    table.autofit = False
    for column, share in zip(table.columns, widths):
        for cell in column.cells:
            cell.width = int(line * share)


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def toc_field(document) -> None:
    """A Word table of contents of the outline levels 1–2, filled when the file opens."""
    p = document.add_paragraph(style=document.styles["正文"])
    run = p.add_run()
    for kind, instr in (("begin", None), (None, 'TOC \\o "1-2" \\h \\z \\u'),
                        ("separate", None), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instr
            run._r.append(element)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.insert_element_before(update, *_AFTER_UPDATE_FIELDS)


def deterministic_save(document, path: Path) -> None:
    """Save with fixed zip timestamps, so the same input gives the same bytes."""
    import io
    import zipfile
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml",
                                                          i.filename)):
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(out.getvalue())
    tmp.replace(path)
