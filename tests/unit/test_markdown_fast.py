"""The parser's fast paths (plain CJK paragraphs, simple lists, plain inline content) must produce
exactly the tokens markdown-it produces without them, and the fast renderer exactly its HTML,
on any input."""
from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from handbook_gen.markdown.parser import CORE_RULES, build_parser

FAST, SLOW = build_parser(fast=True), build_parser(fast=False)
for md in (FAST, SLOW):  # the token streams are compared before our own core rules
    md.core.ruler.disable([name for name, _ in CORE_RULES])
    # a reference is rendered from what the citations rule adds to it: a stand-in here
    md.add_render_rule("xref", lambda self, tokens, idx, options, env: "<ref>")

# Lines that start plainly, and every kind of line that could start, interrupt or
# continue a block around them: tables without pipes, setext underlines, definition
# markers after a blank line, lazy continuations, indented code, quotes, lists, fences.
LINES = [
    "本制度适用于公司全体员工。", "§{scope} 本办法适用于各部门。", "第三条 合同应当书面订立。",
    "（一）审批；", "《合同管理办法》第五条另有规定的除外。", "事项 | 金额", "审批人 | 时限",
    "--- | ---", "| 事项 | 金额 |", "| --- | ---: |", "===", "---", "***", ": 定义说明",
    "~ 另一定义", "  : 缩进定义", "- 列表项", "1. 第一项", "10) 第十项", "> 引用内容", ">",
    "    代码缩进", "   三个空格的中文", "     五个空格的中文", "```", "~~~", "::: note", ":::",
    "# 标题", "## 第一章 总则", "[a]: https://example.com", "[^1]: 脚注内容",
    "<div>", "<!-- 注释 -->", "文本 *强调* 与 [[QM-001#scope]]", "含有\\转义", "全角：冒号",
    "“引号开头”", "English words first", "- 列表项二", "* 星号项", "2. 第二项", "1) 括号项",
    "1.  两个空格", "-无空格", "  - 缩进项", "   1. 缩进有序", "1. ", "- [ ] 任务", "", "", "",
    "回车换行\r", "\r旧式回车", "空\0字符",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=14))
@example(["本制度适用于公司全体员工。", "", ": 定义说明"])  # a term, a blank, its definition
@example(["事项 | 金额", "--- | ---", "审批人 | 时限"])  # a table without outer pipes
@example(["本制度适用于公司全体员工。", "==="])  # a setext heading
@example(["> 引用内容", "本制度适用于公司全体员工。"])  # lazy continuation of a quote
@example(["- 列表项", "本制度适用于公司全体员工。", "", "  本制度适用于公司全体员工。"])
@example(["本制度适用于公司全体员工。", "     五个空格的中文", "   三个空格的中文"])
@example(["1. 第一项", "2. 第二项", "", "本制度适用于公司全体员工。"])  # a simple list
@example(["1. 第一项", "2. 第二项", "", "10) 第十项"])  # another list after a blank
@example(["1. 第一项", "", "2. 第二项"])  # a loose list
@example(["- 列表项", "- 列表项二", "", "   本制度适用于公司全体员工。"])  # item continues
@example(["2. 第二项", "1. 第一项", "* 星号项", "- 列表项"])  # start number, marker changes
@example(["1. 第一项", "本制度适用于公司全体员工。"])  # lazy continuation
@example(["> 引用内容", "- 列表项"])
def test_fast_paths_change_no_token(lines):
    src = "\n".join(lines) + "\n"
    fast, slow = FAST.parse(src, {}), SLOW.parse(src, {})
    assert [t.as_dict() for t in fast] == [t.as_dict() for t in slow]
    # and the fast renderer writes markdown-it's HTML
    assert FAST.renderer.render(fast, FAST.options, {}) == \
        SLOW.renderer.render(slow, SLOW.options, {})


def test_fast_paths_are_taken_for_plain_prose():
    src = "本制度适用于公司全体员工。\n各部门应当遵守。\n\n§ 第二段文字。\n"
    rules = FAST.block.ruler.getRules("")
    assert [r.__name__ for r in rules[:2]] == ["cjk_paragraph", "simple_list"]
    tokens = FAST.parse(src, {})
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"] * 2
    assert tokens[1].content == "本制度适用于公司全体员工。\n各部门应当遵守。"
    assert [c.type for c in tokens[1].children] == ["text", "softbreak", "text"]
    assert [c.type for c in tokens[4].children] == ["text"]


def test_whole_documents_parse_the_same_without_the_fast_paths(monkeypatch):
    """Every source of the sample handbook and the test sites, parsed with our core rules
    and render rules, gives the same ParsedBody (HTML included) both ways."""
    from pathlib import Path

    from handbook_gen.markdown import parser
    from handbook_gen.markdown.document import parse_document

    root = Path(__file__).resolve().parents[2]
    sources = sorted([*root.glob("policies/**/*.md"), *root.glob("tests/sites/*/policies/**/*.md")])
    assert len(sources) > 20
    items = [(str(p.relative_to(root)), p.read_bytes()) for p in sources]
    fast = [parse_document(*item) for item in items]
    monkeypatch.setattr(parser, "_PARSER", build_parser(fast=False))
    slow = [parse_document(*item) for item in items]
    assert [d.body for d in fast] == [d.body for d in slow]
    assert sum(len(d.body.html) for d in fast if d.body) > 50_000


def test_new_token_is_the_token_markdown_it_makes():
    import dataclasses

    from markdown_it.token import Token

    from handbook_gen.markdown.context import new_token

    made, expected = new_token("paragraph_open", "p", 1, 2, True), Token("paragraph_open", "p", 1)
    expected.level, expected.block = 2, True
    names = [f.name for f in dataclasses.fields(Token)]  # every field set (slots: else unset)
    assert [getattr(made, n) for n in names] == [getattr(expected, n) for n in names]
    assert new_token("text", "", 0) == Token("text", "", 0)
    other = new_token("paragraph_open", "p", 1, 2, True)
    assert other.attrs is not made.attrs and other.meta is not made.meta  # fresh per token


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINES + ["\t制表符缩进", " \t 混合缩进", "\t", "  ", " \t", "末尾空格  "]),
                max_size=12), st.sampled_from(["", "\n", "  ", "\t", " \t\n"]))
@example([], "")
@example(["一"], "  ")  # a last line of only spaces, without a newline
def test_block_state_line_tables_are_markdown_its(lines, tail):
    from markdown_it.rules_block import StateBlock

    from handbook_gen.markdown.fastpaths import _StateBlock

    src = "\n".join(lines) + tail
    assert vars(_StateBlock(src, FAST, {}, [])) == vars(StateBlock(src, FAST, {}, []))
