"""Conformance over a small hand-written handbook (legal_structure/policies): a code typed
with 第N编 / 第N分编 / 第N章 / 第N节 and 第N条之一, a § policy with 一、 / （一） headings and
§+ inserted articles, and a § policy of 编 with unnumbered headings. Built once (and once
more from the parse cache): headings never numbered twice on any page or search record,
inserted articles with their own names and anchors, citations to them resolved."""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from handbook_gen.build.pipeline import BuildOptions, build
from handbook_gen.core.numerals import article_name
from handbook_gen.search.feed import search_records

SRC = Path(__file__).resolve().parent / "legal_structure" / "policies"
DOUBLE = re.compile(r"第[一二三四五六七八九十]+(?:分编|[编章节])[\s\u3000]+"
                    r"(?:第[一二三四五六七八九十]+(?:分编|[编章节条])|[一二三四五六七八九十]+、|（)")
"""A number put in front of a heading's own: 第一章 一、总则, 第一章 第一编 ……"""
OPTIONS = dict(today=datetime.date(2026, 6, 1), jobs=1)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("legal")
    result = build(SRC, base / "site", BuildOptions(cache_dir=base / "cache", **OPTIONS))
    cached = build(SRC, base / "again", BuildOptions(cache_dir=base / "cache", **OPTIONS))
    return base, result, cached


def page(site, pid: str, out: str = "site") -> str:
    return (site[0] / out / "policies" / f"{pid}.html").read_text("utf-8")


def headings(html: str) -> list[tuple[int, str]]:
    return [(int(level), text.replace("\u3000", " "))
            for level, text in re.findall(r'<h([2-6]) id="[^"]*">([^<]*)</h\1>', html)]


def test_the_fixture_builds_without_a_diagnostic(site):
    _, result, cached = site
    assert not result.diagnostics.items and not cached.diagnostics.items
    assert cached.counters["sources_parsed"] == 0  # the second build read the parse cache


def test_a_code_keeps_its_parts_sub_parts_chapters_and_sections_as_typed(site):
    assert headings(page(site, "lg-001")) == [
        (2, "第一编 总则"), (3, "第一章 一般规定"), (3, "第二章 职责分工"), (2, "第二编 业务管理"),
        (3, "第一分编 采购与付款"), (4, "第一章 采购"), (5, "第一节 采购申请"),
        (5, "第二节 供应商选择"), (4, "第二章 付款"), (3, "第二分编 档案"), (4, "第三章 档案管理")]


def test_outline_headings_are_kept_and_unnumbered_ones_numbered_at_their_level(site):
    assert headings(page(site, "op-001")) == [
        (2, "一、总则"), (2, "二、费用标准"), (3, "（一）日常费用"), (3, "（二）差旅费用"), (2, "三、附则")]
    assert headings(page(site, "op-002")) == [
        (2, "第一编 通则"), (3, "第一章 目的和范围"), (3, "第二章 会议类型"), (4, "第一节 例会"),
        (4, "第二节 专题会"), (2, "第二编 会议程序"), (3, "第一章 准备"), (3, "第二章 纪要")]


def test_no_heading_is_numbered_twice_on_any_page_or_search_record(site):
    base, result, _ = site
    pages = list((base / "site").rglob("*.html"))
    assert len(pages) > 10
    assert [p.name for p in pages if DOUBLE.search(p.read_text("utf-8"))] == []
    records = search_records(result.handbook, result.links)
    assert [r.section for r in records if DOUBLE.search(r.section)] == []


def test_inserted_articles_have_their_own_names_and_anchors(site):
    _, result, _ = site
    articles = {pid: [(article_name(a.number), a.anchor) for a in p.body.articles]
                for pid, p in result.handbook.policies.items()}
    assert articles["LG-001"][2:4] == [("第三条", "a3"), ("第三条之一", "a3_1")]
    assert articles["LG-001"][6:9] == [("第六条", "a6"), ("第六条之一", "a6_1"), ("第六条之二", "a6_2")]
    assert articles["OP-001"] == [("第一条", "purpose"), ("第一条之一", "scope"), ("第二条", "daily"),
                                  ("第二条之一", "a2_1"), ("第二条之二", "a2_2"), ("第三条", "a3"),
                                  ("第四条", "a4")]
    html = page(site, "lg-001")
    assert re.findall(r'<div class="article" id="(a\d+(?:_\d+)?)"', html) == [
        "a1", "a2", "a3", "a3_1", "a4", "a5", "a6", "a6_1", "a6_2", "a7", "a8", "a9"]
    assert '<a class="article-no" href="#a3_1">第三条之一</a>' in html
    assert '<li><a href="#a3_1">第三条之一</a>' in html  # table of contents
    assert '<a href="#第一章-采购">第一章\u3000采购</a>' in html  # a code's chapter at ####


def test_citations_of_inserted_articles_link_to_them(site):
    xrefs = re.compile(r'<a class="xref[^"]*" href="([^"]*)"[^>]*>([^<]*)</a>')
    assert xrefs.findall(page(site, "lg-001")) == [
        ("#a3_1", "本规定第三条之一第二款"), ("#a6_1", "本规定第六条之一"), ("#a6_2", "第六条之二")]
    assert xrefs.findall(page(site, "op-001")) == [
        ("../policies/lg-001.html#a3_1", "《公司经营管理基本规定》第三条之一"),
        ("#a2_1", "本办法第二条之一"),
        ("../policies/lg-001.html#a6_2", "《公司经营管理基本规定》第六条之二"),
        ("#daily", "第二条"), ("#a2_2", "第二条之二")]
    assert xrefs.findall(page(site, "op-002")) == [
        ("../policies/op-001.html#scope", "《办事处费用管理办法》第一条之一")]


def test_cited_by_stands_under_the_inserted_article(site):
    html = page(site, "lg-001")
    inserted = html[html.index('id="a3_1"'):html.index('id="a4"')]
    assert '<a href="../policies/op-001.html#purpose">《办事处费用管理办法》第一条</a>' in inserted
    base = html[html.index('id="a3"'):html.index('id="a3_1"')]
    assert "被引用" not in base
    html = page(site, "op-001")
    assert '<a href="../policies/op-002.html#a4_1">《办事处会议管理细则》第四条之一</a>' in \
        html[html.index('id="a1_1"'):html.index('id="a2"')]


def test_search_records_name_inserted_articles_and_their_headings_once(site):
    _, result, _ = site
    records = {r.url: (r.heading, r.section.replace("\u3000", " "))
               for r in search_records(result.handbook, result.links)}
    assert records["policies/lg-001.html#a6_2"] == (
        "第六条之二", "第二编 业务管理 第一分编 采购与付款 第一章 采购 第二节 供应商选择")
    assert records["policies/op-001.html#a2_1"] == ("第二条之一", "二、费用标准 （一）日常费用")
    assert records["policies/op-002.html#a4_1"] == ("第四条之一", "第二编 会议程序 第一章 准备")


def test_the_cached_build_is_the_same_site(site):
    for pid in ("lg-001", "op-001", "op-002"):
        assert page(site, pid) == page(site, pid, "again")
