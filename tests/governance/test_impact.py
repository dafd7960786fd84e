"""handbook report --impact: what changed in a policy over a revision range and the
articles elsewhere that cite it or a changed article (联动修改)."""
from __future__ import annotations

import json

from helpers import cli_zh


def test_default_compares_with_the_previous_version(repo):
    r = cli_zh("report", "--impact", "OP-011", str(repo.src))
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        f"《费用报销管理办法》（OP-011）自 上一版本 2.0（{repo.ids['c5']}） 以来的修改（2 条）\n"
        "  删除  原第六条\n"
        "  条号变动  第六条（原第七条）\n"
        "\n"
        "需要联动检查的引用（2 处）\n"
        "  policies/01-general/travel.md:11:19  《差旅费管理办法》第二条  引用 第三条：未修改；"
        "条号已漂移：原指第三条（1.0 版），该条现为第四条（HB207）\n"
        "  policies/01-general/loans.md:9:19  《借支管理规定》第一条  引用 第六条（原第七条）："
        "条号变动；条号已漂移：原指第六条（2.0 版），该条已删除（HB207）\n")


def test_since_a_revision_as_json(repo):
    r = cli_zh("report", "--impact", "OP-011", "--since", repo.ids["c1"], "--format", "json",
            str(repo.src))
    data = json.loads(r.stdout)
    assert data["since"] == repo.ids["c1"]
    assert [(c["kind"], c["old"], c["new"]) for c in data["changes"]] == [
        ("新增", None, "第三条"), ("修改", "第三条", "第四条"), ("条号变动", "第四条", "第五条"),
        ("删除", "第五条", None)]
    assert [(c["location"], c["cites"], c["change"]) for c in data["citing"]] == [
        ("policies/01-general/travel.md:11:19", "第三条", "新增"),
        ("policies/01-general/loans.md:9:19", "第六条", "未修改")]


def test_the_working_tree_is_compared_with_the_last_commit(repo):
    text = (repo.src / "01-general/expense.md").read_text("utf-8")
    repo.write("01-general/expense.md", text.replace("报销须经部门负责人审批签字。",
                                                     "报销须经部门负责人和财务部审批。"))
    r = cli_zh("report", "--impact", "OP-011", "--format", "json", str(repo.src))
    data = json.loads(r.stdout)
    assert data["since"] == f"最近一次提交 {repo.ids['c6']}"
    assert [(c["kind"], c["new"]) for c in data["changes"]] == [("修改", "第四条")]
    # nobody cites 第四条 by that number (travel.md's 第三条 meant it: drift says so)
    assert [c["location"] for c in data["citing"]] == [
        "policies/01-general/travel.md:11:19", "policies/01-general/loans.md:9:19"]


def test_refusals(repo):
    r = cli_zh("report", "--impact", "OP-01", str(repo.src))
    assert r.exit_code == 2 and "没有编号为“OP-01”的制度" in r.output
    r = cli_zh("report", "--impact", "OP-011", "--since", "no-such-rev", str(repo.src))
    assert r.exit_code == 2 and "git 中没有修订“no-such-rev”" in r.output
    r = cli_zh("report", "--since", "HEAD", str(repo.src))
    assert r.exit_code == 2


def test_a_label_reference_to_a_renumbered_article_is_not_listed(repo):
    from gitrepo import policy_file
    repo.write("01-general/notes.md", policy_file(
        "OP-014", "报销须知", "1.0", "2024-10-01",
        ["{a} 施行日期见[[OP-011#effect]]。", "{b} 施行日期见[[OP-011#第六条]]。"]))
    repo.commit("报销须知", "2024-10-01")
    data = json.loads(cli_zh("report", "--impact", "OP-011", "--format", "json",
                          str(repo.src)).stdout)
    notes = [(c["article"], c["cites"], c["was"], c["change"]) for c in data["citing"]
             if c["policy"] == "OP-014"]
    assert notes == [("第二条", "第六条", "第七条", "条号变动")]
