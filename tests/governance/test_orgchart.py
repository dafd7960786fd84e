"""The org chart SVG: a golden file for a small registry, plus structural checks.
Refresh the golden file with `pytest tests/governance --update-golden` and review it."""
from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from helpers import main_html

from handbook_gen.core.diagnostics import Location
from handbook_gen.core.model import Department
from handbook_gen.governance.orgchart import org_svg

GOLDEN = Path(__file__).resolve().parent / "golden" / "orgchart.svg"
NS = "{http://www.w3.org/2000/svg}"


def dept(did: str, name: str, parent: str | None = None) -> Department:
    return Department(did, name, parent, (), Location("policies/_handbook.yaml"))


REGISTRY = [
    dept("BOARD", "董事会"),
    dept("AUDIT", "审计部", "BOARD"),
    dept("GM", "总经理", "BOARD"),
    dept("FIN", "财务部", "GM"),
    dept("HR", "人力资源部", "GM"),
    dept("ADMIN", "行政部", "GM"),
    dept("TECH", "技术部", "GM"),
    dept("CS", "客服部", "GM"),
    dept("HK", "香港办事处", "GM"),
    dept("HK-ADM", "香港办事处综合组", "HK"),
]


def href(d: Department) -> str:
    return f"departments/{d.id.lower()}.html"


def test_golden_svg(update_golden):
    svg = org_svg(REGISTRY, href)
    if update_golden:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(svg + "\n", "utf-8")
    assert svg + "\n" == GOLDEN.read_text("utf-8")


def test_every_department_is_a_readable_link():
    svg = org_svg(REGISTRY, href)
    root = ElementTree.fromstring(svg)  # well-formed XML
    links = root.findall(f"{NS}a")
    assert [a.get("href") for a in links] == [href(d) for d in REGISTRY]
    assert [a.find(f"{NS}text").text for a in links] == [d.name for d in REGISTRY]
    assert root.get("font-size") == "14"
    for a in links:  # each label fits its box
        rect = a.find(f"{NS}rect")
        assert float(rect.get("width")) >= 14 * len(a.find(f"{NS}text").text)
    assert "style=" not in svg and "<script" not in svg and "id=" not in svg


def test_layout_is_compact_and_boxes_do_not_overlap():
    big = [dept("GM", "总经理")] + [dept(f"D{i}", f"第{i}部门", "GM") for i in range(12)]
    svg = org_svg(big, href)
    w, h = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    assert w < 700, "twelve sub-departments hang in columns instead of one long row"
    boxes = [tuple(map(float, m)) for m in
             re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)]
    assert len(boxes) == 13
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0 and a[0] + a[2] <= w and a[1] + a[3] <= h
        for b in boxes[i + 1:]:
            assert a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or \
                a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1], (a, b)


def test_org_page_links_every_department(project):
    r = project.build()
    assert r.exit_code == 0, r.output
    html = main_html(project.page("org.html"))
    for did in ("gmo", "fin", "hr"):
        assert html.count(f'href="departments/{did}.html"') == 2  # the chart and the list
    assert '<nav class="org-tree" aria-label="部门列表">' in html
