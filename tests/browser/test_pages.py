"""The sample handbook's pages render on a phone and a desktop, from file:// and under an
HTTP sub-path: no console errors, no failed or external requests, no horizontal overflow."""
from __future__ import annotations

import shutil

import pytest
from pagewatch import PageWatch

PAGES = ["index.html", "chapters/organization.html", "policies/or-002.html",
         "policies/hr-005.html", "departments/gmo.html", "policies/or-004.html"]
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_pages_render_cleanly_from_file_url(browser, sample_site, viewport, tmp_path):
    w, h = VIEWPORTS[viewport]
    copy = tmp_path / "copied folder"  # a copied site, with a space in its path
    shutil.copytree(sample_site, copy)
    page = browser.new_page(viewport={"width": w, "height": h})
    watch = PageWatch(page, "file://")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    for rel in PAGES:
        page.goto((copy / rel).as_uri())
        assert page.evaluate("document.styleSheets.length") >= 1, f"{rel}: stylesheet not applied"
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"PingFang SC"')
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{rel} overflows horizontally by {overflow}px on {viewport}"
        page.screenshot(path=str(shots / (rel.replace("/", "_") + f".{viewport}.png")))
    assert watch.errors == []
    page.close()


def test_site_works_under_http_sub_path(browser, sample_site, serve_dir, tmp_path):
    nested = tmp_path / "intranet" / "manuals" / "handbook"
    shutil.copytree(sample_site, nested)
    base = serve_dir(tmp_path) + "/intranet/manuals/handbook/"
    page = browser.new_page()
    watch = PageWatch(page, base)
    page.goto(base + "index.html")
    page.click("text=授权审批管理办法")
    assert page.url == base + "policies/or-002.html"
    page.click("a.xref >> nth=0")
    assert page.url.startswith(base)
    page.goto(base + "policies/op-005.html")
    link = page.locator("a.xref[href*='or-002.html#limits']").first
    link.click()
    assert page.url == base + "policies/or-002.html#limits"
    assert page.evaluate("location.hash") == "#limits"
    assert "第九条" in page.locator(".anchor#limits + p").inner_text()  # 第八条 until 3.3 inserted one
    assert watch.errors == []
