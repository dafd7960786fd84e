"""The version pages in Chromium, opened from the folder (file://) under the strict CSP:
the 截至某日 date switch (static/asof.js) keeps the versions in force on the chosen date;
a 对照表 and a version page load without errors."""
from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import Repo, policy_file
from pagewatch import PageWatch

from handbook_gen.build.pipeline import BuildOptions, build


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("versions")
    r = Repo(base)
    arts = ["{purpose} 为规范费用报销，制定本办法。", "{limit} 单笔报销超过五千元的，须经部门负责人审批。"]
    r.write("01-general/exp.md", policy_file("OP-011", "费用报销管理办法", "1.0", "2024-01-01", arts))
    r.write("01-general/meet.md", policy_file("GN-002", "会议管理规定", "1.0", "2025-03-01",
                                              ["{fees} 会议费用依照[[OP-011#limit]]报销。"]))
    r.commit("1.0", "2023-12-20")
    arts[1] = arts[1].replace("五千", "一万")
    r.write("01-general/exp.md", policy_file("OP-011", "费用报销管理办法", "2.0", "2025-01-01", arts))
    r.commit("2.0", "2024-12-20")
    out = base / "site"
    assert build(r.src, out, BuildOptions(history=True, search=False)).ok
    return out


def visible_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#asof-table tbody tr:not([hidden])",
        "rows => rows.map(r => r.cells[0].textContent + ' ' + r.cells[2].textContent)")


def test_as_of_date_switch_from_a_copied_folder(browser, site):
    page = browser.new_page()
    watch = PageWatch(page, "file://")
    page.goto((site / "asof.html").as_uri() + "#2024-06-30")
    assert page.is_visible("#asof-form") and not page.is_visible("#asof-static")
    assert visible_rows(page) == ["OP-011 1.0"]
    assert page.text_content("#asof-count") == "2024-06-30 施行的制度 1 项。"
    page.fill("#asof-date", "2025-06-01")
    assert visible_rows(page) == ["GN-002 1.0", "OP-011 2.0"]
    assert page.text_content("#asof-count") == "2025-06-01 施行的制度 2 项。"
    page.fill("#asof-date", "2023-01-01")
    assert visible_rows(page) == []
    assert watch.errors == []
    page.close()


def test_revision_and_version_pages_load_cleanly(browser, site):
    page = browser.new_page()
    watch = PageWatch(page, "file://")
    page.goto((site / "revisions" / "op-011_v2.0.html").as_uri())
    assert page.inner_html("#n-limit td:nth-child(2)").endswith("单笔报销超过<ins>一万</ins>元的，须经部门负责人审批。")
    page.goto((site / "versions" / "op-011_v1.0.html").as_uri())
    assert page.text_content(".version-banner").startswith("历史版本，非现行；")
    assert watch.errors == []
    page.close()
