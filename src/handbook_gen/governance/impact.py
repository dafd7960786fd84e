"""Dependent changes (联动修改): for an editor preparing a revision of one policy, what
changed in it over a revision range (articles added, deleted, modified, renumbered,
aligned as in governance.versions.align) and every article of another policy that cites
the policy as a whole or one of the changed articles (``handbook report --impact``).
"""
from __future__ import annotations

from handbook_gen.assemble.resolve import LinkTable
from handbook_gen.core.model import Article, Handbook, ParsedBody, Policy
from handbook_gen.core.numerals import article_name, parse_article_key
from handbook_gen.core.urls import policy_url
from handbook_gen.governance.history import History, Revision
from handbook_gen.governance.versions import Pair, align_bodies, source_texts, state_in


def changes(old: ParsedBody, new: ParsedBody) -> list[dict]:
    """The articles that differ between two texts of a policy, in the new text's order:
    kind 新增 / 删除 / 修改 / 条号变动 (a modified article that also moved is 修改, with
    both numbers)."""
    out = []
    old_text, new_text = source_texts(old), source_texts(new)
    for pair in align_bodies(old, new):
        kind = _kind(pair, old_text, new_text)
        if kind:
            out.append({"kind": kind,
                        "old": article_name(pair.old.number) if pair.old else None,
                        "new": article_name(pair.new.number) if pair.new else None,
                        "label": (pair.new or pair.old).label,
                        "matched_by_label": pair.by_label})
    return out


def _kind(pair: Pair, old_text, new_text) -> str | None:
    if pair.old is None:
        return "新增"
    if pair.new is None:
        return "删除"
    if old_text(pair.old) != new_text(pair.new):
        return "修改"
    if pair.old.number != pair.new.number:
        return "条号变动"
    return None


def baseline(history: History, target: Policy, blob_now: str,
             since: tuple[str, set[str]] | None = None) -> tuple[Revision | None, str]:
    """The text to compare `target` with, and how to name it: its text at `since`
    (``git rev-parse`` of ``--since`` and the commits reachable from it, as
    history.reachable gives them); else the last commit when the working tree has
    changed it; else its previous version. (None, why) when there is none."""
    if since is not None:
        rev = state_in(history, target.path, since[1])
        return rev, (since[0] if rev else f"{since[0]}（当时尚无此制度）")
    revisions = history.of(target.path)
    if revisions and revisions[0].blob != blob_now:
        return revisions[0], f"最近一次提交 {revisions[0].commit}"
    versions = history.versions.get(target.id, ())
    if len(versions) >= 2:
        previous = versions[-2]
        return Revision(previous.last_commit, "", "", "", previous.blob), \
            f"上一版本 {previous.version}（{previous.last_commit}）"
    return None, "（没有更早的版本可比较）"


def impact(hb: Handbook, table: LinkTable, target: Policy, old: ParsedBody,
           since: str, drifts: list = ()) -> dict:
    """The report: the changes of `target` since `since` (a description of the old text)
    and the citations elsewhere that they touch, each with its position: those of the
    policy as a whole, of an added or modified article, and those by number of a
    renumbered one (a label reference follows its article: nothing to do); a citation
    among `drifts` (governance.drift.Drift) is listed with the article it meant."""
    drifted = {(d.source, d.ref.location): d for d in drifts if d.target == target.id}
    changed = changes(old, target.body)
    by_anchor: dict[str, Article] = {a.anchor: a for a in target.body.articles}
    touched = {c["new"]: c for c in changed if c["new"]}
    url = policy_url(target.id)
    citing = []
    for p in hb.policies.values():
        if p.id == target.id:
            continue
        for ref, link in zip(p.body.refs, table.links.get(p.path, ())):
            if not link.url or link.url.split("#")[0] != url:
                continue
            anchor = link.url.partition("#")[2]
            article = by_anchor.get(anchor) if anchor else None
            if anchor and article is None:
                continue  # a heading of the policy, not an article
            change = touched.get(article_name(article.number)) if article else None
            if change and change["kind"] == "条号变动" and not _by_number(ref):
                change = None
            drift = drifted.get((p.id, ref.location))
            if article is not None and change is None and drift is None:
                continue
            citing.append({
                "policy": p.id, "title": p.title,
                "article": article_name(ref.article) if ref.article else None,
                "location": str(ref.location), "text": ref.raw,
                "cites": article_name(article.number) if article else None,
                "change": change["kind"] if change else "整体引用" if article is None
                else "未修改",
                "was": change["old"] if change else None,
                "drift": None if drift is None else {
                    "meant": article_name(drift.old) + f"（{drift.version} 版）",
                    "now": article_name(drift.new.number) if drift.new else None}})
    return {"policy": target.id, "title": target.title, "since": since,
            "changes": changed, "citing": citing}


def _by_number(ref) -> bool:
    """Whether a reference names its article by number (prose, ``[[ID#第九条]]``)."""
    return ref.anchor is not None and parse_article_key(ref.anchor) is not None


def impact_text(report: dict) -> str:
    lines = [f"《{report['title']}》（{report['policy']}）自 {report['since']} 以来的修改"
             f"（{len(report['changes'])} 条）"]
    for c in report["changes"]:
        what = c["new"] or f"原{c['old']}"
        if c["old"] and c["new"] and c["old"] != c["new"]:
            what += f"（原{c['old']}）"
        how = "" if c["matched_by_label"] or c["kind"] in ("新增", "删除") else "  [按文字对应]"
        lines.append(f"  {c['kind']}  {what}{how}")
    if not report["changes"]:
        lines.append("  无")
    lines += ["", f"需要联动检查的引用（{len(report['citing'])} 处）"]
    for c in report["citing"]:
        where = f"《{c['title']}》" + (c["article"] or "")
        cites = c["cites"] or "全文"
        if c["was"] and c["was"] != c["cites"]:
            cites += f"（原{c['was']}）"
        line = f"  {c['location']}  {where}  引用 {cites}：{c['change']}"
        if c["drift"]:
            now = c["drift"]["now"]
            line += (f"；条号已漂移：原指{c['drift']['meant']}，"
                     f"{'该条现为' + now if now else '该条已删除'}（HB207）")
        lines.append(line)
    if not report["citing"]:
        lines.append("  无")
    return "\n".join(lines) + "\n"
