"""Citation drift (HB207): a citation by number written against an older numbering of
the policy it cites, found from git and the working tree, in check, build and serve."""
from __future__ import annotations

from click.testing import CliRunner
from gitrepo import EXPENSE, LOANS, TRAVEL, Repo, policy_file

from handbook_gen.build import pipeline
from handbook_gen.cli import main


def drifts(src, **options):
    result = pipeline.check(src, pipeline.BuildOptions(history=True, **options))
    return [(str(d.location), dict(d.params)) for d in result.diagnostics.sorted()
            if d.code == "HB207"]


def params(raw, old, new, policy, version, fix=None):
    out = {"raw": raw, "old": old, "policy": policy, "version": version}
    if new is not None:
        out |= {"new": new, "fix": fix}
    return out


AT_HEAD = [
    # its own 第三条, written under 1.0 (the article reads as it did then), is now 第四条
    (f"{EXPENSE}:23:16", params("本办法第三条", "第三条", "第四条", "OP-011", "1.0",
                                "本办法[[#approval]]")),
    # written under 2.0, whose 第六条 2.1 deleted
    (f"{LOANS}:9:19", params("《费用报销管理办法》第六条", "第六条", None, "OP-011", "2.0")),
    # 差旅管理办法 2.0 reworded 第一条 only: 第二条 still reads as under 1.0
    (f"{TRAVEL}:11:19", params("《费用报销管理办法》第三条", "第三条", "第四条", "OP-011", "1.0",
                               "[[OP-011#approval]]")),
]


def test_drifted_citations_at_head(repo):
    assert drifts(repo.src) == AT_HEAD


def test_the_warning_in_chinese_names_both_numbers(repo):
    text = CliRunner().invoke(main, ["check", str(repo.src), "--lang", "zh"]).output
    assert ("policies/01-general/travel.md:11:19: warning[HB207]: 《费用报销管理办法》第三条"
            "写于 OP-011 的 1.0 版：当时的第三条现在是第四条") in text
    assert "提示：请改为 [[OP-011#approval]]：按标签引用不会随条号变动" in text
    assert "当时的第六条已被删除" in text


def test_a_citing_article_rewritten_after_the_renumbering_is_not_drift(repo):
    text = (repo.src / "01-general/travel.md").read_text("utf-8")
    # reworded, still 第三条: written against today's numbering (第三条 = receipts)
    repo.write("01-general/travel.md", text.replace("差旅费的审批依照", "差旅费的票据依照"))
    repo.commit("差旅费管理办法：改写第二条", "2024-10-01")
    assert [loc for loc, _ in drifts(repo.src)] == [f"{EXPENSE}:23:16", f"{LOANS}:9:19"]


def test_the_working_tree_counts_before_a_commit(repo):
    text = (repo.src / "01-general/expense.md").read_text("utf-8")
    # an uncommitted article before all others: every number moves by one
    repo.write("01-general/expense.md", text.replace("§{purpose}", "§{basis} 依据有关规定。\n\n"
                                                     "§{purpose}"))
    # and a citation written now, against the numbering as it is now
    travel = (repo.src / "01-general/travel.md").read_text("utf-8")
    repo.write("01-general/travel.md", travel + "§{receipts} 票据依照《费用报销管理办法》第四条。\n")
    got = drifts(repo.src)
    assert [(loc, p["old"], p.get("new")) for loc, p in got] == [
        (f"{EXPENSE}:25:16", "第三条", "第五条"),
        (f"{LOANS}:9:19", "第六条", None),
        (f"{TRAVEL}:11:19", "第三条", "第五条")]


def test_articles_without_labels_are_followed_by_their_text(tmp_path):
    repo = Repo(tmp_path)
    rules = ["§ 为规范印章使用，制定本规定。", "§ 用印须经部门负责人审批。", "§ 印章由行政部保管。"]
    body = "\n\n".join(rules) + "\n"
    head = ("---\nid: AD-001\ntitle: 印章管理规定\nowner: GMO\nstatus: active\n"
            "effective: 2024-01-01\nversion: \"{v}\"\n---\n")
    repo.write("01-general/seal.md", head.format(v="1.0") + body)
    repo.write("01-general/contract.md", policy_file(
        "AD-002", "合同管理办法", "1.0", "2024-01-01", ["{seal} 合同用印依照《印章管理规定》第二条审批。"]))
    repo.commit("发布", "2024-01-01")
    rules.insert(1, "§ 印章分为公章、合同专用章和财务专用章。")
    repo.write("01-general/seal.md", head.format(v="2.0") + "\n\n".join(rules) + "\n")
    repo.commit("印章管理规定 2.0", "2024-06-01")
    got = drifts(repo.src)
    assert got == [("policies/01-general/contract.md:9:15",
                    params("《印章管理规定》第二条", "第二条", "第三条", "AD-001", "1.0",
                           "《印章管理规定》第三条"))]


def test_check_build_and_serve_report_it(repo, tmp_path):
    runner = CliRunner(env={"HANDBOOK_CACHE_DIR": str(tmp_path / "cache")})
    r = runner.invoke(main, ["check", str(repo.src), "--lang", "en"])
    assert r.exit_code == 0 and r.output.count("warning[HB207]") == 3
    assert runner.invoke(main, ["check", str(repo.src), "--strict"]).exit_code == 1
    r = runner.invoke(main, ["check", str(repo.src), "--no-history"])
    assert r.exit_code == 0 and "HB207" not in r.output
    r = runner.invoke(main, ["build", str(repo.src), "--out", str(tmp_path / "site"),
                             "--no-search"])
    assert r.exit_code == 0 and r.output.count("warning[HB207]") == 3
    from handbook_gen.serve.live import LiveSite
    live = LiveSite(repo.src, pipeline.BuildOptions(history=True))
    live.rebuild()
    assert [str(d.location) for d in live.diagnostics if d.code == "HB207"] == [
        loc for loc, _ in AT_HEAD]


def test_a_revision_that_leaves_the_cited_number_alone_is_no_drift(tmp_path):
    repo = Repo(tmp_path)
    repo.write("01-general/seal.md", policy_file(
        "AD-001", "印章管理规定", "1.0", "2024-01-01", ["{a} 用印须经审批。", "{b} 印章由行政部保管。"]))
    repo.write("01-general/contract.md", policy_file(
        "AD-002", "合同管理办法", "1.0", "2024-01-01", ["{seal} 合同用印依照《印章管理规定》第一条审批。"]))
    repo.commit("发布", "2024-01-01")
    # changed after the cited article, and the cited article itself reworded: same number
    repo.write("01-general/seal.md", policy_file(
        "AD-001", "印章管理规定", "2.0", "2024-06-01",
        ["{a} 用印须经部门负责人审批。", "{c} 新增的条文。", "{b} 印章由行政部保管。"]))
    repo.commit("印章管理规定 2.0", "2024-06-01")
    assert drifts(repo.src) == []
