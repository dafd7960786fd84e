"""The ```flow block: parsing, diagnostics with exact positions, and rendering."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import codes, main_html, policy

from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.governance.flows import flow_svg
from handbook_gen.markdown.fences.flow import edges, parse_flow
from handbook_gen.markdown.placeholders import FLOW_OPEN

# These tests quote the English diagnostics (each still checked to have its Chinese).
pytestmark = pytest.mark.usefixtures("english_output")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "governance.md"
# policy(): the front matter takes lines 1-8, so a body starts on line 9
GOOD = """§{a} 报销按下列流程办理：

```flow 报销流程
申请 | [申请人] | 填写报销单并粘贴票据 | 报销单
审核 | FIN | 审核票据和预算
  通过 → 付款
  退回 → 申请
付款 | 财务部、GMO | 5个工作日内付款 | 付款凭证
```
"""


def flow_of(lines: list[str]):
    diags = Diagnostics()
    flow = parse_flow("测试", [(10 + i, 1, text) for i, text in enumerate(lines)], "p.md",
                      "flow-1", Location("p.md", 9, 1), diags)
    return flow, [(d.code, d.location.line, d.location.col) for d in diags.items], diags


def test_parse_steps_parties_branches_and_edges():
    flow, problems, _ = flow_of(["申请 | [申请人] | 填写 | 报销单", "# 注释", "",
                                 "审核 ｜ FIN、GMO ｜ 审核", "  通过 -> 付款", "  退回 → 申请",
                                 "  作废 → 结束", "付款 | 财务部 | 付款"])
    assert problems == []
    assert [s.name for s in flow.steps] == ["申请", "审核", "付款"]
    assert [(p.text, p.role) for p in flow.steps[0].parties] == [("申请人", True)]
    assert [(p.text, p.location.col) for p in flow.steps[1].parties] == [("FIN", 6), ("GMO", 10)]
    assert flow.steps[0].output == "报销单" and flow.steps[1].output == ""
    assert flow.steps[1].decision and not flow.steps[0].decision
    assert edges(flow) == [(0, 1, ""), (1, 2, "通过"), (1, 0, "退回"), (1, 3, "作废"), (2, 3, "")]


@pytest.mark.parametrize("lines, expected", [
    (["这一行什么也不是"], [("HB310", 10, 1), ("HB310", 9, 1)]),        # and then the flow is empty
    (["申请 | FIN"], [("HB310", 10, 1), ("HB310", 9, 1)]),
    (["申请 | FIN | 填写 | 单据 | 多余"], [("HB310", 10, 1), ("HB310", 9, 1)]),
    (["  通过 → 申请", "申请 | FIN | 填写"], [("HB310", 10, 3)]),
    (["结束 | FIN | 填写"], [("HB310", 10, 1), ("HB310", 9, 1)]),
    (["申请 |  | 填写"], [("HB310", 10, 1), ("HB310", 9, 1)]),
    (["申请 | FIN | 填写", "  通过 →"], [("HB310", 11, 6)]),  # at the arrow
    ([], [("HB310", 9, 1)]),
    (["申请 | FIN | 填写", "申请 | FIN | 再填"], [("HB313", 11, 1)]),
    (["申请 | FIN | 填写", "  通过 → 付钱单"], [("HB312", 11, 8)]),
    (["审核 | FIN | 审核", "  通过 → 付款", "复核 | FIN | 复核", "付款 | FIN | 付款"],
     [("HB314", 12, 1)]),
])
def test_flow_diagnostics(lines, expected):
    _flow, problems, _ = flow_of(lines)
    assert problems == expected


def test_unknown_target_has_a_hint():
    _flow, _problems, diags = flow_of(["申请 | FIN | 填写", "  通过 → 付款单", "付款 | FIN | 付"])
    assert diags.items[0].hint == "did you mean '付款'?"


def test_unknown_department_is_reported_at_its_column(project):
    project.write("01-general/a.md", policy("GN-001", body=GOOD.replace("审核 | FIN", "审核 | FNI")))
    r = project.check()
    assert r.exit_code == 1
    assert "policies/01-general/a.md:13:6: error[HB311]: step '审核': unknown department 'FNI'" \
        in r.output
    assert "did you mean 'FIN'?" in r.output
    # a bracketed role is never checked; a registry name is as good as an id
    assert "申请人" not in r.output and "财务部" not in r.output


def test_flow_in_a_blockquote_keeps_columns(project):
    body = "> ```flow\n> 申请 | [申请人] | 填写\n> 审核 | 财务处 | 审核\n> ```\n"
    project.write("01-general/a.md", policy("GN-001", body=body))
    r = project.check()
    assert "policies/01-general/a.md:11:8: error[HB311]: step '审核': unknown department '财务处'" \
        in r.output
    assert "did you mean '财务部'?" in r.output


def test_syntax_errors_fail_the_check_with_positions(project):
    project.write("01-general/a.md", policy("GN-001", body="```flow\n申请 | FIN\n```\n"))
    r = project.check()
    assert r.exit_code == 1 and codes(r.output) == ["HB310", "HB310"]
    assert "policies/01-general/a.md:10:1: error[HB310]: a flow step is '名称 | 责任部门 | 工作内容'" \
        in r.output
    assert "policies/01-general/a.md:9:1: error[HB310]: empty flow" in r.output


def test_rendered_figure_table_and_links(project):
    body = GOOD + "\n§{b} 第二个流程：\n\n```flow\n登记 | HR | 登记\n```\n"
    project.write("01-general/a.md", policy("GN-001", body=body))
    r = project.build("--today", "2026-01-01")
    assert r.exit_code == 0, r.output
    html = main_html(project.page("policies/gn-001.html"))
    assert "style=" not in html and "<script" not in html and FLOW_OPEN not in html
    assert html.count('<figure class="flow" id="flow-') == 2
    assert '<figure class="flow" id="flow-1">' in html and 'id="flow-2"' in html
    assert "<figcaption>流程图：报销流程</figcaption>" in html
    assert "<figcaption>流程图</figcaption>" in html
    # the step table: number, step, departments linked relative to the page, roles as text
    assert '<tr id="flow-1-s2"><td class="flow-no">2</td><td class="flow-name">审核</td>' \
        '<td class="flow-party" data-label="责任部门"><a class="dept" ' \
        'href="../departments/fin.html">财务部</a></td>' in html
    assert '<span class="flow-role">申请人</span>' in html
    assert '<a class="dept" href="../departments/fin.html">财务部</a>、' \
        '<a class="dept" href="../departments/gmo.html">总经理办公室</a>' in html
    assert '通过 → <a href="#flow-1-s3">3. 付款</a><br>退回 → <a href="#flow-1-s1">1. 申请</a>' in html
    assert "<th>输出</th>" in html and '<td class="flow-output" data-label="输出">付款凭证</td>' in html
    # the chart: one linked node per step, a diamond for the decision, start and end
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert svg.count("<a href=") == 3 and svg.count("<polygon points=") >= 1
    assert '<a href="#flow-1-s2"><title>审核：审核票据和预算</title>' in svg
    assert ">开始</text>" in svg and ">结束</text>" in svg and ">1. 申请</text>" in svg
    # the department page lists the steps it is responsible for; the matrix marks it
    fin = main_html(project.page("departments/fin.html"))
    assert '<a href="../policies/gn-001.html#flow-1-s2">《测试制度》报销流程第 2 步：审核</a>' in fin
    matrix = main_html(project.page("matrix.html"))
    assert matrix.count('<td class="m-flow" title="流程步骤">◆</td>') == 2  # FIN; GMO owns


def test_svg_is_deterministic_and_routes_side_edges():
    flow, _, _ = flow_of(["申请 | FIN | 填写", "审核 | FIN | 审核", "  通过 → 付款",
                          "  退回 → 申请", "付款 | FIN | 付"])
    svg = flow_svg(flow, {})
    assert svg == flow_svg(flow, {})
    paths = re.findall(r'<path [^>]*\bd="([^"]+)"', svg)
    assert sum(1 for d in paths if "H" in d) == 1, "only the loop back goes round the side"
    assert ">退回</text>" in svg and ">通过</text>" in svg


def test_the_documented_example_is_valid(project):
    project.write("_handbook.yaml", "title: 示例\ndepartments:\n"
                  "  - {id: GMO, name: 总经理办公室}\n  - {id: FIN, name: 财务部}\n"
                  "  - {id: GM, name: 总经理}\n  - {id: ADMIN, name: 行政部}\n")
    example = re.search(r"(```flow 采购流程\n.*?\n```)\n", DOCS.read_text("utf-8"), re.S).group(1)
    project.write("01-general/a.md", policy("GN-001", body=f"§ 流程：\n\n{example}\n"))
    r = project.check("--strict")
    assert r.exit_code == 0 and "HB" not in r.output, r.output
