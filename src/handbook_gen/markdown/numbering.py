"""Numbering: the parts (第N编), sub-parts (第N分编), chapters (第N章), sections (第N节) and
articles (第N条, 第N条之一) of a policy.

A policy has articles when a top-level paragraph starts with ``§`` (``§{label}`` gives the
article a stable label; ``§+`` makes it an article inserted after the one before it,
第N条之一) or with a typed ``第N条`` / ``第N条之一``. Then its headings are numbered by
level: ``##`` chapters and ``###`` sections, or, when the policy types 第N编 (第N分编)
somewhere, ``##`` parts, then sub-parts, chapters and sections one level down each.

A heading that carries its number is kept as typed and never numbered twice: a legal
unit (第一编, 第二分编, 第三章, 第四节, also 第一篇 / 第一部分) or an outline number (一、,
（一）, 1., 1、, （1）). A typed unit decides what the heading is: ``## 第一节`` is a section,
never "第二章 第一节", with an HB220 warning that it stands at a chapter's level (a typed
unit right below the heading of its enclosing unit is in place too: a 章 in a 编 that has no
分编). Other typed numbers count at their level. Typed numbers are checked: a gap, a duplicate or a
wrong order is HB220. Articles are numbered continuously through the policy; a chapter
restarts its sections, a part its sub-parts, chapters and sections (a sub-part does not
restart the chapters, as in a civil code). Files without articles (a chapter's
introduction) number nothing.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.token import Token

from handbook_gen.core.numerals import (NUMERAL_CLASS, article_name, article_number,
                                        from_chinese, inserted_after, to_chinese)
from handbook_gen.markdown.context import Mark, ParseContext, text_token

_NUM = f"[{NUMERAL_CLASS}]+"
_SUB = f"之({_NUM})(?!般)"
"""An inserted article's 之一 (之一般 is a word, not a number)."""
_ARTICLE_MARK = re.compile(r"^§(\+)?(?:\{([^\s{}]*)\})?[ \u3000]*")
_HAND_ARTICLE = re.compile(rf"^第({_NUM})条(?:{_SUB})?[ \u3000]*")
_UNITS = ("编", "分编", "章", "节")
"""The legal units a heading can be, outermost first."""
_HAND_UNIT = re.compile(rf"^第({_NUM})(分编|编|章|节)")
_CN = "[一二三四五六七八九十百零〇]+"
_OUTLINE = tuple(re.compile(x) for x in (
    rf"^({_CN})、", rf"^[（(]({_CN})[）)]", r"^(\d+)(?:[.．](?!\d)|、)", r"^[（(](\d+)[）)]",
    rf"^第({_NUM})(?:篇|部分)"))
"""Other numbers a heading can carry: they count at the heading's level."""
_LABEL = re.compile(r"^[^\s#.|\[\]{}]+$")
_NUMBER_LIKE = re.compile(rf"\d+|第{_NUM}条(?:之{_NUM})?|a\d+(?:_\d+)?")
"""Labels that would read as an article number in a reference (``#5``, ``#第五条``) or
take an article's number anchor (``a5``, ``a5_1``)."""
_KIND = {"编": "part", "分编": "subpart", "章": "chapter", "节": "section"}
_RESETS = {"编": ("分编", "章", "节"), "分编": ("节",), "章": ("节",), "节": ()}
"""The units whose count a unit restarts."""


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
    levels = _levels(outline)
    count = dict.fromkeys(_UNITS, 0)
    path: dict[str, Mark] = {}
    """The headings the next article stands under, by unit."""
    last, heading = 0, ""
    for m in outline:
        if m.kind == "article":
            _number_article(m, last, ctx)
            last, m.heading = m.number, heading
        elif m.token.tag != "h1":
            unit = _number_heading(m, levels, path, count, ctx)
            if unit:
                path[unit] = m
                for lower in _UNITS[_UNITS.index(unit) + 1:]:
                    path.pop(lower, None)
                heading = " ".join(path[u].display for u in _UNITS if u in path)


def _is_article(inline: Token) -> bool:
    return _article_start(inline.content) is not None


def _article_start(text: str) -> re.Match | None:
    """The ``§`` mark (_ARTICLE_MARK) or typed ``第N条`` (_HAND_ARTICLE) that `text` starts
    with, or None: only the pattern its first character can start is tried."""
    first = text[:1]
    return _ARTICLE_MARK.match(text) if first == "§" else \
        _HAND_ARTICLE.match(text) if first == "第" else None


def _levels(outline: list[Mark]) -> dict[int, str]:
    """Heading level -> unit: 章 and 节, with 编 and 分编 before them when a heading of the
    policy types one, from ``##`` down."""
    used = {"章", "节"}
    for m in outline:
        typed = m.kind != "article" and m.token.tag != "h1" and _HAND_UNIT.match(m.text)
        if typed:
            used.add(typed[2])
    return {level: unit for level, unit in enumerate((u for u in _UNITS if u in used), 2)}


def _number_heading(m: Mark, levels: dict[int, str], path: dict[str, Mark],
                    count: dict[str, int], ctx: ParseContext) -> str | None:
    """A heading: its typed number checked, or its unit's number put before its text.
    Returns its unit (None for a heading outside the units' levels)."""
    level = int(m.token.tag[1])
    typed = _HAND_UNIT.match(m.text)
    unit = typed[2] if typed else levels.get(level)
    if unit is None:
        return None
    if typed and unit != levels.get(level) and level != _below(unit, path):
        template = ("hand-numbered text: {typed} is a {unit} in a {hashes} heading, the level "
                    "of a {other}" if level in levels else "hand-numbered text: {typed} is a "
                    "{unit} in a {hashes} heading, below the levels of {other}")
        ctx.diags.add("HB220", template, _at(ctx, m.token),
                      hint="use these heading levels: {levels}", typed=f"第{typed[1]}{unit}",
                      unit=unit, hashes="#" * level,
                      other=levels.get(level) or "/".join(levels.values()),
                      levels=", ".join(f"{'#' * lv} {u}" for lv, u in levels.items()))
    m.kind = _KIND[unit]
    before = count[unit]
    count[unit] += 1
    for lower in _RESETS[unit]:
        count[lower] = 0
    if typed:
        number = from_chinese(typed[1])
        _lint(ctx, m.token, number, before, lambda n: f"第{to_chinese(n)}{unit}")
        count[unit] = number if number is not None else count[unit]
        return unit
    for pattern in _OUTLINE:
        found = pattern.match(m.text)
        if found:
            number = from_chinese(found[1])
            arabic = found[1].isdigit()
            _lint(ctx, m.token, number, before, lambda n: found[0].replace(
                found[1], str(n) if arabic else to_chinese(n), 1))
            count[unit] = number if number is not None else count[unit]
            return unit
    name = f"第{to_chinese(count[unit])}{unit} "
    m.display = name + m.text
    m.inline.children.insert(0, text_token(name))
    return unit


def _below(unit: str, path: dict[str, Mark]) -> int | None:
    """The level right below the innermost open heading of a unit above `unit` (``###``
    for a 章 right in a ``##`` 编 of a code whose other 编 have 分编), where a typed unit
    is in place too; None when no such heading is open."""
    outer = [int(path[u].token.tag[1]) for u in _UNITS[:_UNITS.index(unit)] if u in path]
    return max(outer) + 1 if outer else None


def _number_article(m: Mark, last: int, ctx: ParseContext) -> None:
    """Remove '§{label} ' / '第N条 ' from the paragraph's first text; set the article's
    label (HB204 for one that is no label) and number (a typed one is checked). `last` is
    the number of the article before (0 for none)."""
    m.number = last + 1
    inline = m.inline
    first = inline.children[0] if inline.children else None
    if first is None or first.type != "text":
        return
    found = _article_start(first.content)
    if found.re is _ARTICLE_MARK:
        if found[1]:
            if last:
                m.number = inserted_after(last)
            else:
                ctx.diags.add("HB204", "'§+' inserts an article after the one before it, "
                              "but no article comes before it", ctx.find(inline, "§", id(inline)),
                              hint="write § for the first article")
        label = found[2]
        if label is not None and (not label or not _LABEL.match(label) or
                                  _NUMBER_LIKE.fullmatch(label)):
            ctx.diags.add("HB204", "invalid article label '{label}'",
                          ctx.find(inline, "§", id(inline)),
                          hint="use letters, digits and hyphens, e.g. §{{scope}}", label=label)
            label = None
        m.label = label
    else:
        base = from_chinese(found[1])
        sub = from_chinese(found[2]) if found[2] else 0
        if base is not None and sub is not None:
            typed = article_number(base, sub)
            _lint(ctx, m.token, typed, last, article_name,
                  inserted_after(last) if sub else m.number)
            m.number = typed
    first.content = first.content[found.end():]


def _at(ctx: ParseContext, block: Token):
    return ctx.loc(block.map[0]) if block.map else None


def _lint(ctx: ParseContext, block: Token, typed: int | None, before: int,
          name: Callable[[int], str], expected: int | None = None) -> None:
    """HB220 unless `typed` is the number that comes after `before` (`expected`, by default
    before + 1)."""
    expected = before + 1 if expected is None else expected
    if typed is None or typed == expected:
        return
    if typed == before:
        template = "hand-numbered text: duplicate {typed}"
    elif typed < expected:
        template = "hand-numbered text: {typed} is out of order (expected {expected})"
    elif not before:
        template = "hand-numbered text: {typed} comes first: numbers before it are missing"
    else:
        template = ("hand-numbered text: {typed} follows {before}: numbers in between are "
                    "missing")
    ctx.diags.add("HB220", template, _at(ctx, block),
                  hint="use § to let the tool number articles", typed=name(typed),
                  expected=name(expected), before=name(before) if before else "")
