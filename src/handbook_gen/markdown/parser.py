"""The parser: one configured markdown-it, the handbook's rules registered on it by name,
and ``parse_body``, which turns one Markdown body into a picklable ParsedBody.

After markdown-it's own core rules (block, inline) the handbook's run in the order of
CORE_RULES, each a named core rule in its own module:

    block_excess  limits.py     a block over a size limit stops the parse (HB138, HB139)
    drop_html     safety.py     raw HTML and comments reported and never emitted
    nesting       limits.py     content nested too deep to keep (HB133)
    table_classes safety.py     table alignment as classes, never style attributes
    numbering     numbering.py  chapters, sections, articles: 第N章/第N节/第N条
    anchors       anchors.py    element ids of headings and articles
    articles      articles.py   article elements, their 款 and 项
    fences        fences/       fenced blocks registered by name (```flow)
    citations     citations.py  [[…]], prose citations and links become Refs
    plain_text    articles.py   the articles' and the intro's plain text

The HTML holds placeholders (placeholders.py) for what needs the whole handbook, so
parsing runs in worker processes and is cached by content hash.
"""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.model import ParsedBody
from handbook_gen.markdown import anchors, articles, citations, fastpaths, fences, limits
from handbook_gen.markdown import numbering, safety
from handbook_gen.markdown.context import ParseContext
from handbook_gen.source.reader import SourceFile

CORE_RULES = (
    ("block_excess", limits.block_excess),
    ("drop_html", safety.drop_html),
    ("nesting", limits.nesting),
    ("table_classes", safety.table_classes),
    ("numbering", numbering.numbering),
    ("anchors", anchors.anchors),
    ("articles", articles.articles),
    ("fences", fences.fences),
    ("citations", citations.citations),
    ("plain_text", articles.plain_text),
)
"""The handbook's core rules, run in this order after markdown-it's own."""
ADMONITIONS = {"note": "注意", "tip": "提示", "warning": "警告"}


def _admonition_kind(params: str) -> str:
    words = params.split(None, 1)
    return words[0] if words else ""


def _render_admonition(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.nesting == 1:
        kind = _admonition_kind(token.info)
        return (f'<div class="admonition {kind}"><p class="admonition-title">'
                f'{ADMONITIONS[kind]}</p>\n')
    return "</div>\n"


def build_parser(fast: bool = True) -> MarkdownIt:
    """The site's parser; ``fast=False`` leaves out the fast paths (for the test that
    proves they change nothing)."""
    # html=True only so raw HTML and comments become tokens we can report and drop
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": limits.MAX_NESTING},
                    renderer_cls=fastpaths.Renderer if fast else RendererHTML)
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # schemes are checked (and reported) by citations
    md.use(footnote_plugin).use(deflist_plugin)
    # one container rule for every kind: markdown-it tries it on every line
    md.use(container_plugin, "admonition", render=_render_admonition,
           validate=lambda params, markup: _admonition_kind(params) in ADMONITIONS)
    md.inline.ruler.before("link", "xref", citations.xref_rule)
    md.inline.ruler.before("text", "budget", limits.inline_budget)
    md.block.ruler.at("html_block", safety.html_block)
    if fast:
        md.block.ruler.before("table", "cjk_paragraph", fastpaths.cjk_paragraph)
        md.block.ruler.before("table", "simple_list", fastpaths.simple_list)
    md.core.ruler.before("block", "count_block_tokens", limits.count_block_tokens)
    if fast:
        md.core.ruler.at("normalize", fastpaths.normalize)
        md.core.ruler.at("text_join", fastpaths.text_join)
        md.core.ruler.at("block", fastpaths.block)
    md.core.ruler.at("inline", fastpaths.inline if fast else
                     lambda state: fastpaths.inline(state, fast=False))
    for name, rule in CORE_RULES:
        md.core.ruler.push(name, rule)
    md.add_render_rule("xref", citations.render_ref)
    md.add_render_rule("article_open", articles.render_open)
    md.add_render_rule("article_close", articles.render_close)
    md.add_render_rule("article_no", articles.render_number)
    md.add_render_rule("item_no", articles.render_item_number)
    md.add_render_rule("fenced_block", fences.render)
    md.add_render_rule("html_block", safety.render_nothing)
    md.add_render_rule("html_inline", safety.render_nothing)
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
    stop = limits.line_excess(body)
    while True:  # each excess cuts the body shorter, so this ends
        if stop is not None:
            diags.add(stop.code, stop.message, Location(src.path, line_offset + stop.line0 + 1,
                                                        stop.col), hint=stop.hint, **stop.params)
            lines = body.split("\n")
            body = "\n".join(lines[:min(stop.line0, len(lines) - 1)])
        try:
            return _parse(src, body, line_offset, is_policy, diags)
        except limits.TooLarge as excess:
            stop = excess


def _parse(src: SourceFile, body: str, line_offset: int, is_policy: bool,
           diags: Diagnostics) -> ParsedBody:
    ctx = ParseContext(src, body, line_offset, is_policy, diags)
    env = {"ctx": ctx}
    md = parser()
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    return ParsedBody(html, tuple(ctx.headings), tuple(ctx.articles), tuple(ctx.refs),
                      " ".join(ctx.intro_text), flows=tuple(ctx.flows))
