"""The Markdown stage on hostile input, one body at a time: size limits and the parse
budget (exact at the limit, an error at the first excess, the lines before it still
parsed), unclosed comments, private-use characters beside the placeholders, quotation
marks around prose citations, and the searches that must stay linear."""
from __future__ import annotations

import pytest

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.markdown import limits
from handbook_gen.markdown.citations import Quotes
from handbook_gen.markdown.limits import cell_column
from handbook_gen.markdown.parser import parse_body
from handbook_gen.markdown.placeholders import FLOW_OPEN, REF_CLOSE, REF_OPEN, SLOT_OPEN, Link, fill
from handbook_gen.source.reader import SourceFile, decode

PATH = "policies/01-general/a.md"


def parse(body: str, is_policy: bool = True):
    diags = Diagnostics()
    return parse_body(SourceFile(PATH, body), body, 0, is_policy, diags), diags


def located(diags: Diagnostics) -> list[tuple[str, int, int]]:
    return [(d.code, d.location.line, d.location.col) for d in diags.items]


@pytest.fixture
def small(monkeypatch):
    """Limits small enough to reach in a few lines."""
    for name, value in (("MAX_TABLE_COLUMNS", 3), ("MAX_TABLE_CELLS", 9), ("MAX_LIST_ITEMS", 3),
                        ("MAX_FILE_LIST_ITEMS", 5), ("MAX_LINES", 20), ("MAX_INLINE_STEPS", 20)):
        monkeypatch.setattr(limits, name, value)


# ---- limits -----------------------------------------------------------------------

def test_table_columns_exactly_and_one_over(small):
    body, diags = parse("§ 第一条。\n\n| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n")
    assert not diags.items and "<table" in body.html
    body, diags = parse("§ 第一条。\n\n| a | b | c | d |\n|---|---|---|---|\n| 1 | 2 | 3 | 4 |\n")
    assert located(diags) == [("HB138", 3, 13)]
    assert diags.items[0].message.startswith("a table with more than 3 columns")
    # the lines before the table are parsed: the article is still there
    assert [a.number for a in body.articles] == [1] and "<table" not in body.html


def test_table_cells_exactly_and_one_over(small):
    three = "| a | b | c |\n|---|---|---|\n" + "| 1 | 2 | 3 |\n" * 2
    assert not parse(three)[1].items  # 9 cells
    body, diags = parse(three + "| 7 | 8 | 9 |\n")
    assert located(diags) == [("HB138", 5, 1)]  # the 10th cell opens row 5
    assert body.html.count("<tr>") == 3  # the lines before the excess: header and 2 rows
    two = "a | b\n--|--\n" + "1 | 2\n" * 3 + "x | y\n"
    assert located(parse(two)[1]) == [("HB138", 6, 3)]  # the 10th cell, without outer pipes


def test_list_items_per_list_and_per_file(small):
    assert not parse("- a\n- b\n- c\n")[1].items
    assert located(parse("- a\n- b\n- c\n- d\n")[1]) == [("HB138", 4, 1)]
    assert located(parse("- 甲\n- 乙\n- 丙\n- 丁\n")[1]) == [("HB138", 4, 1)]  # the fast path
    nested = "- a\n  - 1\n  - 2\n  - 3\n- b\n"  # a nested list counts on its own
    assert not parse(nested)[1].items
    assert located(parse("- a\n  - 1\n  - 2\n  - 3\n  - 4\n")[1]) == [("HB138", 5, 3)]
    assert located(parse("> - a\n> - b\n> - c\n> - d\n")[1]) == [("HB138", 4, 3)]
    five = "- a\n- b\n- c\n\n段\n\n- d\n- e\n"
    assert not parse(five)[1].items
    _, diags = parse(five + "\n段\n\n- f\n")
    assert located(diags) == [("HB138", 12, 1)]
    assert "list items in one file" in diags.items[0].message


def test_lines_exactly_and_one_over(small):
    assert not parse("段\n\n" * 10)[1].items
    body, diags = parse("§ 一。\n\n" * 10 + "§ 二。\n")
    assert located(diags) == [("HB139", 21, 1)]
    assert len(body.articles) == 10


def test_block_tokens_exactly_and_one_over(small, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BLOCK_TOKENS", 30)
    assert not parse("# 标\n" * 10)[1].items  # three tokens each: 30
    body, diags = parse("# 标\n" * 10 + "---\n")
    assert located(diags) == [("HB139", 11, 1)]
    assert "block elements" in diags.items[0].message and len(body.headings) == 10


def test_block_tokens_of_plain_paragraphs_exactly_and_one_over(small, monkeypatch):
    # plain CJK paragraphs take the fast path, which pushes its three tokens at once
    monkeypatch.setattr(limits, "MAX_BLOCK_TOKENS", 15)
    assert not parse("段\n\n" * 5)[1].items
    body, diags = parse("段\n\n" * 5 + "段\n")
    assert located(diags) == [("HB139", 11, 1)]
    assert "block elements" in diags.items[0].message


def test_inline_steps_exactly_and_one_over(small):
    assert not parse("a*" * 10 + "\n")[1].items  # a text step and a delimiter step each
    _, diags = parse("§ 第一条。\n\n" + "a*" * 10 + "a\n")
    assert located(diags) == [("HB139", 3, 21)]
    _, diags = parse("§ 第一条。\n\n  " + "a*" * 10 + "a\n")  # the indent counts in the column
    assert located(diags) == [("HB139", 3, 23)]


def test_every_excess_cuts_the_body_shorter(small):
    # the line limit first, then the inline budget inside what is left
    body, diags = parse("§ 一。\n\n" + "a*" * 30 + "\n\n" + "段\n\n" * 10)
    assert located(diags) == [("HB139", 21, 1), ("HB139", 3, 21)]
    assert len(body.articles) == 1


def testcell_column():
    assert [cell_column("| a | b |", k) for k in (1, 2, 3)] == [1, 5, 9]
    assert [cell_column("a | b", k) for k in (1, 2)] == [1, 3]
    assert cell_column("| a \\| b | c |", 2) == 10  # an escaped pipe separates nothing
    assert cell_column("> | a | b |", 2) == 7
    assert cell_column("| a |", 5) == 1  # no such cell: the row's start


# ---- comments ---------------------------------------------------------------------

def test_unclosed_comment_keeps_the_text_after_it():
    body, diags = parse("§ 第一条。\n\n<!-- 备注\n\n§ 第二条。\n\n§ 第三条。\n")
    assert located(diags) == [("HB137", 3, 1)]
    assert [a.number for a in body.articles] == [1, 2, 3]
    assert "&lt;!-- 备注" in body.html


def test_closed_comments_are_removed():
    body, diags = parse("<!-- 备注\n\n仍是备注 -->\n\n§ 第一条。\n\n正文<!-->继续\n")
    assert [d.code for d in diags.items] == ["HB131", "HB131"]
    assert "备注" not in body.html and "正文继续" in body.html


def test_text_after_a_comment_is_kept_or_reported():
    body, diags = parse("<!-- 备注 --> 正文\n\n中间<!-- 备注\n仍是 -->也是正文\n")
    assert [d.code for d in diags.items] == ["HB131", "HB131"]  # comments in paragraphs
    assert "正文" in body.html and "中间也是正文" in body.html and "备注" not in body.html
    _, diags = parse("<!-- 备注\n仍是备注 --> 正文\n")  # a comment block over lines
    assert located(diags) == [("HB131", 1, 1), ("HB137", 2, 10)]


def test_comment_marks_that_are_no_comment():
    for text in ("`<!--` 是注释的开头", "\\<!-- 不是注释", "&lt;!-- 不是注释", "```\n<!--\n```"):
        body, diags = parse(text + "\n")
        assert not diags.items, text
        assert "&lt;!--" in body.html


# ---- placeholders -----------------------------------------------------------------

def test_private_use_characters_pass_through_every_placeholder_fill():
    pua = "".join(chr(c) for c in range(0xE000, 0xE006))
    text = f"姓名{pua}，\ue0000\ue001，\ue0040\ue005，见[[GN-002]]。"
    body, diags = parse(f"§ {text}\n")
    assert not diags.items
    html = fill(body.html, [Link("《乙》", "policies/gn-002.html")], "policies/gn-001.html")
    assert f"姓名{pua}，\ue0000\ue001，\ue0040\ue005，见<a" in html
    assert REF_OPEN not in html and SLOT_OPEN not in html and FLOW_OPEN not in html


def test_noncharacters_in_input_are_replaced_and_reported():
    diags = Diagnostics()
    src = decode(PATH, f"甲{REF_OPEN}0{REF_CLOSE}乙\ufffe\n".encode(), diags)
    assert src.text == "甲\ufffd0\ufffd乙\ufffd\n"
    assert located(diags) == [("HB002", 1, 2), ("HB002", 1, 4), ("HB002", 1, 6)]
    assert diags.items[0].message.startswith("noncharacter U+FDD0, replaced by U+FFFD")


# ---- quotation marks --------------------------------------------------------------

@pytest.mark.parametrize("text, inside", [
    ("“甲", True), ("“甲”", False), ("‘甲’", False), ("「甲『乙』", True), ("『甲』」", False),
    ("“甲‘乙’", True), ("公司’s", False), ("“甲”丙”", False), ("《甲》", False), ("“《甲》", True),
])
def test_quotes(text, inside):
    quotes = Quotes()
    quotes.scan(text, 0, len(text))
    assert quotes.inside is inside


def test_citations_inside_quotes_are_text():
    body, _ = parse("“依照本法第五条、第六条”，另见本法第五条和第七条。\n", is_policy=False)
    assert [(r.raw, r.location.col) for r in body.refs] == [("本法第五条", 17), ("第七条", 23)]
    assert "依照本法第五条、第六条" in body.html


# ---- searches stay linear ---------------------------------------------------------

def test_equal_headings_get_numbered_anchors():
    body, _ = parse("## 总则\n\n## 总则-3\n\n" + "## 总则\n\n" * 3)
    assert [h.anchor for h in body.headings] == ["总则", "总则-3", "总则-2", "总则-4", "总则-5"]


def test_positions_stay_exact_after_many_misses():
    # 150 links whose text differs from the source (an entity), then one findable
    body = "[x](jav&#x61;script:1)\n" * 150 + "[y](javascript:2)\n"
    _, diags = parse(body)
    assert located(diags)[-1] == ("HB132", 151, 5)


def test_far_positions_are_found_until_many_misses():
    far = "[x](javascript:9)" + "甲" * 10_000 + "[y](javascript:2)\n"
    assert located(parse(far)[1]) == [("HB132", 1, 5), ("HB132", 1, 10_022)]
    # after 100 misses in a file the search looks only 4,096 characters ahead
    _, diags = parse("[x](jav&#x61;script:1)\n" * 100 + far)
    assert located(diags)[-2:] == [("HB132", 101, 5), ("HB132", 1, 1)]
