"""Bounded cost: the parser's size limits and parse budget, and the rules that enforce them.

A table over 64 columns or 20,000 cells, a list over 5,000 items, more than 10,000 list
items in a file (HB138), a body over 50,000 lines, 100,000 block tokens or 50,000 inline
parsing steps (HB139) stop the parse at the first excess, counted as tokens are pushed and
as inline rules run (never timed); parser.parse_body then parses the file only up to
there. Lists or quotes nested deeper than markdown-it's maxNesting are HB133.
"""
from __future__ import annotations

from markdown_it.token import Token

from handbook_gen.markdown.context import ParseContext

MAX_TABLE_COLUMNS = 64
MAX_TABLE_CELLS = 20_000
MAX_LIST_ITEMS = 5_000
"""In one list (nested lists count separately)."""
MAX_FILE_LIST_ITEMS = 10_000
MAX_LINES = 50_000
"""Per file body; the largest real policies have about 850."""
MAX_BLOCK_TOKENS = 100_000
"""Per file; the largest real policies need about 1,300."""
MAX_INLINE_STEPS = 50_000
"""Per file: positions at which inline rules run; the largest real policies need about 300."""
MAX_NESTING = 20
"""markdown-it's maxNesting: deeper content is dropped, so it is reported (HB133)."""

_SPLIT_HINT = "split the policy into several files"
_COUNTED = frozenset({"list_item_open", "bullet_list_open", "ordered_list_open",
                      "bullet_list_close", "ordered_list_close", "th_open", "td_open", "tr_open",
                      "table_open"})
"""The block tokens BlockTokens counts beside the total."""


class TooLarge(Exception):
    """Stops a parse at the first excess over a limit; parser.parse_body reports it."""

    def __init__(self, code: str, message: str, line0: int, col: int, hint: str, **params):
        super().__init__(message)
        self.code, self.message, self.line0, self.col, self.hint = code, message, line0, col, hint
        self.params = params
        """The message is a template with these parameters (Diagnostics.add)."""


def line_excess(body: str) -> TooLarge | None:
    """The excess of a body over MAX_LINES, found before markdown-it builds its line tables."""
    if body.count("\n") + (not body.endswith("\n")) > MAX_LINES:
        return TooLarge("HB139", "more than {limit:,} lines in one file: only the lines "
                        "before this one are parsed", MAX_LINES, 1, _SPLIT_HINT,
                        limit=MAX_LINES)
    return None


class BlockTokens(list):
    """The token list of one parse's block phase: counts the tokens markdown-it's block
    rules push (tables' columns and cells, lists' items, all tokens) and stops the parse
    at the first one over a limit. A rule sets a token's line map just after pushing it,
    so an excess is raised on the next push (or by the ``block_excess`` rule)."""

    def __init__(self, lines: list[str]):
        super().__init__()
        self.lines = lines
        self.open_lists: list[int] = []
        """Items so far in each list being parsed, innermost last."""
        self.items = self.cells = self.row_cells = 0
        self.row: Token | None = None
        self.excess: tuple | None = None
        """(code, message template, token, cell, limit) of the first excess, raised on the
        next push."""

    def append(self, token: Token) -> None:
        if self.excess:
            self.stop()
        kind = token.type
        if kind not in _COUNTED:
            pass  # most tokens: paragraphs, inlines, headings
        elif kind == "list_item_open" and self.open_lists:
            self.open_lists[-1] += 1
            self.items += 1
            if self.open_lists[-1] > MAX_LIST_ITEMS:
                self.excess = ("HB138", "a list with more than {limit:,} items: only the "
                               "lines before this one are parsed", token, 0, MAX_LIST_ITEMS)
            elif self.items > MAX_FILE_LIST_ITEMS:
                self.excess = ("HB138", "more than {limit:,} list items in one file: only the "
                               "lines before this one are parsed", token, 0,
                               MAX_FILE_LIST_ITEMS)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.open_lists.append(0)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.open_lists.pop()
        elif kind in ("th_open", "td_open"):
            self.row_cells += 1
            self.cells += 1
            if kind == "th_open" and self.row_cells > MAX_TABLE_COLUMNS:
                self.excess = ("HB138", "a table with more than {limit:,} columns: only the "
                               "lines before this one are parsed", self.row, self.row_cells,
                               MAX_TABLE_COLUMNS)
            elif self.cells > MAX_TABLE_CELLS:
                self.excess = ("HB138", "a table with more than {limit:,} cells: only the "
                               "lines before this one are parsed", self.row, self.row_cells,
                               MAX_TABLE_CELLS)
        elif kind == "tr_open":
            self.row, self.row_cells = token, 0
        elif kind == "table_open":
            self.cells = 0
        if len(self) >= MAX_BLOCK_TOKENS and not self.excess:
            self.excess = ("HB139", "more than {limit:,} Markdown block elements in one file: "
                           "only the lines before this one are parsed", token, 0,
                           MAX_BLOCK_TOKENS)
        super().append(token)

    def extend_uncounted(self, tokens: tuple[Token, ...]) -> None:
        """Append `tokens`, none of a counted type (a paragraph's three, from
        fastpaths.cjk_paragraph), at list speed; one by one when an excess is pending or
        the total limit is near, so that it is found at the same token."""
        if self.excess or len(self) + len(tokens) >= MAX_BLOCK_TOKENS:
            for t in tokens:
                self.append(t)
        else:
            super().extend(tokens)

    def stop(self) -> None:
        code, what, token, cell, limit = self.excess
        i = len(self) - 1
        while token.map is None and i > 0:  # a closing token: the nearest line before it
            i -= 1
            token = self[i]
        line0 = token.map[0] if token.map else 0
        line = self.lines[line0] if line0 < len(self.lines) else ""
        col = cell_column(line, cell) if cell else 1 + len(line) - len(line.lstrip(" \t>"))
        hint = "split the table or the list" if code == "HB138" else _SPLIT_HINT
        raise TooLarge(code, what, line0, col, hint, limit=limit)


def cell_column(line: str, cell: int) -> int:
    """1-based column where table cell number `cell` (1-based) starts in `line`: the '|'
    before it, or the row's first character for a first cell without one."""
    start = len(line) - len(line.lstrip(" \t>"))
    pipes = [i for i in range(start, len(line))
             if line[i] == "|" and (i == 0 or line[i - 1] != "\\")]
    if not pipes or pipes[0] != start:
        pipes.insert(0, start)
    return pipes[cell - 1] + 1 if cell <= len(pipes) else start + 1


def count_block_tokens(state) -> None:
    """Core rule before ``block``: the block phase pushes into a BlockTokens."""
    ctx = state.env.get("ctx")
    if ctx is not None:
        state.tokens = ctx.block_tokens = BlockTokens(ctx.lines)


def block_excess(state) -> None:
    """Core rule: stops the parse when the last token the block phase pushed was over a
    limit (no later push raised it)."""
    tokens = state.env["ctx"].block_tokens
    if tokens is not None and tokens.excess:
        tokens.stop()


def inline_budget(state, silent: bool) -> bool:
    """Inline rule run first at every position the inline rules look at (also when
    link labels are scanned): counts them per file, stops the parse past the budget."""
    ctx: ParseContext | None = state.env.get("ctx")
    if ctx is not None:
        ctx.inline_steps += 1
        if ctx.inline_steps > MAX_INLINE_STEPS:
            src, pos, token = state.src, state.pos, ctx.inline_token
            line_start = src.rfind("\n", 0, pos) + 1
            line_end = src.find("\n", pos)
            text = src[line_start:line_end if line_end >= 0 else len(src)]
            line0 = token.map[0] + src.count("\n", 0, pos) if token.map else 0
            raw = ctx.lines[line0] if line0 < len(ctx.lines) else ""
            col = max(raw.find(text), 0) + pos - line_start + 1
            raise TooLarge("HB139", "more than {limit:,} inline Markdown elements (brackets, "
                           "emphasis marks, links) in one file: only the lines before this one "
                           "are parsed", line0, col, _SPLIT_HINT, limit=MAX_INLINE_STEPS)
    return False


def nesting(state) -> None:
    """Core rule: content nested as deep as markdown-it drops is reported once (HB133)."""
    ctx: ParseContext = state.env["ctx"]
    for t in state.tokens:
        if t.nesting == 1 and t.level >= MAX_NESTING - 2 and t.map:
            ctx.diags.add("HB133", "lists or quotes nested too deep: deeper content would "
                          "be dropped", ctx.loc(t.map[0]), hint="flatten the structure")
            return
