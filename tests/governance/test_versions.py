"""A policy's versions from git (governance.versions): runs of commits with one version
and effective date, the text each version ended with, periods in force, change
summaries, renames, drafts, shallow clones, no git; the article alignment; expires:."""
from __future__ import annotations

import datetime as _dt
import filecmp
import shutil

from gitrepo import EXPENSE, FEE, TRAVEL, Repo, git, policy_file
from helpers import codes

from handbook_gen.assemble.lifecycle import Lifecycle
from handbook_gen.build import pipeline
from handbook_gen.core.model import Article, Status
from handbook_gen.governance.versions import align, front_keys
D = _dt.date


def check(src, **options):
    return pipeline.check(src, pipeline.BuildOptions(history=True, **options))


def rows(versions):
    return [(v.version, v.effective, v.until, v.commit, v.committed, v.summary, v.last_commit,
             v.document.path, v.document.meta.title,
             [a.label for a in v.document.body.articles]) for v in versions]


def test_versions_are_runs_of_the_same_version_and_effective_date(repo):
    c = repo.ids
    result = check(repo.src)
    history = result.history
    assert [d.code for d in result.diagnostics.items] == ["HB207"] * 3
    v1 = ["purpose", "scope", "approval", "travel", "loan", "effect"]
    v2 = v1[:2] + ["receipts"] + v1[2:]
    assert rows(history.versions["OP-011"]) == [
        # the typo commit c2 is part of 1.0: its text is the one 1.0 ended with
        ("1.0", D(2023, 1, 1), D(2023, 12, 31), c["c1"], "2023-01-10", None, c["c2"],
         FEE, "费用报销管理办法", v1),
        # the rename c5 is part of 2.0
        ("2.0", D(2024, 1, 1), D(2024, 6, 30), c["c3"], "2023-12-01",
         "新增第三条（票据要求），原第三条至第六条顺延。", c["c5"], EXPENSE, "费用报销管理办法", v2),
        ("2.1", D(2024, 7, 1), None, c["c6"], "2024-06-01", "删除原第六条（借支归还）。",
         c["c6"], EXPENSE, "费用报销管理办法", [a for a in v2 if a != "loan"])]
    assert rows(history.versions["OP-012"]) == [
        ("1.0", D(2023, 1, 1), D(2024, 8, 31), c["c1"], "2023-01-10", None, c["c1"], TRAVEL,
         "差旅管理办法", ["apply", "settle"]),
        ("2.0", D(2024, 9, 1), None, c["c7"], "2024-08-01", None, c["c7"], TRAVEL,
         "差旅费管理办法", ["apply", "settle"])]
    assert [v.version for v in history.versions["OP-013"]] == ["1.0"]
    # the texts are the ones of those commits
    assert "审批签字" in history.versions["OP-011"][0].document.body.articles[2].text
    # the newest version's text is the working tree's document, not parsed again
    newest = history.versions["OP-011"][-1].document
    assert newest.body is result.handbook.policies["OP-011"].body


def test_a_summary_written_later_is_found_for_an_older_version(repo):
    text = (repo.src / "01-general/expense.md").read_text("utf-8")
    repo.write("01-general/expense.md", text.replace(
        "changes:\n", 'changes:\n  - {version: "1.0", summary: 首次发布。}\n'))
    repo.commit("补记 1.0 的修订说明", "2024-10-01")
    versions = check(repo.src).history.versions["OP-011"]
    assert [v.summary for v in versions][:1] == ["首次发布。"]
    assert [v.version for v in versions] == ["1.0", "2.0", "2.1"]  # a new note is no version


def test_draft_runs_are_not_versions_and_adoption_starts_one(tmp_path):
    repo = Repo(tmp_path)
    repo.write("01-general/new.md", policy_file("GN-001", "新制度", "1.0", "2025-01-01",
                                                ["{a} 草拟的条文。"], status="draft"))
    repo.commit("起草", "2024-11-01")
    repo.write("01-general/new.md", policy_file("GN-001", "新制度", "1.0", "2025-01-01",
                                                ["{a} 审议修改后的条文。"]))
    adopted = repo.commit("审议通过", "2024-12-01")
    versions = check(repo.src).history.versions["GN-001"]
    assert [(v.version, v.commit, v.committed) for v in versions] == [
        ("1.0", adopted, "2024-12-01")]


def test_shallow_clone_has_the_versions_it_holds(repo, tmp_path):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo.root}", str(shallow))
    result = check(shallow / "policies")
    history = result.history
    # every renumbering happened before the clone's history: no drift can be seen
    assert codes_of(result) == ["HB301"]
    assert not history.complete
    c = repo.ids
    # c6 is the clone's boundary: its state starts the first run, under its commit
    assert [(v.version, v.commit, v.until) for v in history.versions["OP-011"]] == [
        ("2.1", c["c6"], None)]
    assert [(v.version, v.commit, v.until) for v in history.versions["OP-012"]] == [
        ("1.0", c["c6"], D(2024, 8, 31)), ("2.0", c["c7"], None)]


def codes_of(result):
    return [d.code for d in result.diagnostics.sorted()]


def test_a_tree_without_git_has_no_versions_and_no_error(repo, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(repo.src, plain / "policies")
    result = check(plain / "policies")
    assert result.ok and result.history.versions == {} and not result.history.available
    assert codes_of(result) == ["HB300"]
    from click.testing import CliRunner
    from handbook_gen.cli import main
    out = CliRunner().invoke(main, ["check", str(plain / "policies")])
    assert out.exit_code == 0 and codes(out.output) == []


def test_two_builds_of_the_same_repository_are_byte_identical(repo, tmp_path):
    from click.testing import CliRunner
    from handbook_gen.cli import main
    runner = CliRunner()
    for out in ("one", "two"):
        r = runner.invoke(main, ["build", str(repo.src), "--out", str(tmp_path / out),
                                 "--today", "2025-01-01", "--no-cache"])
        assert r.exit_code == 0, r.output
    cmp = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    same = [f for f in (tmp_path / "one").rglob("*") if f.is_file()]
    assert same and all(f.read_bytes() == (tmp_path / "two" / f.relative_to(
        tmp_path / "one")).read_bytes() for f in same)


def test_front_keys_read_the_front_matter_only():
    text = ('---\nid: A\nversion: "2.0"  # 修订\neffective: 2025-01-01\nstatus: draft\n---\n'
            'version: 9\n').encode()
    assert front_keys(text) == (b"2.0", b"2025-01-01", b"draft")
    assert front_keys(b"no front matter\nversion: 1\n") == (b"", b"", b"")


def art(number, label, text):
    return Article(number, label, label or f"a{number}", 1, "", number, text)


def test_alignment_by_label_then_by_text():
    old = (art(1, "a", "总则"), art(2, None, "报销须经部门负责人审批。"),
           art(3, None, "借支应当按期归还。"), art(4, "z", "附则"))
    new = (art(1, "a", "总则"), art(2, None, "报销应当取得合法票据。"),
           art(3, None, "报销须经部门负责人审批签字。"), art(4, "z", "附则，自发布之日起施行"))
    got = [(p.old and p.old.number, p.new and p.new.number, p.by_label) for p in align(old, new)]
    assert got == [(1, 1, True), (None, 2, False), (2, 3, False), (3, None, False),
                   (4, 4, True)]


def test_a_moved_labelled_article_keeps_its_identity():
    old = (art(1, "a", "甲"), art(2, "b", "乙"), art(3, "c", "丙"))
    new = (art(1, "c", "丙"), art(2, "a", "甲"), art(3, "b", "乙"))
    got = [(p.old.label, p.new.number) for p in align(old, new)]
    assert got == [("c", 1), ("a", 2), ("b", 3)]


def test_expires_makes_a_policy_expired_after_its_last_day(project):
    project.write("01-general/a.md", policy_file(
        "GN-001", "临时差旅补贴暂行办法", "1.0", "2025-01-01", ["{a} 暂行。"],
        extra="expires: 2025-06-30\n").replace("owner: FIN", "owner: GMO"))
    result = pipeline.check(project.src, pipeline.BuildOptions())
    hb = result.handbook
    assert hb.policies["GN-001"].meta.expires == D(2025, 6, 30)
    assert Lifecycle(hb, D(2025, 6, 30)).state("GN-001").state == Status.ACTIVE
    assert Lifecycle(hb, D(2025, 7, 1)).state("GN-001").state == Status.EXPIRED
    assert Status.EXPIRED.label == "已失效"
    from handbook_gen.search.feed import search_records
    records = search_records(hb, result.links, Lifecycle(hb, D(2025, 7, 1)))
    assert {r.state for r in records} == {"expired"}


def test_expires_before_effective_is_reported(project):
    project.write("01-general/a.md", policy_file(
        "GN-001", "临时办法", "1.0", "2025-01-01", ["{a} 暂行。"],
        extra="expires: 2024-12-31\n").replace("owner: FIN", "owner: GMO"))
    result = pipeline.check(project.src, pipeline.BuildOptions())
    assert [(d.code, str(d.location)) for d in result.diagnostics.items] == [
        ("HB304", "policies/01-general/a.md:8:1")]


def test_changes_entries_are_validated_with_positions(project):
    project.write("01-general/a.md", policy_file(
        "GN-001", "办法", "2.0", "2025-01-01", ["{a} 条文。"], extra=(
            "changes:\n"
            '  - {version: "2.0", date: 2024-12-01, summary: 新增第一条}\n'
            "  - {summary: 缺版本}\n"
            '  - {version: "2.0", summary: 重复, note: 1}\n')).replace("owner: FIN", "owner: GMO"))
    result = pipeline.check(project.src, pipeline.BuildOptions())
    got = sorted((d.code, str(d.location)) for d in result.diagnostics.items)
    assert got == [("HB101", "policies/01-general/a.md:11:35"),
                   ("HB102", "policies/01-general/a.md:10:5"),
                   ("HB106", "policies/01-general/a.md:11:15")]
    doc = pipeline.parse(pipeline.read_sources(project.src, pipeline.Diagnostics()),
                         pipeline.BuildOptions(), pipeline.Diagnostics())[1]
    (change,) = [d for d in doc if d.kind == "policy"][0].meta.changes
    assert change[:3] == ("2.0", "新增第一条", D(2024, 12, 1))
