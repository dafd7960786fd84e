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
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .normalize import normalize, normalize_many, t2s_js_string
from .pinyin import heading_pinyin_terms, syllables
from .tokens import alnum_occurrences, heading_label

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
SHARD_TARGET = 24_000  # approximate bytes per shard file
DOC_CHUNK = 6_000  # approximate characters of text per doc-store chunk
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
    lim, width = 32, 1
    while v.size:
        more = v >= lim
        if not more.any():
            break
        nch += more
        lim <<= 5
        width += 1
    k = np.arange(width, dtype=np.int64)
    digit = (v[:, None] >> (5 * k)) & 31
    code = digit + np.where(k < (nch[:, None] - 1), 32, 0)
    chars = _ALPH[code[k < nch[:, None]]]
    return chars, np.cumsum(nch) - nch


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


def _han_occurrences(texts: list[str], unigrams: bool) -> tuple[np.ndarray, np.ndarray]:
    """Keys and owner indexes of every Han bigram (and unigram) occurrence in `texts`.

    A bigram's key is (first code point << 21) | second code point; a unigram's key is its code point
    (always smaller than any bigram key)."""
    n = len(texts)
    big = "\x00".join(texts)
    cp = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32)
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    starts = np.cumsum(lens + 1) - (lens + 1)
    han = _han_mask(cp)
    pos = np.nonzero(han[:-1] & han[1:])[0]
    keys = (cp[pos].astype(np.uint64) << np.uint64(21)) | cp[pos + 1].astype(np.uint64)
    own = np.searchsorted(starts, pos, side="right") - 1
    if unigrams:
        upos = np.nonzero(han)[0]
        keys = np.concatenate([keys, cp[upos].astype(np.uint64)])
        own = np.concatenate([own, np.searchsorted(starts, upos, side="right") - 1])
    return keys, own.astype(np.int64)


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


def _string_occurrences(texts: list[str], strings: _Strings) -> tuple[np.ndarray, np.ndarray]:
    n = len(texts)
    big = "\x00".join(texts)
    terms, pos = alnum_occurrences(big)
    if not terms:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    starts = np.cumsum(lens + 1) - (lens + 1)
    own = np.searchsorted(starts, np.asarray(pos, dtype=np.int64), side="right") - 1
    return strings.keys(terms), own.astype(np.int64)


def _term_string(key: int, strings: list[str]) -> str:
    if key >= 1 << 42:
        return strings[key - (1 << 42)]
    if key >= 1 << 21:
        return chr(key >> 21) + chr(key & 0x1FFFFF)
    return chr(key)


def _count(keys: np.ndarray, own: np.ndarray, field: np.ndarray, n_own: int):
    """Term frequencies per (key, owner) for two fields, sorted by key then owner.

    Returns (key, owner, tf_field0, tf_field1)."""
    obits = max(1, int(n_own - 1).bit_length())
    if 43 + obits + 1 > 64:
        raise ValueError("too many records for one index")
    comb = (keys << np.uint64(obits + 1)) | (own.astype(np.uint64) << np.uint64(1)) | field.astype(np.uint64)
    uc, cnt = np.unique(comb, return_counts=True)
    pair = uc >> np.uint64(1)
    first = np.ones(len(uc), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    idx = np.nonzero(first)[0]
    f1 = (uc & np.uint64(1)).astype(bool)
    cnt = cnt.astype(np.int64)
    tf0 = np.add.reduceat(np.where(f1, 0, cnt), idx) if len(idx) else cnt[:0]
    tf1 = np.add.reduceat(np.where(f1, cnt, 0), idx) if len(idx) else cnt[:0]
    p = pair[idx]
    return p >> np.uint64(obits), (p & np.uint64((1 << obits) - 1)).astype(np.int64), tf0, tf1


def _script(kind: str, n: int, data) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f'__hbs("{kind}",{n},{body});\n'.encode("utf-8")


def _levels(sat: np.ndarray) -> np.ndarray:
    return np.clip(np.ceil(sat * LEVELS), 1, LEVELS).astype(np.int64)


def _idf(N: int, df: np.ndarray) -> np.ndarray:
    return np.log1p((N - df + 0.5) / (df + 0.5))


def build_search_index(records: Sequence[SearchRecord]) -> dict[str, bytes]:
    """Site-root-relative output path (e.g. "search/meta.js", "search/s/3f.js") -> file bytes.

    Deterministic: the same records in the same order give the same bytes.
    """
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

    # ---- term occurrences: Han terms keyed by code points, other terms through a string table
    strings = _Strings()
    kb, ob = _han_occurrences(b_norm, unigrams=False)
    sb, osb = _string_occurrences(b_norm, strings)
    kh, oh = _han_occurrences(h_norm, unigrams=True)
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
    kp, op = strings.keys(py_terms), np.asarray(py_own, dtype=np.int64)
    kt, ot = _han_occurrences(t_norm, unigrams=True)
    st, ost = _string_occurrences(t_norm, strings)

    # ---- record level (heading + body): tf per field, BM25F impact levels
    ones = np.ones
    r_key, r_rid, r_tfb, r_tfh = _count(
        np.concatenate([kb, sb, kh, sh, kp]),
        np.concatenate([ob, osb, oh, osh, op]),
        np.concatenate([np.zeros(len(kb) + len(sb), np.uint8), ones(len(kh) + len(sh) + len(kp), np.uint8)]),
        max(R, 1),
    )
    len_b = np.fromiter((len(t) for t in b_norm), dtype=np.float64, count=R)
    len_h = np.fromiter((len(t) for t in h_norm), dtype=np.float64, count=R)
    avg_b = max(float(len_b.mean()) if R else 1.0, 1.0)
    avg_h = max(float(len_h.mean()) if R else 1.0, 1.0)
    tfx = W_H * r_tfh / (1 - B_H + B_H * len_h[r_rid] / avg_h) + W_B * r_tfb / (1 - B_B + B_B * len_b[r_rid] / avg_b)
    r_lvl = _levels(tfx / (K1 + tfx))

    # ---- policy level (title + id + 发文号)
    p_key, p_pid, p_tf, _ = _count(np.concatenate([kt, st]), np.concatenate([ot, ost]),
                                   np.zeros(len(kt) + len(st), np.uint8), max(P, 1))
    len_t = np.fromiter((len(t) for t in t_norm), dtype=np.float64, count=P)
    avg_t = max(float(len_t.mean()) if P else 1.0, 1.0)
    tfx = p_tf / (1 - B_T + B_T * len_t[p_pid] / avg_t)
    p_lvl = _levels(tfx / (K1 + tfx))

    # ---- impact-ordered, encoded posting lists per term
    table = strings.table()

    def lists(keys, ids, lvl, N):
        """term string -> (df, idf*100, [(encoded text, count, max level) per block])"""
        if not len(keys):
            return {}
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        tix = np.cumsum(first) - 1
        starts = np.nonzero(first)[0]
        df = np.diff(np.append(starts, len(keys)))
        order = np.argsort(tix * (LEVELS + 1) + (LEVELS - lvl), kind="stable")
        tix, ids, lvl = tix[order], ids[order], lvl[order]
        rank = np.arange(len(tix)) - starts[tix]
        blk = np.where(df[tix] > INLINE_MAX, rank // BLOCK, 0)
        text, s_tix, _, s_a, s_b, s_n, s_l = encode_postings(tix, blk, lvl, ids)
        idf = np.round(_idf(N, df) * 100).astype(np.int64).tolist()
        out: dict[str, tuple] = {}
        names = [_term_string(k, table) for k in keys[starts].tolist()]
        dfl = df.tolist()
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

    # ---- pinyin catalogue of policy titles
    py_files = 0
    for a in range(0, P, PY_CHUNK):
        cat = [" ".join(syllables(normalize(g[0].policy_title))) for g in pols[a : a + PY_CHUNK]]
        files[f"search/p/{py_files}.js"] = _script("p", py_files, cat)
        py_files += 1

    # ---- T->S table
    files["search/t2s.js"] = _script("t", 0, t2s_js_string())

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

