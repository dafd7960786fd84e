"""Accessibility of the sample site (built with its git history), WCAG 2.2 AA: axe-core
finds no violation of any impact on one page of every page kind (found in the built site,
so a kind added later is covered without touching this file), on a desktop and a phone, in
light and dark colour schemes, with the search dropdown closed and open; the Nu HTML
checker finds no error in any page.
Also the search combobox's keyboard and ARIA behaviour, `/`, visible focus, each policy's
`lang`, and readable flowcharts and org chart in both schemes.

axe-core and vnu.jar come from tests/browser/package.json (npm ci); vnu needs Java."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from handbook_gen.build.pipeline import BuildOptions, build

HERE = Path(__file__).resolve().parent
POLICIES = HERE.parents[1] / "policies"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
VNU = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
SCHEMES = ["light", "dark"]
QUERY = "报销"
# characters written only in Traditional Chinese (their Simplified forms differ)
TRADITIONAL_ONLY = set("處運質審報關與這為將機構會議員數據經營務時間產問題點書們辦規則權責")


def _tool(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(HERE)} missing: run `npm ci` in tests/browser "
                    "(make .venv/.browser does)")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The sample handbook built with its git history, so that the pages made from it
    (versions, 修订对照表) are audited too."""
    out = tmp_path_factory.mktemp("a11y") / "site"
    assert build(POLICIES, out, BuildOptions(history=True)).ok
    return out


@pytest.fixture(scope="module")
def site_url(site, serve_dir):
    """The sample site over HTTP (404.html and the search index load as they do on a server)."""
    return serve_dir(site) + "/"


def _is_traditional(text: str) -> bool:
    return sum(ch in TRADITIONAL_ONLY for ch in text) > 50


def page_kinds(site: Path) -> dict[str, str]:
    """One page per kind of the built site: each top-level page is a kind of its own; pages
    in folders are one kind per folder and depth (the first in name order). Policies add a
    page per state on the build date (from catalogue.json) and one written in Traditional
    Chinese; the search page adds a results page."""
    kinds: dict[str, str] = {}
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    for p in catalogue["policies"]:
        kinds.setdefault(f"policy ({p['state']})", p["url"])
        if _is_traditional((site / p["url"]).read_text(encoding="utf-8")):
            kinds.setdefault("policy (Traditional)", p["url"])
    kinds["policy (active, with a flowchart)"] = next(
        p["url"] for p in catalogue["policies"] if p["state"] == "active" and
        'class="flow-svg"' in (site / p["url"]).read_text(encoding="utf-8"))
    for path in sorted(site.rglob("*.html")):  # (folder kinds: policies/*, versions/*/*, …)
        rel = path.relative_to(site).as_posix()
        parts = rel.split("/")
        kind = parts[0] if len(parts) == 1 else "/".join([parts[0]] + ["*"] * (len(parts) - 1))
        kinds.setdefault(kind, rel)
    kinds["search.html (results)"] = f"search.html?q={QUERY}"
    seen: set[str] = set()
    return {k: rel for k, rel in kinds.items() if not (rel in seen or seen.add(rel))}


def test_the_site_has_every_kind_the_audit_needs(site):
    kinds = page_kinds(site)
    needed = {"index.html", "404.html", "search.html", "status.html", "matrix.html",
              "org.html", "compiled.html", "chapters/*", "departments/*",
              "policy (active)", "policy (retired)", "policy (pending)", "policy (overdue)",
              "policy (Traditional)"}
    assert needed <= set(kinds), needed - set(kinds)


def _axe(page) -> list[dict]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    # the compiled edition repeats every policy page's markup: its first chapter is
    # audited (a fifth of the time); the Nu checker reads all of it
    page.evaluate("document.querySelectorAll('.compiled-chapter ~ "
                  ".compiled-chapter').forEach(e => e.remove())")
    return page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id,
        impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))""", TAGS)


def _open_dropdown(page, box: str = "#hb-q") -> None:
    page.fill(box, QUERY)
    page.wait_for_selector("#hb-dd:not([hidden]) [role=option]")
    page.keyboard.press("ArrowDown")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_axe_finds_no_violation_on_any_page_kind(browser, site, site_url, viewport, scheme):
    _tool(AXE)
    w, h = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme,
                                  bypass_csp=True)  # to inject axe
    page = context.new_page()
    found: list[str] = []

    def audit(name: str) -> None:
        for v in _axe(page):
            found.append(f"{name} [{viewport}/{scheme}]: {v['id']} ({v['impact']}) "
                         f"x{len(v['nodes'])}: {v['help']} — {', '.join(v['nodes'][:3])}")

    for kind, rel in page_kinds(site).items():
        page.goto(site_url + rel)
        if rel.startswith("search.html"):
            page.wait_for_selector("#search-results[data-state=done]", state="attached")
        audit(kind)
    # the header search box with its dropdown open and an option chosen
    page.goto(site_url + "index.html")
    _open_dropdown(page)
    audit("index.html (dropdown open)")
    page.close()
    context.close()
    assert not found, f"{len(found)} axe violations:\n" + "\n".join(found)


def test_nu_html_checker_finds_no_error_in_any_page(site):
    _tool(VNU)
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: apt-get install -y default-jre-headless (make .venv/.browser does)")
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          "--skip-non-html", str(site)],
                         capture_output=True, text=True, timeout=120)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    checked = len(list(site.rglob("*.html")))
    assert checked > 50
    shown = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
             for m in messages]
    assert not messages, f"{len(messages)} Nu errors:\n" + "\n".join(shown[:40])


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_search_box_is_an_aria_combobox(desktop, site_url):
    page = desktop
    page.goto(site_url + "index.html")
    box = page.locator("#hb-q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("type") == "text"
    listbox = box.get_attribute("aria-controls")
    assert page.locator(f"#{listbox}").get_attribute("role") == "listbox"
    assert box.get_attribute("aria-expanded") == "false"
    _open_dropdown(page)  # types the query, then ArrowDown
    assert box.get_attribute("aria-expanded") == "true"
    options = page.locator(f"#{listbox} [role=option]")
    n = options.count()
    assert n >= 3 and page.locator("#hb-dd [role=option]").count() == n  # all in the listbox
    ids = [options.nth(i).get_attribute("id") for i in range(n)]
    assert len(set(ids)) == n and all(ids)
    # the chosen option is the active descendant, and the only one selected
    assert box.get_attribute("aria-activedescendant") == ids[0]
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == ids[1]
    assert [options.nth(i).get_attribute("aria-selected") for i in range(3)] == \
        ["false", "true", "false"]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == ids[-1]  # wraps round
    assert page.evaluate("document.activeElement.id") == "hb-q"  # focus stays in the box
    assert "项结果" in page.locator("#hb-dd-status").inner_text()  # announced
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert page.locator("#hb-dd").is_hidden()


def test_slash_focuses_the_one_search_box_of_the_page(desktop, site_url):
    page = desktop
    page.goto(site_url + "search.html")
    assert page.locator("input[name=q]").count() == 1  # no second box in the header
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "hb-page-q"
    page.goto(site_url + "policies/" + "gn-001.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "hb-q"


def test_the_slash_hint_shows_only_where_there_is_a_keyboard(browser, site_url, desktop):
    desktop.goto(site_url + "index.html")
    assert desktop.locator(".hb-key").is_visible()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    page = phone.new_page()
    page.goto(site_url + "index.html")
    assert "/" not in page.get_attribute("#hb-q", "placeholder")
    assert page.locator(".hb-key").is_hidden()
    phone.close()


# WCAG contrast ratio of two computed colours (rgb(…) strings), for page.evaluate
CONTRAST = """const lum = c => {
  const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => {
    v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const ratio = (a, b) => { const x = lum(a), y = lum(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_keyboard_focus_is_always_visible(browser, site_url, scheme):
    """Tabbing through a policy page: every focused element has an outline of 2px or more
    that keeps 3:1 against the page background."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "policies/op-005.html")
    seen, bad = set(), []
    for _ in range(40):
        page.keyboard.press("Tab")
        got = page.evaluate("(() => {" + CONTRAST + """return (() => {
          const e = document.activeElement, s = getComputedStyle(e);
          const bg = getComputedStyle(document.body).backgroundColor;
          return [e.outerHTML.slice(0, 80), s.outlineStyle, parseFloat(s.outlineWidth),
                  ratio(s.outlineColor, bg)];
        })(); })()""")
        seen.add(got[0])
        if got[1] == "none" or got[2] < 2 or got[3] < 3:
            bad.append(got)
    context.close()
    assert len(seen) >= 30 and not bad, bad


@pytest.mark.parametrize("scheme", SCHEMES)
def test_charts_are_readable_in_both_schemes(browser, site_url, scheme):
    """Every label of a flowchart and of the org chart keeps 4.5:1 against what is behind
    it (its box, or the page)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    bad = []
    for rel in ("policies/op-005.html", "org.html"):
        page.goto(site_url + rel)
        bad += page.evaluate("(() => {" + CONTRAST + """return (() => {
          const bg = getComputedStyle(document.body).backgroundColor, out = [];
          document.querySelectorAll('.flow-svg text, .org-svg text').forEach(t => {
            const b = t.getBBox(), cx = b.x + b.width / 2, cy = b.y + b.height / 2;
            let under = bg;
            for (let s = t.previousElementSibling; s; s = s.previousElementSibling) {
              if (s.tagName !== 'rect' && s.tagName !== 'polygon') continue;
              const r = s.getBBox();
              if (cx > r.x && cx < r.x + r.width && cy > r.y && cy < r.y + r.height) {
                under = getComputedStyle(s).fill; break; }
            }
            const c = ratio(getComputedStyle(t).fill, under);
            if (c < 4.5) out.push([t.textContent, c.toFixed(2)]);
          });
          const n = document.querySelectorAll('.flow-svg text, .org-svg text').length;
          return n ? out : [['no chart text']];
        })(); })()""")
    context.close()
    assert not bad, bad


def test_each_policy_is_marked_with_its_language(desktop, site_url, site):
    kinds = page_kinds(site)
    desktop.goto(site_url + kinds["policy (Traditional)"])
    assert desktop.get_attribute("article.policy", "lang") == "zh-Hant"
    traditional_id = kinds["policy (Traditional)"].split("/")[-1][:-len(".html")]
    desktop.goto(site_url + kinds["policy (active)"])
    assert desktop.get_attribute("article.policy", "lang") is None
    assert desktop.get_attribute("html", "lang") == "zh-CN"
    desktop.goto(site_url + "compiled.html")  # the compiled edition marks the same article
    assert desktop.locator("article[lang]").evaluate_all("a => a.map(e => [e.id, e.lang])") == \
        [[traditional_id, "zh-Hant"]]


def test_links_in_running_text_are_underlined(desktop, site_url, site):
    """Not by colour alone (axe also accepts a link whose only difference is, say, its
    underline offset: this asserts the underline itself), citations included."""
    kinds = page_kinds(site)
    plain = []
    for rel in (kinds["policy (active, with a flowchart)"], kinds["chapters/*"], "index.html"):
        desktop.goto(site_url + rel)
        links = desktop.evaluate("""Array.from(document.querySelectorAll(
            'main p a[href], main li a[href], main td a[href], main dd a[href]'))
          .filter(a => !a.closest('.toc, nav, .hb-dd, .copy-link') && a.textContent.trim())
          .map(a => [a.textContent.trim(), a.className,
                     getComputedStyle(a).textDecorationLine.includes('underline')])""")
        assert len(links) >= 5, rel
        plain += [(rel, *link[:2]) for link in links if not link[2]]
    assert not plain, plain
    desktop.goto(site_url + kinds["policy (active, with a flowchart)"])
    assert desktop.locator(".policy-body a.xref").count() >= 3
