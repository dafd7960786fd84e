"""The sample handbook in policies/ keeps its coverage: it cannot silently shrink."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.build.pipeline import BuildOptions, BuildResult, load

POLICIES = Path(__file__).resolve().parents[2] / "policies"
CHAPTERS = ["总则", "组织架构与职责", "运营流程管理", "质量管理", "风险管理", "信息管理", "人员管理"]
# characters that exist only in Traditional writing (their Simplified forms differ)
TRADITIONAL_ONLY = set("處運質審報關與這為將機構會議員數據經營務時間產問題點書們")


@pytest.fixture(scope="module")
def sample():
    result = BuildResult(Diagnostics(strict=True))
    load(POLICIES, BuildOptions(), result)
    return result


def test_strict_check_is_clean(sample):
    assert [str(d) for d in sample.diagnostics.items] == []


def test_chapters_and_policy_count(sample):
    hb = sample.handbook
    assert [c.title for c in hb.chapters] == CHAPTERS
    assert all(c.body.html.strip() for c in hb.chapters), "every chapter has an introduction"
    assert len(hb.policies) >= 35
    assert all(c.policy_ids for c in hb.chapters)


def test_every_policy_is_a_real_regulation(sample):
    for p in sample.handbook.policies.values():
        assert 8 <= len(p.body.articles) <= 40, p.id
        chapters = [h.text for h in p.body.headings if h.kind == "chapter"]
        assert chapters[0].endswith(("总则", "總則")) and chapters[-1].endswith(("附则", "附則")), p.id
        labels = {a.label for a in p.body.articles}
        assert {"purpose", "scope", "interpretation", "effective"} <= labels, p.id


def test_one_policy_in_traditional_chinese(sample):
    traditional = [p for p in sample.handbook.policies.values()
                   if sum(ch in TRADITIONAL_ONLY for ch in p.body.html) > 50]
    assert traditional, "at least one policy is written in Traditional Chinese"


def test_governance_data(sample):
    policies = list(sample.handbook.policies.values())
    statuses = Counter(p.meta.status for p in policies)
    assert statuses["active"] >= 30 and statuses["draft"] >= 1 and statuses["retired"] >= 1
    superseded = {t for p in policies for t, _ in p.meta.supersedes}
    assert any(p.meta.status == "retired" and p.id in superseded for p in policies)
    overdue = [p for p in policies if p.meta.review_by and p.meta.review_by < dt.date(2026, 11, 23)]
    assert 1 <= len(overdue)
    assert sum(1 for p in policies if p.meta.approved_by and p.meta.doc_no) >= 30


def test_department_registry_has_real_hierarchy(sample):
    depts = sample.handbook.departments
    assert len(depts) >= 12
    assert all(d.duties for d in depts.values())

    def depth(d):
        return 1 + (depth(depts[d.parent]) if d.parent else 0)
    assert max(depth(d) for d in depts.values()) >= 4
    branch = [d for d in depts.values() if "办事处" in d.name and not d.name.startswith(("香港办事处综",))]
    assert any(any(c.parent == b.id for c in depts.values()) for b in branch)


def test_dense_meaningful_citations(sample):
    refs = [r for p in sample.handbook.policies.values() for r in p.body.refs]
    kinds = Counter(r.kind for r in refs)
    to_policies = [r for r in refs if r.kind in ("policy", "title")]
    article_level = [r for r in to_policies if r.anchor is not None]
    assert len(to_policies) + kinds["local"] >= 150
    assert len(article_level) > len(to_policies) / 2
    assert kinds["dept"] >= 50
    assert sum(1 for r in refs if r.prose) >= 5


def test_real_structure_in_text(sample):
    html = "".join(p.body.html for p in sample.handbook.policies.values())
    assert html.count("<table ") >= 15
    assert html.count('class="items"') >= 30
    assert html.count("<dl>") >= 5
    assert html.count('class="footnotes"') >= 3
    assert html.count('class="admonition') >= 5
