"""What a reader cannot miss, in headless Chromium: the state bar of a policy not in force
stays in view after a deep link to one of its articles; every page says when its content
was built; lists flag 尚未生效 / 已废止 / 复审逾期; the 404 page works in a sub-folder (with
and without base_url) and in `handbook serve`; a single policy prints without stray pages
and a flow's lead-in, chart and table start share a page."""
from __future__ import annotations

import datetime as _dt
import io
import re
import threading
import unicodedata
from pathlib import Path

import pytest
from helpers import HANDBOOK_YAML, Project, policy
from pypdf import PdfReader

from handbook_gen.build.pipeline import BuildOptions, build
from handbook_gen.serve.live import LiveSite
from handbook_gen.serve.server import DevServer

POLICIES = Path(__file__).resolve().parents[2] / "policies"
TODAY = _dt.date(2026, 12, 3)
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}
SUBFOLDER = "/intranet/handbook/"


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory) -> Path:
    """The sample handbook built on TODAY: GN-003 retired, HR-007 pending (2027-03-01),
    IM-004 and OP-009 overdue (review by 2026-06-30)."""
    out = tmp_path_factory.mktemp("dated") / "site"
    assert build(POLICIES, out, BuildOptions(today=TODAY, search=False)).ok
    return out


def _text(s: str) -> str:
    """PDF text without whitespace, NFKC-folded (Noto CJK extracts 至 as the radical ⾄)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


@pytest.mark.parametrize("pid,label,viewport", [("gn-003", "已废止", "phone"),
                                                ("hr-007", "尚未生效", "desktop"),
                                                ("im-004", "复审逾期", "phone")])
def test_state_bar_stays_in_view_on_a_deep_link(browser, dated_site, viewport, pid, label):
    w, h = VIEWPORTS[viewport]
    page = browser.new_page(viewport={"width": w, "height": h})
    page.goto((dated_site / "policies" / f"{pid}.html").as_uri() + "#a5")
    page.wait_for_function("window.scrollY > 0")
    bar = page.locator(".state-bar")
    assert label in bar.inner_text()
    box = page.evaluate("""() => {
        const bar = document.querySelector('.state-bar').getBoundingClientRect();
        const art = document.getElementById('a5').getBoundingClientRect();
        return {barTop: bar.top, barBottom: bar.bottom, artTop: art.top, scroll: scrollY};
    }""")
    # the page scrolled to the article, the bar is on screen, and it does not hide the article
    assert box["scroll"] > 300, box
    assert 0 <= box["barTop"] and box["barBottom"] <= h, box
    assert box["artTop"] >= box["barBottom"] - 1, box
    page.close()


def test_retired_bar_links_the_successor_and_pending_says_when(dated_site):
    retired = (dated_site / "policies" / "gn-003.html").read_text("utf-8")
    bar = retired[retired.index('<div class="state-bar'):retired.index("</div>",
                                                                       retired.index("state-bar"))]
    assert "已废止" in bar and 'href="../policies/gn-002.html"' in bar
    pending = (dated_site / "policies" / "hr-007.html").read_text("utf-8")
    assert '尚未生效</span>' in pending and '自 <time datetime="2027-03-01">2027-03-01</time> 起施行' in pending
    current = (dated_site / "policies" / "op-005.html").read_text("utf-8")
    assert "state-bar" not in current  # 现行: no bar


def test_every_page_says_when_its_content_was_built(browser, dated_site):
    pages = sorted(dated_site.rglob("*.html"))
    assert len(pages) > 60
    for path in pages:
        assert '内容截至 <time class="built-date" datetime="2026-12-03">' in \
            path.read_text("utf-8"), path
    page = browser.new_page()
    for rel in ["index.html", "policies/op-005.html"]:
        page.goto((dated_site / rel).as_uri())
        assert "内容截至 2026-12-03" in page.locator("footer").inner_text(), rel
    page.close()


def test_lists_flag_policies_not_in_force(dated_site):
    def badges(rel: str) -> dict[str, str]:
        html = (dated_site / rel).read_text("utf-8")
        found = {}
        for m in re.finditer(r'href="(?:\.\./)?policies/([a-z0-9-]+)\.html"[^<]*</a>'
                             r'(?:\s*<span class="policy-id">[^<]*</span>)?'
                             r'(?:\s*<span class="policy-version">[^<]*</span>)?'
                             r'\s*<span class="status status-(\w+)">', html):
            found[m[1]] = m[2]
        return found
    home = badges("index.html")
    assert {k: home[k] for k in ("gn-003", "hr-007", "im-004", "op-009")} == \
        {"gn-003": "retired", "hr-007": "pending", "im-004": "overdue", "op-009": "overdue"}
    assert "op-005" not in home  # 现行 carries no badge
    # a policy's relations flag a related policy that is overdue (IM-003 → IM-004)
    assert badges("policies/im-003.html").get("im-004") == "overdue"
    # a department's list of the policies that mention it
    assert "retired" in badges("departments/gmo.html").values() or \
        "overdue" in badges("departments/gmo.html").values()


# ---- 404 --------------------------------------------------------------------------------

def _tiny(tmp_path: Path, base_url: str | None) -> Path:
    project = Project(tmp_path)
    if base_url:
        project.write("_handbook.yaml", HANDBOOK_YAML + f"base_url: {base_url}\n")
    project.write("01-general/a.md", policy("GN-001", title="总则制度"))
    return project.src


def _check_not_found(browser, url: str, home: str) -> None:
    """The 404 page at `url` is styled and its 返回首页 link leads to `home`."""
    page = browser.new_page()
    response = page.goto(url)
    assert response.status == 404
    page.wait_for_function("getComputedStyle(document.querySelector('.site-header'))"
                           ".borderBottomStyle === 'solid'", timeout=5000)
    assert page.locator("h1").inner_text() == "页面未找到"
    page.locator("a.home-link").click()
    page.wait_for_load_state()
    assert page.url == home
    assert page.locator("h1").inner_text() == "测试汇编"
    page.close()


@pytest.mark.parametrize("base_url", [None, "https://intranet.example" + SUBFOLDER])
def test_404_in_a_subfolder(browser, tmp_path, serve_dir, base_url):
    out = tmp_path / "site"
    assert build(_tiny(tmp_path, base_url), out, BuildOptions(search=False)).ok
    html = (out / "404.html").read_text("utf-8")
    if base_url:  # absolute links from base_url's path, no probing
        assert f'href="{SUBFOLDER}static/handbook.css"' in html and "notfound.js" not in html
    origin = serve_dir(out, under=SUBFOLDER)
    for missing in ["policies/gn-404.html", "a/b/c/d.html"]:
        _check_not_found(browser, origin + SUBFOLDER + missing,
                         origin + SUBFOLDER + "index.html")


@pytest.mark.parametrize("base_url", [None, "https://intranet.example" + SUBFOLDER])
def test_404_in_serve(browser, tmp_path, base_url):
    dev = DevServer(LiveSite(_tiny(tmp_path, base_url)), "127.0.0.1", 0)
    dev.rebuild(None)
    threading.Thread(target=dev.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{dev.port}"
        home = origin + (SUBFOLDER if base_url else "/") + "index.html"
        for missing in ["/nosuch.html", "/policies/gn-404.html"]:
            _check_not_found(browser, origin + missing, home)
    finally:
        dev.shutdown()


# ---- printing one policy ----------------------------------------------------------------

PRINTED = ["op-005", "op-002", "im-001", "qm-004", "hr-007", "op-011"]
"""Flows (OP-005, OP-002), closing sections that used to stand alone on the last page
(IM-001: the related policies; QM-004: their line's last two characters), a pending
policy with its state bar (HR-007), a revision list (OP-011)."""


@pytest.fixture(scope="module")
def printed(browser, dated_site) -> dict[str, list[str]]:
    page = browser.new_page()
    texts = {}
    for pid in PRINTED:
        page.goto((dated_site / "policies" / f"{pid}.html").as_uri())
        pdf = page.pdf(prefer_css_page_size=True)
        texts[pid] = [_text(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    page.close()
    return texts


@pytest.mark.parametrize("pid", PRINTED)
def test_a_policy_prints_without_stray_pages(printed, pid):
    pages = printed[pid]
    # every page but the last is well filled, and the last holds an article, not only the
    # closing sections (relations, revision list)
    assert all(len(t) >= 200 for t in pages[:-1]), [len(t) for t in pages]
    assert re.search(r"第[一二三四五六七八九十百]+条", pages[-1]), pages[-1][:80]
    assert not any("本制度被以下条款引用" in t or "跳到正文" in t for t in pages)


def test_a_policy_prints_its_state_and_revision_list(printed):
    assert "尚未生效" in printed["hr-007"][0] and "2027-03-01" in printed["hr-007"][0]
    end = "".join(printed["op-011"][-2:])
    assert "修订记录" in end and "第3.2版2026-09-22通讯补贴统一由" in end


@pytest.mark.parametrize("pid", ["op-005", "op-002"])
def test_a_flow_binds_in_print(printed, pid):
    pages = printed[pid]
    with_chart = [i for i, t in enumerate(pages) if "流程图:" in t]
    assert with_chart
    for i in with_chart:
        t = pages[i]
        lead_in = t[:t.index("流程图:")]
        assert lead_in.endswith(":"), lead_in[-40:]  # the lead-in sentence, e.g. …办理：
        assert "序号步骤责任部门" in t, "the step table starts on the chart's page"
