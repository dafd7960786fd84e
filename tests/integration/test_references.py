"""References: rendered forms, diagnostics, backlinks, renumbering, and a property test."""
from __future__ import annotations

import pytest

import re

from helpers import main_html, policy
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.build.pipeline import BuildOptions, BuildResult, load

TARGET = policy("QM-001", title="质量管理制度", owner="FIN", body=(
    "## 总则\n\n§{purpose} 目的。\n\n§{scope} 范围。\n\n第二款。\n\n"
    "## 附则\n\n§{effective} 施行。\n"))


def build_one(project, body: str, extra_files: dict | None = None):
    project.write("01-general/qm.md", TARGET)
    project.write("01-general/src.md", policy("OP-001", title="采购管理办法", body=body))
    for rel, text in (extra_files or {}).items():
        project.write(rel, text)
    r = project.build()
    return r, main_html(project.page("policies/op-001.html")) if r.exit_code == 0 else ""


def test_rendered_forms(project):
    r, html = build_one(project, (
        "## 总则\n\n§{a} 见[[QM-001]]、[[QM-001|质量制度全文]]、[[QM-001#scope]]、[[QM-001#第二条]]、"
        "[[QM-001#2]]、[[QM-001#scope.2]]、[[QM-001#第二条第二款]]。\n\n"
        "§{b} 同本办法：[[#a]]、[[#b.2]]，部门[[dept:FIN]]，[[dept:FIN|财务]]。\n\n第二款。\n"))
    assert r.exit_code == 0, r.output
    q = "../policies/qm-001.html"
    assert f'<a class="xref" href="{q}">《质量管理制度》</a>' in html
    assert f'<a class="xref" href="{q}">质量制度全文</a>' in html
    assert html.count(f'<a class="xref" href="{q}#scope">《质量管理制度》第二条</a>') == 3
    assert html.count(f'<a class="xref" href="{q}#scope">《质量管理制度》第二条第二款</a>') == 2
    assert '<a class="xref" href="#a">第一条</a>' in html
    assert '<a class="xref" href="#b">第二条第二款</a>' in html
    assert '<a class="xref dept" href="../departments/fin.html">财务部</a>' in html
    assert '<a class="xref dept" href="../departments/fin.html">财务</a>' in html


def test_prose_citations(project):
    r, html = build_one(project, (
        "§{a} 依照本办法第二条、第三条办理，另依《质量管理制度》第二条第二款，《劳动法》第五条不是本手册的。\n\n"
        "§ 第二条。\n\n§ 第三条。\n"))
    assert r.exit_code == 0, r.output
    assert '<a class="xref" href="#a2">本办法第二条</a>、<a class="xref" href="#a3">第三条</a>' in html
    assert '<a class="xref" href="../policies/qm-001.html#scope">《质量管理制度》第二条第二款</a>' in html
    assert "《劳动法》第五条" in html and "劳动法》第五条</a>" not in html


def test_prose_citation_of_missing_article_warns(project):
    r, _ = build_one(project, "§ 依照本办法第九条和《质量管理制度》第八条。\n")
    assert r.exit_code == 0
    assert "policies/01-general/src.md:9:5: warning[HB205]: 本办法第九条: OP-001 has no 第九条 (its articles end at 第一条)" in r.output
    assert "policies/01-general/src.md:9:12: warning[HB205]" in r.output


def test_markdown_links_to_policy_files(project):
    r, html = build_one(project, "§ 见[全文](qm.md)和[范围](qm.md#scope)及[施行](./qm.md#第三条)。\n")
    assert r.exit_code == 0, r.output
    assert '<a href="../policies/qm-001.html">全文</a>' in html
    assert '<a href="../policies/qm-001.html#scope">范围</a>' in html
    assert '<a href="../policies/qm-001.html#effective">施行</a>' in html


def test_reference_diagnostics(project):
    project.write("01-general/old.md", policy("QM-000", title="旧质量制度", status="retired"))
    project.write("01-general/new.md", policy("QM-002", title="新质量制度",
                                              extra="supersedes: [QM-000]\n"))
    project.write("01-general/d.md", policy("QM-009", title="草案", status="draft"))
    r, _ = build_one(project, (
        "§ [[QM-01]] [[QM-001#scop]] [[QM-001#9]] [[QM-001#scope.5]] [[dept:FNI]] [[QM-000]] "
        "[[QM-009]] [[#nowhere]] [[a b c]] [[QM-001\n"))
    out = r.output
    loc = "policies/01-general/src.md:9"
    assert f"{loc}:3: error[HB200]: unknown policy 'QM-01'" in out and "did you mean 'QM-001'?" in out
    assert f"{loc}:13: error[HB201]: QM-001 has no article 'scop'" in out and "did you mean 'scope'?" in out
    assert f"{loc}:29: error[HB201]: QM-001 has no article '9'" in out
    assert f"{loc}:42: error[HB201]: 第二条 of QM-001 has 2 款, not 5" in out
    assert f"{loc}:61: error[HB202]: unknown department 'FNI'" in out and "did you mean 'FIN'?" in out
    assert f"{loc}:74: warning[HB203]: QM-000 is retired" in out and "cite its successor QM-002" in out
    assert f"{loc}:85: warning[HB203]: QM-009 is a draft and is not published" in out
    assert f"{loc}:96: error[HB201]: this policy has no article 'nowhere'" in out
    assert f"{loc}:109: error[HB204]: malformed reference [[a b c]]" in out
    assert f"{loc}:119: error[HB204]: '[[' without a matching ']]' on the same line" in out
    assert r.exit_code == 1


def test_related_and_supersedes_validation(project):
    project.write("01-general/a.md", policy("GN-001", extra="related: [GN-09]\nsupersedes: [GN-002]\n"))
    project.write("01-general/b.md", policy("GN-002", extra="supersedes: [GN-003]\n"))
    project.write("01-general/c.md", policy("GN-003", extra="supersedes: [GN-001]\n"))
    r = project.check()
    assert "policies/01-general/a.md:8:11: error[HB211]: 'related' names unknown policy 'GN-09'" in r.output
    assert "error[HB212]: supersedes cycle: GN-001 → GN-002 → GN-003 → GN-001" in r.output
    assert r.output.count("HB212") == 1
    assert "warning[HB213]: GN-002 is superseded by GN-001 but is still active" in r.output


def test_duplicate_label_and_local_ref_without_articles(project):
    project.write("01-general/_chapter.md", "---\ntitle: 总则\n---\n见[[#scope]]。\n")
    project.write("01-general/a.md", policy("GN-001", body="§{x} 一\n\n§{x} 二\n"))
    r = project.check()
    assert "policies/01-general/a.md:11:1: error[HB210]: duplicate article label 'x'" in r.output
    assert "policies/01-general/_chapter.md:4:2: error[HB206]" in r.output


def test_backlinks_policy_article_and_department(project):
    r, _ = build_one(project, "## 总则\n\n§ 依[[QM-001#scope.2]]和[[dept:HR]]。\n\n§ 见[[QM-001]]。\n")
    assert r.exit_code == 0
    target = main_html(project.page("policies/qm-001.html"))
    assert "本制度被以下条款引用" in target
    assert '<a href="../policies/op-001.html#a1">《采购管理办法》第一条</a> → 本制度第二条' in target
    assert '<a href="../policies/op-001.html#a2">《采购管理办法》第二条</a> → 本制度' in target
    # the cited article itself shows its incoming citation
    art = re.search(r'<div class="article" id="a2">.*?</div>', target, re.S).group(0)
    assert 'class="cited-by"' in art and "《采购管理办法》第一条" in art
    dept = main_html(project.page("departments/hr.html"))
    assert "提及本部门的制度" in dept and "《采购管理办法》" in dept


def test_renumbering_follows_everywhere(project):
    """Insert an article at the top: numbers shift and every citation's text follows."""
    r, html = build_one(project, "§ 见[[QM-001#scope]]与[[QM-001#effective.1]]。\n",
                        {"01-general/z.md": policy("HR-001", body="§ 依[[QM-001#purpose]]。\n")})
    assert r.exit_code == 0
    assert "《质量管理制度》第二条</a>" in html and "《质量管理制度》第三条第一款</a>" in html
    project.write("01-general/qm.md", TARGET.replace("## 总则\n\n", "## 总则\n\n§{new} 新增条款。\n\n"))
    assert project.build().exit_code == 0
    html = main_html(project.page("policies/op-001.html"))
    assert "《质量管理制度》第三条</a>" in html and "《质量管理制度》第四条第一款</a>" in html
    assert "《质量管理制度》第二条</a>" in main_html(project.page("policies/hr-001.html"))
    target = main_html(project.page("policies/qm-001.html"))
    assert '<a class="article-no" href="#scope">第三条</a>' in target


LABELS = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), min_size=0, max_size=5,
                  unique=True)


@settings(max_examples=40, deadline=None)
@given(policies=st.lists(LABELS, min_size=1, max_size=4),
       refs=st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["a", "b", "c", "d", "e", "f"])),
                     min_size=1, max_size=8))
def test_references_resolve_exactly_when_target_exists(tmp_path_factory, policies, refs):
    """Random label/reference graphs: a reference resolves iff its policy and label exist."""
    from helpers import Project
    project = Project(tmp_path_factory.mktemp("prop"))
    for i, labels in enumerate(policies):
        body = "".join(f"§{{{lab}}} 第{lab}。\n\n" for lab in labels) or "正文。\n"
        if i == 0:
            body += "§{src} " + "".join(f"[[P-{t}#{lab}]]" for t, lab in refs) + "\n"
        project.write(f"01-general/p{i}.md", policy(f"P-{i}", body=body))
    result = BuildResult(Diagnostics())
    load(project.src, BuildOptions(), result)
    exists = [t < len(policies) and lab in policies[t] for t, lab in refs]
    links = result.links.links["policies/01-general/p0.md"]
    assert [link.url is not None for link in links] == exists
    errors = [d for d in result.diagnostics.items if d.code in ("HB200", "HB201")]
    assert bool(errors) == (not all(exists))
    for (t, lab), ok, link in zip(refs, exists, links):
        if ok:
            assert link.url == f"policies/p-{t}.html#{lab}"


# These tests quote the English messages; english_output also checks each has its Chinese.
pytestmark = pytest.mark.usefixtures("english_output")
