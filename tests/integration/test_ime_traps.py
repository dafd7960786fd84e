"""What a Chinese input method (or habit) types into front matter and flows: each is a
diagnostic at the exact line and column with the line to write, or read as meant when
the meaning cannot be mistaken (docs/diagnostics.md, 输入法陷阱)."""
from __future__ import annotations

import re

from helpers import codes

HEAD = "---\nid: GN-001\n"  # line 1 ---, line 2 id


def fm(*lines: str, body: str = "§ 为规范管理，制定本制度。\n") -> str:
    return HEAD + "".join(line + "\n" for line in lines) + "---\n" + body


STANDARD = ("title: 员工手册", "owner: GMO", "status: active", "effective: 2025-01-01",
            'version: "1.0"')


def lines_with(**replace: str) -> list[str]:
    out = []
    for line in STANDARD:
        key = line.split(":")[0]
        out.append(replace.get(key, line))
    return out


def diags(output: str) -> list[str]:
    """``path:line:col: sev[CODE]`` of every diagnostic printed."""
    return re.findall(r"^(\S+:\d+:\d+: \w+\[HB\d+\])", output, re.M)


def test_fullwidth_colon_after_a_key_is_an_error_on_its_own_line(project):
    project.write("01-general/a.md", fm(*lines_with(title="title：员工手册")))
    r = project.check()
    assert r.exit_code == 1
    # line 3 (not the next line, where YAML itself would fail), column of the '：'
    assert diags(r.output) == ["policies/01-general/a.md:3:6: error[HB100]"]
    assert "键“title”后面用了全角冒号“：”" in r.output
    assert "提示：改为：title: 员工手册" in r.output


def test_the_rest_of_the_block_is_still_checked(project):
    # the colon is read as meant, so the bad date two lines below is found in the same run
    project.write("01-general/a.md", fm(*lines_with(title="title：员工手册",
                                                    effective="effective: 2025-13-01")))
    r = project.check()
    assert diags(r.output) == ["policies/01-general/a.md:3:6: error[HB100]",
                               "policies/01-general/a.md:6:12: error[HB105]"]


def test_position_after_a_repaired_colon_is_the_files(project):
    project.write("01-general/a.md", fm(*lines_with(effective="effective：2025-13-01")))
    r = project.check()
    # '：' at column 10; the value starts at 11 in the file (12 in the repaired text)
    assert diags(r.output) == ["policies/01-general/a.md:6:10: error[HB100]",
                               "policies/01-general/a.md:6:11: error[HB105]"]


def test_fullwidth_space_after_the_colon_and_in_the_indentation(project):
    project.write("01-general/a.md", fm(*lines_with(owner="owner:\u3000GMO"),
                                        "tags:", "\u3000 - 财务"))
    r = project.check()
    assert diags(r.output) == ["policies/01-general/a.md:4:7: error[HB100]",
                               "policies/01-general/a.md:9:1: error[HB100]"]
    assert "“owner:”后面是全角空格" in r.output and "缩进中有全角空格" in r.output


def test_fullwidth_colon_inside_values_and_block_text_is_text(project):
    project.write("01-general/a.md", fm(*lines_with(title="title: 关于：员工手册"),
                                        "doc_no: 总办发〔2025〕1号", "aliases:",
                                        "  - 手册：员工版"))
    r = project.check()
    assert r.exit_code == 0, r.output
    assert "HB100" not in r.output


def test_colon_in_the_department_registry(project):
    project.write("_handbook.yaml", "title: 测试汇编\ndepartments:\n  - id: GMO\n"
                  "    name：总经理办公室\n")
    project.write("01-general/a.md", fm(*STANDARD))
    r = project.check()
    assert diags(r.output) == ["policies/_handbook.yaml:4:9: error[HB100]"]
    assert "改为：name: 总经理办公室" in r.output


def test_fullwidth_digits_and_year_first_chinese_dates_are_read_as_meant(project):
    for i, written in enumerate(("２０２５-０１-０１", "2025年1月1日", "2025.1.1", "2025/1/1",
                                 "２０２５年１月１日")):
        project.write(f"01-general/p{i}.md", fm(*lines_with(effective=f"effective: {written}"))
                      .replace("GN-001", f"GN-00{i + 1}"))
    r = project.build("--today", "2025-06-01")
    assert r.exit_code == 0, r.output
    assert codes(r.output) == ["HB300"]  # only: no git history
    page = project.page("policies/gn-002.html")
    assert "2025-01-01" in page or "2025年1月1日" in page


def test_ambiguous_or_impossible_dates_say_what_to_write(project):
    project.write("01-general/a.md", fm(*lines_with(effective="effective: 13/1/2025")))
    project.write("01-general/b.md", fm(*lines_with(effective="effective: 2025年2月30日"))
                  .replace("GN-001", "GN-002"))
    project.write("01-general/c.md", fm(*lines_with(effective="effective: 1/2/2025"))
                  .replace("GN-001", "GN-003"))
    r = project.check()
    assert diags(r.output) == ["policies/01-general/a.md:6:12: error[HB105]",
                               "policies/01-general/b.md:6:12: error[HB105]",
                               "policies/01-general/c.md:6:12: error[HB105]"]
    assert "改为 effective: 2025-01-13" in r.output  # day first: 13 cannot be a month
    assert "该月没有这一天" in r.output  # 2月30日
    assert "例如 effective: 2026-01-01" in r.output  # 1/2: January 2 or February 1?


def test_a_key_written_in_chinese(project):
    project.write("01-general/a.md", fm("标题: 员工手册", *STANDARD[1:], "复审日期: 2027-01-01"))
    r = project.check()
    # the required key: one error at the Chinese key, not a second one at line 1
    assert diags(r.output) == ["policies/01-general/a.md:3:1: error[HB102]",
                               "policies/01-general/a.md:8:1: warning[HB101]"]
    assert "缺少必填键“title”：键名要用英文，不能写成“标题”" in r.output
    assert "改为：title: 员工手册" in r.output and "改为：review_by: 2027-01-01" in r.output


def test_a_chapter_title_written_in_chinese(project):
    project.write("01-general/_chapter.md", "---\n标题: 总则\n---\n")
    project.write("01-general/a.md", fm(*STANDARD))
    r = project.check()
    assert diags(r.output) == ["policies/01-general/_chapter.md:2:1: error[HB102]"]


FLOW = "§ 按下列流程办理。\n\n```flow 报销流程\n{lines}```\n"


def test_fullwidth_colon_in_a_flow_line(project):
    body = FLOW.format(lines="申请 | [申请人] | 填写报销单\n审核：FIN：核对预算\n同意：结束\n")
    project.write("01-general/a.md", fm(*STANDARD, body=body))
    r = project.check()
    # body line 1 is file line 9; the flow's lines are 12-14; the colon's column
    assert diags(r.output) == ["policies/01-general/a.md:13:3: error[HB310]",
                               "policies/01-general/a.md:14:3: error[HB310]"]
    assert "改为：审核 | FIN | 核对预算" in r.output  # two colons: a step
    assert "改为：同意 → 结束" in r.output  # one colon: a branch


def test_fullwidth_colon_inside_a_step_is_text(project):
    body = FLOW.format(lines="申请 | [申请人] | 填写报销单：附发票\n")
    project.write("01-general/a.md", fm(*STANDARD, body=body))
    r = project.check()
    assert r.exit_code == 0, r.output
