"""The forgiving-matching lexicon: which Han character pairs of the corpus read as which
toneless pinyin syllable pairs, for the client's fallback when a query finds little.

Owns: counting the Han bigrams of the records (normalised like the index), their pinyin
(pypinyin: a bigram's phrase pinyin for heteronyms such as 银行 yin hang, else each
character's usual reading), and the files `search/f/0.js` (head: syllable -> characters
read that way, shard count, synonym groups) and `search/f/<1+k>.js` (shard k: first syllable
-> second syllable -> the best-attested bigrams with their counts). The client segments a
pinyin query, or reads a Han query, into syllables and rewrites it into attested bigrams
(templates/static/search.js, "forgiving matching"; docs/search.md).
"""
from __future__ import annotations

import unicodedata
import zlib
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from .index import script_file
from .normalize import _bmp_table
from .pinyin import char_readings, phrase_readings

MIN_COUNT = 3
"""Occurrences a bigram needs to be a rewrite target (rarer pairs are mostly noise) ..."""
SMALL = 500_000
"""... in a corpus of at least this many Han characters (below it, one occurrence is enough)."""
PER_PAIR = 12
"""Bigrams kept per syllable pair, most frequent first."""
MAX_CHARS = 3000
"""Distinct characters counted (by frequency): bigrams of rarer characters are left out."""
SHARD_BYTES = 12_000
"""Target raw size of a shard file (the shard count is a power of two)."""
_HAN_LO, _HAN_HI = 0x4E00, 0x9FFF


@lru_cache(maxsize=4096)
def toneless(syllable: str) -> str:
    """'lǜ' -> 'lv', 'háng' -> 'hang' (as typed on a keyboard)."""
    s = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")  # ü with or without a tone
    return "".join(c for c in s if c.isascii() and c.isalpha()).lower()


def readings(ch: str) -> list[str]:
    """Toneless readings of a character, the usual one first (pypinyin's order)."""
    raw = char_readings(ch)
    if not raw:
        return []
    return list(dict.fromkeys(toneless(x) for x in raw.split(",") if toneless(x)))


def shard_of(syllable: str, shards: int) -> int:
    """Shard of a first syllable (the client computes the same with its crc32)."""
    return zlib.crc32(syllable.encode("utf-8")) & (shards - 1)


def _bigram_counts(texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(characters, first index, second index, counts) of the Han bigrams with at least
    MIN_COUNT occurrences, over the normalised texts (T->S fold as in the index); index 0 of
    `characters` stands for every character that is not counted."""
    tbl, _ = _bmp_table()
    a = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype=np.uint32)
    m = tbl[a & 0xFFFF]
    if a.size and int(a.max()) > 0xFFFF:
        m[a > 0xFFFF] = 0
    del a
    # dense ids 1.. of the most frequent Han characters (0: any other character)
    freq = np.bincount(m, minlength=0x10000)[_HAN_LO:_HAN_HI + 1]
    order = np.argsort(-freq, kind="stable")[:MAX_CHARS]
    order = order[freq[order] > 0]
    ids = np.zeros(0x10000, dtype=np.int32)
    ids[order + _HAN_LO] = np.arange(1, len(order) + 1, dtype=np.int32)
    cid = ids[m]
    del m
    K = len(order) + 1
    counts = np.bincount(cid[:-1] * K + cid[1:], minlength=K * K)  # pairs with an id 0: ignored
    # (a small handbook: every pair counts)
    keys = np.flatnonzero(counts >= (MIN_COUNT if int(freq.sum()) >= SMALL else 1))
    cnt = counts[keys]
    c1, c2 = keys // K, keys % K
    real = (c1 > 0) & (c2 > 0)
    chars = np.concatenate([[0], order + _HAN_LO])
    return chars, c1[real], c2[real], cnt[real]


@lru_cache(maxsize=1)
def _common_chars() -> str:
    """The 3,755 characters of GB 2312 level 1 (the commonly used ones), in code order."""
    raw = bytes(b for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    return "".join(c for c in raw.decode("gb2312", errors="ignore") if _HAN_LO <= ord(c) <= _HAN_HI)


def lexicon_files(texts: Iterable[str], synonyms: Sequence[Sequence[str]] = ()) -> dict[str, bytes]:
    """Site-root-relative path -> bytes of the lexicon files (deterministic)."""
    chars, c1, c2, cnt = _bigram_counts(texts)
    chs = [chr(c) for c in chars.tolist()]
    # each character's readings (ids into `names`), the usual one first
    syl: dict[str, int] = {}
    read: list[list[int]] = [[]] + [[syl.setdefault(r, len(syl)) for r in readings(ch)] for ch in chs[1:]]
    names = list(syl)
    first = np.array([r[0] if r else -1 for r in read], dtype=np.int64)
    s1, s2 = first[c1], first[c2]
    # heteronyms: the phrase pinyin of the words pypinyin knows
    many = np.array([len(r) > 1 for r in read], dtype=bool)
    het = np.flatnonzero(many[c1] | many[c2])
    for i, a, b in zip(het.tolist(), c1[het].tolist(), c2[het].tolist()):
        v = phrase_readings(chs[a] + chs[b])
        if v is not None and len(v) == 2 and (x := toneless(v[0])) in syl and (y := toneless(v[1])) in syl:
            s1[i], s2[i] = syl[x], syl[y]
    ok = (s1 >= 0) & (s2 >= 0)
    c1, c2, cnt, s1, s2 = c1[ok], c2[ok], cnt[ok], s1[ok], s2[ok]
    # per syllable pair, the PER_PAIR most frequent bigrams
    S = max(len(names), 1)
    key = s1 * S + s2
    o = np.lexsort((c2, c1, -cnt, key))
    key, c1, c2, cnt = key[o], c1[o], c2[o], cnt[o]
    start = np.r_[0, np.flatnonzero(np.diff(key)) + 1] if len(key) else np.zeros(0, np.int64)
    rank = np.arange(len(key)) - np.repeat(start, np.diff(np.r_[start, len(key)]))
    top = rank < PER_PAIR
    entries: dict[str, dict[str, str]] = {}
    prev, d, buf = -1, None, []
    for k, a, b, n in zip(key[top].tolist(), c1[top].tolist(), c2[top].tolist(), cnt[top].tolist()):
        if k != prev:
            if buf:
                d[names[prev % S]] = "".join(buf)
            d = entries.setdefault(names[k // S], {})
            prev, buf = k, []
        buf += (chs[a], chs[b], str(n))
    if buf:
        d[names[prev % S]] = "".join(buf)
    raw = sum(len(v) for d in entries.values() for v in d.values()) * 2
    shards = 1
    while raw / shards > SHARD_BYTES and shards < 256:
        shards *= 2
    parts: list[dict[str, dict[str, str]]] = [{} for _ in range(shards)]
    for x in sorted(entries):
        parts[shard_of(x, shards)][x] = entries[x]
    # syllable -> the characters read that way (any reading): the corpus' and the common ones
    # (a slip is often a character the corpus never uses: 报消)
    by_syl: dict[str, list[str]] = {}
    known = set(chs[1:])
    pairs = [(ch, [names[r] for r in rs]) for ch, rs in zip(chs[1:], read[1:])]
    pairs += [(ch, readings(ch)) for ch in _common_chars() if ch not in known]
    for ch, rs in pairs:
        for r in rs:
            by_syl.setdefault(r, []).append(ch)
    head = {"shards": shards, "py": {k: "".join(v) for k, v in sorted(by_syl.items())},
            "syn": [list(g) for g in synonyms]}
    out = {"search/f/0.js": script_file("f", 0, head)}
    for k, part in enumerate(parts):
        out[f"search/f/{k + 1}.js"] = script_file("f", k + 1, part)
    return out


def lexicon_for(records: Sequence, synonyms: Sequence[Sequence[str]] = (),
                timings: dict[str, float] | None = None) -> dict[str, bytes]:
    """The lexicon files of search records (their titles, headings and texts) with the
    synonym groups of search/synonyms.py; seconds into timings["lexicon"]."""
    import time

    from .synonyms import groups

    started = time.perf_counter()
    titles = {r.policy_title for r in records}
    texts = [t for r in records for t in (r.section, r.text) if t] + sorted(titles)
    out = lexicon_files(texts, groups(synonyms))
    if timings is not None:
        timings["lexicon"] = timings.get("lexicon", 0.0) + time.perf_counter() - started
    return out
