"""`handbook new policy|chapter`."""
from __future__ import annotations

import datetime as dt

from helpers import policy

from handbook_gen.markdown.document import parse_document
from handbook_gen.scaffold import next_id


def test_next_id():
    assert next_id(["QM-001", "QM-004", "QM-002"]) == "QM-005"
    assert next_id(["HR-009", "HR-010", "X-1"]) == "HR-011"
    assert next_id([]) is None


def test_new_policy_is_valid_and_checks_clean(project):
    project.write("01-general/a.md", policy("GN-007", owner="HR"))
    r = project.run("new", "policy", str(project.src), "--chapter", "总则", "--title", "差旅管理办法")
    assert r.exit_code == 0, r.output
    path = project.src / "01-general" / "gn-008.md"
    assert path.is_file()
    doc = parse_document("policies/01-general/gn-008.md", path.read_bytes())
    assert doc.diagnostics == ()
    assert doc.meta.status == "draft" and doc.meta.owner == "HR"
    assert doc.meta.effective == dt.date.today()
    assert [a.label for a in doc.body.articles] == ["purpose", "scope", "responsibility",
                                                    "interpretation", "effective"]
    assert "本办法" in path.read_text("utf-8")
    assert project.check("--strict").exit_code == 0


def test_new_policy_refusals(project):
    project.write("01-general/a.md", policy("GN-001"))
    r = project.run("new", "policy", str(project.src), "--chapter", "总则", "--title", "甲",
                    "--owner", "FINN")
    assert r.exit_code == 2 and "您是否要找“FIN”" in r.output  # the near miss, in Chinese
    r = project.run("new", "policy", str(project.src), "--chapter", "nope", "--title", "甲")
    assert r.exit_code == 2 and "“nope”" in r.output and "01-general" in r.output
    r = project.run("new", "policy", str(project.src), "--chapter", "general", "--title", "甲",
                    "--id", "GN-001")
    assert r.exit_code == 2 and "“GN-001”已被使用" in r.output
    (project.src / "01-general" / "gn-002.md").write_text("我的草稿", encoding="utf-8")
    r = project.run("new", "policy", str(project.src), "--chapter", "general", "--title", "甲",
                    "--id", "GN-002")
    assert r.exit_code == 2
    assert (project.src / "01-general" / "gn-002.md").read_text("utf-8") == "我的草稿"


def test_new_chapter(project):
    r = project.run("new", "chapter", str(project.src), "--title", "财务管理", "--slug", "finance")
    assert r.exit_code == 0, r.output
    assert (project.src / "02-finance" / "_chapter.md").is_file()
    assert project.run("new", "chapter", str(project.src), "--title", "x",
                       "--slug", "finance").exit_code == 2
    assert project.check().exit_code == 0
