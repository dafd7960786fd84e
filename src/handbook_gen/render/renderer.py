"""Rendering: the Jinja2 environment (project templates over the built-in theme) and
the page contexts; ``render_site`` yields every page as (site path, bytes).

Content is never rendered as a template. Autoescape is on for every template whatever
its extension, and a missing variable is an error (StrictUndefined), reported as HB400.

Imports: diagnostics, model, urls, xref, numerals, lifecycle, governance (the status,
matrix, org chart, compiled-edition and catalogue pages; flows in bodies).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
import jinja2
from markupsafe import Markup

from handbook_gen import __version__, builtin_theme_dir

from handbook_gen.governance import pages as governance
from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.assemble.lifecycle import Lifecycle, build_date
from handbook_gen.core.model import Handbook, Policy, Status
from handbook_gen.core.numerals import article_name
from handbook_gen.core.urls import (chapter_url, department_url, policy_url, relative,
                               root_prefix)
from handbook_gen.assemble.resolve import Citation, LinkTable, visible
from handbook_gen.markdown.placeholders import fill, fill_text

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'")
RECENT_COUNT = 10
NAV_GROUP = 50
"""Most policies the sidebar lists for the current chapter (see SiteRenderer.nav_html)."""
_MISSING = object()


def make_environment(project_templates: Path | None) -> jinja2.Environment:
    builtin = builtin_theme_dir()
    loaders: list[jinja2.BaseLoader] = []
    if project_templates and project_templates.is_dir() and \
            project_templates.resolve() != builtin.resolve():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.FileSystemLoader(str(builtin)))
    loaders.append(jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(builtin))}))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.globals["url"] = _url
    env.globals["status_label"] = Status.label_of
    env.globals["state_label"] = Status.label_of
    env.globals["article_name"] = article_name
    env.globals["csp"] = CSP
    env.globals["generator"] = f"handbook-gen {__version__}"
    return env


@jinja2.pass_context
def _url(context, target: str) -> str:
    """Relative link from the page being rendered to a site-relative target."""
    return relative(target, context["page"])


@dataclass
class RenderOptions:
    include_drafts: bool = False
    has_search: bool = False
    today: _dt.date | None = None
    """Build date for policy states; None: SOURCE_DATE_EPOCH or today (lifecycle.build_date)."""


class SiteRenderer:
    """Builds page contexts from the model and renders them."""

    def __init__(self, hb: Handbook, table: LinkTable, env: jinja2.Environment,
                 options: RenderOptions, diags: Diagnostics, history=None):
        self.hb, self.table, self.env, self.opts, self.diags = hb, table, env, options, diags
        self.life = Lifecycle(hb, build_date(options.today))
        self.history = history
        """history.History, or None when history is off."""
        self._participation: dict | None = None
        self.shown = [p for p in hb.policies.values() if visible(p, options.include_drafts)]
        self.shown_ids = {p.id for p in self.shown}
        self._nav_cache: dict[tuple, str] = {}
        self._key_parts: dict | None = None
        self._site_key_cache: tuple | None = None
        self.nav = [{"id": c.id, "title": c.title, "url": chapter_url(c.id),
                     "policies": [self.summary(hb.policies[pid]) for pid in c.policy_ids
                                  if pid in self.shown_ids]}
                    for c in hb.chapters]
        self._nav_position = {x["url"]: i for n in self.nav for i, x in enumerate(n["policies"])}

    # ---- helpers -----------------------------------------------------------------------
    def summary(self, p: Policy) -> dict:
        owner = self.hb.departments.get(p.meta.owner)
        return {"id": p.id, "title": p.title, "url": policy_url(p.id), "status": p.meta.status,
                "state": self.life.state(p.id).state,
                "effective": p.meta.effective.isoformat(), "version": p.meta.version,
                "owner": owner.name if owner else p.meta.owner,
                "owner_url": department_url(owner.id) if owner else None}

    def policy_link(self, pid: str) -> dict | None:
        p = self.hb.policies.get(pid)
        if p is None or p.id not in self.shown_ids:
            return None
        return self.summary(p)

    def nav_html(self, page: str, current_chapter: str | None) -> Markup:
        """The chapter navigation, rendered once per (chapter, group, depth) and reused.
        A chapter of more than NAV_GROUP policies lists only the group of NAV_GROUP that
        holds the page, and links to the chapter page for the rest: a sidebar listing
        every policy would make each page grow with the chapter (and the site with its
        square)."""
        root = root_prefix(page)
        policies = next((n["policies"] for n in self.nav if n["id"] == current_chapter), [])
        group = self._nav_position.get(page, 0) // NAV_GROUP if len(policies) > NAV_GROUP else 0
        key = (root, current_chapter, group)
        html = self._nav_cache.get(key)
        if html is None:
            shown = policies[group * NAV_GROUP:(group + 1) * NAV_GROUP]
            html = self.env.get_template("partials/nav.html").render(
                nav=self.nav, root=root, current_chapter=current_chapter, policies=shown,
                first=group * NAV_GROUP + 1, total=len(policies))
            self._nav_cache[key] = html
        item = f'<li><a href="{root}{page}">'
        return Markup(html.replace(item, f'<li class="current" aria-current="page"><a href="{root}{page}">', 1))

    def render(self, template: str, page: str, **context) -> bytes | None:
        try:
            nav = self.nav_html(page, context.get("current_chapter"))
            html = self.env.get_template(template).render(
                page=page, root=root_prefix(page), site=self.hb.site, nav=self.nav,
                nav_html=nav, has_search=self.opts.has_search, **context)
        except jinja2.TemplateSyntaxError as exc:
            self.diags.add("HB400", f"template syntax error: {exc.message}",
                           Location(f"templates/{exc.name or template}", exc.lineno or 0, 1))
            return None
        except jinja2.TemplateError as exc:
            self.diags.add("HB400", f"template error in {template}: {exc}",
                           _template_location(exc, template))
            return None
        return html.encode("utf-8")

    # ---- pages -------------------------------------------------------------------------
    def tasks(self) -> list[tuple]:
        """One small, picklable description per page; render_task turns it into bytes."""
        tasks: list[tuple] = [("index",)]
        tasks += [("chapter", ch.id) for ch in self.hb.chapters]
        tasks += [("policy", pid) for ch in self.hb.chapters for pid in ch.policy_ids
                  if pid in self.shown_ids]
        tasks += [("department", d) for d in self.hb.departments]
        tasks.append(("404",))
        if self.opts.has_search:
            tasks.append(("search",))
        tasks += governance.TASKS
        return tasks

    # ---- change detection for incremental rebuilds --------------------------------------
    key_memo: dict | None = None
    """Set by incremental.LiveSite: the shared key parts of the previous rebuild. A part
    equal to its predecessor is replaced by that very object, so comparing a page's key
    with the previous one is mostly identity checks (the navigation of a chapter, the
    summaries every department page lists, ... are compared once per rebuild, not once
    per page that shows them)."""

    def dependency_key(self, task: tuple) -> tuple:
        """Everything `task`'s page shows, as a comparable tuple: equal keys mean equal
        pages (given the same templates). Task kinds without a precise rule depend on the
        whole site. Cheap: what many pages share is computed once per renderer."""
        return (self._base_key(task), governance.dependency_extra(self, task))

    def key_part(self, name: tuple, compute):
        """A key part shared by several pages, computed once (see ``key_memo``)."""
        parts = self._key_table()
        value = parts.get(name, _MISSING)
        if value is _MISSING:
            value = parts[name] = self._interned(name, compute())
        return value

    def key_parts(self) -> dict:
        """The shared parts computed so far; the next renderer's ``key_memo``."""
        return self._key_parts or {}

    def _interned(self, name: tuple, value):
        old = self.key_memo.get(name, _MISSING) if self.key_memo is not None else _MISSING
        return old if old is not _MISSING and old == value else value

    def _key_table(self) -> dict:
        """The shared parts, filled in one pass the first time: per policy its summary
        and the summaries of its neighbours, per chapter its list and per group of its
        policies their sidebar (titles and links; see ``nav_html``)."""
        if self._key_parts is not None:
            return self._key_parts
        parts = self._key_parts = {}
        intern = self._interned
        summaries = {}
        for p in self.shown:
            summaries[p.id] = parts[("summary", p.id)] = intern(
                ("summary", p.id), tuple(self.summary(p).values()))
        chapters = tuple((n["id"], n["title"]) for n in self.nav)
        parts[("nav", None)] = intern(("nav", None), (chapters,))
        for n in self.nav:
            ids = [x["id"] for x in n["policies"]]
            parts[("nav", n["id"])] = intern(("nav", n["id"]),
                                             (chapters, tuple(summaries[i] for i in ids)))
            for g in range(0, max(len(ids), 1), NAV_GROUP):
                name = ("nav", n["id"], g // NAV_GROUP)
                parts[name] = intern(name, (chapters, len(ids), tuple(
                    (x["url"], x["title"]) for x in n["policies"][g:g + NAV_GROUP])))
            for i, pid in enumerate(ids):
                parts[("neighbours", pid)] = tuple(summaries[x] for x in ids[max(i - 1, 0):i + 2])
        parts[("shown",)] = intern(("shown",), tuple(summaries[p.id] for p in self.shown))
        parts[("departments",)] = intern(("departments",), tuple(self.hb.departments.values()))
        return parts

    def _base_key(self, task: tuple) -> tuple:
        kind = task[0]
        parts = self._key_table()
        if kind == "policy":
            p = self.hb.policies[task[1]]
            policies = self.hb.policies
            related = tuple(self._summary_key(policies[t])
                            for t, _ in p.meta.supersedes + p.meta.related if t in policies)
            successors = self.life.state(p.id).successors
            return (task, p.meta, p.body.html, self.links_key(p.path), self.cited_by_key(p.id),
                    parts[("nav", p.chapter_id, self._nav_position[policy_url(p.id)] // NAV_GROUP)],
                    parts[("neighbours", p.id)], related,
                    self.hb.departments.get(p.meta.owner),
                    tuple(self._summary_key(policies[s]) for s in successors))
        if kind == "chapter":
            ch = self.hb.chapter(task[1])
            return (task, ch.body.html, self.links_key(ch.path), parts[("nav", ch.id)])
        if kind == "department":
            return (task, parts[("departments",)], parts[("nav", None)],
                    tuple(self.table.dept_cited_by.get(task[1], ())), parts[("shown",)])
        if kind == "404":
            return (task, parts[("nav", None)])
        return (task, self._site_key())

    def links_key(self, path: str) -> tuple:
        """The resolved links of one body (its page and the compiled edition show them)."""
        return self.key_part(("links", path), lambda: tuple(self.table.links.get(path, ())))

    def cited_by_key(self, pid: str) -> tuple:
        """Who cites policy `pid` (its page and the catalogue show them)."""
        cited_by = self.table.cited_by.get(pid)
        return self.key_part(("cited_by", pid), lambda: tuple(cited_by)) if cited_by else ()

    def _summary_key(self, p: Policy) -> tuple:
        return self.key_part(("summary", p.id), lambda: tuple(self.summary(p).values()))

    def _site_key(self) -> tuple:
        def compute():
            parts = self._key_table()
            return (tuple(parts[("nav", n["id"])] for n in self.nav),
                    parts[("departments",)],
                    tuple((k, tuple(v)) for k, v in self.table.dept_cited_by.items()),
                    tuple(p.meta for p in self.hb.policies.values()))
        return self.key_part(("site",), compute)

    def render_task(self, task: tuple) -> tuple[str, bytes | None]:
        kind = task[0]
        if kind == "index":
            return "index.html", self.render("index.html", "index.html", page_title=None,
                                             chapters=self.nav, recent=self.recent())
        if kind == "chapter":
            ch = self.hb.chapter(task[1])
            page = chapter_url(ch.id)
            nav_entry = next(n for n in self.nav if n["id"] == ch.id)
            intro = fill(ch.body.html, self.table.links.get(ch.path, []), page)
            intro = governance.fill_body(self, intro, ch.body.flows, page)
            return page, self.render("chapter.html", page, page_title=ch.title,
                                     chapter=nav_entry, intro=intro, current_chapter=ch.id)
        if kind == "policy":
            p = self.hb.policies[task[1]]
            ch = self.hb.chapter(p.chapter_id)
            ids = [pid for pid in ch.policy_ids if pid in self.shown_ids]
            return self.policy_page(p, ch, ids, ids.index(p.id))
        if kind == "department":
            return self.department_page(self.hb.departments[task[1]])
        if kind == "404":
            return "404.html", self.render("404.html", "404.html", page_title="页面未找到")
        if kind in governance.KINDS:
            return governance.render_task(self, task)
        return "search.html", self.render("search.html", "search.html", page_title="搜索",
                                          chapters=self.nav,
                                          departments=list(self.hb.departments.values()))

    def recent(self) -> list[dict]:
        """Policies that took effect most recently (not those still to take effect)."""
        started = [p for p in self.shown if p.meta.effective <= self.life.today]
        ordered = sorted(started, key=lambda p: (p.meta.effective, p.id), reverse=True)
        return [self.summary(p) for p in ordered[:RECENT_COUNT]]

    def policy_page(self, p: Policy, ch, ids: list[str], i: int) -> tuple[str, bytes | None]:
        page = policy_url(p.id)
        citations = self.table.cited_by.get(p.id, [])
        slots = self.article_slots(citations, page)
        body = fill(p.body.html, self.table.links.get(p.path, []), page, slots)
        body = governance.fill_body(self, body, p.body.flows, page)
        owner = self.hb.departments.get(p.meta.owner)
        context = {
            "policy": p, "meta": p.meta, "body": body, "page_title": p.title,
            "chapter": next(n for n in self.nav if n["id"] == ch.id), "current_chapter": ch.id,
            "owner": owner, "owner_url": department_url(owner.id) if owner else None,
            "toc": self.toc(p),
            "prev": self.summary(self.hb.policies[ids[i - 1]]) if i > 0 else None,
            "next": self.summary(self.hb.policies[ids[i + 1]]) if i + 1 < len(ids) else None,
            "cited_by": self.cited_by_list(citations),
            "supersedes": [x for x in (self.policy_link(t) for t, _ in p.meta.supersedes) if x],
            "related": [x for x in (self.policy_link(t) for t, _ in p.meta.related) if x],
            **governance.policy_extras(self, p, page),
        }
        return page, self.render("policy.html", page, **context)

    def toc(self, p: Policy) -> list[dict]:
        """Headings with their articles nested under them (第一章 → 第一条 …)."""
        entries: list[dict] = []
        articles = list(p.body.articles)
        items = [(h.line, 0, {"text": h.text, "anchor": h.anchor, "level": h.level,
                              "articles": []}) for h in p.body.headings if h.level <= 3]
        items += [(a.line, 1, a) for a in articles]
        current = None
        for _line, kind, item in sorted(items, key=lambda x: (x[0], x[1])):
            if kind == 0:
                current = item
                entries.append(item)
            else:
                text = fill_text(item.text, self.table.links.get(p.path, []))
                entry = {"text": article_name(item.number), "summary": _summary(text),
                         "anchor": item.anchor}
                if current is None:
                    current = {"text": "", "anchor": "", "level": 2, "articles": []}
                    entries.append(current)
                current["articles"].append(entry)
        return entries

    def article_slots(self, citations: list[Citation], page: str) -> dict[int, str]:
        from html import escape
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

    def cited_by_list(self, citations: list[Citation]) -> list[dict]:
        entries: list[dict] = []
        for c in citations:
            entry = {"source": _cite_text(c), "url": _cite_url(c),
                     "target": ("本制度" + article_name(c.target_article)) if c.target_article
                     else "本制度"}
            if entry not in entries:
                entries.append(entry)
        return entries

    def department_page(self, dept) -> tuple[str, bytes | None]:
        page = department_url(dept.id)
        owned = [self.summary(p) for p in self.shown if p.meta.owner == dept.id]
        citing = [x for x in (self.policy_link(pid) for pid in
                              self.table.dept_cited_by.get(dept.id, [])) if x]
        parent = self.hb.departments.get(dept.parent) if dept.parent else None
        children = [d for d in self.hb.departments.values() if d.parent == dept.id]
        return page, self.render("department.html", page, page_title=dept.name, dept=dept,
                                 parent=parent, children=children, owned=owned, citing=citing,
                                 department_url=department_url,
                                 **governance.department_extras(self, dept))

    def participation(self) -> dict[str, list[dict]]:
        """Department id -> flow steps it is responsible for (computed once)."""
        if self._participation is None:
            from handbook_gen.governance.catalogue import participation
            self._participation = participation(self.hb, self.shown)
        return self._participation


def _template_location(exc: Exception, template: str) -> Location:
    """Where a template failed while rendering: Jinja2 rewrites the traceback so that
    template frames carry the template's file and line; the innermost one is the place."""
    where = Location(f"templates/{template}")
    tb = exc.__traceback__
    while tb is not None:
        path = tb.tb_frame.f_code.co_filename
        if "/templates/" in path:  # a project template or one of the built-in theme
            where = Location("templates/" + path.rsplit("/templates/", 1)[1], tb.tb_lineno, 1)
        tb = tb.tb_next
    return where


def _cite_text(c: Citation) -> str:
    return f"《{c.source_title}》" + (article_name(c.source_article) if c.source_article else "")


def _cite_url(c: Citation) -> str:
    return policy_url(c.source_id) + (f"#{c.source_anchor}" if c.source_anchor else "")


def _summary(text: str, limit: int = 18) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"

