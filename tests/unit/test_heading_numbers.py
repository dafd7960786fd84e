"""Headings of a policy with articles (markdown/numbering.py): a heading that carries its
number is kept as typed and never numbered twice; 编 / 分编 / 章 / 节 levels as codes use
them; the headings an article stands under, each once; HB220 per level."""
from __future__ import annotations

import re

import pytest
from test_articles import parse

DOUBLE = re.compile(r"第[一二三四五六七八九十]+(?:分编|[编章节]) +(?:第|[一二三四五六七八九十]+、|（|\d)")
"""An added number in front of a typed one: 第一章 一、总则, 第一章 第一编 ……"""


def hb220(b) -> list[tuple[int, str]]:
    return [(d.location.line, d.message) for d in b.diagnostics if d.code == "HB220"]


@pytest.mark.parametrize("typed", ["一、总则", "（一）总则", "(一)总则", "1. 总则", "1、总则",
                                   "（1）总则", "第一编 总则", "第一分编 总则", "第一章 总则",
                                   "第一篇 总则", "第一部分 总则"])
def test_a_heading_that_carries_its_number_is_kept_as_typed(typed):
    b = parse(f"## {typed}\n\n§ 甲。\n")
    assert [h.text for h in b.headings] == [typed]
    assert not DOUBLE.search(b.html) and not DOUBLE.search(b.articles[0].heading)
    assert b.articles[0].heading == typed


def test_an_arabic_decimal_is_not_a_heading_number():
    b = parse("## 1.5倍工资的计算\n\n§ 甲。\n")
    assert b.headings[0].text == "第一章 1.5倍工资的计算"


def test_outline_headings_stand_at_their_level_and_unnumbered_ones_count_on():
    b = parse("## 一、总则\n\n§ 甲。\n\n## 二、费用\n\n### （一）日常\n\n§ 乙。\n\n"
              "### （二）差旅\n\n§ 丙。\n\n## 附则\n\n§ 丁。\n")
    assert [(h.kind, h.text) for h in b.headings] == [
        ("chapter", "一、总则"), ("chapter", "二、费用"), ("section", "（一）日常"),
        ("section", "（二）差旅"), ("chapter", "第三章 附则")]
    assert [a.heading for a in b.articles] == ["一、总则", "二、费用 （一）日常",
                                             "二、费用 （二）差旅", "第三章 附则"]
    assert not hb220(b)


def test_a_code_has_parts_chapters_and_sections_one_level_down_each():
    b = parse("## 第一编 总则\n\n### 第一章 一般规定\n\n#### 第一节 目的\n\n第一条 甲。\n\n"
              "#### 第二节 范围\n\n第二条 乙。\n\n### 第二章 职责\n\n第三条 丙。\n\n"
              "## 第二编 分则\n\n### 第一章 采购\n\n第四条 丁。\n")
    assert [(h.level, h.kind, h.text) for h in b.headings] == [
        (2, "part", "第一编 总则"), (3, "chapter", "第一章 一般规定"), (4, "section", "第一节 目的"),
        (4, "section", "第二节 范围"), (3, "chapter", "第二章 职责"), (2, "part", "第二编 分则"),
        (3, "chapter", "第一章 采购")]
    assert [a.heading for a in b.articles] == [
        "第一编 总则 第一章 一般规定 第一节 目的", "第一编 总则 第一章 一般规定 第二节 范围",
        "第一编 总则 第二章 职责", "第二编 分则 第一章 采购"]
    assert not hb220(b)  # a part restarts its chapters


def test_unnumbered_headings_of_a_code_are_numbered_at_their_level():
    b = parse("## 第一编 总则\n\n### 目的\n\n#### 细则\n\n§ 甲。\n\n#### 附\n\n§ 乙。\n\n"
              "### 范围\n\n§ 丙。\n\n## 第二编 分则\n\n### 采购\n\n§ 丁。\n")
    assert [h.text for h in b.headings] == ["第一编 总则", "第一章 目的", "第一节 细则", "第二节 附",
                                          "第二章 范围", "第二编 分则", "第一章 采购"]
    assert b.articles[1].heading == "第一编 总则 第一章 目的 第二节 附"


def test_sub_parts_do_not_restart_chapters_and_a_chapter_may_sit_right_in_a_part():
    b = parse("## 第一编 总则\n\n### 第一章 一般规定\n\n第一条 甲。\n\n"
              "## 第二编 合同\n\n### 第一分编 通则\n\n#### 第一章 订立\n\n第二条 乙。\n\n"
              "### 第二分编 典型合同\n\n#### 第二章 买卖\n\n##### 第一节 一般规定\n\n第三条 丙。\n")
    assert [h.kind for h in b.headings] == ["part", "chapter", "part", "subpart", "chapter",
                                            "subpart", "chapter", "section"]
    assert b.articles[2].heading == "第二编 合同 第二分编 典型合同 第二章 买卖 第一节 一般规定"
    assert not hb220(b)


def test_out_of_order_numbers_are_reported_per_level():
    b = parse("## 第一编 总则\n\n### 第一章 甲\n\n第一条 甲。\n\n### 第三章 乙\n\n第二条 乙。\n\n"
              "## 第三编 分则\n\n### 第一章 丙\n\n第三条 丙。\n\n## 一、附则\n\n### （二）细\n\n第四条 丁。\n")
    assert hb220(b) == [
        (7, "hand-numbered text: 第三章 follows 第一章: numbers in between are missing"),
        (11, "hand-numbered text: 第三编 follows 第一编: numbers in between are missing"),
        (17, "hand-numbered text: 一、 is out of order (expected 四、)"),
        (19, "hand-numbered text: （二） comes first: numbers before it are missing")]


def test_outline_numbers_restart_under_each_heading_above():
    b = parse("## 一、总则\n\n### 1. 目的\n\n§ 甲。\n\n### 2. 范围\n\n§ 乙。\n\n"
              "## 二、附则\n\n### 1. 施行\n\n§ 丙。\n\n### 1. 重复\n\n§ 丁。\n")
    assert hb220(b) == [(17, "hand-numbered text: duplicate 1.")]


def test_a_typed_unit_at_a_code_level_of_another_unit_is_reported_with_the_levels():
    b = parse("## 第一编 总则\n\n## 第一章 一般规定\n\n第一条 甲。\n")
    assert [h.kind for h in b.headings] == ["part", "chapter"]
    assert hb220(b) == [(3, "hand-numbered text: 第一章 is a 章 in a ## heading, the level of a 编")]
    hint = next(d.hint for d in b.diagnostics if d.code == "HB220")
    assert hint == "use these heading levels: ## 编, ### 章, #### 节"


def test_a_title_heading_does_not_make_a_code():
    b = parse("# 第一编 总则\n\n## 一般规定\n\n§ 甲。\n")
    assert [h.text for h in b.headings] == ["第一编 总则", "第一章 一般规定"]
    assert not hb220(b)


def test_deeper_plain_headings_are_neither_numbered_nor_context():
    b = parse("## 总则\n\n#### 一、说明\n\n#### 补充\n\n§ 甲。\n")
    assert [(h.kind, h.text) for h in b.headings] == [
        ("chapter", "第一章 总则"), ("plain", "一、说明"), ("plain", "补充")]
    assert b.articles[0].heading == "第一章 总则"
