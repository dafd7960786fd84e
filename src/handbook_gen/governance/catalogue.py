"""Catalogue views of the handbook as a whole: the status page rows, the department ×
policy responsibility matrix, ``catalogue.json`` for other systems, and the review
report printed by ``handbook report`` (text for a weekly mail, JSON for CI).

Everything is computed from the model and a Lifecycle (one build date), so it is
deterministic.
"""
from __future__ import annotations

import json

from handbook_gen.governance.flows import departments_of, find_department
from handbook_gen.governance.history import History
from handbook_gen.assemble.lifecycle import UPCOMING_DAYS, Lifecycle
from handbook_gen.core.model import Handbook, Policy, Status
from handbook_gen.core.urls import department_url, policy_url
from handbook_gen.assemble.resolve import LinkTable

CATALOGUE_FORMAT = 1
_STATE_ORDER = {"overdue": 0, "active": 1, "pending": 1, "draft": 2, "expired": 3,
                "retired": 3}


def due_text(days: int | None) -> str:
    """距复审: 逾期 12 天 / 今天到期 / 30 天后."""
    if days is None:
        return ""
    if days < 0:
        return f"逾期 {-days} 天"
    return "今天到期" if days == 0 else f"{days} 天后"


def status_rows(hb: Handbook, life: Lifecycle, shown: list[Policy]) -> list[Policy]:
    """Overdue first (most overdue first), then the rest by review date (none last),
    then drafts, then retired policies; ties in handbook order."""
    order = {p.id: i for i, p in enumerate(hb.policies.values())}

    def key(p: Policy):
        st = life.state(p.id)
        review = p.meta.review_by.isoformat() if p.meta.review_by and \
            st.review_days is not None else "9999-12-31"
        return (_STATE_ORDER[st.state], review, order[p.id])
    return sorted(shown, key=key)


def state_counts(life: Lifecycle, shown: list[Policy]) -> list[dict]:
    counts = {state: 0 for state in Status}
    for p in shown:
        counts[life.state(p.id).state] += 1
    return [{"state": s, "label": s.label, "count": n} for s, n in counts.items()
            if n or s in (Status.ACTIVE, Status.OVERDUE)]


def matrix(hb: Handbook, table: LinkTable, life: Lifecycle, shown: list[Policy]) -> dict:
    """Rows: policies not retired or expired, in chapter order; columns: departments that have a
    role in at least one of them. Cell roles: own (归口), flow (流程步骤), cite (提及)."""
    rows = []
    used: set[str] = set()
    shown_ids = {p.id for p in shown}
    citing: dict[str, list[str]] = {}
    for d, cites in table.dept_cited_by.items():
        for pid in cites:
            citing.setdefault(pid, []).append(d)
    for ch in hb.chapters:
        for pid in ch.policy_ids:
            p = hb.policies[pid]
            if pid not in shown_ids or life.state(pid).state in ("retired", "expired"):
                continue
            roles: dict[str, str] = {}
            for d in citing.get(pid, ()):
                roles[d] = "cite"
            for flow in p.body.flows:
                for d in departments_of(flow, hb.departments):
                    roles[d] = "flow"
            if p.meta.owner in hb.departments:
                roles[p.meta.owner] = "own"
            used.update(roles)
            rows.append({"policy": p, "chapter": ch.title, "roles": roles})
    columns = [d for d in hb.departments.values() if d.id in used]
    return {"columns": columns, "rows": rows}


def participation(hb: Handbook, shown: list[Policy]) -> dict[str, list[dict]]:
    """Department id -> the flow steps it is responsible for, in handbook order."""
    out: dict[str, list[dict]] = {}
    for p in shown:
        for flow in p.body.flows:
            for k, step in enumerate(flow.steps, 1):
                for party in step.parties:
                    dept = None if party.role else find_department(party.text, hb.departments)
                    if dept is None:
                        continue
                    entries = out.setdefault(dept.id, [])
                    entry = {"policy": p.id, "title": p.title, "flow": flow.title,
                             "step": step.name, "number": k,
                             "url": f"{policy_url(p.id)}#{flow.anchor}-s{k}"}
                    if entry not in entries:
                        entries.append(entry)
    return out


def policy_record(hb: Handbook, table: LinkTable, life: Lifecycle, p: Policy,
                  history: History | None) -> dict:
    st = life.state(p.id)
    owner = hb.departments.get(p.meta.owner)
    chapter = hb.chapter(p.chapter_id)
    revisions = history.of(p.path) if history else ()
    return {
        "id": p.id, "title": p.title, "url": policy_url(p.id),
        "chapter": {"id": chapter.id, "title": chapter.title},
        "owner": {"id": p.meta.owner, "name": owner.name if owner else None},
        "status": p.meta.status, "state": st.state, "state_label": st.label,
        "in_force": st.in_force,
        "effective": p.meta.effective.isoformat(),
        "review_by": p.meta.review_by.isoformat() if p.meta.review_by else None,
        "review_due_in_days": st.review_days,
        "version": p.meta.version, "approved_by": p.meta.approved_by, "doc_no": p.meta.doc_no,
        "tags": list(p.meta.tags),
        "supersedes": list(st.predecessors), "superseded_by": list(st.successors),
        "related": [t for t, _ in p.meta.related if t in hb.policies],
        "articles": len(p.body.articles),
        "flow_departments": sorted({d for f in p.body.flows
                                    for d in departments_of(f, hb.departments)}),
        "cited_by": sorted({c.source_id for c in table.cited_by.get(p.id, [])}),
        "last_revised": revisions[0].date if revisions else None,
        "revisions": len(revisions) if history and history.available else None,
    }


def catalogue(hb: Handbook, table: LinkTable, life: Lifecycle, shown: list[Policy],
              history: History | None) -> dict:
    """The content of catalogue.json."""
    return {
        "format": CATALOGUE_FORMAT,
        "title": hb.site.title,
        "build_date": life.today.isoformat(),
        "policies": [policy_record(hb, table, life, p, history) for p in shown],
        "departments": [{"id": d.id, "name": d.name, "parent": d.parent,
                         "url": department_url(d.id), "duties": list(d.duties),
                         "owns": [p.id for p in shown if p.meta.owner == d.id]}
                        for d in hb.departments.values()],
    }


def to_json(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ---- handbook report ---------------------------------------------------------------------

def review_report(hb: Handbook, life: Lifecycle, within: int = UPCOMING_DAYS) -> dict:
    """What needs attention: overdue reviews, reviews due within `within` days, and
    adopted policies that take effect within `within` days."""
    def row(p: Policy, date) -> dict:
        owner = hb.departments.get(p.meta.owner)
        st = life.state(p.id)
        return {"id": p.id, "title": p.title, "owner": p.meta.owner,
                "owner_name": owner.name if owner else p.meta.owner, "path": p.path,
                "date": date.isoformat(), "days": (date - life.today).days,
                "state": st.state}
    return {
        "build_date": life.today.isoformat(), "within_days": within,
        "overdue": [row(p, p.meta.review_by) for p in life.overdue()],
        "upcoming": [row(p, p.meta.review_by) for p in life.upcoming(within)],
        "pending": [row(p, p.meta.effective) for p in life.pending()
                    if (p.meta.effective - life.today).days <= within],
    }


def report_text(report: dict) -> str:
    lines = [f"制度复审报告（统计日期 {report['build_date']}）", ""]
    sections = [("overdue", Status.OVERDUE.label,
                 lambda r: f"复审日期 {r['date']}，逾期 {-r['days']} 天"),
                ("upcoming", f"{report['within_days']} 天内到期复审",
                 lambda r: f"复审日期 {r['date']}，" + due_text(r["days"])),
                ("pending", f"{report['within_days']} 天内生效",
                 lambda r: f"生效日期 {r['date']}，{r['days']} 天后")]
    for key, title, detail in sections:
        rows = report[key]
        lines.append(f"{title}（{len(rows)} 项）")
        for r in rows:
            lines.append(f"  {r['id']}  《{r['title']}》  归口：{r['owner_name']}  {detail(r)}")
        if not rows:
            lines.append("  无")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def report_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
