"""`handbook serve` in a real browser: an edit shows up without a manual reload; a broken
reference shows the overlay with file:line; fixing it clears the overlay."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pagewatch import PageWatch  # noqa: E402
from helpers import Project, policy  # noqa: E402

from handbook_gen.serve import server as devserver  # noqa: E402
from handbook_gen.build.pipeline import BuildOptions  # noqa: E402


@pytest.fixture
def served(tmp_path):
    project = Project(tmp_path)
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 第一版正文。\n"))
    project.write("01-general/b.md", policy("GN-002", title="引用制度", body="§ 见[[GN-001#x]]。\n"))
    server, collector, observer, note = devserver.start(project.src, "127.0.0.1", 0,
                                                        BuildOptions(include_drafts=True))
    yield project, server
    collector.stop()
    observer.stop()
    server.shutdown()


def test_edit_reloads_and_errors_overlay(browser, served):
    project, server = served
    page = browser.new_page()
    watch = PageWatch(page, server.url)
    page.goto(server.url + "policies/gn-001.html")
    assert "第一版正文" in page.inner_text("main")

    page.evaluate("window.sameDocument = true")
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 第二版正文。\n"))
    expect(page.locator("main")).to_contain_text("第二版正文", timeout=10000)
    # only <main> changed: updated in place, without a navigation
    assert page.evaluate("window.sameDocument") is True

    project.write("01-general/a.md", policy("GN-001", title="总则制度",
                                            body="§{x} 第二版正文，见[[GN-404]]。\n"))
    overlay = page.locator("#handbook-overlay")
    overlay.wait_for(timeout=10000)
    assert "policies/01-general/a.md:9:13" in overlay.inner_text()
    assert "未知的制度编号“GN-404”" in overlay.inner_text()  # (in the handbook's language)
    assert "第二版正文" in page.inner_text("main")  # the last good page stays readable

    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 第三版正文。\n"))
    expect(page.locator("main")).to_contain_text("第三版正文", timeout=10000)
    assert page.locator("#handbook-overlay").count() == 0

    # a new title changes the page outside <main> (its <title>, the navigation): reload
    page.evaluate("window.sameDocument = true")
    project.write("01-general/a.md", policy("GN-001", title="总则新制度", body="§{x} 第三版正文。\n"))
    expect(page.locator("nav.site-nav")).to_contain_text("总则新制度", timeout=10000)
    assert page.title().startswith("总则新制度")
    assert page.evaluate("window.sameDocument") is None
    assert watch.errors == []


def test_other_pages_stay_as_they_are(browser, served):
    """An edit that does not change the page being viewed leaves it alone."""
    project, server = served
    page = browser.new_page()
    watch = PageWatch(page, server.url)
    page.goto(server.url + "policies/gn-002.html")
    page.evaluate("window.sameDocument = true")
    version = server.version
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 别处的修改。\n"))
    page.wait_for_function(f"fetch('/__handbook/poll?version={version}').then(r => r.json())"
                           f".then(d => d.version > {version})", timeout=10000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.sameDocument") is True
    assert "见" in page.inner_text("main")
    assert watch.errors == []
