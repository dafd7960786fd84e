"""SearchRecords for the sample handbook (policies/) from the generator's model.

Test-only stand-in for the pipeline's own feed (handbook_gen.search.feed), so the judged
query set can run before/independently of the wiring: one record per article plus a
policy-level intro record; drafts skipped; references replaced by their link text."""
from __future__ import annotations

from pathlib import Path

from handbook_gen.search import SearchRecord

REPO = Path(__file__).resolve().parents[2]


def records(root: Path = REPO / "policies") -> list[SearchRecord]:
    from handbook_gen.build.pipeline import BuildOptions, BuildResult, load
    from handbook_gen.core.diagnostics import Diagnostics
    from handbook_gen.core.urls import policy_url
    from handbook_gen.markdown.placeholders import fill_text

    result = BuildResult(Diagnostics(strict=False))
    load(root, BuildOptions(cache_dir=None, save_cache=False, jobs=1), result)
    hb, table = result.handbook, result.links
    out: list[SearchRecord] = []
    for ch in hb.chapters:
        for pid in ch.policy_ids:
            p = hb.policies[pid]
            if p.meta.status == "draft":
                continue
            links = table.links.get(p.path, [])
            owner = hb.departments[p.meta.owner].name if p.meta.owner in hb.departments else p.meta.owner
            common = dict(policy_id=p.id, policy_title=p.title, chapter=ch.title, owner=owner,
                          status=p.meta.status, doc_no=p.meta.doc_no or "")
            url = policy_url(p.id)
            intro = fill_text(p.body.intro_text, links).strip()
            out.append(SearchRecord(url=url, heading="", section="", text=intro, **common))
            for a in p.body.articles:
                out.append(SearchRecord(url=f"{url}#{a.anchor}", heading=f"第{_cn(a.number)}条",
                                        section=a.heading, text=fill_text(a.text, links).strip(), **common))
    return out


def _cn(n: int) -> str:
    from handbook_gen.core.numerals import to_chinese
    return to_chinese(n)
