"""Reading the handbook on a phone and a desktop (static/reader.js and the layout rules in
handbook.css / governance.css): tables that fit a 390 px screen, the sticky header and its
menu, the outline that marks where the reader is, prev/next across chapters, copy-link,
and the search words marked on the page a result leads to. Layout is asserted without
pixels of a reference image: widths, positions and counts."""
from __future__ import annotations

import re
import shutil
from urllib.parse import quote

import pytest
from pagewatch import PageWatch

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FLOW = "policies/op-005.html"      # 采购管理办法: a ```flow block and 17 articles
TABLES = "policies/op-011.html"    # 费用报销管理办法: tables in the body, chapters and sections
EVERY_KIND = ["index.html", "chapters/operations.html", TABLES, FLOW, "departments/gmo.html",
              "status.html", "matrix.html", "org.html", "search.html?q=%E6%8A%A5%E9%94%80",
              "compiled.html", "policies/or-004.html"]


@pytest.fixture(scope="module")
def base(sample_site, serve_dir, tmp_path_factory):
    """The site under an HTTP sub-path (as on an intranet server)."""
    root = tmp_path_factory.mktemp("reading")
    shutil.copytree(sample_site, root / "manuals" / "handbook")
    return serve_dir(root) + "/manuals/handbook/"


@pytest.fixture(scope="module")
def phone(browser):
    ctx = browser.new_context(viewport=PHONE, has_touch=True)
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def desktop(browser):
    ctx = browser.new_context(viewport=DESKTOP)
    yield ctx
    ctx.close()


def open_page(ctx, url: str, allowed: str):
    page = ctx.new_page()
    page.watch = PageWatch(page, allowed)
    page.goto(url)
    page.wait_for_load_state("load")
    return page


# ---------------------------------------------------------------- phones: tables and width

NARROW_COLUMNS = """() => {
  // every cell of a table a reader reads as a table: [table class, cell text, width]
  const out = [];
  for (const t of document.querySelectorAll('main table')) {
    for (const c of t.querySelectorAll('th, td')) {
      if (getComputedStyle(c).display !== 'table-cell') continue;  // stacked as a card
      out.push([t.className, c.textContent.trim().slice(0, 10), c.getBoundingClientRect().width]);
    }
  }
  return out;
}"""


def test_no_page_scrolls_sideways_on_a_phone(phone, base):
    page = open_page(phone, base + "index.html", base)
    for rel in EVERY_KIND:
        page.goto(base + rel)
        if rel.startswith("search.html"):
            page.wait_for_selector('#search-results[data-state="done"]', state="attached")
        over = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert over <= 0, f"{rel} scrolls sideways by {over}px at 390px"
    assert page.watch.errors == []
    page.close()


def test_body_tables_keep_columns_readable_and_the_key_column_in_view(phone, base):
    page = open_page(phone, base + TABLES, base)
    cells = [c for c in page.evaluate(NARROW_COLUMNS) if "flow-steps" not in c[0]
             and "history" not in c[0] and "versions" not in c[0]]
    assert len(cells) > 20
    narrow = [c for c in cells if c[2] < 120]
    assert narrow == [], narrow
    # the table scrolls inside itself; its first column stays where it was
    table = page.locator(".policy-body table").first
    table.scroll_into_view_if_needed()
    first = table.locator("tbody tr td").first
    x0 = first.bounding_box()["x"]
    table.evaluate("t => t.scrollLeft = 200")
    assert table.evaluate("t => t.scrollLeft") > 0, "the table does not scroll inside itself"
    assert abs(first.bounding_box()["x"] - x0) < 1
    second = table.locator("tbody tr td").nth(1)
    assert second.bounding_box()["x"] < x0 + 120, "the other columns scroll under the first"
    page.close()


def test_flow_steps_and_status_rows_become_cards(phone, desktop, base):
    page = open_page(phone, base + FLOW, base)
    steps = page.locator("table.flow-steps tbody tr")
    assert steps.count() == 10
    widths = page.evaluate("""() => [...document.querySelectorAll('table.flow-steps td.flow-action')]
        .map(td => td.getBoundingClientRect().width)""")
    assert min(widths) >= 300, widths  # 工作内容 has the card's width, not a 46px column
    label = page.evaluate("""() => getComputedStyle(
        document.querySelector('table.flow-steps td.flow-action'), '::before').content""")
    assert label == '"工作内容" "："' or label == '"工作内容："', label
    tall = page.evaluate("document.querySelector('table.flow-steps').getBoundingClientRect().height")
    page.close()
    page = open_page(desktop, base + FLOW, base)
    wide = page.evaluate("document.querySelector('table.flow-steps').getBoundingClientRect().height")
    assert page.evaluate("getComputedStyle(document.querySelector('table.flow-steps td')).display") \
        == "table-cell"  # a desktop keeps the table
    page.close()
    assert tall < 3 * wide, (tall, wide)  # (a squeezed table was 9 times as tall)

    page = open_page(phone, base + "status.html", base)
    rows = page.evaluate("""() => [...document.querySelectorAll('.status-table tbody tr')].map(tr => [
        tr.querySelector('.st-title').getBoundingClientRect().width, getComputedStyle(tr).display])""")
    assert len(rows) >= 30
    assert all(w >= 300 and d == "flex" for w, d in rows), rows[:3]
    assert page.locator(".status-table td.st-owner").first.is_visible()
    page.close()


def test_matrix_keeps_its_header_row_and_policy_column_in_view(phone, base):
    page = open_page(phone, base + "matrix.html", base)
    wrap = page.locator(".matrix-wrap")
    corner = page.locator(".matrix thead th").nth(2).bounding_box()
    policy = page.locator(".matrix tbody th").nth(5)
    x0 = policy.bounding_box()["x"]
    head_y = corner["y"]
    wrap.evaluate("w => { w.scrollTop = 300; w.scrollLeft = 150; }")
    assert wrap.evaluate("w => [w.scrollTop, w.scrollLeft]") == [300, 150]
    assert abs(page.locator(".matrix thead th").nth(2).bounding_box()["y"] - head_y) < 1
    assert abs(policy.bounding_box()["x"] - x0) < 1
    assert policy.bounding_box()["width"] >= 120
    page.close()


def test_charts_are_read_at_their_own_size_on_a_phone(phone, base):
    page = open_page(phone, base + "org.html", base)
    px = page.evaluate("""() => { const s = document.querySelector('.org-svg');
        const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
        return Math.min(...[...s.querySelectorAll('text')].map(t =>
            scale * parseFloat(t.getAttribute('font-size') || s.getAttribute('font-size')))); }""")
    assert px >= 12, f"org chart text is {px:.1f}px on a phone"
    assert page.locator(".org-tree li").count() >= 10  # and the same tree as a list
    page.close()


# ---------------------------------------------------------------- phones: header and menu

def test_sticky_header_menu_and_back_to_top(phone, base):
    page = open_page(phone, base + FLOW, base)
    articles = page.locator(".policy-body .article").count()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    page.wait_for_timeout(100)
    header = page.locator(".site-header").bounding_box()
    assert header["y"] == 0 and header["height"] <= 64, header  # compact, and still there
    top = page.locator(".back-to-top")
    assert top.is_visible()
    button = page.locator(".menu-button")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    drawer = page.locator("dialog.drawer")
    assert drawer.evaluate("d => d.open") and drawer.is_visible()
    assert button.get_attribute("aria-expanded") == "true"
    # the page's articles and the chapter tree, with this policy marked
    assert drawer.locator(".toc .toc-articles a").count() == articles == 17
    assert drawer.locator(".site-nav li[aria-current=page] a").inner_text() == "采购管理办法"
    assert drawer.locator(".site-nav .nav-chapters > li").count() == 7
    assert page.locator("[id=site-nav]").count() == 1  # the copy has no ids of its own
    drawer.locator(".toc-articles a", has_text="第十二条").click()  # follows and closes
    assert not drawer.evaluate("d => d.open")
    assert page.evaluate("location.hash") == "#acceptance"
    button.click()
    page.keyboard.press("Escape")
    assert not drawer.evaluate("d => d.open") and button.get_attribute("aria-expanded") == "false"
    top.click()
    page.wait_for_function("() => scrollY === 0")
    assert page.watch.errors == []
    page.close()


def test_menu_without_script_leads_to_the_navigation(browser, base):
    ctx = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base + FLOW)
    page.click(".menu-button")
    assert page.evaluate("location.hash") == "#site-nav"
    assert page.locator("#site-nav .nav-policies").is_visible()
    assert page.locator(".back-to-top").is_visible()  # without script it is always shown
    ctx.close()


# ---------------------------------------------------------------- desktop reading

def test_outline_is_sticky_and_marks_the_current_article(desktop, base):
    page = open_page(desktop, base + TABLES, base)
    toc = page.locator(".policy > .toc")
    assert toc.locator("details").evaluate("d => d.open")  # 22 articles: opened on a wide screen
    for anchor, name in (("#travel-standard", "第九条"), ("#a16", "第十六条")):
        page.locator(anchor).evaluate("e => e.scrollIntoView()")
        page.wait_for_function(
            "n => document.querySelector('.toc a.is-current')?.textContent === n", arg=name)
        current = toc.locator("a.is-current")
        assert current.count() == 1 and current.get_attribute("aria-current") == "location"
        assert current.is_visible()
        box = toc.bounding_box()
        assert 0 <= box["y"] <= 40, box  # the outline stayed in view
    # a heading (第三章) is marked when the reader is at it
    page.locator("#差旅费").evaluate("e => e.scrollIntoView()")
    page.wait_for_function("() => document.querySelector('.toc a.is-current')?.textContent === '第三章 差旅费'")
    # the outline sits beside the text, not over it
    text = page.locator(".policy-body").bounding_box()
    assert text["x"] + text["width"] <= toc.bounding_box()["x"]
    assert page.watch.errors == []
    page.close()


def chapter_policies(page, base: str, chapter: str) -> list[str]:
    page.goto(base + f"chapters/{chapter}.html")
    return page.eval_on_selector_all(".policy-table a[href*='policies/']",
                                     "els => els.map(a => a.href)")


def test_prev_next_cross_chapter_edges(desktop, base):
    page = open_page(desktop, base + "index.html", base)
    chapters = page.eval_on_selector_all(".site-nav .nav-chapters > li > a",
                                         "els => els.map(a => a.getAttribute('href'))")
    names = [re.search(r"chapters/(.+)\.html", c).group(1) for c in chapters]
    first = chapter_policies(page, base, names[0])
    second = chapter_policies(page, base, names[1])
    page.goto(first[-1])
    nxt = page.locator("a[rel=next]")
    assert nxt.get_attribute("href").split("/")[-1] == second[0].split("/")[-1]
    assert "下一章" in nxt.inner_text()
    nxt.click()
    assert page.url == second[0]
    prev = page.locator("a[rel=prev]")
    assert page.url != first[-1] and "上一章" in prev.inner_text()
    prev.click()
    assert page.url == first[-1]
    # inside a chapter the label names no chapter; the handbook's two ends have one link
    page.goto(second[1])
    assert "章" not in page.locator("a[rel=prev] .pn-label").inner_text()
    page.goto(first[0])
    assert page.locator("a[rel=prev]").count() == 0
    last = chapter_policies(page, base, names[-1])
    page.goto(last[-1])
    assert page.locator("a[rel=next]").count() == 0
    page.close()


STUB_CLIPBOARD = """Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {
  writeText: t => { window.__copied = t; return Promise.resolve(); }}});"""


def test_copy_link_writes_the_anchor_url(browser, base):
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.split("/manuals")[0])
    page = open_page(ctx, base + FLOW + "?hl=%E9%87%87%E8%B4%AD", base)
    articles = page.locator(".policy-body .article").count()
    assert page.locator(".policy-body .article .copy-link").count() == articles
    headings = page.locator(".policy-body h2[id]").count()
    assert page.locator(".policy-body h2 > .copy-link").count() == headings == 7
    assert page.locator(".policy-body h2 > a.permalink").count() == headings
    # the button is no part of the article's text: its anchor is still followed by its paragraph
    assert page.locator(".anchor#acceptance + p").inner_text().startswith("第十二条")
    button = page.locator(".article:has(#acceptance) .copy-link")
    button.hover()
    button.click()
    page.wait_for_function("() => document.querySelector('.article:has(#acceptance) .copy-link').textContent === '已复制'")
    # the absolute URL of the named anchor, under the sub-path, without the search words
    assert page.evaluate("navigator.clipboard.readText()") == base + FLOW + "#acceptance"
    assert page.locator(".reader-status").inner_text() == "已复制第十二条的链接"
    page.locator(".policy-body h2", has_text="采购合同").hover()
    page.locator(".policy-body h2", has_text="采购合同").locator(".copy-link").click()
    page.wait_for_function("() => document.querySelector('.reader-status').textContent.includes('采购合同')")
    assert page.evaluate("navigator.clipboard.readText()") == base + FLOW + "#" + quote("采购合同")
    assert page.watch.errors == []
    ctx.close()


def test_copy_link_from_a_copied_folder(browser, sample_site, tmp_path):
    copy = tmp_path / "copied folder"
    shutil.copytree(sample_site, copy)
    ctx = browser.new_context(viewport=PHONE)
    ctx.add_init_script(STUB_CLIPBOARD)
    page = ctx.new_page()
    page.goto((copy / FLOW).as_uri() + "#flow")
    page.locator(".article:has(#flow) .copy-link").click()
    page.wait_for_function("() => window.__copied")
    assert page.evaluate("window.__copied") == (copy / FLOW).as_uri() + "#flow"
    ctx.close()


def hits_in(page, anchor: str) -> tuple[int, str]:
    """(number of <mark>s, its text) of the article holding the named anchor."""
    return page.evaluate("""a => { const e = document.getElementById(a).closest('.article');
        const t = e.cloneNode(true); t.querySelectorAll('button').forEach(b => b.remove());
        return [e.querySelectorAll('mark.search-hit').length, t.textContent]; }""", anchor)


def test_search_words_are_marked_all_through_the_target_article(desktop, base):
    page = open_page(desktop, base + "search.html?q=" + quote("报销"), base)
    page.wait_for_selector('#search-results[data-state="done"]', state="attached")
    link = page.locator("#search-results a[href$='op-011.html#claim-deadline']").first
    assert "?" not in link.get_attribute("href")  # the results keep their plain hrefs
    link.click()
    page.wait_for_selector("mark.search-hit")
    assert re.search(r"op-011\.html\?hl=[^#]+#claim-deadline$", page.url), page.url
    marks, text = hits_in(page, "claim-deadline")
    assert marks == text.count("报销") >= 5  # in both of its paragraphs, not only the first
    paragraphs = page.evaluate("""() => new Set([...document.querySelectorAll('mark.search-hit')]
        .map(m => m.closest('p'))).size""")
    assert paragraphs >= 2
    # nothing outside the article is marked
    assert page.locator("mark.search-hit").count() == marks
    assert page.watch.errors == []
    page.close()


def test_traditional_query_marks_the_simplified_text(desktop, base):
    page = open_page(desktop, base + TABLES + "?hl=" + quote("報銷 差旅費") + "#trip-approval", base)
    page.wait_for_selector("mark.search-hit")
    marks, text = hits_in(page, "trip-approval")
    assert marks == text.count("报销") + text.count("差旅费") > 0
    page.close()
