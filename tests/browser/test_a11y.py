"""Accessibility of the sample site, WCAG 2.2 AA: axe-core finds no violation of any impact
on one page of every page kind (found in the built site, so a kind added later is covered
without touching this file), on a desktop and a phone, in light and dark colour schemes,
with the search dropdown closed and open; the Nu HTML checker finds no error in any page.
Also the search combobox's keyboard and ARIA behaviour, `/`, visible focus, each policy's
`lang`, and readable flowcharts and org chart in both schemes.

axe-core and vnu.jar come from tests/browser/package.json (npm ci); vnu needs Java."""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(sample_site):
    """The sample site over HTTP (404.html and the search index load as they do on a server)."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(sample_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _is_traditional(text: str) -> bool:
    return sum(ch in TRADITIONAL_ONLY for ch in text) > 50


def page_kinds(site: Path) -> dict[str, str]:
    """One page per kind of the built site: each top-level page is a kind of its own; pages
    in folders are one kind per folder and depth (the first in name order). Policies add a
    page per state on the build date (from catalogue.json) and one written in Traditional
    Chinese; the search page adds a results page."""
    kinds: dict[str, str] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        parts = rel.split("/")
        kind = parts[0] if len(parts) == 1 else "/".join([parts[0]] + ["*"] * (len(parts) - 1))
        kinds.setdefault(kind, rel)
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    for p in catalogue["policies"]:
        kinds.setdefault(f"policy ({p['state']})", p["url"])
        if _is_traditional((site / p["url"]).read_text(encoding="utf-8")):
            kinds.setdefault("policy (Traditional)", p["url"])
    with_flow = next(p["url"] for p in catalogue["policies"] if p["state"] == "active" and
                     'class="flow-svg"' in (site / p["url"]).read_text(encoding="utf-8"))
    kinds["policy (active, with a flowchart)"] = with_flow
    kinds["search.html (results)"] = f"search.html?q={QUERY}"
    return kinds


def test_the_sample_site_has_every_kind_the_audit_needs(sample_site):
    kinds = page_kinds(sample_site)
    needed = {"index.html", "404.html", "search.html", "status.html", "matrix.html",
              "org.html", "compiled.html", "chapters/*", "departments/*", "policies/*",
              "policy (active)", "policy (retired)", "policy (pending)", "policy (overdue)",
              "policy (Traditional)"}
    assert needed <= set(kinds), needed - set(kinds)


def _axe(page) -> list[dict]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id,
        impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))""", TAGS)


def _open_dropdown(page, box: str = "#hb-q") -> None:
    page.fill(box, QUERY)
    page.wait_for_selector("#hb-dd:not([hidden]) [role=option]")
    page.keyboard.press("ArrowDown")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_axe_finds_no_violation_on_any_page_kind(browser, sample_site, site_url, viewport, scheme):
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

    for kind, rel in page_kinds(sample_site).items():
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


def test_nu_html_checker_finds_no_error_in_any_page(sample_site):
    _tool(VNU)
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: apt-get install -y default-jre-headless (make .venv/.browser does)")
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          "--skip-non-html", str(sample_site)],
                         capture_output=True, text=True, timeout=120)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    checked = len(list(sample_site.rglob("*.html")))
    assert checked > 50
    shown = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
             for m in messages]
    assert not messages, f"{len(messages)} Nu errors:\n" + "\n".join(shown[:40])
