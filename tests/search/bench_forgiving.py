"""Forgiving matching on the real corpus: lexicon build CPU and size, and what a fallback query
loads (gzip bytes beyond the query as typed), with its variants and top result.

    python tests/search/bench_forgiving.py [--policies DIR] [--cache DIR] [--runs 7]

Default corpus: ../shared/corpus (unpacked into the cache). Prints medians of CPU seconds
(time.process_time) and per query the extra bytes of the fallback (fuzzy on minus off)."""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

QUERIES = ["报消", "zhusu", "qingjia", "jiaban", "jiab", "报xiao", "shiyongqi", "gongshang", "yanglao jin",
           "劳动合同发", "消费者权义保护", "试用期最长多久", "加班费怎么算", "辞退要赔多少", "年假有几天",
           "养狗要办证吗", "电动车能上路吗", "物业费怎么收", "垃圾怎么分类", "租房要登记吗"]


def lexicon_cpu(records, runs: int) -> tuple[float, float, dict]:
    from handbook_gen.search import lexicon
    from handbook_gen.search.lexicon import lexicon_for

    t = time.process_time()
    files = lexicon_for(records)  # first call: pypinyin's dictionaries and the fold table
    first = time.process_time() - t
    del lexicon
    cpu = []
    for _ in range(runs):
        t = time.process_time()
        lexicon_for(records)
        cpu.append(time.process_time() - t)
    return first, statistics.median(cpu), files


def node(site: Path, queries: list[dict]) -> list[dict]:
    p = subprocess.run(["node", str(HERE / "node_forgiving.js")], capture_output=True, text=True, check=True,
                       input=json.dumps({"site": str(site), "queries": queries}))
    return [json.loads(line) for line in p.stdout.splitlines()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--policies", type=Path)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/hb-bench-forgiving"))
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    from bench_records import pipeline_records, real_corpus
    from sitebuild import write_site

    from handbook_gen.search import build_search_index

    root = a.policies or real_corpus(a.cache)
    records = pipeline_records(root)[0]  # (records, extra files)
    first, med, files = lexicon_cpu(records, a.runs)
    gz = {p: len(gzip.compress(b, 6)) for p, b in files.items()}
    shards = sorted(v for p, v in gz.items() if p != "search/f/0.js")
    print(f"records {len(records)}; lexicon CPU first call {first:.3f} s, then median of {a.runs} {med:.3f} s")
    print(f"lexicon files {len(files)}: raw {sum(map(len, files.values())) / 1e3:.0f} KB, gzip "
          f"{sum(gz.values()) / 1e3:.0f} KB; head {gz['search/f/0.js'] / 1e3:.1f} KB gzip; shards gzip median "
          f"{shards[len(shards) // 2] / 1e3:.1f} KB, max {shards[-1] / 1e3:.1f} KB")
    site = write_site(a.cache / "site", records, files=build_search_index(records, extra=files), pages=False)
    on = node(site, [{"q": q} for q in QUERIES])
    off = node(site, [{"q": q, "opts": {"fuzzy": False}} for q in QUERIES])
    extra = []

    def size(f: str) -> int:
        return len(gzip.compress((site / "search" / f).read_bytes(), 6))

    for r, r0 in zip(on, off):
        kb = (sum(map(size, set(r["files"]))) - sum(map(size, set(r0["files"])))) / 1e3
        extra.append(kb)
        top = r["results"][0] if r["results"] else None
        print(f"{r['q']:<12} {'fuzzy' if r['fuzzy'] else '     '} +{kb:5.1f} KB  {r['variants'][:3]}  "
              f"{(top['title'] + ' ' + top['urls'][0].split('#')[-1]) if top else '-'}")
    extra.sort()
    print(f"fallback extra bytes gzip: median {statistics.median(extra):.1f} KB, max {extra[-1]:.1f} KB")


if __name__ == "__main__":
    main()
