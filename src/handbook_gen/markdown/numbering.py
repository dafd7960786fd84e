"""Numbering: the chapters (第N章), sections (第N节) and articles (第N条) of a policy.

A policy has articles when a top-level paragraph starts with ``§`` (``§{label}`` gives the
article a stable label) or with a typed ``第N条``. Then its ``##`` headings are chapters and
its ``###`` headings sections, numbered unless they start with a typed number. Typed numbers
(legacy text pasted from Word) are kept and checked: a gap, a duplicate or a wrong order is
HB220. The typed unit decides what a heading is: ``## 第一节`` is a section, never
"第二章 第一节", with an HB220 warning that it stands at a chapter's level (and ``### 第二章``
a chapter). Articles are numbered continuously through the policy. Files without articles
(a chapter's introduction) number nothing.
"""
from __future__ import annotations

import re

from markdown_it.token import Token

from handbook_gen.core.numerals import NUMERAL_CLASS, from_chinese, to_chinese
from handbook_gen.markdown.context import Mark, ParseContext, text_token

_NUM = f"[{NUMERAL_CLASS}]+"
_ARTICLE_MARK = re.compile(r"^§(?:\{([^\s{}]*)\})?[ \u3000]*")
_HAND_ARTICLE = re.compile(rf"^第({_NUM})条[ \u3000]*")
_HAND_HEADING = re.compile(rf"^第({_NUM})([章节])[ \u3000]*")
_LABEL = re.compile(r"^[^\s#.|\[\]{}]+$")
_NUMBER_LIKE = re.compile(rf"\d+|第{_NUM}条|a\d+")
"""Labels that would read as an article number in a reference (``#5``, ``#第五条``) or
take an article's number anchor (``a5``)."""
_UNIT_AT_LEVEL = {2: "章", 3: "节"}
_KIND = {"章": "chapter", "节": "section"}


def numbering(state) -> None:
    """Core rule: finds the top-level headings and article paragraphs (ctx.outline) and
    numbers them in document order."""
    ctx: ParseContext = state.env["ctx"]
    tokens, outline = state.tokens, ctx.outline
    for i, t in enumerate(tokens):
        if t.level == 0 and t.nesting == 1:
            if t.type == "heading_open":
                text = tokens[i + 1].content.strip()
                outline.append(Mark(t, tokens[i + 1], "plain", text, text))
            elif t.type == "paragraph_open" and ctx.is_policy and _is_article(tokens[i + 1]):
                outline.append(Mark(t, tokens[i + 1], "article"))
    ctx.has_articles = any(m.kind == "article" for m in outline)
    if not ctx.has_articles:
        return
    count = {"章": 0, "节": 0, "条": 0}
    chapter = section = ""
    for m in outline:
        if m.kind == "article":
            _number_article(m, count["条"] + 1, ctx)
            count["条"] = m.number
            m.heading = " ".join(x for x in (chapter, section) if x)
        elif m.token.tag in ("h2", "h3"):
            _number_heading(m, int(m.token.tag[1]), count, ctx)
            if m.kind == "chapter":
                chapter, section = m.display, ""
            else:
                section = m.display


def _is_article(inline: Token) -> bool:
    return bool(_ARTICLE_MARK.match(inline.content) or _HAND_ARTICLE.match(inline.content))


def _number_heading(m: Mark, level: int, count: dict[str, int], ctx: ParseContext) -> None:
    """A chapter or section: its typed number checked, or its number put before its text."""
    typed = _HAND_HEADING.match(m.text)
    unit = typed[2] if typed else _UNIT_AT_LEVEL[level]
    if unit != _UNIT_AT_LEVEL[level]:
        ctx.diags.add("HB220", f"hand-numbered text: 第{typed[1]}{unit} is a {unit} in a "
                      f"{'#' * level} heading, the level of a {_UNIT_AT_LEVEL[level]}",
                      ctx.loc(m.token.map[0]) if m.token.map else None,
                      hint="write ## for a 章 and ### for a 节")
    m.kind = _KIND[unit]
    if unit == "章":
        count["节"] = 0
    count[unit] += 1
    if typed:
        number = from_chinese(typed[1])
        _lint_number(ctx, m.token, number, count[unit], unit)
        count[unit] = number or count[unit]
    else:
        name = f"第{to_chinese(count[unit])}{unit} "
        m.display = name + m.text
        m.inline.children.insert(0, text_token(name))


def _number_article(m: Mark, number: int, ctx: ParseContext) -> None:
    """Remove '§{label} ' / '第N条 ' from the paragraph's first text; set the article's
    label (HB204 for one that is no label) and number (a typed one is checked)."""
    m.number = number
    inline = m.inline
    first = inline.children[0] if inline.children else None
    if first is None or first.type != "text":
        return
    found = _ARTICLE_MARK.match(first.content)
    if found:
        label = found[1]
        if label is not None and (not label or not _LABEL.match(label) or
                                  _NUMBER_LIKE.fullmatch(label)):
            ctx.diags.add("HB204", f"invalid article label '{label}'",
                          ctx.find(inline, "§", id(inline)),
                          hint="use letters, digits and hyphens, e.g. §{scope}")
            label = None
        m.label = label
    else:
        found = _HAND_ARTICLE.match(first.content)
        typed = from_chinese(found[1])
        if typed is not None:
            _lint_number(ctx, m.token, typed, number, "条")
            m.number = typed
    first.content = first.content[found.end():]


def _lint_number(ctx: ParseContext, block: Token, typed: int | None, expected: int,
                 unit: str) -> None:
    if typed is None or typed == expected:
        return
    name = f"第{to_chinese(typed)}{unit}"
    if typed == expected - 1:
        problem = f"duplicate {name}"
    elif typed < expected:
        problem = f"{name} is out of order (expected 第{to_chinese(expected)}{unit})"
    else:
        problem = f"{name} follows 第{to_chinese(expected - 1)}{unit}: numbers in between are missing"
    ctx.diags.add("HB220", f"hand-numbered text: {problem}",
                  ctx.loc(block.map[0]) if block.map else None,
                  hint="use § to let the tool number articles")
