"""The governance page kinds and what governance adds to the core pages.

Kinds: ``status`` (制度状态一览), ``matrix`` (职责矩阵), ``org`` (组织架构图),
``compiled`` (制度汇编) with its print stylesheet ``compiled-css``, ``catalogue``
(catalogue.json), and from governance.versionpages each published version's page
(``version``), each revision's 修订对照表 (``revision``) and 截至某日的制度汇编 (``asof``).
Extensions: flows filled into policy and chapter bodies, a policy's lifecycle,
supersession and history, its versions and its articles' timelines, the flow steps a
department takes part in.
``check`` runs the date-aware lifecycle checks and the flow department checks after the
handbook checks.
"""
from __future__ import annotations

import datetime as _dt

from handbook_gen.assemble.lifecycle import UPCOMING_DAYS, Lifecycle, check_lifecycle
from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.core.model import Handbook
from handbook_gen.core.urls import (chapter_url, department_url, policy_url, relative,
                                    revision_url, version_url)
from handbook_gen.governance import catalogue, compiled, versionpages
from handbook_gen.governance.flows import check_flows, flow_html
from handbook_gen.markdown.placeholders import fill_flows
from handbook_gen.governance.orgchart import org_svg
from handbook_gen.render.kinds import Extension, PageKind
from handbook_gen.source.config import MAX_DEPT_DEPTH
from handbook_gen.render.memo import Derived
from handbook_gen.render.state import RenderState

HISTORY_ROWS = 20


def check(hb: Handbook, today: _dt.date, diags: Diagnostics) -> None:
    """Lifecycle (HB302, HB303) and flow department (HB311) checks; after checks.run_checks."""
    check_lifecycle(hb, Lifecycle(hb, today), diags)
    check_flows(hb, diags)


# ---- pages of their own ----------------------------------------------------------------

def _status(s: RenderState, task) -> dict:
    rows = []
    for p in catalogue.status_rows(s.hb, s.life, s.shown):
        st = s.life.state(p.id)
        rows.append(dict(s.summary(p), review_by=p.meta.review_by.isoformat()
                         if p.meta.review_by else "", due=catalogue.due_text(st.review_days),
                         upcoming=st.review_days is not None and
                         0 <= st.review_days <= UPCOMING_DAYS))
    return {"page_title": "制度状态一览", "rows": rows,
            "counts": catalogue.state_counts(s.life, s.shown),
            "today": s.life.today.isoformat(), "upcoming_days": UPCOMING_DAYS}


def _matrix(s: RenderState, task) -> dict:
    m = catalogue.matrix(s.hb, s.table, s.life, s.shown)
    rows = [{"policy": s.summary(row["policy"]), "chapter": row["chapter"],
             "cells": [row["roles"].get(d.id, "") for d in m["columns"]]}
            for row in m["rows"]]
    columns = [{"id": d.id, "name": d.name, "url": department_url(d.id)} for d in m["columns"]]
    return {"page_title": "职责矩阵", "columns": columns, "rows": rows}


def _org(s: RenderState, task) -> dict:
    svg = s.memo(_org_svg, "org", list(s.hb.departments.values()),
                 (s.dept_roots, s.dept_children))
    return {"page_title": "组织架构图", "svg": svg, "tree": _tree(s)}


def _org_svg(departments: list, tree: tuple) -> str:
    return org_svg(departments, lambda d: relative(department_url(d.id), "org.html"),
                   tree=tree)


def _tree(s: RenderState) -> list[dict]:
    """Nested departments for the text version of the chart."""
    return [_node(s.dept_children, d, 0) for d in s.dept_roots]


def _node(children: dict, d, depth: int) -> dict:
    # (a module function: a nested recursive one is a reference cycle that would keep
    # each rebuild's whole render state alive until the next garbage collection)
    return {"dept": d, "url": department_url(d.id),
            "children": [_node(children, c, depth + 1) for c in children.get(d.id, [])]
            if depth < MAX_DEPT_DEPTH else []}


def _compiled(s: RenderState, task) -> dict:
    return {"page_title": "制度汇编", "today": s.life.today, "print_css": compiled.PRINT_CSS,
            "edition": compiled.edition(s.hb, s.table, s.life, s.shown_ids, s.langs)}


KINDS = [
    PageKind("status", lambda t: "status.html", _status, "status.html"),
    PageKind("matrix", lambda t: "matrix.html", _matrix, "matrix.html"),
    PageKind("org", lambda t: "org.html", _org, "org.html"),
    PageKind("compiled", lambda t: compiled.PAGE, _compiled, "compiled.html", deferred=True),
    PageKind("compiled-css", lambda t: compiled.PRINT_CSS,
             lambda s, t: {"title": s.hb.site.title},
             write=lambda c: compiled.print_css(c["title"])),
    PageKind("catalogue", lambda t: "catalogue.json",
             lambda s, t: catalogue.catalogue(s.hb, s.table, s.life, s.shown, s.history),
             write=catalogue.to_json, deferred=True),
    PageKind("version", lambda t: version_url(t[1], t[3]), versionpages.version,
             "version.html", tasks=lambda s: versionpages.tasks(s, "version", 0),
             cached=True),
    PageKind("revision", lambda t: revision_url(t[1], t[3]),
             versionpages.revision, "revision.html",
             tasks=lambda s: versionpages.tasks(s, "revision", 1), cached=True),
    PageKind("asof", lambda t: versionpages.ASOF_PAGE, versionpages.asof, "asof.html",
             tasks=lambda s: [("asof",)] if s.history and s.history.available else [],
             deferred=True),
]


# ---- what the core pages show of governance --------------------------------------------

def _flows(s: RenderState, html, flows: tuple, page: str):
    return Derived(fill_flows, html, flows, flow_html, s.departments, page) if flows else html


def _policy_extras(s: RenderState, task, context: dict) -> dict:
    """Flows in the body; lifecycle, supersession and history."""
    p = s.hb.policies[task[1]]
    st = s.life.state(p.id)
    revisions = s.history.of(p.path) if s.history else ()
    return {
        "body": _flows(s, context["body"], p.body.flows, policy_url(p.id)),
        "life": st,
        "successors": [x for x in (s.policy_link(x) for x in st.successors) if x],
        "successor_effective": {x: s.hb.policies[x].meta.effective.isoformat()
                                for x in st.successors},
        "predecessors": [x for x in (s.policy_link(x) for x in st.predecessors) if x],
        "citing_states": {c.source_id: s.life.state(c.source_id).state
                          for c in s.cited_by(p.id)},
        "overdue_days": -st.review_days if st.state == "overdue" else 0,
        "history": revisions[:HISTORY_ROWS],
        "history_total": len(revisions),
        "history_complete": bool(s.history and s.history.complete),
        "history_shown": bool(s.history and s.history.available),
        "editor_view": s.options.include_drafts,
    }


def _chapter_extras(s: RenderState, task, context: dict) -> dict:
    ch = s.hb.chapter(task[1])
    return {"intro": _flows(s, context["intro"], ch.body.flows, chapter_url(ch.id))}


def _department_extras(s: RenderState, task, context: dict) -> dict:
    steps = s.memo(catalogue.participation, "participation", s.hb, s.shown)
    return {"flow_steps": steps.get(task[1], [])}


EXTENSIONS = [
    Extension("policy", _policy_extras),
    Extension("policy", versionpages.policy_extras),
    Extension("chapter", _chapter_extras),
    Extension("department", _department_extras),
]
