"""Reference resolution on handbooks built in memory: article lookup rules, the shared
department links, cited_by / dept_cited_by order, drafts and retired targets."""
from __future__ import annotations

import datetime as dt

from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.model import (Article, Chapter, Department, Handbook, ParsedBody, Policy,
                                PolicyMeta, Ref, SiteInfo)
from handbook_gen.assemble.resolve import Citation, Link, resolve

DEPTS = {d: Department(d, name, None, (), Location("x"))
         for d, name in (("FIN", "财务部"), ("HR", "人力资源部"))}


def art(number: int, label: str | None = None, paragraphs: int = 1) -> Article:
    return Article(number, label, label or f"a{number}", paragraphs, "", number)


def pol(pid: str, title: str, articles=(), refs=(), status: str = "active",
        supersedes=()) -> Policy:
    meta = PolicyMeta(pid, title, "FIN", status, dt.date(2025, 1, 1), "1.0",
                      supersedes=tuple((s, Location("x")) for s in supersedes))
    return Policy(meta, "c", f"policies/c/{pid.lower()}.md",
                  ParsedBody("", (), tuple(articles), tuple(refs), ""))


def ref(kind: str, target: str, anchor: str | None = None, paragraph: int | None = None,
        text: str | None = None, article: int | None = None, line: int = 1,
        prose: bool = False, raw: str = "") -> Ref:
    return Ref(kind, target, anchor, paragraph, text, Location("policies/c/src.md", line, 1),
               article, prose, raw)


def run(*policies: Policy, include_drafts: bool = False, chapter_refs=()):
    chapter = Chapter("c", "01-c", "章", 1, "policies/c/_chapter.md",
                      ParsedBody("", (), (), tuple(chapter_refs), ""),
                      tuple(p.meta.id for p in policies))
    hb = Handbook(SiteInfo("t", "zh-CN", None), (chapter,), {p.meta.id: p for p in policies},
                  DEPTS, "x")
    diags = Diagnostics()
    return resolve(hb, diags, include_drafts), diags


TARGET = pol("QM-001", "质量制度", [art(1, "purpose"), art(2, "5", paragraphs=2),
                                   art(3), art(5, "late")])


def test_article_keys_labels_first_then_numbers():
    refs = [ref("policy", "QM-001", key, line=i) for i, key in
            enumerate(["purpose", "5", "第五条", "05", "第三条", "3", "purpose", "第三条"])]
    table, diags = run(TARGET, pol("OP-001", "采购办法", refs=refs))
    urls = [link.url for link in table.links["policies/c/op-001.md"]]
    base = "policies/qm-001.html#"
    # '5' is the label of article 2; 第五条 and '05' are article number 5 (not at index 4)
    assert urls == [base + "purpose", base + "5", base + "late", base + "late", base + "a3",
                    base + "a3", base + "purpose", base + "a3"]
    assert not diags.items


def test_unknown_article_is_reported_at_every_reference():
    refs = [ref("policy", "QM-001", "scop", line=1), ref("policy", "QM-001", "scop", line=2),
            ref("policy", "QM-001", "第九条", line=3, prose=True, raw="《质量制度》第九条")]
    table, diags = run(TARGET, pol("OP-001", "采购办法", refs=refs))
    assert [(d.code, d.location.line) for d in diags.items] == \
        [("HB201", 1), ("HB201", 2), ("HB205", 3)]
    assert diags.items[2].message == "《质量制度》第九条: QM-001 has no 第九条 (its articles end at 第四条)"
    assert table.links["policies/c/op-001.md"] == [
        Link("", None, "xref-broken"), Link("", None, "xref-broken"),
        Link("《质量制度》第九条", None, "")]


def test_link_texts_and_paragraphs():
    src = pol("OP-001", "采购办法", [art(1, "x", paragraphs=2)], refs=[
        ref("policy", "QM-001"), ref("policy", "QM-001", "5", 2), ref("policy", "QM-001", "5", 3),
        ref("policy", "QM-001", "purpose", text="目的"), ref("local", "", "x", 2),
        ref("title", "质量制度", "第一条", prose=True, raw="《质量制度》第一条"),
        ref("title", "劳动法", "第一条", prose=True, raw="《劳动法》第一条")])
    table, diags = run(TARGET, src)
    assert table.links["policies/c/op-001.md"] == [
        Link("《质量制度》", "policies/qm-001.html"),
        Link("《质量制度》第二条第二款", "policies/qm-001.html#5"),
        Link("", None, "xref-broken"),
        Link("目的", "policies/qm-001.html#purpose"),
        Link("第一条第二款", "policies/op-001.html#x"),
        Link("《质量制度》第一条", "policies/qm-001.html#purpose"),
        Link("《劳动法》第一条", None, "")]
    assert [d.message for d in diags.items] == ["第二条 of QM-001 has 2 款, not 3"]


def test_department_links_and_cited_by_order():
    a = pol("OP-001", "采购办法", refs=[ref("dept", "HR"), ref("dept", "FIN"), ref("dept", "HR"),
                                       ref("dept", "FIN", text="财务")])
    b = pol("OP-002", "付款办法", refs=[ref("dept", "FIN"), ref("dept", "FIN")])
    table, diags = run(a, b, chapter_refs=[ref("dept", "HR")])
    links = table.links["policies/c/op-001.md"]
    assert links == [Link("人力资源部", "departments/hr.html", "xref dept"),
                     Link("财务部", "departments/fin.html", "xref dept"),
                     Link("人力资源部", "departments/hr.html", "xref dept"),
                     Link("财务", "departments/fin.html", "xref dept")]
    assert table.links["policies/c/_chapter.md"] == [links[0]]
    assert list(table.dept_cited_by.items()) == [("HR", ["OP-001"]), ("FIN", ["OP-001", "OP-002"])]
    assert not diags.items


def test_citations_in_handbook_order_with_source_articles():
    a = pol("OP-001", "采购办法", [art(1, "x"), art(2)], refs=[
        ref("policy", "QM-002", article=2), ref("policy", "QM-001", "purpose", article=1),
        ref("local", "", "x", article=2), ref("policy", "OP-001", "第二条", article=1)])
    b = pol("OP-002", "付款办法", refs=[ref("policy", "QM-001", "第三条")])
    c = pol("OP-003", "草案办法", status="draft", refs=[ref("policy", "QM-001")])
    table, diags = run(TARGET, pol("QM-002", "另一制度"), a, b, c)
    assert list(table.cited_by) == ["QM-002", "QM-001"]  # order of the first citation
    assert table.cited_by["QM-001"] == [Citation("OP-001", "采购办法", 1, "x", 1),
                                        Citation("OP-002", "付款办法", None, None, 3)]
    assert table.cited_by["QM-002"] == [Citation("OP-001", "采购办法", 2, "a2", None)]
    assert not diags.items
    # with drafts published, the draft's reference is listed too
    table, _ = run(TARGET, pol("QM-002", "另一制度"), a, b, c, include_drafts=True)
    assert table.cited_by["QM-001"][-1] == Citation("OP-003", "草案办法", None, None, None)


def test_draft_and_retired_targets():
    old = pol("QM-000", "旧制度", [art(1)], status="retired")
    new = pol("QM-003", "新制度", status="active", supersedes=["QM-000"],
              refs=[ref("policy", "QM-000", "1")])
    draft = pol("QM-009", "草案", status="draft")
    src = pol("OP-001", "采购办法", refs=[ref("policy", "QM-000", line=1),
                                         ref("policy", "QM-009", line=2)])
    table, diags = run(old, new, draft, src)
    assert table.links["policies/c/qm-003.md"] == [
        Link("《旧制度》第一条", "policies/qm-000.html#a1", "xref xref-retired", "已废止")]
    assert table.links["policies/c/op-001.md"] == [
        Link("《旧制度》", "policies/qm-000.html", "xref xref-retired", "已废止"),
        Link("《草案》", None, "xref-draft")]
    assert [(d.code, d.message, d.hint) for d in diags.items] == [
        ("HB203", "QM-000 is retired", "cite its successor QM-003"),
        ("HB203", "QM-009 is a draft and is not published; the reference is shown as plain "
         "text", None)]
    table, _ = run(old, new, draft, src, include_drafts=True)
    assert table.links["policies/c/op-001.md"][1] == \
        Link("《草案》", "policies/qm-009.html", "xref xref-draft", "草案")
