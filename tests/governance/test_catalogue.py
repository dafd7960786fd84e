"""catalogue.json, `handbook report`, the responsibility matrix and the compiled edition."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from helpers import main_html, policy
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook_gen.governance.compiled import print_css, scope_ids, shift_headings


def write_handbook(project) -> None:
    """In force (one overdue), pending, draft, retired; references between them."""
    project.write("01-general/a.md", policy(
        "GN-001", title="总则", body="## 总则\n\n§{purpose} 目的，见[[GN-002#scope]]和[[dept:FIN]]。\n\n"
        "§{scope} 范围，见[[#purpose]]。\n",
        extra="review_by: 2026-03-01\ntags: [总则]\n"))
    project.write("01-general/b.md", policy(
        "GN-002", title="管理办法", owner="HR", body="§{scope} 适用于全公司。脚注[^1]。\n\n[^1]: 注释。\n",
        extra="supersedes: [GN-009]\nreview_by: 2026-07-15\nrelated: [GN-001]\n"))
    project.write("01-general/c.md", policy("GN-003", title="新规", extra="review_by: 2028-01-01\n")
                  .replace("effective: 2025-01-01", "effective: 2026-07-01"))
    project.write("01-general/d.md", policy("GN-004", title="草稿", status="draft"))
    project.write("01-general/old.md", policy("GN-009", title="旧办法", status="retired"))


def test_catalogue_json(project):
    write_handbook(project)
    r = project.build("--today", "2026-06-01")
    assert r.exit_code == 0, r.output
    data = json.loads((project.base / "site" / "catalogue.json").read_text("utf-8"))
    assert data["format"] == 1 and data["build_date"] == "2026-06-01" and data["title"] == "测试汇编"
    by_id = {p["id"]: p for p in data["policies"]}
    assert list(by_id) == ["GN-001", "GN-002", "GN-003", "GN-009"], "drafts are not published"
    a = by_id["GN-001"]
    assert (a["status"], a["state"], a["state_label"], a["in_force"]) == \
        ("active", "overdue", "复审逾期", True)
    assert (a["review_by"], a["review_due_in_days"], a["url"]) == \
        ("2026-03-01", -92, "policies/gn-001.html")
    assert a["owner"] == {"id": "GMO", "name": "总经理办公室"} and a["tags"] == ["总则"]
    assert a["cited_by"] == [] and by_id["GN-002"]["cited_by"] == ["GN-001"]
    assert by_id["GN-002"]["supersedes"] == ["GN-009"]
    assert by_id["GN-009"]["superseded_by"] == ["GN-002"] and by_id["GN-009"]["state"] == "retired"
    assert by_id["GN-003"]["state"] == "pending" and not by_id["GN-003"]["in_force"]
    assert a["last_revised"] is None and a["revisions"] is None  # not in git
    depts = {d["id"]: d for d in data["departments"]}
    assert depts["HR"]["owns"] == ["GN-002"] and depts["FIN"]["parent"] == "GMO"
    # deterministic: the same date gives the same bytes
    first = (project.base / "site" / "catalogue.json").read_bytes()
    project.build("--today", "2026-06-01", "--no-cache", out="again")
    assert (project.base / "again" / "catalogue.json").read_bytes() == first


def test_report_text_json_and_exit_codes(project):
    write_handbook(project)
    r = project.run("report", str(project.src), "--today", "2026-06-01")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("制度复审报告（统计日期 2026-06-01）\n")
    assert "复审逾期（1 项）\n  GN-001  《总则》  归口：总经理办公室  复审日期 2026-03-01，逾期 92 天" \
        in r.output
    assert "60 天内到期复审（1 项）\n  GN-002  《管理办法》  归口：人力资源部  复审日期 2026-07-15，" \
        "44 天后" in r.output
    assert "60 天内生效（1 项）\n  GN-003  《新规》" in r.output
    r = project.run("report", str(project.src), "--today", "2026-06-01", "--within", "10",
                    "--format", "json")
    data = json.loads(r.output)
    assert [x["id"] for x in data["overdue"]] == ["GN-001"] and data["overdue"][0]["days"] == -92
    assert data["upcoming"] == [] and data["pending"] == [] and data["within_days"] == 10
    r = project.run("report", str(project.src), "--today", "2026-06-01", "--fail-on-overdue")
    assert r.exit_code == 1
    r = project.run("report", str(project.src), "--today", "2026-01-01", "--fail-on-overdue")
    assert r.exit_code == 0 and "复审逾期（0 项）\n  无" in r.output


def test_report_refuses_a_broken_handbook(project):
    project.write("01-general/a.md", policy("GN-001", body="§ 见[[GN-404]]。\n"))
    r = project.run("report", str(project.src))
    assert r.exit_code == 1 and "error[HB200]" in r.output and "制度复审报告" not in r.output


def test_status_page_and_matrix(project):
    write_handbook(project)
    assert project.build("--today", "2026-06-01").exit_code == 0
    status = main_html(project.page("status.html"))
    ids = re.findall(r'<td class="policy-id">([^<]+)</td>', status)
    assert ids == ["GN-001", "GN-002", "GN-003", "GN-009"]
    assert '<tr class="state-active review-upcoming">' in status
    matrix = main_html(project.page("matrix.html"))
    rows = re.findall(r'<th class="matrix-policy"><a href="policies/([^"]+).html">', matrix)
    assert rows == ["gn-001", "gn-002", "gn-003"], "retired policies are not in the matrix"
    columns = re.findall(r'<th class="matrix-dept"><a href="departments/([a-z]+).html"', matrix)
    assert columns == ["gmo", "fin", "hr"]
    first_row = matrix.split('<th class="matrix-policy">')[1]
    assert re.findall(r'<td(?: class="m-(\w+)")?', first_row.split("</tr>")[0]) == \
        ["own", "cite", ""]


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])


def test_compiled_edition(project):
    write_handbook(project)
    assert project.build("--today", "2026-06-01").exit_code == 0
    html = project.page("compiled.html")
    main = main_html(html)
    assert '<link rel="stylesheet" href="static/compiled-print.css">' in html
    assert 'class="site-nav"' not in html, "no navigation in the compiled edition"
    # in force only (the overdue one included), in chapter order, numbered
    titles = re.findall(r'<h3 class="compiled-policy-title">([^<]+)</h3>', main)
    assert titles == ["总则", "管理办法"]
    assert "现行有效的制度 2 项" in main
    assert '<li><span class="toc-line"><a href="#chapter--general">第一篇　总则</a>' in main
    assert '<span class="toc-no">2.</span>\n<a href="#gn-002">《管理办法》</a>' in main
    # ids are unique; every in-page link has its target; cross-policy links stay in the page
    scan = Ids()
    scan.feed(html)
    assert len(scan.ids) == len(set(scan.ids))
    for href in scan.hrefs:
        if href.startswith("#"):
            assert href[1:] in scan.ids, href
    assert '<a class="xref" href="#gn-002--scope">《管理办法》第一条</a>' in main
    assert '<a class="xref" href="#gn-001--purpose">第一条</a>' in main
    assert '<a class="xref dept" href="departments/fin.html">财务部</a>' in main
    assert '<h4 id="gn-001--总则">第一章 总则</h4>' in main
    assert 'class="cited-by"' not in main
    css = (project.base / "site" / "static" / "compiled-print.css").read_text("utf-8")
    assert '@top-center { content: "测试汇编";' in css and "counter(page)" in css


def test_scoping_helpers():
    html = ('<h2 id="x">T</h2><a href="#x">1</a><a href="policies/b.html#a1">2</a>'
            '<a href="policies/c.html">3</a><a href="https://e.example/#x">4</a>')
    got = scope_ids(html, "a--", {"policies/b.html": "b"})
    assert got == ('<h2 id="a--x">T</h2><a href="#a--x">1</a><a href="#b--a1">2</a>'
                   '<a href="policies/c.html">3</a><a href="https://e.example/#x">4</a>')
    assert shift_headings("<h2 id=a>x</h2><h5>y</h5>") == "<h4 id=a>x</h4><h6>y</h6>"
    assert 'content: "A\\"B\\\\C\\a ";' in print_css('A"B\\C\n').decode()


_ID = re.compile(r'(\sid=")([^"]*)(")')
_HREF = re.compile(r'(\shref=")([^"]*)(")')


def _scope_ids_by_regex(html: str, prefix: str, local: dict[str, str]) -> str:
    """scope_ids as a pair of re.sub: the definition its str.find scan must match."""
    html = _ID.sub(lambda m: f"{m[1]}{prefix}{m[2]}{m[3]}", html)

    def href(m: re.Match) -> str:
        path, _, fragment = m[2].partition("#")
        if m[2].startswith("#"):
            return f"{m[1]}#{prefix}{m[2][1:]}{m[3]}"
        if path not in local:
            return m[0]
        return f"{m[1]}#{local[path]}{'--' + fragment if fragment else ''}{m[3]}"
    return _HREF.sub(href, html)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([' id="', 'id="', ' href="', '\nhref="', 'data-id="', '"', "#",
                                 "a", "policies/b.html", "policies/c.html", "\u3000", " ", "-",
                                 "<p>"]), max_size=16))
def test_scope_ids_is_exactly_the_attribute_substitution(parts):
    html = "".join(parts)
    assert scope_ids(html, "p--", {"policies/b.html": "b"}) == \
        _scope_ids_by_regex(html, "p--", {"policies/b.html": "b"})
