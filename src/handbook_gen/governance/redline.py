"""The 修订对照表 of one revision, pure: the rows (原条文 | 修订后条文 | 修订说明) of two
versions' articles paired by identity (``versions.align``), each changed pair's
character-level redline, the notes derivable per row, and each article's timeline
across all versions.

The redline diffs characters, never words (Chinese has no spaces to split on). Its cost
is bounded: the common prefix and suffix are cut off first (linear), the rest is
aligned sentence by sentence (。；！？ and line ends), and each changed run of sentences
is diffed character by character when it is short enough (``CHAR_CAP``), else aligned
again clause by clause (，、：); a changed run still too long is shown as deleted and
inserted whole. Equal runs too short to
read between two changes are merged into them, so that a redline reads as a few
phrases replaced rather than a scatter of single characters.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import escape
from typing import Callable, Sequence

from handbook_gen.core.model import Article
from handbook_gen.core.numerals import article_name
from handbook_gen.governance.versions import align
from handbook_gen.markdown.placeholders import Link, fill_text

CHAR_CAP = 1_000_000
"""Largest len(old) × len(new) of one changed run diffed character by character (a few
ms of difflib; the longest articles of a 1,000-regulation corpus are 1,300 characters)."""
_SPLITS = (re.compile(r"[^。；！？\n]*[。；！？\n]?"), re.compile(r"[^，、：,:]*[，、：,:]?"))
"""Sentences, then clauses: the units changed runs are aligned by before characters."""
_CLAUSE = re.compile(r"[^；;。，,\n]+")
_RANGE = re.compile(r"第[^条]+条至第[^条]+条")
"""原第十五条至第二十二条依次改为……: a renumbering, which the rows' own notes tell."""


# ---- the character-level redline ---------------------------------------------------

def diff(old: str, new: str) -> list[tuple[str, str]]:
    """`old` → `new` as segments ``(op, text)``, op ``=`` (both), ``-`` (old only) or
    ``+`` (new only); in a changed run the deletion comes before the insertion."""
    if old == new:
        return [("=", old)] if old else []
    head = _common_prefix(old, new)
    tail = _common_prefix(old[head:][::-1], new[head:][::-1])
    a, b = old[head:len(old) - tail], new[head:len(new) - tail]
    segments = [("=", old[:head])] + _changed(a, b, 0)
    segments.append(("=", old[len(old) - tail:] if tail else ""))
    return _tidy(segments)


def _changed(a: str, b: str, level: int) -> list[tuple[str, str]]:
    """Segments of a changed run: by characters when short enough, else aligned by the
    units of _SPLITS[level] first."""
    if not a or not b or len(a) * len(b) <= CHAR_CAP:
        return _char_diff(a, b)
    if level == len(_SPLITS):
        return [("-", a), ("+", b)]
    a_units, b_units = _units(a, level), _units(b, level)
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a_units, b_units,
                                               autojunk=False).get_opcodes():
        x, y = "".join(a_units[i1:i2]), "".join(b_units[j1:j2])
        out += [("=", x)] if tag == "equal" else _changed(x, y, level + 1)
    return out


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    lo, hi = 0, n  # binary search on slices: C-speed comparisons
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _units(text: str, level: int) -> list[str]:
    return [s for s in _SPLITS[level].findall(text) if s]


def _char_diff(a: str, b: str) -> list[tuple[str, str]]:
    if not a or not b:
        return [("-", a), ("+", b)]
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", a[i1:i2]))
        else:
            out += [("-", a[i1:i2]), ("+", b[j1:j2])]
    return out


def _tidy(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Merge each equal run between two changes that is no longer than the smaller of
    them (or than two characters) into them, then join neighbours: runs of changes
    become one deletion and one insertion."""
    runs = _join(segments)
    changed = True
    while changed:
        changed = False
        for k in range(1, len(runs) - 1):
            op, text = runs[k]
            if op != "=":
                continue
            before, after = _change_size(runs, k, -1), _change_size(runs, k, 1)
            if before and after and len(text) <= max(2, min(before, after)):
                runs[k] = ("~", text)
                runs = _join(runs)
                changed = True
                break
    return runs


def _change_size(runs: list[tuple[str, str]], k: int, step: int) -> int:
    """Characters of the change next to runs[k] on one side (its larger half)."""
    size, j = {"-": 0, "+": 0}, k + step
    while 0 <= j < len(runs) and runs[j][0] != "=":
        size[runs[j][0]] += len(runs[j][1])
        j += step
    return max(size.values())


def _join(segments) -> list[tuple[str, str]]:
    """Drop empty segments; join adjacent equal ones; each run of changes (``~`` is an
    equal run being merged: both deleted and inserted) -> one ``-`` and one ``+``."""
    out: list[tuple[str, str]] = []
    dels: list[str] = []
    ins: list[str] = []

    def flush():
        if dels:
            out.append(("-", "".join(dels)))
        if ins:
            out.append(("+", "".join(ins)))
        dels.clear()
        ins.clear()

    for op, text in segments:
        if not text:
            continue
        if op == "=":
            flush()
            if out and out[-1][0] == "=":
                out[-1] = ("=", out[-1][1] + text)
            else:
                out.append(("=", text))
        else:
            if op in "-~":
                dels.append(text)
            if op in "+~":
                ins.append(text)
    flush()
    return out


def redline(old: str, new: str) -> tuple[str, str]:
    """(old side, new side) as HTML: the old text with its deletions in ``<del>``, the
    new text with its insertions in ``<ins>``."""
    left, right = [], []
    for op, text in diff(old, new):
        html = escape(text).replace("\n", "<br>")
        if op == "=":
            left.append(html)
            right.append(html)
        elif op == "-":
            left.append(f"<del>{html}</del>")
        else:
            right.append(f"<ins>{html}</ins>")
    return "".join(left), "".join(right)


# ---- the table of one revision -----------------------------------------------------

@dataclass(slots=True)
class Row:
    kind: str
    """``修改``, ``新增``, ``删除``, ``未修改`` (text and number unchanged) or ``调整``
    (text unchanged, number or place changed)."""
    id: str
    """The row's element id on the revision page: ``n-`` + the new article's anchor,
    ``o-`` + the old one's for a deleted article."""
    old_number: int | None
    new_number: int | None
    old_html: str
    new_html: str
    """The texts as HTML with the redline; '' for an article not amended (未修改)."""
    notes: tuple[str, ...]
    by_similarity: bool
    """Paired by text similarity (hand-numbered text), not by § label."""
    old: Article | None
    new: Article | None

    @property
    def numbers(self) -> str:
        """第八条, or 第八条→第九条 when renumbered."""
        old = article_name(self.old_number) if self.old_number is not None else ""
        new = article_name(self.new_number) if self.new_number is not None else ""
        if old and new and old != new:
            return f"{old}→{new}"
        return new or old


Text = Callable[[Article], str]
"""An article's plain text as the table shows it (its references filled in)."""


def rows(old: Sequence[Article], new: Sequence[Article], old_text: Text, new_text: Text,
         summary: str | None = None) -> list[Row]:
    """The rows of the revision `old` → `new`, in the new version's order, each deleted
    article after the one it followed; unlabelled articles are aligned by the similarity
    of their texts as shown (references filled in). `summary`: the version's change summary; a clause
    of it (split at ；。，) that names an article goes into that row's notes, except one
    that names a range of articles."""
    texts = {id(a): old_text(a) for a in old} | {id(b): new_text(b) for b in new}
    pairs = align(tuple(old), tuple(new), lambda a: texts[id(a)])
    moved = _moved(pairs)
    clauses = [c.strip() for c in _CLAUSE.findall(summary or "")
               if c.strip() and not _RANGE.search(c)]
    out = []
    for pair in pairs:
        a, b = pair.old, pair.new
        notes: list[str] = []
        if b is None:
            kind, old_html, new_html = "删除", escape(texts[id(a)]), ""
            notes.append("删除条文")
        elif a is None:
            kind, old_html, new_html = "新增", "", escape(texts[id(b)])
            notes.append("新增条文")
        else:
            x, y = texts[id(a)], texts[id(b)]
            if x != y:
                kind = "修改"
                old_html, new_html = redline(x, y)
            else:  # shown by its number only (versionpages._groups)
                kind = "未修改"
                old_html = new_html = ""
            if id(b) in moved:
                notes.append("条文位置调整")
            elif a.number != b.number:
                notes.append("条文顺延" if b.number > a.number else "条文序号前移")
            if kind == "修改" and _wording(a) == _wording(b):
                notes.append("引用条号随之调整")
            if kind == "未修改" and notes:
                kind = "调整"
            if a.heading != b.heading and b.heading:
                notes.append(f"移至{b.heading}" if a.heading else f"列入{b.heading}")
                kind = "调整" if kind == "未修改" else kind
            if kind == "调整":  # moved or renumbered: its text on both sides
                old_html = new_html = escape(x)
            if not pair.by_label:
                notes.append("按相似度对齐")
        for clause in clauses:
            if (b is not None and _names(clause, article_name(b.number), False)) or (
                    a is not None and _names(clause, article_name(a.number), True)):
                notes.append(clause)
        out.append(Row(kind, f"n-{b.anchor}" if b is not None else f"o-{a.anchor}",
                       a.number if a is not None else None,
                       b.number if b is not None else None,
                       old_html, new_html, tuple(dict.fromkeys(notes)),
                       a is not None and b is not None and not pair.by_label, a, b))
    return out


class _NoLinks:
    """Every reference of a body as empty text (fill_text), for comparing wording."""

    def __getitem__(self, n: int) -> Link:
        return _EMPTY


_EMPTY = Link("", None)


def _wording(article: Article) -> str:
    """The article's text without its references: equal for two versions whose only
    difference is the article numbers their references show."""
    return fill_text(article.text, _NoLinks())


def _names(clause: str, name: str, former: bool) -> bool:
    """Whether `clause` names article `name` (第九条, not 第九条之一 or 第十九条) in the new
    numbering, or with `former` in the old one (原第九条)."""
    start = clause.find(name)
    while start >= 0:
        end = start + len(name)
        before = clause[start - 1] if start else ""
        if before != "十" and not clause.startswith("之", end) and (before == "原") == former:
            return True
        start = clause.find(name, end)
    return False


def _moved(pairs) -> set[int]:
    """ids of the new articles of pairs whose relative order changed: those outside a
    longest run of pairs that keeps the old order."""
    paired = [p for p in pairs if p.old is not None and p.new is not None]
    keys = [p.old.number for p in paired]
    # longest increasing subsequence, O(n log n)
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(keys)
    for i, k in enumerate(keys):
        pos = bisect.bisect_left(tails, k)
        if pos == len(tails):
            tails.append(k)
            tail_at.append(i)
        else:
            tails[pos], tail_at[pos] = k, i
        parent[i] = tail_at[pos - 1] if pos else -1
    keep, i = set(), tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(i)
        i = parent[i]
    return {id(p.new) for i, p in enumerate(paired) if i not in keep}


def counts(table: Sequence[Row]) -> dict[str, int]:
    """How many rows of each kind (修改, 新增, 删除, 调整, 未修改), in that order."""
    out = {k: 0 for k in ("修改", "新增", "删除", "调整", "未修改")}
    for row in table:
        out[row.kind] += 1
    return out


# ---- article timelines -------------------------------------------------------------

@dataclass(frozen=True)
class Event:
    what: str
    """``新增``, ``修改`` or ``删除``."""
    version: int
    """Index of the version (in the list given to ``timelines``) it happened in."""
    row: str
    """Row id on that revision's page; '' for the first version (no revision page)."""


def timelines(tables: Sequence[Sequence[Row]], first: Sequence[Article]
              ) -> tuple[dict[int, tuple[Event, ...]], list[tuple[Article, tuple[Event, ...]]]]:
    """Each article's events across versions 0..n: `first` is version 0's articles and
    tables[i] the rows of revision i → i+1. Returns (id of an article of the newest
    version -> its events, [(a deleted article as it last read, its events)])."""
    events: dict[int, list[Event]] = {id(a): [Event("新增", 0, "")] for a in first}
    deleted: list[tuple[Article, tuple[Event, ...]]] = []
    for i, table in enumerate(tables, start=1):
        nxt: dict[int, list[Event]] = {}
        for row in table:
            if row.new is None:
                past = events.get(id(row.old), [])
                deleted.append((row.old, tuple(past + [Event("删除", i, row.id)])))
            elif row.old is None:
                nxt[id(row.new)] = [Event("新增", i, row.id)]
            else:
                past = list(events.get(id(row.old), []))
                if row.kind == "修改":
                    past.append(Event("修改", i, row.id))
                nxt[id(row.new)] = past
        events = nxt
    return {k: tuple(v) for k, v in events.items()}, deleted
