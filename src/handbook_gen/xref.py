"""Reference resolution: every Ref of every body against the whole handbook.

Produces a LinkTable (one Link per reference, the "cited by" graph for policies,
articles and departments) and the diagnostics for unknown targets, with did-you-mean
hints. Resolution is one dictionary lookup per reference, so it is linear in the number
of references. ``fill`` turns a body's placeholders into HTML for a given page.

Imports: diagnostics, model, numerals, urls, markdown (placeholder characters only).
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import NamedTuple
from html import escape

from handbook_gen.diagnostics import Diagnostics, did_you_mean
from handbook_gen.markdown import REF_CLOSE, REF_OPEN, SLOT_CLOSE, SLOT_OPEN
from handbook_gen.model import Article, Handbook, Policy, Ref
from handbook_gen.numerals import article_name, paragraph_name, parse_article_key
from handbook_gen.urls import department_url, policy_url, relative

_PLACEHOLDER = re.compile(f"{REF_OPEN}(\\d+){REF_CLOSE}|{SLOT_OPEN}(\\d+){SLOT_CLOSE}")


class Link(NamedTuple):
    """How one reference renders (a NamedTuple: hundreds of thousands are made per build)."""

    text: str
    """Plain link text, e.g. 《质量管理制度》第五条."""
    url: str | None
    """Site-relative target with fragment; None renders plain text."""
    css: str = "xref"
    title: str | None = None
    bare_url: bool = False
    """True for a Markdown link's href: fill emits the URL only."""


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
    """Target policy id -> citations from other policies, in handbook order."""
    dept_cited_by: dict[str, list[str]] = field(default_factory=dict)
    """Department id -> ids of policies that cite it."""
    successors: dict[str, str] = field(default_factory=dict)
    """Superseded policy id -> id of the policy that supersedes it."""


def visible(policy: Policy, include_drafts: bool) -> bool:
    return include_drafts or policy.meta.status != "draft"


def resolve(handbook: Handbook, diags: Diagnostics, include_drafts: bool) -> LinkTable:
    table = LinkTable()
    for p in handbook.policies.values():
        for sid, _ in p.meta.supersedes:
            table.successors.setdefault(sid, p.id)
    r = _Resolver(handbook, diags, include_drafts, table)
    for policy in handbook.policies.values():  # drafts are checked even when not published
        table.links[policy.path] = [r.resolve(ref, policy) for ref in policy.body.refs]
    for chapter in handbook.chapters:
        table.links[chapter.path] = [r.resolve(ref, None) for ref in chapter.body.refs]
    return table


class _Resolver:
    def __init__(self, handbook: Handbook, diags: Diagnostics, include_drafts: bool,
                 table: LinkTable):
        self.hb, self.diags, self.drafts, self.table = handbook, diags, include_drafts, table
        self.by_title = {p.title: p for p in handbook.policies.values()}
        self.by_path = {p.path: p for p in handbook.policies.values()}
        self.labels: dict[str, dict[str, Article]] = {}

    def article(self, policy: Policy, key: str | int) -> Article | None:
        """An article by label, number (5 or '5') or name ('第五条')."""
        labels = self.labels.get(policy.id)
        if labels is None:
            labels = {a.label: a for a in policy.body.articles if a.label}
            self.labels[policy.id] = labels
        art = labels.get(key)
        if art is None:
            number = key if isinstance(key, int) else parse_article_key(key)
            if number is not None:
                articles = policy.body.articles
                if 0 < number <= len(articles) and articles[number - 1].number == number:
                    return articles[number - 1]
                return next((a for a in articles if a.number == number), None)
        return art

    def resolve(self, ref: Ref, source: Policy | None) -> Link:
        kind = ref.kind
        if kind == "dept":
            dept = self.hb.departments.get(ref.target)
            if dept is None:
                self.diags.add("HB202", f"unknown department '{ref.target}'", ref.location,
                               hint=did_you_mean(ref.target, self.hb.departments))
                return Link(ref.raw, None, "xref-broken")
            if source is not None:
                cites = self.table.dept_cited_by.setdefault(dept.id, [])
                if source.id not in cites:
                    cites.append(source.id)
            return Link(ref.text or dept.name, department_url(dept.id), "xref dept")
        if kind == "mdlink":
            return self._md_link(ref, source)
        if kind == "policy":
            target = self.hb.policies.get(ref.target)
            if target is None:
                self.diags.add("HB200", f"unknown policy '{ref.target}'", ref.location,
                               hint=did_you_mean(ref.target, self.hb.policies))
                return Link(ref.raw, None, "xref-broken")
            return self._to_policy(ref, source, target, prefix=f"《{target.title}》")
        if kind == "local":
            if source is None or not source.body.articles:
                self.diags.add("HB206", f"{ref.raw} refers to an article, but this document "
                               "has no numbered articles", ref.location)
                return Link(ref.raw, None, "xref-broken")
            return self._to_policy(ref, source, source, prefix="")
        # kind == "title": 《合同管理办法》第五条 — only linked when the title is ours
        target = self.by_title.get(ref.target)
        if target is None:
            return Link(ref.raw, None, "")
        return self._to_policy(ref, source, target, prefix="")

    def _to_policy(self, ref: Ref, source: Policy | None, target: Policy, prefix: str) -> Link:
        art = None
        if ref.anchor is not None:
            art = self.article(target, ref.anchor)
            if art is None:
                if ref.prose:
                    self.diags.add("HB205", f"{ref.raw}: {target.id} has no {_key_name(ref.anchor)} "
                                   f"(it has {_count(target)})", ref.location)
                    return Link(ref.raw, None, "")
                labels = [a.label for a in target.body.articles if a.label]
                where = "this policy" if target is source else target.id
                self.diags.add("HB201", f"{where} has no article '{ref.anchor}'", ref.location,
                               hint=did_you_mean(ref.anchor, labels) or
                               f"it has {_count(target)}")
                return Link(ref.raw, None, "xref-broken")
            if ref.paragraph and ref.paragraph > art.paragraphs:
                self.diags.add("HB201", f"{article_name(art.number)} of {target.id} has "
                               f"{art.paragraphs} 款, not {ref.paragraph}", ref.location)
                return Link(ref.raw, None, "xref-broken")
        css, title = "xref", None
        if target is not source:
            status = target.meta.status
            if status == "draft" and not self.drafts:
                self.diags.add("HB203", f"{target.id} is a draft and is not published; the "
                               "reference is shown as plain text", ref.location)
                text = ref.raw if ref.prose else ref.text or prefix + _article_text(art, ref)
                return Link(text, None, "xref-draft")
            if status == "retired":
                # A successor naming what it replaces, and retired text citing its
                # contemporaries, are history, not mistakes.
                historic = source is not None and (
                    source.meta.status == "retired" or
                    any(t == target.id for t, _ in source.meta.supersedes))
                if not historic:
                    successor = self.table.successors.get(target.id)
                    self.diags.add("HB203", f"{target.id} is retired", ref.location,
                                   hint=f"cite its successor {successor}" if successor else None)
                css, title = "xref xref-retired", "已废止"
            elif status == "draft":
                css, title = "xref xref-draft", "草案"
        if ref.prose:
            text = ref.raw
        elif ref.text:
            text = ref.text
        else:
            text = prefix + (_article_text(art, ref) if art else "")
        url = policy_url(target.id) + (f"#{art.anchor}" if art else "")
        if source is not None and target is not source and visible(source, self.drafts):
            source_art = self.article(source, ref.article) if ref.article else None
            self.table.cited_by.setdefault(target.id, []).append(Citation(
                source.id, source.title, ref.article, source_art.anchor if source_art else None,
                art.number if art else None))
        return Link(text, url, css, title)

    def _md_link(self, ref: Ref, source: Policy | None) -> Link:
        base = posixpath.dirname(ref.location.path)
        path = posixpath.normpath(posixpath.join(base, ref.target))
        root = ref.location.path.split("/")[0]
        if path.startswith("../") or not path.startswith(root + "/") or ref.target.startswith("/"):
            self.diags.add("HB135", f"link '{ref.raw}' escapes the handbook root", ref.location)
            return Link("", None, bare_url=True)
        target = self.by_path.get(path)
        if target is None:
            self.diags.add("HB134", f"link target '{ref.target}' not found", ref.location,
                           hint=did_you_mean(path, self.by_path))
            return Link("", None, bare_url=True)
        link = self._to_policy(Ref("policy", target.id, ref.anchor, None, "", ref.location,
                                   ref.article, raw=ref.raw), source, target, prefix="")
        return Link("", link.url, bare_url=True)


def _count(policy: Policy) -> str:
    n = len(policy.body.articles)
    return "no numbered articles" if n == 0 else f"{n} article" + ("s" if n > 1 else "")


def _key_name(key: str) -> str:
    return article_name(int(key)) if key.isdigit() else key


def _article_text(art: Article | None, ref: Ref) -> str:
    if art is None:
        return ""
    return article_name(art.number) + (paragraph_name(ref.paragraph) if ref.paragraph else "")


def fill_text(text: str, links: list[Link]) -> str:
    """Plain text (search, summaries) with each reference replaced by its link text."""
    return _PLACEHOLDER.sub(lambda m: links[int(m.group(1))].text if m.group(1) else "", text)


def fill(html: str, links: list[Link], page: str, slots: dict[int, str] | None = None) -> str:
    """Replace a body's placeholders with links relative to `page`, and article slots
    with their "cited by" HTML (or nothing)."""
    def repl(m: re.Match) -> str:
        if m.group(2) is not None:
            return (slots or {}).get(int(m.group(2)), "")
        link = links[int(m.group(1))]
        if link.bare_url:
            return escape(relative(link.url, page)) if link.url else ""
        if link.url is None:
            css = f' class="{link.css}"' if link.css else ""
            return f"<span{css}>{escape(link.text)}</span>" if css else escape(link.text)
        title = f' title="{escape(link.title)}"' if link.title else ""
        return (f'<a class="{link.css}" href="{escape(relative(link.url, page))}"{title}>'
                f"{escape(link.text)}</a>")
    return _PLACEHOLDER.sub(repl, html)

