"""Anchors: the element ids of headings and articles, which links and the table of
contents use. A heading's id is its text, slugified so Chinese stays readable
(``#第一章-总则``); an article has ``a5`` (``a120_1`` for 第一百二十条之一, so that it never
meets ``a120-2``, the id of a second 第一百二十条) and, with a label, the label too
(``#scope``), which links prefer. Ids are unique per page (``总则-2``); labels share that id space, so
a label already taken is an error (HB210)."""
from __future__ import annotations

import re
import unicodedata

from handbook_gen.core.model import Heading
from handbook_gen.core.numerals import number_key
from handbook_gen.markdown.context import Mark, ParseContext

_SLUG_DROP = re.compile(r"[^\w\u3400-\u9fff\uf900-\ufaff-]+")


def slugify(text: str) -> str:
    """Heading anchor: keeps CJK, letters and digits; whitespace becomes '-'."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"\s+", "-", text)
    return _SLUG_DROP.sub("", text).strip("-")


def anchors(state) -> None:
    """Core rule: gives every top-level heading and article its ids, in document order,
    and records the headings."""
    ctx: ParseContext = state.env["ctx"]
    for m in ctx.outline:
        if m.kind == "article":
            _article_ids(m, ctx)
        else:
            _heading_id(m, ctx)


def _heading_id(m: Mark, ctx: ParseContext) -> None:
    t = m.token
    slug = slugify(m.text)
    if not slug and m.kind == "plain":
        ctx.diags.add("HB136", "heading '{heading}' has no letters or digits for an anchor",
                      ctx.loc(t.map[0]) if t.map else None,
                      hint="put a word or a number in the heading", heading=m.text)
    m.anchor = ctx.unique_id(slug or "h")
    t.attrSet("id", m.anchor)
    ctx.headings.append(Heading(int(t.tag[1]), m.display, m.anchor, m.kind,
                                ctx.line_offset + t.map[0] + 1 if t.map else 0))


def _article_ids(m: Mark, ctx: ParseContext) -> None:
    m.number_anchor = ctx.unique_id("a" + number_key(m.number))
    if m.label:
        if m.label in ctx.used_ids:
            ctx.diags.add("HB210", "duplicate article label '{label}'",
                          ctx.find(m.inline, "§{" + m.label, id(m.inline)),
                          hint="each label names one article: rename one of them",
                          label=m.label)
            m.label = None
        else:
            m.label_anchor = ctx.unique_id(m.label)
    m.anchor = m.label_anchor or m.number_anchor
