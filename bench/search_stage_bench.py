#!/usr/bin/env python3
"""CPU of the search stage (feed records, lexicon, build_search_index) by stage, in fresh processes.

Usage::

    python bench/search_stage_bench.py POLICIES [--src DIR ...] [--runs 5] [--cache DIR]
                                       [--dump DIR] [--profile FILE]

Each run is a fresh child process per source tree (``--src``: a ``src/`` directory put first on
PYTHONPATH, e.g. of a ``git worktree`` snapshot; default: this checkout's), the trees interleaved
run by run. A child loads the model of POLICIES as ``handbook check`` does (from a warm parse
cache: one per tree under ``--cache``, filled by an untimed first run), then runs the search stage as the build's
forked search worker does (garbage collector off, every table of the search package cold) with
``time.perf_counter`` read as ``time.process_time``, so the stage laps of ``build_search_index`` and
``lexicon_for`` are CPU seconds. The files are then written as a build writes them (one
``SiteWriter`` into a staging directory beside a temporary output, never published): the ``write``
row, kept out of the total, is mostly kernel time, which on a file system that is slow to create
files (see docs/search.md) can cost more than a stage. Prints per tree the median (and range) of
each stage and of the total, and a digest of the index files (all of them, and all but the doc store and meta.js) to
check that two trees give the same bytes. ``--dump DIR`` writes the files of the first run of each
tree under DIR/<n>/; ``--profile FILE`` writes a cProfile of one child per tree (FILE.<n>).
Stdlib + the project's dependencies.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def child(policies: Path, cache: Path, dump: str, profile: str) -> None:
    import gc
    import time

    from handbook_gen.build.pipeline import BuildOptions, check

    result = check(policies, BuildOptions(cache_dir=cache))
    hb, table = result.handbook, result.links
    gc.collect()
    gc.disable()  # as in a build (pipeline.build pauses the collector; its workers fork from it)
    time.perf_counter = time.process_time  # the stage laps become CPU seconds
    timings: dict[str, float] = {}
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.process_time()
    from handbook_gen.assemble.lifecycle import Lifecycle, build_date
    from handbook_gen.search.feed import search_records
    from handbook_gen.search import build_search_index
    from handbook_gen.search.lexicon import lexicon_for

    records = search_records(hb, table, Lifecycle(hb, build_date(None)))
    timings["feed"] = time.process_time() - t0
    lexicon = lexicon_for(records, hb.site.synonyms, timings)
    files = build_search_index(records, timings=timings, extra=lexicon)
    total = time.process_time() - t0
    if prof is not None:
        prof.disable()
        prof.dump_stats(profile)
    from handbook_gen.build.output import SiteWriter

    with tempfile.TemporaryDirectory() as tmp, SiteWriter(Path(tmp) / "site") as site:
        started = time.process_time()
        site.write_all(files)
        timings["write"] = time.process_time() - started
    everything, stable = hashlib.sha256(), hashlib.sha256()
    for path in sorted(files):
        for h in (everything, stable) if not (path.startswith("search/d/") or path == "search/meta.js") else (everything,):
            h.update(path.encode() + b"\0" + files[path])
    if dump:
        for path, data in files.items():
            out = Path(dump) / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
    print(json.dumps({"stages": timings, "total": total, "files": len(files),
                      "bytes": sum(map(len, files.values())),
                      "all": everything.hexdigest()[:16], "stable": stable.hexdigest()[:16]}))


def run(src: str, policies: Path, cache: Path, dump: str = "", profile: str = "") -> dict:
    env = dict(os.environ, PYTHONPATH=src, PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, __file__, "--child", str(policies), "--cache", str(cache),
                          "--dump", dump, "--profile", profile],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("policies", type=Path)
    ap.add_argument("--src", action="append", help="a src/ directory (repeatable); default this checkout's")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "search-stage-bench-cache")
    ap.add_argument("--dump", default="")
    ap.add_argument("--profile", default="")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.policies, args.cache, args.dump, args.profile)
        return
    srcs = args.src or [str(REPO / "src")]
    caches = [args.cache / str(i) for i in range(len(srcs))]  # one per tree (its parser may differ)
    for src, cache in zip(srcs, caches):
        run(src, args.policies, cache)  # fills the parse cache (untimed)
    results: list[list[dict]] = [[] for _ in srcs]
    for r in range(args.runs):
        for i in (range(len(srcs)) if r % 2 == 0 else reversed(range(len(srcs)))):
            first = r == 0
            res = run(srcs[i], args.policies, caches[i],
                      f"{args.dump}/{i}" if args.dump and first else "",
                      f"{args.profile}.{i}" if args.profile and first else "")
            results[i].append(res)
            print(f"run {r + 1} tree {i}: {res['total']:.2f} s", file=sys.stderr)
    stages = list(dict.fromkeys(k for rs in results for res in rs for k in res["stages"]))
    print("| stage | " + " | ".join(f"tree {i}" for i in range(len(srcs))) + " |")
    print("|---|" + "---|" * len(srcs))
    for s in stages:
        cells = [f"{statistics.median([res['stages'].get(s, 0.0) for res in rs]):.2f}" for rs in results]
        print(f"| {s} | " + " | ".join(cells) + " |")
    cells = []
    for rs in results:
        t = [res["total"] for res in rs]
        cells.append(f"{statistics.median(t):.2f} ({min(t):.2f}–{max(t):.2f})")
    print("| total (range) | " + " | ".join(cells) + " |")
    for i, (src, rs) in enumerate(zip(srcs, results)):
        print(f"tree {i}: {src}: {rs[0]['files']} files, {rs[0]['bytes']:,} bytes, "
              f"digest all {rs[0]['all']}, without doc store and meta {rs[0]['stable']}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
