"""The sidebar: the current chapter's policies, at most NAV_GROUP of them, so that a page
does not grow with the size of its chapter."""
from __future__ import annotations

import re

from helpers import policy

from handbook_gen.render.nav import NAV_GROUP


def sidebar(html: str) -> str:
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)


def test_large_chapter_lists_the_group_of_the_page(project):
    n = NAV_GROUP * 2 + 20
    for i in range(n):
        project.write(f"01-general/p{i:03d}.md", policy(f"GN-{i:03d}", title=f"第{i}号制度"))
    project.write("02-other/_chapter.md", "---\ntitle: 其他\n---\n")
    project.write("02-other/x.md", policy("OT-001", title="其他制度"))
    assert project.build().exit_code == 0

    nav = sidebar(project.page(f"policies/gn-{NAV_GROUP + 25:03d}.html"))
    items = re.findall(r'<li[^>]*><a href="\.\./policies/gn-(\d+)\.html">', nav)
    assert items == [f"{i:03d}" for i in range(NAV_GROUP, 2 * NAV_GROUP)]
    assert f'<li class="current" aria-current="page"><a href="../policies/gn-{NAV_GROUP + 25:03d}.html">' in nav
    assert f"第 {NAV_GROUP + 1}–{2 * NAV_GROUP} 项，共 {n} 项" in nav
    assert 'href="../chapters/' in nav.split("nav-more")[1]  # the way to the rest

    last = sidebar(project.page(f"policies/gn-{n - 1:03d}.html"))
    assert len(re.findall(r'href="\.\./policies/gn-', last)) == n - 2 * NAV_GROUP

    chapter = project.page("chapters/" + next(
        p.name for p in (project.base / "site" / "chapters").iterdir() if "general" in p.name))
    assert len(set(re.findall(r'policies/gn-\d+\.html', chapter))) == n  # the chapter page lists all

    small = sidebar(project.page("policies/ot-001.html"))
    assert "nav-more" not in small and "ot-001.html" in small


def test_page_size_does_not_grow_with_the_chapter(project):
    def size_with(n: int) -> int:
        for i in range(n):
            project.write(f"01-general/p{i:03d}.md", policy(f"GN-{i:03d}", title=f"第{i}号制度"))
        assert project.build().exit_code == 0
        return len(sidebar(project.page("policies/gn-000.html")))
    assert size_with(NAV_GROUP * 3) == size_with(NAV_GROUP * 6)
