"""Reference resolution: every Ref of every body against the whole handbook.

Produces a LinkTable (one Link per reference, the "cited by" graph for policies,
articles and departments) and the diagnostics for unknown targets, with did-you-mean
hints. Each policy's values are read from the model once per resolve (_PolicyInfo) and
article lookups are memoised, so a reference costs a few dictionary lookups and resolution
is linear in the number of references. markdown/placeholders.py fills a body's
placeholders with the Links.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import NamedTuple

from handbook_gen.core.diagnostics import DID_YOU_MEAN, Diagnostics, closest
from handbook_gen.core.model import Article, Handbook, Policy, Ref, Status
from handbook_gen.core.numerals import article_name, paragraph_name, parse_article_key
from handbook_gen.core.urls import department_url, policy_url
from handbook_gen.markdown.placeholders import Link


class Citation(NamedTuple):
    """One incoming reference: 《采购管理办法》第八条 cites this policy/article."""

    source_id: str
    source_title: str
    source_article: int | None
    source_anchor: str | None
    target_article: int | None


@dataclass
class LinkTable:
    links: dict[str, list[Link]] = field(default_factory=dict)
    """Source path -> one Link per Ref, in Ref order."""
    cited_by: dict[str, list[Citation]] = field(default_factory=dict)
    """Target policy id -> citations from other policies (each once), in handbook order."""
    dept_cited_by: dict[str, list[str]] = field(default_factory=dict)
    """Department id -> ids of policies that cite it."""


def visible(policy: Policy, include_drafts: bool) -> bool:
    return include_drafts or policy.meta.status != "draft"


def resolve(handbook: Handbook, diags: Diagnostics, include_drafts: bool) -> LinkTable:
    table = LinkTable()
    r = _Resolver(handbook, diags, include_drafts, table)
    for info in r.policies.values():  # drafts are checked even when not published
        table.links[info.policy.path] = [r.resolve(ref, info) for ref in info.policy.body.refs]
    for chapter in handbook.chapters:
        table.links[chapter.path] = [r.resolve(ref, None) for ref in chapter.body.refs]
    return table


_UNKNOWN = object()
"""Marks a key not looked up yet in _PolicyInfo.by_key (None there means "no such article")."""


class _PolicyInfo:
    """One policy as resolution sees it, both as a target and as a source; one per policy
    per resolve. Owns the policy's values the per-reference work needs (read once from the
    model), the memo of its articles by reference key, and its list in cited_by."""

    __slots__ = ("policy", "id", "title", "status", "url", "title_prefix", "articles",
                 "shows_citations", "by_key", "citations")

    def __init__(self, policy: Policy, include_drafts: bool):
        meta = policy.meta
        self.policy = policy
        self.id, self.title, self.status = meta.id, meta.title, meta.status
        self.url = policy_url(meta.id)
        self.title_prefix = f"《{meta.title}》"
        """Link text before the article of an ``[[id#…]]`` reference."""
        self.articles = policy.body.articles
        self.shows_citations = visible(policy, include_drafts)
        """Whether the references it makes are listed in cited_by."""
        self.by_key: dict[str | int, Article | None] = {
            a.label: a for a in self.articles if a.label}
        """Reference key -> article: the labels, plus each number or name once looked up."""
        self.citations: list[Citation] | None = None
        """Its list in LinkTable.cited_by, created when it is first cited."""

    def article(self, key: str | int) -> Article | None:
        """An article by label, number (5 or '5') or name ('第五条')."""
        art = self.by_key.get(key, _UNKNOWN)
        if art is _UNKNOWN:
            art = self.by_key[key] = _article_by_number(self.articles, key)
        return art


def _article_by_number(articles: tuple[Article, ...], key: str | int) -> Article | None:
    """The article numbered `key` (5, '5' or '第五条'), or None."""
    number = key if isinstance(key, int) else parse_article_key(key)
    if number is None:
        return None
    if 0 < number <= len(articles) and articles[number - 1].number == number:
        return articles[number - 1]
    return next((a for a in articles if a.number == number), None)


class _Resolver:
    """Resolves references one at a time, filling the table's cited_by and dept_cited_by.
    Owns the per-policy infos (by id, title and path) and the department links."""

    def __init__(self, handbook: Handbook, diags: Diagnostics, include_drafts: bool,
                 table: LinkTable):
        self.hb, self.diags, self.drafts, self.table = handbook, diags, include_drafts, table
        self.policies = {pid: _PolicyInfo(p, include_drafts)
                         for pid, p in handbook.policies.items()}
        self.by_title = {info.title: info for info in self.policies.values()}
        self.by_path = {info.policy.path: info for info in self.policies.values()}
        self.dept_links: dict[str, Link] = {}
        """Department id -> the shared Link of a reference without custom text."""
        self.dept_citations: set[tuple[str, str]] = set()
        """(department id, policy id) for every department a policy cites."""
        self.cited: tuple[str | None, set] = (None, set())
        """The source policy being resolved and its (target id, citing article, cited
        article) triples so far: a policy's citations are resolved together, so its
        duplicates are caught in a set that stays small."""

    def resolve(self, ref: Ref, source: _PolicyInfo | None) -> Link:
        kind = ref.kind
        if kind == "policy":
            target = self.policies.get(ref.target)
            if target is None:
                guess = closest(ref.target, self.hb.policies)
                self.diags.add("HB200", "unknown policy '{id}'", ref.location,
                               hint=DID_YOU_MEAN if guess else "check the policy id (the 'id:' "
                               "in its front matter)", id=ref.target, guess=guess)
                return Link(ref.raw, None, "xref-broken")
            return self._to_policy(ref, source, target, target.title_prefix)
        if kind == "local":
            if source is None or not source.articles:
                if ref.prose:
                    return self._unresolved_prose(ref, "{raw}: this document has no numbered "
                                                  "articles")
                self.diags.add("HB206", "{raw} refers to an article, but this document has no "
                               "numbered articles", ref.location,
                               hint="number the articles with §, or cite another policy: "
                               "[[ID#label]]", raw=ref.raw)
                return Link(ref.raw, None, "xref-broken")
            return self._to_policy(ref, source, source, "")
        if kind == "dept":
            return self._to_dept(ref, source)
        if kind == "mdlink":
            return self._md_link(ref, source)
        # kind == "title": 《合同管理办法》第五条 — only linked when the title is ours
        target = self.by_title.get(ref.target)
        if target is None:
            return Link(ref.raw, None, "")
        return self._to_policy(ref, source, target, "")

    def _to_dept(self, ref: Ref, source: _PolicyInfo | None) -> Link:
        dept = self.hb.departments.get(ref.target)
        if dept is None:
            guess = closest(ref.target, self.hb.departments)
            self.diags.add("HB202", "unknown department '{id}'", ref.location,
                           hint=DID_YOU_MEAN if guess else "departments are listed in "
                           "_handbook.yaml under 'departments:'", id=ref.target, guess=guess)
            return Link(ref.raw, None, "xref-broken")
        if source is not None and (dept.id, source.id) not in self.dept_citations:
            self.dept_citations.add((dept.id, source.id))
            self.table.dept_cited_by.setdefault(dept.id, []).append(source.id)
        if ref.text:
            return Link(ref.text, department_url(dept.id), "xref dept")
        link = self.dept_links.get(dept.id)
        if link is None:
            link = self.dept_links[dept.id] = Link(dept.name, department_url(dept.id),
                                                   "xref dept")
        return link

    def _to_policy(self, ref: Ref, source: _PolicyInfo | None, target: _PolicyInfo,
                   prefix: str) -> Link:
        art = None
        if ref.anchor is not None:
            art = target.article(ref.anchor)
            if art is None:
                return self._no_such_article(ref, source, target)
            if ref.paragraph and ref.paragraph > art.paragraphs:
                why = "{article} of {policy} has {n} 款, not {paragraph}"
                params = dict(article=article_name(art.number), policy=target.id,
                              n=art.paragraphs, paragraph=ref.paragraph)
                if ref.prose:
                    return self._unresolved_prose(ref, "{raw}: " + why, **params)
                self.diags.add("HB201", why, ref.location, **params)
                return Link(ref.raw, None, "xref-broken")
        css, title = "xref", None
        if target is not source:
            status = target.status
            if status == "draft" and not self.drafts:
                self.diags.add("HB203", "{id} is a draft and is not published; the "
                               "reference is shown as plain text", ref.location, id=target.id)
                text = ref.raw if ref.prose else ref.text or prefix + _article_text(
                    art, ref.paragraph)
                return Link(text, None, "xref-draft")
            if status == "retired":
                # A successor naming what it replaces, and retired text citing its
                # contemporaries, are history, not mistakes.
                historic = source is not None and (
                    source.status == "retired" or
                    any(t == target.id for t, _ in source.policy.meta.supersedes))
                if not historic:
                    successors = self.hb.supersession.successors.get(target.id)
                    self.diags.add("HB203", "{id} is retired", ref.location,
                                   hint="cite its successor {successors}" if successors
                                   else None, id=target.id,
                                   successors="、".join(successors or ()))
                css, title = "xref xref-retired", Status.RETIRED.label
            elif status == "draft":
                css, title = "xref xref-draft", Status.DRAFT.label
            if source is not None and source.shows_citations:
                self._cite(ref, source, target, art)
        if ref.prose:
            text = ref.raw
        elif ref.text:
            text = ref.text
        else:
            text = prefix + _article_text(art, ref.paragraph)
        return Link(text, target.url + "#" + art.anchor if art else target.url, css, title)

    def _cite(self, ref: Ref, source: _PolicyInfo, target: _PolicyInfo,
              art: Article | None) -> None:
        """Record in cited_by that `source` (in the article the ref stands in) cites `target`,
        once however often that article cites it."""
        number = art.number if art else None
        current, seen = self.cited
        if current != source.id:
            current, seen = self.cited = (source.id, set())
        key = (target.id, ref.article, number)
        if key in seen:
            return
        seen.add(key)
        source_art = source.article(ref.article) if ref.article else None
        citation = Citation(source.id, source.title, ref.article,
                            source_art.anchor if source_art else None, number)
        if target.citations is None:
            target.citations = self.table.cited_by[target.id] = []
        target.citations.append(citation)

    def _no_such_article(self, ref: Ref, source: _PolicyInfo | None,
                         target: _PolicyInfo) -> Link:
        n = len(target.policy.body.articles)
        count = dict(n=n, last=article_name(n) if n else "")
        if ref.prose:
            return self._unresolved_prose(
                ref, "{raw}: {policy} has no {article} (its articles end at {last})" if n else
                "{raw}: {policy} has no {article} (it has no numbered articles)",
                policy=target.id, article=_key_name(ref.anchor), **count)
        labels = [a.label for a in target.articles if a.label]
        guess = closest(ref.anchor, labels)
        self.diags.add("HB201", ("this policy has no article '{anchor}'" if target is source
                                 else "{policy} has no article '{anchor}'"), ref.location,
                       hint=DID_YOU_MEAN if guess else "its articles end at {last}" if n else
                       "it has no numbered articles", policy=target.id, anchor=ref.anchor,
                       guess=guess, **count)
        return Link(ref.raw, None, "xref-broken")

    def _unresolved_prose(self, ref: Ref, why: str, **params) -> Link:
        """A prose citation that cannot resolve (no such article or 款, no numbered
        articles to cite) is one warning, HB205, and stays plain text; HB201 and HB206
        are for explicit [[…]] references. `why` is the template, starting with
        ``{raw}: ``."""
        self.diags.add("HB205", why, ref.location, raw=ref.raw, **params)
        return Link(ref.raw, None, "")

    def _md_link(self, ref: Ref, source: _PolicyInfo | None) -> Link:
        base = posixpath.dirname(ref.location.path)
        path = posixpath.normpath(posixpath.join(base, ref.target))
        root = ref.location.path.split("/")[0]
        if path.startswith("../") or not path.startswith(root + "/") or ref.target.startswith("/"):
            self.diags.add("HB135", "link '{link}' escapes the handbook root", ref.location,
                           hint="link to a policy with [[ID]]", link=ref.raw)
            return Link("", None, bare_url=True)
        target = self.by_path.get(path)
        if target is None:
            guess = closest(path, self.by_path)
            self.diags.add("HB134", "link target '{target}' not found", ref.location,
                           hint=DID_YOU_MEAN if guess else "link to a policy with [[ID]]",
                           target=ref.target, guess=guess)
            return Link("", None, bare_url=True)
        link = self._to_policy(Ref("policy", target.id, ref.anchor, None, "", ref.location,
                                   ref.article, raw=ref.raw), source, target, prefix="")
        return Link("", link.url, bare_url=True)


def _key_name(key: str) -> str:
    return article_name(int(key)) if key.isdigit() else key


def _article_text(art: Article | None, paragraph: int | None) -> str:
    if art is None:
        return ""
    return article_name(art.number) + (paragraph_name(paragraph) if paragraph else "")

