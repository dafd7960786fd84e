"""The built sample site: every internal link and anchor resolves, every page carries the
CSP, and nothing loads from outside or runs inline."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from handbook_gen.build.pipeline import BuildOptions, build

POLICIES = Path(__file__).resolve().parents[2] / "policies"


class PageScan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.resources, self.problems = set(), [], [], []
        self.csp = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "style" in a:
            self.problems.append(f"style= on <{tag}>")
        if any(k.startswith("on") for k in a):
            self.problems.append(f"event handler on <{tag}>")
        if tag == "script" and "src" not in a:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = "default-src 'none'" in a.get("content", "")
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        for attr in ("src", "href"):
            if tag in ("script", "link", "img", "iframe") and attr in a:
                self.resources.append(a[attr])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    result = build(POLICIES, out, BuildOptions())
    assert result.ok
    return out


def scan(path: Path) -> PageScan:
    s = PageScan()
    s.feed(path.read_text("utf-8"))
    return s


def test_every_link_and_anchor_resolves(site):
    pages = {p.relative_to(site).as_posix(): scan(p) for p in site.rglob("*.html")}
    broken = []
    for name, page in pages.items():
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto", "tel"):
                continue
            assert not parts.scheme and not parts.netloc, f"{name}: {href}"
            target = (Path(name).parent / unquote(parts.path)).as_posix() if parts.path else name
            target = re.sub(r"[^/]+/\.\./", "", target)
            if target not in pages:
                if not target.endswith(".html") and (site / target).is_file():
                    continue  # a data file such as catalogue.json
                broken.append(f"{name}: {href}")
            elif parts.fragment and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{name}: {href} (no such anchor)")
    assert broken == []
    assert len(pages) > 60


def test_csp_no_inline_code_no_external_resources(site):
    for path in site.rglob("*.html"):
        page = scan(path)
        assert page.csp, path
        assert page.problems == [], (path, page.problems)
        for res in page.resources:
            assert not urlsplit(res).scheme and not res.startswith("//"), (path, res)


def test_no_source_or_build_machine_leaks(site):
    names = {p.name for p in site.rglob("*")}
    assert not any(n.endswith((".md", ".yaml", "~", ".swp")) or n == ".git" for n in names)
    text = "".join(p.read_text("utf-8") for p in site.rglob("*.html"))
    assert str(POLICIES.parent) not in text and "/tmp/" not in text
    assert "<!--" not in text


# These tests quote the English messages; english_output also checks each has its Chinese.
pytestmark = pytest.mark.usefixtures("english_output")
