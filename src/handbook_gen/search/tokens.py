"""Tokenisation of normalised text into index terms (documents) and query terms.

Owns the term model shared with templates/static/search.js (`queryTerms` there
must produce the same strings as `query_terms` here):

* Han runs -> character bigrams (every field); unigrams only in title/heading
  fields (and for a one-character query).
* A Han character touching a punctuation mark -> that pair (录。 。评 则》), and
  Han-punctuation-Han -> that trigram (录。评), so queries that span punctuation
  stay selective and a lone character between punctuation marks is still found.
* ASCII letter/digit runs -> the run; a mixed run also yields its letter and digit
  parts (iso9001 -> iso, 9001); runs joined by - _ . / also yield the joined form
  (qm-001 -> qm001), so QM-001, qm001, QM 001 and ＱＭ－００１ all meet.
* Boundary terms where a letter/digit run touches a Han character (3号, 年1,
  9001认) so that mixed queries such as 人发〔2026〕3号 or 2026年 need no
  body unigrams.
* Pinyin of headings (full and initials) as extra heading terms.

All input here is already normalised (see normalize.py).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from handbook_gen.core.numerals import NUMERAL_CLASS

HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
_HAN_CHAR = re.compile(f"[{HAN_CLASS}]")
ALNUM_RUN = re.compile(r"[0-9a-z]+")
COMPOUND = re.compile(r"[0-9a-z]+(?:[-_./][0-9a-z]+)+")
_PARTS = re.compile(r"[a-z]+|[0-9]+")
HAS_ALNUM = re.compile(r"[0-9a-z]")


#: White space for the punctuation rule (the same list is in search.js).
SPACE_CHARS = " \t\n\r\f\v\x85\u1680\u180e\u2028\u2029\u205f\ufeff"
_ALNUM_CHAR = re.compile(r"[0-9a-z]")


def is_han(ch: str) -> bool:
    return bool(_HAN_CHAR.match(ch))


def is_punct(ch: str) -> bool:
    """Punctuation or symbol: not Han, not a-z/0-9, not white space or a control character."""
    o = ord(ch)
    return not (is_han(ch) or _ALNUM_CHAR.match(ch) or ch in SPACE_CHARS or o < 0x20 or 0x7F <= o <= 0x9F)


def punct_pairs(text: str) -> list[tuple[int, str]]:
    """(offset, pair) for each Han character touching a punctuation mark: 录。 。评 则》."""
    out = []
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if (is_han(a) and is_punct(b)) or (is_punct(a) and is_han(b)):
            out.append((i, a + b))
    return out


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def cover_bigrams(run: str) -> list[str]:
    """The bigrams of a query's Han run (all of them: overlapping bigrams keep the candidates
    close to the records that have the run side by side; a sparser cover was measured to
    lower P@10 on the bench corpus from 0.99 to 0.96)."""
    return bigrams(run)


_ALNUM_CTX = re.compile(f"([{HAN_CLASS}]?)([0-9a-z]+)(?=([{HAN_CLASS}]?))")


def alnum_occurrences(text: str) -> tuple[list[str], list[int]]:
    """Document-side letter/digit terms of `text` and the offset each comes from: runs, the
    letter/digit parts of mixed runs, boundary terms with a touching Han character, and
    joined compounds (qm-001 -> qm001). Works on many texts joined by a separator."""
    terms: list[str] = []
    pos: list[int] = []
    add, at_ = terms.append, pos.append
    for m in _ALNUM_CTX.finditer(text):
        pre, run, post = m.groups()
        at = m.start(2)
        add(run)
        at_(at)
        if run.isdigit() or run.isalpha():
            if post:
                add(run + post)
                at_(at)
            if pre:
                add(pre + run)
                at_(at)
            continue
        parts = _PARTS.findall(run)
        new = parts
        if post:
            new = new + [run + post, parts[-1] + post]
        if pre:
            new = new + [pre + run, pre + parts[0]]
        terms += new
        pos += [at] * len(new)
    for m in COMPOUND.finditer(text):
        terms.append("".join(ALNUM_RUN.findall(m.group())))
        pos.append(m.start())
    return terms, pos


def alnum_terms(text: str, out: list[str]) -> None:
    """Document-side letter/digit terms (see alnum_occurrences), appended to `out`."""
    out.extend(alnum_occurrences(text)[0])


def doc_terms(text: str, unigrams: bool) -> list[str]:
    """All index terms of one normalised field text (with repetitions = term frequency)."""
    out: list[str] = []
    for m in HAN_RUN.finditer(text):
        run = m.group()
        out.extend(bigrams(run))
        if unigrams:
            out.extend(run)
    out.extend(p for _, p in punct_pairs(text))
    out.extend(t for _, t in punct_spans(text))
    if HAS_ALNUM.search(text):
        alnum_terms(text, out)
    return out


def doc_term_counts(text: str, unigrams: bool) -> Counter[str]:
    return Counter(doc_terms(text, unigrams))


def _gap(ch: str) -> bool:
    return ch == " " or is_punct(ch)


def punct_spans(text: str) -> list[tuple[int, str]]:
    """Han, one or two punctuation marks or spaces, Han (录。评, 实。《会, 表》 业), and a
    punctuation mark and a Han character across one space (。 总): (offset, term)."""
    out = []
    n = len(text)
    for i in range(n - 2):
        a, b, c = text[i], text[i + 1], text[i + 2]
        if is_han(a) and _gap(b):
            if is_han(c):
                out.append((i, text[i:i + 3]))
            elif i + 3 < n and _gap(c) and is_han(text[i + 3]):
                out.append((i, text[i:i + 4]))
        if b == " " and ((is_han(a) and is_punct(c)) or (is_punct(a) and is_han(c))):
            out.append((i, text[i:i + 3]))
    return out


def punct_terms(q: str) -> tuple[list[tuple[int, str]], list[str]]:
    """Query terms around punctuation: (required, optional).

    Required: a span term where punctuation (one or two marks) sits between Han characters,
    else the Han-punctuation pair at each end. A span with a space is optional: the space may
    separate words the user typed apart, but it ranks text that has them side by side first."""
    req: list[tuple[int, str]] = []
    opt: list[str] = []
    covered = set()
    for i, t in punct_spans(q):
        if " " in t:
            opt.append(t)
        else:
            req.append((i, t))
            covered.update(range(i, i + len(t) - 1))  # pair start offsets implied by the span
    for i, pair in punct_pairs(q):
        if i not in covered:
            req.append((i, pair))
    req.sort()
    return req, opt


# ---------------------------------------------------------------------------
# Query side (mirrored in search.js)


def query_terms(q: str) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """(required terms, optional terms, fallbacks) for a normalised query.

    A fallback maps a letter/digit term to the smaller terms to use if the index
    does not know it (e.g. a joined id typed in a form the text never used).
    """
    req: list[str] = []
    opt: list[str] = []
    fb: dict[str, list[str]] = {}
    n = len(q)
    covered_runs: set[int] = set()
    covered_han: set[int] = set()
    # boundary terms first: they make the run and the lone Han char redundant
    for m in ALNUM_RUN.finditer(q):
        a, b = m.span()
        run = m.group()
        if b < n and is_han(q[b]):
            req.append(run + q[b])
            covered_runs.add(a)
            covered_han.add(b)
        if a > 0 and is_han(q[a - 1]):
            req.append(q[a - 1] + run)
            covered_runs.add(a)
            covered_han.add(a - 1)
    compounds: list[tuple[int, int]] = []
    for m in COMPOUND.finditer(q):
        runs = ALNUM_RUN.findall(m.group())
        joined = "".join(runs)
        req.append(joined)
        fb[joined] = runs
        compounds.append(m.span())
    for m in ALNUM_RUN.finditer(q):
        a = m.start()
        if a in covered_runs or any(s <= a < e for s, e in compounds):
            continue
        run = m.group()
        req.append(run)
        parts = _PARTS.findall(run)
        if len(parts) > 1:
            fb[run] = parts
    for i, pair in punct_pairs(q):
        covered_han.add(i if is_han(pair[0]) else i + 1)
    p_req, p_opt = punct_terms(q)
    req.extend(t for _, t in p_req)
    singles: list[str] = []
    for m in HAN_RUN.finditer(q):
        run = m.group()
        if len(run) >= 2:
            req.extend(cover_bigrams(run))
        elif m.start() not in covered_han:
            singles.append(run)
    if req:
        opt.extend(singles)
    else:
        req.extend(singles)
    opt.extend(p_opt)
    return _dedupe(req), _dedupe([t for t in opt if t not in req]), fb


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for t in items:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


# ---------------------------------------------------------------------------
# Headings: the label without its number, for pinyin terms

_NUMBER_PREFIX = re.compile(
    rf"^\s*(?:第[{NUMERAL_CLASS}]+[章节条篇编部款项]|"
    r"[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+(?:\.[0-9]+)*[、.．]?)\s*"
)
ARTICLE_ONLY = re.compile(rf"^\s*第[{NUMERAL_CLASS}]+条\s*$")


def heading_label(heading: str) -> str:
    """'第二章 质量目标' -> '质量目标'; '第五条' -> '' (nothing to spell)."""
    if ARTICLE_ONLY.match(heading):
        return ""
    return _NUMBER_PREFIX.sub("", heading, count=1).strip()
