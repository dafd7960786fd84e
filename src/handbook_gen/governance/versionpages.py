"""The pages of policies' versions (governance.versions): each published version's own
page (kind ``version``), the 修订对照表 of each revision (``revision``), the
截至某日的制度汇编 (``asof``), and what versions add to the policy page (its list of
versions and its articles' timelines).

References in an old text are resolved in that text's own time, never against today's
numbering (which may have moved since): a citation inside the policy (本办法第N条,
``[[#label]]``) against the old version's own articles, a reference to another policy
against that policy's version in force on the old version's effective date, linking to
that version's page (the policy's current page when it has no versions). Prose
citations keep the words the editor wrote. A target that did not exist then, or that
is not published, is plain text. Departments are not versioned: they link to today's
page.

The 截至某日 page is one static table of every version with the period it was in force
(each row's ``data-from`` / ``data-until``) and a small script (static/asof.js) that
keeps the rows in force on a chosen date. One page rather than one per version
boundary: 200 policies with 10 versions each would be 2,000 pages of 200 rows; the
table is linear in the versions, it needs no fetch (which file:// forbids), and without
script it still answers the question by its periods (the rows in force on the build
date are marked).
"""
from __future__ import annotations

import datetime as _dt
import posixpath
import re
from dataclasses import dataclass, field

from handbook_gen.core.lang import SAMPLE, page_lang
from handbook_gen.core.model import Article, Policy
from handbook_gen.core.numerals import article_name, paragraph_name, parse_article_key
from handbook_gen.core.urls import department_url, policy_url, revision_url, version_url
from handbook_gen.governance import redline
from handbook_gen.governance.flows import flow_html
from handbook_gen.governance.versions import Version
from handbook_gen.markdown.placeholders import REF_OPEN, Link, fill, fill_flows, fill_text
from handbook_gen.render.memo import Derived
from handbook_gen.render.state import RenderState

ASOF_PAGE = "asof.html"
_SLUG = re.compile(r"[vV]?([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)")
MAX_SLUG = 24


def slugs(versions: tuple[Version, ...]) -> list[str]:
    """Each version's page name part: ``v`` + its version string folded to lower case
    (``2.0`` -> ``v2.0``), or ``n3`` (its place) when the string is not letters, digits
    and dots; a repeat gets its place appended (``v2.0-3``)."""
    out: list[str] = []
    for i, v in enumerate(versions):
        m = _SLUG.fullmatch(v.version.strip())
        slug = "v" + m[1].lower() if m and len(m[1]) <= MAX_SLUG else f"n{i + 1}"
        out.append(f"{slug}-{i + 1}" if slug in out else slug)
    return out


def in_force_at(versions: tuple[Version, ...], day: _dt.date) -> int | None:
    """Index of the version in force on `day` (the newest that took effect by then)."""
    found = None
    for i, v in enumerate(versions):
        if v.effective <= day:
            found = i
    return found


# ---- one policy's versions, shared by its pages --------------------------------------

@dataclass
class PolicyVersions:
    """The versions of one policy with what their pages are made of, each part computed
    once per build when first asked for (memoised per render state)."""

    pid: str
    versions: tuple[Version, ...]
    world: "_World"
    slugs: list[str] = field(init=False)
    _links: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self.slugs = slugs(self.versions)

    def url(self, i: int) -> str:
        return version_url(self.pid, self.slugs[i])

    def revision_url(self, i: int) -> str:
        return revision_url(self.pid, self.slugs[i])

    def links(self, i: int, at: _dt.date | None = None) -> list[Link]:
        """Version i's references resolved on date `at` (default: its effective date)."""
        at = at or self.versions[i].effective
        if (i, at) not in self._links:
            self._links[i, at] = self.world.links(self.versions[i], self.url(i), at)
        return self._links[i, at]

    def rows(self, i: int) -> Derived:
        """The rows of the revision that made version i (i >= 1), as the inputs that make
        them: the two versions' articles and references, the old text's resolved as on
        the new version's effective date."""
        old, new = self.versions[i - 1], self.versions[i]
        return Derived(revision_rows, old.document.body.articles, new.document.body.articles,
                       self.links(i - 1, new.effective), self.links(i), new.summary)

    def table(self, i: int) -> list[redline.Row]:
        """Rows of the revision that made version i (i >= 1)."""
        return self.rows(i).value()

    def until(self, i: int) -> _dt.date | None:
        v = self.versions[i]
        if v.until is not None or i + 1 < len(self.versions):
            return v.until
        return self.world.retired_on.get(self.pid)


_ROWS: dict[tuple, tuple[tuple, list[redline.Row]]] = {}
_ROWS_MAX = 20_000


def revision_rows(old: tuple[Article, ...], new: tuple[Article, ...], old_links: list[Link],
                  new_links: list[Link], summary: str | None) -> list[redline.Row]:
    """The rows of the revision `old` -> `new` (redline.rows), each article's text with
    its references filled from its version's links. Kept per process for the very same
    inputs, so a revision page and the policy page's timeline share them (rows refer to
    the articles they were made from: equal articles of another document would not do)."""
    key = (id(old), id(new), id(old_links), id(new_links), summary)
    hit = _ROWS.get(key)
    if hit is None:
        if len(_ROWS) >= _ROWS_MAX:  # a long preview session: forget older sites' rows
            _ROWS.clear()
        rows = redline.rows(old, new, _texts(old_links), _texts(new_links), summary)
        hit = _ROWS[key] = ((old, new, old_links, new_links), rows)  # the inputs stay alive
    return hit[1]                                                     # while their ids are keys


def _texts(links: list[Link]):
    def text(article: Article) -> str:
        if REF_OPEN not in article.text:  # most articles cite nothing
            return article.text.strip()
        return fill_text(article.text, links).strip()
    return text


@dataclass
class _World:
    """What resolving an old text's references looks at: the current handbook's
    policies (by id, title and path), their versions, the published ids, departments."""

    policies: object
    versions: dict
    shown: frozenset
    departments: object
    retired_on: dict
    by_title: dict = field(init=False)
    by_path: dict = field(init=False)
    _slugs: dict = field(default_factory=dict, init=False)
    _then: dict = field(default_factory=dict, init=False)
    _labels: dict = field(default_factory=dict, init=False)

    def __post_init__(self):
        self.by_title = {p.title: p.id for p in self.policies.values()}
        self.by_path = {p.path: p.id for p in self.policies.values()}

    def slugs_of(self, pid: str) -> list[str]:
        if pid not in self._slugs:
            self._slugs[pid] = slugs(self.versions.get(pid, ()))
        return self._slugs[pid]

    def links(self, v: Version, page: str, at: _dt.date) -> list[Link]:
        """The references of version `v` (whose page is `page`), other policies as in
        force on `at`."""
        body = v.document.body
        return [self._link(ref, at, body.articles, page) for ref in body.refs]

    def _link(self, ref, at: _dt.date, own: tuple[Article, ...], page: str) -> Link:
        if ref.kind == "dept":
            dept = self.departments.get(ref.target)
            return (Link(ref.text or dept.name, department_url(dept.id), "xref dept")
                    if dept else Link(ref.raw, None, ""))
        if ref.kind == "local":
            return self._to(ref, own, page, "")
        if ref.kind == "mdlink":
            pid = self.by_path.get(_md_target(ref))
        elif ref.kind == "title":
            pid = self.by_title.get(ref.target)
        else:
            pid = ref.target
        if pid is None or pid not in self.shown:
            return Link("", None, bare_url=True) if ref.kind == "mdlink" else Link(
                ref.raw, None, "")
        target = self._then.get((pid, at))
        if target is None:
            target = self._then[pid, at] = self._target(pid, at)
        link = self._to(ref, *target)
        return Link("", link.url, bare_url=True) if ref.kind == "mdlink" else link

    def _target(self, pid: str, at: _dt.date) -> tuple[tuple[Article, ...], str, str]:
        """(articles, page, 《title》) of policy `pid` as in force on `at`."""
        versions = self.versions.get(pid, ())
        then = in_force_at(versions, at)
        if then is None:
            policy = self.policies[pid]
            return policy.body.articles, policy_url(pid), f"《{policy.title}》"
        doc = versions[then].document
        return (doc.body.articles, version_url(pid, self.slugs_of(pid)[then]),
                f"《{doc.meta.title}》")

    def _to(self, ref, articles: tuple[Article, ...], url: str, prefix: str) -> Link:
        art = None
        if ref.anchor is not None:
            art = self._article(articles, ref.anchor)
            if art is None:
                return Link(ref.raw, None, "")
        if ref.prose:
            text = ref.raw
        elif ref.text:
            text = ref.text
        else:
            text = prefix + (article_name(art.number) + (paragraph_name(ref.paragraph)
                                                        if ref.paragraph else "")
                             if art else "")
        return Link(text, url + ("#" + art.anchor if art else ""))

    def _article(self, articles: tuple[Article, ...], key: str) -> Article | None:
        """The article of `articles` with label `key`, else with the number it names."""
        found = self._labels.get(id(articles))
        if found is None:  # (kept with the articles, so that their id is not reused)
            found = self._labels[id(articles)] = (
                articles, {a.label: a for a in reversed(articles) if a.label})
        art = found[1].get(key)
        if art is not None:
            return art
        number = parse_article_key(key)
        return next((a for a in articles if a.number == number), None) if number else None


def _md_target(ref) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(ref.location.path),
                                             ref.target))


def _world(policies, versions, shown, departments, retired_on) -> _World:
    return _World(policies, versions, shown, departments, retired_on)


def _retired_on(s: RenderState) -> dict[str, _dt.date]:
    """Retired policy id -> its last day in force: the day before its earliest
    successor took effect (unknown without a successor)."""
    return s.memo(_retirements, "versions-retired", s.hb.policies, s.hb.supersession)


def _retirements(policies, supersession) -> dict[str, _dt.date]:
    out = {}
    for p in policies.values():
        starts = [policies[x].meta.effective for x in supersession.successors.get(p.id, ())]
        if p.meta.status == "retired" and starts:
            out[p.id] = min(starts) - _dt.timedelta(days=1)
    return out


def of(s: RenderState, pid: str) -> PolicyVersions | None:
    """The versions of shown policy `pid`, None when it has none."""
    all_versions = s.history.versions if s.history is not None else {}
    if not all_versions.get(pid):
        return None
    world = s.memo(_world, "versions-world", s.hb.policies, all_versions,
                   frozenset(s.shown_ids), s.departments, _retired_on(s))
    return s.memo(PolicyVersions, ("versions", pid), pid, all_versions[pid], world)


def tasks(s: RenderState, kind: str, first: int) -> list[tuple]:
    """``(kind, policy id, index, slug)`` for the versions of every shown policy from
    index `first` on (1 for revisions: the first version has no predecessor)."""
    out = []
    for p in s.shown:
        pv = of(s, p.id)
        if pv is not None:
            out += [(kind, p.id, i, pv.slugs[i]) for i in range(first, len(pv.versions))]
    return out


# ---- contexts ------------------------------------------------------------------------

def _version_info(pv: PolicyVersions, i: int) -> dict:
    v = pv.versions[i]
    until = pv.until(i)
    return {"version": v.version, "effective": v.effective.isoformat(),
            "until": until.isoformat() if until else "", "url": pv.url(i),
            "revision_url": pv.revision_url(i) if i else "", "summary": v.summary or "",
            "committed": v.committed, "commit": v.commit, "title": v.document.meta.title}


def version(s: RenderState, task) -> dict:
    _, pid, i, _slug = task
    pv = of(s, pid)
    v = pv.versions[i]
    page = pv.url(i)
    p = s.hb.policies[pid]
    newest = i == len(pv.versions) - 1
    return {
        "page_title": f"{v.document.meta.title}（{v.version} 版）",
        "policy": s.summary(p), "meta": v.document.meta, "v": _version_info(pv, i),
        "is_newest": newest, "period": _period(pv, i, s.life.today, s.life.state(pid)),
        "state": s.life.state(pid),
        "lang": Derived(_lang, v.document.meta.lang, v.document.meta.title,
                        v.document.body.html, s.hb.site.language),
        "chapter": s.nav.chapter_link(p.chapter_id), "current_chapter": p.chapter_id,
        "prev": _version_info(pv, i - 1) if i else None,
        "next": _version_info(pv, i + 1) if not newest else None,
        "body": Derived(_version_body, v.document.body.html, pv.links(i),
                        v.document.body.flows, s.departments, page),
    }


def _lang(declared: str | None, title: str, html: str, site_language: str) -> str:
    """The page language of an old text with this title and HTML (a Derived value: only
    a page rendered looks at its text)."""
    return page_lang(declared, title + html[:SAMPLE], site_language)


def _period(pv: PolicyVersions, i: int, today: _dt.date, state) -> str:
    """``future`` (not in force yet), ``current`` (in force on the build date) or
    ``past``."""
    if pv.versions[i].effective > today:
        return "future"
    until = pv.until(i)
    ended = state.state in ("retired", "expired") and i == len(pv.versions) - 1
    return "past" if ended or (until is not None and until < today) else "current"


def _version_body(html: str, links: list[Link], flows: tuple, departments, page: str) -> str:
    html = fill(html, links, page)
    return fill_flows(html, flows, flow_html, departments, page) if flows else html


def revision(s: RenderState, task) -> dict:
    _, pid, i, _slug = task
    pv = of(s, pid)
    v = pv.versions[i]
    p = s.hb.policies[pid]
    rows = pv.rows(i)
    return {
        "page_title": f"{v.document.meta.title}修订对照表（{pv.versions[i - 1].version}→"
                      f"{v.version}）",
        "policy": s.summary(p), "old": _version_info(pv, i - 1),
        "new": _version_info(pv, i), "counts": Derived(redline.counts, rows),
        "groups": Derived(_groups, rows), "current_chapter": p.chapter_id,
        "lang": s.langs[pid], "chapter": s.nav.chapter_link(p.chapter_id),
    }


_CSS = {"修改": "changed", "新增": "added", "删除": "deleted", "调整": "moved"}
_SHIFTS = (("条文顺延",), ("条文序号前移",))
"""The notes of an article only renumbered (text and place unchanged)."""


def _groups(table: list[redline.Row]) -> list[dict]:
    """The rows as the page shows them, as a 修订对照表 lists them: each amended, added,
    deleted or moved article with its texts; each run of unchanged articles as one count
    row (their text is on the version pages), and each run of two or more articles only
    renumbered as one row (原第五条至第九条依次改为第六条至第十条)."""
    out: list[dict] = []
    for row in table:
        shift = row.kind == "调整" and row.notes in _SHIFTS and not row.by_similarity
        kind = "same" if row.kind == "未修改" else "shift" if shift else None
        if kind and out and out[-1]["kind"] == kind and (
                kind == "same" or out[-1]["notes"] == row.notes):
            out[-1]["rows"].append(row)
        elif kind:
            out.append({"kind": kind, "notes": row.notes, "rows": [row]})
        else:
            out.append(_item(row))
    for i, g in enumerate(out):
        rows = g.get("rows")
        if rows is None:
            continue
        if g["kind"] == "shift" and len(rows) == 1:
            out[i] = _item(rows[0])
            continue
        first, last = rows[0], rows[-1]
        g["count"] = len(rows)
        if g["kind"] == "same":
            g["label"] = first.numbers if len(rows) == 1 else \
                f"{first.numbers}至{last.numbers}"
        else:
            g["label"] = (f"原{article_name(first.old_number)}至{article_name(last.old_number)}"
                          f"依次改为{article_name(first.new_number)}至"
                          f"{article_name(last.new_number)}")
        del g["rows"]
    return out


def _item(row: redline.Row) -> dict:
    return {"id": row.id, "kind": row.kind, "numbers": row.numbers, "notes": row.notes,
            "by_similarity": row.by_similarity, "old_html": row.old_html,
            "new_html": row.new_html, "css": _CSS[row.kind],
            "old_name": article_name(row.old_number) if row.old else "",
            "new_name": article_name(row.new_number) if row.new else ""}


def asof(s: RenderState, task) -> dict:
    today = s.life.today
    retired_on = _retired_on(s)
    rows = []
    for p in s.shown:
        pv = of(s, p.id)
        state = s.life.state(p.id)
        if pv is None:
            until = p.meta.expires or retired_on.get(p.id)
            rows.append(_asof_row(p, p.meta.version, p.meta.title, p.meta.effective, until,
                                  policy_url(p.id), today, p.meta.status == "retired"
                                  and until is None))
            continue
        for i, v in enumerate(pv.versions):
            until = pv.until(i)
            last = i == len(pv.versions) - 1
            rows.append(_asof_row(p, v.version, v.document.meta.title, v.effective, until,
                                  pv.url(i), today, last and state.state == "retired"
                                  and until is None))
    return {"page_title": "截至某日的制度汇编", "rows": rows, "today": today.isoformat(),
            "count": sum(r["now"] for r in rows)}


def _asof_row(p: Policy, version: str, title: str, start: _dt.date, until, url: str,
              today: _dt.date, retired_undated: bool) -> dict:
    now = start <= today and (until is None or today <= until) and not retired_undated
    return {"id": p.id, "title": title, "version": version, "from": start.isoformat(),
            "until": until.isoformat() if until else "", "url": url, "now": now,
            "retired_undated": retired_undated}


# ---- what versions add to the policy page ------------------------------------------

def policy_extras(s: RenderState, task, context: dict) -> dict:
    """The policy's versions, newest first (``versions``; also by version string,
    ``version_pages``, for the revision list) and its articles' timeline."""
    pv = of(s, task[1])
    if pv is None:
        return {"versions": [], "version_pages": {}, "timeline": None}
    infos = [_version_info(pv, i) for i in range(len(pv.versions))]
    for i, info in enumerate(infos[1:], start=1):
        info["prev"] = infos[i - 1]["version"]
    if len(pv.versions) < 2:
        return {"versions": infos[::-1], "version_pages": {v["version"]: v for v in infos},
                "timeline": None}
    n = len(pv.versions)
    pages = ([("v" + v.version) if v.version[:1].isdigit() else v.version
              for v in pv.versions], [pv.url(i) for i in range(n)],
             [pv.revision_url(i) for i in range(n)])
    return {"versions": infos[::-1], "version_pages": {v["version"]: v for v in infos},
            "timeline": Derived(_timeline, pages, pv.versions[0].document.body.articles,
                                pv.versions[-1].document.body.articles,
                                *(pv.rows(i) for i in range(1, n)))}


def _timeline(pages: tuple, first: tuple[Article, ...], newest: tuple[Article, ...],
              *tables: list[redline.Row]) -> dict:
    """Each article that was added after the first version, amended or deleted, with
    its events; the articles unchanged since the first version are only counted.
    `pages`: each version's name, page and revision page; `first`, `newest`: the first
    and the newest version's articles; `tables`: the rows of each revision."""
    names, urls, revision_urls = pages
    current, deleted = redline.timelines(tables, first)

    def event(e: redline.Event) -> dict:
        url = revision_urls[e.version] + "#" + e.row if e.row else urls[e.version]
        return {"what": e.what, "version": names[e.version], "url": url}

    articles, unchanged = [], 0
    for a in newest:
        events = current.get(id(a), ())
        if any(e.version for e in events):
            articles.append({"name": article_name(a.number), "anchor": a.anchor,
                             "events": [event(e) for e in events]})
        else:
            unchanged += 1
    gone = [{"name": "原" + article_name(a.number), "events": [event(e) for e in events]}
            for a, events in deleted]
    return {"articles": articles, "deleted": gone, "changed": len(articles) + len(gone),
            "unchanged": unchanged, "first": names[0], "first_url": urls[0]}
