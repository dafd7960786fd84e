"""Revision history from git, on a temporary repository with known commits; without git
and in a shallow clone the build goes on and says so once."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from gitrepo import commit, git
from helpers import HANDBOOK_YAML, main_html, policy

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.governance.history import Revision, collect, head_commit


@pytest.fixture
def repo(tmp_path) -> Path:
    """A handbook in git: five commits with fixed dates and authors, one rename."""
    repo = tmp_path / "repo"
    src = repo / "policies"
    (src / "01-general").mkdir(parents=True)
    git(repo, "init", "-q")
    (src / "_handbook.yaml").write_text(HANDBOOK_YAML, "utf-8")
    (src / "01-general" / "_chapter.md").write_text("---\ntitle: 总则\n---\n", "utf-8")
    (src / "01-general" / "a.md").write_text(policy("GN-001", title="采购管理办法"), "utf-8")
    (src / "01-general" / "b.md").write_text(policy("GN-002", title="会议管理规定"), "utf-8")
    commit(repo, "新增采购管理办法和会议管理规定", "2024-01-15", "张三")
    (src / "01-general" / "a.md").write_text(policy("GN-001", title="采购管理办法",
                                                    body="§ 修订后的第一条。\n"), "utf-8")
    commit(repo, "采购管理办法：修订第一条", "2024-06-01", "李四")
    git(repo, "mv", "policies/01-general/a.md", "policies/01-general/procurement.md")
    commit(repo, "文件改名", "2025-02-01", "王五")
    (src / "01-general" / "b.md").write_text(policy("GN-002", title="会议管理规定",
                                                    body="§ 会议。\n"), "utf-8")
    (repo / "README").write_text("outside the handbook\n", "utf-8")
    commit(repo, "会议管理规定：补充", "2025-03-01", "张三")
    (src / "01-general" / "procurement.md").write_text(
        policy("GN-001", title="采购管理办法", body="§ 再次修订的第一条。\n"), "utf-8")
    commit(repo, "采购管理办法：2.0 版", "2025-04-10", "赵六")
    return repo


PROC, MEET = "policies/01-general/procurement.md", "policies/01-general/b.md"


def test_revisions_newest_first_following_renames(repo):
    diags = Diagnostics()
    history = collect(repo / "policies", [PROC, MEET], diags)
    assert diags.items == [] and history.available and history.complete
    got = [(r.date, r.author, r.subject) for r in history.of(PROC)]
    assert got == [("2025-04-10", "赵六", "采购管理办法：2.0 版"),
                   ("2025-02-01", "王五", "文件改名"),
                   ("2024-06-01", "李四", "采购管理办法：修订第一条"),
                   ("2024-01-15", "张三", "新增采购管理办法和会议管理规定")]
    assert [r.date for r in history.of(MEET)] == ["2025-03-01", "2024-01-15"]
    assert all(isinstance(r, Revision) and len(r.commit) == 12 for r in history.of(PROC))


def test_uncommitted_file_has_no_revisions(repo):
    (repo / "policies" / "01-general" / "new.md").write_text(policy("GN-009"), "utf-8")
    history = collect(repo / "policies", [PROC, "policies/01-general/new.md"], Diagnostics())
    assert history.of("policies/01-general/new.md") == () and len(history.of(PROC)) == 4


def test_build_shows_history_apart_from_the_effective_date(repo, tmp_path):
    from click.testing import CliRunner

    from handbook_gen.cli import main
    out = tmp_path / "site"
    r = CliRunner().invoke(main, ["build", str(repo / "policies"), "--out", str(out),
                                  "--today", "2026-01-01", "--drafts"],
                           env={"HANDBOOK_CACHE_DIR": str(tmp_path / "cache")})
    assert r.exit_code == 0, r.output
    assert "HB300" not in r.output and "HB301" not in r.output
    page = main_html((out / "policies/gn-001.html").read_text("utf-8"))  # the editor view
    assert '<div><dt>生效日期</dt><dd><time datetime="2025-01-01">2025-01-01</time></dd></div>' in page
    assert '<div><dt>最后修订</dt><dd><time datetime="2025-04-10">2025-04-10</time></dd></div>' in page
    assert "<h2>修订记录</h2>" in page and "提交日期不是生效日期" in page
    assert page.index("2.0 版") < page.index("文件改名") < page.index("新增采购管理办法")
    assert "<td>赵六</td>" in page
    import json
    record = json.loads((out / "catalogue.json").read_text("utf-8"))["policies"][0]
    assert (record["last_revised"], record["revisions"]) == ("2025-04-10", 4)
    # --no-history leaves git alone
    r = CliRunner().invoke(main, ["build", str(repo / "policies"), "--out", str(out),
                                  "--no-history"])
    assert "修订记录" not in (out / "policies/gn-001.html").read_text("utf-8")


def test_a_new_commit_invalidates_the_no_op_rebuild(repo, tmp_path):
    from click.testing import CliRunner

    from handbook_gen.cli import main

    def build():
        return CliRunner().invoke(main, ["build", str(repo / "policies"), "--out",
                                         str(tmp_path / "site"), "--today", "2026-01-01"],
                                  env={"HANDBOOK_CACHE_DIR": str(tmp_path / "cache")}).output
    build()
    assert "站点已是最新" in build()
    before = head_commit(repo / "policies")
    (repo / "README").write_text("changed\n", "utf-8")
    commit(repo, "README", "2025-05-01", "张三")
    assert head_commit(repo / "policies") != before
    assert "站点已是最新" not in build()


def test_outside_git_builds_and_says_so_once(project):
    for i in range(3):
        project.write(f"01-general/p{i}.md", policy(f"GN-00{i}"))
    diags = Diagnostics()
    history = collect(project.src, [], diags)
    assert not history.available
    assert [(d.code, d.severity.label) for d in diags.items] == [("HB300", "info")]
    assert "not in a git repository" in diags.items[0].message
    r = project.build()
    assert r.exit_code == 0
    assert r.output.count("info[HB300]") == 1
    assert "<h2>修订记录</h2>" not in project.page("policies/gn-001.html")


def test_without_git_installed(project, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    diags = Diagnostics()
    assert not collect(project.src, [], diags).available
    assert diags.items[0].code == "HB300" and "not installed" in diags.items[0].message
    assert head_commit(project.src) == ""


def test_shallow_clone_marks_history_incomplete(repo, tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(shallow)],
                   check=True, capture_output=True)
    diags = Diagnostics()
    history = collect(shallow / "policies", [PROC, MEET], diags)
    assert [(d.code, d.severity.label) for d in diags.items] == [("HB301", "info")]
    assert history.available and not history.complete
    # the boundary commit claims to add every file: it is left out
    assert [r.subject for r in history.of(PROC)] == ["采购管理办法：2.0 版"]
    assert history.of(MEET) == ()
    from click.testing import CliRunner

    from handbook_gen.cli import main
    out = tmp_path / "site"
    r = CliRunner().invoke(main, ["build", str(shallow / "policies"), "--out", str(out),
                                  "--drafts"],
                           env={"HANDBOOK_CACHE_DIR": str(tmp_path / "cache")})
    assert r.exit_code == 0 and r.output.count("info[HB301]") == 1
    assert "当前为浅克隆，更早的记录未列出" in (out / "policies/gn-001.html").read_text("utf-8")
    assert "版本库中（浅克隆）尚无本制度文件的提交记录" in (out / "policies/gn-002.html").read_text("utf-8")


def test_serve_shows_the_history_build_shows_and_follows_a_commit(repo, tmp_path):
    """The live site runs the history stage too: its pages equal a clean build's, and a
    new commit (HEAD moves, no source changes) shows up at the next rebuild."""
    import datetime

    from handbook_gen.build.pipeline import BuildOptions, build
    from handbook_gen.serve.live import SOURCE, Change, LiveSite
    options = BuildOptions(history=True, include_drafts=True, today=datetime.date(2026, 1, 1))
    live = LiveSite(repo / "policies", options)
    live.rebuild()
    assert live.ok
    build(repo / "policies", tmp_path / "site", options)
    for page in ("policies/gn-001.html", "policies/gn-002.html", "catalogue.json"):
        assert live.files[page] == (tmp_path / "site" / page).read_bytes(), page
    assert "赵六" in live.files["policies/gn-001.html"].decode()
    (repo / "policies/01-general/b.md").write_text(policy("GN-002", title="会议管理规定",
                                                         body="§ 会议改期。\n"), "utf-8")
    commit(repo, "会议管理规定：会议改期", "2025-05-01", "钱七")
    live.rebuild([Change(SOURCE, str(repo / "policies/01-general/b.md"))])
    assert "钱七" in live.files["policies/gn-002.html"].decode()
    collected = live._git[1]
    live.rebuild([Change(SOURCE)])  # HEAD did not move: no second git log
    assert live._git[1] is collected and live._git[0] == head_commit(repo / "policies")
