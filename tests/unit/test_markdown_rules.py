"""The parser is built from named rules: the handbook's core rules are visible by name
in markdown-it's ruler, in their order, and fenced blocks are handled by what is
registered for their name (a toy fence registered here is used; an unknown name stays
a code block)."""
from __future__ import annotations

from html import escape

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.markdown.fences import FENCES
from handbook_gen.markdown.parser import CORE_RULES, build_parser, parse_body
from handbook_gen.markdown.placeholders import FLOW_CLOSE, FLOW_OPEN
from handbook_gen.source.reader import SourceFile

PATH = "policies/01-general/a.md"


def parse(body: str):
    diags = Diagnostics()
    return parse_body(SourceFile(PATH, body), body, 0, True, diags), diags


def test_each_pass_is_a_named_core_rule_in_order():
    names = build_parser().core.ruler.get_all_rules()
    ours = ["block_excess", "drop_html", "nesting", "table_classes", "numbering", "anchors",
            "articles", "fences", "citations", "plain_text"]
    assert [name for name, _ in CORE_RULES] == ours
    assert names[-len(ours):] == ours
    assert names.index("count_block_tokens") < names.index("block") < names.index("inline")
    assert all(rule.__doc__ for _, rule in CORE_RULES)


def test_a_registered_fence_is_used_with_positions(monkeypatch):
    seen = []

    def toy(block, ctx):
        seen.append(block)
        anchor = ctx.unique_id("toy")
        return f'<p class="toy" id="{anchor}">{escape(block.title)}: {len(block.lines)}</p>\n'

    monkeypatch.setitem(FENCES, "toy", toy)
    body, diags = parse("§ 甲。\n\n> ```toy 玩具 标题\n> 一\n>   二\n> ```\n")
    assert '<p class="toy" id="toy">玩具 标题: 2</p>' in body.html
    assert "<pre>" not in body.html and not diags.items
    (block,) = seen
    assert (block.name, block.title) == ("toy", "玩具 标题")
    assert block.lines == [(4, 3, "一"), (5, 3, "  二")]  # line, column, text (inside a quote)
    assert (block.location.line, block.location.col) == (3, 1)


def test_an_unknown_fence_stays_a_code_block():
    body, diags = parse("```toy 玩具\n一 | FIN | 二\n```\n\n```\n无名\n```\n")
    assert '<pre><code class="language-toy">一 | FIN | 二\n</code></pre>' in body.html
    assert "<pre><code>无名\n</code></pre>" in body.html
    assert not diags.items and not body.flows


def test_flow_is_one_registration():
    body, _ = parse("```flow 流程\n申请 | FIN | 提出\n```\n")
    assert FENCES["flow"].__module__ == "handbook_gen.markdown.fences.flow"
    assert len(body.flows) == 1 and body.html == f"{FLOW_OPEN}0{FLOW_CLOSE}\n"
