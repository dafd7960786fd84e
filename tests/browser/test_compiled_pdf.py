"""Governance pages in headless Chromium: the compiled edition printed to PDF by `handbook
pdf` (build/pdf.py: one policy per page, page numbers in the 目录, bookmarks for chapters
and policies, no thin pages, flows that bind, running header), and the status, matrix,
org chart and flow pages rendering cleanly on a phone and a desktop.

PDF text is compared after NFKC folding: with Noto CJK, Chromium's PDF maps some
characters to their Kangxi radical code points (⾄ for 至, ⼀ for 一)."""
from __future__ import annotations

import datetime as _dt
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from handbook_gen.build.pdf import compiled_pdf
from handbook_gen.build.pipeline import BuildOptions

PAGES = ["status.html", "matrix.html", "org.html", "policies/op-005.html", "compiled.html"]
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
POLICIES = Path(__file__).resolve().parents[2] / "policies"
TITLE = "华衡科技有限公司运营管理制度汇编"
# 《采购管理办法》第一条, as written in policies/03-operations/procurement.md
KNOWN_ARTICLE = "第一条为规范采购行为，降低采购成本，保证所购货物和服务的质量"
MIN_CHARS = 200
_TOC_POLICY = re.compile(r"^\s*(\d+)\.\s*《(.+?)》\s+([A-Z][A-Z0-9-]*)\s+(\d+)\s*$")
_TOC_CHAPTER = re.compile(r"^\s*(第\S+篇)\s+(.+?)\s+(\d+)\s*$")


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


def fold(text: str) -> str:
    """NFKC: the same text whichever CJK font printed it."""
    return unicodedata.normalize("NFKC", text)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The sample handbook's compiled.pdf as `handbook pdf` writes it: its reader, each
    page's folded text without whitespace, the contents' entries and where each policy
    and chapter really starts."""
    if not _has_cjk_font():
        pytest.fail("no Chinese font for Chromium: apt-get install -y fonts-wqy-microhei")
    out = tmp_path_factory.mktemp("pdf") / "compiled.pdf"
    result, count = compiled_pdf(POLICIES, out, BuildOptions(today=_dt.date(2026, 12, 3)))
    assert result.ok and count > 0
    reader = PdfReader(out)
    texts = [flat(p.extract_text()) for p in reader.pages]
    toc_page = next(i for i, t in enumerate(texts) if t.startswith(TITLE) and "目录" in t[:40])
    toc, chapters = [], []
    for i in range(toc_page, len(texts)):
        lines = fold(reader.pages[i].extract_text(extraction_mode="layout")).splitlines()
        entries = [m.groups() for m in map(_TOC_POLICY.match, lines) if m]
        heads = [m.groups() for m in map(_TOC_CHAPTER.match, lines) if m]
        if not entries and not heads:
            break
        toc += [(title, pid, int(page)) for _n, title, pid, page in entries]
        chapters += [(f"{no}{title}", int(page)) for no, title, page in heads]
    starts = {pid: next((i + 1 for i, t in enumerate(texts) if f"制度编号{pid}·" in t), None)
              for _t, pid, _p in toc}
    return reader, texts, toc, chapters, starts, toc_page


def test_fold_reads_kangxi_radicals_as_the_characters():
    assert flat("⾄ ⼀") == "至一"


def test_page_count_is_plausible(edition):
    _reader, texts, toc, _chapters, _starts, _toc_page = edition
    assert len(toc) >= 30
    # a cover, the contents, then at least one page per policy, and not absurdly many
    assert len(toc) + 2 <= len(texts) <= 8 * len(toc), len(texts)


def test_every_policy_starts_a_new_page(edition):
    _reader, texts, toc, _chapters, starts, _toc_page = edition
    first_pages = [starts[pid] for _t, pid, _p in toc]
    assert None not in first_pages, "every policy of the contents is in the PDF"
    assert first_pages == sorted(set(first_pages)), "one policy per page, in chapter order"


def test_contents_carry_the_right_page_numbers(edition):
    _reader, texts, toc, chapters, starts, _toc_page = edition
    assert [(pid, page) for _t, pid, page in toc] == [(pid, starts[pid]) for _t, pid, _p in toc]
    assert len(chapters) == 7
    for name, page in chapters:  # a 篇 starts on the page of its first policy
        assert name in texts[page - 1] and page in starts.values(), (name, page)


def test_bookmarks_for_chapters_and_policies(edition):
    reader, _texts, toc, chapters, starts, _toc_page = edition

    def walk(items, depth, out):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1, out)
            else:
                out.append((depth, fold(item.title).replace(" ", ""),
                            reader.get_destination_page_number(item) + 1))
        return out
    marks = walk(reader.outline, 0, [])
    assert (0, TITLE, 1) in marks  # the cover
    for name, page in chapters:
        assert (1, name, page) in marks, name
    for title, pid, page in toc:
        assert (2, title, starts[pid]) in marks, title
    # a policy's bookmark sits under its chapter's
    depths = [d for d, title, _p in marks if title in {t for t, _i, _p in toc}]
    assert set(depths) == {2}


def test_no_thin_pages_but_the_cover_and_section_ends(edition):
    _reader, texts, _toc, chapters, starts, toc_page = edition
    first_pages = set(starts.values()) | {page for _n, page in chapters}
    section_ends = {p - 1 for p in first_pages} | {len(texts)}
    thin = [(i + 1, len(t)) for i, t in enumerate(texts)
            if len(t) < MIN_CHARS and i + 1 != 1 and i + 1 not in section_ends]
    assert thin == [], thin


def test_flows_bind_lead_in_chart_and_table(edition):
    _reader, texts, *_ = edition
    charts = [t for t in texts if "流程图:" in t]
    assert len(charts) >= 5
    for t in charts:
        lead_in = t[:t.index("流程图:")]
        assert lead_in.endswith(":"), lead_in[-40:]  # e.g. 第四条采购按下列流程办理：
        assert "责任部门" in t[t.index("流程图:"):], "the step table starts on the chart's page"


def test_known_article_text_and_running_header(edition):
    _reader, texts, *_ = edition
    assert any(flat(KNOWN_ARTICLE) in t for t in texts)
    assert TITLE in texts[0]  # the cover
    assert "第1页" not in texts[0], "no header or page number on the cover"
    assert all(t.startswith(TITLE) for t in texts[1:5])
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
