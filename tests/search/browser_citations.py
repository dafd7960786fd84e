"""Query understanding in the real results page and header box, headless Chromium, from
file:// (run in its own pytest process by test_browser_citations.py): a citation query
answers with the cited article (its anchor on the policy page), every result shows its
policy's state (现行 / 尚未生效 / 已废止 / 复审逾期) in the page and in the dropdown, and the
现行有效 filter leaves out a policy that is not yet in force."""
from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    from citation_handbook import build

    return build(tmp_path_factory.mktemp("citations")).as_uri() + "/"


@pytest.fixture
def page(browser):
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


def results(pg, base: str, q: str, extra: str = ""):
    pg.goto(f"{base}search.html?q={quote(q)}{extra}")
    pg.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=15000)
    return pg.eval_on_selector_all("#search-results a[data-title]",
                                   "els => els.map(e => [e.dataset.title, e.getAttribute('href'), e.dataset.cite || ''])")


def test_citation_query_answers_with_the_article(page, base):
    for q in ("费用报销管理办法第九条", "《费用报销管理办法》第9条", "报销办法 第九条", "民法典第1165条"):
        hits = results(page, base, q)
        want = "policies/law-003.html#a1165" if "民法典" in q else "policies/fin-001.html#a9"
        assert hits[0][1] == want and hits[0][2] == "true", (q, hits[:3])
    # the link leads to the article's anchor on the policy page
    results(page, base, "费用报销管理办法第九条之一")
    page.click("#search-results a[data-cite]")
    page.wait_for_load_state()
    # (the result link carries the query as ?hl= so the page marks the words found)
    assert page.url.split("?")[0].endswith("policies/fin-001.html")
    assert page.url.endswith("#a9_1") and "?hl=" in page.url
    assert page.locator("#a9_1").count() == 1
    assert not page.errors, page.errors


def test_states_on_every_result_and_in_the_dropdown(page, base):
    results(page, base, "数据安全")
    groups = page.eval_on_selector_all(
        "#search-results section.hb-group",
        "els => els.map(s => [s.querySelector('a').dataset.title, s.querySelector('a .hb-state').textContent])")
    assert dict(groups) == {"数据安全培训规定": "现行", "数据安全事件应急预案": "复审逾期",
                            "数据安全管理办法": "尚未生效", "数据安全管理暂行规定": "已废止"}
    page.goto(base + "index.html")  # the header box (the search page has only its own)
    page.type("#hb-q", "数据安全")
    page.wait_for_selector("#hb-dd:not([hidden]) a[data-title]")
    dd = page.eval_on_selector_all("#hb-dd a[data-title]",
                                   "els => els.map(a => [a.dataset.title, a.querySelector('.hb-state').textContent])")
    assert ("数据安全管理办法", "尚未生效") in [tuple(x) for x in dd]
    assert len(dd) == 4 and all(x[1] for x in dd)


def test_in_force_filter_leaves_out_pending_and_retired(page, base):
    titles = {t for t, _, _ in results(page, base, "数据安全", "&status=active")}
    assert titles == {"数据安全培训规定", "数据安全事件应急预案"}
    assert page.input_value("#hb-f-status") == "active"
    titles = {t for t, _, _ in results(page, base, "数据安全", "&status=pending")}
    assert titles == {"数据安全管理办法"}
