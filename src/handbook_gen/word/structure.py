"""The structure of an imported policy, recognised from its blocks' text (numbers typed or
put back from Word's automatic numbering): the title block (title, 题注, 发文字号), 编 /
分编 / 章 / 节 headings, 第N条 articles (第N条之一 too) and their 款, （一） 项, 1. 目 and
（1） items, tables, an outline-style document's 一、 / （一） headings, and what is left out
(a table of contents, the signature and date after the last article).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from handbook_gen.core.numerals import article_number
from handbook_gen.word.blocks import Block, Source
from handbook_gen.word.numfmt import read_number

N = "[〇○零一二三四五六七八九十百千两0-9０-９]+"
SPACE = "[ \t\u3000\u00a0]"
_UNIT = re.compile(rf"^第({N})(分编|编|章|节|分編|編|節){SPACE}*(.*)$")
_ARTICLE = re.compile(rf"^第({N})[条條](?:之({N})(?!般))?(?![的规規所中款项項])"
                      rf"(?:{SPACE}*[：:]?)(.*)$", re.S)
_SIMPLIFIED_UNIT = {"分編": "分编", "編": "编", "節": "节"}
"""A Traditional-Chinese document's units (第一條 and 第一章 are read alike)."""
_ITEMS = (  # depth of an item by how it is numbered: （一） 项, 1. 目, （1） then ①
    (1, re.compile(rf"^[（(]([一二三四五六七八九十]+)[）)]{SPACE}*(.*)$", re.S)),
    (2, re.compile(rf"^(\d+|[０-９]+)(?:[.．](?!\d)|、){SPACE}*(.*)$", re.S)),
    (3, re.compile(rf"^[（(](\d+|[０-９]+)[）)]{SPACE}*(.*)$", re.S)),
    (4, re.compile(rf"^([①-⑳]){SPACE}*(.*)$", re.S)),
)
_OUTLINE = re.compile(rf"^([一二三四五六七八九十]+)、{SPACE}*(.*)$", re.S)
_TOC_LINE = re.compile(r"(?:[.…·．]{3,}|\t|\s{2,})\s*\d+\s*$")
_TOC_TITLE = re.compile(rf"^目{SPACE}*录$")
_DATE_LINE = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年.{1,3}月.{1,3}日$")
_SENTENCE_END = re.compile(r"[。；;！？]$")
_CJK_SPACED = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")

KINDS = {"编": "part", "分编": "subpart", "章": "chapter", "节": "section"}


@dataclass
class Node:
    kind: str
    """heading | article | para | item | table | outline"""
    block: Block
    text: str = ""
    unit: str = ""
    """The heading's unit (编 / 分编 / 章 / 节); the outline heading's depth as '1' / '2'."""
    number: int = 0
    typed: str = ""
    """The number as the source shows it (第三条, （二）)."""
    depth: int = 0


@dataclass
class Structure:
    nodes: list[Node] = field(default_factory=list)
    front: list[Block] = field(default_factory=list)
    """Blocks before the first heading or article: the title block and any preamble."""
    dropped: list[tuple[Block, str]] = field(default_factory=list)
    has_articles: bool = False


def heading_title(text: str) -> str:
    """'总  则' -> '总则': spacing between two characters is layout, not text."""
    return _CJK_SPACED.sub("", text.strip()) if len(text.strip()) <= 12 else text.strip()


def _unit(block: Block):
    """A 编 / 分编 / 章 / 节 heading: the unit and a short title without sentence
    punctuation (第三章规定的…。 is a sentence)."""
    m = _UNIT.match(block.text)
    if not m or read_number(m[1]) is None:
        return None
    rest = m[3].strip()
    if len(rest) > 30 or re.search(r"[，。；;！？,]", rest):
        return None
    return m


def _article(block: Block):
    m = _ARTICLE.match(block.text)
    if not m or read_number(m[1]) is None or (m[2] and read_number(m[2]) is None):
        return None
    return m


def item_of(text: str):
    """(depth, number, typed label, rest) of an item-numbered paragraph, or None."""
    for depth, pattern in _ITEMS:
        m = pattern.match(text)
        if m:
            number = read_number(m[1])
            if number:
                return depth, number, text[:len(text) - len(m[2])].strip(), m[2]
    return None


def recognise(src: Source) -> Structure:
    out = Structure()
    blocks = _join_bare_numbers([b for b in src.blocks if b.rows is not None or b.text])
    out.has_articles = any(b.rows is None and _article(b) for b in blocks)
    started = False
    in_article = False
    toc = False
    for b in blocks:
        if b.rows is not None:
            if not started:
                out.front.append(b)
            else:
                out.nodes.append(Node("table", b))
            continue
        text = b.text
        is_toc_style = b.style.lower().startswith(("toc", "目录"))
        if _TOC_TITLE.match(text) or is_toc_style or (toc and _TOC_LINE.search(text)) or \
                (_TOC_LINE.search(text) and (_unit(b) or _article(b))):
            toc = True
            out.dropped.append((b, "toc"))
            continue
        toc = False
        unit = _unit(b)
        art = _article(b) if out.has_articles else None
        if unit:
            started, in_article = True, False
            out.nodes.append(Node("heading", b, heading_title(unit[3]),
                                  _SIMPLIFIED_UNIT.get(unit[2], unit[2]),
                                  read_number(unit[1]), text[:len(text) - len(unit[3])].strip()))
            continue
        if art:
            started, in_article = True, True
            number = article_number(read_number(art[1]), read_number(art[2]) if art[2] else 0)
            out.nodes.append(Node("article", b, art[3].strip(), number=number,
                                  typed=text[:len(text) - len(art[3])].strip()))
            continue
        if not started:
            if out.has_articles or not (_OUTLINE.match(text) and len(out.front) > 0):
                out.front.append(b)
                continue
            started = True
        if not out.has_articles:
            out.nodes.append(_outline_node(b))
            continue
        item = item_of(text) if in_article else None
        if item:
            out.nodes.append(Node("item", b, item[3], number=item[1], typed=item[2],
                                  depth=item[0]))
        elif b.heading and not in_article and len(text) <= 30:
            out.nodes.append(Node("heading", b, heading_title(text), "", 0, ""))
        else:
            out.nodes.append(Node("para", b, text))
    _drop_signature(out)
    return out


def _join_bare_numbers(blocks: list[Block]) -> list[Block]:
    """An article number alone in its paragraph (第五条 / then its text) takes the text of
    the paragraph after it, which is its first 款, not its second."""
    out: list[Block] = []
    skip = False
    for i, b in enumerate(blocks):
        if skip:
            skip = False
            continue
        art = _article(b) if b.rows is None else None
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if art and not art[3].strip() and nxt is not None and nxt.rows is None and \
                not (_article(nxt) or _unit(nxt) or item_of(nxt.text)):
            b.text = f"{b.text.strip()} {nxt.text}"
            skip = True
        out.append(b)
    return out


def _outline_node(b: Block) -> Node:
    """A block of a document without articles: a short 一、 / （一） line is a heading of
    depth 1 / 2, a heading-styled short line one of its outline level, else a paragraph."""
    short = len(b.text) <= 30 and not _SENTENCE_END.search(b.text)
    if short and _OUTLINE.match(b.text):
        return Node("outline", b, b.text, depth=1)
    item = item_of(b.text)
    if short and item and item[0] == 1:
        return Node("outline", b, b.text, depth=2)
    if short and b.heading:
        return Node("outline", b, b.text, depth=min(b.heading, 3))
    return Node("para", b, b.text)


def _drop_signature(out: Structure) -> None:
    """The issuer's name and the date after the last article are the signature block,
    not a 款 of the last article."""
    if not out.has_articles:
        return
    while len(out.nodes) > 1 and out.nodes[-1].kind == "para":
        text = out.nodes[-1].text
        if _DATE_LINE.match(text) or (len(text) <= 20 and not _SENTENCE_END.search(text)
                                      and out.nodes[-2].kind in ("article", "para")
                                      and _is_signature_name(text)):
            out.dropped.append((out.nodes.pop().block, "signature"))
        else:
            break


def _is_signature_name(text: str) -> bool:
    return text.endswith(("公司", "办公室", "委员会", "部", "中心", "集团", "办事处", "（盖章）"))

