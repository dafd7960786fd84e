"""Feeds the search engine: one SearchRecord per article (and one per policy for the
text outside articles, always the policy's first record: the client ranks articles above it), built from the
resolved model, with each policy's other names (declared `aliases:` and the abbreviations
of search/aliases.py) and its lifecycle state on the build date (assemble/lifecycle.py).
Drafts are never indexed.
"""
from __future__ import annotations

from handbook_gen.assemble.lifecycle import Lifecycle, build_date
from handbook_gen.assemble.resolve import LinkTable
from handbook_gen.core.model import Handbook
from handbook_gen.core.numerals import article_name
from handbook_gen.core.urls import policy_url
from handbook_gen.markdown.placeholders import fill_text
from handbook_gen.search import SearchRecord, build_search_index
from handbook_gen.search.lexicon import lexicon_for
from handbook_gen.search.aliases import policy_aliases


def search_records(hb: Handbook, table: LinkTable, life: Lifecycle | None = None) -> list[SearchRecord]:
    """The records of every published policy; `life` gives the states (default: the build
    date of lifecycle.build_date)."""
    life = life or Lifecycle(hb, build_date())
    records: list[SearchRecord] = []
    make = SearchRecord._make  # from the fields in order (a third of the time of keywords)
    chapters = {c.id: c.title for c in hb.chapters}
    for p in hb.policies.values():
        if p.meta.status == "draft":
            continue
        owner = hb.departments.get(p.meta.owner)
        links = table.links.get(p.path, [])
        # chapter, owner, status, doc_no, aliases, state
        tail = (chapters[p.chapter_id], owner.name if owner else p.meta.owner, p.meta.status,
                p.meta.doc_no or "", policy_aliases(p.title, p.meta.aliases), str(life.state(p.id).state))
        url = policy_url(p.id)
        # url, policy_id, policy_title, heading, section, text
        records.append(make((url, p.id, p.title, "", "", fill_text(p.body.intro_text, links)) + tail))
        for a in p.body.articles:
            records.append(make((f"{url}#{a.anchor}", p.id, p.title, article_name(a.number), a.heading,
                                 fill_text(a.text, links)) + tail))
    return records


def search_files(hb: Handbook, table: LinkTable, timings: dict | None = None,
                 life: Lifecycle | None = None) -> dict[str, bytes]:
    records = search_records(hb, table, life)
    lexicon = lexicon_for(records, hb.site.synonyms, timings)  # (forgiving matching)
    return build_search_index(records, timings=timings, extra=lexicon)
