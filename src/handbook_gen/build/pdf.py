"""``handbook pdf``: the compiled edition (制度汇编) as one bound PDF, with the page of
every chapter and policy in its 目录 and bookmarks for the chapters, policies and their
章/节.

The handbook is built into a temporary folder (no search index, no history: the edition
shows neither) and headless Chromium prints ``compiled.html`` with the print rules the
browser's own "print" uses, so the PDF and a reader's Ctrl+P agree. Chromium cannot
number pages in the contents itself (no CSS ``target-counter``), so it prints twice: the
first print's named destinations (one per element id that a link targets) say on which
page each contents entry starts; those numbers are written into the contents
(compiled.fill_toc_pages) and the page is printed again. The slots have a fixed width,
so the numbers do not move anything; should they, another pass follows (at most
``MAX_PASSES``). ``--generate-pdf-document-outline`` turns the headings into bookmarks.

Needs Chromium (``CHROMIUM``, else ``chromium`` or ``google-chrome`` on PATH) and pypdf
(the ``pdf`` extra) to read the first print; either missing is an environment failure
(exit 3) with one line saying what to install. The PDF is written next to its final
name and renamed into place, so a reader never sees half a file.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from handbook_gen.build.pipeline import BuildOptions, BuildResult, build
from handbook_gen.core.diagnostics import TemplateError
from handbook_gen.governance import compiled

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT = 300
MAX_PASSES = 3
PRINTED = "compiled-print.html"
"""The contents-numbered copy of compiled.html printed by the second pass (beside it in
the temporary site, so its relative links hold)."""


class PdfUnavailable(TemplateError):
    """Chromium or pypdf is missing, or Chromium failed: the environment (exit 3)."""


def find_chromium() -> str | None:
    """The browser to print with: $CHROMIUM, else the first of CHROMIUM_NAMES on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_page(chromium: str, page: Path, profile: Path) -> bytes:
    """`page` printed by headless Chromium (A4 and margins from the page's @page rules,
    no browser header or footer, headings as bookmarks)."""
    target = profile / "print.pdf"
    args = [chromium, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile / 'profile'}", "--no-pdf-header-footer",
            "--generate-pdf-document-outline", f"--print-to-pdf={target}", page.as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    try:
        proc = subprocess.run(args, capture_output=True, timeout=PRINT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise PdfUnavailable("Chromium did not finish printing within {seconds} s",
                             seconds=PRINT_TIMEOUT) from None
    if proc.returncode != 0 or not target.is_file():
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PdfUnavailable("Chromium failed to print ({detail})",
                             detail=lines[-1][:200] if lines else f"exit {proc.returncode}")
    data = target.read_bytes()
    target.unlink()
    return data


def start_pages(pdf: bytes, anchors: list[str]) -> dict[str, int]:
    """The page (1 = the first) each of `anchors` starts on, from the PDF's named
    destinations; anchors without one are left out."""
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf))
    named = reader.named_destinations
    pages = {}
    for anchor in anchors:
        dest = named.get("/" + anchor) or named.get(anchor)
        if dest is not None:
            pages[anchor] = reader.get_destination_page_number(dest) + 1
    return pages


def compiled_pdf(src: Path, out: Path, options: BuildOptions) -> tuple[BuildResult, int]:
    """Build `src` and write its compiled edition to `out`; (the build's result, the
    number of pages; 0 when the build failed and nothing was written)."""
    chromium = find_chromium()
    if chromium is None:
        raise PdfUnavailable("Chromium is needed to print the PDF: install it (apt-get install "
                             "chromium) or set CHROMIUM to the browser's path")
    try:
        import pypdf  # noqa: F401 - checked before the build, used by start_pages
    except ImportError:
        raise PdfUnavailable("reading the first print needs pypdf: pip install "
                             "'handbook-gen[pdf]'") from None
    with tempfile.TemporaryDirectory(prefix="handbook-pdf-") as tmp:
        work = Path(tmp)
        site = work / "site"
        options.search, options.history = False, False
        result = build(src, site, options)
        if not result.ok:
            return result, 0
        html = (site / compiled.PAGE).read_text("utf-8")
        anchors = compiled.toc_anchors(html)
        pdf = print_page(chromium, site / compiled.PAGE, work)
        pages: dict[str, int] = {}
        for _ in range(MAX_PASSES):
            found = start_pages(pdf, anchors)
            if found == pages:
                break
            pages = found
            (site / PRINTED).write_text(compiled.fill_toc_pages(html, pages), "utf-8")
            pdf = print_page(chromium, site / PRINTED, work)
        from pypdf import PdfReader
        count = len(PdfReader(io.BytesIO(pdf)).pages)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(pdf)
    os.replace(partial, out)
    return result, count
