"""Test helpers: git repositories built by the tests, with fixed dates and authors, and
a handbook whose policies get revised in them (versions, drift, fix)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpers import CHAPTER, HANDBOOK_YAML


def git(repo: Path, *args: str, date: str | None = None, author: str = "张三") -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if date:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = f"{date}T10:00:00+08:00"
    proc = subprocess.run(["git", "-c", "user.name=" + author, "-c", "user.email=a@example.com",
                           "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always",
                           *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True)
    return proc.stdout


def commit(repo: Path, message: str, date: str, author: str = "张三") -> str:
    """Commit everything; returns the abbreviated (12 hex) commit id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date, author=author)
    return git(repo, "rev-parse", "HEAD").strip()[:12]


def policy_file(pid: str, title: str, version: str, effective: str, articles: list[str],
                extra: str = "", status: str = "active") -> str:
    """A policy with one article per item of `articles` (each written as it stands after
    the '§')."""
    body = "".join(f"§{a}\n\n" for a in articles)
    return (f"---\nid: {pid}\ntitle: {title}\nowner: FIN\nstatus: {status}\n"
            f"effective: {effective}\nversion: \"{version}\"\n{extra}---\n{body}")


class Repo:
    """A handbook in a fresh git repository (tmp/repo/policies, chapter 01-general)."""

    def __init__(self, base: Path):
        self.root = base / "repo"
        self.src = self.root / "policies"
        (self.src / "01-general").mkdir(parents=True)
        git(self.root, "init", "-q")
        self.write("_handbook.yaml", HANDBOOK_YAML)
        self.write("01-general/_chapter.md", CHAPTER.format(title="总则", body=""))

    def write(self, rel: str, text: str) -> Path:
        path = self.src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        return path

    def commit(self, message: str, date: str) -> str:
        return commit(self.root, message, date)

    def git(self, *args: str) -> str:
        return git(self.root, *args)


FEE, TRAVEL, LOANS = ("policies/01-general/fee.md", "policies/01-general/travel.md",
                      "policies/01-general/loans.md")
EXPENSE = "policies/01-general/expense.md"
FEE_V1 = ["{purpose} 为规范费用报销，制定本办法。",
          "{scope} 本办法适用于公司全体员工。",
          "{approval} 报销须经部门负责人审批。",
          "{travel} 差旅费按照本办法第三条审批后报销。",
          "{loan} 借支款项应当在出差结束后一个月内归还。",
          "{effect} 本办法自发布之日起施行。"]
"""费用报销管理办法 1.0: 第四条 cites its own 第三条 (approval)."""
RECEIPTS = "{receipts} 报销应当取得合法有效的票据。"


def fee(version: str, effective: str, articles: list[str], extra: str = "") -> str:
    return policy_file("OP-011", "费用报销管理办法", version, effective, articles, extra)


def expense_history(repo: Repo) -> dict[str, str]:
    """An editor's history of 费用报销管理办法 (OP-011) and two policies citing it; returns
    the commit ids by name.

    c1 2023-01-10  OP-011 1.0 (effective 2023-01-01); OP-012 差旅管理办法 1.0, whose 第二条
                   cites 《费用报销管理办法》第三条 (approval)
    c2 2023-03-01  OP-011: a typo fixed in 第三条 (still 1.0)
    c3 2023-12-01  OP-011 2.0 (2024-01-01): 第三条 receipts inserted, 第三条 onwards +1
    c4 2024-01-15  OP-013 借支管理规定 1.0 cites 《费用报销管理办法》第六条 (loan, under 2.0)
    c5 2024-02-01  fee.md renamed expense.md
    c6 2024-06-01  OP-011 2.1 (2024-07-01): 第六条 loan deleted
    c7 2024-08-01  OP-012 2.0 (2024-09-01) retitled 差旅费管理办法, 第一条 reworded
    """
    ids = {}
    v1 = list(FEE_V1)
    repo.write("01-general/fee.md", fee("1.0", "2023-01-01", v1))
    repo.write("01-general/travel.md", policy_file(
        "OP-012", "差旅管理办法", "1.0", "2023-01-01",
        ["{apply} 出差须事先申请。", "{settle} 差旅费的审批依照《费用报销管理办法》第三条办理。"]))
    ids["c1"] = repo.commit("发布费用报销管理办法、差旅管理办法", "2023-01-10")
    v1[2] = "{approval} 报销须经部门负责人审批签字。"
    repo.write("01-general/fee.md", fee("1.0", "2023-01-01", v1))
    ids["c2"] = repo.commit("费用报销管理办法：改正第三条的文字", "2023-03-01")
    v2 = v1[:2] + [RECEIPTS] + v1[2:]
    repo.write("01-general/fee.md", fee("2.0", "2024-01-01", v2, CHANGES_2_0))
    ids["c3"] = repo.commit("费用报销管理办法 2.0：新增票据要求", "2023-12-01")
    repo.write("01-general/loans.md", policy_file(
        "OP-013", "借支管理规定", "1.0", "2024-02-01",
        ["{repay} 借支的归还期限依照《费用报销管理办法》第六条执行。"]))
    ids["c4"] = repo.commit("发布借支管理规定", "2024-01-15")
    repo.git("mv", FEE, EXPENSE)
    ids["c5"] = repo.commit("费用报销管理办法改名为 expense.md", "2024-02-01")
    v3 = [a for a in v2 if not a.startswith("{loan}")]
    repo.write("01-general/expense.md", fee("2.1", "2024-07-01", v3, CHANGES_2_1))
    ids["c6"] = repo.commit("费用报销管理办法 2.1：删除借支条款", "2024-06-01")
    repo.write("01-general/travel.md", policy_file(
        "OP-012", "差旅费管理办法", "2.0", "2024-09-01",
        ["{apply} 出差须事先在系统中申请。",
         "{settle} 差旅费的审批依照《费用报销管理办法》第三条办理。"]))
    ids["c7"] = repo.commit("差旅管理办法 2.0：更名，改写第一条", "2024-08-01")
    return ids


CHANGES_2_0 = ('changes:\n  - version: "2.0"\n    date: 2023-11-20\n'
               '    summary: 新增第三条（票据要求），原第三条至第六条顺延。\n')
CHANGES_2_1 = CHANGES_2_0 + '  - version: "2.1"\n    summary: 删除原第六条（借支归还）。\n'
