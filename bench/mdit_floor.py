#!/usr/bin/env python3
"""The floor under any markdown-it-py-based generator: render every Markdown body of a
corpus to HTML with plain markdown-it-py (CommonMark + tables, nothing else: no front
matter, no plugins, no templates, no output files), on every core, with the cyclic
garbage collector off. run_bench.py times this as a whole process beside the real
tools, so the ratio to Hugo shows what part of a gap is the Markdown library itself.

    python bench/mdit_floor.py CORPUS_DIR
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from pathlib import Path

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark").enable("table")


def render(path: str) -> int:
    text = Path(path).read_text("utf-8")
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[-1]
    return len(_MD.render(text))


def main() -> None:
    gc.disable()
    files = sorted(str(p) for p in Path(sys.argv[1]).rglob("*.md"))
    workers = os.cpu_count() or 1
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        total = sum(pool.map(render, files, chunksize=max(1, len(files) // (workers * 8))))
    print(f"{len(files)} files, {total} characters of HTML")


if __name__ == "__main__":
    main()
