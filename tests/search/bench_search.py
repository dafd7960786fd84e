#!/usr/bin/env python3
"""Search benchmark on a bench/gen_corpus.py handbook (or, with --real, the real-regulation corpus
through the real pipeline): index size, build time, matching quality, bytes per cold/warm query
and query CPU (real client in node; --chromium also in headless Chromium).

    python tests/search/bench_search.py --n 1000 --queries 500 [--chromium] [--json out.json]
    python tests/search/bench_search.py --real --queries 300

Cold bytes are reported for the query's files alone and with meta.js and t2s.js (what a first
query in a fresh page fetches: `cold_bytes_total_gz_KB`).
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

from bench_records import corpus, pipeline_records, real_corpus, records  # noqa: E402
from handbook_gen.search import build_search_index  # noqa: E402
from handbook_gen.search.normalize import normalize  # noqa: E402
from handbook_gen.search.tokens import HAN_RUN  # noqa: E402

REPO = HERE.parents[1]
PUNCT_BETWEEN = re.compile(r"[\u4e00-\u9fff][^\u4e00-\u9fff0-9a-z ]{1,2}[\u4e00-\u9fff]")  # 录。评, 实。《会


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else 0


def sample_queries(recs, n, seed=7, kinds=("han",)):
    r = random.Random(seed)
    out = []
    tries = 0
    while len(out) < n and tries < n * 200:
        tries += 1
        rec = recs[r.randrange(len(recs))]
        text = rec.text
        if len(text) < 10:
            continue
        L = r.randint(2, 8)
        a = r.randrange(0, len(text) - L)
        q = text[a:a + L]
        if "han" in kinds and not HAN_RUN.fullmatch(q):
            continue
        if "punct" in kinds and not PUNCT_BETWEEN.search(normalize(q)):
            continue
        out.append(q)
    return out


def run_node(site: Path, queries, cold=True, limit=10):
    inp = json.dumps({"site": str(site), "cold": cold, "queries": [{"q": q, "limit": limit} for q in queries]})
    p = subprocess.run(["node", str(HERE / "node_harness.js")], input=inp, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in p.stdout.splitlines()]


def quality(results, queries, hay):
    zero = p1 = 0
    p10 = []
    for q, r in zip(queries, results):
        qn = normalize(q)
        hits = [h for g in r["results"] for h in g["hits"]]
        flat = []
        # record-level ranking as shown (groups in order, hits inside)
        for h in hits:
            flat.append(h["url"])
        if not flat:
            zero += 1
            p10.append(0.0)
            continue
        ok = [qn in hay[u] for u in flat[:10]]
        p1 += ok[0]
        p10.append(sum(ok) / len(ok))
    n = len(queries)
    return {"n": n, "zero": zero, "p1": p1 / n, "p10": sum(p10) / n}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--real", action="store_true", help="the real-regulation corpus (../shared/corpus)")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--cache", default="/tmp/hb-bench")
    ap.add_argument("--chromium", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--reuse", action="store_true", help="reuse the site built by an earlier run")
    ap.add_argument("--chromium-queries", type=int, default=100)
    ap.add_argument("--punct", action="store_true", help="queries with punctuation between Han characters")
    a = ap.parse_args(argv)
    cache = Path(a.cache)
    cache.mkdir(parents=True, exist_ok=True)
    root = real_corpus(cache) if a.real else corpus(a.n, cache)
    t = time.perf_counter()
    recs, extra = pipeline_records(root) if a.real else (records(root), None)
    if extra is None:  # the lexicon of forgiving matching, as feed.search_files makes it
        from handbook_gen.search import feed

        extra = feed.lexicon_for(recs) if hasattr(feed, "lexicon_for") else {}
    t_rec = time.perf_counter() - t
    source_bytes = sum(p.stat().st_size for p in root.rglob("*.md"))
    text_bytes = sum(len(r.text.encode()) + len(r.heading.encode()) + len(r.section.encode()) for r in recs)
    site = cache / ("site-real" if a.real else f"site-{a.n}")
    timings: dict[str, float] = {}
    if a.reuse and (site / "search" / "meta.js").exists():
        files = {str(p.relative_to(site)): p.read_bytes() for p in (site / "search").rglob("*.js")}
        t_build = float("nan")
    else:
        t = time.process_time()
        files = build_search_index(recs, timings=timings, extra=extra)
        t_build = time.process_time() - t
        import shutil

        shutil.rmtree(site, ignore_errors=True)
        from sitebuild import write_site

        write_site(site, recs, files=files, pages=False)
    gz = {p[len("search/"):]: len(gzip.compress(b, 6)) for p, b in files.items()}
    kinds: dict[str, list[int]] = {}
    for p, b in files.items():
        k = p.split("/")[1] if p.count("/") > 1 else p.split("/")[1]
        kinds.setdefault(k, [0, 0, 0])
        kinds[k][0] += len(b)
        kinds[k][1] += gz[p[len("search/"):]]
        kinds[k][2] += 1
    index_gz = sum(v[1] for k, v in kinds.items() if k in ("s", "b", "meta.js"))
    mb = text_bytes / 1e6
    js = (REPO / "templates" / "static" / "search.js").read_bytes()
    report = {
        "policies": len({r.policy_id for r in recs}), "records": len(recs), "text_MB": round(mb, 2),
        "source_MB": round(source_bytes / 1e6, 2),
        "index_raw_MB": round(sum(map(len, files.values())) / 1e6, 2), "index_files": len(files),
        "records_s": round(t_rec, 2), "build_cpu_s": round(t_build, 2),
        "build_stages_s": {k: round(v, 2) for k, v in timings.items()},
        "files": {k: {"raw_KB": round(v[0] / 1e3, 1), "gz_KB": round(v[1] / 1e3, 1), "n": v[2]} for k, v in sorted(kinds.items())},
        "index_gz_MB_per_text_MB": round(index_gz / 1e6 / mb, 3),
        "docstore_gz_MB_per_text_MB": round(kinds.get("d", [0, 0])[1] / 1e6 / mb, 3),
        "client_js_gz_KB": round(len(gzip.compress(js, 9)) / 1e3, 1),
    }
    hay = {}
    for r in recs:
        hay[r.url] = normalize(" ".join((r.policy_title, r.policy_id, r.doc_no, *r.aliases))) + "\n" + normalize(
            " ".join(x for x in (r.section, r.heading) if x)) + "\n" + normalize(r.text)
    pages: dict[str, list[str]] = {}  # a policy-level hit links to the page: any of its records
    for u, h in hay.items():
        pages.setdefault(u.split("#")[0], []).append(h)
    for u, hs in pages.items():
        hay.setdefault(u, "\n".join(hs))
    qs = sample_queries(recs, a.queries, kinds=("punct",) if a.punct else ("han",))
    t = time.perf_counter()
    cold = run_node(site, qs, cold=True)
    report["node_wall_s"] = round(time.perf_counter() - t, 1)
    report["quality"] = quality(cold, qs, hay)
    cb = [sum(gz[f] for f in r["files"]) for r in cold]
    report["cold_bytes_gz_KB"] = {"p50": round(pct(cb, 50) / 1e3, 1), "p95": round(pct(cb, 95) / 1e3, 1), "max": round(max(cb) / 1e3, 1)}
    start = gz["meta.js"] + gz["t2s.js"]
    report["cold_bytes_total_gz_KB"] = {"p50": round((pct(cb, 50) + start) / 1e3, 1),
                                        "p95": round((pct(cb, 95) + start) / 1e3, 1)}
    nf = [len(r["files"]) for r in cold]
    report["cold_files"] = {"p50": pct(nf, 50), "p95": pct(nf, 95)}
    warm = run_node(site, qs, cold=False)
    wb = [sum(gz[f] for f in r["files"]) for r in warm[1:]]
    report["warm_bytes_gz_KB"] = {"p50": round(pct(wb, 50) / 1e3, 1), "p95": round(pct(wb, 95) / 1e3, 1)}
    ms = [r["ms"] for r in cold]
    report["node_cpu_ms_cold"] = {"p50": round(pct(ms, 50), 1), "p95": round(pct(ms, 95), 1)}
    worst = sorted(zip(cb, qs), reverse=True)[:5]
    report["worst_cold"] = [(q, round(b / 1e3)) for b, q in worst]
    bad = [(q, [h["url"] for g in r["results"] for h in g["hits"]][:2]) for q, r in zip(qs, cold)
           if not r["results"] or normalize(q) not in hay[r["results"][0]["hits"][0]["url"]]]
    report["p1_failures"] = bad[:10]
    if a.chromium:
        from bench_chromium import chromium_bench

        import shutil

        shutil.copyfile(REPO / "templates" / "static" / "search.js", site / "static" / "search.js")
        report["chromium"] = chromium_bench(site, qs[: a.chromium_queries], gz)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
