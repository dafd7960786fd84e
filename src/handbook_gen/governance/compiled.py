"""The compiled edition (制度汇编): one printable page with a cover, a numbered table of
contents and every policy in force, in chapter order.

Each policy's body is rendered for the compiled page and then scoped: its element ids
get the policy's prefix (``op-005--a3``) so nothing collides, in-page links follow, and
links to another policy in the edition become links inside the page. Headings move
down two levels (the page's own h1/h2/h3 are the cover, the 篇 and the policy titles).
Print rules (page breaks per policy, running header with the handbook title, page
numbers) are a small generated stylesheet, ``static/compiled-print.css``: the title
cannot be written into the page itself because the CSP forbids inline styles. The
contents carry an empty page-number slot per chapter and policy, which ``handbook pdf``
(build/pdf.py) fills with the pages of a first print (``fill_toc_pages``).
"""
from __future__ import annotations

import re

from handbook_gen.governance.flows import flow_html
from handbook_gen.assemble.lifecycle import Lifecycle
from handbook_gen.core.model import Handbook, Policy
from handbook_gen.core.numerals import to_chinese
from handbook_gen.core.urls import policy_url
from handbook_gen.assemble.resolve import LinkTable
from handbook_gen.markdown.placeholders import fill, fill_flows

PAGE = "compiled.html"
PRINT_CSS = "static/compiled-print.css"
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_TOC_PAGE = re.compile(r'(<span class="toc-page" data-page-of=")([^"]*)(">)[^<]*(</span>)')


def policy_anchor(pid: str) -> str:
    return pid.lower()


def scope_ids(html: str, prefix: str, local: dict[str, str]) -> str:
    """Prefix every id in `html` with `prefix`; rewrite fragment links to match, and links
    to pages of the edition (`local`: page path -> anchor) into in-page links."""
    def href(url: str) -> str | None:
        if url.startswith("#"):
            return f"#{prefix}{url[1:]}"
        path, _, fragment = url.partition("#")
        anchor = local.get(path)
        if anchor is None:
            return None
        return f"#{anchor}{'--' + fragment if fragment else ''}"
    return _attributes(_attributes(html, 'id="', lambda value: prefix + value), 'href="', href)


def _attributes(html: str, head: str, rewrite) -> str:
    """`html` with the value of each attribute `head` (``id="``) that follows whitespace
    replaced by ``rewrite(value)`` (kept when that is None): ``re.sub(r'(\\sid=")([^"]*)(")',
    …)`` exactly, found with str.find, which is several times faster than a pattern that
    starts with a character class over a page of all the policies."""
    out, done, n = [], 0, len(head)
    i = html.find(head, 1)
    while i >= 0:
        if not html[i - 1].isspace():
            i = html.find(head, i + 1)
            continue
        end = html.find('"', i + n)
        if end < 0:
            break
        new = rewrite(html[i + n:end])
        if new is not None:
            out += (html[done:i + n], new)
            done = end
        i = html.find(head, end + 1)
    out.append(html[done:])
    return "".join(out)


def shift_headings(html: str, by: int = 2) -> str:
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + by, 6)}", html)


def edition(hb: Handbook, table: LinkTable, life: Lifecycle, shown_ids: set[str],
            langs: dict[str, str]) -> dict:
    """Template context: the chapters with their policies in force, bodies ready; `langs`
    gives each shown policy's language (render.state)."""
    included = [pid for ch in hb.chapters for pid in ch.policy_ids
                if pid in shown_ids and life.state(pid).in_force]
    local = {policy_url(pid): policy_anchor(pid) for pid in included}
    chapters, number = [], 0
    for ch in hb.chapters:
        policies = []
        for pid in ch.policy_ids:
            if pid not in included:
                continue
            number += 1
            policies.append(_policy(hb, table, hb.policies[pid], number, local, langs[pid]))
        if not policies:
            continue
        intro = fill(ch.body.html, table.links.get(ch.path, []), PAGE)
        intro = fill_flows(intro, ch.body.flows, flow_html, hb.departments, PAGE)
        anchor = f"chapter--{ch.id}"
        chapters.append({"number": f"第{to_chinese(len(chapters) + 1)}篇", "title": ch.title,
                         "anchor": anchor,
                         "intro": shift_headings(scope_ids(intro, anchor + "--", local)),
                         "policies": policies})
    return {"chapters": chapters, "count": number}


def _policy(hb: Handbook, table: LinkTable, p: Policy, number: int,
            local: dict[str, str], lang: str) -> dict:
    anchor = policy_anchor(p.id)
    body = fill(p.body.html, table.links.get(p.path, []), PAGE)
    body = fill_flows(body, p.body.flows, flow_html, hb.departments, PAGE)
    owner = hb.departments.get(p.meta.owner)
    return {"number": number, "id": p.id, "title": p.title, "anchor": anchor, "meta": p.meta,
            "lang": lang,
            "owner": owner.name if owner else p.meta.owner,
            "body": shift_headings(scope_ids(body, anchor + "--", local))}


def _css_string(text: str) -> str:
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\{ord(m[0]):x} ", out)


def print_css(title: str) -> bytes:
    """Page setup for printing the compiled edition: A4, running header, page numbers."""
    return f"""/* generated by handbook-gen for compiled.html: page setup when printing */
@page {{
  size: A4;
  margin: 20mm 18mm 18mm;
  @top-center {{ content: "{_css_string(title)}"; font-size: 9pt; color: #57606a; }}
  @bottom-center {{ content: "第 " counter(page) " 页"; font-size: 9pt; color: #57606a; }}
}}
@page :first {{
  @top-center {{ content: none; }}
  @bottom-center {{ content: none; }}
}}
""".encode("utf-8")


def toc_anchors(html: str) -> list[str]:
    """The anchors whose page numbers the contents of compiled.html show, in order."""
    return [m[2] for m in _TOC_PAGE.finditer(html)]


def fill_toc_pages(html: str, pages: dict[str, int]) -> str:
    """compiled.html with each contents entry's page number (1 = the cover) filled in."""
    return _TOC_PAGE.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{pages.get(m[2], '')}{m[4]}", html)
