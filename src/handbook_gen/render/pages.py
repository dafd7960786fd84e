"""The core page kinds: home page, chapters, policies, departments, 404 and the search
page, with the contexts they are rendered from."""
from __future__ import annotations

import re
from html import escape
from operator import itemgetter

from markupsafe import Markup, escape as markup_escape

from handbook_gen.assemble.resolve import Citation
from handbook_gen.markdown.placeholders import fill, fill_text
from handbook_gen.core.model import ParsedBody
from handbook_gen.core.numerals import article_name
from handbook_gen.core.urls import base_path, chapter_url, department_url, policy_url, relative
from handbook_gen.render.kinds import PageKind
from handbook_gen.render.memo import Derived
from handbook_gen.render.state import RenderState

RECENT_COUNT = 10


def _index(s: RenderState, task) -> dict:
    return {"page_title": None, "chapters": s.nav.chapters, "recent": _recent(s)}


def _recent(s: RenderState) -> list[dict]:
    """Policies that took effect most recently (not those still to take effect)."""
    started = [p for p in s.shown if p.meta.effective <= s.life.today]
    ordered = sorted(started, key=lambda p: (p.meta.effective, p.id), reverse=True)
    return [s.summaries[p.id] for p in ordered[:RECENT_COUNT]]


def _chapter(s: RenderState, task) -> dict:
    ch = s.hb.chapter(task[1])
    intro = Derived(fill, ch.body.html, s.links(ch.path), chapter_url(ch.id))
    return {"page_title": ch.title, "chapter": s.nav.by_id[ch.id], "intro": intro,
            "current_chapter": ch.id}


def _policy(s: RenderState, task) -> dict:
    p = s.hb.policies[task[1]]
    page = policy_url(p.id)
    links, citations = s.links(p.path), s.cited_by(p.id)
    owner = s.hb.departments.get(p.meta.owner)
    prev, next_ = s.nav.neighbours[p.id]
    return {
        "policy": p, "meta": p.meta, "page_title": p.title,
        "lang": s.langs[p.id],
        "body": Derived(_filled_body, p.body.html, links, citations, page),
        "chapter": s.nav.chapter_link(p.chapter_id), "current_chapter": p.chapter_id,
        "owner": owner, "owner_url": department_url(owner.id) if owner else None,
        "toc": Derived(_toc, p.body, links), "prev": prev, "next": next_,
        "cited_by": Derived(_cited_by, citations),
        "supersedes": [x for x in (s.policy_link(t) for t, _ in p.meta.supersedes) if x],
        "related": [x for x in (s.policy_link(t) for t, _ in p.meta.related) if x],
    }


def _filled_body(html: str, links: list, citations: list[Citation], page: str) -> str:
    """The body with its references and 被引用 lines filled in."""
    return fill(html, links, page, _article_slots(citations, page))


def _toc(body: ParsedBody, links: list) -> Markup:
    """The items of the page's table of contents, one line each: headings with their
    articles nested under them (第一章 → 第一条 …), those of levels 1-3 and every
    编/分编/章/节 (a code's chapters and sections are deeper). Written here rather than by
    a template loop: a policy has dozens to hundreds of articles, each three values to
    escape (with markupsafe's escape, as the templates' autoescape)."""
    items = [(h.line, 0, h) for h in body.headings if h.level <= 3 or h.kind != "plain"]
    items += [(a.line, 1, a) for a in body.articles]
    entries: list[list[str]] = []  # per heading: its item's parts
    for _line, kind, item in sorted(items, key=itemgetter(0, 1)):
        if kind == 0:
            link = (f'<a href="#{_escape(item.anchor)}">{_escape(item.text)}</a>'
                    if item.anchor else "")
            entries.append([f'    <li class="toc-level-{item.level}">{link}'])
            continue
        if not entries:  # articles before the first heading
            entries.append(['    <li class="toc-level-2">'])
        entry = entries[-1]
        if len(entry) == 1:
            entry.append('      <ol class="toc-articles">\n')
        # (an article's name, 第N条 or 第N条之M, has nothing to escape)
        entry.append(f'<li><a href="#{_escape(item.anchor)}">{article_name(item.number)}</a> '
                     f'<span class="toc-summary">{_escape(_short(fill_text(item.text, links)))}'
                     '</span></li>\n')
    return Markup("\n".join("".join(e) + ("      </ol>\n" if len(e) > 1 else "") + "    </li>"
                             for e in entries))


_SPECIAL = re.compile("[&<>'\"]")


def _escape(text: str) -> str:
    """markupsafe's escape (what the templates' autoescape does), at once for the text
    with nothing to escape: anchors, article names and most summaries."""
    return markup_escape(text) if _SPECIAL.search(text) else text


def _article_slots(citations: list[Citation], page: str) -> dict[int, str]:
    """Per cited article, the 被引用 line shown under it."""
    by_article: dict[int, list[Citation]] = {}
    for c in citations:
        if c.target_article is not None:
            cites = by_article.setdefault(c.target_article, [])
            if all((x.source_id, x.source_article) != (c.source_id, c.source_article)
                   for x in cites):
                cites.append(c)
    slots = {}
    for number, cites in by_article.items():
        links = "、".join(
            f'<a href="{escape(relative(_cite_url(c), page))}">'
            f'{escape(_cite_text(c))}</a>' for c in cites)
        slots[number] = f'<p class="cited-by"><span>被引用：</span>{links}</p>\n'
    return slots


def _cited_by(citations: list[Citation]) -> list[dict]:
    entries: list[dict] = []
    for c in citations:
        entry = {"source": _cite_text(c), "url": _cite_url(c), "id": c.source_id,
                 "target": ("本制度" + article_name(c.target_article)) if c.target_article
                 else "本制度"}
        if entry not in entries:
            entries.append(entry)
    return entries


def _department(s: RenderState, task) -> dict:
    dept = s.hb.departments[task[1]]
    return {"page_title": dept.name, "dept": dept,
            "parent": s.hb.departments.get(dept.parent) if dept.parent else None,
            "children": s.dept_children.get(dept.id, []), "owned": s.owned.get(dept.id, []),
            "citing": [x for x in (s.policy_link(pid) for pid in
                                   s.table.dept_cited_by.get(dept.id, [])) if x],
            "department_url": department_url}


def _search(s: RenderState, task) -> dict:
    return {"page_title": "搜索", "chapters": s.nav.chapters,
            "departments": list(s.hb.departments.values())}


NOT_FOUND_DEPTHS = 4
"""How many folder depths below the site root (0 to 3) the 404 page, without base_url,
finds its root at (one probe of static/notfound.js each)."""


def _not_found(s: RenderState, task) -> dict:
    """The 404 page: its links absolute under ``base_url`` when set (``root`` is its path),
    else written for the site root and re-pointed by static/notfound.js; no search box
    (search.js would load from the wrong folder), a plain search form instead."""
    base = base_path(s.hb.site.base_url)
    context = {"page_title": "页面未找到", "base_path": base, "has_search": False,
               "search_page": s.options.has_search, "probe_depths": NOT_FOUND_DEPTHS}
    if base:
        context["root"] = base
    return context


def _cite_text(c: Citation) -> str:
    return f"《{c.source_title}》" + (article_name(c.source_article) if c.source_article else "")


def _cite_url(c: Citation) -> str:
    return policy_url(c.source_id) + (f"#{c.source_anchor}" if c.source_anchor else "")


def _short(text: str, limit: int = 18) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


KINDS = [
    PageKind("index", lambda t: "index.html", _index, "index.html"),
    PageKind("chapter", lambda t: chapter_url(t[1]), _chapter, "chapter.html",
             tasks=lambda s: [("chapter", ch.id) for ch in s.hb.chapters], swap=True),
    PageKind("policy", lambda t: policy_url(t[1]), _policy, "policy.html",
             tasks=lambda s: [("policy", pid) for ch in s.hb.chapters
                              for pid in ch.policy_ids if pid in s.shown_ids], swap=True,
             cached=True),
    PageKind("department", lambda t: department_url(t[1]), _department, "department.html",
             tasks=lambda s: [("department", d) for d in s.hb.departments], swap=True),
    PageKind("404", lambda t: "404.html", _not_found, "404.html"),
    PageKind("search", lambda t: "search.html", _search, "search.html",
             tasks=lambda s: [("search",)] if s.options.has_search else []),
]
"""The core kinds, in the order their pages are listed."""
