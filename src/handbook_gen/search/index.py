"""Build-time search index: BM25F impacts, sharded posting lists, doc store, catalogues.

Owns `build_search_index` and the on-disk format read by templates/static/search.js
(documented in docs/search.md). Every output file is a small script calling
`__hbs(kind, number, data)`, so the browser can load it with a <script> tag,
which also works from file://.

The heavy part (body bigrams, BM25F, quantisation, variable-length encoding) is
vectorised with numpy; Python loops run per record, per heading and per term only.
"""
from __future__ import annotations

import hashlib
import json
import time
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .normalize import normalize, normalize_many, t2s_js_string, vocabulary_pairs
from .pinyin import heading_pinyin_terms, syllables
from .tokens import SPACE_CHARS, alnum_occurrences, heading_label

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
SHARD_TARGET = 8_000  # approximate bytes per shard file
DOC_CHUNK = 2_000  # approximate characters of text per doc-store chunk
PY_CHUNK = 2048  # policies per pinyin catalogue file

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_ALPH = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


# ---------------------------------------------------------------------------
# Variable-length quantities: 5 bits per character, low bits first; a character
# from the second half of the alphabet means "more characters follow".


def vlq_encode(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Encode non-negative integers. Returns (ascii bytes array, char offset of each value)."""
    v = np.asarray(values, dtype=np.int64)
    if v.size and v.min() < 0:
        raise ValueError("negative value")
    nch = np.ones(v.shape, dtype=np.int64)
    lim = 32
    while v.size:
        more = v >= lim
        if not more.any():
            break
        nch += more
        lim <<= 5
    offs = np.cumsum(nch) - nch
    out = np.empty(int(nch.sum()), dtype=np.uint8)
    sel = np.arange(len(v))
    k = 0
    while len(sel):
        vk, nk = v[sel], nch[sel]
        code = (vk >> (5 * k)) & 31
        code += np.where(nk - 1 > k, 32, 0)
        out[offs[sel] + k] = _ALPH[code]
        k += 1
        sel = sel[nk > k]
    return out, offs


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


def encode_postings(tid: np.ndarray, blk: np.ndarray, lvl: np.ndarray, ids: np.ndarray):
    """Encode posting lists sorted by (tid, blk, -lvl, id).

    Each (tid, blk) segment is a sequence of groups `level, count, id0, gap, gap, ...`
    (gap = id - previous id - 1). Returns (text, seg_tid, seg_blk, seg_start, seg_end,
    seg_count, seg_maxlevel): segment character ranges into `text`.
    """
    n = len(ids)
    if n == 0:
        e = np.zeros(0, dtype=np.int64)
        return "", e, e, e, e, e, e
    seg_first = np.ones(n, dtype=bool)
    seg_first[1:] = (tid[1:] != tid[:-1]) | (blk[1:] != blk[:-1])
    g_first = seg_first.copy()
    g_first[1:] |= lvl[1:] != lvl[:-1]
    gidx = np.cumsum(g_first) - 1
    prev = np.empty(n, dtype=np.int64)
    prev[0] = 0
    prev[1:] = ids[:-1]
    delta = np.where(g_first, ids, ids - prev - 1)
    gs = np.nonzero(g_first)[0]
    G = len(gs)
    counts = np.diff(np.append(gs, n))
    vals = np.empty(n + 2 * G, dtype=np.int64)
    vals[np.arange(n) + 2 * (gidx + 1)] = delta
    hpos = gs + 2 * np.arange(G)
    vals[hpos] = lvl[gs]
    vals[hpos + 1] = counts
    chars, offs = vlq_encode(vals)
    text = chars.tobytes().decode("ascii")
    ss = np.nonzero(seg_first)[0]
    seg_start = offs[hpos[gidx[ss]]]
    seg_end = np.append(seg_start[1:], len(text))
    seg_count = np.diff(np.append(ss, n))
    return text, tid[ss], blk[ss], seg_start, seg_end, seg_count, lvl[ss]


# ---------------------------------------------------------------------------


def _han_mask(cp: np.ndarray) -> np.ndarray:
    return (
        ((cp >= 0x4E00) & (cp <= 0x9FFF))
        | ((cp >= 0x3400) & (cp <= 0x4DBF))
        | ((cp >= 0xF900) & (cp <= 0xFAFF))
        | ((cp >= 0x20000) & (cp <= 0x3134F))
        | (cp == 0x3007)
    )


STRING_KEY = np.uint64(1 << 42)  # keys of non-Han terms: STRING_KEY + index into the string table


class _Strings:
    """Non-Han terms (letters/digits, boundary terms, pinyin) -> keys."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def keys(self, terms: list[str]) -> np.ndarray:
        ids = self.ids
        out = [ids.setdefault(t, len(ids)) for t in terms]
        return np.asarray(out, dtype=np.uint64) + STRING_KEY

    def table(self) -> list[str]:
        out = [""] * len(self.ids)
        for t, i in self.ids.items():
            out[i] = t
        return out


_SPACE = np.array([ord(c) for c in SPACE_CHARS], dtype=np.uint32)


def _punct_mask(cp: np.ndarray, han: np.ndarray) -> np.ndarray:
    """Punctuation and symbols: not Han, not a-z/0-9, not white space or control characters."""
    alnum = ((cp >= 0x30) & (cp <= 0x39)) | ((cp >= 0x61) & (cp <= 0x7A))
    ctrl = (cp < 0x20) | ((cp >= 0x7F) & (cp <= 0x9F))
    return ~(han | alnum | ctrl | np.isin(cp, _SPACE))


BATCH_CHARS = 4_000_000  # texts are tokenised and postings encoded in batches of about this size


def _han_occurrences(texts: list[str], unigrams: bool, strings: _Strings) -> tuple[np.ndarray, np.ndarray]:
    """_han_occurrences_batch over batches of texts (bounded temporary memory)."""
    keys, own = [], []
    a = 0
    while a < len(texts) or not keys:
        b, size = a, 0
        while b < len(texts) and (size == 0 or size + len(texts[b]) <= BATCH_CHARS):
            size += len(texts[b]) + 1
            b += 1
        k, o = _han_occurrences_batch(texts[a:b], unigrams, strings)
        keys.append(k)
        own.append(o + np.int32(a))
        a = b
        if a >= len(texts):
            break
    return np.concatenate(keys), np.concatenate(own)


def _han_occurrences_batch(texts: list[str], unigrams: bool, strings: _Strings) -> tuple[np.ndarray, np.ndarray]:
    """Keys and owner indexes of every Han bigram (two Han characters, or a Han character and a
    touching punctuation mark), Han-punctuation-Han trigram (a string term) and Han unigram
    occurrence in `texts`.

    A bigram's key is (first code point << 21) | second code point; a unigram's key is its code point
    (always smaller than any bigram key)."""
    n = len(texts)
    if not n:
        return np.zeros(0, np.uint64), np.zeros(0, np.int32)
    big = "\x00".join(texts)
    cp = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32)
    del big
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    starts = np.cumsum(lens + 1) - (lens + 1)
    han = _han_mask(cp)
    pun = _punct_mask(cp, han)
    pos = np.nonzero((han[:-1] & (han[1:] | pun[1:])) | (pun[:-1] & han[1:]))[0]
    keys = (cp[pos].astype(np.uint64) << np.uint64(21)) | cp[pos + 1].astype(np.uint64)
    own = np.searchsorted(starts, pos, side="right") - 1
    if unigrams:
        upos = np.nonzero(han)[0]
        keys = np.concatenate([keys, cp[upos].astype(np.uint64)])
        own = np.concatenate([own, np.searchsorted(starts, upos, side="right") - 1])
    # Han, one or two punctuation marks or spaces, Han (录。评, 实。《会, 表》 业): selective terms
    # for queries that span punctuation (string terms)
    n = len(cp)
    gap = pun | (cp == 0x20)
    for width in (3, 4):
        if n < width:
            continue
        m = han[: n - width + 1] & han[width - 1:] & gap[1: n - width + 2]
        if width == 4:
            m &= gap[2: n - 1]
        else:  # punctuation and Han across one space: 。 总, 理 (
            m |= (cp[1: n - 1] == 0x20) & ((han[: n - 2] & pun[2:]) | (pun[: n - 2] & han[2:]))
        tpos = np.nonzero(m)[0]
        if not len(tpos):
            continue
        k1 = (cp[tpos].astype(np.uint64) << np.uint64(42)) | (cp[tpos + 1].astype(np.uint64) << np.uint64(21))
        k1 |= cp[tpos + width - 1].astype(np.uint64)
        if width == 3:
            uniq, inv = np.unique(k1, return_inverse=True)
            names = [chr(a >> 42) + chr((a >> 21) & 0x1FFFFF) + chr(a & 0x1FFFFF) for a in uniq.tolist()]
        else:
            k2 = cp[tpos + 2].astype(np.uint64)
            uniq, inv = np.unique(np.stack([k1, k2], axis=1), axis=0, return_inverse=True)
            names = [chr(a >> 42) + chr((a >> 21) & 0x1FFFFF) + chr(b) + chr(a & 0x1FFFFF) for a, b in uniq.tolist()]
        keys = np.concatenate([keys, strings.keys(names)[inv.reshape(-1)]])
        own = np.concatenate([own, np.searchsorted(starts, tpos, side="right") - 1])
    return keys, own.astype(np.int32)


def _string_occurrences(texts: list[str], strings: _Strings) -> tuple[np.ndarray, np.ndarray]:
    n = len(texts)
    big = "\x00".join(texts)
    terms, pos = alnum_occurrences(big)
    if not terms:
        return np.zeros(0, np.uint64), np.zeros(0, np.int32)
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    starts = np.cumsum(lens + 1) - (lens + 1)
    own = np.searchsorted(starts, np.asarray(pos, dtype=np.int64), side="right") - 1
    return strings.keys(terms), own.astype(np.int32)


def _term_string(key: int, strings: list[str]) -> str:
    if key >= 1 << 42:
        return strings[key - (1 << 42)]
    if key >= 1 << 21:
        return chr(key >> 21) + chr(key & 0x1FFFFF)
    return chr(key)


def _count(parts: list[tuple[np.ndarray, np.ndarray, int]], n_own: int):
    """Term frequencies per (key, owner) for two fields, sorted by key then owner.

    `parts` is a list of (keys, owners, field 0 or 1); the caller should drop its own
    references to them (they are released as they are packed). Returns (key, owner,
    tf_field0, tf_field1)."""
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
        uc, cnt = comb, np.zeros(0, np.int32)
    del comb
    f1all = (uc & np.uint64(1)).astype(bool)
    uc >>= np.uint64(1)  # (key, owner) pairs
    n = len(uc)
    first = np.ones(n, dtype=bool)
    if n:
        np.not_equal(uc[1:], uc[:-1], out=first[1:])
    idx = np.flatnonzero(first)
    f1 = f1all[idx]
    # a (key, owner) pair has one row per field present, field 0 first
    c_first = cnt[idx]
    nxt = idx + 1
    has2 = np.zeros(len(idx), dtype=bool)
    ok = nxt < n
    has2[ok] = ~first[nxt[ok]]
    second = np.where(has2, cnt[np.minimum(nxt, max(n - 1, 0))], 0).astype(np.int32)
    del has2, ok, nxt, first, f1all
    tf0 = np.where(f1, 0, c_first).astype(np.int32)
    tf1 = np.where(f1, c_first, second).astype(np.int32)
    p = uc[idx]
    del uc, idx
    return p >> np.uint64(obits), (p & np.uint64((1 << obits) - 1)).astype(np.int32), tf0, tf1


def _script(kind: str, n: int, data) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f'__hbs("{kind}",{n},{body});\n'.encode("utf-8")


def _levels(sat: np.ndarray) -> np.ndarray:
    return np.clip(np.ceil(sat * LEVELS), 1, LEVELS).astype(np.int32)


def _idf(N: int, df: np.ndarray) -> np.ndarray:
    return np.log1p((N - df + 0.5) / (df + 0.5))


def build_search_index(records: Sequence[SearchRecord], *, timings: dict[str, float] | None = None) -> dict[str, bytes]:
    """Site-root-relative output path (e.g. "search/meta.js", "search/s/3f.js") -> file bytes.

    Deterministic: the same records in the same order give the same bytes. If `timings` is given,
    the seconds spent per stage are stored in it (for the build's per-stage report).
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

    # ---- normalised fields
    b_norm = normalize_many([r.text for r in recs])
    h_norm = normalize_many([" ".join(x for x in (r.section, r.heading) if x) for r in recs])
    t_norm = normalize_many([" ".join(x for x in (g[0].policy_title, g[0].policy_id, g[0].doc_no) if x) for g in pols])

    lap("normalise")
    # ---- term occurrences: Han terms keyed by code points, other terms through a string table
    strings = _Strings()
    kb, ob = _han_occurrences(b_norm, unigrams=False, strings=strings)
    sb, osb = _string_occurrences(b_norm, strings)
    kh, oh = _han_occurrences(h_norm, unigrams=True, strings=strings)
    sh, osh = _string_occurrences(h_norm, strings)
    py_terms: list[str] = []
    py_own: list[int] = []
    label_cache: dict[str, list[str]] = {}
    for rid, r in enumerate(recs):
        for part in (r.section, r.heading):
            if part:
                terms = label_cache.get(part)
                if terms is None:
                    terms = label_cache[part] = heading_pinyin_terms(heading_label(normalize(part)))
                py_terms += terms
                py_own += [rid] * len(terms)
    kp, op = strings.keys(py_terms), np.asarray(py_own, dtype=np.int32)
    kt, ot = _han_occurrences(t_norm, unigrams=True, strings=strings)
    st, ost = _string_occurrences(t_norm, strings)

    lap("terms")
    # ---- record level (heading + body): tf per field, BM25F impact levels
    parts = [(kb, ob, 0), (sb, osb, 0), (kh, oh, 1), (sh, osh, 1), (kp, op, 1)]
    del kb, ob, sb, osb, kh, oh, sh, osh, kp, op
    r_key, r_rid, r_tfb, r_tfh = _count(parts, max(R, 1))
    len_b = np.fromiter((len(t) for t in b_norm), dtype=np.float64, count=R)
    len_h = np.fromiter((len(t) for t in h_norm), dtype=np.float64, count=R)
    avg_b = max(float(len_b.mean()) if R else 1.0, 1.0)
    avg_h = max(float(len_h.mean()) if R else 1.0, 1.0)
    # per-record length normalisers first (R values), then one gather per posting
    norm_h = W_H / (1 - B_H + B_H * len_h / avg_h)
    norm_b = W_B / (1 - B_B + B_B * len_b / avg_b)
    tfx = r_tfh * norm_h[r_rid] + r_tfb * norm_b[r_rid]
    del r_tfh, r_tfb
    r_lvl = _levels(tfx / (K1 + tfx))
    del tfx

    # ---- policy level (title + id + 发文号)
    parts = [(kt, ot, 0), (st, ost, 0)]
    del kt, ot, st, ost
    p_key, p_pid, p_tf, _ = _count(parts, max(P, 1))
    len_t = np.fromiter((len(t) for t in t_norm), dtype=np.float64, count=P)
    avg_t = max(float(len_t.mean()) if P else 1.0, 1.0)
    tfx = p_tf / (1 - B_T + B_T * len_t[p_pid] / avg_t)
    p_lvl = _levels(tfx / (K1 + tfx))

    lap("bm25f")
    # ---- impact-ordered, encoded posting lists per term
    table = strings.table()

    def lists(keys, ids, lvl, N):
        """term string -> (df, idf*100, [(encoded text, count, max level) per block])"""
        if not len(keys):
            return {}
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        tix_all = (np.cumsum(first) - 1).astype(np.int32)
        starts = np.flatnonzero(first)
        del first
        df = np.diff(np.append(starts, len(keys)))
        idf = np.round(_idf(N, df) * 100).astype(np.int64).tolist()
        names = [_term_string(k, table) for k in keys[starts].tolist()]
        dfl = df.tolist()
        out: dict[str, tuple] = {}
        # batches of whole terms (rows are sorted by term)
        cuts = [0]
        for t0 in starts[np.searchsorted(starts, np.arange(BATCH_CHARS, len(keys), BATCH_CHARS))].tolist():
            if t0 > cuts[-1]:
                cuts.append(t0)
        cuts.append(len(keys))
        for r0, r1 in zip(cuts, cuts[1:]):
            tix, ids_b, lvl_b = tix_all[r0:r1], ids[r0:r1], lvl[r0:r1]
            # rows are sorted by (term, id): a stable sort by (term, -level) keeps ids ascending
            # and finds long natural runs (timsort)
            order = np.argsort(tix.astype(np.int64) * (LEVELS + 1) + (LEVELS - lvl_b), kind="stable")
            tix, ids_b, lvl_b = tix[order], ids_b[order], lvl_b[order]
            del order
            rank = np.arange(r0, r1, dtype=np.int64) - starts[tix]
            blk = np.where(df[tix] > INLINE_MAX, rank // BLOCK, 0).astype(np.int32)
            del rank
            text, s_tix, _, s_a, s_b, s_n, s_l = encode_postings(tix, blk, lvl_b, ids_b)
            cur = -1
            segs: list = []
            for t, a, e, c, lv in zip(s_tix.tolist(), s_a.tolist(), s_b.tolist(), s_n.tolist(), s_l.tolist()):
                if t != cur:
                    segs = []
                    out[names[t]] = (dfl[t], idf[t], segs)
                    cur = t
                segs.append((text[a:e], c, lv))
        return out

    r_lists = lists(r_key, r_rid, r_lvl, R)
    p_lists = lists(p_key, p_pid, p_lvl, P)

    lap("postings")
    # ---- shards: terms hashed (crc32 of UTF-8) into 2^k script files of about SHARD_TARGET bytes
    used = sorted(set(r_lists) | set(p_lists))
    est = 0
    for t in used:
        est += len(t.encode("utf-8")) + 24
        for src in (r_lists, p_lists):
            e = src.get(t)
            if e and e[0] <= INLINE_MAX:
                est += len(e[2][0][0])
    n_shards = 1
    while n_shards * SHARD_TARGET < est:
        n_shards *= 2
    shard_terms: list[list[str]] = [[] for _ in range(n_shards)]
    for t in used:
        shard_terms[zlib.crc32(t.encode("utf-8")) & (n_shards - 1)].append(t)

    files: dict[str, bytes] = {}
    block_no = 0

    def entry(e) -> list:
        nonlocal block_no
        df, idf, segs = e
        if df <= INLINE_MAX:
            return [df, idf, segs[0][0]]
        desc: list[int] = [block_no]
        for text, c, lv in segs:
            files[f"search/b/{block_no}.js"] = _script("b", block_no, text)
            desc.extend((c, lv))
            block_no += 1
        return [df, idf, desc]

    for sno, ts in enumerate(shard_terms):
        data: dict[str, list] = {}
        for t in ts:  # sorted
            re_, pe = r_lists.get(t), p_lists.get(t)
            data[t] = (entry(re_) if re_ else [0, 0, 0]) + (entry(pe) if pe else [])
        files[f"search/s/{sno:x}.js"] = _script("s", sno, data)

    lap("shards")
    # ---- doc store: consecutive records, about DOC_CHUNK characters per file
    chunk_sizes: list[int] = []
    rid = 0
    while rid < R:
        start, size = rid, 0
        while rid < R and (size == 0 or size + len(recs[rid].text) <= DOC_CHUNK):
            size += len(recs[rid].text) + len(recs[rid].heading) + len(recs[rid].section) + 8
            rid += 1
        heads = []
        for pid in sorted(set(pol_of[start:rid].tolist())):
            g = pols[pid][0]
            heads.append([pid, g.policy_title, g.policy_id, g.doc_no])
        body = [[r.url, r.heading, r.section, r.text] for r in recs[start:rid]]
        files[f"search/d/{len(chunk_sizes)}.js"] = _script("d", len(chunk_sizes), [start, heads, body])
        chunk_sizes.append(rid - start)

    lap("docstore")
    # ---- pinyin catalogue of policy titles
    py_files = 0
    for a in range(0, P, PY_CHUNK):
        cat = [" ".join(syllables(normalize(g[0].policy_title))) for g in pols[a : a + PY_CHUNK]]
        files[f"search/p/{py_files}.js"] = _script("p", py_files, cat)
        py_files += 1

    lap("pinyin")
    # ---- T->S table
    files["search/t2s.js"] = _script("t", 0, [t2s_js_string(), "|".join(k + "=" + v for k, v in vocabulary_pairs())])

    # ---- meta (facets, record/policy layout, parameters, content version)
    chapters = sorted({g[0].chapter for g in pols})
    owners = sorted({g[0].owner for g in pols})
    ch_i = {c: i for i, c in enumerate(chapters)}
    ow_i = {o: i for i, o in enumerate(owners)}
    fac = []
    for g in pols:
        fac += [ch_i[g[0].chapter], ow_i[g[0].owner], 0 if g[0].status == "retired" else 1]
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
        "pr": vlq_string(len(g) for g in pols),
        "dc": vlq_string(chunk_sizes),
        "py": py_files,
        "pyn": PY_CHUNK,
        "chapters": chapters,
        "owners": owners,
        "fac": vlq_string(fac),
    }
    files["search/meta.js"] = _script("m", 0, meta)
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

