"""Parse one source file into a Document: front matter + Markdown body.

Pure: (path, bytes) in, Document out, so it runs in worker processes and its result
can be cached by content hash.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from handbook_gen.core.diagnostics import Diagnostic, Diagnostics, Location
from handbook_gen.source.frontmatter import parse_chapter_meta, parse_policy_meta, split
from handbook_gen.markdown.parser import parse_body
from handbook_gen.core.model import ChapterMeta, ParsedBody, PolicyMeta
from handbook_gen.source.reader import decode

CHAPTER_FILE = "_chapter.md"
_ORDER_PREFIX = re.compile(r"^(\d+)[-_]?")


@dataclass(frozen=True)
class Document:
    path: str
    kind: str
    """``policy`` or ``chapter``."""
    meta: PolicyMeta | ChapterMeta | None
    body: ParsedBody | None
    diagnostics: tuple[Diagnostic, ...]


def chapter_folder_info(folder: str) -> tuple[str, int]:
    """'04-quality' -> ('quality', 4); a folder without a number prefix orders as 0."""
    m = _ORDER_PREFIX.match(folder)
    slug = folder[m.end():] if m and m.end() < len(folder) else folder
    return slug, int(m[1]) if m else 0


def parse_document(path: str, data: bytes) -> Document:
    diags = Diagnostics()
    kind = "chapter" if path.endswith("/" + CHAPTER_FILE) else "policy"
    src = decode(path, data, diags)
    meta = body = None
    if src is not None:
        parts = split(src, diags)
        if parts is not None:
            yaml_text, text, offset = parts
            if kind == "chapter":
                folder = path.split("/")[-2]
                slug, order = chapter_folder_info(folder)
                meta = parse_chapter_meta(src, yaml_text, order, slug, diags)
            elif yaml_text is None:
                diags.add("HB113", "policy has no front matter",
                          Location(path, 1, 1), hint="start the file with a '---' block: id, "
                          "title, owner, status, effective, version")
            else:
                meta = parse_policy_meta(src, yaml_text, diags)
            if meta is not None:
                body = parse_body(src, text, offset, kind == "policy", diags)
    return Document(path, kind, meta, body, tuple(diags.items))
