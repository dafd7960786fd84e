"""Markdown: the one configured markdown-it parser and our rules on top of it.

Owns: article numbering (``§{label}`` and hand-typed 第N条), policy chapters and
sections (第N章/第N节), heading anchors that work for Chinese, ``[[…]]`` references and
prose citations (本办法第十二条, 《…》第五条), link safety, raw-HTML and comment
handling, table alignment as classes. ``parse_body`` returns a picklable ParsedBody
whose HTML holds a placeholder (model.REF_OPEN N REF_CLOSE) for every reference; ``xref`` fills
them in once the whole handbook is known, so parsing can run in worker processes and
be cached by content hash.

Bounded cost: a table over 64 columns or 20,000 cells, a list over 5,000 items, more than
10,000 list items in a file (HB138), a body over 50,000 lines, 100,000 block tokens or
50,000 inline parsing steps (HB139) stop the parse at the first excess, counted as tokens
are pushed and as inline rules run (never timed); the file is then parsed only up to there.

Positions: block tokens carry line maps; for inline items (references, links, inline
HTML) the column is found by searching the item's source text in the block's lines,
falling back to column 1 of the block when the text cannot be found.

Fenced ``flow`` blocks are parsed by ``flows`` into ParsedBody.flows and leave a
placeholder (model.FLOW_OPEN N FLOW_CLOSE), filled when the page is rendered (departments need the
registry).

Imports: diagnostics, sources, model, numerals, flows.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from itertools import accumulate
from html import escape
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_CHARS as _MD_TRIM
from markdown_it.rules_block.html_block import html_block as _markdown_html_block
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.governance.flows import parse_flow
from handbook_gen.core.model import (FLOW_CLOSE, FLOW_OPEN, REF_CLOSE, REF_OPEN, SLOT_CLOSE, SLOT_OPEN,
                                Article, Heading, ParsedBody, Ref)
from handbook_gen.core.numerals import NUMERAL_CLASS, from_chinese, to_chinese
from handbook_gen.source.reader import SourceFile

MAX_REF_CHARS = 200
_FIND_MISSES, _FIND_WINDOW = 100, 4096
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
ADMONITIONS = {"note": "注意", "tip": "提示", "warning": "警告"}
SELF_WORDS = "制度|办法|规定|细则|条例|法|准则|规则|程序|规程|守则"
_NUM = f"[{NUMERAL_CLASS}]+"
_ARTICLE_MARK = re.compile(r"^§(?:\{([^\s{}]*)\})?[ \u3000]*")
_HAND_ARTICLE = re.compile(rf"^第({_NUM})条[ \u3000]*")
_HAND_CHAPTER = re.compile(rf"^第({_NUM})([章节])[ \u3000]*")
_LABEL = re.compile(r"^[^\s#.|\[\]{}]+$")
_PROSE = re.compile(
    rf"(?:本(?:{SELF_WORDS})|《([^《》\n]{{2,40}})》)第({_NUM})条(?:第({_NUM})款)?"
    rf"|(?<=[、和及或至])第({_NUM})条(?:第({_NUM})款)?")
_REF_BODY = re.compile(r"^(?:(?P<id>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)|dept:(?P<dept>[^\s#|]+))?"
                       r"(?:#(?P<anchor>[^\s|]+))?(?:\|(?P<text>.+))?$")
_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_QUOTE_OPENER = {close: open_ for open_, close in _QUOTE_PAIRS.items()}
_QUOTE_MARK = re.compile("[“”‘’「」『』]")
_ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_SLUG_DROP = re.compile(r"[^\w\u3400-\u9fff\uf900-\ufaff-]+")


def _xref_rule(state, silent: bool) -> bool:
    """Inline rule: ``[[ … ]]`` on one line becomes an ``xref`` token."""
    pos = state.pos
    if not state.src.startswith("[[", pos):
        return False
    # bounded search: a reference is short and on one line, so "[[[[…" stays linear
    end = state.src.find("]]", pos + 2, pos + 2 + MAX_REF_CHARS)
    if end < 0 or "\n" in state.src[pos + 2:end] or "[[" in state.src[pos + 2:end]:
        return False
    if not silent:
        token = state.push("xref", "", 0)
        token.meta = {"raw": state.src[pos + 2:end]}
    state.pos = end + 2
    return True


def _admonition_kind(params: str) -> str:
    words = params.split(None, 1)
    return words[0] if words else ""


def _render_admonition(self, tokens, idx, options, env):
    token = tokens[idx]
    if token.nesting == 1:
        kind = _admonition_kind(token.info)
        return (f'<div class="admonition {kind}"><p class="admonition-title">'
                f'{ADMONITIONS[kind]}</p>\n')
    return "</div>\n"


def _render_placeholder(self, tokens, idx, options, env):
    return f"{REF_OPEN}{tokens[idx].meta['ref']}{REF_CLOSE}"


def _render_article_open(self, tokens, idx, options, env):
    t = tokens[idx]
    label = t.meta.get("label_anchor")
    extra = f'<span class="anchor" id="{escape(label)}"></span>' if label else ""
    return f'<div class="article" id="{escape(t.meta["anchor"])}">{extra}\n'


def _render_article_no(self, tokens, idx, options, env):
    t = tokens[idx]
    return f'<a class="article-no" href="#{escape(t.meta["anchor"])}">{escape(t.content)}</a>'


def _render_item_no(self, tokens, idx, options, env):
    return f'<span class="item-no">{escape(tokens[idx].content)}</span>'


# ---- fast paths -------------------------------------------------------------------
# Chinese prose is mostly paragraphs that start with an ideograph and contain no
# Markdown punctuation. markdown-it tries every block rule on each such line and runs
# the full inline machinery on each such paragraph, to produce what these two rules
# produce directly. Both give token streams identical to markdown-it's own (a property
# test compares them with the fast paths switched off); anything they are not sure
# of is left to markdown-it.

def _plain_start(state, line: int) -> bool:
    """The line's first character (after at most 3 spaces of indent) cannot start
    any block construct: it is a CJK character or other non-ASCII text, or §."""
    return _plain_start_at(state.src[state.bMarks[line] + state.tShift[line]])


def _cjk_paragraph(state, start: int, end: int, silent: bool) -> bool:
    """Block rule (first in the chain): a paragraph whose every line starts plainly.
    Such lines can neither start nor interrupt a block, so the paragraph runs to the
    next blank line, as markdown-it's paragraph rule would find after trying them all."""
    if silent:
        return False
    indent, line_max = state.blkIndent, state.lineMax
    line = start
    while line < line_max and not state.isEmpty(line):
        if not indent <= state.sCount[line] <= indent + 3 or not _plain_start(state, line):
            return False  # indented code, lazy continuation, a marker: markdown-it decides
        line += 1
    # a definition list may put one blank line between the term and ": definition"
    if line + 1 < line_max and state.src[state.bMarks[line + 1] + state.tShift[line + 1]
                                         :state.eMarks[line + 1]][:1] in (":", "~"):
        return False
    state.line = line
    token = state.push("paragraph_open", "p", 1)
    token.map = [start, line]
    token = state.push("inline", "", 0)
    token.content = state.getLines(start, line, indent, False).strip(_MD_TRIM)
    token.map = [start, line]
    token.children = []
    state.push("paragraph_close", "p", -1)
    return True


_ITEM = re.compile(r"(?:([-*+])|(\d{1,9})([.)])) ")


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


def _plain_start_at(ch: str) -> bool:
    return ch >= "\u2e80" or ch == "§"


def _simple_list(state, start: int, end: int, silent: bool) -> bool:
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


def _inline(state, fast: bool = True) -> None:
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
            text = Token("text", "", 0)
            text.content = content
            token.children.append(text)
        else:
            md.inline.parse(content, md, state.env, token.children)


def build_parser(fast: bool = True) -> MarkdownIt:
    """The site's parser; ``fast=False`` leaves out the fast paths (for the test that
    proves they change nothing)."""
    # html=True only so raw HTML and comments become tokens we can report and drop;
    # their render rules below emit nothing.
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": 20})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # schemes are checked (and reported) in _check_links
    md.use(footnote_plugin).use(deflist_plugin)
    # one container rule for every kind: markdown-it tries it on every line
    md.use(container_plugin, "admonition", render=_render_admonition,
           validate=lambda params, markup: _admonition_kind(params) in ADMONITIONS)
    md.inline.ruler.before("link", "xref", _xref_rule)
    md.inline.ruler.before("text", "budget", _inline_budget)
    md.block.ruler.at("html_block", _html_block)
    md.core.ruler.before("block", "budget", _install_budget)
    md.core.ruler.at("inline", _inline if fast else lambda state: _inline(state, fast=False))
    md.core.ruler.push("handbook", _core)
    if fast:
        md.block.ruler.before("table", "cjk_paragraph", _cjk_paragraph)
        md.block.ruler.before("table", "simple_list", _simple_list)
    md.add_render_rule("xref", _render_placeholder)
    md.add_render_rule("article_open", _render_article_open)
    md.add_render_rule("article_close", lambda self, t, i, o, e:
                       f"{SLOT_OPEN}{t[i].meta['number']}{SLOT_CLOSE}</div>\n")
    md.add_render_rule("article_no", _render_article_no)
    md.add_render_rule("item_no", _render_item_no)
    md.add_render_rule("flow", lambda self, t, i, o, e:
                       f"{FLOW_OPEN}{t[i].meta['flow']}{FLOW_CLOSE}\n")
    md.add_render_rule("html_block", lambda self, t, i, o, e: "")
    md.add_render_rule("html_inline", lambda self, t, i, o, e: "")
    return md


_PARSER: MarkdownIt | None = None


def parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = build_parser()
    return _PARSER


def parse_body(src: SourceFile, body: str, line_offset: int, is_policy: bool,
               diags: Diagnostics) -> ParsedBody:
    """Parse one Markdown body (the part after the front matter) into a ParsedBody;
    problems go to `diags`. A body over the limits is reported at the first excess and
    parsed only up to the line where it starts, so its earlier articles still count."""
    stop = None
    if body.count("\n") + (not body.endswith("\n")) > MAX_LINES:  # before markdown-it's line tables
        stop = _TooLarge("HB139", f"more than {MAX_LINES:,} lines in one file{_ONLY_BEFORE}",
                         MAX_LINES, 1, _SPLIT_HINT)
    while True:  # each excess cuts the body shorter, so this ends
        if stop is not None:
            diags.add(stop.code, stop.message, Location(src.path, line_offset + stop.line0 + 1,
                                                        stop.col), hint=stop.hint)
            lines = body.split("\n")
            body = "\n".join(lines[:min(stop.line0, len(lines) - 1)])
        try:
            return _parse(src, body, line_offset, is_policy, diags)
        except _TooLarge as excess:
            stop = excess


def _parse(src: SourceFile, body: str, line_offset: int, is_policy: bool,
           diags: Diagnostics) -> ParsedBody:
    env = {"ctx": _Context(src, body, line_offset, is_policy, diags)}
    md = parser()
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    ctx = env["ctx"]
    return ParsedBody(html, tuple(ctx.headings), tuple(ctx.articles), tuple(ctx.refs),
                      " ".join(ctx.intro_text), flows=tuple(ctx.flows))


# ---- bounded cost -----------------------------------------------------------------

_SPLIT_HINT = "split the policy into several files"
_ONLY_BEFORE = ": only the lines before this one are parsed"


class _TooLarge(Exception):
    """Stops a parse at the first excess over a limit; parse_body reports it."""

    def __init__(self, code: str, message: str, line0: int, col: int, hint: str):
        super().__init__(message)
        self.code, self.message, self.line0, self.col, self.hint = code, message, line0, col, hint


class _BlockTokens(list):
    """The token list of one parse's block phase: counts the tokens markdown-it's block
    rules push (tables' columns and cells, lists' items, all tokens) and stops the parse
    at the first one over a limit. A rule sets a token's line map just after pushing it,
    so an excess is raised on the next push (or by the core rule after the block phase)."""

    def __init__(self, lines: list[str]):
        super().__init__()
        self.lines = lines
        self.open_lists: list[int] = []
        """Items so far in each list being parsed, innermost last."""
        self.items = self.cells = self.row_cells = 0
        self.row: Token | None = None
        self.excess: tuple | None = None
        """(code, what, token, cell) of the first excess, raised on the next push."""

    def append(self, token: Token) -> None:
        if self.excess:
            self.stop()
        kind = token.type
        if kind == "list_item_open" and self.open_lists:
            self.open_lists[-1] += 1
            self.items += 1
            if self.open_lists[-1] > MAX_LIST_ITEMS:
                self.excess = ("HB138", f"a list with more than {MAX_LIST_ITEMS:,} items",
                               token, 0)
            elif self.items > MAX_FILE_LIST_ITEMS:
                self.excess = ("HB138", f"more than {MAX_FILE_LIST_ITEMS:,} list items in "
                               "one file", token, 0)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.open_lists.append(0)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.open_lists.pop()
        elif kind in ("th_open", "td_open"):
            self.row_cells += 1
            self.cells += 1
            if kind == "th_open" and self.row_cells > MAX_TABLE_COLUMNS:
                self.excess = ("HB138", f"a table with more than {MAX_TABLE_COLUMNS} columns",
                               self.row, self.row_cells)
            elif self.cells > MAX_TABLE_CELLS:
                self.excess = ("HB138", f"a table with more than {MAX_TABLE_CELLS:,} cells",
                               self.row, self.row_cells)
        elif kind == "tr_open":
            self.row, self.row_cells = token, 0
        elif kind == "table_open":
            self.cells = 0
        if len(self) >= MAX_BLOCK_TOKENS and not self.excess:
            self.excess = ("HB139", f"more than {MAX_BLOCK_TOKENS:,} Markdown block elements "
                           "in one file", token, 0)
        super().append(token)

    def stop(self) -> None:
        code, what, token, cell = self.excess
        i = len(self) - 1
        while token.map is None and i > 0:  # a closing token: the nearest line before it
            i -= 1
            token = self[i]
        line0 = token.map[0] if token.map else 0
        line = self.lines[line0] if line0 < len(self.lines) else ""
        col = _cell_column(line, cell) if cell else 1 + len(line) - len(line.lstrip(" \t>"))
        hint = "split the table or the list" if code == "HB138" else _SPLIT_HINT
        raise _TooLarge(code, what + _ONLY_BEFORE, line0, col, hint)


def _cell_column(line: str, cell: int) -> int:
    """1-based column where table cell number `cell` (1-based) starts in `line`: the '|'
    before it, or the row's first character for a first cell without one."""
    start = len(line) - len(line.lstrip(" \t>"))
    pipes = [i for i in range(start, len(line))
             if line[i] == "|" and (i == 0 or line[i - 1] != "\\")]
    if not pipes or pipes[0] != start:
        pipes.insert(0, start)
    return pipes[cell - 1] + 1 if cell <= len(pipes) else start + 1


def _install_budget(state) -> None:
    """Core rule before ``block``: the block phase pushes into a _BlockTokens."""
    ctx = state.env.get("ctx")
    if ctx is not None:
        state.tokens = ctx.block_tokens = _BlockTokens(ctx.lines)


def _inline_budget(state, silent: bool) -> bool:
    """Inline rule run first at every position the inline rules look at (also when
    link labels are scanned): counts them per file, stops the parse past the budget."""
    ctx = state.env.get("ctx")
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
            raise _TooLarge("HB139", f"more than {MAX_INLINE_STEPS:,} inline Markdown elements "
                            f"(brackets, emphasis marks, links) in one file{_ONLY_BEFORE}", line0,
                            col, _SPLIT_HINT)
    return False


def _html_block(state, start: int, end: int, silent: bool) -> bool:
    """markdown-it's html_block, except for comments that would take text with them. A
    ``<!--`` that no ``-->`` closes before the end of its block would swallow all the
    text after it: it is no comment and its lines stay text (_drop_html reports it,
    HB137). A comment closed on its own line with text after the ``-->`` is left to the
    paragraph, where the comment alone is removed."""
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


class _Context:
    """Per-document state threaded through the core rule."""

    def __init__(self, src: SourceFile, body: str, line_offset: int, is_policy: bool,
                 diags: Diagnostics):
        self.src, self.line_offset, self.is_policy, self.diags = src, line_offset, is_policy, diags
        self.body, self.lines = body, body.split("\n")
        self.starts = [0, *accumulate(len(line) + 1 for line in self.lines)]
        """Offset in body of each line's start (and one past the end)."""
        self.misses = 0
        self.refs: list[Ref] = []
        self.headings: list[Heading] = []
        self.articles: list[Article] = []
        self.intro_text: list[str] = []
        self.article_inlines: list[list[Token]] = []
        self.intro_inlines: list[Token] = []
        self.used_ids: set[str] = set()
        self.suffixes: dict[str, int] = {}
        self.cursor: dict[int, int] = {}
        """Block key -> body offset after the last hit in it."""
        self.flows: list = []
        self.block_tokens: _BlockTokens | None = None
        self.inline_steps = 0
        self.inline_token: Token | None = None
        """The inline token being parsed (positions for the inline budget)."""

    def loc(self, line0: int, col: int = 1) -> Location:
        return Location(self.src.path, self.line_offset + line0 + 1, col)

    def find(self, token: Token, needle: str, key: int) -> Location:
        """Location of `needle` inside the block `token`, searched from the last hit in it.
        Text that differs from its source (an entity, percent-encoding) is not found: that
        gives the block's first line, and after _FIND_MISSES misses in a file only the next
        _FIND_WINDOW characters are searched, so misses cannot make a file quadratic."""
        if not token.map:
            return Location(self.src.path, 0, 0)
        start, end = token.map
        end = min(max(end, start + 1), len(self.lines))
        pos, stop = self.cursor.get(key, self.starts[start]), self.starts[end]
        if self.misses >= _FIND_MISSES:
            stop = min(stop, pos + _FIND_WINDOW)
        i = self.body.find(needle, pos, stop)
        if i < 0:
            self.misses += 1
            return self.loc(start, 1)
        self.cursor[key] = i + len(needle)
        line0 = bisect.bisect_right(self.starts, i) - 1
        return self.loc(line0, i - self.starts[line0] + 1)

    def unique_id(self, wanted: str) -> str:
        """`wanted`, or `wanted-N` with the first N not taken (counting on from the last
        N given for `wanted`, so 10,000 equal headings stay linear)."""
        n = self.suffixes.get(wanted, 1)
        anchor = wanted if n == 1 else f"{wanted}-{n}"
        while anchor in self.used_ids:
            n += 1
            anchor = f"{wanted}-{n}"
        self.suffixes[wanted] = n
        self.used_ids.add(anchor)
        return anchor


def slugify(text: str) -> str:
    """Heading anchor: keeps CJK, letters and digits; whitespace becomes '-'."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"\s+", "-", text)
    return _SLUG_DROP.sub("", text).strip("-")


def _core(state) -> None:
    ctx: _Context = state.env["ctx"]
    tokens = state.tokens
    if ctx.block_tokens is not None and ctx.block_tokens.excess:
        ctx.block_tokens.stop()  # the last token pushed was over a limit
    _drop_html(tokens, ctx)
    _check_nesting(tokens, ctx)
    _table_alignment(tokens)
    has_articles = ctx.is_policy and any(
        t.type == "inline" and tokens[i - 1].type == "paragraph_open" and tokens[i - 1].level == 0
        and (_ARTICLE_MARK.match(t.content) or _HAND_ARTICLE.match(t.content))
        for i, t in enumerate(tokens) if i)
    _structure(tokens, ctx, has_articles)
    _flows(tokens, ctx)
    ctx.cursor.clear()  # column search restarts for the reference pass
    _inline_refs(tokens, ctx)
    # plain text is taken last so references appear in it as placeholders
    ctx.articles = [a._replace(text=" ".join(filter(None, map(_plain, ctx.article_inlines[i]))))
                    for i, a in enumerate(ctx.articles)]
    ctx.intro_text = [x for x in map(_plain, ctx.intro_inlines) if x]


def _flows(tokens: list[Token], ctx: _Context) -> None:
    """```flow fences become flow tokens; flows.parse_flow reads their lines in place."""
    for t in tokens:
        if t.type != "fence" or not t.info.strip() or t.info.split()[0] != "flow" or not t.map:
            continue
        parts = t.info.strip().split(None, 1)
        lines = []
        for k, text in enumerate(t.content.split("\n")[:-1]):
            line0 = t.map[0] + 1 + k
            raw = ctx.lines[line0] if line0 < len(ctx.lines) else text
            col0 = len(raw) - len(text) + 1 if text and raw.endswith(text) else 1
            lines.append((ctx.line_offset + line0 + 1, col0, text))
        n = len(ctx.flows) + 1
        anchor = ctx.unique_id(f"flow-{n}")
        flow = parse_flow(parts[1] if len(parts) > 1 else "", lines, ctx.src.path, anchor,
                          ctx.loc(t.map[0]), ctx.diags)
        for k in range(len(flow.steps)):
            ctx.used_ids.add(f"{anchor}-s{k + 1}")
        t.type = "flow"
        t.meta = dict(t.meta or {}, flow=len(ctx.flows))
        ctx.flows.append(flow)


def _drop_html(tokens: list[Token], ctx: _Context) -> None:
    """Raw HTML is an error and never emitted; comments are editors' notes: warn, strip.
    A ``<!--`` left in text is a comment never closed (_html_block keeps its lines text)."""
    for t in tokens:
        if t.type == "html_block":
            _report_html(t.content, ctx, ctx.loc(t.map[0]) if t.map else None)
            if t.content.startswith("<!--") and t.map:
                _report_text_after_comment(t, ctx)
        elif t.type == "inline" and t.children:
            unclosed = False
            for child in t.children:
                if child.type == "html_inline":
                    _report_html(child.content, ctx, ctx.find(t, child.content, id(t)))
                elif child.type == "text" and "<!--" in child.content and not unclosed:
                    unclosed = _report_unclosed_comment(t, ctx)


def _report_text_after_comment(block: Token, ctx: _Context) -> None:
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


def _report_unclosed_comment(inline: Token, ctx: _Context) -> bool:
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


def _report_html(content: str, ctx: _Context, loc) -> None:
    if content.lstrip().startswith("<!--"):
        ctx.diags.add("HB131", "HTML comment removed from the output (editors' notes are "
                      "never published)", loc)
    else:
        snippet = content.strip().split("\n")[0][:40]
        ctx.diags.add("HB130", f"raw HTML is not allowed: {snippet}", loc,
                      hint="use Markdown, or escape the '<' as \\<")


def _check_nesting(tokens: list[Token], ctx: _Context) -> None:
    for t in tokens:
        if t.nesting == 1 and t.level >= 18 and t.map:
            ctx.diags.add("HB133", "lists or quotes nested too deep: deeper content would "
                          "be dropped", ctx.loc(t.map[0]), hint="flatten the structure")
            return


def _table_alignment(tokens: list[Token]) -> None:
    """markdown-it emits style="text-align:…"; a strict CSP blocks that, so use classes."""
    for t in tokens:
        if t.type in ("th_open", "td_open") and t.attrs.get("style"):
            align = str(t.attrs.pop("style")).split(":")[-1].strip()
            t.attrSet("class", f"align-{align}")


def _structure(tokens: list[Token], ctx: _Context, has_articles: bool) -> None:
    """Number articles, chapters and sections; give every heading a unique anchor."""
    chapter_no = section_no = 0
    chapter_title = section_title = ""
    current: dict | None = None  # the open article
    out: list[Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i]
        top = t.level == 0
        if top and (t.type in ("heading_open", "footnote_block_open") or
                    (t.type == "paragraph_open" and has_articles and _is_article(tokens[i + 1]))):
            if current:
                out.append(_article_close(current))
                _finish_article(current, ctx)
                current = None
        if top and t.type == "heading_open":
            inline = tokens[i + 1]
            level = int(t.tag[1])
            text = inline.content.strip()
            kind = "plain"
            if has_articles and level in (2, 3):
                kind = "chapter" if level == 2 else "section"
                unit = "章" if level == 2 else "节"
                m = _HAND_CHAPTER.match(text)
                if level == 2:
                    chapter_no += 1
                    section_no = 0
                    expected = chapter_no
                else:
                    section_no += 1
                    expected = section_no
                if m and m[2] == unit:
                    typed = from_chinese(m[1])
                    _lint_number(ctx, t, typed, expected, unit)
                    if level == 2:
                        chapter_no = typed or chapter_no
                    else:
                        section_no = typed or section_no
                    display = text
                else:
                    display = f"第{to_chinese(expected)}{unit} {text}"
                    inline.children.insert(0, _text_token(f"第{to_chinese(expected)}{unit} "))
                if level == 2:
                    chapter_title, section_title = display, ""
                else:
                    section_title = display
            else:
                display = text
            slug = slugify(display if kind == "plain" else text) or "h"
            if not slugify(text) and kind == "plain":
                ctx.diags.add("HB136", f"heading '{text}' has no letters or digits for an anchor",
                              ctx.loc(t.map[0]) if t.map else None)
            anchor = ctx.unique_id(slug)
            t.attrSet("id", anchor)
            ctx.headings.append(Heading(level, display, anchor, kind,
                                        ctx.line_offset + t.map[0] + 1 if t.map else 0))
        elif top and t.type == "paragraph_open" and has_articles and _is_article(tokens[i + 1]):
            number = (ctx.articles[-1].number + 1) if ctx.articles else 1
            inline = tokens[i + 1]
            label, number = _strip_article_mark(inline, number, ctx, t)
            anchor_no = ctx.unique_id(f"a{number}")
            label_anchor = None
            if label:
                if label in ctx.used_ids:  # labels and anchors share one id space
                    ctx.diags.add("HB210", f"duplicate article label '{label}'",
                                  ctx.find(inline, "§{" + label, id(inline)))
                    label = None
                else:
                    label_anchor = ctx.unique_id(label)
            anchor = label_anchor or anchor_no
            open_token = Token("article_open", "div", 1)
            open_token.meta = {"anchor": anchor_no, "label_anchor": label_anchor}
            out.append(open_token)
            no = Token("article_no", "", 0)
            no.content = f"第{to_chinese(number)}条"
            no.meta = {"anchor": anchor}
            inline.children.insert(0, no)
            current = {"number": number, "label": label, "anchor": anchor, "paragraphs": 0,
                       "heading": " ".join(x for x in (chapter_title, section_title) if x),
                       "line": ctx.line_offset + (t.map[0] + 1 if t.map else 0)}
            ctx.articles.append(Article(number, label, anchor, 0, "", 0))  # finished on close
            ctx.article_inlines.append([])
        if current is not None:
            if top and t.type == "paragraph_open":
                current["paragraphs"] += 1
            if top and t.type == "ordered_list_open":
                _number_items(tokens, i)
            if t.type == "inline":
                ctx.article_inlines[-1].append(t)
                t.meta["article"] = current["number"]
        elif t.type == "inline":
            ctx.intro_inlines.append(t)
        out.append(t)
        i += 1
    if current:
        # close before a trailing footnote block is handled above; close at the very end here
        out.append(_article_close(current))
        _finish_article(current, ctx)
    tokens[:] = out


def _article_close(cur: dict) -> Token:
    t = Token("article_close", "div", -1)
    t.meta = {"number": cur["number"]}
    return t


def _finish_article(cur: dict, ctx: _Context) -> None:
    ctx.articles[-1] = Article(cur["number"], cur["label"], cur["anchor"],
                               max(cur["paragraphs"], 1), cur["heading"], cur["line"])


def _is_article(inline: Token) -> bool:
    return bool(_ARTICLE_MARK.match(inline.content) or _HAND_ARTICLE.match(inline.content))


def _strip_article_mark(inline: Token, number: int, ctx: _Context, block: Token):
    """Remove '§{label} ' / '第N条 ' from the paragraph's first text; return (label, number)."""
    first = inline.children[0] if inline.children else None
    if first is None or first.type != "text":
        return None, number
    m = _ARTICLE_MARK.match(first.content)
    label = None
    if m:
        label = m[1]
        if label is not None and (not label or not _LABEL.match(label) or
                                  re.fullmatch(rf"\d+|第{_NUM}条", label)):
            ctx.diags.add("HB204", f"invalid article label '{label}'",
                          ctx.find(inline, "§", id(inline)),
                          hint="use letters, digits and hyphens, e.g. §{scope}")
            label = None
    else:
        m = _HAND_ARTICLE.match(first.content)
        typed = from_chinese(m[1])
        if typed is not None:
            _lint_number(ctx, block, typed, number, "条")
            number = typed
    first.content = first.content[m.end():]
    return label, number


def _lint_number(ctx: _Context, block: Token, typed: int | None, expected: int, unit: str) -> None:
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
                    marker = Token("item_no", "", 0)
                    marker.content = f"（{to_chinese(count)}）"
                    tokens[k].children.insert(0, marker)
                    break


def _text_token(content: str) -> Token:
    t = Token("text", "", 0)
    t.content = content
    return t


def _plain(inline: Token) -> str:
    out = []
    for c in inline.children or ():
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif c.type == "xref":  # filled with the link text once references are resolved
            out.append(c.content)
    return "".join(out).strip()


def _inline_refs(tokens: list[Token], ctx: _Context) -> None:
    """Turn [[…]] tokens, prose citations and local .md links into Ref placeholders."""
    for t in tokens:
        if t.type != "inline" or not t.children:
            continue
        article = (t.meta or {}).get("article")
        key = id(t)
        children: list[Token] = []
        in_link = 0
        quotes = _Quotes()
        for c in t.children:
            if c.type == "link_open":
                in_link += 1
                _check_link(c, t, ctx, article)
            elif c.type == "link_close":
                in_link -= 1
            elif c.type == "image":
                _check_link(c, t, ctx, article, attr="src")
            if c.type == "xref":
                _xref_token(c, t, ctx, article)
                children.append(c)
            elif c.type == "text" and not in_link:
                children.extend(_prose(c, t, ctx, article, quotes))
                if "[[" in c.content:
                    ctx.diags.add("HB204", "'[[' without a matching ']]' on the same line",
                                  ctx.find(t, "[[", key), hint="write [[ID]] or [[ID#label]]")
            else:
                if c.type == "text":
                    quotes.scan(c.content, 0, len(c.content))
                children.append(c)
        t.children = children


def _add_ref(ctx: _Context, token: Token, ref: Ref) -> None:
    token.meta = dict(token.meta or {}, ref=len(ctx.refs))
    token.content = f"{REF_OPEN}{len(ctx.refs)}{REF_CLOSE}"
    ctx.refs.append(ref)


def _split_anchor(anchor: str | None) -> tuple[str | None, int | None]:
    """'scope.2' -> ('scope', 2); '第五条第二款' -> ('第五条', 2)."""
    if not anchor:
        return None, None
    m = re.match(rf"^(.*?)(?:\.(\d+)|第({_NUM})款)$", anchor)
    if m and m[1]:
        return m[1], int(m[2]) if m[2] else from_chinese(m[3])
    return anchor, None


def _xref_token(tok: Token, inline: Token, ctx: _Context, article) -> None:
    raw = tok.meta["raw"]
    loc = ctx.find(inline, f"[[{raw}]]", id(inline))
    m = _REF_BODY.match(raw.strip())
    if not raw.strip() or not m or (m["dept"] and (m["anchor"] or m["id"])):
        ctx.diags.add("HB204", f"malformed reference [[{raw}]]", loc,
                      hint="write [[ID]], [[ID#label]], [[ID#label.2]], [[#label]] or [[dept:ID]]")
        tok.type, tok.content = "text", f"[[{raw}]]"
        return
    anchor, para = _split_anchor(m["anchor"])
    if m["dept"]:
        ref = Ref("dept", m["dept"], None, None, m["text"], loc, article, raw=f"[[{raw}]]")
    elif m["id"]:
        ref = Ref("policy", m["id"], anchor, para, m["text"], loc, article, raw=f"[[{raw}]]")
    elif anchor:
        ref = Ref("local", "", anchor, para, m["text"], loc, article, raw=f"[[{raw}]]")
    else:
        ctx.diags.add("HB204", f"malformed reference [[{raw}]]", loc)
        tok.type, tok.content = "text", f"[[{raw}]]"
        return
    _add_ref(ctx, tok, ref)


class _Quotes:
    """The quotation marks open so far in one inline (“…”, ‘…’, 「…」, 『…』; a paragraph
    of a quotation that goes on in the next one leaves its mark open). Text inside them
    quotes another document (an amendment quoting a law), so citations there are not
    this document's. 《…》 is a title, not a quotation."""

    def __init__(self):
        self.open = dict.fromkeys(_QUOTE_PAIRS, 0)

    def scan(self, text: str, start: int, end: int) -> None:
        for m in _QUOTE_MARK.finditer(text, start, end):
            mark = m.group()
            if mark in self.open:
                self.open[mark] += 1
            elif self.open[_QUOTE_OPENER[mark]]:  # a closing mark with nothing open: ignored
                self.open[_QUOTE_OPENER[mark]] -= 1

    @property
    def inside(self) -> bool:
        return any(self.open.values())


def _prose(tok: Token, inline: Token, ctx: _Context, article, quotes: _Quotes) -> list[Token]:
    """Split a text token around legal-style citations (本办法第十二条, 《…》第五条);
    those inside quotation marks are left as text."""
    text = tok.content
    if "第" not in text:
        quotes.scan(text, 0, len(text))
        return [tok]
    out: list[Token] = []
    pos = scanned = 0
    last_target: tuple[str, str] | None = None  # (kind, target) for '、第N条' continuations
    for m in _PROSE.finditer(text):
        quotes.scan(text, scanned, m.start())
        scanned = m.start()
        if quotes.inside:
            ctx.find(inline, m.group(), id(inline))  # later citations are searched after it
            last_target = None
            continue
        if m[4]:  # continuation after 、和及或至
            if last_target is None or m.start() != pos:
                continue
            kind, target = last_target
            number, para = from_chinese(m[4]), from_chinese(m[5]) if m[5] else None
        elif m[1]:
            kind, target = "title", m[1]
            number, para = from_chinese(m[2]), from_chinese(m[3]) if m[3] else None
        else:
            kind, target = "local", ""
            number, para = from_chinese(m[2]), from_chinese(m[3]) if m[3] else None
        if m.start() > pos:
            out.append(_text_token(text[pos:m.start()]))
        ref_tok = Token("xref", "", 0)
        loc = ctx.find(inline, m.group(), id(inline))
        _add_ref(ctx, ref_tok, Ref(kind, target, str(number), para, None, loc, article,
                                   prose=True, raw=m.group()))
        out.append(ref_tok)
        pos = m.end()
        last_target = (kind, target)
        # a list of further articles may follow: "、第五条"
        if pos < len(text) and text[pos] in "、和及或至":
            out.append(_text_token(text[pos]))
            pos += 1
    quotes.scan(text, scanned, len(text))
    if not out:
        return [tok]
    if pos < len(text):
        out.append(_text_token(text[pos:]))
    return out


def _check_link(tok: Token, inline: Token, ctx: _Context, article, attr: str = "href") -> None:
    url = str(tok.attrs.get(attr, ""))
    if not url or url.startswith("#"):
        return
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    scheme = _SCHEME.match(cleaned)
    if scheme or cleaned.startswith("//"):
        if scheme and cleaned.startswith(_ALLOWED_SCHEMES) and attr == "href":
            tok.attrSet("rel", "noopener noreferrer")
            return
        ctx.diags.add("HB132", f"URL scheme not allowed: {url[:60]}",
                      ctx.find(inline, url[:20], id(inline)),
                      hint="links may use http, https, mailto or a relative path")
        tok.attrs.pop(attr, None)
        return
    url = unquote(url)  # markdown-it percent-encodes; diagnostics and lookups use the text
    path, _, fragment = url.partition("#")
    if attr == "href" and path.endswith(".md"):
        placeholder = Token("xref", "", 0)
        loc = ctx.find(inline, url[:30], id(inline))
        _add_ref(ctx, placeholder, Ref("mdlink", path, fragment or None, None, None, loc,
                                       article, raw=url))
        tok.attrSet(attr, f"{REF_OPEN}{placeholder.meta['ref']}{REF_CLOSE}")
        return
    ctx.diags.add("HB134", f"link target '{url[:60]}' is not a policy (.md) in this handbook",
                  ctx.find(inline, url[:20], id(inline)),
                  hint="link to a policy with [[ID]]; other files are not published")
    tok.attrs.pop(attr, None)
