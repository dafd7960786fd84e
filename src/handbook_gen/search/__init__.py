"""Search: offline Chinese full-text search. The build-time index, the record type and
the feed that turns the assembled handbook into records.

Public interface used by the site pipeline:

    from handbook_gen.search import SearchRecord, build_search_index
    files = build_search_index(records)   # {"search/meta.js": b"...", ...}

See docs/search.md for the design and the index format.
"""
from __future__ import annotations

from typing import NamedTuple


class SearchRecord(NamedTuple):
    """One searchable unit: an article (第N条) or a heading-delimited section. (A named tuple:
    immutable, and made in a third of a frozen dataclass's time, 45,000 times a real build.)"""

    url: str  # site-root-relative URL with fragment, e.g. "policies/qm-001.html#a5"
    policy_id: str  # "QM-001"
    policy_title: str  # "质量管理制度"
    heading: str  # "第五条", a section heading, or "" for the policy-level intro
    section: str  # enclosing chapter/section heading inside the policy, or ""
    text: str  # plain text of the article/section
    chapter: str  # handbook chapter title (facet)
    owner: str  # owning department's name (facet)
    status: str  # "active" | "retired"
    doc_no: str  # 发文号 or ""
    aliases: tuple[str, ...] = ()  # other names of the policy: `aliases:` and derived abbreviations
    state: str = ""  # lifecycle on the build date: active|pending|overdue|expired|retired ("" = status)


from .index import build_search_index  # noqa: E402  (needs SearchRecord defined first)

__all__ = ["SearchRecord", "build_search_index"]
