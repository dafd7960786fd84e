"""The pages of versions (governance.versionpages) on a git repository built here: three
versions of one policy (an insertion with an amended article, then a deletion) and a
second policy citing it; its 修订对照表 rows, the version pages, the timeline, the
截至某日 table, links from the revision list, and byte-identical rebuilds."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import Repo, policy_file
from helpers import main_html

from handbook_gen.cli import main


V1 = ["{purpose} 为规范费用报销，制定本办法。", "{scope} 本办法适用于公司全体员工。",
      "{limit} 单笔报销金额超过五千元的，须经部门负责人审批。",
      "{travel} 差旅费按公司差旅标准报销。",
      "{deadline} 报销应当在费用发生后三十日内提出，依照[[#limit]]审批。"]
V2 = V1[:2] + ["{receipts} 报销单据应当真实、完整。",
               V1[2].replace("五千元", "一万元")] + V1[3:]
V3 = [a for a in V2 if not a.startswith("{travel}")]
CHANGES_2 = '  - {version: "2.0", summary: 新增第三条；第四条提高审批金额}\n'
CHANGES_3 = '  - {version: "3.0", summary: 删除原第五条差旅费条款}\n'


def make_repo(base: Path) -> Repo:
    r = Repo(base)
    r.write("01-general/exp.md", policy_file("OP-011", "费用报销管理办法", "1.0",
                                             "2024-01-01", V1))
    r.write("01-general/meet.md", policy_file(
        "GN-002", "会议管理规定", "1.0", "2024-01-01",
        ["{fees} 会议费用的报销依照[[OP-011#limit]]办理。"]))
    r.commit("费用报销管理办法 1.0", "2023-12-20")
    r.write("01-general/exp.md", policy_file("OP-011", "费用报销管理办法", "2.0",
                                             "2025-01-01", V2, "changes:\n" + CHANGES_2))
    r.commit("费用报销管理办法 2.0", "2024-12-20")
    r.write("01-general/exp.md", policy_file("OP-011", "费用报销管理办法", "3.0", "2026-01-01",
                                             V3, "changes:\n" + CHANGES_3 + CHANGES_2))
    r.write("01-general/meet.md", policy_file(
        "GN-002", "会议管理规定", "2.0", "2026-01-01",
        ["{fees} 会议费用的报销依照[[OP-011#limit]]办理。", "{notice} 会议通知应当提前三日发出。"]))
    r.commit("费用报销管理办法 3.0，会议管理规定 2.0", "2025-12-20")
    return r


def build(src: Path, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(out), "--today",
                                       "2026-06-01", "--no-search", *extra],
                                catch_exceptions=False,
                                env={"HANDBOOK_CACHE_DIR": str(out.parent / ".cache")})
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("versions")
    r = make_repo(base)
    build(r.src, base / "site")
    return base / "site"


def page(site: Path, rel: str) -> str:
    return main_html((site / rel).read_text("utf-8"))


def rows(html: str) -> list[tuple]:
    """(row id, class, 原条文 cell, 修订后条文 cell, notes) of a 对照表, tags kept."""
    out = []
    for m in re.finditer(r'<tr id="([^"]+)" class="row-(\w+)">\n<td>(.*?)</td>\n<td>(.*?)</td>\n'
                         r'<td class="note">(.*?)</td>', html):
        notes = re.findall(r"<span[^>]*>(.*?)</span>", m[5])
        out.append((m[1], m[2], m[3], m[4], notes))
    return out


def test_one_page_per_version_and_per_revision(site):
    assert sorted(p.name for p in (site / "versions").iterdir()) == [
        "gn-002_v1.0.html", "gn-002_v2.0.html", "op-011_v1.0.html", "op-011_v2.0.html",
        "op-011_v3.0.html"]
    assert sorted(p.name for p in (site / "revisions").iterdir()) == [
        "gn-002_v2.0.html", "op-011_v2.0.html", "op-011_v3.0.html"]


def test_revision_table_of_an_insertion(site):
    html = page(site, "revisions/op-011_v2.0.html")
    assert "<h1>《费用报销管理办法》修订对照表</h1>" in html
    assert rows(html) == [
        ("n-receipts", "added", "", '<b class="art-no">第三条</b>　报销单据应当真实、完整。',
         ["新增", "新增条文", "新增第三条"]),
        ("n-limit", "changed",
         '<b class="art-no">第三条</b>　单笔报销金额超过<del>五千</del>元的，须经部门负责人审批。',
         '<b class="art-no">第四条</b>　单笔报销金额超过<ins>一万</ins>元的，须经部门负责人审批。',
         ["修改", "第三条→第四条", "条文顺延", "第四条提高审批金额"]),
        ("n-travel", "moved", '<b class="art-no">第四条</b>　差旅费按公司差旅标准报销。',
         '<b class="art-no">第五条</b>　差旅费按公司差旅标准报销。',
         ["调整", "第四条→第五条", "条文顺延"]),
        # its citation follows the cited article's number in each version
        ("n-deadline", "changed",
         '<b class="art-no">第五条</b>　报销应当在费用发生后三十日内提出，依照第<del>三</del>条审批。',
         '<b class="art-no">第六条</b>　报销应当在费用发生后三十日内提出，依照第<ins>四</ins>条审批。',
         ["修改", "第五条→第六条", "条文顺延", "引用条号随之调整"]),
    ]
    # the unchanged articles are one collapsed row
    assert '<tr class="row-same"><td colspan="3">第一条至第二条未修改（2 条）</td></tr>' in html
    assert '<thead><tr><th scope="col">原条文</th><th scope="col">修订后条文</th>' \
           '<th scope="col">修订说明</th></tr></thead>' in html


def test_revision_table_of_a_deletion(site):
    html = page(site, "revisions/op-011_v3.0.html")
    assert [(r[0], r[1], r[4]) for r in rows(html)] == [
        ("o-travel", "deleted", ["删除", "删除条文", "删除原第五条差旅费条款"]),
        ("n-deadline", "moved", ["调整", "第六条→第五条", "条文序号前移"]),
    ]
    assert '<a href="../versions/op-011_v2.0.html">2.0 版</a>' in html


def test_historic_version_page(site):
    html = page(site, "versions/op-011_v1.0.html")
    assert ('<p class="notice version-banner version-historic"><strong>历史版本，非现行；'
            '</strong>现行版本见 <a href="../policies/op-011.html">《费用报销管理办法》</a>。'
            '本版本施行期间：<time datetime="2024-01-01">2024-01-01</time> 至 '
            '<time datetime="2024-12-31">2024-12-31</time>。</p>') in html
    # its own text and numbering; a citation inside it links within the page
    assert '<a class="article-no" href="#travel">第四条</a>差旅费按公司差旅标准报销。' in html
    assert '依照<a class="xref" href="#limit">第三条</a>审批' in html
    assert '<a rel="next" href="../versions/op-011_v2.0.html">2.0 版 ›</a>' in html


def test_newest_version_page_says_it_is_current(site):
    html = page(site, "versions/op-011_v3.0.html")
    assert "本版本（3.0）为现行版本，自 <time" in html and "历史版本" not in html
    assert '<a href="../revisions/op-011_v3.0.html">修订对照表（2.0→3.0）</a>' in html


def test_old_text_cites_other_policies_as_they_read_then(site):
    # GN-002 1.0 took effect on 2024-01-01, when OP-011 1.0 numbered the limit 第三条
    old = page(site, "versions/gn-002_v1.0.html")
    assert ('<a class="xref" href="../versions/op-011_v1.0.html#limit">'
            '《费用报销管理办法》第三条</a>') in old
    current = page(site, "policies/gn-002.html")
    assert '《费用报销管理办法》第四条</a>' in current
    # its 对照表 compares both texts against the policies in force on the new version's
    # date: the renumbering elsewhere is no amendment of GN-002
    html = page(site, "revisions/gn-002_v2.0.html")
    assert [(r[0], r[1]) for r in rows(html)] == [("n-notice", "added")]
    assert "<td colspan=\"3\">第一条未修改（1 条）</td>" in html


def test_policy_page_lists_versions_and_article_timeline(site):
    html = page(site, "policies/op-011.html")
    assert re.findall(r'<tr><td><a href="([^"]+)">([^<]+)</a></td>', html)[:3] == [
        ("../versions/op-011_v3.0.html", "3.0"), ("../versions/op-011_v2.0.html", "2.0"),
        ("../versions/op-011_v1.0.html", "1.0")]
    timeline = html[html.index('<details class="article-timeline">'):]
    timeline = timeline[:timeline.index("</details>")]
    assert "<summary>条文沿革（4 条有修改、新增或删除）</summary>" in timeline
    items = [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li[^>]*>(.*?)</li>", timeline)]
    assert items == ["第三条：新增于 v2.0", "第四条：新增于 v1.0，修改于 v2.0",
                     "第五条：新增于 v1.0，修改于 v2.0", "原第五条：新增于 v1.0，删除于 v3.0",
                     "其余 2 条自 v1.0 起未作修改。"]
    assert ('<a href="../revisions/op-011_v2.0.html#n-limit">修改于 v2.0</a>' in timeline)
    assert ('<a href="../revisions/op-011_v3.0.html#o-travel">删除于 v3.0</a>' in timeline)
    # the editor's revision list links each version's text and its table
    assert ('<a href="../versions/op-011_v2.0.html">第 2.0 版</a><a class="revision-link" '
            'href="../revisions/op-011_v2.0.html">对照表</a>') in html


def test_as_of_table(site):
    html = page(site, "asof.html")
    found = re.findall(r'<tr data-from="([^"]*)" data-until="([^"]*)"( class="asof-now")?>\n'
                       r'<td class="policy-id">([^<]+)</td>\n<td><a href="([^"]+)">', html)
    assert found == [
        ("2024-01-01", "2025-12-31", "", "GN-002", "versions/gn-002_v1.0.html"),
        ("2026-01-01", "", ' class="asof-now"', "GN-002", "versions/gn-002_v2.0.html"),
        ("2024-01-01", "2024-12-31", "", "OP-011", "versions/op-011_v1.0.html"),
        ("2025-01-01", "2025-12-31", "", "OP-011", "versions/op-011_v2.0.html"),
        ("2026-01-01", "", ' class="asof-now"', "OP-011", "versions/op-011_v3.0.html"),
    ]
    assert "共 2 项" in html
    assert '<script src="static/asof.js" defer></script>' in (site / "asof.html").read_text()


def test_two_builds_are_byte_identical(site, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(site.parent / "repo", tmp_path / "repo")
    build(tmp_path / "repo" / "policies", again)
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(again).as_posix() for p in again.rglob("*")
                           if p.is_file())
    for name in names:
        if name.startswith(("versions/", "revisions/", "asof")) or name.startswith("policies/"):
            assert (site / name).read_bytes() == (again / name).read_bytes(), name


def test_without_history_there_are_no_version_pages(site, tmp_path):
    out = tmp_path / "plain"
    build(site.parent / "repo" / "policies", out, "--no-history")
    assert not (out / "versions").exists() and not (out / "revisions").exists()
    assert not (out / "asof.html").exists()
    assert "版本沿革" not in (out / "policies" / "op-011.html").read_text("utf-8")


def test_version_pages_before_the_newest_takes_effect(site, tmp_path):
    # built on 2025-12-15: 3.0 (from 2026-01-01) is not in force yet, 2.0 still is
    out = tmp_path / "before"
    result = CliRunner().invoke(main, ["build", str(site.parent / "repo" / "policies"),
                                       "--out", str(out), "--today", "2025-12-15",
                                       "--no-search"], catch_exceptions=False,
                                env={"HANDBOOK_CACHE_DIR": str(tmp_path / ".cache")})
    assert result.exit_code == 0, result.output
    assert "本版本（3.0）尚未施行，自 <time" in page(out, "versions/op-011_v3.0.html")
    current = page(out, "versions/op-011_v2.0.html")
    assert ("本版本（2.0）为现行版本，自 <time datetime=\"2025-01-01\">2025-01-01</time> 起施行，"
            "施行至 <time datetime=\"2025-12-31\">2025-12-31</time>；3.0 版将自 "
            "<time datetime=\"2026-01-01\">2026-01-01</time> 起施行。") in current
    assert "历史版本，非现行" in page(out, "versions/op-011_v1.0.html")


def test_version_and_revision_pages_carry_the_policys_language(tmp_path):
    """A policy written in Traditional characters (no ``lang:``) on a zh-CN site: its
    version pages and its 修订对照表 are marked zh-Hant like its current page."""
    r = Repo(tmp_path)
    v1 = ["{purpose} 為規範辦事處費用報銷，制定本制度。", "{scope} 本制度適用於辦事處全體員工。"]
    r.write("01-general/hk.md", policy_file("OR-004", "辦事處費用管理制度", "1.0", "2024-01-01", v1))
    r.commit("1.0", "2023-12-20")
    r.write("01-general/hk.md", policy_file("OR-004", "辦事處費用管理制度", "2.0", "2025-01-01",
                                            v1 + ["{audit} 財務部每季度審核辦事處的報銷單據。"]))
    r.commit("2.0", "2024-12-20")
    out = tmp_path / "site"
    build(r.src, out)
    pages = {p.relative_to(out).as_posix(): p.read_text("utf-8")
             for d in ("versions", "revisions") for p in (out / d).glob("or-004*.html")}
    assert len(pages) == 3, sorted(pages)  # two versions, one revision
    for name, html in pages.items():
        assert '<html lang="zh-CN"' in html and re.search(r'<article class="[^"]*" lang="zh-Hant">', html), name
