"""Articles on the page: each article from its paragraph to the next article, heading or
the footnotes is one element (its 款 are its top-level paragraphs), headed by its number
and closed by a slot for its "cited by" list; the items of an ordered list directly in it
are its 项, numbered （一）（二）…. Also the plain text of every article and of what lies
outside them (search)."""
from __future__ import annotations

from html import escape

from markdown_it.token import Token

from handbook_gen.core.model import Article
from handbook_gen.core.numerals import article_name, to_chinese
from handbook_gen.markdown.context import Mark, ParseContext, new_token
from handbook_gen.markdown.placeholders import slot_mark


class _Open:
    """The article being wrapped: its 款 and inlines so far."""

    def __init__(self, mark: Mark):
        self.mark, self.paragraphs = mark, 0
        self.inlines: list[Token] = []


def articles(state) -> None:
    """Core rule: wraps each article in article_open/article_close, counts its 款, numbers
    its 项, and sorts every inline into an article's text or the intro's."""
    ctx: ParseContext = state.env["ctx"]
    tokens = state.tokens
    if not ctx.has_articles:
        ctx.intro_inlines = [t for t in tokens if t.type == "inline"]
        return
    marks = iter(ctx.outline)
    mark = next(marks, None)
    current: _Open | None = None
    out: list[Token] = []
    for i, t in enumerate(tokens):
        top = t.level == 0
        marked = mark is not None and t is mark.token
        if marked or (top and t.type == "footnote_block_open"):
            if current:
                _close(current, out, ctx)
                current = None
            if marked:
                if mark.kind == "article":
                    current = _open(mark, out)
                mark = next(marks, None)
        if current is not None:
            if top and t.type == "paragraph_open":
                current.paragraphs += 1
            elif top and t.type == "ordered_list_open":
                _number_items(tokens, i)
            elif t.type == "inline":
                current.inlines.append(t)
                t.meta["article"] = current.mark.number
        elif t.type == "inline":
            ctx.intro_inlines.append(t)
        out.append(t)
    if current:
        _close(current, out, ctx)
    tokens[:] = out


def _open(mark: Mark, out: list[Token]) -> _Open:
    t = new_token("article_open", "div", 1)
    t.meta = {"anchor": mark.number_anchor, "label_anchor": mark.label_anchor}
    out.append(t)
    no = new_token("article_no", "", 0)
    no.content = article_name(mark.number)
    no.meta = {"anchor": mark.anchor}
    mark.inline.children.insert(0, no)
    return _Open(mark)


def _close(cur: _Open, out: list[Token], ctx: ParseContext) -> None:
    t = new_token("article_close", "div", -1)
    t.meta = {"number": cur.mark.number}
    out.append(t)
    ctx.article_parts.append((cur.mark, cur.paragraphs, cur.inlines))


def _number_items(tokens: list[Token], start: int) -> None:
    """Items of an ordered list directly in an article are 项: （一）（二）…"""
    tokens[start].attrSet("class", "items")
    depth, count = 0, 0
    for j in range(start, len(tokens)):
        t = tokens[j]
        if t.type in ("ordered_list_open", "bullet_list_open"):
            depth += 1
        elif t.type in ("ordered_list_close", "bullet_list_close"):
            depth -= 1
            if depth == 0:
                return
        elif t.type == "list_item_open" and depth == 1:
            count += 1
            # the marker goes into the item's first inline
            for k in range(j + 1, len(tokens)):
                if tokens[k].type == "inline":
                    marker = new_token("item_no", "", 0)
                    marker.content = f"（{to_chinese(count)}）"
                    tokens[k].children.insert(0, marker)
                    break


def plain_text(state) -> None:
    """Core rule, last: each article (ctx.articles) with its plain text and that of the
    intro, taken after the citations so that references appear in them as placeholders."""
    ctx: ParseContext = state.env["ctx"]
    offset = ctx.line_offset
    ctx.articles = [Article(m.number, m.label, m.anchor, max(paragraphs, 1), m.heading,
                            offset + (m.token.map[0] + 1 if m.token.map else 0),
                            " ".join(filter(None, map(_plain, inlines))))
                    for m, paragraphs, inlines in ctx.article_parts]
    ctx.intro_text = [x for x in map(_plain, ctx.intro_inlines) if x]


_CONTENT = frozenset({"text", "code_inline", "xref"})
"""The inline children whose content is text (a reference's until it is resolved)."""
_BREAKS = frozenset({"softbreak", "hardbreak"})


def _plain(inline: Token) -> str:
    return "".join([c.content if c.type in _CONTENT else " " if c.type in _BREAKS else ""
                    for c in inline.children or ()]).strip()


def _escape(text: str) -> str:
    """html.escape, at once for what has nothing to escape: an article's number anchor
    (a5) and name (第五条) are letters and digits only."""
    return text if text.isalnum() else escape(text)


def render_open(self, tokens, idx, options, env) -> str:
    t = tokens[idx]
    label = t.meta.get("label_anchor")
    extra = f'<span class="anchor" id="{escape(label)}"></span>' if label else ""
    return f'<div class="article" id="{_escape(t.meta["anchor"])}">{extra}\n'


def render_close(self, tokens, idx, options, env) -> str:
    return f"{slot_mark(tokens[idx].meta['number'])}</div>\n"


def render_number(self, tokens, idx, options, env) -> str:
    t = tokens[idx]
    return f'<a class="article-no" href="#{_escape(t.meta["anchor"])}">{_escape(t.content)}</a>'


def render_item_number(self, tokens, idx, options, env) -> str:
    return f'<span class="item-no">{escape(tokens[idx].content)}</span>'
