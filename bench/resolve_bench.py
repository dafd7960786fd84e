"""Reference resolution at scale: N policies x R references each, built in memory
(no Markdown parsing), then resolve + checks timed as a build runs them: with Python's
cyclic garbage collector paused (pipeline.paused_gc). Prints seconds and refs/second;
``--gc`` runs them with the collector on instead and prints its share: every Link and
Citation is a NamedTuple, which the collector tracks, so at 10,000 policies the full
collections they trigger (each walks the whole model) cost a large share of the time.

    python bench/resolve_bench.py --policies 10000 --refs 20 [--gc]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from handbook_gen.assemble.checks import run_checks  # noqa: E402
from handbook_gen.core.diagnostics import Diagnostics, Location  # noqa: E402
from handbook_gen.build.pipeline import paused_gc  # noqa: E402
from handbook_gen.core.model import (Article, Chapter, Department, Handbook, ParsedBody,  # noqa: E402
                                Policy, PolicyMeta, Ref, SiteInfo)
from handbook_gen.assemble.resolve import resolve  # noqa: E402


def make_handbook(n: int, refs_per_policy: int, seed: int = 7) -> Handbook:
    rnd = random.Random(seed)
    depts = {f"D{i}": Department(f"D{i}", f"部门{i}", None, (), Location("x")) for i in range(20)}
    ids = [f"P-{i:05d}" for i in range(n)]
    policies = {}
    for i, pid in enumerate(ids):
        path = f"policies/c/{pid}.md"
        articles = tuple(Article(k, f"l{k}", f"l{k}", 2, "", k) for k in range(1, 26))
        refs = []
        for j in range(refs_per_policy):
            loc = Location(path, j + 1, 1)
            kind = rnd.random()
            if kind < 0.7:
                refs.append(Ref("policy", rnd.choice(ids), f"l{rnd.randint(1, 25)}",
                                rnd.choice((None, 2)), None, loc, 1))
            elif kind < 0.85:
                refs.append(Ref("local", "", f"l{rnd.randint(1, 25)}", None, None, loc, 1))
            else:
                refs.append(Ref("dept", rnd.choice(list(depts)), None, None, None, loc, 1))
        meta = PolicyMeta(pid, f"制度{i}", rnd.choice(list(depts)), "active",
                          dt.date(2025, 1, 1), "1.0")
        policies[pid] = Policy(meta, "c", path, ParsedBody("", (), articles, tuple(refs), ""))
    chapter = Chapter("c", "01-c", "章", 1, "policies/c/_chapter.md",
                      ParsedBody("", (), (), (), ""), tuple(ids))
    return Handbook(SiteInfo("t", "zh-CN", None), (chapter,), policies, depts, "x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--policies", type=int, default=10000)
    ap.add_argument("--refs", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gc", action="store_true", help="keep the garbage collector on")
    args = ap.parse_args()
    hb = make_handbook(args.policies, args.refs)
    total = args.policies * args.refs
    times, cpu, gc_cpu = [], [], []
    gc_clock = GcClock()
    gc.callbacks.append(gc_clock)
    for _ in range(args.runs):
        diags = Diagnostics()
        gc_clock.total = 0.0
        t, c = time.perf_counter(), time.process_time()
        if args.gc:
            resolve(hb, diags, include_drafts=False)
            run_checks(hb, diags)
        else:
            with paused_gc():
                resolve(hb, diags, include_drafts=False)
                run_checks(hb, diags)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        gc_cpu.append(gc_clock.total)
        assert not diags.has_errors, diags.sorted()[:3]
    gc.callbacks.remove(gc_clock)
    times.sort()
    cpu.sort()
    gc_cpu.sort()
    med = times[len(times) // 2]
    print(f"resolve+checks: {args.policies} policies x {args.refs} refs = {total} references: "
          f"wall median {med:.3f} s (min {times[0]:.3f}, max {times[-1]:.3f}), "
          f"CPU median {cpu[len(cpu) // 2]:.3f} s = {total / med / 1e6:.2f} M refs/s; "
          f"GC CPU median {gc_cpu[len(gc_cpu) // 2]:.3f} s"
          + ("" if args.gc else " (collector paused, as in a build)"))


class GcClock:
    """A gc callback summing the CPU time spent in collections into ``total``."""

    def __init__(self) -> None:
        self.total, self.started = 0.0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.started = time.process_time()
        else:
            self.total += time.process_time() - self.started


if __name__ == "__main__":
    main()
