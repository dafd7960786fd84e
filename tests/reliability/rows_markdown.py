"""Catalogue rows for the Markdown stage: unclosed comments, private-use characters and the
placeholders, size limits and the parse budget, deep nesting, pathological inline input,
raw HTML, and prose citations (quoted text, one code for what cannot resolve).

A policy's body starts on line 9 (``policy()`` writes 8 lines of front matter)."""
from __future__ import annotations

from catalogue import Case, policy

from handbook_gen.markdown.limits import (MAX_BLOCK_TOKENS, MAX_FILE_LIST_ITEMS, MAX_INLINE_STEPS,
                                          MAX_LINES, MAX_LIST_ITEMS, MAX_TABLE_CELLS, MAX_TABLE_COLUMNS)

A = "policies/01-general/a.md"
CH = "policies/01-general/_chapter.md"
PAGE = "policies/gn-001.html"
BUILD = ("build", "{src}", "--out", "{out}")
FLOW = "```flow 审批流程\n登记 | HR | 登记申请{x}\n审核 | FIN | 审核{x}\n```\n"


def body(text: str) -> str:
    return policy("GN-001", body=text)


def col(line: str, needle: str, start: int = 0) -> int:
    """1-based column of `needle` in `line` (searched from `start`)."""
    return line.index(needle, start) + 1


def on_page(*texts: str, absent: tuple[str, ...] = ()):
    """post: the policy page holds each text and none of `absent`."""
    def check(project, result):
        html = project.page(PAGE)
        for text in texts:
            assert text in html, f"{text!r} not on the page"
        for text in absent:
            assert text not in html, f"{text!r} on the page"
    return check


def pua(cp: int) -> str:
    """Private-use character `cp` alone and in a pair shaped like the placeholders that
    U+E000–U+E005 once were (U+E000 0 U+E001 was reference 0)."""
    first = cp - (cp - 0xE000) % 2
    return f"{chr(cp)}、{chr(first)}{cp - 0xE000}{chr(first + 1)}"


def table(columns: int, rows: int) -> str:
    """A table with a header, the delimiter row and `rows` body rows."""
    line = "|" + "|".join(f" c{i} " for i in range(columns)) + "|\n"
    return line + "|" + "---|" * columns + "\n" + line * rows


def cell_column(columns: int) -> int:
    """Column of the '|' that opens the last cell of a table(columns, …) header."""
    return 1 + sum(len(f" c{i} ") + 1 for i in range(columns - 1))


def nested_list(depth: int) -> str:
    return "".join("  " * i + f"- 第{i + 1}层\n" for i in range(depth))


def mixed_nesting(depth: int) -> str:
    """A quote holding a list holding a quote …, `depth` pairs deep, one pair per line."""
    out, prefix = [], ""
    for i in range(depth):
        out.append(f"{prefix}> - 第{i + 1}层\n")
        prefix += ">   "
    return "".join(out)


TWO_COMMENTS = "§ 第一条 <!-- 注 --> 正文 <!-- 再一个"
FAKE = "§ 伪造\ufdd0 0\ufdd1、\ufdd2 1\ufdd3 与\ufdd4 0\ufdd5。"
"""Text shaped like the placeholders (reference 0, slot 1, flow 0)."""
TITLED = "依照《劳动法》的规定和本法第五条处理。"
EMPHASIS = "“依照**规定**，本法第二百七十二条”处罚，另见本法第三条。"
TWICE = "“依照本法第五条、第六条。”另见本法第五条。"

# the limits, exactly and one over (row lines are body lines + 8)
ITEMS = "- 项\n" * MAX_LIST_ITEMS
FILE_ITEMS = "\n段落\n\n".join(["- 项\n" * (MAX_FILE_LIST_ITEMS // 2)] * 2)
HEADINGS = "# 标\n" * (MAX_BLOCK_TOKENS // 3)  # three tokens each
HEADING_LINES = MAX_BLOCK_TOKENS // 3
PARAGRAPHS = "段\n\n" * (MAX_LINES // 2)

ROWS: list[Case] = [
    # unclosed HTML comments: an error at the '<!--', the text after it is kept
    Case("md-comment-unclosed-start", {A: body("<!-- 备注\n\n§ 第一条正文。\n")},
         expect=(f"{A}:9:1: error[HB137]",)),
    Case("md-comment-unclosed-middle", {A: body("§ 第一条。\n\n<!-- 备注\n\n§ 第二条。\n")},
         expect=(f"{A}:11:1: error[HB137]",)),
    Case("md-comment-unclosed-inline", {A: body("§ 第一条 <!-- 备注\n")},
         expect=(f"{A}:9:7: error[HB137]",)),
    Case("md-comment-unclosed-in-list", {A: body("- 项目一\n- <!-- 备注\n\n  继续\n- 项目三\n")},
         expect=(f"{A}:10:3: error[HB137]",)),
    Case("md-comment-unclosed-in-quote", {A: body("> <!-- 引用中的备注\n\n§ 第一条。\n")},
         expect=(f"{A}:9:3: error[HB137]",)),
    Case("md-comment-unclosed-text-still-checked",
         {A: body("<!-- 备注\n\n§ 见[[#nowhere]]。\n")},
         expect=(f"{A}:9:1: error[HB137]", f"{A}:11:4: error[HB201]")),
    Case("md-comment-closed-then-unclosed", {A: body(TWO_COMMENTS + "\n")},
         expect=(f"{A}:9:{col(TWO_COMMENTS, '<!--')}: warning[HB131]",
                 f"{A}:9:{col(TWO_COMMENTS, '<!--', 10)}: error[HB137]")),
    Case("md-comment-closed-multiline", {A: body("<!-- 备注\n\n仍是备注 -->\n\n§ 第一条。\n")},
         args=BUILD, exit=0, expect=(f"{A}:9:1: warning[HB131]",), absent=("HB137",),
         post=on_page("第一条", absent=("备注",))),
    Case("md-comment-text-after-close", {A: body("<!-- 备注 --> 正文在注释之后。\n\n§ 第一条。\n")},
         args=BUILD, exit=0, expect=(f"{A}:9:1: warning[HB131]",),
         post=on_page("正文在注释之后", absent=("备注",))),
    Case("md-comment-text-after-multiline-close",
         {A: body("<!-- 备注\n\n仍是备注 --> 正文在注释之后。\n")},
         expect=(f"{A}:11:10: error[HB137]", "would be dropped with the comment")),
    Case("md-comment-in-fence", {A: body("```\n<!-- 代码\n```\n\n§ 正文。\n")}, args=BUILD,
         exit=0, absent=("HB137", "HB131"), post=on_page("&lt;!-- 代码")),
    Case("md-comment-in-code-span", {A: body("§ 写作 `<!--` 即开始注释。\n")}, args=BUILD,
         exit=0, absent=("HB137", "HB131"), post=on_page("<code>&lt;!--</code>")),
    Case("md-comment-escaped", {A: body("§ 写作 \\<!-- 即开始注释。\n")}, args=BUILD, exit=0,
         absent=("HB137", "HB131"), post=on_page("写作 &lt;!-- 即开始注释")),
    # private-use characters are text; noncharacters (the placeholders) are replaced
    *[Case(f"md-pua-u{cp:04x}", {A: body(f"§ 姓名{pua(cp)}用字，见本制度第一条。\n")}, args=BUILD,
           exit=0, absent=("warning[", "error["), post=on_page(f"姓名{pua(cp)}用字"))
      for cp in range(0xE000, 0xE006)],
    Case("md-pua-title-flow-table",
         {A: policy("GN-001", title="制度\ue0040\ue005", body="§ 按下列流程：\n\n" +
                    FLOW.format(x="\ue0000\ue001") + "\n| 甲\ue0021\ue003 | 乙 |\n|---|---|\n"
                    "| \ue0040\ue005 | 丙 |\n")},
         args=BUILD, exit=0, absent=("warning[", "error["),
         post=on_page("制度\ue0040\ue005", "登记申请\ue0000\ue001", "甲\ue0021\ue003",
                      "<td>\ue0040\ue005</td>")),
    Case("md-nonchar-placeholder-lookalikes", {A: body(FAKE + "\n")}, args=BUILD, exit=0,
         expect=(f"{A}:9:{col(FAKE, chr(0xFDD0))}: warning[HB002]", "noncharacter U+FDD0",
                 f"{A}:9:{col(FAKE, chr(0xFDD4))}: warning[HB002]"),
         post=on_page("伪造\ufffd 0\ufffd", absent=("\ufdd0", "\ufdd4"))),
    Case("md-nonchar-in-title", {A: policy("GN-001", title="制度\ufdd4 0\ufdd5")}, args=BUILD,
         exit=0, expect=(f"{A}:3:10: warning[HB002]",), post=on_page("制度\ufffd 0\ufffd")),
    Case("md-nonchar-fffe-ffff", {A: body("§ 甲\ufffe乙\uffff丙。\n")}, exit=0,
         expect=(f"{A}:9:4: warning[HB002]", f"{A}:9:6: warning[HB002]")),
    # table limits
    Case("md-table-columns-at-limit", {A: body(table(MAX_TABLE_COLUMNS, 2))}, exit=0,
         absent=("HB138",)),
    Case("md-table-columns-over", {A: body(table(MAX_TABLE_COLUMNS + 1, 2))},
         expect=(f"{A}:9:{cell_column(MAX_TABLE_COLUMNS + 1)}: error[HB138]", "columns")),
    Case("md-table-columns-2000", {A: body(table(2000, 118))},
         expect=(f"{A}:9:{cell_column(MAX_TABLE_COLUMNS + 1)}: error[HB138]",)),
    Case("md-table-cells-at-limit", {A: body("正文。\n\n" + table(4, MAX_TABLE_CELLS // 4 - 1))},
         exit=0, absent=("HB138",)),
    Case("md-table-cells-over", {A: body("正文。\n\n" + table(4, MAX_TABLE_CELLS // 4))},
         expect=(f"{A}:{8 + 4 + MAX_TABLE_CELLS // 4}:1: error[HB138]", "cells")),
    # list limits
    Case("md-list-items-at-limit", {A: body(ITEMS)}, exit=0, absent=("HB138",)),
    Case("md-list-items-over", {A: body(ITEMS + "- 项\n")},
         expect=(f"{A}:{9 + MAX_LIST_ITEMS}:1: error[HB138]", "a list with more than")),
    Case("md-list-items-over-ascii", {A: body("- a\n" * (MAX_LIST_ITEMS + 1))},
         expect=(f"{A}:{9 + MAX_LIST_ITEMS}:1: error[HB138]",)),
    Case("md-list-items-over-nested", {A: body("- 外\n" + "  - 内\n" * (MAX_LIST_ITEMS + 1))},
         expect=(f"{A}:{10 + MAX_LIST_ITEMS}:3: error[HB138]",)),
    Case("md-list-file-items-at-limit", {A: body(FILE_ITEMS)}, exit=0, absent=("HB138",)),
    Case("md-list-file-items-over", {A: body(FILE_ITEMS + "\n段落\n\n- 项\n")},
         expect=(f"{A}:{8 + MAX_FILE_LIST_ITEMS + 7}:1: error[HB138]", "list items in one file")),
    # the per-file parse budget
    Case("md-lines-at-limit", {A: body(PARAGRAPHS)}, exit=0, absent=("HB139",)),
    Case("md-lines-over", {A: body(PARAGRAPHS + "段\n")},
         expect=(f"{A}:{9 + MAX_LINES}:1: error[HB139]", "lines in one file")),
    Case("md-block-tokens-at-limit", {A: body(HEADINGS + "---\n")}, exit=0, absent=("HB139",)),
    Case("md-block-tokens-over", {A: body(HEADINGS + "---\n---\n")},
         expect=(f"{A}:{9 + HEADING_LINES + 1}:1: error[HB139]", "block elements")),
    Case("md-inline-steps-at-limit", {A: body("a*" * (MAX_INLINE_STEPS // 2) + "\n")}, exit=0,
         absent=("HB139",)),
    Case("md-inline-steps-over", {A: body("a*" * (MAX_INLINE_STEPS // 2) + "a\n")},
         expect=(f"{A}:9:{MAX_INLINE_STEPS + 1}: error[HB139]", "inline Markdown elements")),
    Case("md-inline-100k-links", {A: body("[x](https://e.cn) " * 100_000 + "\n")},
         expect=(f"{A}:9:{18 * MAX_INLINE_STEPS // 4 + 1}: error[HB139]",)),
    Case("md-inline-budget-keeps-earlier-articles",
         {A: body("§{a} 第一条。\n\n§ 见[[#a]]与[[#gone]]。\n\n" + "a*" * MAX_INLINE_STEPS + "\n")},
         expect=(f"{A}:11:", "error[HB201]", "this policy has no article 'gone'",
                 f"{A}:13:", "error[HB139]")),
    # deep nesting: lists, quotes and both (content deeper than markdown-it's limit is dropped)
    Case("md-nest-list-8", {A: body(nested_list(8))}, exit=0, absent=("HB133",)),
    Case("md-nest-list-9", {A: body(nested_list(9))}, expect=(f"{A}:17:1: error[HB133]",)),
    Case("md-nest-list-300", {A: body(nested_list(300))}, expect=(f"{A}:17:1: error[HB133]",)),
    Case("md-nest-quote-17", {A: body(">" * 17 + " 引文\n")}, exit=0, absent=("HB133",)),
    Case("md-nest-quote-18", {A: body(">" * 18 + " 引文\n")}, expect=(f"{A}:9:1: error[HB133]",)),
    Case("md-nest-quote-5000", {A: body(">" * 5000 + " 引文\n")},
         expect=(f"{A}:9:1: error[HB133]",)),
    Case("md-nest-mixed-5", {A: body(mixed_nesting(5))}, exit=0, absent=("HB133",)),
    Case("md-nest-mixed-6", {A: body(mixed_nesting(6))}, expect=(f"{A}:14:1: error[HB133]",)),
    Case("md-nest-admonitions", {A: body("::: note\n" * 19 + "提示\n" + ":::\n" * 19)},
         expect=(f"{A}:27:1: error[HB133]",)),
    # pathological inline input parses in bounded time (budgets: test_budgets_markdown.py)
    Case("md-inline-20k-brackets", {A: body("[" * 20_000 + "\n")},
         expect=(f"{A}:9:1: error[HB204]",)),
    Case("md-inline-50k-brackets", {A: body("[" * 50_000 + "\n")},
         expect=(f"{A}:9:25601: error[HB139]",)),  # where the steps run out
    Case("md-inline-10k-headings", {A: body("".join(f"## 标题{i}\n\n" for i in range(10_000)))},
         exit=0, absent=("error[",)),
    Case("md-inline-10k-equal-headings", {A: body("## 总则\n\n" * 10_000)}, exit=0,
         absent=("error[",)),
    Case("md-inline-7000-obfuscated-links", {A: body("[x](jav&#x61;script:1)\n" * 7000)},
         expect=(f"{A}:9:1: error[HB132]",)),
    Case("md-inline-7000-unsafe-links", {A: body("[x](javascript:1)" * 7000 + "\n")},
         expect=(f"{A}:9:5: error[HB132]", f"{A}:9:22: error[HB132]")),
    Case("md-inline-unsafe-link-texts", {A: body("[x](jav&#x61;script:1) [y](java\tscript:1) "
                                                 "![z](vbscript:1)\n")},
         args=BUILD, exit=1, expect=(f"{A}:9:", "error[HB132]"), absent=("Traceback",)),
    # raw HTML in its forms: never emitted
    Case("md-html-div-block", {A: body("<div onclick=\"x()\">\n块\n</div>\n")},
         expect=(f"{A}:9:1: error[HB130]",)),
    Case("md-html-uppercase-script", {A: body("<SCRIPT>alert(1)</SCRIPT>\n")},
         expect=(f"{A}:9:1: error[HB130]",)),
    Case("md-html-processing-instruction", {A: body("<?php echo 1; ?>\n")},
         expect=(f"{A}:9:1: error[HB130]",)),
    Case("md-html-cdata", {A: body("<![CDATA[ x ]]>\n")}, expect=(f"{A}:9:1: error[HB130]",)),
    Case("md-html-inline-iframe", {A: body("正文 <iframe src=\"https://e.cn\"></iframe>\n")},
         expect=(f"{A}:9:4: error[HB130]",)),
    Case("md-html-unclosed-style", {A: body("<style>\nbody { display: none }\n")},
         expect=(f"{A}:9:1: error[HB130]",)),
    # prose citations: inside quotation marks they quote another document
    *[Case(f"md-cite-in-{name}", {A: body(f"一、将第一条修改为：{o}依照本法第二百七十二条处罚。{c}\n")},
           exit=0, absent=("HB205", "HB206", "HB201"))
      for name, o, c in (("double-quotes", "“", "”"), ("single-quotes", "‘", "’"),
                         ("corner-brackets", "「", "」"), ("white-corner-brackets", "『", "』"))],
    Case("md-cite-outside-quotes", {A: body("“引文”之外，依照本法第五条处罚。\n")}, exit=0,
         expect=(f"{A}:9:10: warning[HB205]", "this document has no numbered articles")),
    Case("md-cite-title-is-no-quote", {A: body(TITLED + "\n")}, exit=0,
         expect=(f"{A}:9:{col(TITLED, '本法')}: warning[HB205]",)),
    Case("md-cite-quote-across-emphasis", {A: body(EMPHASIS + "\n")}, exit=0,
         expect=(f"{A}:9:{col(EMPHASIS, '本法', 20)}: warning[HB205]",),
         absent=(f"{A}:9:{col(EMPHASIS, '本法')}:",)),
    Case("md-cite-quote-continues-next-paragraph",
         {A: body("二、第十条修改为：“第十条 依照本法第五条\n\n“依照本法第六条处罚。”\n")}, exit=0,
         absent=("HB205", "HB206")),
    Case("md-cite-same-text-in-and-out", {A: body(TWICE + "\n")}, exit=0,
         expect=(f"{A}:9:{col(TWICE, '本法', 5)}: warning[HB205]",),
         absent=(f"{A}:9:{col(TWICE, '本法')}:", f"{A}:9:{col(TWICE, '第六条')}:")),
    Case("md-cite-quoted-in-policy-with-articles",
         {A: body("§ 第一条。\n\n§ 原文为“依照本办法第九条处理”。\n")}, args=BUILD, exit=0,
         absent=("HB205",), post=on_page("依照本办法第九条处理")),
    # one code and one severity for every prose citation that cannot resolve
    Case("md-cite-missing-article", {A: body("§ 第一条。\n\n§ 依照本办法第九条处理。\n")}, exit=0,
         expect=(f"{A}:11:5: warning[HB205]", "GN-001 has no 第九条")),
    Case("md-cite-missing-kuan", {A: body("§ 第一条。\n\n§ 依照本办法第一条第三款处理。\n")}, exit=0,
         expect=(f"{A}:11:5: warning[HB205]", "第一条 of GN-001 has 1 款, not 3"),
         absent=("HB201",)),
    Case("md-cite-missing-kuan-by-title",
         {A: body("§ 第一条。\n\n§ 依照《测试制度》第一条第二款处理。\n")}, exit=0,
         expect=(f"{A}:11:5: warning[HB205]",), absent=("HB201",)),
    Case("md-cite-no-articles-policy", {A: body("依照本办法第九条处理。\n")}, exit=0,
         expect=(f"{A}:9:3: warning[HB205]",), absent=("HB206",)),
    Case("md-cite-no-articles-chapter", {CH: "---\ntitle: 总则\n---\n依照本办法第九条处理。\n"},
         exit=0, expect=(f"{CH}:4:3: warning[HB205]",), absent=("HB206",)),
    Case("md-cite-strict", {A: body("§ 第一条。\n\n§ 依照本办法第一条第三款处理。\n")},
         args=("check", "{src}", "--strict"), expect=(f"{A}:11:5: error[HB205]",)),
    # explicit references keep their codes
    Case("md-ref-explicit-local-in-chapter", {CH: "---\ntitle: 总则\n---\n见[[#scope]]。\n"},
         expect=(f"{CH}:4:2: error[HB206]",)),
    Case("md-ref-explicit-missing-kuan", {A: body("§{a} 第一条。\n\n§ 见[[#a.3]]。\n")},
         expect=(f"{A}:11:4: error[HB201]",)),
]
