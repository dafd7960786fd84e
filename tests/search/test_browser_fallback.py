"""The forgiving-matching notice in Chromium (from file://): the results page and the header
box say "没有完全匹配，以下是相近结果" when a query is answered by its variants (报消 -> 报销),
and say nothing for a query found as typed. Driven over the DevTools pipe (cdp_pipe.py, no
Playwright: the site-wide browser tests keep their own Playwright instance in this process)."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from cdp_pipe import CHROMIUM, Chromium
from test_forgiving import NOTICE, site_with_lexicon

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    b = Chromium()
    yield b
    b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return site_with_lexicon(tmp_path_factory.mktemp("fallback"))


def results_page(chromium, site: Path, q: str) -> dict:
    pg = chromium.new_page(f"{site.as_uri()}/search.html?q={quote(q)}")
    try:
        pg.wait("document.querySelector('#search-results[data-state=\"done\"]') !== null")
        return pg.eval("""({
          status: document.getElementById('search-status').textContent,
          fuzzy: document.getElementById('search-results').getAttribute('data-fuzzy'),
          groups: Array.from(document.querySelectorAll('#search-results section.hb-group')).map(s =>
            [s.querySelector('a[data-title]').dataset.title, s.classList.contains('hb-group-fuzzy')])
        })""")
    finally:
        pg.close()


def test_results_page_says_when_it_falls_back(chromium, site):
    r = results_page(chromium, site, "报消")
    assert r["status"].startswith(NOTICE) and r["fuzzy"] == "true", r
    assert r["groups"][0] == ["财务管理制度", True]
    r = results_page(chromium, site, "报销")
    assert NOTICE not in r["status"] and r["fuzzy"] == "false" and r["groups"][0][0] == "财务管理制度", r


def test_header_box_says_when_it_falls_back(chromium, site):
    pg = chromium.new_page(f"{site.as_uri()}/index.html")
    try:
        for q, notice in (("zhusu", True), ("质量", False)):
            pg.eval(f"""(() => {{ const i = document.getElementById('hb-q'); i.value = {json.dumps(q)};
                i.dispatchEvent(new Event('input')); document.getElementById('hb-dd').textContent = ''; }})()""")
            pg.wait("document.querySelector('#hb-dd a.hb-dd-item') !== null")
            got = pg.eval("""[document.querySelector('#hb-dd .hb-dd-notice')?.textContent || '',
                document.querySelector('#hb-dd a.hb-dd-item').dataset.title]""")
            assert got == ([NOTICE, "财务管理制度"] if notice else ["", "质量管理制度"]), (q, got)
    finally:
        pg.close()
