"""Peak memory of a cold build and of `handbook serve` under a stream of edits, at N policies.

Both run as child processes of this script, with the package from ``--src`` (default:
this checkout's ``src/``), so the same script measures an older checkout too:

    python bench/memory_bench.py --n 5000 [--edits 40] [--src OTHER/src] [--corpus DIR]

Build: the largest resident set of any process of ``handbook build --no-cache`` (the
parent or a worker), read from ``getrusage(RUSAGE_CHILDREN)`` after it exits, and its
CPU seconds (user + system, all processes). Serve: the server's resident set (VmRSS of
the server and of its background worker) after start-up and after every edit; each edit
appends a sentence to a policy and waits until the server reports the rebuild.
Stdlib only; prints figures, asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def tree_rss(pid: int) -> tuple[int, int]:
    """(the server's RSS, the largest descendant's RSS) in KiB. The background worker is
    a grandchild: the multiprocessing fork server's child."""
    found, todo = [], children(pid)
    while todo:
        found.append(todo.pop())
        todo += children(found[-1])
    return rss_kib(pid), max((rss_kib(c) for c in found), default=0)


def bench_build(env: dict, corpus: Path, out: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-m", "handbook_gen", "build", str(corpus),
                           "--out", str(out), "--no-cache", "--today", "2026-06-01"],
                          env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"build: exit {proc.returncode}, peak RSS of the largest process "
          f"{after.ru_maxrss / 1024:.0f} MiB, CPU {cpu:.1f} s")
    if proc.returncode not in (0, 1):
        print(proc.stderr[-2000:])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_serve(env: dict, corpus: Path, edits: int) -> None:
    port = free_port()
    log = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, "-m", "handbook_gen", "serve", str(corpus),
                             "--port", str(port)], env=env, stderr=log, stdout=log, text=True)
    try:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            log.seek(0)
            if "serving" in log.read():
                break
            if proc.poll() is not None:
                log.seek(0)
                print("serve exited:", log.read()[-2000:])
                return
            time.sleep(0.5)
        time.sleep(5)  # let the deferred whole-site work settle
        main, worker = tree_rss(proc.pid)
        print(f"serve: after start-up server {main / 1024:.0f} MiB, worker {worker / 1024:.0f} MiB")
        policies = sorted(p for p in corpus.rglob("*.md") if p.name != "_chapter.md")
        rng = random.Random(7)
        series = []
        for i in range(edits):
            path = rng.choice(policies)
            log.seek(0, 2)
            mark = log.tell()
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(f"\n本条为内存测试追加的第{i + 1}句说明。\n")
            t0 = time.monotonic()
            while time.monotonic() - t0 < 60:
                log.seek(mark)
                if re.search(r"rebuilt in", log.read()):
                    break
                time.sleep(0.05)
            time.sleep(0.5)
            main, worker = tree_rss(proc.pid)
            series.append((main, worker))
        for i in range(0, len(series), max(1, len(series) // 8)):
            m, w = series[i]
            print(f"  after edit {i + 1:3d}: server {m / 1024:.0f} MiB, worker {w / 1024:.0f} MiB")
        m, w = series[-1]
        print(f"serve: after {edits} edits server {m / 1024:.0f} MiB, worker {w / 1024:.0f} MiB; "
              f"server peak {max(s[0] for s in series) / 1024:.0f} MiB")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
        except OSError as exc:
            print("serve did not answer:", exc)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--src", type=Path, default=HERE.parent / "src")
    ap.add_argument("--corpus", type=Path, help="use (or create) the corpus in this directory")
    ap.add_argument("--skip-serve", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hb-mem-"))
    corpus = args.corpus or work / "policies"
    if not corpus.is_dir():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(args.n), str(corpus)],
                       check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))
    env.pop("HANDBOOK_CACHE_DIR", None)
    # the serve run edits the corpus: it gets a copy, so the build run stays comparable
    serve_corpus = work / "serve" / "policies"
    shutil.copytree(corpus, serve_corpus)
    env["HANDBOOK_CACHE_DIR"] = str(work / "cache")
    bench_build(env, corpus, work / "site")
    if not args.skip_serve:
        bench_serve(env, serve_corpus, args.edits)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
