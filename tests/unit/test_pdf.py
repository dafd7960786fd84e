"""`handbook pdf` without a browser: the contents' page slots, base_url's path, and the
command's refusals and environment failures (exit 2 and 3, one line in Chinese). The PDF
itself is tested in tests/browser/test_compiled_pdf.py."""
from __future__ import annotations

import pytest
from helpers import policy

from handbook_gen.core.urls import base_path
from handbook_gen.governance.compiled import fill_toc_pages, toc_anchors

TOC = ('<li class="toc-line"><a href="#gn-001">《总则》</a><span class="toc-fill"></span>'
       '<span class="toc-page" data-page-of="gn-001"></span></li>'
       '<li><span class="toc-page" data-page-of="chapter--hr"></span></li>')


def test_contents_slots_are_found_and_filled():
    assert toc_anchors(TOC) == ["gn-001", "chapter--hr"]
    filled = fill_toc_pages(TOC, {"gn-001": 4, "chapter--hr": 118})
    assert 'data-page-of="gn-001">4</span>' in filled
    assert 'data-page-of="chapter--hr">118</span>' in filled
    # filling again replaces the numbers; an anchor without a page is left empty
    again = fill_toc_pages(filled, {"gn-001": 5})
    assert 'data-page-of="gn-001">5</span>' in again and 'data-page-of="chapter--hr"></span>' in again


@pytest.mark.parametrize("url,path", [
    (None, None), ("", None),
    ("https://intranet.example/handbook/", "/handbook/"),
    ("https://intranet.example/handbook", "/handbook/"),
    ("http://h.example", "/"), ("/intranet/handbook", "/intranet/handbook/"),
    ("https://h.example/a/b/?x=1#y", "/a/b/"),
])
def test_base_path_is_the_path_of_base_url(url, path):
    assert base_path(url) == path


def test_pdf_refuses_an_output_inside_the_sources(project):
    project.write("01-general/a.md", policy("GN-001"))
    result = project.run("pdf", str(project.src), "--out", str(project.src / "x.pdf"))
    assert result.exit_code == 2
    assert "拒绝把 PDF 写到" in result.output and not (project.src / "x.pdf").exists()


def test_pdf_without_chromium_says_what_to_install(project, monkeypatch):
    project.write("01-general/a.md", policy("GN-001"))
    monkeypatch.setenv("CHROMIUM", str(project.base / "no-such-browser"))
    out = project.base / "compiled.pdf"
    result = project.run("pdf", str(project.src), "--out", str(out))
    assert result.exit_code == 3 and not out.exists()
    assert "生成 PDF 需要 Chromium" in result.output and "apt-get install chromium" in result.output
    assert len(result.output.strip().splitlines()) == 1
