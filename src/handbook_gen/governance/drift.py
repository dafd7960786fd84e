"""Citations that drift, and their fix.

A citation by number (《费用报销管理办法》第九条, 本办法第九条, ``[[OP-011#第九条]]``) means
the article that had that number when it was written. When the cited policy is
renumbered afterwards (an article inserted or deleted before it), the same words point
at another article without any error. This module finds them: a citation was written
against the cited policy as it stood when the citing text was written, that is the
oldest revision since which the citing article reads as it does now (followed back by
alignment through renumberings of its own policy); a citation in an article edited in
the working tree is taken as written now. The article the number meant then is found in
the current text by § label or by best alignment (governance.versions.align), and a
citation whose article now has another number, or was deleted, is reported (HB207).

``handbook fix --citations`` rewrites citations by number into label references
(``[[ID#label]]``; ``本办法[[#label]]`` for the policy's own articles), which never drift,
pointing a drifted one at the article it meant: ``rewrite`` computes the new text of each
file; the CLI shows the diff and writes only when asked.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.model import Article, Handbook, Policy, Ref
from handbook_gen.core.numerals import article_name, paragraph_name, parse_article_key
from handbook_gen.governance.history import History, Revision
from handbook_gen.governance.versions import (Parse, align_bodies, documents, source_texts,
                                              state_at)
from handbook_gen.markdown.citations import SELF_WORDS
from handbook_gen.markdown.placeholders import Link, fill_text


class Drift(NamedTuple):
    """A citation whose number meant another article when it was written."""

    ref: Ref
    source: str
    """Id of the citing policy."""
    target: str
    """Id of the cited policy."""
    old: int
    """The number as written (and as it was then)."""
    new: Article | None
    """That article now; None when it was deleted."""
    version: str
    """The cited policy's version the citation was written against."""
    by_label: bool
    """Whether the article was followed by its § label (else by text alignment)."""


def _numbered(ref: Ref) -> int | None:
    """The article number a reference cites by number, None for labels and whole policies."""
    if ref.anchor is None or ref.kind not in ("policy", "local", "title"):
        return None
    return parse_article_key(ref.anchor)


def cited_policy(hb: Handbook, source: Policy, ref: Ref,
                 by_title: Mapping[str, Policy]) -> Policy | None:
    if ref.kind == "local":
        return source
    if ref.kind == "policy":
        return hb.policies.get(ref.target)
    return by_title.get(ref.target) if ref.kind == "title" else None


def find_drift(hb: Handbook, history: History, parse: Parse,
               current: Mapping[str, str]) -> list[Drift]:
    """Every drifted citation of `hb`, in handbook and reference order. `current`: source
    path -> git blob id of its text now (the working tree)."""
    by_title = {p.title: p for p in hb.policies.values()}
    citing = []
    for source in hb.policies.values():
        numbered = [(r, n) for r in source.body.refs if (n := _numbered(r)) is not None]
        chain = _chain(history, source.path) if numbered else []
        if chain:
            citing.append((source, numbered, chain))
    documents(history, [rev for _, _, chain in citing for rev in chain], parse)
    tasks: list[tuple[Policy, Ref, int, Policy, Revision]] = []
    for source, numbered, chain in citing:
        dirty = current.get(source.path) != chain[0].blob
        written: dict[int | None, Revision | None] = {}
        for ref, number in numbered:
            target = cited_policy(hb, source, ref, by_title)
            if target is None:
                continue
            if ref.article not in written:
                written[ref.article] = _written(history, source, ref.article, chain, dirty)
            when = written[ref.article]
            if when is None:  # written in the working tree: against the text as it is now
                continue
            if target is source:
                old = when
            else:
                old = state_at(history, target.path, when.commit)
            if old is not None and old.blob != current.get(target.path):
                tasks.append((source, ref, number, target, old))
    documents(history, [t[4] for t in tasks], parse)
    pairs: dict[tuple[str, str], dict] = {}
    found: list[Drift] = []
    for source, ref, number, target, old in tasks:
        doc = history.documents.get(old.blob)
        if doc is None or doc.body is None or doc.meta is None:
            continue
        mapping = _pairs(pairs, old.blob, doc, target)
        then = _article(doc.body.articles, number)
        if then is None or then not in mapping:
            continue  # it did not resolve then either (HB205 says so if it still does not)
        now, by_label = mapping[then]
        if now is not None and now.number == number:
            continue
        found.append(Drift(ref, source.id, target.id, number, now, doc.meta.version, by_label))
    return found


def _article(articles: tuple[Article, ...], number: int) -> Article | None:
    return next((a for a in articles if a.number == number), None)


def _chain(history: History, path: str) -> list[Revision]:
    """The revisions of `path`, newest first, with the shallow clone's base state last."""
    chain = list(history.of(path))
    if path in history.base:
        chain.append(history.base[path])
    return chain


def _pairs(memo: dict, blob: str, doc, policy: Policy) -> dict:
    """Article of the text `blob` -> (the same article in `policy` now or None, whether
    by label), memoised per (text, policy)."""
    key = (blob, policy.id)
    if key not in memo:
        memo[key] = {p.old: (p.new, p.by_label)
                     for p in align_bodies(doc.body, policy.body) if p.old}
    return memo[key]


def _written(history: History, source: Policy, article: int | None, chain: list[Revision],
             dirty: bool) -> Revision | None:
    """The revision the text around a citation was written in: the oldest one in which
    the citing article (or the text outside articles, for `article` None) already read
    as it reads now, going back without a gap; None when it was written in the working
    tree. Its citations were written against the numbering of that time."""
    current = _article(source.body.articles, article) if article is not None else None
    now = _citing_text(source.body, current)
    if article is not None and current is None:
        return None
    written = None if dirty else chain[0]
    memo: dict = {}
    for rev in chain if dirty else chain[1:]:
        doc = history.documents.get(rev.blob)
        if doc is None or doc.body is None:
            break
        then = None
        if current is not None:
            if current.label:  # the same article by its label, wherever it is
                then = next((a for a in doc.body.articles if a.label == current.label), None)
            else:
                then = next((old for old, (new, _) in
                             _pairs(memo, rev.blob, doc, source).items() if new is current),
                            None)
            if then is None:
                break
        if _citing_text(doc.body, then) != now:
            break
        written = rev
    return written


def _citing_text(body, article: Article | None) -> str:
    """The text of `article` of `body` (the text outside articles for None), its
    references written as in the source, so that texts compare across revisions."""
    if article is None:
        return fill_text(body.intro_text, [Link(r.raw, None) for r in body.refs])
    return source_texts(body)(article)


def report(drifts: list[Drift], hb: Handbook, diags: Diagnostics) -> None:
    """One warning (HB207) per drifted citation."""
    for d in drifts:
        of = "" if d.source == d.target else " of {policy}"
        params = dict(raw=d.ref.raw, old=article_name(d.old), policy=d.target,
                      version=d.version)
        if d.new is None:
            diags.add("HB207", "{raw} was written when {old}" + of + " was an article that "
                      "has since been deleted (version {version})", d.ref.location,
                      hint="check what it should cite now: {old} is now another article",
                      **params)
        else:
            target = hb.policies[d.target]
            diags.add("HB207", "{raw} was written when {old}" + of + " was the article now "
                      "numbered {new} (version {version})", d.ref.location,
                      hint="write {fix}: a label reference never drifts "
                      "(handbook fix --citations writes it)",
                      new=article_name(d.new.number),
                      fix=replacement(d.ref, target, d.new, d.source == d.target), **params)


def replacement(ref: Ref, target: Policy, article: Article, own: bool) -> str:
    """What `ref` becomes: a label reference to `article` when it has a label, else the
    same prose with the article's number now."""
    para = ref.paragraph
    if article.label:
        anchor = article.label + (f".{para}" if para else "")
        if own:
            return _self_word(ref.raw) + f"[[#{anchor}{_text(ref)}]]"
        return f"[[{target.id}#{anchor}{_text(ref)}]]"
    number = article_name(article.number) + (paragraph_name(para) if para else "")
    if ref.prose:
        cut = ref.raw.find("第")
        return ref.raw[:cut] + number
    return f"[[{'' if own else target.id}#{number}{_text(ref)}]]"


def _text(ref: Ref) -> str:
    return f"|{ref.text}" if ref.text and not ref.prose else ""


def _self_word(raw: str) -> str:
    """'本办法' of '本办法第九条'; '' for a continuation ('第九条' after '、')."""
    for word in SELF_WORDS.split("|"):
        if raw.startswith("本" + word):
            return "本" + word
    return ""


class Edit(NamedTuple):
    location: Location
    raw: str
    new: str


class Skipped(NamedTuple):
    location: Location
    raw: str
    why: str
    """English template of the reason (fields: article, policy)."""
    params: dict


def rewrite(hb: Handbook, drifts: list[Drift], texts: Mapping[str, str],
            only: str | None = None) -> tuple[dict[str, str], list[Edit], list[Skipped]]:
    """The new text of each source path in `texts` (path -> text now) whose prose and
    numbered citations can become label references, with the edits made and the ones
    left (no label to cite, a deleted article, text not where the parser saw it).
    `only`: a path prefix to limit the files."""
    by_title = {p.title: p for p in hb.policies.values()}
    meant = {(d.source, d.ref.location): d for d in drifts}
    out: dict[str, str] = {}
    edits: list[Edit] = []
    skipped: list[Skipped] = []
    for source in hb.policies.values():
        if only and not (source.path == only or source.path.startswith(only.rstrip("/") + "/")):
            continue
        text = texts.get(source.path)
        if text is None:
            continue
        lines = text.split("\n")
        changes: list[tuple[int, int, int, str]] = []  # (line index, start, end, new)
        for ref in source.body.refs:
            number = _numbered(ref)
            if number is None:
                continue
            target = cited_policy(hb, source, ref, by_title)
            if target is None:
                continue
            drift = meant.get((source.id, ref.location))
            if drift is not None:
                article = drift.new
                if article is None:
                    skipped.append(Skipped(ref.location, ref.raw, "{article} it meant was "
                                           "deleted from {policy}",
                                           {"article": article_name(number),
                                            "policy": target.id}))
                    continue
            else:
                article = _article(target.body.articles, number)
                if article is None:
                    continue  # unresolved: HB205 / HB201 already say so
            if not article.label:
                if drift is None:
                    skipped.append(Skipped(ref.location, ref.raw, "{article} of {policy} "
                                           "has no § label to cite",
                                           {"article": article_name(article.number),
                                            "policy": target.id}))
                    continue
            new = replacement(ref, target, article, target is source)
            where = _locate(lines, ref)
            if where is None:
                skipped.append(Skipped(ref.location, ref.raw, "the citation was not found "
                                       "at its position", {}))
                continue
            changes.append((*where, new))
            edits.append(Edit(ref.location, ref.raw, new))
        for index, start, end, new in sorted(changes, reverse=True):
            line = lines[index]
            lines[index] = line[:start] + new + line[end:]
        if changes:
            out[source.path] = "\n".join(lines)
    return out, edits, skipped


def _locate(lines: list[str], ref: Ref) -> tuple[int, int, int] | None:
    """(line index, start, end) of the reference's source text at its location."""
    loc = ref.location
    if loc.line <= 0 or loc.line > len(lines):
        return None
    line = lines[loc.line - 1]
    raw = ref.raw
    start = max(loc.col - 1, 0)
    if line.startswith(raw, start):
        return loc.line - 1, start, start + len(raw)
    found = line.find(raw)
    if found >= 0 and line.find(raw, found + 1) < 0:  # once on the line: unambiguous
        return loc.line - 1, found, found + len(raw)
    return None


def write_text(path: str, text: str, expected: bytes) -> bool:
    """Replace the file at `path` with `text` (UTF-8), atomically and keeping its mode,
    only when it still holds `expected`; False when it changed meanwhile."""
    with open(path, "rb") as fh:
        if fh.read() != expected:
            return False
    mode = os.stat(path).st_mode & 0o7777
    tmp = f"{path}.fix-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    return True
