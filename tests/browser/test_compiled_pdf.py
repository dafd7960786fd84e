"""Governance pages in headless Chromium: the compiled edition printed to PDF (page count,
one policy per page, a known article's text, running header), and the status, matrix,
org chart and flow pages rendering cleanly on a phone and a desktop."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

PAGES = ["status.html", "matrix.html", "org.html", "policies/op-005.html", "compiled.html"]
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
# 《采购管理办法》第一条, as written in policies/03-operations/procurement.md
KNOWN_ARTICLE = "第一条为规范采购行为，降低采购成本，保证所购货物和服务的质量"


def _watch(page) -> list[str]:
    """Console errors, failed requests and requests leaving file:// (like conftest.PageWatch,
    which cannot be imported when another test directory's conftest is loaded first)."""
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and
            errors.append(f"failed: {r.url} {r.failure}"))
    page.on("request", lambda r: r.url.startswith("file://") or
            errors.append(f"external request: {r.url}"))
    return errors


def _has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(out.strip())


@pytest.fixture(scope="module")
def compiled_pdf(browser, sample_site):
    if not _has_cjk_font():
        pytest.fail("no Chinese font for Chromium: apt-get install -y fonts-wqy-microhei")
    page = browser.new_page()
    page.goto((sample_site / "compiled.html").as_uri())
    titles = page.eval_on_selector_all(".compiled-policy", "els => els.map(e => e.id)")
    pdf = page.pdf(prefer_css_page_size=True)
    page.close()
    reader = PdfReader(io.BytesIO(pdf))
    texts = [re.sub(r"\s+", "", p.extract_text()) for p in reader.pages]
    return titles, texts


def test_page_count_is_plausible(compiled_pdf):
    policies, texts = compiled_pdf
    assert len(policies) >= 30
    # a cover, the contents, then at least one page per policy, and not absurdly many
    assert len(policies) + 2 <= len(texts) <= 8 * len(policies), len(texts)


def test_every_policy_starts_a_new_page(compiled_pdf):
    policies, texts = compiled_pdf
    first_pages = []
    for anchor in policies:
        marker = f"制度编号{anchor.upper()}·"
        pages = [i for i, t in enumerate(texts) if marker in t]
        assert pages, f"{anchor} is not in the PDF"
        first_pages.append(pages[0])
    assert first_pages == sorted(set(first_pages)), "one policy per page, in chapter order"


def test_known_article_text_and_running_header(compiled_pdf):
    _policies, texts = compiled_pdf
    assert any(KNOWN_ARTICLE in t for t in texts)
    assert "华衡科技有限公司运营管理制度汇编" in texts[0]  # the cover
    assert "第1页" not in texts[0], "no header or page number on the cover"
    assert all(t.startswith("华衡科技有限公司运营管理制度汇编") for t in texts[1:5])
    assert "第2页" in texts[1]
    assert not any("跳到正文" in t or "章节导航" in t for t in texts), "no navigation in print"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_governance_pages_render_cleanly(browser, sample_site, viewport):
    w, h = VIEWPORTS[viewport]
    page = browser.new_page(viewport={"width": w, "height": h})
    errors = _watch(page)
    for rel in PAGES:
        page.goto((sample_site / rel).as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{rel} overflows horizontally by {overflow}px on {viewport}"
    # the flowchart is drawn, readable and its nodes jump to the step table
    page.goto((sample_site / "policies/op-005.html").as_uri())
    box = page.locator(".flow-svg").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 400
    page.locator('.flow-svg a[href$="-s5"]').first.click()
    assert page.evaluate("location.hash").endswith("-s5")
    # the org chart links to department pages
    page.goto((sample_site / "org.html").as_uri())
    page.locator(".org-svg a").first.click()
    page.wait_for_load_state()
    assert "/departments/" in page.url
    assert errors == []
    page.close()
