"""The chapter navigation, computed once per site: each chapter's list of shown policies,
each policy's place in it, its neighbours in reading order (prev/next, across chapter
edges), and the sidebar HTML.

A chapter of more than NAV_GROUP policies lists only the group of NAV_GROUP that holds
the page in its sidebar, and links to the chapter page for the rest: a sidebar listing
every policy would make each page grow with the chapter (and the site with its square).
"""
from __future__ import annotations

import jinja2
from markupsafe import Markup

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.core.model import Handbook
from handbook_gen.core.urls import chapter_url, root_prefix
from handbook_gen.render.env import template_error
from handbook_gen.render.memo import Memo

NAV_GROUP = 50
"""Most policies the sidebar lists for the current chapter."""


class Nav:
    def __init__(self, hb: Handbook, shown_ids: set[str], summaries: dict[str, dict],
                 memo: Memo):
        self.memo = memo
        self.chapters = [{"id": c.id, "title": c.title, "url": chapter_url(c.id),
                          "policies": [summaries[pid] for pid in c.policy_ids
                                       if pid in shown_ids]}
                         for c in hb.chapters]
        """Per chapter: id, title, url and the summaries of its shown policies."""
        self.by_id = {n["id"]: n for n in self.chapters}
        self._sidebars: dict[tuple, str] = {}
        self.links = memo.stable("chapters", [
            {"id": n["id"], "title": n["title"], "url": n["url"]} for n in self.chapters])
        """Per chapter: id, title and url (what the sidebar lists of other chapters)."""
        self._links_by_id = {x["id"]: x for x in self.links}
        self.position: dict[str, int] = {}
        """Policy page -> its place in its chapter's list."""
        for n in self.chapters:
            for i, x in enumerate(n["policies"]):
                self.position[x["url"]] = i
        self.neighbours: dict[str, tuple[dict | None, dict | None]] = {}
        """Policy -> (previous, next) in reading order across chapter edges: the last policy
        of a chapter leads to the first of the next one. Each is the policy's summary with
        `chapter`: the title of its chapter when that is another one, else None."""
        order = [(n, x) for n in self.chapters for x in n["policies"]]
        for i, (n, x) in enumerate(order):
            prev = _neighbour(order[i - 1], n) if i > 0 else None
            next_ = _neighbour(order[i + 1], n) if i + 1 < len(order) else None
            self.neighbours[x["id"]] = (prev, next_)

    def chapter_link(self, chapter_id: str) -> dict:
        return self._links_by_id[chapter_id]

    def html(self, env, page: str, current_chapter: str | None,
             diags: Diagnostics) -> Markup | None:
        """The sidebar of `page` with its own item marked; None when the template failed.
        Rendered once per (depth, chapter, group) and reused by every page that shows it."""
        root = root_prefix(page)
        entry = self.by_id.get(current_chapter)
        policies = entry["policies"] if entry else []
        group = self.position.get(page, 0) // NAV_GROUP if len(policies) > NAV_GROUP else 0
        key = (root, current_chapter, group)
        html = self._sidebars.get(key)
        if html is None:
            shown = tuple((x["url"], x["title"]) for x in policies[group * NAV_GROUP:
                                                                 (group + 1) * NAV_GROUP])
            try:  # (a failure is not memoised: the next rebuild reports it again)
                html = self._sidebars[key] = self.memo(
                    _sidebar, key, env, self.links, root, current_chapter, shown,
                    group * NAV_GROUP + 1, len(policies))
            except jinja2.TemplateError as exc:
                template_error(exc, "partials/nav.html", diags)
                return None
        item = f'<li><a href="{root}{page}">'
        return Markup(html.replace(
            item, f'<li class="current" aria-current="page"><a href="{root}{page}">', 1))


def _neighbour(entry: tuple[dict, dict], chapter: dict) -> dict:
    n, x = entry
    return {**x, "chapter": None if n is chapter else n["title"]}


def _sidebar(env, chapters: list[dict], root: str, current: str | None, shown: tuple,
             first: int, total: int) -> str:
    return env.get_template("partials/nav.html").render(
        nav=chapters, root=root, current_chapter=current,
        policies=[{"url": url, "title": title} for url, title in shown],
        first=first, total=total)
