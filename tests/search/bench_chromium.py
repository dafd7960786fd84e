"""Query CPU and bytes of the real client in headless Chromium (used by bench_search.py --chromium).

For each query: a fresh browser context (empty cache) opens search.html over a local HTTP
server, waits until the engine is initialised (meta.js, t2s.js are start-up cost, not the
query's), then runs HBSearch.getEngine().search(q) and records the renderer main thread's CPU
time (CDP Performance.getMetrics ThreadTime: loading and evaluating the index scripts it
inserts plus the search itself; time spent waiting is excluded), the wall time, and the files
loaded. A second, long-lived page runs the same queries one after another ("warm").

Chromium is driven through cdp_pipe (only the Target, Runtime and Performance domains):
Playwright's always-on Network instrumentation adds main-thread work to every request.
"""
from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

from cdp_pipe import Chromium


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def _pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else 0


def chromium_bench(site: Path, queries: list[str], gz: dict[str, int], limit: int = 10) -> dict:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}/"
    cold_cpu, cold_wall, cold_bytes, cold_files, warm_cpu, warm_bytes = [], [], [], [], [], []
    b = Chromium()
    try:
        warm = b.new_page(base + "search.html")
        warm.eval("HBSearch.getEngine().init().then(() => 1)")
        warm.send("Performance.enable")
        for q in queries:
            call = "HBSearch.getEngine().search(%s, {limit: %d}).then(() => 1)" % (json.dumps(q), limit)
            pg = b.new_page(base + "search.html")
            pg.eval("HBSearch.getEngine().init().then(() => 1)")
            pg.send("Performance.enable")
            n0 = pg.eval("HBSearch.loaded.length")
            t0 = pg.metrics()["ThreadTime"]
            wall = pg.eval("(async () => { const t = performance.now(); await %s; return performance.now() - t; })()" % call)
            cold_cpu.append((pg.metrics()["ThreadTime"] - t0) * 1000)
            cold_wall.append(wall)
            files = pg.eval("HBSearch.loaded")
            cold_bytes.append(sum(gz.get(f, 0) for f in set(files)))  # incl. meta.js and t2s.js
            cold_files.append(len(files) - n0)
            pg.close()
            n0 = warm.eval("HBSearch.loaded.length")
            t0 = warm.metrics()["ThreadTime"]
            warm.eval(call)
            warm_cpu.append((warm.metrics()["ThreadTime"] - t0) * 1000)
            warm_bytes.append(sum(gz.get(f, 0) for f in warm.eval("HBSearch.loaded")[n0:]))
    finally:
        b.close()
        srv.shutdown()
        srv.server_close()

    def s(xs, unit=1.0):
        return {"p50": round(_pct(xs, 50) / unit, 1), "p95": round(_pct(xs, 95) / unit, 1), "max": round(max(xs) / unit, 1)}

    return {"n": len(queries), "cold_cpu_ms": s(cold_cpu), "cold_wall_ms": s(cold_wall),
            "cold_bytes_gz_KB": s(cold_bytes, 1000), "cold_files": s(cold_files), "warm_cpu_ms": s(warm_cpu),
            "warm_bytes_gz_KB": s(warm_bytes, 1000)}
