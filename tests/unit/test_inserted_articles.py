"""Inserted articles, 第N条之一: their number type (core/numerals.py), their numbering,
name, anchor and cited-by slot (markdown/), and citations to them through parse +
assemble + resolve."""
from __future__ import annotations

import pickle

import pytest
from test_articles import parse
from test_domain_edges import TARGET, codes, links, run

from handbook_gen.core.numerals import (InsertedNumber, article_name, article_number,
                                        from_number_key, inserted_after, number_key,
                                        parse_article_key)
from handbook_gen.markdown.placeholders import fill, slot_mark

URL = "policies/qm-001.html"


# ---- the number type -------------------------------------------------------------------
def test_an_inserted_number_is_never_its_base_number():
    n = InsertedNumber(120, 1)
    assert n != 120 and 120 != n and not n == 120 and n not in {120} and 120 not in {n}
    assert {120: "base", n: "inserted"}[n] == "inserted"
    assert 120 < n < 121 and sorted([121, InsertedNumber(120, 2), n, 120]) == [
        120, n, InsertedNumber(120, 2), 121]
    assert n + 1 == 121 and type(n + 1) is int  # the article after it
    assert article_number(120) == 120 and type(article_number(120)) is int
    assert article_number(120, 1) == n == inserted_after(120)
    assert inserted_after(n) == InsertedNumber(120, 2)


def test_names_keys_and_anchors_of_inserted_numbers():
    n = InsertedNumber(120, 1)
    assert article_name(n) == "第一百二十条之一" and article_name(120) == "第一百二十条"
    assert number_key(n) == "120_1" and number_key(120) == "120"
    assert from_number_key("120_1") == n and from_number_key("120") == 120
    assert parse_article_key("第一百二十条之一") == n and parse_article_key("第120条之2") == \
        InsertedNumber(120, 2)
    assert parse_article_key("第一百二十条") == 120 and parse_article_key("120_1") is None


def test_an_inserted_number_survives_pickling_as_itself():
    # parsed bodies go through the parse cache and worker processes
    n = pickle.loads(pickle.dumps(InsertedNumber(7, 2)))
    assert type(n) is InsertedNumber and n == InsertedNumber(7, 2) and n.sub == 2


def test_the_cited_by_slot_of_an_inserted_article_is_its_own():
    html = slot_mark(5) + slot_mark(InsertedNumber(5, 1))
    assert fill(html, [], "p.html", {5: "[5]", InsertedNumber(5, 1): "[5之一]"}) == "[5][5之一]"
    assert fill(html, [], "p.html", {InsertedNumber(5, 1): "[5之一]"}) == "[5之一]"


# ---- numbering -------------------------------------------------------------------------
def test_plus_section_mark_inserts_after_the_article_before():
    b = parse("§ 甲。\n\n§+ 甲之一。\n\n§+{more} 甲之二。\n\n§ 乙。\n\n§+ 乙之一。\n")
    assert [article_name(a.number) for a in b.articles] == [
        "第一条", "第一条之一", "第一条之二", "第二条", "第二条之一"]
    assert [a.anchor for a in b.articles] == ["a1", "a1_1", "more", "a2", "a2_1"]
    assert '<a class="article-no" href="#a1_1">第一条之一</a>甲之一。' in b.html
    assert '<div class="article" id="a1_2"><span class="anchor" id="more"></span>' in b.html
    assert not b.diagnostics


def test_hand_numbered_inserted_articles_are_their_own_articles():
    b = parse("第一条 甲。\n\n第二条 乙。\n\n第二条之一　乙之一。\n\n第三条 丙。\n")
    assert [article_name(a.number) for a in b.articles] == ["第一条", "第二条", "第二条之一", "第三条"]
    assert [a.anchor for a in b.articles] == ["a1", "a2", "a2_1", "a3"]
    assert '<a class="article-no" href="#a2_1">第二条之一</a>乙之一。' in b.html
    assert not b.diagnostics


def test_an_inserted_anchor_never_meets_a_duplicate_suffix():
    # a second 第五条 is a5-2; 第五条之二 is a5_2
    b = parse("第五条 甲。\n\n第五条 重复。\n\n第五条之一 插入。\n\n第五条之二 再插入。\n")
    assert [a.anchor for a in b.articles] == ["a5", "a5-2", "a5_1", "a5_2"]


def test_inserted_numbers_out_of_order_are_reported():
    b = parse("第一条 甲。\n\n第一条之二 缺之一。\n\n第一条之二 重复。\n\n第三条之一 不在第三条后。\n\n"
              "第二条 回头。\n")
    assert [(d.location.line, d.message) for d in b.diagnostics if d.code == "HB220"] == [
        (3, "hand-numbered text: 第一条之二 follows 第一条: numbers in between are missing"),
        (5, "hand-numbered text: duplicate 第一条之二"),
        (7, "hand-numbered text: 第三条之一 follows 第一条之二: numbers in between are missing"),
        (9, "hand-numbered text: 第二条 is out of order (expected 第四条)")]


def test_plus_on_the_first_article_is_an_error_and_numbers_it_first():
    b = parse("§+ 甲。\n\n§ 乙。\n")
    assert [a.number for a in b.articles] == [1, 2]
    assert [(d.code, d.location.line) for d in b.diagnostics] == [("HB204", 1)]


@pytest.mark.parametrize("label", ["第五条之一", "a5_1"])
def test_a_label_spelled_like_an_inserted_article_is_refused(label):
    b = parse(f"§{{{label}}} 甲。\n")
    assert [d.code for d in b.diagnostics] == ["HB204"] and b.articles[0].label is None


def test_zhi_yiban_is_a_word_not_an_inserted_article():
    b = parse("第五条之一般规定 甲。\n\n见本办法第五条之一般规定。\n")
    assert article_name(b.articles[0].number) == "第五条"
    assert len(b.refs) == 1 and b.refs[0].anchor == "5"


# ---- citations -------------------------------------------------------------------------
def test_citations_of_inserted_articles_resolve_to_them():
    hb, table, diags = run(
        "§ 甲。\n\n§ 乙。\n\n§+ 乙之一。\n\n第二款。\n\n§+{late} 乙之二。\n\n§ 丙。\n\n"
        "见本制度第二条之一和第二条之二。\n",
        "§ 依照《质量制度》第二条之一第二款、第二条之二和[[QM-001#第二条之一]]、[[QM-001#late]]、"
        "[[QM-001#第二条之一.2]]。\n")
    assert links(table) == [
        ("《质量制度》第二条之一第二款", f"{URL}#a2_1"), ("第二条之二", f"{URL}#late"),
        ("《质量制度》第二条之一", f"{URL}#a2_1"), ("《质量制度》第二条之二", f"{URL}#late"),
        ("《质量制度》第二条之一第二款", f"{URL}#a2_1")]
    assert links(table, TARGET) == [("本制度第二条之一", f"{URL}#a2_1"),
                                    ("第二条之二", f"{URL}#late")]
    assert not codes(diags)
    assert [c.target_article for c in table.cited_by["QM-001"]] == [
        InsertedNumber(2, 1), InsertedNumber(2, 2)]


def test_a_citation_of_a_missing_inserted_article_is_not_its_base_article():
    hb, table, diags = run("§ 甲。\n\n§ 乙。\n", "§ 见《质量制度》第二条之一和[[QM-001#第二条之一]]。\n")
    assert links(table) == [("《质量制度》第二条之一", None), ("[[QM-001#第二条之一]]", None)]
    assert [(d.code, d.message) for d in diags.items] == [
        ("HB205", "《质量制度》第二条之一: QM-001 has no 第二条之一 (its articles end at 第二条)"),
        ("HB201", "QM-001 has no article '第二条之一'")]


def test_an_inserted_article_citing_records_its_own_number():
    _, table, _ = run("§ 甲。\n\n§ 乙。\n", "§ 甲。\n\n§+ 依照《质量制度》第二条。\n")
    assert [(c.source_article, c.source_anchor) for c in table.cited_by["QM-001"]] == [
        (InsertedNumber(1, 1), "a1_1")]
