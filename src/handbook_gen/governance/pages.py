"""The governance pages and page extras, rendered through a SiteRenderer.

Owns the page tasks ``status`` (制度状态一览), ``matrix`` (职责矩阵), ``org``
(组织架构图), ``compiled`` (制度汇编) with its print stylesheet, and ``catalogue``
(catalogue.json), plus the lifecycle/history/flow context that policy, chapter and
department pages add. render.py only dispatches here, so the page logic stays in one
place. ``check`` runs the date-aware lifecycle checks and the flow department checks
after the handbook checks; ``dependency_extra`` is what these features add to a page's
dependency key for incremental rebuilds.

Imports: diagnostics, model, lifecycle, catalogue, compiled, flows, orgchart, urls.
"""
from __future__ import annotations

import datetime as _dt

from handbook_gen.governance import catalogue

from handbook_gen.governance import compiled
from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.governance.flows import check_flows, flow_html
from handbook_gen.markdown.placeholders import fill_flows
from handbook_gen.assemble.lifecycle import Lifecycle, check_lifecycle
from handbook_gen.core.model import Handbook
from handbook_gen.governance.orgchart import org_svg
from handbook_gen.core.urls import department_url, relative

def check(hb: Handbook, today: _dt.date, diags: Diagnostics) -> None:
    """Lifecycle (HB302, HB303) and flow department (HB311) checks; after checks.run_checks."""
    check_lifecycle(hb, Lifecycle(hb, today), diags)
    check_flows(hb, diags)


TASKS = [("status",), ("matrix",), ("org",), ("compiled",), ("compiled-css",), ("catalogue",)]
KINDS = {t[0] for t in TASKS}
PAGES = {"status": "status.html", "matrix": "matrix.html", "org": "org.html",
         "compiled": compiled.PAGE}
HISTORY_ROWS = 20


def render_task(r, task: tuple) -> tuple[str, bytes | None]:
    """r is the SiteRenderer (hb, table, life, history, shown, summary, render)."""
    kind = task[0]
    if kind == "catalogue":
        return "catalogue.json", catalogue.catalogue_json(r.hb, r.table, r.life, r.shown,
                                                          r.history)
    if kind == "compiled-css":
        return compiled.PRINT_CSS, compiled.print_css(r.hb.site.title)
    page = PAGES[kind]
    if kind == "status":
        rows = []
        for p in catalogue.status_rows(r.hb, r.life, r.shown):
            st = r.life.state(p.id)
            rows.append(dict(r.summary(p), review_by=p.meta.review_by.isoformat()
                             if p.meta.review_by else "", due=catalogue.due_text(st.review_days),
                             upcoming=st.review_days is not None and
                             0 <= st.review_days <= catalogue.UPCOMING_DAYS))
        return page, r.render("status.html", page, page_title="制度状态一览", rows=rows,
                              counts=catalogue.state_counts(r.life, r.shown),
                              today=r.life.today.isoformat(),
                              upcoming_days=catalogue.UPCOMING_DAYS)
    if kind == "matrix":
        m = catalogue.matrix(r.hb, r.table, r.life, r.shown)
        rows = [{"policy": r.summary(row["policy"]), "chapter": row["chapter"],
                 "cells": [row["roles"].get(d.id, "") for d in m["columns"]]}
                for row in m["rows"]]
        columns = [{"id": d.id, "name": d.name, "url": department_url(d.id)}
                   for d in m["columns"]]
        return page, r.render("matrix.html", page, page_title="职责矩阵", columns=columns,
                              rows=rows)
    if kind == "org":
        svg = org_svg(list(r.hb.departments.values()),
                      lambda d: relative(department_url(d.id), page))
        return page, r.render("org.html", page, page_title="组织架构图", svg=svg,
                              tree=_tree(r.hb.departments))
    edition = compiled.edition(r.hb, r.table, r.life, r.shown_ids)
    return page, r.render("compiled.html", page, page_title="制度汇编", edition=edition,
                          today=r.life.today, print_css=compiled.PRINT_CSS)


def _tree(departments: dict) -> list[dict]:
    """Nested departments for the text version of the chart."""
    ids = set(departments)
    kids: dict[str | None, list] = {}
    for d in departments.values():
        parent = d.parent if d.parent in ids and d.parent != d.id else None
        kids.setdefault(parent, []).append(d)

    def node(d, depth: int) -> dict:
        return {"dept": d, "url": department_url(d.id),
                "children": [node(c, depth + 1) for c in kids.get(d.id, [])] if depth < 32 else []}
    return [node(d, 0) for d in kids.get(None, [])]


def policy_extras(r, p, page: str) -> dict:
    """Lifecycle, supersession and history context for a policy page."""
    st = r.life.state(p.id)
    revisions = r.history.of(p.path) if r.history else ()
    return {
        "life": st,
        "successors": [x for x in (r.policy_link(s) for s in st.successors) if x],
        "successor_effective": {s: r.hb.policies[s].meta.effective.isoformat()
                                for s in st.successors},
        "overdue_days": -st.review_days if st.state == "overdue" else 0,
        "history": revisions[:HISTORY_ROWS],
        "history_total": len(revisions),
        "history_complete": bool(r.history and r.history.complete),
        "history_shown": bool(r.history and r.history.available),
    }


def fill_body(r, html: str, flows: tuple, page: str) -> str:
    return fill_flows(html, flows, flow_html, r.hb.departments, page)


def department_extras(r, dept) -> dict:
    return {"flow_steps": r.participation().get(dept.id, [])}


def dependency_extra(r, task: tuple) -> tuple:
    """Everything the governance features add to what `task`'s page shows (build date,
    states, flows, history, bodies for the compiled edition), as a hashable tuple."""
    kind, today = task[0], r.life.today
    hb = r.hb
    if kind == "policy":
        p = hb.policies[task[1]]
        st = r.life.state(p.id)
        return (today, st, p.body.flows, tuple(hb.policies[s].meta for s in st.successors),
                r.history.of(p.path) if r.history else None)
    if kind == "chapter":
        return (today, hb.chapter(task[1]).body.flows)
    if kind == "department":
        return (today, tuple(tuple(e.values()) for e in r.participation().get(task[1], ())))
    if kind == "compiled":  # the only page that shows every body
        bodies = tuple((p.path, p.body.html, p.body.flows, r.links_key(p.path))
                       for p in hb.policies.values())
        intros = tuple((c.body.html, c.body.flows, r.links_key(c.path)) for c in hb.chapters)
        return (today, hb.site, bodies, intros)
    if kind == "matrix":  # ownership, mentions and flow steps per department
        return (today, r.key_part(("flows",), lambda: tuple(
            (p.path, p.body.flows) for p in hb.policies.values())))
    if kind == "catalogue":  # also per policy: its article count, flows and citers
        history = tuple(sorted(r.history.revisions.items())) if r.history else None
        return (today, hb.site, history, tuple(
            (p.id, len(p.body.articles), p.body.flows, r.cited_by_key(p.id)) for p in r.shown))
    if kind in KINDS:  # status, org chart: metadata and states only
        history = tuple(sorted(r.history.revisions.items())) if r.history else None
        return (today, hb.site, history)
    return (today,)
