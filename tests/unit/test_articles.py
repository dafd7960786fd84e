"""Article numbering: § articles, 款, 项, chapters/sections, hand-numbered legacy text."""
from __future__ import annotations

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.markdown.parser import parse_body
from handbook_gen.source.reader import SourceFile


class Parsed:
    def __init__(self, body, diagnostics):
        self.__dict__.update(body.__dict__)
        self.diagnostics = diagnostics


def parse(body: str, is_policy: bool = True):
    src = SourceFile("policies/01-x/a.md", body)
    diags = Diagnostics()
    return Parsed(parse_body(src, body, 0, is_policy, diags), tuple(diags.items))


def test_auto_numbered_articles_and_paragraphs():
    b = parse("## 总则\n\n§{purpose} 为了规范。\n\n§{scope} 适用范围。\n\n第二款。\n\n"
              "## 附则\n\n§ 施行。\n")
    assert [(a.number, a.label, a.paragraphs) for a in b.articles] == \
        [(1, "purpose", 1), (2, "scope", 2), (3, None, 1)]
    assert '<a class="article-no" href="#scope">第二条</a>适用范围。' in b.html
    assert '<div class="article" id="a2"><span class="anchor" id="scope"></span>' in b.html
    assert '<div class="article" id="a3">' in b.html
    assert [h.text for h in b.headings] == ["第一章 总则", "第二章 附则"]
    assert b.articles[2].heading == "第二章 附则"
    assert "§" not in b.html


def test_a_label_with_html_characters_is_escaped_in_ids_and_links():
    b = parse("§{r&d'x} 为了规范。\n")
    assert b.articles[0].anchor == "r&d'x"
    assert '<span class="anchor" id="r&amp;d&#x27;x"></span>' in b.html
    assert '<a class="article-no" href="#r&amp;d&#x27;x">第一条</a>' in b.html


def test_numbering_continues_across_chapters_and_sections():
    b = parse("## 总则\n\n§ 一\n\n## 职责\n\n### 一般规定\n\n§ 二\n\n### 特别规定\n\n§ 三\n\n"
              "## 附则\n\n### 附\n\n§ 四\n")
    assert [a.number for a in b.articles] == [1, 2, 3, 4]
    assert [h.text for h in b.headings] == ["第一章 总则", "第二章 职责", "第一节 一般规定",
                                          "第二节 特别规定", "第三章 附则", "第一节 附"]
    assert b.articles[2].heading == "第二章 职责 第二节 特别规定"


def test_items_are_numbered_chinese_style_and_sub_items_stay_arabic():
    b = parse("§ 包括：\n\n1. 甲\n2. 乙\n   1. 子项\n")
    assert '<ol class="items">' in b.html
    assert '<span class="item-no">（一）</span>甲' in b.html
    assert '<span class="item-no">（二）</span>乙' in b.html
    assert "（三）" not in b.html and "<li>子项</li>" in b.html


def test_headings_without_articles_are_not_numbered():
    b = parse("## 背景\n\n普通段落。\n")
    assert b.headings[0].text == "背景" and not b.articles
    assert '<h2 id="背景">背景</h2>' in b.html


def test_chapter_intro_is_never_articled():
    b = parse("§ 这不是条款。\n", is_policy=False)
    assert not b.articles


def test_hand_numbered_text_recognised_and_linted():
    b = parse("## 第一章 总则\n\n第一条 目的。\n\n第二条 范围。\n\n第二条 重复。\n\n"
              "第五条 跳号。\n\n## 第三章 附则\n\n第一百零五条 很大。\n")
    assert [a.number for a in b.articles] == [1, 2, 2, 5, 105]
    lint = [(d.location.line, d.message) for d in b.diagnostics if d.code == "HB220"]
    assert lint == [(7, "hand-numbered text: duplicate 第二条"),
                    (9, "hand-numbered text: 第五条 follows 第二条: numbers in between are missing"),
                    (11, "hand-numbered text: 第三章 follows 第一章: numbers in between are missing"),
                    (13, "hand-numbered text: 第一百零五条 follows 第五条: numbers in between are missing")]
    assert b.headings[0].text == "第一章 总则"  # typed numbering is kept, not doubled
    assert '<div class="article" id="a2-2">' in b.html  # duplicate number gets a unique anchor


def test_duplicate_label_is_an_error():
    b = parse("§{scope} 一\n\n§{scope} 二\n")
    assert [(d.code, d.location.line) for d in b.diagnostics] == [("HB210", 3)]


def test_invalid_label_reported():
    b = parse("§{5} 数字标签会与条号混淆。\n")
    assert [d.code for d in b.diagnostics] == ["HB204"]


def test_chinese_heading_anchors_unique_and_non_empty():
    b = parse("# 考勤制度\n\n## 请假\n\n## 请假\n\n## ？\n", is_policy=False)
    assert [h.anchor for h in b.headings] == ["考勤制度", "请假", "请假-2", "h"]
    assert [d.code for d in b.diagnostics] == ["HB136"]


def test_table_alignment_as_classes_never_style():
    b = parse("| 金额 | 审批 |\n|---:|:---:|\n| 1 | 甲 |\n")
    assert "style=" not in b.html and 'class="align-right"' in b.html


def test_footnotes_deflists_admonitions():
    b = parse("术语\n: 定义。\n\n::: warning\n小心[^1]\n:::\n\n[^1]: 注释。\n", is_policy=False)
    assert "<dl>" in b.html and "<dt>术语</dt>" in b.html
    assert '<div class="admonition warning"><p class="admonition-title">警告</p>' in b.html
    assert 'class="footnotes"' in b.html


def test_the_typed_unit_decides_a_heading_at_the_wrong_level():
    # legacy text with the levels swapped: chapters at ###, sections at ##
    b = parse("### 第一章 总则\n\n第一条 甲。\n\n## 第一节 登记\n\n第二条 乙。\n\n"
              "## 第二节 变更\n\n第三条 丙。\n\n### 第二章 附则\n\n第四条 丁。\n")
    assert [(h.level, h.kind, h.text) for h in b.headings] == [
        (3, "chapter", "第一章 总则"), (2, "section", "第一节 登记"),
        (2, "section", "第二节 变更"), (3, "chapter", "第二章 附则")]  # never numbered twice
    assert [a.heading for a in b.articles] == ["第一章 总则", "第一章 总则 第一节 登记",
                                             "第一章 总则 第二节 变更", "第二章 附则"]
    assert [(d.code, d.location.line, d.message) for d in b.diagnostics] == [
        ("HB220", 1, "hand-numbered text: 第一章 is a 章 in a ### heading, the level of a 节"),
        ("HB220", 5, "hand-numbered text: 第一节 is a 节 in a ## heading, the level of a 章"),
        ("HB220", 9, "hand-numbered text: 第二节 is a 节 in a ## heading, the level of a 章"),
        ("HB220", 13, "hand-numbered text: 第二章 is a 章 in a ### heading, the level of a 节")]
    assert "第一章 第一节" not in b.html and "第一节 第一章" not in b.html


def test_a_label_spelled_like_an_article_anchor_is_refused():
    b = parse("§{a5} 甲。\n\n§ 乙。\n\n§ 丙。\n\n§ 丁。\n\n§ 戊。\n")
    assert [d.code for d in b.diagnostics] == ["HB204"]
    assert b.articles[0].label is None and b.articles[4].anchor == "a5"
    assert '<div class="article" id="a5">' in b.html


def test_an_article_knows_its_line_and_its_text_with_code_and_line_breaks():
    src = "---\nid: x\n---\n前言。\n\n§ 使用 `git log`\n命令查询。\n\n第二款  \n换行。\n"
    body = src.split("---\n", 2)[2]
    b = Parsed(parse_body(SourceFile("policies/01-x/a.md", src), body, 3, True,
                          Diagnostics()), ())
    [a] = b.articles
    assert (a.line, a.paragraphs) == (6, 2)  # the file's line of its first paragraph
    assert a.text == "使用 git log 命令查询。 第二款 换行。"
    assert b.intro_text == "前言。"
