"""Domain edge cases of numbering and citation, through parse + assemble + resolve (no
site build): lookup by article number whatever the position, a label spelled like an
article number, 第N节 typed as a level-2 heading, non-adjacent 和第七条, and the cited-by
list when one policy cites another more than once."""
from __future__ import annotations

import pytest

from handbook_gen.assemble.handbook import assemble
from handbook_gen.assemble.resolve import Citation, resolve
from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.model import Department, SiteInfo
from handbook_gen.markdown.document import parse_document
from handbook_gen.source.config import HandbookConfig

TARGET = "policies/01-a/qm-001.md"
SOURCE = "policies/01-a/qm-002.md"
BODY_LINE = 9
"""The first body line of a policy written by policy()."""


def policy(pid: str, title: str, body: str) -> str:
    return (f"---\nid: {pid}\ntitle: {title}\nowner: GMO\nstatus: active\n"
            f"effective: 2025-01-01\nversion: \"1\"\n---\n{body}")


def run(target_body: str, source_body: str = "§ 无引用。\n"):
    files = {"policies/01-a/_chapter.md": "---\ntitle: 甲\n---\n",
             TARGET: policy("QM-001", "质量制度", target_body),
             SOURCE: policy("QM-002", "采购办法", source_body)}
    docs = [parse_document(p, t.encode()) for p, t in sorted(files.items())]
    diags = Diagnostics()
    for doc in docs:
        diags.extend(list(doc.diagnostics))
    config = HandbookConfig(SiteInfo("t", "zh-CN", None),
                            {"GMO": Department("GMO", "总经理办公室", None, (), Location("x"))})
    hb = assemble(docs, config, "policies/_handbook.yaml", "policies", diags)
    return hb, resolve(hb, diags, False), diags


def links(table, path: str = SOURCE) -> list[tuple[str, str | None]]:
    return [(link.text, link.url) for link in table.links[path]]


def codes(diags) -> list[tuple[str, int]]:
    return [(d.code, d.location.line) for d in diags.items]


# ---- lookup is by number, never by position --------------------------------------------
def test_hand_numbering_with_a_later_start_is_cited_by_number():
    hb, table, diags = run("第五条 甲。\n\n第六条 乙。\n\n第九条 丙。\n\n见本制度第九条。\n",
                           "§ 依照《质量制度》第九条、[[QM-001#9]]、[[QM-001#第九条]]和"
                           "《质量制度》第三条。\n")
    assert [(a.number, a.anchor) for a in hb.policies["QM-001"].body.articles] == \
        [(5, "a5"), (6, "a6"), (9, "a9")]
    ninth = "policies/qm-001.html#a9"
    # 第九条 is the third article; 第三条 (a position that exists) is no article at all
    assert links(table) == [("《质量制度》第九条", ninth)] * 3 + [("《质量制度》第三条", None)]
    assert links(table, TARGET) == [("本制度第九条", ninth)]
    assert [(c, line) for c, line in codes(diags) if c != "HB220"] == [("HB205", BODY_LINE)]
    assert diags.items[-1].message == "《质量制度》第三条: QM-001 has no 第三条 (its articles end at 第三条)"
    assert table.cited_by["QM-001"] == [Citation("QM-002", "采购办法", 1, "a1", 9)]


def test_an_inserted_article_does_not_shift_the_ones_after_it():
    # a second 第二条 inserted by hand: 第三条 is the fourth article, and keeps its number
    hb, table, _ = run("第一条 甲。\n\n第二条 乙。\n\n第二条 插入。\n\n第三条 丙。\n",
                       "§ 见《质量制度》第三条和[[QM-001#2]]。\n")
    assert [(a.number, a.anchor) for a in hb.policies["QM-001"].body.articles] == \
        [(1, "a1"), (2, "a2"), (2, "a2-2"), (3, "a3")]
    assert links(table) == [("《质量制度》第三条", "policies/qm-001.html#a3"),
                            ("《质量制度》第二条", "policies/qm-001.html#a2")]


# ---- a label spelled like an article number --------------------------------------------
@pytest.mark.parametrize("label", ["第五条", "5", "05", "第5条"])
def test_a_label_spelled_like_a_number_is_refused_and_never_shadows_it(label):
    hb, table, diags = run(f"§{{{label}}} 甲。\n\n§ 乙。\n\n§ 丙。\n\n§ 丁。\n\n§ 戊。\n",
                           "§ 见《质量制度》第五条、[[QM-001#第五条]]和[[QM-001#5]]。\n")
    first = hb.policies["QM-001"].body.articles[0]
    assert (first.label, first.anchor) == (None, "a1")
    assert codes(diags) == [("HB204", BODY_LINE)]
    assert links(table) == [("《质量制度》第五条", "policies/qm-001.html#a5")] * 3


def test_a_label_spelled_like_a_number_anchor_does_not_take_it():
    hb, _, diags = run("§{a5} 甲。\n\n§ 乙。\n\n§ 丙。\n\n§ 丁。\n\n§ 戊。\n")
    html = hb.policies["QM-001"].body.html
    assert '<div class="article" id="a5">' in html or codes(diags) == [("HB204", BODY_LINE)]


# ---- 第N节 typed as a level-2 heading ---------------------------------------------------
SECTIONS_AT_LEVEL_2 = "## 第一节 一般规定\n\n§ 甲。\n\n## 第二节 特别规定\n\n§ 乙。\n\n### 细则\n\n§ 丙。\n"


def test_section_typed_at_level_2_keeps_its_text_and_the_article_numbers():
    hb, _, _ = run(SECTIONS_AT_LEVEL_2)
    body = hb.policies["QM-001"].body
    assert [a.number for a in body.articles] == [1, 2, 3]
    assert all(word in body.html for word in ("一般规定", "特别规定", "细则", "甲", "乙", "丙"))


def test_section_typed_at_level_2_is_a_section_and_reported_at_its_line():
    hb, _, diags = run(SECTIONS_AT_LEVEL_2)
    texts = [h.text for h in hb.policies["QM-001"].body.headings]
    assert texts[:2] == ["第一节 一般规定", "第二节 特别规定"]  # never "第一章 第一节 …"
    assert {line for code, line in codes(diags) if code == "HB220"} >= {BODY_LINE, BODY_LINE + 4}


# ---- continuations: 、和及或至 第N条 ------------------------------------------------------
EIGHT = "".join(f"§ 条{i}。\n\n" for i in range(1, 9))


def test_adjacent_continuations_cite_the_same_policy():
    _, table, diags = run(EIGHT, "§ 依照《质量制度》第五条、第六条和第七条第一款。\n")
    url = "policies/qm-001.html#a"
    assert links(table) == [("《质量制度》第五条", url + "5"), ("第六条", url + "6"),
                            ("第七条第一款", url + "7")]
    assert [c.target_article for c in table.cited_by["QM-001"]] == [5, 6, 7]
    assert not diags.items


def test_a_non_adjacent_continuation_is_left_as_text():
    # "和第七条" after other words may mean this policy's 第七条 or the other's: it is not
    # guessed, linked, checked or listed as a citation
    hb, table, diags = run(EIGHT, "§ 依照《质量制度》第五条的规定和第七条执行，"
                                  "本办法第一条的规定或第九十条除外。\n")
    assert links(table) == [("《质量制度》第五条", "policies/qm-001.html#a5"),
                            ("本办法第一条", "policies/qm-002.html#a1")]
    assert "的规定和第七条执行" in hb.policies["QM-002"].body.html
    assert [c.target_article for c in table.cited_by["QM-001"]] == [5]
    assert not diags.items


# ---- 被引用: each citing article once ----------------------------------------------------
def test_cited_by_lists_each_citing_article_and_target_once():
    _, table, diags = run(EIGHT, "§ 见《质量制度》第五条和[[QM-001#5]]，又见[[QM-001]]、"
                                 "[[QM-001]]与[[QM-001#7]]、[[QM-001#第七条]]。\n\n"
                                 "§ 再见[[QM-001#5]]和《质量制度》第五条。\n")
    assert len(table.links[SOURCE]) == 8  # every reference is still linked
    assert table.cited_by["QM-001"] == [
        Citation("QM-002", "采购办法", 1, "a1", 5), Citation("QM-002", "采购办法", 1, "a1", None),
        Citation("QM-002", "采购办法", 1, "a1", 7), Citation("QM-002", "采购办法", 2, "a2", 5)]
    assert not diags.items
