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
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .normalize import normalize, t2s_js_string
from .pinyin import heading_pinyin_terms, syllables
from .tokens import HAS_ALNUM, alnum_terms, doc_terms, heading_label

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
    lim = 32
    while True:
        more = v >= lim
        if not more.any():
            break
        nch += more
        lim <<= 5
    offs = np.cumsum(nch) - nch
    total = int(nch.sum())
    rep = np.repeat(v, nch)
    k = np.arange(total, dtype=np.int64) - np.repeat(offs, nch)
    digit = (rep >> (5 * k)) & 31
    last = k == np.repeat(nch - 1, nch)
    code = digit + np.where(last, 0, 32)
    return _ALPH[code], offs


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


def _body_bigrams(texts: list[str]):
    """(bigram strings, tid per posting, rid per posting, tf per posting) for all bodies."""
    R = len(texts)
    big = "\x00".join(texts)
    cp = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32)
    if cp.size < 2:
        e = np.zeros(0, dtype=np.int64)
        return [], e, e, e
    han = _han_mask(cp)
    pos = np.nonzero(han[:-1] & han[1:])[0]
    keys = (cp[pos].astype(np.uint64) << np.uint64(21)) | cp[pos + 1].astype(np.uint64)
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=R)
    starts = np.cumsum(lens + 1) - (lens + 1)
    rid = np.searchsorted(starts, pos, side="right") - 1
    comb = keys * np.uint64(R) + rid.astype(np.uint64)
    uc, tf = np.unique(comb, return_counts=True)
    ukey = uc // np.uint64(R)
    urid = (uc % np.uint64(R)).astype(np.int64)
    keys_u, tid = np.unique(ukey, return_inverse=True)
    strings = [chr(k >> 21) + chr(k & 0x1FFFFF) for k in keys_u.tolist()]
    return strings, tid.astype(np.int64), urid, tf.astype(np.int64)


def _script(kind: str, n: int, data) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f'__hbs("{kind}",{n},{body});\n'.encode("utf-8")


def _aggregate(tid, xid, tf_a, tf_b, width):
    """Sum duplicate (tid, xid) rows. Returns sorted unique tid, xid and summed tfs."""
    k = tid.astype(np.int64) * width + xid
    order = np.argsort(k, kind="stable")
    ks = k[order]
    first = np.ones(len(ks), dtype=bool)
    first[1:] = ks[1:] != ks[:-1]
    idx = np.nonzero(first)[0]
    a = np.add.reduceat(tf_a[order], idx) if len(idx) else tf_a[:0]
    b = np.add.reduceat(tf_b[order], idx) if len(idx) else tf_b[:0]
    return ks[idx] // width, ks[idx] % width, a, b


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
    b_norm = [normalize(r.text) for r in recs]
    h_src = [" ".join(x for x in (r.section, r.heading) if x) for r in recs]
    h_norm = [normalize(h) for h in h_src]
    t_norm = [normalize(" ".join(x for x in (g[0].policy_title, g[0].policy_id, g[0].doc_no) if x)) for g in pols]

    # ---- body bigrams (numpy), then every other term through one vocabulary
    strings, bb_tid, bb_rid, bb_tf = _body_bigrams(b_norm)
    vocab: dict[str, int] = {s: i for i, s in enumerate(strings)}

    def tid_of(t: str) -> int:
        i = vocab.get(t)
        if i is None:
            i = vocab[t] = len(vocab)
        return i

    xt: list[int] = []
    xr: list[int] = []
    xf: list[int] = []
    for rid, text in enumerate(b_norm):
        if HAS_ALNUM.search(text):
            out: list[str] = []
            alnum_terms(text, out)
            for t, c in Counter(out).items():
                xt.append(tid_of(t))
                xr.append(rid)
                xf.append(c)
    ht: list[int] = []
    hr: list[int] = []
    hf: list[int] = []
    h_cache: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for rid, r in enumerate(recs):
        key = (r.section, r.heading)
        rows = h_cache.get(key)
        if rows is None:
            terms = doc_terms(h_norm[rid], unigrams=True)
            for part in (r.section, r.heading):
                if part:
                    terms.extend(heading_pinyin_terms(heading_label(normalize(part))))
            rows = [(tid_of(t), c) for t, c in Counter(terms).items()]
            h_cache[key] = rows
        for t, c in rows:
            ht.append(t)
            hr.append(rid)
            hf.append(c)
    tt: list[int] = []
    tp: list[int] = []
    tf_: list[int] = []
    for pid, text in enumerate(t_norm):
        for t, c in Counter(doc_terms(text, unigrams=True)).items():
            tt.append(tid_of(t))
            tp.append(pid)
            tf_.append(c)
    T = len(vocab)
    terms_by_id = [""] * T
    for s, i in vocab.items():
        terms_by_id[i] = s

    def arr(x):
        return np.asarray(x, dtype=np.int64)

    # ---- record-level BM25F (heading + body)
    z_b, z_x, z_h = np.zeros(len(bb_tid), np.int64), np.zeros(len(xt), np.int64), np.zeros(len(ht), np.int64)
    r_tid, r_rid, r_tfh, r_tfb = _aggregate(
        np.concatenate([bb_tid, arr(xt), arr(ht)]),
        np.concatenate([bb_rid, arr(xr), arr(hr)]),
        np.concatenate([z_b, z_x, arr(hf)]),
        np.concatenate([bb_tf, arr(xf), z_h]),
        max(R, 1),
    )
    len_b = np.fromiter((len(t) for t in b_norm), dtype=np.float64, count=R)
    len_h = np.fromiter((len(t) for t in h_norm), dtype=np.float64, count=R)
    avg_b = max(float(len_b.mean()) if R else 1.0, 1.0)
    avg_h = max(float(len_h.mean()) if R else 1.0, 1.0)
    tfx = W_H * r_tfh / (1 - B_H + B_H * len_h[r_rid] / avg_h) + W_B * r_tfb / (1 - B_B + B_B * len_b[r_rid] / avg_b)
    r_lvl = _levels(tfx / (K1 + tfx))
    r_df = np.bincount(r_tid, minlength=T)
    r_idf = np.round(_idf(R, r_df) * 100).astype(np.int64)

    # ---- policy-level title field
    p_tid, p_pid, p_tf, _ = _aggregate(arr(tt), arr(tp), arr(tf_), np.zeros(len(tt), np.int64), max(P, 1))
    len_t = np.fromiter((len(t) for t in t_norm), dtype=np.float64, count=P)
    avg_t = max(float(len_t.mean()) if P else 1.0, 1.0)
    tfx = p_tf / (1 - B_T + B_T * len_t[p_pid] / avg_t)
    p_lvl = _levels(tfx / (K1 + tfx))
    p_df = np.bincount(p_tid, minlength=T)
    p_idf = np.round(_idf(P, p_df) * 100).astype(np.int64)

    # ---- impact-ordered posting lists
    def lists(tid, ids, lvl, df):
        order = np.lexsort((ids, -lvl, tid))
        tid, ids, lvl = tid[order], ids[order], lvl[order]
        first = np.ones(len(tid), dtype=bool)
        first[1:] = tid[1:] != tid[:-1]
        starts = np.nonzero(first)[0]
        rank = np.arange(len(tid)) - np.repeat(starts, np.diff(np.append(starts, len(tid))))
        blk = np.where(df[tid] > INLINE_MAX, rank // BLOCK, 0)
        text, s_tid, s_blk, s_a, s_b, s_n, s_l = encode_postings(tid, blk, lvl, ids)
        out: dict[int, list] = {}
        for t, b, a, e, c, lv in zip(s_tid.tolist(), s_blk.tolist(), s_a.tolist(), s_b.tolist(), s_n.tolist(), s_l.tolist()):
            out.setdefault(t, []).append((text[a:e], c, lv))
        return out

    r_lists = lists(r_tid, r_rid, r_lvl, r_df)
    p_lists = lists(p_tid, p_pid, p_lvl, p_df)

    # ---- shards
    used = sorted(set(r_lists) | set(p_lists), key=lambda i: terms_by_id[i])
    est = 0
    for t in used:
        est += len(terms_by_id[t].encode("utf-8")) + 24
        segs = r_lists.get(t)
        if segs and r_df[t] <= INLINE_MAX:
            est += len(segs[0][0])
        segs = p_lists.get(t)
        if segs and p_df[t] <= INLINE_MAX:
            est += len(segs[0][0])
    n_shards = 1
    while n_shards * SHARD_TARGET < est:
        n_shards *= 2
    shard_terms: list[list[int]] = [[] for _ in range(n_shards)]
    for t in used:
        shard_terms[zlib.crc32(terms_by_id[t].encode("utf-8")) & (n_shards - 1)].append(t)

    files: dict[str, bytes] = {}
    block_no = 0

    def entry_list(segs, df) -> object:
        nonlocal block_no
        if not segs:
            return 0
        if df <= INLINE_MAX:
            return segs[0][0]
        desc: list[int] = [block_no]
        for text, c, lv in segs:
            files[f"search/b/{block_no}.js"] = _script("b", block_no, text)
            desc.extend((c, lv))
            block_no += 1
        return desc

    for s, ts in enumerate(shard_terms):
        data: dict[str, list] = {}
        for t in ts:  # already in term order
            e: list = [int(r_df[t]), int(r_idf[t]), entry_list(r_lists.get(t), r_df[t])]
            if t in p_lists:
                e += [int(p_df[t]), int(p_idf[t]), entry_list(p_lists[t], p_df[t])]
            data[terms_by_id[t]] = e
        files[f"search/s/{s:x}.js"] = _script("s", s, data)

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

