"""The per-document state the parser's rules share (``state.env["ctx"]``): what parsing
collects for the ParsedBody, element ids, and source positions of inline items.

Positions: block tokens carry line maps; for inline items (references, links, inline
HTML) the column is found by searching the item's source text in the block's lines,
falling back to column 1 of the block when the text cannot be found.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate

from markdown_it.token import Token

from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.model import Article, Heading, Ref
from handbook_gen.source.reader import SourceFile

_FIND_MISSES, _FIND_WINDOW = 100, 4096


@dataclass(eq=False)
class Mark:
    """A top-level heading or article paragraph as the structure rules see it: found and
    numbered by ``numbering``, given its ids by ``anchors``, wrapped by ``articles``."""

    token: Token
    """The heading_open or paragraph_open."""
    inline: Token
    kind: str
    """``plain``, ``part`` (编), ``subpart`` (分编), ``chapter`` or ``section`` for a heading;
    ``article``."""
    text: str = ""
    """A heading's text as typed; its display text (numbering included) is ``display``."""
    display: str = ""
    number: int = 0
    """An article's number (a numerals.InsertedNumber for 第N条之一)."""
    heading: str = ""
    """An article's part, sub-part, chapter and section headings as displayed, each once:
    ``第二章 职责 第一节 一般规定``."""
    label: str | None = None
    """An article's ``§{label}`` (None when absent, invalid or taken)."""
    anchor: str = ""
    """The id links use: a heading's; an article's label id, else its number id."""
    number_anchor: str = ""
    """An article's ``a5`` id."""
    label_anchor: str | None = None


class ParseContext:
    """State of one parse, threaded through the rules."""

    def __init__(self, src: SourceFile, body: str, line_offset: int, is_policy: bool,
                 diags: Diagnostics):
        self.src, self.line_offset, self.is_policy, self.diags = src, line_offset, is_policy, diags
        self.body, self.lines = body, body.split("\n")
        self.starts = [0, *accumulate(map((1).__add__, map(len, self.lines)))]
        """Offset in body of each line's start (and one past the end)."""
        self.misses = 0
        self.refs: list[Ref] = []
        self.headings: list[Heading] = []
        self.articles: list[Article] = []
        self.intro_text: list[str] = []
        self.outline: list[Mark] = []
        """Top-level headings and articles, in order (the ``numbering`` rule)."""
        self.has_articles = False
        self.article_parts: list[tuple[Mark, int, list[Token]]] = []
        """Per article: its mark, how many 款 and its inlines (``articles``, for
        ``plain_text``, which makes ``articles``)."""
        self.intro_inlines: list[Token] = []
        self.used_ids: set[str] = set()
        self.suffixes: dict[str, int] = {}
        self.cursor: dict[int, int] = {}
        """Block key -> body offset after the last hit in it."""
        self.flows: list = []
        self.block_tokens: list[Token] | None = None
        """The block phase's counting token list (limits.BlockTokens)."""
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


_new = object.__new__


def new_token(type_: str, tag: str, nesting: int, level: int = 0,
              block: bool = False) -> Token:
    """The Token that ``Token(type_, tag, nesting)`` makes, with `level` and `block` set:
    every field assigned directly instead of through the dataclass's generic ``__init__``
    and ``__post_init__``. A parse makes about 570 of them per policy (most of them here:
    the fast paths' paragraphs and texts, the articles' wrappers), where that ``__init__``
    was a tenth of the parse; tests/unit/test_markdown_fast.py keeps the two equal."""
    t = _new(Token)
    t.type = type_  # (one statement per field: no tuple is built and unpacked)
    t.tag = tag
    t.nesting = nesting
    t.attrs = {}
    t.map = None
    t.level = level
    t.children = None
    t.content = t.markup = t.info = ""
    t.meta = {}
    t.block = block
    t.hidden = False
    return t


def text_token(content: str) -> Token:
    """A text token, for the words rules add to an inline (第一章, 、 between citations)."""
    t = new_token("text", "", 0)
    t.content = content
    return t
