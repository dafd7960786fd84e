"""Fast paths for plain Chinese prose.

Chinese prose is mostly paragraphs that start with an ideograph and contain no Markdown
punctuation. markdown-it tries every block rule on each such line and runs the full
inline machinery on each such paragraph, to produce what these rules produce directly.
They give token streams identical to markdown-it's own (tests/unit/test_markdown_fast.py
compares them with the fast paths switched off); anything they are not sure of is left
to markdown-it. ``Renderer`` likewise writes the commonest tokens (paragraph tags, text)
directly and gives markdown-it's HTML byte for byte.
"""
from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import add, sub

from markdown_it.common.utils import MD_TRIM_CHARS as _MD_TRIM, escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import block as _block, text_join as _text_join

from handbook_gen.markdown.context import new_token
from handbook_gen.markdown.limits import BlockTokens

_ITEM = re.compile(r"(?:([-*+])|(\d{1,9})([.)])) ")


def _plain_start_at(ch: str) -> bool:
    """`ch`, a line's first character (after at most 3 spaces of indent), cannot start
    any block construct: it is a CJK character or other non-ASCII text, or §."""
    return ch >= "\u2e80" or ch == "§"


def cjk_paragraph(state, start: int, end: int, silent: bool) -> bool:
    """Block rule (first in the chain): a paragraph whose every line starts plainly.
    Such lines can neither start nor interrupt a block, so the paragraph runs to the
    next blank line, as markdown-it's paragraph rule would find after trying them all."""
    if silent:
        return False
    indent, line_max = state.blkIndent, state.lineMax
    src, b_marks, e_marks, t_shift, s_count = (state.src, state.bMarks, state.eMarks,
                                               state.tShift, state.sCount)
    line = start
    while line < line_max:
        first = b_marks[line] + t_shift[line]
        if first >= e_marks[line]:
            break  # a blank line ends the paragraph
        if not indent <= s_count[line] <= indent + 3 or \
                (src[first] < "\u2e80" and src[first] != "§"):  # not _plain_start_at
            return False  # indented code, lazy continuation, a marker: markdown-it decides
        line += 1
    # a definition list may put one blank line between the term and ": definition"
    if line + 1 < line_max and src[b_marks[line + 1] + t_shift[line + 1]
                                   :e_marks[line + 1]][:1] in (":", "~"):
        return False
    state.line = line
    # the three tokens state.push would make (block tokens, the inline one level deeper)
    level = state.level
    para = new_token("paragraph_open", "p", 1, level, True)
    para.map = [start, line]
    inline = new_token("inline", "", 0, level + 1, True)
    # one unindented line is what getLines would cut, without its general machinery
    inline.content = (src[b_marks[start]:e_marks[start]] if line == start + 1 and indent == 0
                      else state.getLines(start, line, indent, False)).strip(_MD_TRIM)
    inline.map = [start, line]
    inline.children = []
    tokens = state.tokens
    (tokens.extend_uncounted if type(tokens) is BlockTokens else tokens.extend)(
        (para, inline, new_token("paragraph_close", "p", -1, level, True)))
    return True


def _simple_item(state, line: int):
    """(marker, number) when `line` is an unindented one-line list item ``- 文本`` /
    ``1. 文本`` whose text starts plainly; else None."""
    if state.sCount[line] != 0:
        return None
    start, end = state.bMarks[line] + state.tShift[line], state.eMarks[line]
    m = _ITEM.match(state.src, start, end)
    if not m or m.end() >= end or not _plain_start_at(state.src[m.end()]):
        return None
    return (m[1] or m[3], m[2]), m.end()


def simple_list(state, start: int, end: int, silent: bool) -> bool:
    """Block rule: a top-level list of one-line items (``1. 文本`` / ``- 文本``) with no
    blank line between them, followed by a blank line and then something that is
    neither another item nor indented, or by the end. markdown-it's list rule makes
    exactly these tokens for it, after running its general machinery per item."""
    if silent or state.blkIndent != 0 or state.listIndent != -1 or \
            state.parentType != "root" or end != state.lineMax:
        return False
    first = _simple_item(state, start)
    if first is None:
        return False
    (marker, number), _ = first
    items, line = [], start
    while line < end and not state.isEmpty(line):
        item = _simple_item(state, line)
        if item is None or item[0][0] != marker or (item[0][1] is None) != (number is None):
            return False  # another list, a lazy continuation, nesting: markdown-it decides
        items.append((line, item[0][1], item[1]))
        line += 1
    after = state.skipEmptyLines(line)
    if after < end and (state.sCount[after] != 0 or
                        state.src[state.bMarks[after] + state.tShift[after]] in "-*+0123456789"):
        return False  # the list might go on after the blank line
    token = state.push("ordered_list_open" if number else "bullet_list_open",
                       "ol" if number else "ul", 1)
    if number and int(number) != 1:
        token.attrs = {"start": int(number)}
    token.map, token.markup = [start, after], marker
    for k, (i, digits, content_start) in enumerate(items):
        token = state.push("list_item_open", "li", 1)
        token.markup, token.map = marker, [i, after if k == len(items) - 1 else i + 1]
        if digits:
            token.info = digits
        token = state.push("paragraph_open", "p", 1)
        token.map, token.hidden = [i, i + 1], True
        token = state.push("inline", "", 0)
        token.content = state.src[content_start:state.eMarks[i]].strip(_MD_TRIM)
        token.map, token.children = [i, i + 1], []
        state.push("paragraph_close", "p", -1).hidden = True
        state.push("list_item_close", "li", -1).markup = marker
    state.push("ordered_list_close" if number else "bullet_list_close",
               "ol" if number else "ul", -1).markup = marker
    state.line = after
    return True


class _StateBlock(StateBlock):
    """markdown-it's block state with its line tables (where each line begins and ends, its
    indent) made from the lines' lengths by C loops over the whole source, instead of a
    Python loop per line; the same tables (tests/unit/test_markdown_fast.py compares them)."""

    def __init__(self, src: str, md, env, tokens: list) -> None:
        super().__init__("", md, env, tokens)  # every other attribute, as markdown-it sets it
        self.src = src
        lines = src.split("\n") if src else []
        if lines and not lines[-1].strip(" \t"):
            lines.pop()  # no line after a final newline, nor a last line of only spaces/tabs
        lengths = list(map(len, lines))
        begins = [0, *accumulate(map((1).__add__, lengths))]
        begins.pop()
        shifts = list(map(sub, lengths, map(len, map(str.lstrip, lines, repeat(" \t")))))
        counts = shifts[:] if "\t" not in src else [
            _expanded(line, shift) for line, shift in zip(lines, shifts)]
        ends = list(map(add, begins, lengths))
        # and the entry one past the last line, as markdown-it adds it
        self.bMarks, self.eMarks = begins + [len(src)], ends + [len(src)]
        self.tShift, self.sCount = shifts + [0], counts + [0]
        self.bsCount = [0] * (len(lines) + 1)
        self.lineMax = len(lines)


def _expanded(line: str, indent: int) -> int:
    """The width of a line's first `indent` characters (spaces and tabs), a tab going to
    the next multiple of 4."""
    offset = 0
    for ch in line[:indent]:
        offset += 4 - offset % 4 if ch == "\t" else 1
    return offset


def block(state) -> None:
    """Core rule in place of markdown-it's ``block``: the same parse (ParserBlock.parse)
    from a _StateBlock."""
    if state.inlineMode or not state.src:
        _block(state)
        return
    block_state = _StateBlock(state.src, state.md, state.env, state.tokens)
    state.md.block.tokenize(block_state, block_state.line, block_state.lineMax)


def normalize(state) -> None:
    """Core rule in place of markdown-it's ``normalize`` (line endings to LF, NUL to
    U+FFFD): the same text, without two regex passes over a body that has neither (a
    source is decoded with LF line endings already)."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


def inline(state, fast: bool = True) -> None:
    """Core rule in place of markdown-it's ``inline``: parses each inline token, noting
    which one for the parse budget's positions. Fast path: content without a single
    character that an inline rule reacts to is one text token, which is what the
    inline parser would return after scanning it; everything else is parsed."""
    md = state.md
    plain = md.inline.terminator_re.search
    ctx = state.env.get("ctx")
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if ctx is not None:
            ctx.inline_token = token
        content = token.content
        if fast and content and not plain(content):
            text = new_token("text", "", 0)
            text.content = content
            token.children.append(text)
        else:
            md.inline.parse(content, md, state.env, token.children)


class _Inlines:
    """A stand-in for a core state holding only the given tokens."""

    def __init__(self, tokens: list):
        self.tokens = tokens


def text_join(state) -> None:
    """Core rule in place of markdown-it's ``text_join`` (escaped characters become text,
    adjacent texts are joined): that rule, run only on the inlines where there can be
    something to join. An inline of one text or none (most of them: the inline fast
    path gives one text) has nothing, and the rule would only copy its children."""
    todo = [token for token in state.tokens if token.type == "inline" and (
        len(token.children) > 1 or (token.children and token.children[0].type != "text"))]
    if todo:
        _text_join(_Inlines(todo))


class Renderer(RendererHTML):
    """markdown-it's HTML renderer, with a paragraph's tags and plain text written at once
    instead of through ``renderToken``'s general checks and a rule call per text token
    (a page of prose is mostly these); every other token, and these whenever a rule for
    them is registered, goes the general way."""

    def render(self, tokens, options, env) -> str:
        rules = self.rules
        inline = self.renderInline
        fast = "paragraph_open" not in rules and "paragraph_close" not in rules
        plain = getattr(rules.get("text"), "__func__", None) is RendererHTML.text
        out: list[str] = []
        append = out.append
        last = len(tokens) - 1
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                children = token.children
                if plain and children and len(children) == 1 and children[0].type == "text":
                    append(escapeHtml(children[0].content))  # (renderInline's first case)
                elif children:
                    append(inline(children, options, env))
            elif kind in rules:
                append(rules[kind](tokens, i, options, env))
            elif fast and kind == "paragraph_open" and not token.attrs and token.block \
                    and not token.hidden and i < last and tokens[i + 1].type == "inline" \
                    and not (i and tokens[i - 1].hidden):
                append("<p>")
            elif fast and kind == "paragraph_close" and not token.attrs and token.block \
                    and not token.hidden:
                append("</p>\n")
            else:
                append(self.renderToken(tokens, i, options, env))
        return "".join(out)

    def renderInline(self, tokens, options, env) -> str:
        rules = self.rules
        text = rules.get("text")
        if getattr(text, "__func__", None) is not RendererHTML.text:
            return super().renderInline(tokens, options, env)
        if len(tokens) == 1 and tokens[0].type == "text":
            return escapeHtml(tokens[0].content)
        out: list[str] = []
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "text":
                out.append(escapeHtml(token.content))
            elif kind in rules:
                out.append(rules[kind](tokens, i, options, env))
            else:
                out.append(self.renderToken(tokens, i, options, env))
        return "".join(out)
