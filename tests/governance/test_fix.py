"""handbook fix --citations: citations by number become label references (drifted ones
pointing at the article they meant), shown as a diff, written only with --write."""
from __future__ import annotations

from gitrepo import Repo, policy_file
from helpers import cli_zh, codes

from handbook_gen.governance.drift import write_text

DIFF = """\
--- a/policies/01-general/expense.md
+++ b/policies/01-general/expense.md
@@ -20,7 +20,7 @@
 
 §{approval} 报销须经部门负责人审批签字。
 
-§{travel} 差旅费按照本办法第三条审批后报销。
+§{travel} 差旅费按照本办法[[#approval]]审批后报销。
 
 §{effect} 本办法自发布之日起施行。
 
--- a/policies/01-general/travel.md
+++ b/policies/01-general/travel.md
@@ -8,5 +8,5 @@
 ---
 §{apply} 出差须事先在系统中申请。
 
-§{settle} 差旅费的审批依照《费用报销管理办法》第三条办理。
+§{settle} 差旅费的审批依照[[OP-011#approval]]办理。
 
"""


def sources(repo):
    return {p: p.read_bytes() for p in sorted(repo.src.rglob("*.md"))}


def test_without_write_shows_the_diff_and_writes_nothing(repo):
    before = sources(repo)
    r = cli_zh("fix", "--citations", str(repo.src))
    assert r.exit_code == 0, r.output
    assert r.stdout == DIFF
    assert r.stderr.splitlines() == [
        "policies/01-general/loans.md:9:19: 《费用报销管理办法》第六条: 它原指的第六条已从 OP-011 删除",
        "fix：将改写 2 个文件中的 2 处引用；未写入任何文件（加 --write 才会写入）"]
    assert sources(repo) == before


def test_write_rewrites_and_the_drift_is_gone(repo, tmp_path):
    r = cli_zh("fix", "--citations", "--write", str(repo.src))
    assert r.exit_code == 0 and r.stdout == DIFF
    assert r.stderr.splitlines()[-1] == "fix：已改写 2 个文件中的 2 处引用"
    travel = (repo.src / "01-general/travel.md").read_text("utf-8")
    assert "差旅费的审批依照[[OP-011#approval]]办理。" in travel
    r = cli_zh("check", str(repo.src))
    assert codes(r.output) == ["HB207"] and "loans.md:9:19" in r.output  # the deleted one
    r = cli_zh("build", str(repo.src), "--out", str(tmp_path / "site"), "--no-search")
    page = (tmp_path / "site/policies/op-012.html").read_text("utf-8")
    assert ('差旅费的审批依照<a class="xref" href="../policies/op-011.html#approval">'
            '《费用报销管理办法》第四条</a>办理。') in page
    # a second run has nothing left to rewrite
    r = cli_zh("fix", "--citations", str(repo.src))
    assert r.stdout == "" and r.stderr.splitlines()[-1].startswith("fix：将改写 0 个文件中的 0 处")


def test_a_file_limits_the_fix(repo):
    r = cli_zh("fix", "--citations", str(repo.src / "01-general/travel.md"))
    assert r.exit_code == 0
    assert r.stdout == DIFF[DIFF.index("--- a/policies/01-general/travel.md"):]


def test_citations_in_step_become_labels_and_unlabelled_ones_are_named(tmp_path):
    repo = Repo(tmp_path)
    repo.write("01-general/seal.md", "---\nid: AD-001\ntitle: 印章管理规定\nowner: GMO\n"
               "status: active\neffective: 2024-01-01\nversion: \"1.0\"\n---\n"
               "§ 为规范印章使用，制定本规定。\n\n§{approve} 用印须经审批。\n\n§ 印章由行政部保管。\n")
    repo.write("01-general/contract.md", policy_file(
        "AD-002", "合同管理办法", "1.0", "2024-01-01",
        ["{seal} 合同用印依照《印章管理规定》第二条、第三条办理，本办法第二条另有规定的除外。",
         "{other} 其他。"]))
    repo.commit("发布", "2024-01-01")
    r = cli_zh("fix", "--citations", str(repo.src))
    assert r.exit_code == 0
    assert [line for line in r.stdout.splitlines() if line[:1] in "+-"][2:] == [
        "-§{seal} 合同用印依照《印章管理规定》第二条、第三条办理，本办法第二条另有规定的除外。",
        "+§{seal} 合同用印依照[[AD-001#approve]]、第三条办理，本办法[[#other]]另有规定的除外。"]
    assert r.stderr.splitlines()[0] == ("policies/01-general/contract.md:9:27: 第三条: "
                                        "AD-001 的第三条没有 § 标签，无法按标签引用")


def test_refusals(repo, project):
    r = cli_zh("fix", str(repo.src))
    assert r.exit_code == 2 and "--citations" in r.output
    project.write("01-general/a.md", policy_file("GN-001", "办法", "1.0", "2025-01-01",
                                                 ["{a} 见[[GN-404]]。"]).replace("FIN", "GMO"))
    before = (project.src / "01-general/a.md").read_bytes()
    r = cli_zh("fix", "--citations", "--write", str(project.src))
    assert r.exit_code == 1 and "HB200" in r.output and "请先修正" in r.output
    assert (project.src / "01-general/a.md").read_bytes() == before


def test_a_file_changed_meanwhile_is_not_written(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("旧", "utf-8")
    path.chmod(0o640)
    assert not write_text(str(path), "新", b"other") and path.read_text("utf-8") == "旧"
    assert write_text(str(path), "新", "旧".encode()) and path.read_text("utf-8") == "新"
    assert path.stat().st_mode & 0o777 == 0o640
