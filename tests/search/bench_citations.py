#!/usr/bin/env python3
"""Cost of citation queries in the real client (node, a cold engine per query, index files
read from disk once; the first round only warms the JIT and is not counted): the judged corpus
set's citation queries. Prints the median / p95 engine milliseconds, index files and gzip bytes
loaded per query. --harness runs another checkout's client (its tests/search/node_harness.js),
e.g. the start revision's against a site it built, for before/after figures.

    python tests/search/bench_citations.py --site SITE [--harness OTHER/tests/search/node_harness.js]
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(site: Path, queries: list[str], repeat: int, harness: Path = HERE / "node_harness.js") -> list[dict]:
    qs = [{"q": q} for q in queries] * (repeat + 1)
    p = subprocess.run(["node", str(harness)], capture_output=True, text=True, check=True,
                       input=json.dumps({"site": str(site), "cold": True, "queries": qs}))
    return [json.loads(line) for line in p.stdout.splitlines()][len(queries):]


def summary(site: Path, rows: list[dict]) -> str:
    ms = sorted(r["ms"] for r in rows)
    size = {}

    def gz(f):
        if f not in size:
            size[f] = len(gzip.compress((site / "search" / f).read_bytes(), 6))
        return size[f]
    kb = sorted(sum(gz(f) for f in r["files"]) / 1024 for r in rows)
    files = sorted(len(r["files"]) for r in rows)
    p95 = lambda v: v[min(len(v) - 1, int(0.95 * len(v)))]  # noqa: E731
    return (f"ms {statistics.median(ms):.1f} / {p95(ms):.1f}   files {statistics.median(files):.0f} / {p95(files)}"
            f"   KB gzip {statistics.median(kb):.0f} / {p95(kb):.0f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--harness", type=Path, default=HERE / "node_harness.js")
    a = ap.parse_args()
    cases = [json.loads(x) for x in (HERE / "data" / "judged_corpus.jsonl").read_text("utf-8").splitlines() if x.strip()]
    typed = [c["q"] for c in cases if c["kind"] == "citation"]
    print(f"{len(typed)} citation queries, cold engine, median / p95 over {a.repeat} runs ({a.harness})")
    print(summary(a.site, run(a.site, typed, a.repeat, a.harness)))


if __name__ == "__main__":
    main()
