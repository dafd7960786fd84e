"""Fenced blocks by name: a block ```` ```name 标题 ```` whose name is in FENCES is given
to its handler instead of becoming a code block; any other name stays a code block.

A handler takes the FencedBlock and the ParseContext, reports problems to ``ctx.diags``
(exact positions: the block's lines carry theirs), may take element ids with
``ctx.unique_id``, and returns the HTML that stands for the block: final HTML, or a
placeholder (placeholders.py) for what needs the whole handbook, as ``flow`` does. A new
kind of block is a module in this package and one line in FENCES.
"""
from __future__ import annotations

from collections.abc import Callable

from handbook_gen.markdown.context import ParseContext
from handbook_gen.markdown.fences import flow
from handbook_gen.markdown.fences.block import FencedBlock

FENCES: dict[str, Callable[[FencedBlock, ParseContext], str]] = {
    "flow": flow.flow_block,
}


def fences(state) -> None:
    """Core rule: a fenced block whose name is in FENCES becomes a ``fenced_block`` token
    holding what its handler returns."""
    ctx: ParseContext = state.env["ctx"]
    for t in state.tokens:
        if t.type != "fence" or not t.map:
            continue
        words = t.info.split(None, 1)
        handler = FENCES.get(words[0]) if words else None
        if handler is None:
            continue
        block = FencedBlock(words[0], words[1].strip() if len(words) > 1 else "",
                            _lines(t, ctx), ctx.loc(t.map[0]))
        t.type = "fenced_block"
        t.meta = dict(t.meta or {}, html=handler(block, ctx))


def _lines(t, ctx: ParseContext) -> list[tuple[int, int, str]]:
    """(line number, column, text) of each content line of the fence `t`; the column is
    found in the source line, so it is right inside a quote or a list too."""
    lines = []
    for k, text in enumerate(t.content.split("\n")[:-1]):
        line0 = t.map[0] + 1 + k
        raw = ctx.lines[line0] if line0 < len(ctx.lines) else text
        col0 = len(raw) - len(text) + 1 if text and raw.endswith(text) else 1
        lines.append((ctx.line_offset + line0 + 1, col0, text))
    return lines


def render(self, tokens, idx, options, env) -> str:
    return tokens[idx].meta["html"]
