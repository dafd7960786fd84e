"""Catalogue rows for identifiers, front matter and configuration values: department
ids, policy ids and chapter folders that would become unsafe or colliding file names,
the department hierarchy (cycles, depth), empty front matter, and control characters in
YAML values. Positions are the source file's line:col."""
from __future__ import annotations

import time
from pathlib import Path

from catalogue import A, B, BUILD, CFG, CH, HB_YAML, Case, policy  # noqa: F401

DEPT = f"{CFG}:11:9: error[HB112]"  # the id of a department appended to HB_YAML
LONG = "A" + "B" * 299


def dept(dept_id: str, name: str = "新部门", extra: str = "") -> dict:
    """The registry with one more department (its id on line 11, column 9)."""
    return {CFG: HB_YAML + f"  - id: {dept_id}\n    name: {name}\n{extra}"}


def chain(levels: int) -> str:
    """A registry whose departments D0 … D{levels-1} each report to the previous one."""
    lines = ["title: 测试汇编", "departments:", "  - id: GMO", "    name: 总经理办公室",
             "  - id: D0", "    name: 部门0"]
    for i in range(1, levels):
        lines += [f"  - id: D{i}", f"    name: 部门{i}", f"    parent: D{i - 1}"]
    return "\n".join(lines) + "\n"


def ring(size: int) -> str:
    """A registry whose departments C0 … C{size-1} report to each other in one cycle."""
    lines = ["title: 测试汇编", "departments:", "  - id: GMO", "    name: 总经理办公室"]
    for i in range(size):
        lines += [f"  - id: C{i}", f"    name: 部门{i}", f"    parent: C{(i + 1) % size}"]
    return "\n".join(lines) + "\n"


def fm(key_value: str) -> str:
    """A policy whose front matter has one more line (line 8)."""
    return policy("GN-001", extra=key_value + "\n")


def _site_kept(project, result):
    """The published site is the prebuilt one: no page was replaced or added."""
    html = (project.base / "site" / "index.html").read_text("utf-8")
    assert "测试汇编" in html
    assert sorted(p.name for p in (project.base / "site" / "departments").iterdir()) == \
        ["fin.html", "gmo.html", "hr.html"]


def _stamp(project, monkeypatch):
    project.started = time.time()


def _tmp_x_untouched(project, result):
    target = Path("/tmp/x.html")
    assert not target.exists() or target.stat().st_mtime < project.started


def _no_chain_pages(project, result):
    assert not (project.base / "site").exists()


def _chapter_page(name: str):
    def post(project, result):
        assert (project.base / "site" / "chapters" / name).is_file()
        assert f'href="../chapters/{name}"' in (
            project.base / "site" / "policies" / "gn-001.html").read_text("utf-8")
    return post


ROWS: list[Case] = [
    # department ids become departments/<id>.html
    Case("ids-dept-dotdot-index", dept("../index"), args=BUILD, prebuild=True,
         expect=(DEPT, "department id '../index'"), post=_site_kept),
    Case("ids-dept-case-collision", {CFG: HB_YAML + "  - id: QA\n    name: 质量部\n"
                                     "  - id: qa\n    name: 质量管理部\n"},
         args=BUILD, prebuild=True, expect=(f"{CFG}:13:9: error[HB122]", "'QA' and 'qa'"),
         post=_site_kept),
    Case("ids-dept-escape-neighbour", dept("../../../outside/x"), args=BUILD,
         expect=(DEPT,)),
    Case("ids-dept-escape-tmp", dept("../../../../tmp/x"), args=BUILD, setup=_stamp,
         expect=(DEPT,), post=_tmp_x_untouched),
    Case("ids-dept-absolute", dept("/tmp/x"), args=BUILD, setup=_stamp, expect=(DEPT,),
         post=_tmp_x_untouched),
    Case("ids-dept-slash", dept("a/b"), expect=(DEPT,)),
    Case("ids-dept-backslash", dept("'a\\b'"), expect=(DEPT,)),
    Case("ids-dept-space", dept('"x y"'), expect=(DEPT,)),
    Case("ids-dept-hash", dept("a#b"), expect=(DEPT,)),
    Case("ids-dept-question", dept('"a?b"'), expect=(DEPT,)),
    Case("ids-dept-percent", dept("a%2Fb"), expect=(DEPT,)),
    Case("ids-dept-dot", dept("a.b"), expect=(DEPT,)),
    Case("ids-dept-underscore", dept("HK_ADM"), expect=(DEPT,)),
    Case("ids-dept-digit-first", dept('"1A"'), expect=(DEPT,)),
    Case("ids-dept-chinese", dept("质量"), expect=(DEPT,)),
    Case("ids-dept-trailing-newline", dept('"QA\\n"'), expect=(DEPT, "'QA\\n'")),
    Case("ids-dept-300-chars", dept(LONG), args=BUILD,
         expect=(DEPT, "超过 64 个字符的上限")),
    Case("ids-dept-65-chars", dept("A" * 65), expect=(DEPT, "超过 64 个字符的上限")),
    Case("ids-dept-64-chars", dept("A" * 64), args=BUILD, exit=0,
         absent=("error[",)),
    Case("ids-dept-reserved-con", dept("CON"), expect=(DEPT, "reserved name")),
    Case("ids-dept-reserved-nul-lower", dept("nul"), expect=(DEPT, "reserved name")),
    Case("ids-dept-reserved-com1", dept("COM1"), expect=(DEPT, "reserved name")),
    Case("ids-dept-reserved-lpt9", dept("Lpt9"), expect=(DEPT, "reserved name")),
    Case("ids-dept-reserved-index", dept("INDEX"), expect=(DEPT, "reserved name")),
    Case("ids-dept-not-reserved-console", dept("CONSOLE"), args=BUILD, exit=0,
         absent=("error[",)),
    Case("ids-dept-duplicate-name", dept("QA", name="财务部"),
         expect=(f"{CFG}:12:11: error[HB125]", "duplicate department name '财务部'")),
    # the hierarchy
    Case("ids-dept-deep-1000", {CFG: chain(1000)}, args=BUILD,
         expect=(f"{CFG}:100:5: error[HB125]", "'D32' is 33 levels deep"),
         absent=("RecursionError", "HB403"), post=_no_chain_pages),
    Case("ids-dept-deep-1000-check", {CFG: chain(1000)},
         expect=(f"{CFG}:100:5: error[HB125]",), absent=("'D33' is",)),
    Case("ids-dept-depth-32-ok", {CFG: chain(32)}, args=BUILD, exit=0, absent=("error[",)),
    Case("ids-dept-cycle-two", dept("QA", extra="    parent: QC\n  - id: QC\n    name: 质控部\n"
                                    "    parent: QA\n"),
         expect=(f"{CFG}:11:5: error[HB125]: department 'QA' is its own ancestor (QA → QC → QA)",
                 f"{CFG}:14:5: error[HB125]: department 'QC' is its own ancestor")),
    Case("ids-dept-cycle-self", dept("QA", extra="    parent: QA\n"), args=BUILD,
         expect=(f"{CFG}:11:5: error[HB125]", "(QA → QA)")),
    Case("ids-dept-cycle-1000", {CFG: ring(1000)}, args=BUILD,
         expect=(f"{CFG}:5:5: error[HB125]: department 'C0' is its own ancestor "
                 "(C0 → C1 → C2 → C3 → … → C0; 1000 departments in the cycle)",)),
    Case("ids-dept-cycle-descendant-not-blamed",
         dept("QA", extra="    parent: QC\n  - id: QC\n    name: 质控部\n    parent: QA\n"
                          "  - id: LAB\n    name: 实验室\n    parent: QA\n"),
         expect=("'QA' is its own ancestor",), absent=("'LAB' is its own ancestor",)),
    # policy ids become policies/<id>.html
    Case("ids-policy-trailing-newline", {A: policy('"GN-001\\n"')},
         expect=(f"{A}:2:5: error[HB112]", "policy id 'GN-001\\n'")),
    Case("ids-policy-300-chars", {A: policy(LONG)}, args=BUILD,
         expect=(f"{A}:2:5: error[HB112]", "超过 64 个字符的上限")),
    Case("ids-policy-300-chars-check", {A: policy(LONG)},
         expect=(f"{A}:2:5: error[HB112]",)),
    Case("ids-policy-64-chars", {A: policy("G" * 64)}, args=BUILD, exit=0,
         absent=("error[",)),
    Case("ids-policy-reserved-aux", {A: policy("AUX")}, expect=(f"{A}:2:5: error[HB112]",)),
    Case("ids-policy-reserved-index", {A: policy("index")}, expect=(f"{A}:2:5: error[HB112]",)),
    Case("ids-policy-slash", {A: policy("GN/001")}, expect=(f"{A}:2:5: error[HB112]",)),
    Case("ids-policy-dotdot", {A: policy("../index")}, expect=(f"{A}:2:5: error[HB112]",)),
    Case("ids-policy-case-collision", {A: policy("GN-001"), B: policy("gn-001")}, args=BUILD,
         expect=(f"{B}:2:1: error[HB122]: policy id 'gn-001' and 'GN-001'",)),
    # chapter folders become chapters/<slug>.html
    Case("ids-chapter-space", {"policies/02-a b/_chapter.md": "---\ntitle: 乙\n---\n",
                               "policies/02-a b/x.md": policy("GN-009")},
         args=BUILD, expect=("policies/02-a b/_chapter.md:1:1: error[HB112]",
                             "该篇及其中 1 项制度都不会发布")),
    Case("ids-chapter-hash", {"policies/02-a#b/_chapter.md": "---\ntitle: 乙\n---\n"},
         expect=("policies/02-a#b/_chapter.md:1:1: error[HB112]",)),
    Case("ids-chapter-question", {"policies/02-a?b/_chapter.md": "---\ntitle: 乙\n---\n"},
         expect=("policies/02-a?b/_chapter.md:1:1: error[HB112]",)),
    Case("ids-chapter-percent", {"policies/02-a%20b/_chapter.md": "---\ntitle: 乙\n---\n"},
         expect=("policies/02-a%20b/_chapter.md:1:1: error[HB112]",)),
    Case("ids-chapter-dot", {"policies/02-v1.2/_chapter.md": "---\ntitle: 乙\n---\n"},
         expect=("policies/02-v1.2/_chapter.md:1:1: error[HB112]",)),
    Case("ids-chapter-reserved", {"policies/02-con/_chapter.md": "---\ntitle: 乙\n---\n"},
         expect=("policies/02-con/_chapter.md:1:1: error[HB112]", "reserved name")),
    Case("ids-chapter-digits-only", {"policies/02/_chapter.md": "---\ntitle: 乙\n---\n"},
         expect=("policies/02/_chapter.md:1:1: error[HB112]",)),
    Case("ids-chapter-no-file", {"policies/02-a b/x.md": policy("GN-009")},
         expect=("policies/02-a b: error[HB112]",), absent=("HB123",)),
    Case("ids-chapter-case-collision", {"policies/02-General/_chapter.md": "---\ntitle: 乙\n---\n",
                                        "policies/02-General/x.md": policy("GN-009")},
         args=BUILD, expect=("policies/02-General/_chapter.md:1:1: error[HB122]",
                             "'01-general' and '02-General'", "该篇及其中 1 项制度都不会发布")),
    Case("ids-chapter-upper-case-folded", {"policies/02-Finance/_chapter.md": "---\ntitle: 财务\n---\n",
                                           "policies/02-Finance/a.md": policy("GN-001")},
         args=BUILD, exit=0, absent=("error[",), post=_chapter_page("finance.html")),
    # empty front matter: never a silently dropped policy or chapter
    Case("ids-fm-empty", {A: "---\n---\n正文\n"}, args=BUILD,
         expect=(f"{A}:1:1: error[HB114]", "the policy is not published")),
    Case("ids-fm-comment-only", {A: "---\n# 待填写\n---\n正文\n"},
         expect=(f"{A}:1:1: error[HB114]",)),
    Case("ids-fm-blank-lines", {A: "---\n\n   \n\t\n---\n正文\n"},
         expect=(f"{A}:1:1: error[HB114]",)),
    Case("ids-fm-dots-close", {A: "---\n...\n正文\n"}, expect=(f"{A}:1:1: error[HB114]",)),
    Case("ids-fm-empty-file", {A: ""}, expect=(f"{A}:1:1: error[HB113]",)),
    Case("ids-fm-leading-blank-line", {A: "\n" + policy("GN-001")},
         expect=(f"{A}:1:1: error[HB113]",)),
    Case("ids-fm-open-trailing-spaces", {A: policy("GN-001").replace("---\n", "---  \n", 1)},
         args=BUILD, exit=0, absent=("error[",)),
    Case("ids-chapter-fm-empty", {CH: "---\n---\n简介\n"}, args=BUILD,
         expect=(f"{CH}:1:1: error[HB114]", "chapter front matter is empty")),
    Case("ids-chapter-fm-comment-only", {CH: "---\n# title: 总则\n---\n"},
         expect=(f"{CH}:1:1: error[HB114]",)),
    Case("ids-chapter-fm-empty-title", {CH: "---\ntitle:\n---\n"},
         expect=(f"{CH}:1:1: error[HB102]",)),
    # control characters from YAML escapes
    Case("ids-ctl-title-osc", {A: policy("GN-001", title='"\\e]0;pwned\\a考勤"')}, args=BUILD,
         expect=(f"{A}:3:8: error[HB115]", "U+001B"), absent=("\x1b", "\x07")),
    Case("ids-ctl-title-nul", {A: policy("GN-001", title='"考勤\\0制度"')},
         expect=(f"{A}:3:8: error[HB115]", "U+0000"), absent=("\x00",)),
    Case("ids-ctl-owner", {A: policy("GN-001", owner='"GMO\\x1b[2J"')},
         expect=(f"{A}:4:8: error[HB115]",), absent=("\x1b",)),
    Case("ids-ctl-doc-no", {A: fm('doc_no: "HB-\\x1b[31m01"')},
         expect=(f"{A}:8:9: error[HB115]",), absent=("\x1b",)),
    Case("ids-ctl-approved-by-c1", {A: fm('approved_by: "张三\\N"')},
         expect=(f"{A}:8:14: error[HB115]", "U+0085")),
    Case("ids-ctl-del", {A: fm('approved_by: "张三\\x7f"')},
         expect=(f"{A}:8:14: error[HB115]", "U+007F")),
    Case("ids-ctl-carriage-return", {A: fm('approved_by: "张三\\r李四"')},
         expect=(f"{A}:8:14: error[HB115]",)),
    Case("ids-ctl-tag-item", {A: fm('tags: [质量, "a\\bb"]')}, expect=(f"{A}:8:12: error[HB115]",)),
    Case("ids-ctl-key", {A: fm('"doc\\eno": x')}, expect=(f"{A}:8:1: error[HB115]",),
         absent=("\x1b",)),
    Case("ids-ctl-tab-allowed", {A: policy("GN-001", title='"考勤\\t制度"')}, args=BUILD, exit=0,
         absent=("error[",)),
    Case("ids-ctl-config-title", {CFG: HB_YAML.replace("title: 测试汇编", 'title: "汇编\\e[5m"')},
         expect=(f"{CFG}:1:8: error[HB115]",), absent=("\x1b", "HB102")),
    Case("ids-ctl-department-name", dept("QA", name='"质量\\a部"'),
         expect=(f"{CFG}:12:11: error[HB115]",), absent=("HB125",)),
    Case("ids-dept-missing-name", dept("QA", name=""), expect=(f"{CFG}:11:5: error[HB125]",)),
    Case("ids-ctl-date", {A: policy("GN-001").replace("effective: 2025-01-01",
                                                       'effective: "2025-01-01\\e"')},
         expect=(f"{A}:6:12: error[HB105]",), absent=("\x1b",)),
]
