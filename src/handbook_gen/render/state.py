"""What a page kind builds its context from: the typed render state of one site.

A RenderState is made once per build (and once per serve rebuild). Everything several
pages share is computed here once: the visible policies, their summaries, the chapter
navigation with each policy's neighbours, the policies each department owns, the
department tree. Parts that are expensive to rebuild go through ``memo`` (render.memo),
so that equal parts stay the same objects from one serve rebuild to the next.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from handbook_gen.assemble.lifecycle import Lifecycle, build_date
from handbook_gen.assemble.resolve import LinkTable, visible
from handbook_gen.core.lang import policy_lang
from handbook_gen.core.model import Department, Handbook, Policy, PolicyMeta
from handbook_gen.core.urls import department_url, policy_url
from handbook_gen.markdown.placeholders import Link
from handbook_gen.render.memo import Memo
from handbook_gen.render.nav import Nav


@dataclass
class RenderOptions:
    include_drafts: bool = False
    has_search: bool = False
    today: _dt.date | None = None
    """Build date for policy states; None: SOURCE_DATE_EPOCH or today (lifecycle.build_date)."""


class RenderState:
    def __init__(self, hb: Handbook, table: LinkTable, options: RenderOptions,
                 history: Any = None, memo: Memo | None = None):
        self.hb, self.table, self.options = hb, table, options
        self.life = Lifecycle(hb, build_date(options.today))
        self.history = history
        """governance.history.History, or None when history is off."""
        self.memo = memo or Memo()
        self.departments = self.memo.stable("departments", hb.departments)
        """hb.departments, the previous rebuild's very dict when equal."""
        self.shown = [p for p in hb.policies.values() if visible(p, options.include_drafts)]
        self.shown_ids = {p.id for p in self.shown}
        self.summaries = {p.id: self._summary(p) for p in self.shown}
        """Policy id -> its summary (title, link, state, owner, …), for every shown policy."""
        self.langs = {p.id: policy_lang(p, hb.site.language) for p in self.shown}
        """Policy id -> the language of its text, for every shown policy: detected once
        (core.lang counts characters) for its page and the compiled edition."""
        self.nav = Nav(hb, self.shown_ids, self.summaries, self.memo)
        self.owned: dict[str, list[dict]] = {}
        """Department id -> summaries of the shown policies it owns."""
        for p in self.shown:
            self.owned.setdefault(p.meta.owner, []).append(self.summaries[p.id])
        self.dept_roots, self.dept_children = department_tree(hb.departments.values())

    def _summary(self, p: Policy) -> dict:
        owner = self.hb.departments.get(p.meta.owner)
        return self.memo(_summary, p.id, p.meta, self.life.state(p.id).state, owner)

    def summary(self, p: Policy) -> dict:
        return self.summaries.get(p.id) or self._summary(p)

    def policy_link(self, pid: str) -> dict | None:
        """The summary of policy `pid` when it is shown, else None."""
        return self.summaries.get(pid)

    def links(self, path: str) -> list[Link]:
        """The resolved references of the body of source `path` (the previous rebuild's
        very list when equal, so that the parts made from them compare by identity)."""
        return self.memo.stable(("links", path), self.table.links.get(path, []))

    def cited_by(self, pid: str) -> list:
        """The citations of policy `pid` (like ``links``)."""
        return self.memo.stable(("cited_by", pid), self.table.cited_by.get(pid, []))


def _summary(meta: PolicyMeta, state: str, owner: Department | None) -> dict:
    return {"id": meta.id, "title": meta.title, "url": policy_url(meta.id),
            "status": meta.status, "state": state, "effective": meta.effective.isoformat(),
            "version": meta.version, "owner": owner.name if owner else meta.owner,
            "owner_url": department_url(owner.id) if owner else None}


def department_tree(departments) -> tuple[list[Department], dict[str, list[Department]]]:
    """(roots, parent id -> children) of the department registry, in registry order; a
    department whose parent is unknown or itself is a root."""
    departments = list(departments)
    ids = {d.id for d in departments}
    roots: list[Department] = []
    children: dict[str, list[Department]] = {}
    for d in departments:
        if d.parent and d.parent in ids and d.parent != d.id:
            children.setdefault(d.parent, []).append(d)
        else:
            roots.append(d)
    return roots, children
