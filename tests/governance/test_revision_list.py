"""The revision history readers see: the editor's `changes:` list (version, date, summary),
never commit subjects or bot authors; the git record (authors through .mailmap) only in
the editor view (serve, build --drafts), collapsed."""
from __future__ import annotations

import pytest
from gitrepo import Repo, policy_file
from helpers import main_html

from handbook_gen.build.pipeline import BuildOptions, build

CHANGES = """changes:
  - version: "2.0"
    date: 2025-03-20
    summary: 增加票据要求，原第三条起顺延。
  - version: "1.0"
    summary: 首次发布。
"""


@pytest.fixture
def repo(tmp_path) -> Repo:
    repo = Repo(tmp_path)
    repo.write("01-general/fee.md", policy_file("OP-011", "费用报销管理办法", "1.0",
                                                "2024-01-01", ["{purpose} 为规范报销，制定本办法。"]))
    repo.commit("initial import of the expense policy", "2024-01-01")
    repo.write("01-general/fee.md", policy_file(
        "OP-011", "费用报销管理办法", "2.0", "2025-04-01",
        ["{purpose} 为规范报销，制定本办法。", "{receipts} 报销应当取得合法票据。"], CHANGES))
    repo.git("add", "-A")
    repo.git("-c", "user.name=renovate[bot]", "-c", "user.email=bot@example.com", "commit",
             "-q", "-m", "chore: bump OP-011 to v2 (#42)")
    (repo.root / ".mailmap").write_text("行政部 王五 <wangwu@example.com> <bot@example.com>\n",
                                        "utf-8")
    return repo


def _page(repo: Repo, tmp_path, drafts: bool) -> str:
    out = tmp_path / ("editor" if drafts else "site")
    result = build(repo.src, out, BuildOptions(history=True, include_drafts=drafts,
                                               search=False))
    assert result.ok, result.diagnostics.items
    return main_html((out / "policies" / "op-011.html").read_text("utf-8"))


def test_readers_see_the_editors_revision_list(repo, tmp_path):
    html = _page(repo, tmp_path, drafts=False)
    history = html[html.index('<section class="policy-history">'):]
    assert "增加票据要求，原第三条起顺延。" in history and "首次发布。" in history
    # the current version is dated by its changes entry; an older one without a date is "—"
    assert '<time datetime="2025-03-20">2025-03-20</time>' in history
    assert history.count("<tr") == 3 and "—" in history
    # no commit subjects, authors or ids for readers
    for raw in ("chore: bump", "initial import", "renovate", "王五", "编辑信息"):
        assert raw not in html, raw


def test_editors_see_the_git_record_with_mailmapped_authors(repo, tmp_path):
    html = _page(repo, tmp_path, drafts=True)
    details = html[html.index('<details class="editor-info">'):]
    details = details[:details.index("</details>")]
    assert "chore: bump OP-011 to v2 (#42)" in details
    assert "行政部 王五" in details and "renovate[bot]" not in details  # .mailmap applied
    assert "<code>" in details  # the commit id


def test_without_changes_readers_get_the_version_line(repo, tmp_path):
    repo.write("01-general/fee.md", policy_file("OP-011", "费用报销管理办法", "2.1",
                                                "2025-06-01", ["{purpose} 为规范报销。"]))
    repo.commit("drop changes", "2025-05-01")
    html = _page(repo, tmp_path, drafts=False)
    assert "现为第 2.1 版" in html and "尚未登记修订说明" in html
    assert "drop changes" not in html
