"""Citations: everything in a body that points elsewhere becomes a Ref and a placeholder
(placeholders.py) that resolution fills once the whole handbook is known.

- ``[[ID]]``, ``[[ID#label]]``, ``[[ID#label.2]]`` / ``[[ID#第五条第二款]]``, ``[[#label]]``,
  ``[[dept:ID]]``, with ``|text`` for custom link text (HB204 when malformed);
- legal-style prose citations: ``本办法第十二条``, ``《合同管理办法》第五条第二款``,
  ``本条例第一百二十条之一`` (an inserted article) and the articles listed right after one
  (``、第六条和第七条``; "第五条的规定和第七条" cites only 第五条). Citations inside
  quotation marks quote another document and stay text;
- Markdown links: a ``.md`` link is a reference to that policy; other URLs must use an
  allowed scheme (HB132) and must not point at other local files (HB134).
"""
from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote

from markdown_it.token import Token

from handbook_gen.core.model import Ref
from handbook_gen.core.numerals import NUMERAL_CLASS, article_name, article_number, from_chinese
from handbook_gen.markdown.context import ParseContext, new_token, text_token
from handbook_gen.markdown.placeholders import ref_mark

MAX_REF_CHARS = 200
SELF_WORDS = "制度|办法|规定|细则|条例|法|准则|规则|程序|规程|守则"
_NUM = f"[{NUMERAL_CLASS}]+"
_ARTICLE = rf"第({_NUM})条(?:之({_NUM})(?!般))?(?:第({_NUM})款)?"
"""第N条, 第N条之一 (an inserted article; 之一般 is a word), each with an optional 第M款."""
_PROSE = re.compile(rf"(?:本(?:{SELF_WORDS})|《([^《》\n]{{2,40}})》){_ARTICLE}"
                    rf"|(?<=[、和及或至]){_ARTICLE}")
_REF_BODY = re.compile(r"^(?:(?P<id>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)|dept:(?P<dept>[^\s#|]+))?"
                       r"(?:#(?P<anchor>[^\s|]+))?(?:\|(?P<text>.+))?$")
_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_QUOTE_OPENER = {close: open_ for open_, close in _QUOTE_PAIRS.items()}
_QUOTE_MARK = re.compile("[“”‘’「」『』]")
_ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def xref_rule(state, silent: bool) -> bool:
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


def render_ref(self, tokens, idx, options, env) -> str:
    return ref_mark(tokens[idx].meta["ref"])


def citations(state) -> None:
    """Core rule: turns [[…]] tokens, prose citations and local .md links into Refs and
    their placeholders; checks link schemes."""
    ctx: ParseContext = state.env["ctx"]
    ctx.cursor.clear()  # column search restarts for the references
    for t in state.tokens:
        if t.type == "inline" and t.children and (
                "[" in t.content or "<" in t.content  # a link, an image, a [[reference]]
                # a 第 in a text: the source has one or an entity (&#31532;) writes it (the
                # 第N章 that numbering puts before a heading's text cites nothing)
                or (("第" in t.content or "&" in t.content) and
                    any(c.type == "text" and "第" in c.content for c in t.children))):
            _inline_citations(t, ctx)


def _inline_citations(t: Token, ctx: ParseContext) -> None:
    """The references of one inline, in order; its text is split around prose citations."""
    article = (t.meta or {}).get("article")
    key = id(t)
    children: list[Token] = []
    in_link = 0
    quotes = Quotes()
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


def _add_ref(ctx: ParseContext, token: Token, ref: Ref) -> None:
    token.meta = dict(token.meta or {}, ref=len(ctx.refs))
    token.content = ref_mark(len(ctx.refs))
    ctx.refs.append(ref)


def _split_anchor(anchor: str | None) -> tuple[str | None, int | None]:
    """'scope.2' -> ('scope', 2); '第五条第二款' -> ('第五条', 2)."""
    if not anchor:
        return None, None
    m = re.match(rf"^(.*?)(?:\.(\d+)|第({_NUM})款)$", anchor)
    if m and m[1]:
        return m[1], int(m[2]) if m[2] else from_chinese(m[3])
    return anchor, None


def _xref_token(tok: Token, inline: Token, ctx: ParseContext, article) -> None:
    raw = tok.meta["raw"]
    loc = ctx.find(inline, f"[[{raw}]]", id(inline))
    m = _REF_BODY.match(raw.strip())
    if not raw.strip() or not m or (m["dept"] and (m["anchor"] or m["id"])):
        ctx.diags.add("HB204", "malformed reference [[{raw}]]", loc,
                      hint="write [[ID]], [[ID#label]], [[ID#label.2]], [[#label]] or "
                      "[[dept:ID]]", raw=raw)
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
        ctx.diags.add("HB204", "malformed reference [[{raw}]]", loc,
                      hint="write [[ID]], [[ID#label]], [[ID#label.2]], [[#label]] or "
                      "[[dept:ID]]", raw=raw)
        tok.type, tok.content = "text", f"[[{raw}]]"
        return
    _add_ref(ctx, tok, ref)


class Quotes:
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


class ProseCitation(NamedTuple):
    """One legal-style citation in a text: ``本办法第十二条`` (kind ``local``) or
    ``《合同管理办法》第五条第二款`` (kind ``title``, target the title), or an article listed
    right after one (``、第六条``, same kind and target)."""

    start: int
    end: int
    kind: str
    target: str
    key: str
    """The article as a Ref anchor: '5', or '第五条之一' for an inserted one."""
    paragraph: int | None
    quoted: bool
    """Inside quotation marks: it quotes another document and is not a citation."""


def prose_citations(text: str, quotes: Quotes | None = None) -> list[ProseCitation]:
    """The prose citations of `text` in order (quoted ones flagged), with `quotes` carried
    from the text before it; the one recognition of prose citations (the parser's and the
    Word importer's)."""
    quotes = quotes or Quotes()
    found: list[ProseCitation] = []
    if "第" not in text:
        quotes.scan(text, 0, len(text))
        return found
    pos = scanned = 0
    last_target: tuple[str, str] | None = None  # (kind, target) for '、第N条' continuations
    for m in _PROSE.finditer(text):
        quotes.scan(text, scanned, m.start())
        scanned = m.start()
        if quotes.inside:
            found.append(ProseCitation(m.start(), m.end(), "", "", "", None, True))
            last_target = None
            continue
        if m[5]:  # continuation after 、和及或至
            if last_target is None or m.start() != pos:
                continue
            kind, target = last_target
            key, para = _article_key(m[5], m[6]), from_chinese(m[7]) if m[7] else None
        else:
            kind, target = ("title", m[1]) if m[1] else ("local", "")
            key, para = _article_key(m[2], m[3]), from_chinese(m[4]) if m[4] else None
        found.append(ProseCitation(m.start(), m.end(), kind, target, key, para, False))
        pos = m.end()
        last_target = (kind, target)
        # a list of further articles may follow: "、第五条"
        if pos < len(text) and text[pos] in "、和及或至":
            pos += 1
    quotes.scan(text, scanned, len(text))
    return found


def _prose(tok: Token, inline: Token, ctx: ParseContext, article, quotes: Quotes) -> list[Token]:
    """Split a text token around legal-style citations (本办法第十二条, 《…》第五条);
    those inside quotation marks are left as text."""
    text = tok.content
    out: list[Token] = []
    pos = 0
    for c in prose_citations(text, quotes):
        raw = text[c.start:c.end]
        if c.quoted:
            ctx.find(inline, raw, id(inline))  # later citations are searched after it
            continue
        if c.start > pos:
            out.append(text_token(text[pos:c.start]))
        ref_tok = new_token("xref", "", 0)
        loc = ctx.find(inline, raw, id(inline))
        _add_ref(ctx, ref_tok, Ref(c.kind, c.target, c.key, c.paragraph, None, loc, article,
                                   prose=True, raw=raw))
        out.append(ref_tok)
        pos = c.end
    if not out:
        return [tok]
    if pos < len(text):
        out.append(text_token(text[pos:]))
    return out


def _article_key(number: str, sub: str | None) -> str:
    """A prose citation's article as a Ref anchor: '5', or '第五条之一' for an inserted one."""
    n = from_chinese(number)
    return article_name(article_number(n, from_chinese(sub))) if sub else str(n)


def _check_link(tok: Token, inline: Token, ctx: ParseContext, article, attr: str = "href") -> None:
    url = str(tok.attrs.get(attr, ""))
    if not url or url.startswith("#"):
        return
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    scheme = _SCHEME.match(cleaned)
    if scheme or cleaned.startswith("//"):
        if scheme and cleaned.startswith(_ALLOWED_SCHEMES) and attr == "href":
            tok.attrSet("rel", "noopener noreferrer")
            return
        ctx.diags.add("HB132", "URL scheme not allowed: {url}",
                      ctx.find(inline, url[:20], id(inline)),
                      hint="links may use http, https, mailto or a relative path", url=url[:60])
        tok.attrs.pop(attr, None)
        return
    url = unquote(url)  # markdown-it percent-encodes; diagnostics and lookups use the text
    path, _, fragment = url.partition("#")
    if attr == "href" and path.endswith(".md"):
        placeholder = new_token("xref", "", 0)
        loc = ctx.find(inline, url[:30], id(inline))
        _add_ref(ctx, placeholder, Ref("mdlink", path, fragment or None, None, None, loc,
                                       article, raw=url))
        tok.attrSet(attr, ref_mark(placeholder.meta["ref"]))
        return
    ctx.diags.add("HB134", "link target '{url}' is not a policy (.md) in this handbook",
                  ctx.find(inline, url[:20], id(inline)),
                  hint="link to a policy with [[ID]]; other files are not published",
                  url=url[:60])
    tok.attrs.pop(attr, None)
