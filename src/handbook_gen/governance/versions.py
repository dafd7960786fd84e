"""A policy's published versions, read from git: each version's front matter and its
articles by label, the period it was in force, and its change summary.

(Being built: the data type below is the agreed interface between the git reader and
the pages that show versions; the reader fills ``History.versions``.)
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from handbook_gen.markdown.document import Document


@dataclass(frozen=True)
class Version:
    policy_id: str
    version: str
    """The front matter's ``version`` at this commit, verbatim."""
    effective: _dt.date
    until: _dt.date | None
    """Last day in force: the day before the next version's effective date; None for the
    newest version (or the policy's ``expires:`` date when it has one)."""
    commit: str
    """Abbreviated commit id (12 hex digits) where this version was committed."""
    committed: str
    """Commit date, YYYY-MM-DD."""
    summary: str | None
    """The editor's change summary for this version (``changes:`` front matter), or None."""
    document: Document
    """The policy file as parsed at that commit (articles with numbers, labels and text)."""
