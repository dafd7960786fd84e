"""Feeds the search engine: one SearchRecord per article (and one per policy for the
text outside articles), built from the resolved model. Drafts are never indexed.
"""
from __future__ import annotations

from handbook_gen.core.model import Handbook
from handbook_gen.core.numerals import article_name
from handbook_gen.search import SearchRecord, build_search_index
from handbook_gen.core.urls import policy_url
from handbook_gen.assemble.resolve import LinkTable
from handbook_gen.markdown.placeholders import fill_text


def search_records(hb: Handbook, table: LinkTable) -> list[SearchRecord]:
    records: list[SearchRecord] = []
    chapters = {c.id: c.title for c in hb.chapters}
    for p in hb.policies.values():
        if p.meta.status == "draft":
            continue
        owner = hb.departments.get(p.meta.owner)
        links = table.links.get(p.path, [])
        common = dict(policy_id=p.id, policy_title=p.title, chapter=chapters[p.chapter_id],
                      owner=owner.name if owner else p.meta.owner, status=p.meta.status,
                      doc_no=p.meta.doc_no or "")
        url = policy_url(p.id)
        records.append(SearchRecord(url=url, heading="", section="",
                                    text=fill_text(p.body.intro_text, links), **common))
        for a in p.body.articles:
            records.append(SearchRecord(url=f"{url}#{a.anchor}", heading=article_name(a.number),
                                        section=a.heading, text=fill_text(a.text, links),
                                        **common))
    return records


def search_files(hb: Handbook, table: LinkTable, timings: dict | None = None) -> dict[str, bytes]:
    return build_search_index(search_records(hb, table), timings=timings)
