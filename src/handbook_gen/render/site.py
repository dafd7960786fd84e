"""Rendering a site's pages through the registry: a task's full context (the kind's own,
its extensions', and what every page gets: its path, the site, the sidebar) and its
file from that context.

``context`` is what ``serve`` compares with the previous rebuild's to decide whether a
page must be rendered again: it is everything the template is given (its expensive
parts as ``Derived`` values: the function and inputs that make them), so a page cannot
miss a change of something it shows.
"""
from __future__ import annotations

import jinja2

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.core.urls import root_prefix
from handbook_gen.render.env import render_template
from handbook_gen.render.kinds import Registry, Task
from handbook_gen.render.memo import computed
from handbook_gen.render.state import RenderState


class PageRenderer:
    def __init__(self, registry: Registry, state: RenderState, env: jinja2.Environment,
                 diags: Diagnostics):
        self.registry, self.state, self.env, self.diags = registry, state, env, diags

    def tasks(self) -> list[Task]:
        """One small, picklable description per output file."""
        return self.registry.tasks(self.state)

    def path(self, task: Task) -> str:
        return self.registry.of(task).path(task)

    def context(self, task: Task) -> dict | None:
        """Everything the task's file is made from; None when the sidebar template failed
        (reported)."""
        kind = self.registry.of(task)
        s = self.state
        context = kind.context(s, task)
        for ext in self.registry.extensions.get(kind.name, ()):
            context.update(ext.context(s, task, context))
        if kind.template is None:
            return context
        page = kind.path(task)
        nav = s.nav.html(self.env, page, context.get("current_chapter"), self.diags)
        if nav is None:
            return None
        return {"page": page, "root": root_prefix(page), "site": s.hb.site, "nav_html": nav,
                "has_search": s.options.has_search, "built": s.life.today.isoformat(),
                **context}

    def render(self, task: Task, context: dict | None = None) -> tuple[str, bytes | None]:
        """(site path, bytes) of the task's file; bytes None when its template failed."""
        kind = self.registry.of(task)
        if context is None:
            context = self.context(task)
        path = kind.path(task)
        if context is None:
            return path, None
        context = computed(context)
        if kind.template is None:
            return path, kind.write(context)
        html = render_template(self.env, kind.template, context, self.diags)
        return path, None if html is None else html.encode("utf-8")
