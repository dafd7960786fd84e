"""The handbook model: frozen dataclasses shared by the phases, keyed by stable ids.

Relations hold ids, never objects, so renaming a file breaks nothing. Entities are
frozen dataclasses, deliberately not slotted (they are pickled into the parse cache and
unpickling slotted frozen dataclasses is four times slower); the many small records
(Heading, Article, Ref) are NamedTuples, which are cheaper still to create and load.
The assembled Handbook's mappings are read-only (MappingProxyType; the Handbook is never
pickled). PolicyMeta.key_locations stays a plain dict: documents are pickled into the
parse cache, and a mapping proxy cannot be pickled.
Also here: Status, a policy's status with its label, and the supersession graph.
"""
from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from types import MappingProxyType
from typing import NamedTuple

from handbook_gen.core.diagnostics import Location


class Status(enum.StrEnum):
    """A policy's status and its label on the site: what an author declares (draft,
    active, retired) and what the build date makes of an adopted policy (overdue,
    pending; lifecycle.py). A member equals its value: ``Status.ACTIVE == "active"``."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    ACTIVE = "active", "现行"
    OVERDUE = "overdue", "复审逾期"
    PENDING = "pending", "尚未生效"
    DRAFT = "draft", "草案"
    RETIRED = "retired", "已废止"
    EXPIRED = "expired", "已失效"

    @classmethod
    def label_of(cls, value: str) -> str | None:
        """The label of a status value (``label_of("retired") == "已废止"``), None when it
        is none (the templates' ``state_label``)."""
        try:
            return cls(value).label
        except ValueError:
            return None


STATUSES = (Status.DRAFT.value, Status.ACTIVE.value, Status.RETIRED.value)
"""The statuses an author may declare in front matter."""


@dataclass(frozen=True)
class Department:
    id: str
    """Registry id, e.g. ``FIN``."""
    name: str
    """Display name, e.g. ``财务部``."""
    parent: str | None
    duties: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class SiteInfo:
    title: str
    language: str
    base_url: str | None
    synonyms: tuple[tuple[str, ...], ...] = ()
    """The handbook's own search synonym groups (``search: {synonyms: ...}``)."""


class Change(NamedTuple):
    """One entry of ``changes:``: what a version changed, in the editor's words."""

    version: str
    summary: str
    date: _dt.date | None
    """When the revision was adopted (审议通过), if given."""
    location: Location


@dataclass(frozen=True)
class PolicyMeta:
    id: str
    title: str
    owner: str
    status: str
    """As declared, one of STATUSES: ``draft`` | ``active`` | ``retired``."""
    effective: _dt.date
    version: str
    """Verbatim text: ``1.10`` stays ``"1.10"``."""
    review_by: _dt.date | None = None
    supersedes: tuple[tuple[str, Location], ...] = ()
    related: tuple[tuple[str, Location], ...] = ()
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """Other names of the policy (short names, former names) from ``aliases:``; search only."""
    approved_by: str | None = None
    doc_no: str | None = None
    lang: str | None = None
    """Language tag from ``lang:`` (``zh-Hant``), checked and in its usual case; None when
    absent: the page's language is then detected from the text (core/lang.py)."""
    changes: tuple[Change, ...] = ()
    """The editor's revision notes (``changes:``), as written (newest first by custom)."""
    expires: _dt.date | None = None
    """Last day in force of a time-limited (暂行/试行) policy; after it, 已失效."""
    key_locations: dict = field(default_factory=dict, compare=False, hash=False)
    """key -> Location of the key in the front matter (for later diagnostics)."""


@dataclass(frozen=True)
class ChapterMeta:
    title: str
    order: int


class Heading(NamedTuple):
    level: int
    text: str
    """Display text, numbering included: ``第一章 总则``."""
    anchor: str
    kind: str = "plain"
    """``part`` (第N编), ``subpart`` (第N分编), ``chapter`` (第N章), ``section`` (第N节) or
    ``plain``."""
    line: int = 0


class Article(NamedTuple):
    number: int
    """1-based article number, continuous through the policy: 第五条 is 5; 第五条之一 (an
    inserted article) is numerals.InsertedNumber(5, 1)."""
    label: str | None
    """Author's stable label from ``§{label}``, or None."""
    anchor: str
    """The element id links use: the label when there is one, else ``a5``."""
    paragraphs: int
    """How many 款 (paragraphs) the article has."""
    heading: str
    """Enclosing 章/节 heading text, '' when none."""
    line: int
    text: str = ""
    """Plain text of the whole article (search, snippets)."""


class Ref(NamedTuple):
    """A reference found in a body: ``[[QM-001#scope.2]]``, a prose citation or a .md link."""

    kind: str
    """``policy`` | ``local`` | ``dept`` | ``title`` (《…》第N条) | ``mdlink``."""
    target: str
    """Policy id, department id, policy title, or link path; '' for local refs."""
    anchor: str | None
    """Label, ``第五条``, ``5`` or a heading anchor; None for the whole policy."""
    paragraph: int | None
    """款 number from ``label.2`` / 第二款."""
    text: str | None
    """Custom link text from ``[[id|text]]``; for md links the author's link HTML."""
    location: Location
    article: int | None
    """Number of the article the reference stands in (for backlinks)."""
    prose: bool = False
    """True for a citation detected in prose (unresolved ones stay plain text)."""
    raw: str = ""
    """Source text of the reference, shown when it cannot be resolved."""


@dataclass(frozen=True)
class ParsedBody:
    """What parsing one Markdown body yields; picklable and cached by content hash."""

    html: str
    """Rendered HTML with placeholders (markdown/placeholders.py): one per reference (N
    indexes refs), one per article's "cited by" slot, one per flow."""
    headings: tuple[Heading, ...]
    articles: tuple[Article, ...]
    refs: tuple[Ref, ...]
    intro_text: str
    """Plain text outside any article (search)."""
    flows: tuple = ()
    """markdown.fences.flow.Flow per ```flow block, in order (a placeholder each in html)."""

    def __reduce__(self):
        """Pickled with its records as plain tuples and loaded back into their NamedTuples
        by ``tuple.__new__``: pickle calls Python for each NamedTuple both ways (its
        ``__getnewargs__``, its ``__new__``), and the parse cache holds about 45 records
        per policy (1,000 real documents: pickled in 0.29 -> 0.19 s, loaded in 0.22 -> 0.18 s)."""
        return _parsed_body, (self.html, tuple(map(tuple, self.headings)),
                              tuple(map(tuple, self.articles)), tuple(map(tuple, self.refs)),
                              self.intro_text, self.flows)


def _parsed_body(html: str, headings: tuple, articles: tuple, refs: tuple, intro_text: str,
                 flows: tuple) -> ParsedBody:
    """A ParsedBody from its pickled form (ParsedBody.__reduce__)."""
    return ParsedBody(html, tuple(map(tuple.__new__, repeat(Heading), headings)),
                      tuple(map(tuple.__new__, repeat(Article), articles)),
                      tuple(map(tuple.__new__, repeat(Ref), refs)), intro_text, flows)


@dataclass(frozen=True)
class Chapter:
    id: str
    """Folder name without its NN- prefix, e.g. ``quality``; also its URL slug."""
    folder: str
    title: str
    order: int
    path: str
    body: ParsedBody
    policy_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Policy:
    meta: PolicyMeta
    chapter_id: str
    path: str
    body: ParsedBody

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title


class Supersession(NamedTuple):
    """Who replaces whom, both ways. Only known ids, never a policy itself, each once."""

    successors: Mapping[str, tuple[str, ...]]
    """Policy id -> ids of the policies that supersede it, in handbook order."""
    predecessors: Mapping[str, tuple[str, ...]]
    """Policy id -> ids it supersedes, in the order its front matter names them."""


@dataclass(frozen=True)
class Handbook:
    site: SiteInfo
    chapters: tuple[Chapter, ...]
    policies: Mapping[str, Policy]
    """id -> Policy, in chapter order then file order (read-only)."""
    departments: Mapping[str, Department]
    """id -> Department, in registry order (read-only)."""
    config_path: str

    def __post_init__(self):
        # read-only copies: the dicts handed in stay the caller's, and no phase can change
        # the assembled handbook under another
        object.__setattr__(self, "policies", MappingProxyType(dict(self.policies)))
        object.__setattr__(self, "departments", MappingProxyType(dict(self.departments)))

    def chapter(self, chapter_id: str) -> Chapter:
        return next(c for c in self.chapters if c.id == chapter_id)

    @cached_property
    def supersession(self) -> Supersession:
        """The supersession graph, computed once per handbook (lifecycle states, the
        retired-citation hint and the pages all read this one)."""
        successors: dict[str, list[str]] = {}
        predecessors: dict[str, tuple[str, ...]] = {}
        for p in self.policies.values():
            targets = tuple(dict.fromkeys(t for t, _ in p.meta.supersedes
                                          if t in self.policies and t != p.id))
            if targets:
                predecessors[p.id] = targets
            for target in targets:
                successors.setdefault(target, []).append(p.id)
        return Supersession(MappingProxyType({k: tuple(v) for k, v in successors.items()}),
                            MappingProxyType(predecessors))
