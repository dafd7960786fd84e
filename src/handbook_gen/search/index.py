"""Build-time search index: BM25F impacts, sharded posting lists, doc store, catalogues.

Owns `build_search_index` and the on-disk format read by templates/static/search.js
(documented in docs/search.md). Every output file is a small script calling
`__hbs(kind, number, data)`, so the browser can load it with a <script> tag,
which also works from file://.

The heavy part (body bigrams, BM25F, quantisation, variable-length encoding) is
vectorised with numpy; Python loops run per record, per heading and per term only.
"""
from __future__ import annotations

import base64
import hashlib
import json
import time
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .normalize import normalize, normalize_arrays, t2s_js_string, vocabulary_pairs
from .pinyin import heading_pinyin_terms, syllables
from .tokens import SPACE_CHARS, heading_label

if TYPE_CHECKING:
    from . import SearchRecord

FORMAT = 1
LEVELS = 16  # impact levels: weight = idf * level / LEVELS
K1 = 1.2
W_H, B_H = 2.0, 0.5  # heading field (section + heading + heading pinyin)
W_B, B_B = 1.0, 0.75  # body field
B_T = 0.5  # title field (policy level: title + id + 发文号)
TITLE_BOOST = 3.0  # applied by the client to policy-level (title) impacts
INLINE_MAX = 1024  # postings; longer lists are split into impact-ordered blocks
BLOCK = 2048  # postings per block file
SHARD_TARGET = 8_000  # approximate bytes per shard file (real corpus: 2,048 shards; see docs/search.md)
DOC_CHUNK = 2_400  # approximate characters of text per doc-store chunk
PY_CHUNK = 2048  # policies per pinyin catalogue file
TERM_SEP = "\x7f"  # between a shard's terms: no term holds a control character, and JSON keeps DEL as one byte

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_ALPH = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


# ---------------------------------------------------------------------------
# Variable-length quantities: 5 bits per character, low bits first; a character
# from the second half of the alphabet means "more characters follow".


def _nchars(v: np.ndarray) -> np.ndarray:
    """VLQ characters per value (non-negative integers)."""
    nch = np.ones(len(v), dtype=np.int8)
    if len(v):
        vmax = int(v.max())
        lim = 32
        while lim <= vmax:
            nch += v >= lim
            lim <<= 5
    return nch


def _vlq(v: np.ndarray, nch: np.ndarray, offs: np.ndarray) -> np.ndarray:
    """The VLQ characters of values `v` (`nch` characters each, starting at offsets `offs`),
    concatenated."""
    out = np.empty(int(offs[-1] + nch[-1]) if len(v) else 0, dtype=np.uint8)
    k = 0
    while len(v):
        more = nch > k + 1
        code = (v & 31).astype(np.uint8)
        code |= more.view(np.uint8) << 5
        out[offs + k if k else offs] = _ALPH[code]
        idx = np.flatnonzero(more)
        if not len(idx):
            break
        v, offs, nch = v[idx] >> 5, offs[idx], nch[idx]
        k += 1
    return out


def vlq_encode(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Encode non-negative integers. Returns (ascii bytes array, char offset of each value)."""
    v = np.asarray(values, dtype=np.int64)
    if v.size and v.min() < 0:
        raise ValueError("negative value")
    nch = _nchars(v)
    offs = np.cumsum(nch, dtype=np.int64)
    offs -= nch
    return _vlq(v, nch, offs), offs


def vlq_string(values) -> str:
    chars, _ = vlq_encode(np.asarray(list(values), dtype=np.int64))
    return chars.tobytes().decode("ascii")


def vlq_decode(s: str) -> list[int]:
    out, cur, shift = [], 0, 0
    for ch in s:
        c = ALPHABET.index(ch)
        cur |= (c & 31) << shift
        if c < 32:
            out.append(cur)
            cur, shift = 0, 0
        else:
            shift += 5
    return out


# ---------------------------------------------------------------------------


# Character classes (bit flags) of code points, from one BMP table; code points above the BMP
# are Han (U+20000..U+3134F) or punctuation.
C_HAN, C_PUN, C_DIG, C_LET, C_SPACE, C_JOIN = 1, 2, 4, 8, 16, 32


def _class_table() -> np.ndarray:
    cp = np.arange(0x10000, dtype=np.uint32)
    han = ((cp >= 0x4E00) & (cp <= 0x9FFF)) | ((cp >= 0x3400) & (cp <= 0x4DBF)) | ((cp >= 0xF900) & (cp <= 0xFAFF)) \
        | (cp == 0x3007)
    dig = (cp >= 0x30) & (cp <= 0x39)
    let = (cp >= 0x61) & (cp <= 0x7A)
    ctrl = (cp < 0x20) | ((cp >= 0x7F) & (cp <= 0x9F))
    space = np.isin(cp, np.array([ord(c) for c in SPACE_CHARS], dtype=np.uint32))
    pun = ~(han | dig | let | ctrl | space)
    t = np.zeros(0x10000, dtype=np.uint8)
    t[han] |= C_HAN
    t[pun] |= C_PUN
    t[dig] |= C_DIG
    t[let] |= C_LET
    t[0x20] |= C_SPACE
    t[[ord(c) for c in "-_./"]] |= C_JOIN
    return t


_CLASSES = _class_table()


def _classes(cp: np.ndarray) -> np.ndarray:
    if not cp.size or int(cp.max()) < 0x10000:
        return _CLASSES[cp]
    cls = _CLASSES[np.minimum(cp, 0xFFFF)]
    big = cp > 0xFFFF
    cls[big] = np.where((cp[big] >= 0x20000) & (cp[big] <= 0x3134F), C_HAN, C_PUN).astype(np.uint8)
    return cls


STRING_KEY = np.uint64(1 << 42)  # keys of non-Han terms: STRING_KEY + index into the string table


class _Strings:
    """Non-Han terms (letters/digits, boundary terms, punctuation spans, pinyin) -> keys."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def keys(self, terms: list[str]) -> np.ndarray:
        ids = self.ids
        for t in dict.fromkeys(terms):
            if t not in ids:
                ids[t] = len(ids)
        out = np.fromiter(map(ids.__getitem__, terms), dtype=np.uint64, count=len(terms))
        out += STRING_KEY
        return out

    def table(self) -> list[str]:
        return list(self.ids)  # insertion order = id order


BATCH_CHARS = 4_000_000  # texts are tokenised and postings encoded in batches of about this size


def _occurrences(texts: list[str], unigrams: bool, strings: _Strings, field: int):
    """Normalise `texts` and list their term occurrences, in batches of about BATCH_CHARS
    characters (bounded temporary memory): ([(keys, owners, field) per batch], lengths of the
    normalised texts). Owners are indexes into `texts`."""
    n = len(texts)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=n) + 1)
    lens = np.zeros(n, dtype=np.int64)
    parts = []
    a = 0
    while a < n:
        b = int(np.searchsorted(ends, (ends[a - 1] if a else 0) + BATCH_CHARS, side="right"))
        b = min(max(b, a + 1), n)
        cp, ln = normalize_arrays(texts[a:b])
        lens[a:b] = ln
        k, o = _batch_occurrences(cp, unigrams, strings)
        del cp
        if a:
            o += np.int32(a)
        parts.append((k, o, field))
        a = b
    return parts, lens


def _unique_inverse(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct values of a 1-d array and the index of each element among them."""
    uniq, inv = np.unique(k, return_inverse=True)
    return uniq, inv.reshape(-1)


def _batch_occurrences(cp: np.ndarray, unigrams: bool, strings: _Strings) -> tuple[np.ndarray, np.ndarray]:
    """Keys and owners (text number within the batch) of every term occurrence in `cp`: normalised
    texts, each followed by a 0.

    Han terms are keyed by code points: a bigram (two Han characters, or a Han character and a
    touching punctuation mark) is (first << 21) | second, a unigram its code point (smaller than
    any bigram key). Other terms (letters/digits, boundary terms, Han-punctuation-Han spans) go
    through the string table. The rules are those of tokens.doc_terms (the reference)."""
    n = len(cp)
    tix = np.cumsum(cp == 0, dtype=np.int32)  # text number of each position (not of separators)
    cls = _classes(cp)
    han = (cls & C_HAN).view(bool)
    pun = (cls & C_PUN) != 0
    pos = np.flatnonzero((han[:-1] & (han[1:] | pun[1:])) | (pun[:-1] & han[1:]))
    keys = [(cp[pos].astype(np.uint64) << np.uint64(21)) | cp[pos + 1]]
    owns = [tix[pos]]
    if unigrams:
        upos = np.flatnonzero(han)
        keys.append(cp[upos].astype(np.uint64))
        owns.append(tix[upos])
    # Han, one or two punctuation marks or spaces, Han (录。评, 实。《会, 表》 业): selective terms
    # for queries that span punctuation (string terms)
    gap = (cls & (C_PUN | C_SPACE)) != 0
    for width in (3, 4):
        if n < width:
            continue
        m = han[: n - width + 1] & han[width - 1:] & gap[1: n - width + 2]
        if width == 4:
            m &= gap[2: n - 1]
        else:  # punctuation and Han across one space: 。 总, 理 (
            m |= (cp[1: n - 1] == 0x20) & ((han[: n - 2] & pun[2:]) | (pun[: n - 2] & han[2:]))
        tpos = np.flatnonzero(m)
        if not len(tpos):
            continue
        k1 = (cp[tpos].astype(np.uint64) << np.uint64(42)) | (cp[tpos + 1].astype(np.uint64) << np.uint64(21))
        k1 |= cp[tpos + width - 1]
        if width == 3:
            uniq, inv = _unique_inverse(k1)
            names = _strings_of([uniq >> np.uint64(42), (uniq >> np.uint64(21)) & np.uint64(0x1FFFFF), uniq & np.uint64(0x1FFFFF)])
        else:
            # Han (18 bits), Han, and the ranks of the two marks among this batch's marks: one key
            m1, r1 = _unique_inverse(cp[tpos + 1])
            m2, r2 = _unique_inverse(cp[tpos + 2])
            if len(m1) < 1 << 14 and len(m2) < 1 << 14:
                k = (cp[tpos].astype(np.uint64) << np.uint64(46)) | (cp[tpos + 3].astype(np.uint64) << np.uint64(28))
                k |= (r1.astype(np.uint64) << np.uint64(14)) | r2.astype(np.uint64)
                uniq, inv = _unique_inverse(k)
                names = _strings_of([uniq >> np.uint64(46), m1[(uniq >> np.uint64(14)) & np.uint64(0x3FFF)],
                                     m2[uniq & np.uint64(0x3FFF)], (uniq >> np.uint64(28)) & np.uint64(0x3FFFF)])
            else:
                k2 = cp[tpos + 2].astype(np.uint64)
                uniq, inv = np.unique(np.stack([k1, k2], axis=1), axis=0, return_inverse=True)
                a, b = uniq[:, 0], uniq[:, 1]
                names = _strings_of([a >> np.uint64(42), (a >> np.uint64(21)) & np.uint64(0x1FFFFF), b, a & np.uint64(0x1FFFFF)])
        keys.append(strings.keys(names)[inv.reshape(-1)])
        owns.append(tix[tpos])
    k, o = _alnum_occurrences(cp, cls, han, strings)
    keys.append(k)
    owns.append(tix[o])
    return np.concatenate(keys), np.concatenate(owns)


def _strings_of(columns: list[np.ndarray]) -> list[str]:
    """One string per row of the code point columns (none of them 0), decoded at once."""
    cps = np.zeros((len(columns[0]), len(columns) + 1), dtype=np.uint32)
    for j, c in enumerate(columns):
        cps[:, j] = c
    out = cps.tobytes().decode("utf-32-le").split("\x00")
    out.pop()  # (after the last row's NUL)
    return out


_UNJOIN = str.maketrans("", "", "-_./")


def _alnum_occurrences(cp: np.ndarray, cls: np.ndarray, han: np.ndarray, strings: _Strings):
    """Letter/digit terms (tokens.alnum_occurrences, vectorised): runs of [0-9a-z], the letter and
    digit parts of mixed runs, boundary terms with a touching Han character, joined compounds.
    Returns (keys, positions)."""
    kind = cls & (C_DIG | C_LET)
    alnum = kind != 0
    if not alnum.any():
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    edge = np.diff(alnum.view(np.int8), prepend=np.int8(0))
    rs = np.flatnonzero(edge == 1)  # run starts
    re_ = np.flatnonzero(edge == -1)  # run ends (exclusive; cp ends with a separator)
    del edge
    prev = np.empty_like(kind)
    prev[0] = 0
    prev[1:] = kind[:-1]
    ps = np.flatnonzero(alnum & (kind != prev))  # parts: letters or digits
    prev[:-1] = kind[1:]
    prev[-1] = 0
    pe = np.flatnonzero(alnum & (kind != prev)) + 1
    del prev, kind
    prun = np.searchsorted(rs, ps, side="right") - 1
    nparts = np.bincount(prun, minlength=len(rs))
    last = np.cumsum(nparts) - 1
    first = last - nparts + 1
    pre = han[rs - 1]  # rs - 1 == -1 reads the final separator
    post = han[re_]
    single = nparts == 1
    multi = ~single
    A = [rs]
    B = [re_]
    P = [rs]
    m = single & post
    A.append(rs[m]); B.append(re_[m] + 1); P.append(rs[m])
    m = single & pre
    A.append(rs[m] - 1); B.append(re_[m]); P.append(rs[m])
    sel = multi[prun]
    A.append(ps[sel]); B.append(pe[sel]); P.append(rs[prun[sel]])
    m = multi & post
    A += [rs[m], ps[last[m]]]; B += [re_[m] + 1, re_[m] + 1]; P += [rs[m], rs[m]]
    m = multi & pre
    A += [rs[m] - 1, rs[m] - 1]; B += [re_[m], pe[first[m]]]; P += [rs[m], rs[m]]
    a_ = np.concatenate(A).tolist()
    b_ = np.concatenate(B).tolist()
    pos = np.concatenate(P)
    # the batch as a string: one character per code point, as in cp
    text = cp[:int(re_[-1]) + 1].tobytes().decode("utf-32-le")
    terms = [text[i:j] for i, j in zip(a_, b_)]
    # runs joined by - _ . / (qm-001 -> qm001): chains of runs, each separated by one such mark
    link = ((cls[re_] & C_JOIN) != 0) & (np.append(rs[1:], -1) == re_ + 1)
    if link.any():
        lk = np.concatenate([[False], link, [False]]).view(np.int8)
        d = np.diff(lk)
        c0 = np.flatnonzero(d == 1)  # first run of each chain
        c1 = np.flatnonzero(d == -1)  # last run of each chain
        terms += [text[i:j].translate(_UNJOIN) for i, j in zip(rs[c0].tolist(), re_[c1].tolist())]
        pos = np.concatenate([pos, rs[c0]])
    return strings.keys(terms), pos


def _term_string(key: int, strings: list[str]) -> str:
    if key >= 1 << 42:
        return strings[key - (1 << 42)]
    if key >= 1 << 21:
        return chr(key >> 21) + chr(key & 0x1FFFFF)
    return chr(key)


def _sorted_occurrences(parts: list[tuple[np.ndarray, np.ndarray, int]], n_own: int) -> tuple[np.ndarray, int]:
    """Occurrences as sorted uint64 `key << (obits + 1) | owner << 1 | field`; returns (that, obits).

    `parts` is a list of (keys, owners, field 0 or 1); the caller should drop its own references
    to them (they are released as they are packed)."""
    obits = max(1, int(n_own - 1).bit_length())
    if 43 + obits + 1 > 64:
        raise ValueError("too many records for one index")
    total = sum(len(k) for k, _, _ in parts)
    comb = np.empty(total, dtype=np.uint64)
    pos = 0
    while parts:
        keys, own, field = parts.pop(0)
        n = len(keys)
        c = comb[pos:pos + n]
        np.left_shift(keys, np.uint64(obits + 1), out=c)
        c |= own.astype(np.uint64) << np.uint64(1)
        if field:
            c |= np.uint64(1)
        pos += n
        del keys, own, c
    comb.sort()
    return comb, obits


def _pairs(comb: np.ndarray, obits: int):
    """Sorted occurrences (see _sorted_occurrences) -> term frequencies per (key, owner), sorted by
    key then owner: (key, owner, tf of field 0, tf of field 1)."""
    n = len(comb)
    if n:
        new = np.empty(n, dtype=bool)
        new[0] = True
        np.not_equal(comb[1:], comb[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        del new
        uc = comb[starts]
        cnt = np.diff(np.append(starts, n)).astype(np.int32)
        del starts
    else:
        uc, cnt = comb.copy(), np.zeros(0, np.int32)
    f1all = (uc & np.uint64(1)).astype(bool)
    uc >>= np.uint64(1)  # (key, owner) pairs
    n = len(uc)
    first = np.ones(n, dtype=bool)
    if n:
        np.not_equal(uc[1:], uc[:-1], out=first[1:])
    if first.all():  # (usual: no pair has both fields)
        tf0 = np.where(f1all, 0, cnt).astype(np.int32)
        tf1 = np.where(f1all, cnt, 0).astype(np.int32)
        p = uc
    else:
        idx = np.flatnonzero(first)
        f1 = f1all[idx]
        # a (key, owner) pair has one row per field present, field 0 first
        c_first = cnt[idx]
        nxt = idx + 1
        has2 = np.zeros(len(idx), dtype=bool)
        ok = nxt < n
        has2[ok] = ~first[nxt[ok]]
        second = np.where(has2, cnt[np.minimum(nxt, max(n - 1, 0))], 0).astype(np.int32)
        del has2, ok, nxt
        tf0 = np.where(f1, 0, c_first).astype(np.int32)
        tf1 = np.where(f1, c_first, second).astype(np.int32)
        p = uc[idx]
    del first, f1all
    return p >> np.uint64(obits), (p & np.uint64((1 << obits) - 1)).astype(np.int32), tf0, tf1


_json_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses for strings


def script_file(kind: str, n: int, data) -> bytes:
    """A search file: the script `__hbs(kind, n, data);` (loadable by a <script> tag, also from file://)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f'__hbs("{kind}",{n},{body});\n'.encode("utf-8")


def _packed(datas: list) -> list[str]:
    """The packed form of each value: JSON, compressed (raw deflate) and base85-encoded (Python's
    b85 alphabet, no padding: 5 characters per 4 bytes, none of them `"` or `\\`), which the client
    decodes with its own base85 loop and DecompressionStream("deflate-raw") (the doc store: 45 % of
    the bytes on disk and over file://; about the same gzip-compressed over HTTP). Deflated by
    libdeflate: as small as zlib's level 6 in less than half its time (zlib was a sixth of the
    index's CPU on the real corpus)."""
    from deflate import deflate_compress

    dumps = json.dumps
    return _b85_many([deflate_compress(dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
                      for data in datas])


_B85 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~",
                     dtype=np.uint8)


def _b85_many(blobs: list[bytes]) -> list[str]:
    """[base64.b85encode(b).decode() for b in blobs], vectorised over all of them at once (the
    standard library's encoder is a Python loop): each blob padded to whole 4-byte groups, the
    padding's characters cut off again."""
    pads = [-len(b) % 4 for b in blobs]
    v = np.frombuffer(b"".join(b + bytes(p) for b, p in zip(blobs, pads)), dtype=">u4").astype(np.uint32)
    digits = np.empty((len(v), 5), dtype=np.uint8)
    for k in range(4, -1, -1):
        v, digits[:, k] = np.divmod(v, np.uint32(85))
    text = _B85[digits.reshape(-1)].tobytes().decode("ascii")
    out, at = [], 0
    for b, p in zip(blobs, pads):
        n = (len(b) + p) // 4 * 5
        out.append(text[at:at + n - p])
        at += n
    return out


def _levels(sat: np.ndarray) -> np.ndarray:
    return np.clip(np.ceil(sat * LEVELS), 1, LEVELS).astype(np.int32)


def _idf(N: int, df: np.ndarray) -> np.ndarray:
    return np.log1p((N - df + 0.5) / (df + 0.5))


class _Lists:
    """Encoded posting lists of one level (records or policies), by term in key order: the
    term keys and each term's shard entry part (see _shards); the blocks of long lists after
    their first go to `blocks` (block file number = index)."""

    def __init__(self, blocks: list[str]) -> None:
        self.keys: list[np.ndarray] = []
        self.bufs: list[np.ndarray] = []  # the parts of each add(), as ASCII arrays
        self.starts: list[np.ndarray] = []  # start of each term's part in the concatenated bufs
        self.lens: list[np.ndarray] = []  # its length (the blocks of long lists lie between parts)
        self.blocks = blocks
        self.chars = 0  # characters of the parts

    def add(self, keys: np.ndarray, ids: np.ndarray, lvl: np.ndarray) -> None:
        """Add the lists of whole terms from rows sorted by (term key, id): impact-ordered (level
        descending, ids ascending within a level), split into blocks of BLOCK postings when longer
        than INLINE_MAX, VLQ-encoded, with their part headers.

        A term's part is a header (`df, length` for an inline list; `df, first block file,
        (count, max level) per block, length` for a long one) and its list (or first block); a
        list is a sequence of groups `level, count, id0, gap, gap, ...` (gap = id - previous id
        - 1), a new group where the level changes. Every value of every part (and of the blocks
        after the first, which follow it) is laid out in one array in output order and encoded
        at once."""
        n = len(keys)
        if not n:
            return
        first = np.ones(n, dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        tix = np.cumsum(first, dtype=np.int64)
        tix -= 1
        df = np.diff(np.append(starts, n))
        self.keys.append(keys[starts])
        # impact order by one sort of packed (term, LEVELS - level, id): ids are distinct within
        # a term and every term keeps its rows
        ids = ids.astype(np.int64)
        obits = max(1, int(ids.max()).bit_length())
        if int(tix[-1]).bit_length() + 5 + obits > 63:
            raise ValueError("too many postings for one index")
        pk = (tix << (5 + obits)) | ((LEVELS - lvl).astype(np.int64) << obits) | ids
        pk.sort()
        ids = pk & ((1 << obits) - 1)
        lvl = LEVELS - ((pk >> obits) & 31)
        del pk
        # segments (term, block) and groups (segment, level)
        long_ = df > INLINE_MAX
        blk = np.zeros(n, dtype=np.int64)
        if long_.any():
            rows = np.flatnonzero(long_[tix])
            blk[rows] = (rows - starts[tix[rows]]) // BLOCK
        seg_first = first
        seg_first[1:] |= blk[1:] != blk[:-1]
        del blk
        g_first = seg_first.copy()
        g_first[1:] |= lvl[1:] != lvl[:-1]
        gs = np.flatnonzero(g_first)
        gidx = np.cumsum(g_first, dtype=np.int64)
        gidx -= 1
        del g_first
        G = len(gs)
        d = np.empty(n, dtype=np.int64)  # the first id of a group, then gaps
        d[0] = ids[0]
        np.subtract(ids[1:], ids[:-1], out=d[1:])
        d[1:] -= 1
        d[gs] = ids[gs]
        del ids
        glvl = lvl[gs].astype(np.int64)
        gcnt = np.diff(np.append(gs, n))
        ss = np.flatnonzero(seg_first)  # segments' first rows
        s_n = np.diff(np.append(ss, n))  # postings per segment
        s_l = lvl[ss]  # its highest level
        s_g = gidx[ss]  # its first group
        s_ng = np.diff(np.append(s_g, G))  # its groups
        del lvl, seg_first
        nd = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(_nchars(d), out=nd[1:])
        nh = np.zeros(G + 1, dtype=np.int64)
        np.cumsum(_nchars(glvl) + _nchars(gcnt), out=nh[1:])
        s_chars = nd[ss + s_n] - nd[ss] + nh[s_g + s_ng] - nh[s_g]
        del nd, nh
        fseg = np.searchsorted(ss, starts)  # each term's first segment
        nb = np.diff(np.append(fseg, len(ss)))  # its segments
        tlen = s_chars[fseg]
        # positions in the value array: term header, then per group `level, count` and its values
        H = np.where(long_, 3 + 2 * nb, 2)
        h_end = np.cumsum(H)
        S = np.empty(int(h_end[-1]) + n + 2 * G, dtype=np.int64)
        S[np.arange(n) + 2 * (gidx + 1) + h_end[tix]] = d
        gpos = gs + 2 * np.arange(G) + h_end[tix[gs]]
        del d, tix
        S[gpos] = glvl
        S[gpos + 1] = gcnt
        hs = starts + 2 * gidx[starts] + h_end - H  # term headers
        del gidx
        S[hs] = df
        inl = np.flatnonzero(~long_)
        S[hs[inl] + 1] = tlen[inl]
        lng = np.flatnonzero(long_).tolist()
        block = len(self.blocks)
        for t in lng:
            lo, k = int(fseg[t]), int(nb[t])
            vals = [int(df[t]), block]
            for j in range(lo, lo + k):
                vals += [int(s_n[j]), int(s_l[j])]
            vals.append(int(tlen[t]))
            S[hs[t]:hs[t] + len(vals)] = vals
            block += k - 1
        nch = _nchars(S)
        at = np.zeros(len(S) + 1, dtype=np.int64)  # character offset of each value
        np.cumsum(nch, out=at[1:])
        chars = _vlq(S, nch, at[:-1])
        del S, nch
        s_at = gpos[s_g]  # segments' first values
        s_end = s_at + s_n + 2 * s_ng
        for t in lng:
            lo, k = int(fseg[t]), int(nb[t])
            for j in range(lo + 1, lo + k):
                self.blocks.append(chars[at[s_at[j]]:at[s_end[j]]].tobytes().decode("ascii"))
        pstart = at[hs]
        self.bufs.append(chars)
        self.starts.append(pstart + self.chars)
        self.lens.append(at[s_end[fseg]] - pstart)
        self.chars += len(chars)

    def parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(the parts as one ASCII array, start of each term's part, its length)."""
        if not self.bufs:
            e = np.zeros(0, np.int64)
            return np.zeros(0, np.uint8), e, e
        return np.concatenate(self.bufs), np.concatenate(self.starts), np.concatenate(self.lens)

    def all_keys(self) -> np.ndarray:
        return np.concatenate(self.keys) if self.keys else np.zeros(0, np.uint64)


def _gather(src: np.ndarray, at: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The ranges src[at[i] : at[i] + lens[i]], concatenated."""
    keep = lens > 0
    at, lens = at[keep], lens[keep]
    total = int(lens.sum())
    if not total:
        return src[:0].copy()
    # source indexes as a running sum: +1 within a range, a jump at its start
    starts = np.cumsum(lens) - lens
    step = np.ones(total, dtype=np.int64)
    step[0] = at[0]
    step[starts[1:]] = at[1:] - (at[:-1] + lens[:-1] - 1)
    return src[np.cumsum(step)]


def _postings(comb: np.ndarray, obits: int, tfx_of, blocks: list[str]) -> _Lists:
    """Sorted occurrences (see _sorted_occurrences) -> encoded posting lists, in chunks of whole
    terms of about BATCH_CHARS occurrences (bounded temporary memory): term frequencies per
    field, saturated impact tfx / (K1 + tfx) with tfx = tfx_of(tf0, tf1, owners) as LEVELS
    levels, impact-ordered lists."""
    out = _Lists(blocks)
    n = len(comb)
    shift = np.uint64(obits + 1)
    a = 0
    while a < n:
        b = min(a + BATCH_CHARS, n)
        if b < n:  # to the end of the term at b - 1
            b = int(np.searchsorted(comb, ((comb[b - 1] >> shift) + np.uint64(1)) << shift))
        key, own, tf0, tf1 = _pairs(comb[a:b], obits)
        tfx = tfx_of(tf0, tf1, own)
        del tf0, tf1
        lvl = _levels(tfx / (K1 + tfx))
        del tfx
        out.add(key, own, lvl)
        del key, own, lvl
        a = b
    return out


def _term_names(keys: np.ndarray, table: list[str]) -> list[str]:
    """Term strings of sorted term keys (code points for Han terms, the string table for others)."""
    han = keys < STRING_KEY
    hk = keys[han]
    uni = hk < (1 << 21)
    # per term: its code points (one for a unigram), then a NUL; decoded at once and split
    cps = np.zeros((len(hk), 3), dtype=np.uint32)
    cps[:, 0] = hk >> np.uint64(21)
    cps[:, 1] = hk & np.uint64(0x1FFFFF)
    cps[uni, 0] = hk[uni]
    keep = np.ones(cps.shape, dtype=bool)
    keep[:, 1] = ~uni
    names = cps[keep].tobytes().decode("utf-32-le").split("\x00")
    names.pop()  # (after the last NUL)
    return names + [table[i] for i in (keys[~han] - STRING_KEY).tolist()]


def _shards(r: _Lists, p: _Lists, table: list[str], files: dict[str, bytes]) -> int:
    """Shard files: terms hashed by crc32 of UTF-8 into 2^k files of about SHARD_TARGET bytes, each
    `["term\\x7fterm…", "entries"]` (TERM_SEP) with one entry per term (record part, then policy part; see
    docs/search.md). Returns the number of shards."""
    rk, pk = r.all_keys(), p.all_keys()
    keys = np.concatenate([rk, pk])  # two sorted runs: a stable sort merges them
    keys.sort(kind="stable")
    new = np.ones(len(keys), dtype=bool)
    new[1:] = keys[1:] != keys[:-1]
    keys = keys[new]  # Han keys sort before string keys, as _term_names lists them
    names = _term_names(keys, table)
    ri = np.searchsorted(rk, keys)
    pi = np.searchsorted(pk, keys)
    r_has = ri < len(rk)
    r_has[r_has] = rk[ri[r_has]] == keys[r_has]
    p_has = pi < len(pk)
    p_has[p_has] = pk[pi[p_has]] == keys[p_has]
    rbuf, rstart, rlen = r.parts()
    pbuf, pstart, plen = p.parts()
    src = np.concatenate([rbuf, pbuf, np.frombuffer(b"A", dtype=np.uint8)])  # "A": no postings
    none = len(src) - 1
    seg_at = np.full((len(keys), 2), none, dtype=np.int64)
    seg_len = np.ones((len(keys), 2), dtype=np.int64)
    seg_at[r_has, 0] = rstart[ri[r_has]]
    seg_len[r_has, 0] = rlen[ri[r_has]]
    seg_at[p_has, 1] = pstart[pi[p_has]] + len(rbuf)
    seg_len[p_has, 1] = plen[pi[p_has]]
    enc = list(map(str.encode, names))  # UTF-8
    est = sum(map(len, enc)) + 2 * len(names) + int(seg_len.sum())
    n_shards = 1
    while n_shards * SHARD_TARGET < est:
        n_shards *= 2
    shard = np.fromiter(map(zlib.crc32, enc), dtype=np.int64, count=len(enc))
    shard &= n_shards - 1
    order = np.argsort(shard, kind="stable")  # by shard, then key
    bounds = np.searchsorted(shard[order], np.arange(n_shards + 1)).tolist()
    # every entry (record part, policy part) in shard order, as one string
    lens = seg_len[order].reshape(-1)
    ends = np.cumsum(lens)
    entries = _gather(src, seg_at[order].reshape(-1), lens).tobytes().decode("ascii")
    cut = np.concatenate([[0], ends[1::2]])[bounds].tolist()  # shard boundaries in entries
    ordered = np.array(names, dtype=object)[order].tolist()
    dumps = json.dumps
    for sno in range(n_shards):
        terms = dumps(TERM_SEP.join(ordered[bounds[sno]:bounds[sno + 1]]), ensure_ascii=False)
        files[f"search/s/{sno:x}.js"] = f'__hbs("s",{sno},[{terms},"{entries[cut[sno]:cut[sno + 1]]}"]);\n'.encode("utf-8")
    return n_shards


def _page_url(url: str) -> str:
    return url.split("#", 1)[0]


def _doc_store(pols: list[list[SearchRecord]], recs: list[SearchRecord], pol_of: np.ndarray,
               chunk_sizes: list[int]) -> dict[str, bytes]:
    """Doc-store files `[first record, heads, sections, body]`: consecutive records of about
    DOC_CHUNK characters. heads: `[policy, page URL, title, id, 发文号, alias…]` of the policies
    present; sections: the chunk's distinct sections ("" first); body: per record `URL suffix,
    heading, section index, text` (the URL is the page URL + the suffix, e.g. "#a5", unless the
    suffix is itself a URL: a record on another page). Appends the records per file to
    `chunk_sizes`."""
    datas: list = []
    R = len(recs)
    text_len = [len(r.text) for r in recs]
    pol_list = pol_of.tolist()
    purl = [_page_url(g[0].url) for g in pols]
    rid = 0
    while rid < R:
        start, size = rid, 0
        while rid < R and (size == 0 or size + text_len[rid] <= DOC_CHUNK):
            size += text_len[rid] + 8
            rid += 1
        heads = []
        for pid in sorted(set(pol_list[start:rid])):
            g = pols[pid][0]
            heads.append([pid, purl[pid], g.policy_title, g.policy_id, g.doc_no, *g.aliases])
        sections = {"": 0}
        body: list = []
        for k in range(start, rid):
            r = recs[k]
            u, base = r.url, purl[pol_list[k]]
            sfx = u[len(base):] if u.startswith(base) and (len(u) == len(base) or u[len(base)] == "#") else u
            body += [sfx, r.heading, sections.setdefault(r.section, len(sections)), r.text]
        datas.append([start, heads, list(sections), body])
        chunk_sizes.append(rid - start)
    return {f"search/d/{n}.js": f'__hbs("d",{n},"{p}");\n'.encode("ascii") for n, p in enumerate(_packed(datas))}


def _py_names(r: SearchRecord) -> str:
    """A policy's catalogue entry: the title's syllables, then (after '|') those of each alias
    that is not a run of the title's syllables (上海口岸服务条例 already matches kou an fu wu)
    nor the title without the 市/省 of its place (上海燃气管理条例: the catalogue's size)."""
    syl = syllables(normalize(r.policy_title))
    title = " ".join(syl)
    unit = next((i for i, x in enumerate(syl[:8]) if x in ("shi", "sheng")), -1)
    names = [title, " ".join(syl[:unit] + syl[unit + 1:]) if unit > 0 else title]
    for alias in r.aliases:
        s = " ".join(syllables(normalize(alias)))
        if s and f" {s} " not in f" {title} " and s not in names:
            names.append(s)
    return "|".join(names[:1] + names[2:])


def build_search_index(records: Sequence[SearchRecord], *, timings: dict[str, float] | None = None,
                       extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Site-root-relative output path (e.g. "search/meta.js", "search/s/3f.js") -> file bytes.

    Deterministic: the same records in the same order give the same bytes. If `timings` is given,
    the seconds spent per stage are stored in it (for the build's per-stage report). `extra` holds
    further search files made elsewhere (catalogue, lexicon): written as given and covered by `ver`.
    """
    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        if timings is not None:
            timings[stage] = timings.get(stage, 0.0) + now - clock[0]
        clock[0] = now

    # ---- policies and records, grouped by policy (first-appearance order)
    groups: dict[str, list[SearchRecord]] = {}
    for r in records:
        groups.setdefault(r.policy_id, []).append(r)
    pols = list(groups.values())
    recs = [r for g in pols for r in g]
    P, R = len(pols), len(recs)
    pol_of = np.repeat(np.arange(P, dtype=np.int64), [len(g) for g in pols]) if P else np.zeros(0, np.int64)

    # ---- normalised fields and their term occurrences: Han terms keyed by code points, other
    # terms through a string table
    strings = _Strings()
    b_text = [r.text for r in recs]
    h_text = [f"{r.section} {r.heading}" if r.section and r.heading else r.section or r.heading for r in recs]
    t_text = [" ".join(x for x in (g[0].policy_title, g[0].policy_id, g[0].doc_no, *g[0].aliases) if x) for g in pols]
    r_parts, len_b = _occurrences(b_text, False, strings, 0)
    h_parts, len_h = _occurrences(h_text, True, strings, 1)
    p_parts, len_t = _occurrences(t_text, True, strings, 0)
    del b_text, h_text, t_text
    lap("normalise")
    # heading labels as pinyin (full and initials)
    py_terms: list[str] = []
    py_n: list[int] = []
    label_cache: dict[str, list[str]] = {"": []}
    pair_cache: dict[tuple[str, str], list[str]] = {}
    for r in recs:
        key = (r.section, r.heading)
        terms = pair_cache.get(key)
        if terms is None:
            terms = []
            for part in key:
                t = label_cache.get(part)
                if t is None:
                    t = label_cache[part] = heading_pinyin_terms(heading_label(normalize(part)))
                terms += t
            pair_cache[key] = terms
        py_terms += terms
        py_n.append(len(terms))
    kp = strings.keys(py_terms)
    op = np.repeat(np.arange(R, dtype=np.int32), py_n) if R else np.zeros(0, np.int32)
    del py_terms, py_n, pair_cache

    lap("heading pinyin")
    # ---- record level (heading + body) and policy level (title + id + 发文号): occurrences
    # sorted by (term, owner, field)
    r_parts += h_parts + [(kp, op, 1)]
    del h_parts, kp, op
    r_comb, r_bits = _sorted_occurrences(r_parts, max(R, 1))
    p_comb, p_bits = _sorted_occurrences(p_parts, max(P, 1))

    lap("sort")
    # ---- tf per field, BM25F impact levels, impact-ordered encoded posting lists per term
    len_b = len_b.astype(np.float64)
    len_h = len_h.astype(np.float64)
    avg_b = max(float(len_b.mean()) if R else 1.0, 1.0)
    avg_h = max(float(len_h.mean()) if R else 1.0, 1.0)
    # per-record length normalisers first (R values), then one gather per posting
    norm_h = W_H / (1 - B_H + B_H * len_h / avg_h)
    norm_b = W_B / (1 - B_B + B_B * len_b / avg_b)
    len_t = len_t.astype(np.float64)
    avg_t = max(float(len_t.mean()) if P else 1.0, 1.0)
    table = strings.table()
    blocks: list[str] = []
    r_lists = _postings(r_comb, r_bits, lambda tfb, tfh, rid: tfh * norm_h[rid] + tfb * norm_b[rid], blocks)
    del r_comb
    p_lists = _postings(p_comb, p_bits, lambda tf, _, pid: tf / (1 - B_T + B_T * len_t[pid] / avg_t), blocks)
    del p_comb

    lap("postings")
    files: dict[str, bytes] = {}
    n_shards = _shards(r_lists, p_lists, table, files)
    for i, text in enumerate(blocks):
        files[f"search/b/{i}.js"] = f'__hbs("b",{i},"{text}");\n'.encode("ascii")
    del r_lists, p_lists, blocks

    lap("shards")
    # ---- doc store: consecutive records, about DOC_CHUNK characters per file
    chunk_sizes: list[int] = []
    files.update(_doc_store(pols, recs, pol_of, chunk_sizes))

    lap("docstore")
    # ---- pinyin catalogue of policy titles
    py_files = 0
    for a in range(0, P, PY_CHUNK):
        cat = [_py_names(g[0]) for g in pols[a : a + PY_CHUNK]]
        files[f"search/p/{py_files}.js"] = script_file("p", py_files, cat)
        py_files += 1

    lap("pinyin")
    # ---- T->S table
    files["search/t2s.js"] = script_file("t", 0, [t2s_js_string(), "|".join(k + "=" + v for k, v in vocabulary_pairs())])
    files.update(extra or {})

    # ---- meta (facets, record/policy layout, parameters, content version)
    chapters = sorted({g[0].chapter for g in pols})
    owners = sorted({g[0].owner for g in pols})
    ch_i = {c: i for i, c in enumerate(chapters)}
    ow_i = {o: i for i, o in enumerate(owners)}
    states = sorted({g[0].state or g[0].status for g in pols})
    st_i = {s: i for i, s in enumerate(states)}
    fac = []
    for g in pols:
        fac += [ch_i[g[0].chapter], ow_i[g[0].owner], st_i[g[0].state or g[0].status]]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode())
        digest.update(files[path])
    meta = {
        "v": FORMAT,
        "ver": digest.hexdigest()[:12],
        "shards": n_shards,
        "records": R,
        "policies": P,
        "levels": LEVELS,
        "tb": TITLE_BOOST,
        "im": INLINE_MAX,
        "bs": BLOCK,
        "pr": vlq_string(len(g) for g in pols),
        "dc": vlq_string(chunk_sizes),
        "py": py_files,
        "pyn": PY_CHUNK,
        "chapters": chapters,
        "owners": owners,
        "states": states,
        "fac": vlq_string(fac),
    }
    files["search/meta.js"] = script_file("m", 0, meta)
    lap("meta")
    return dict(sorted(files.items()))


def index_stats(files: dict[str, bytes]) -> dict[str, float]:
    """Sizes by file kind (raw and gzip), for benchmarks and docs."""
    import gzip

    out: dict[str, float] = {}
    for path, data in files.items():
        kind = path.split("/")[1] if path.count("/") > 1 else path.split("/")[-1]
        out[f"{kind}.raw"] = out.get(f"{kind}.raw", 0) + len(data)
        out[f"{kind}.gz"] = out.get(f"{kind}.gz", 0) + len(gzip.compress(data, 6, mtime=0))
        out[f"{kind}.files"] = out.get(f"{kind}.files", 0) + 1
    return out

