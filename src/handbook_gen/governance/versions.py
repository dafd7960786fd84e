"""A policy's published versions, read from git: each version's front matter and its
articles by label, the period it was in force, and its change summary; and the
alignment of two versions' articles by identity (§ label, else best match).

What a version is: a run of commits in which the policy's ``version`` and ``effective``
stay the same. A new version starts at a commit that changes either of them, or that
adopts a draft (the first commit of the file starts the first). Commits inside a run are editorial corrections of
the same version (a typo, a fixed citation), not new versions: the adopted text is what
an editor bumps ``version`` for, and a version page that listed every typo commit would
bury the real revisions. A version's text is the file as its run left it (its last
commit), so the corrections are in it; ``commit`` is where the run began (the revision
that was adopted). Runs whose last state is a draft are not published versions and are
left out. In a shallow clone the state at the clone's boundary starts the first run (its
own commit being unknown, ``commit`` is the boundary's).

Cost: the front matter of every revision is read with a line scan of the blob
(no YAML, no Markdown), or taken from ``History.fronts`` (the build keeps them in its
cache, by blob id); only one blob per version is parsed, by the caller's parse function
(the build parses them in its worker pool through a parse cache keyed by path and blob
id, so a cached text is never even read from git), and a blob whose document is already
known (the working tree's) is not parsed at all.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from handbook_gen.core.model import Article, ParsedBody, Policy
from handbook_gen.governance.history import History, Revision
from handbook_gen.markdown.document import Document
from handbook_gen.markdown.placeholders import Link, fill_text

Parse = Callable[[list[tuple[str, str]]], list[Document | None]]
"""Documents of (source path, git blob id) pairs, None for a text git cannot give: the
caller reads the texts (``History.read``) or takes the documents from a cache."""


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
    last_commit: str = ""
    """The last commit of the version's run (its text is the file at this commit)."""
    blob: str = ""
    """Git blob id of that text."""


_FRONT_KEY = re.compile(rb"^(version|effective|status)[ \t]*:[ \t]*(.*?)[ \t]*(?:#.*)?$", re.M)


def front_keys(data: bytes) -> tuple[bytes, bytes, bytes]:
    """(version, effective, status) as written in the front matter of a policy file,
    quotes dropped; b'' for a key not found. A line scan, not YAML: it only tells runs
    apart (the parsed document has the real values)."""
    if not data.startswith(b"---"):
        return b"", b"", b""
    end = data.find(b"\n---", 3)
    block = data[:end if end > 0 else len(data)]
    found = {m[1]: m[2].strip(b"\"'") for m in _FRONT_KEY.finditer(block)}
    return found.get(b"version", b""), found.get(b"effective", b""), found.get(b"status", b"")


def runs(history: History, path: str) -> list[tuple[Revision, Revision]]:
    """The (first, last) revisions of each run of `path`, oldest first (see the module
    docstring); revisions whose text git could not give are skipped."""
    out: list[tuple[Revision, Revision]] = []
    last_key = None
    for rev in _revisions(history, path):
        front = history.fronts.get(rev.blob)
        if front is None:
            continue
        version, effective, status = front
        key = (version, effective, status == b"draft")
        if out and key == last_key:
            out[-1] = (out[-1][0], rev)
        else:
            out.append((rev, rev))
        last_key = key
    return out


def _revisions(history: History, path: str) -> list[Revision]:
    """The revisions of `path`, oldest first, the shallow clone's base state first."""
    revs = list(reversed(history.of(path)))
    if path in history.base:
        revs.insert(0, history.base[path])
    return revs


def read_fronts(history: History, paths: Iterable[str]) -> None:
    """Fill ``history.fronts`` for every revision of `paths`, reading the texts of those
    it does not have yet."""
    missing = [r.blob for p in paths for r in _revisions(history, p)
               if r.blob not in history.fronts]
    history.read(missing)
    for blob in missing:
        if blob in history.blobs:
            history.fronts[blob] = front_keys(history.blobs[blob])


def read_versions(history: History, policies: Iterable[Policy], parse: Parse,
                  known: Mapping[str, Document] | None = None) -> None:
    """Fill ``history.versions`` for `policies` (policy id -> versions, oldest first).
    `known`: blob id -> the Document already parsed from it (the working tree's files)."""
    policies = list(policies)
    read_fronts(history, [p.path for p in policies])
    plan = {p.id: runs(history, p.path) for p in policies}
    need = [last for groups in plan.values() for _, last in groups]
    documents(history, need, parse, known)
    versions: dict[str, tuple[Version, ...]] = {}
    for p in policies:
        found: list[tuple[Revision, Revision, Document]] = []
        for first, last in plan[p.id]:
            doc = history.documents.get(last.blob)
            if doc is None or doc.meta is None or doc.meta.status == "draft":
                continue
            found.append((first, last, doc))
        notes = {c.version: c.summary for c in p.meta.changes}
        out = []
        for i, (first, last, doc) in enumerate(found):
            meta = doc.meta
            if i + 1 < len(found):
                until = found[i + 1][2].meta.effective - _dt.timedelta(days=1)
            else:
                until = meta.expires
            summary = notes.get(meta.version) or next(
                (c.summary for c in meta.changes if c.version == meta.version), None)
            out.append(Version(p.id, meta.version, meta.effective, until, first.commit,
                               first.date, summary, doc, last.commit, last.blob))
        if out:
            versions[p.id] = tuple(out)
    history.versions = versions


def from_git(history: History, parse: Callable[[list[tuple[str, bytes]]], list[Document]]
             ) -> Parse:
    """A Parse that reads the texts from git (``History.read``, all at once) and parses
    them with `parse` ((source path, bytes) pairs -> documents)."""
    def run(items: list[tuple[str, str]]) -> list[Document | None]:
        history.read(blob for _, blob in items)
        found = [i for i, (_, blob) in enumerate(items) if blob in history.blobs]
        docs: list[Document | None] = [None] * len(items)
        texts = [(items[i][0], history.blobs[items[i][1]]) for i in found]
        for i, doc in zip(found, parse(texts) if texts else ()):
            docs[i] = doc
        return docs
    return run


def documents(history: History, revisions: Iterable[Revision], parse: Parse,
              known: Mapping[str, Document] | None = None) -> None:
    """Make sure ``history.documents`` has the document of each revision's blob: taken
    from `known`, else parsed (all at once, each blob once)."""
    todo: dict[str, str] = {}
    for rev in revisions:
        if rev.blob in history.documents or rev.blob in todo:
            continue
        if known and rev.blob in known:
            history.documents[rev.blob] = known[rev.blob]
        else:
            todo[rev.blob] = rev.path
    if todo:
        blobs = sorted(todo)
        for blob, doc in zip(blobs, parse([(todo[b], b) for b in blobs])):
            if doc is not None:
                history.documents[blob] = doc


def state_at(history: History, path: str, commit: str) -> Revision | None:
    """The revision of `path` in force at `commit` (the newest one not newer than it),
    None when the file did not exist then (as far as the history shows)."""
    at = history.order.get(commit)
    if at is None:
        return None
    for rev in history.of(path):  # newest first
        if history.order.get(rev.commit, -1) >= at:
            return rev
    base = history.base.get(path)
    return base


def state_in(history: History, path: str, commits: set[str]) -> Revision | None:
    """The newest revision of `path` among `commits` (abbreviated ids): its text at the
    newest of them; None when it had none."""
    for rev in history.of(path):
        if rev.commit in commits:
            return rev
    base = history.base.get(path)
    return base if base is not None and base.commit in commits else None


# ---- alignment ---------------------------------------------------------------------

SIMILAR = 0.5
"""Least text similarity (difflib ratio) for two unlabelled articles to be one article."""
MAX_PAIRS = 2_500
"""Most pairs of unlabelled articles (between two identical ones) all compared with each
other (about 0.2 s at 50 × 50); beyond it, only those at most BAND places apart."""
BAND = 8


@dataclass(frozen=True)
class Pair:
    old: Article | None
    new: Article | None
    by_label: bool
    """True when paired by § label (certain); False for a best match by text, or for a
    row with one side only (新增 / 删除)."""


def source_texts(body: ParsedBody) -> Callable[[Article], str]:
    """Article of `body` -> its plain text with its references written as in the source
    (《…》第九条, [[OP-011#travel]]), so that texts of two versions compare: the
    placeholders in Article.text are numbered per document and shift between versions.
    Each text is made once, when first asked for."""
    links = [Link(r.raw, None) for r in body.refs]
    memo: dict[int, str] = {}

    def text(article: Article) -> str:
        found = memo.get(id(article))
        if found is None:
            found = memo[id(article)] = fill_text(article.text, links)
        return found
    return text


def align_bodies(old: ParsedBody, new: ParsedBody) -> list[Pair]:
    """align() of two parsed texts, comparing their source_texts."""
    old_text, new_text = source_texts(old), source_texts(new)
    old_ids = {id(a) for a in old.articles}
    return align(old.articles, new.articles,
                 lambda a: old_text(a) if id(a) in old_ids else new_text(a))


def align(old: tuple[Article, ...], new: tuple[Article, ...],
          text: Callable[[Article], str] = lambda a: a.text) -> list[Pair]:
    """The articles of two versions paired by identity: by § label when both carry the
    same one, the others by best alignment of their `text` in order (each pair at least
    SIMILAR alike). Added articles have no ``old``, deleted ones no ``new``. In the order
    of the new version, each deleted article after the article it followed."""
    new_labels = {a.label: i for i, a in enumerate(new) if a.label}
    old_labels = {a.label for a in old if a.label}
    pairs: dict[int, Article] = {}  # index in new -> old article
    for a in old:
        if a.label and a.label in new_labels:
            pairs[new_labels[a.label]] = a
    rest_old = [a for a in old if not (a.label and a.label in new_labels)]
    rest_new = [i for i, a in enumerate(new) if i not in pairs and
                not (a.label and a.label in old_labels)]
    for i, a in _best(rest_old, [new[i] for i in rest_new], text):
        pairs[rest_new[i]] = a
    paired_old = {id(a) for a in pairs.values()}
    out: list[Pair] = []
    after: dict[int, list[Article]] = {}  # index of the old article a deleted one follows
    previous = -1
    for j, a in enumerate(old):
        if id(a) not in paired_old:
            after.setdefault(previous, []).append(a)
        else:
            previous = j
    out += [Pair(a, None, False) for a in after.get(-1, [])]
    old_index = {id(a): j for j, a in enumerate(old)}
    for i, a in enumerate(new):
        match = pairs.get(i)
        out.append(Pair(match, a, bool(match is not None and a.label and match.label == a.label)))
        if match is not None:
            out += [Pair(d, None, False) for d in after.get(old_index[id(match)], [])]
    return out


def _best(old: list[Article], new: list[Article],
          text: Callable[[Article], str]) -> list[tuple[int, Article]]:
    """(index in new, old article) of the monotone alignment with the greatest total
    similarity; identical texts are matched first (a diff of the two lists of texts), so
    the quadratic part runs only on the articles between them."""
    if not old or not new:
        return []
    a, b = [text(x) for x in old], [text(x) for x in new]
    out: list[tuple[int, Article]] = []
    i0 = j0 = 0
    for i, j, size in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        out += [(j0 + jj, old[i0 + ii]) for ii, jj in _similar(a[i0:i], b[j0:j])]
        out += [(j + k, old[i + k]) for k in range(size)]
        i0, j0 = i + size, j + size
    return out


def _similar(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """(index in old, index in new) of the monotone alignment of two lists of texts with
    the greatest total similarity, each pair at least SIMILAR alike. When there are too
    many pairs to compare all (a text rewritten throughout), only articles at most BAND
    places apart are compared."""
    if not old or not new:
        return []
    n, m = len(old), len(new)
    band = max(n, m) if n * m <= MAX_PAIRS else BAND
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sim: dict[tuple[int, int], float] = {}
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = _similarity(old[i], new[j]) if abs(i - j) <= band else 0.0
            sim[i, j] = s
            best = max(score[i + 1][j], score[i][j + 1])
            if s >= SIMILAR:
                best = max(best, score[i + 1][j + 1] + s)
            score[i][j] = best
    out, i, j = [], 0, 0
    while i < n and j < m:
        s = sim[i, j]
        if s >= SIMILAR and score[i][j] == score[i + 1][j + 1] + s:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()
