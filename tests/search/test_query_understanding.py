"""Query understanding in the real client (node): citation queries answer with the cited
article, a named policy leads with its page, aliases (declared and derived, in characters
and pinyin), states and the status filter. The site is a small handbook built by the CLI
(citation_handbook.py)."""
from __future__ import annotations

import shutil

import pytest

from test_client_node import run

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from citation_handbook import build

    return build(tmp_path_factory.mktemp("citations"))


def first(r):
    g = r["results"][0]
    return g["id"], g["hits"][0]["url"]


def test_citation_answers_with_the_article_first(site):
    queries = ["费用报销管理办法第九条", "费用报销管理办法 第九条", "《费用报销管理办法》第9条", "第九条《费用报销管理办法》",
               "第9条 费用报销管理办法", "费用报销管理办法9条", "费用报销管理办法第九条第二款", "報銷辦法第九條",
               "报销办法第九条", "费用报销规定第九条", "FIN-001第9条", "费用报销管理办法的第九条"]
    for r in run(site, queries):
        g = r["results"][0]
        assert first(r) == ("FIN-001", "policies/fin-001.html#a9"), r["q"]
        assert g["cite"] and g["hits"][0]["cite"] and not r["partial"], r["q"]
    # the other policies quoting it follow
    r, = run(site, ["费用报销管理办法第九条"])
    assert [g["id"] for g in r["results"]][:2] == ["FIN-001", "FIN-002"]


def test_article_numbers_of_any_size_and_inserted_articles(site):
    for r in run(site, ["民法典第1165条", "民法典第一千一百六十五条", "中华人民共和国民法典1165条", "第1165条 民法典"]):
        assert first(r) == ("LAW-003", "policies/law-003.html#a1165"), r["q"]
    r1, r2, r3 = run(site, ["费用报销管理办法第九条之一", "报销办法第9条之一", "费用报销管理办法第10条"])
    assert first(r1) == first(r2) == ("FIN-001", "policies/fin-001.html#a9_1")
    assert first(r3) == ("FIN-001", "policies/fin-001.html#a10")  # after the inserted article
    r, = run(site, ["个税法第12条"])  # a derived abbreviation
    assert first(r) == ("LAW-001", "policies/law-001.html#a12")


def test_a_shortened_name_cites(site):
    # the name's characters in order, ending like the title (备用金管理办法 -> 备用金办法)
    r, = run(site, ["备用金办法第2条"])
    assert first(r) == ("FIN-003", "policies/fin-003.html#a2") and r["results"][0]["cite"]


def test_a_partial_name_yields_to_the_quotation_typed(site):
    # 报销管理办法 is only part of a title: the record quoting 《费用报销管理办法》第九条 comes first
    r, = run(site, ["报销管理办法》第九条"])
    assert first(r) == ("FIN-002", "policies/fin-002.html#a1") and not r["results"][0]["cite"]


def test_missing_article_gives_the_policy_and_a_notice(site):
    r, = run(site, ["费用报销管理办法第九十九条"])
    g = r["results"][0]
    assert g["id"] == "FIN-001" and g["hits"][0]["policy"] and g["hits"][0]["url"] == "policies/fin-001.html"
    assert "没有第九十九条" in r["notice"] and not g["cite"]


def test_a_named_policy_leads_with_its_page(site):
    res = run(site, ["费用报销管理办法", "备用金管理办法", "个税法", "社保条例", "报销办法"])
    want = ["FIN-001", "FIN-003", "LAW-001", "LAW-004", "FIN-001"]
    for r, pid in zip(res, want):
        g = r["results"][0]
        assert g["id"] == pid and g["hits"][0]["policy"], r["q"]
        assert g["hits"][0]["url"] == f"policies/{pid.lower()}.html", r["q"]
        assert all("#" in h["url"] for h in g["hits"][1:]), r["q"]  # its best articles after it
    assert [g["id"] for g in res[2]["results"]][:2] == ["LAW-001", "LAW-002"]  # not the implementing rules
    # a query that does not name the policy keeps the article link
    r, = run(site, ["住宿标准"])
    assert not r["results"][0]["hits"][0]["policy"] and "#a9" in r["results"][0]["hits"][0]["url"]


def test_aliases_in_pinyin(site):
    for q, pid in [("geshuifa", "LAW-001"), ("gsf", "LAW-001"), ("baoxiaobanfa", "FIN-001"), ("shebaotiaoli", "LAW-004")]:
        r, = run(site, [q])
        assert r["results"] and r["results"][0]["id"] == pid, q


def test_articles_rank_above_the_text_outside_them(site):
    r, = run(site, ["财务部"])  # in FIN-001's intro and in its articles
    hits = [h["url"] for h in r["results"][0]["hits"]]
    assert hits[0].startswith("policies/fin-001.html#a"), hits


def test_states_order_and_status_filter(site):
    r, = run(site, ["数据安全"])
    states = {g["id"]: g["state"] for g in r["results"]}
    assert states == {"ACT-001": "active", "OVR-001": "overdue", "PEN-001": "pending", "RET-001": "retired"}
    order = [g["id"] for g in r["results"]]
    assert order.index("PEN-001") > max(order.index("ACT-001"), order.index("OVR-001"))
    assert order.index("RET-001") > order.index("PEN-001")
    active, pending, retired = run(site, [{"q": "数据安全", "filter": {"status": s}} for s in ("active", "pending", "retired")])
    assert {g["id"] for g in active["results"]} == {"ACT-001", "OVR-001"}
    assert {g["id"] for g in pending["results"]} == {"PEN-001"}
    assert {g["id"] for g in retired["results"]} == {"RET-001"}
