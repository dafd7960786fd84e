"""What never reaches a page from Markdown: raw HTML (an error, HB130), comments (editors'
notes: removed with a warning, HB131; one that would swallow text is HB137), and style
attributes (a strict Content-Security-Policy blocks them: table alignment becomes a class).
The parser runs with ``html=True`` only so that raw HTML and comments become tokens these
rules can report; their render rules emit nothing."""
from __future__ import annotations

import bisect
import re

from markdown_it.rules_block.html_block import html_block as _markdown_html_block
from markdown_it.token import Token

from handbook_gen.markdown.context import ParseContext


def html_block(state, start: int, end: int, silent: bool) -> bool:
    """Block rule in place of markdown-it's html_block, except for comments that would take
    text with them. A ``<!--`` that no ``-->`` closes before the end of its block would
    swallow all the text after it: it is no comment and its lines stay text (``drop_html``
    reports it, HB137). A comment closed on its own line with text after the ``-->`` is
    left to the paragraph, where the comment alone is removed."""
    pos = state.bMarks[start] + state.tShift[start]
    if state.src.startswith("<!--", pos) and not state.is_code_block(start):
        ends = state.env.get("comment_ends")
        if ends is None:  # where every "-->" of the body is, found once per parse
            ends = state.env["comment_ends"] = [m.start() for m in
                                                re.finditer("-->", state.src)]
        k = bisect.bisect_left(ends, pos + 2)  # "<!-->" is a whole comment
        if k == len(ends) or ends[k] >= state.eMarks[end - 1]:
            return False
        line_end = state.eMarks[start]
        if ends[k] < line_end and state.src[ends[k] + 3:line_end].strip():
            return False
    return _markdown_html_block(state, start, end, silent)


def drop_html(state) -> None:
    """Core rule: raw HTML is an error and never emitted; comments are editors' notes:
    warn, strip. A ``<!--`` left in text is a comment never closed (html_block keeps its
    lines text)."""
    if "<" not in state.src:
        return  # nothing to report: every case needs a '<' in the source (most bodies)
    ctx: ParseContext = state.env["ctx"]
    for t in state.tokens:
        if t.type == "html_block":
            _report_html(t.content, ctx, ctx.loc(t.map[0]) if t.map else None)
            if t.content.startswith("<!--") and t.map:
                _report_text_after_comment(t, ctx)
        elif t.type == "inline" and t.children and ("<" in t.content or "&" in t.content):
            # (HTML and a "<!--" in text need a "<" in the source, or an entity: &lt;!--)
            unclosed = False
            for child in t.children:
                if child.type == "html_inline":
                    _report_html(child.content, ctx, ctx.find(t, child.content, id(t)))
                elif child.type == "text" and "<!--" in child.content and not unclosed:
                    unclosed = _report_unclosed_comment(t, ctx)


def _report_text_after_comment(block: Token, ctx: ParseContext) -> None:
    """HB137 for text after the ``-->`` of a comment block that spans lines: markdown-it
    drops the rest of that line with the comment."""
    i = block.content.find("-->")
    line0 = block.map[0] + block.content.count("\n", 0, i)
    raw = ctx.lines[line0] if line0 < len(ctx.lines) else ""
    j = raw.find("-->") + 3
    if j >= 3 and raw[j:].strip():
        ctx.diags.add("HB137", "text after the comment's '-->' on the same line would be "
                      "dropped with the comment", ctx.loc(line0, j + 1 + len(raw[j:]) -
                                                          len(raw[j:].lstrip())),
                      hint="start the text on a new line")


def _report_unclosed_comment(inline: Token, ctx: ParseContext) -> bool:
    """HB137 at the first ``<!--`` of the block's source that is not escaped (\\<!--);
    False when there is none (the text came from an entity, &lt;!--)."""
    loc = ctx.find(inline, "<!--", id(inline))
    line0 = loc.line - ctx.line_offset - 1
    while line0 < len(ctx.lines) and ctx.lines[line0][loc.col - 1:loc.col + 3] == "<!--":
        if loc.col < 2 or ctx.lines[line0][loc.col - 2] != "\\":
            ctx.diags.add("HB137", "HTML comment '<!--' is never closed with '-->' (it would "
                          "hide all the text after it)", loc,
                          hint="close the comment with -->, or write \\<!-- for the text")
            return True
        loc = ctx.find(inline, "<!--", id(inline))
        line0 = loc.line - ctx.line_offset - 1
    return False


def _report_html(content: str, ctx: ParseContext, loc) -> None:
    if content.lstrip().startswith("<!--"):
        ctx.diags.add("HB131", "HTML comment removed from the output (editors' notes are "
                      "never published)", loc)
    else:
        snippet = content.strip().split("\n")[0][:40]
        ctx.diags.add("HB130", "raw HTML is not allowed: {snippet}", loc,
                      hint="use Markdown, or escape the '<' as \\<", snippet=snippet)


def table_classes(state) -> None:
    """Core rule: markdown-it emits style="text-align:…"; a strict CSP blocks that, so
    alignment becomes a class. A table also gets tabindex="0": on a narrow screen it
    scrolls inside itself (handbook.css), and only a focusable region can be scrolled
    from the keyboard."""
    if "|" not in state.src:
        return  # a table has a row of pipes
    for t in state.tokens:
        if t.type == "table_open":
            t.attrSet("tabindex", "0")
        elif t.type in ("th_open", "td_open") and t.attrs.get("style"):
            align = str(t.attrs.pop("style")).split(":")[-1].strip()
            t.attrSet("class", f"align-{align}")


def render_nothing(self, tokens, idx, options, env) -> str:
    """Render rule for html_block and html_inline."""
    return ""
