"""Index builder: format, determinism, BM25F impacts, impact-ordered blocks."""
from __future__ import annotations

import json
import zlib

import numpy as np
import pytest

import handbook_gen.search.index as index_mod
from fixtures import records
from handbook_gen.search import SearchRecord, build_search_index
from handbook_gen.search.index import ALPHABET, TERM_SEP, _b85_many, vlq_decode, vlq_encode, vlq_string


def payload(data: bytes):
    s = data.decode("utf-8")
    assert s.startswith("__hbs(") and s.endswith(");\n")
    kind, n, rest = s[len("__hbs("):-3].split(",", 2)
    return json.loads(kind), int(n), json.loads(rest)


def _num(s, at):
    v, m = 0, 1
    while True:
        c = ALPHABET.index(s[at[0]])
        at[0] += 1
        v += (c & 31) * m
        m *= 32
        if c < 32:
            return v


def _part(s, at, meta):
    """One part of a shard entry -> (df, list): list 0, an inline string, or the block
    descriptor [first block file, count, max level per block..., first block]."""
    df = _num(s, at)
    if not df:
        return 0, 0
    desc = None
    if df > meta["im"]:
        desc = [_num(s, at) for _ in range(2 * -(-df // meta["bs"]) + 1)]
    n = _num(s, at)
    text = s[at[0]:at[0] + n]
    at[0] += n
    return df, (desc + [text] if desc else text)


def entry(files, term):
    """A term's shard entry as [df, list, df_p, list_p] (see _part), or None; the whole shard
    must parse (every entry's length ends where the next begins)."""
    meta = payload(files["search/meta.js"])[2]
    shard = zlib.crc32(term.encode()) & (meta["shards"] - 1)
    terms, s = payload(files[f"search/s/{shard:x}.js"])[2]
    at, out = [0], None
    for t in terms.split(TERM_SEP) if terms else []:
        e = [*_part(s, at, meta), *_part(s, at, meta)]
        if t == term:
            out = e
    assert at[0] == len(s)
    return out


def postings(files, lst):
    """Decode an entry's list (inline string, or block descriptor [first block file, count, max
    level per block..., first block]) -> {id: level}."""
    if not lst:
        return {}
    texts = [lst] if isinstance(lst, str) else [lst[-1]] + [
        payload(files[f"search/b/{lst[0] + i}.js"])[2] for i in range((len(lst) - 2) // 2 - 1)]
    out = {}
    for text in texts:
        v = vlq_decode(text)
        i = 0
        while i < len(v):
            lvl, cnt = v[i], v[i + 1]
            i += 2
            x = 0
            for k in range(cnt):
                x = v[i] if k == 0 else x + v[i] + 1
                i += 1
                out[x] = lvl
    return out


def test_vlq_roundtrip():
    vals = [0, 1, 31, 32, 33, 1023, 1024, 99999, 2**30 + 7, 5]
    assert vlq_decode(vlq_string(vals)) == vals
    chars, offs = vlq_encode(np.array(vals))
    assert offs.tolist()[0] == 0 and len(chars) == len(vlq_string(vals))


def test_b85_matches_the_standard_library():
    """The vectorised encoder of the doc store (one pass over all files) is base64.b85encode,
    unpadded, for every length modulo 4 (the client decodes a last group of r characters as
    r - 1 bytes)."""
    import base64

    blobs = [bytes(range(250 - n, 250)) + bytes([255] * (n % 3)) for n in range(12)]
    assert _b85_many(blobs) == [base64.b85encode(b).decode("ascii") for b in blobs]


def test_files_and_determinism():
    recs = records()
    a = build_search_index(recs)
    b = build_search_index(list(recs))
    assert a == b
    assert {"search/meta.js", "search/t2s.js", "search/d/0.js", "search/p/0.js"} <= set(a)
    assert all(k.startswith("search/") and k.endswith(".js") for k in a)
    for path, data in a.items():
        kind, n, _ = payload(data)
        assert kind in "msbdpt"


def test_empty_input():
    files = build_search_index([])
    meta = payload(files["search/meta.js"])[2]
    assert meta["records"] == 0 and meta["policies"] == 0


def test_meta_layout():
    recs = records()
    files = build_search_index(recs)
    meta = payload(files["search/meta.js"])[2]
    pols = list(dict.fromkeys(r.policy_id for r in recs))
    assert meta["policies"] == len(pols) and meta["records"] == len(recs)
    assert sum(vlq_decode(meta["pr"])) == len(recs)
    fac = vlq_decode(meta["fac"])
    retired = [pols[i] for i in range(len(pols)) if meta["states"][fac[3 * i + 2]] == "retired"]
    assert retired == ["QM-003"]
    assert "质量管理" in meta["chapters"] and "财务部" in meta["owners"]


def test_title_terms_are_policy_level_and_boosted():
    files = build_search_index(records())
    e = entry(files, "财务")
    # record-level postings (body mentions) and policy-level postings (title) are separate lists
    assert e[2]
    pols = postings(files, e[3])
    assert list(pols) == [3]  # OP-004 is the fourth policy


def test_heading_outweighs_body():
    recs = [
        SearchRecord("p/a.html#1", "A-1", "甲制度", "报销", "", "本条规定其他事项的办理要求。", "c", "o", "active", ""),
        SearchRecord("p/b.html#1", "B-1", "乙制度", "第一条", "", "本条规定报销事项的办理要求。", "c", "o", "active", ""),
    ]
    files = build_search_index(recs)
    lv = postings(files, entry(files, "报销")[1])
    assert lv[0] > lv[1]


def test_bm25_saturation_and_length():
    short = "报销审批。"
    long = "报销审批。" + "其他内容说明。" * 40
    recs = [SearchRecord(f"p/{i}.html", f"X-{i}", "制度", "", "", t, "c", "o", "active", "")
            for i, t in enumerate([short, long, short * 3])]
    files = build_search_index(recs)
    lv = postings(files, entry(files, "报销")[1])
    assert lv[0] > lv[1]  # shorter record, same tf -> higher impact
    assert lv[2] >= lv[0]  # more occurrences never lower


def test_impact_ordered_blocks(monkeypatch):
    monkeypatch.setattr(index_mod, "INLINE_MAX", 4)
    monkeypatch.setattr(index_mod, "BLOCK", 3)
    recs = [SearchRecord(f"p/{i}.html", f"X-{i}", "制度", "", "", "管理" * (1 + i % 4) + "说明" * (i % 7), "c", "o",
                         "active", "") for i in range(20)]
    recs.append(SearchRecord("p/20.html", "X-20", "制度", "", "", "附则", "c", "o", "active", ""))
    files = build_search_index(recs)
    e = entry(files, "管理")
    desc = e[1]
    assert isinstance(desc, list) and len(desc) == 1 + 2 * 7 + 1  # 20 postings / 3 per block
    counts, levels = desc[1:-1:2], desc[2:-1:2]
    assert sum(counts) == 20 and levels == sorted(levels, reverse=True)
    got = postings(files, desc)
    assert sorted(got) == list(range(20))
    # every posting of block i has a level <= the max level announced for block i; the first
    # block is in the shard, the others in block files
    first = desc[0]
    for i in range(7):
        text = desc[-1] if i == 0 else payload(files[f"search/b/{first + i - 1}.js"])[2]
        blk = postings(files, text)
        assert max(blk.values()) == levels[i]
    assert f"search/b/{first + 5}.js" in files
    # short lists stay inline
    assert isinstance(entry(files, "附则")[1], str) and entry(files, "附则")[0] == 1


def test_doc_store_covers_every_record():
    recs = records()
    files = build_search_index(recs)
    pid_of = [i for i, pid in enumerate(dict.fromkeys(r.policy_id for r in recs)) for r in recs if r.policy_id == pid]
    seen = []
    for path in sorted((p for p in files if p.startswith("search/d/")), key=lambda p: int(p[9:-3])):
        start, heads, sections, body = unpacked(files[path])
        assert start == len(seen)
        urls = {h[0]: h[1] for h in heads}
        for k in range(0, len(body), 4):
            sfx, heading, sec, text = body[k:k + 4]
            page = urls[pid_of[len(seen)]]
            seen.append((page + sfx if not sfx or sfx[0] == "#" else sfx, heading, sections[sec], text))
    assert seen == [(r.url, r.heading, r.section, r.text) for r in recs]


def unpacked(data):
    """The data of a packed script (base85 of raw-deflated JSON)."""
    import base64

    s = payload(data)[2]
    return json.loads(zlib.decompress(base64.b85decode(s), -15))


def test_pinyin_catalogue():
    files = build_search_index(records())
    cat = payload(files["search/p/0.js"])[2]
    assert cat[0] == "zhi liang guan li zhi du"
    assert "cai wu guan li zhi du" in cat


def test_heading_pinyin_terms_are_indexed():
    files = build_search_index(records())
    assert entry(files, "zlmb")  # 第二章 质量目标
    assert entry(files, "zhiliangmubiao")


@pytest.mark.parametrize("term", ["qm001", "qm", "001", "衡质", "2025"])
def test_ids_and_doc_numbers_are_title_terms(term):
    files = build_search_index(records())
    e = entry(files, term)
    assert e and e[2] and 0 in postings(files, e[3])


def test_index_terms_equal_reference_tokeniser():
    """The vectorised builder emits exactly the terms of tokens.doc_terms (the reference)."""
    _assert_index_terms_equal_reference(
        ["检查记录。评价报告（一）落实。《会议纪要》，ISO9001认证于2026年1月1日完成；QM-001号。",
         "针、质量目标：合格率≥98%。",
         "運營管理部負責審核，見第10條。"])


def test_index_terms_equal_reference_with_many_distinct_marks():
    """Spans of two marks when a batch holds more distinct marks than the packed key has room
    for (16,384): the builder's other path."""
    from handbook_gen.search.normalize import normalize
    from handbook_gen.search.tokens import doc_terms

    marks = [chr(c) for c in [*range(0xE000, 0xF900), *range(0xAC00, 0xD7A4)]]  # private use, Hangul
    assert len(marks) > 1 << 14
    pairs = [m + n for m, n in zip(marks, marks[1:] + marks[:1])]
    texts = ["".join(f"甲{p}乙" for p in pairs[:9000]), "".join(f"丙{p}丁" for p in pairs[9000:])]
    recs = [SearchRecord(f"p/{i}.html", f"T-{i}", "", "", "", t, "c", "o", "active", "") for i, t in enumerate(texts)]
    files = build_search_index(recs)
    got = set()
    for path, data in files.items():
        if path.startswith("search/s/"):
            got |= set(payload(data)[2][0].split(TERM_SEP))
    want = {"t", "0", "1", "t0", "t1"}  # the policy level: the ids
    for t in texts:
        want |= set(doc_terms(normalize(t), unigrams=False))
    assert "甲\ue000\ue001乙" in want and got == want


def _assert_index_terms_equal_reference(texts: list[str]) -> None:
    from handbook_gen.search.normalize import normalize
    from handbook_gen.search.tokens import doc_terms

    recs = [SearchRecord(f"p/{i}.html", f"T-{i}", "", "", "", t, "c", "o", "active", "") for i, t in enumerate(texts)]
    files = build_search_index(recs)
    got = set()
    for path, data in files.items():
        if path.startswith("search/s/"):
            got |= {t for t in payload(data)[2][0].split(TERM_SEP) if entry(files, t)[0] > 0}  # record level
    want = set()
    for t in texts:
        want |= set(doc_terms(normalize(t), unigrams=False))
    assert got == want


def test_aliases_are_policy_level_terms_and_stored_with_the_policy():
    recs = [SearchRecord("p/a.html#1", "A-1", "中华人民共和国社会保险法", "第一条", "", "为了规范社会保险关系，制定本法。",
                         "c", "o", "active", "", aliases=("社保法", "旧名称")),
            SearchRecord("p/b.html#1", "B-1", "甲制度", "第一条", "", "本条规定其他事项。", "c", "o", "active", "")]
    files = build_search_index(recs)
    e = entry(files, "社保")
    assert e is not None and e[0] == 0 and list(postings(files, e[3])) == [0]
    assert entry(files, "旧名") is not None
    docs = unpacked(files["search/d/0.js"])
    assert docs[1][0] == [0, "p/a.html", "中华人民共和国社会保险法", "A-1", "", "社保法", "旧名称"]
    assert docs[1][1] == [1, "p/b.html", "甲制度", "B-1", ""]


def test_state_is_an_index_into_meta_states():
    recs = [SearchRecord(f"p/{i}.html", f"S-{i}", "制度", "", "", "正文", "c", "o", status, "", state=state)
            for i, (status, state) in enumerate([("active", "pending"), ("active", ""), ("retired", ""),
                                                 ("active", "overdue"), ("retired", "expired")])]
    meta = payload(build_search_index(recs)["search/meta.js"])[2]
    fac = vlq_decode(meta["fac"])
    assert [meta["states"][fac[3 * i + 2]] for i in range(5)] == ["pending", "active", "retired", "overdue", "expired"]


def test_doc_store_urls_sections_and_records_on_another_page():
    recs = [SearchRecord("p/a.html", "A-1", "甲制度", "", "", "引言。", "c", "o", "active", ""),
            SearchRecord("p/a.html#a1", "A-1", "甲制度", "第一条", "第一章 总则", "正文一。", "c", "o", "active", ""),
            SearchRecord("p/a.html#a2", "A-1", "甲制度", "第二条", "第一章 总则", "正文二。", "c", "o", "active", ""),
            SearchRecord("p/a-annex.html#x", "A-1", "甲制度", "附件", "", "附件正文。", "c", "o", "active", "")]
    start, heads, sections, body = unpacked(build_search_index(recs)["search/d/0.js"])
    assert heads == [[0, "p/a.html", "甲制度", "A-1", ""]]
    assert sections == ["", "第一章 总则"]
    assert body == ["", "", 0, "引言。", "#a1", "第一条", 1, "正文一。", "#a2", "第二条", 1, "正文二。",
                    "p/a-annex.html#x", "附件", 0, "附件正文。"]
