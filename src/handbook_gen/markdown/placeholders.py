"""Placeholders: the marks parsing leaves in a body's HTML and text for what only the
whole handbook knows, and their filling. The one home of both.

Parsing runs per file (in worker processes, cached by content hash), so it cannot know
a reference's target, an article's "cited by" list or a department's name. It writes a
placeholder instead, and the later stages fill it in:

- ``REF_OPEN N REF_CLOSE``: the N-th Ref of the body (a ``[[…]]`` reference, a prose
  citation, a ``.md`` link's URL), filled with its Link by ``fill`` (HTML) and
  ``fill_text`` (search, summaries) once references are resolved;
- ``SLOT_OPEN N SLOT_CLOSE``: the end of article N (``120_1`` for 第一百二十条之一), where
  ``fill`` puts its "cited by" list;
- ``FLOW_OPEN N FLOW_CLOSE``: the N-th ```` ```flow ```` figure, filled by ``fill_flows``
  when the page is rendered (departments need the registry).

The marks are Unicode noncharacters, "never for interchange": source.reader replaces any
found in input with U+FFFD (HB002), so text (private-use characters included) can never
collide with them.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape
from typing import NamedTuple

from handbook_gen.core.numerals import number_key
from handbook_gen.core.urls import relative

REF_OPEN, REF_CLOSE = "\ufdd0", "\ufdd1"
SLOT_OPEN, SLOT_CLOSE = "\ufdd2", "\ufdd3"
FLOW_OPEN, FLOW_CLOSE = "\ufdd4", "\ufdd5"

_REF_OR_SLOT = re.compile(f"{REF_OPEN}(\\d+){REF_CLOSE}|{SLOT_OPEN}(\\d+(?:_\\d+)?){SLOT_CLOSE}")
_REF = re.compile(f"{REF_OPEN}(\\d+){REF_CLOSE}")
_SLOT = re.compile(f"{SLOT_OPEN}(\\d+(?:_\\d+)?){SLOT_CLOSE}")
_FLOW = re.compile(f"{FLOW_OPEN}(\\d+){FLOW_CLOSE}")


def ref_mark(n: int) -> str:
    return f"{REF_OPEN}{n}{REF_CLOSE}"


def slot_mark(article: int) -> str:
    return f"{SLOT_OPEN}{number_key(article)}{SLOT_CLOSE}"


def flow_mark(n: int) -> str:
    return f"{FLOW_OPEN}{n}{FLOW_CLOSE}"


class Link(NamedTuple):
    """How one reference renders (a NamedTuple: hundreds of thousands are made per build)."""

    text: str
    """Plain link text, e.g. 《质量管理制度》第五条."""
    url: str | None
    """Site-relative target with fragment; None renders plain text."""
    css: str = "xref"
    title: str | None = None
    bare_url: bool = False
    """True for a Markdown link's href: fill emits the URL only."""


def fill_text(text: str, links: list[Link]) -> str:
    """Plain text (search, summaries) with each reference replaced by its link text."""
    if REF_OPEN not in text and SLOT_OPEN not in text:
        return text  # most articles cite nothing
    return _REF_OR_SLOT.sub(lambda m: links[int(m.group(1))].text if m.group(1) else "", text)


def fill(html: str, links: list[Link], page: str, slots: dict[int, str] | None = None) -> str:
    """Replace a body's references with links relative to `page`, and article slots
    with their "cited by" HTML (or nothing)."""
    # slots first, without a Python call per article when none is cited (their HTML and
    # the links' never hold a placeholder, so the order does not matter)
    if slots:
        by_key = {number_key(n): text for n, text in slots.items()}
        html = _SLOT.sub(lambda m: by_key.get(m.group(1), ""), html)
    else:
        html = _SLOT.sub("", html)

    def repl(m: re.Match) -> str:
        link = links[int(m.group(1))]
        if link.bare_url:
            return escape(relative(link.url, page)) if link.url else ""
        if link.url is None:
            css = f' class="{link.css}"' if link.css else ""
            return f"<span{css}>{escape(link.text)}</span>" if css else escape(link.text)
        title = f' title="{escape(link.title)}"' if link.title else ""
        return (f'<a class="{link.css}" href="{escape(relative(link.url, page))}"{title}>'
                f"{escape(link.text)}</a>")
    return _REF.sub(repl, html)


def fill_flows(html: str, flows: Sequence, figure: Callable[..., str], *args) -> str:
    """Replace a body's flow placeholders with ``figure(flow, *args)`` of their flows
    (governance.flows.flow_html draws them)."""
    if FLOW_OPEN not in html:
        return html
    return _FLOW.sub(lambda m: figure(flows[int(m.group(1))], *args), html)
