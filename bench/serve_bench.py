"""Save-to-reloaded latency of `handbook serve` at N policies, in headless Chromium.

Generates the synthetic corpus, starts the preview server in-process (real file watching),
opens a policy page, then repeatedly edits that policy's source and measures the time
from the write until the new text is in the browser's DOM. Also prints how many pages
each kind of edit re-rendered, and where the time went.

The moment the text arrives is recorded by the page itself: a script added to every
document (``add_init_script``) watches the DOM with a MutationObserver and stores
``performance.timeOrigin + performance.now()`` when ``<main>`` first contains the
marker; the write time is taken just before the write with the same (wall) clock. So
the figure has no polling or retry back-off in it (Playwright's ``expect`` retries at
100, 250, 500, 1000 ms intervals, which is how the first version of this benchmark
measured). Server-side stamps split it up: watcher event, batch delivered (debounce),
rebuild, and the reload (end of the rebuild to text in the DOM). Since only the page's
<main> changes with these edits, the page updates it in place; ``--reload`` makes every
update a full page reload instead, as before.

The edits alternate between a body edit and a renumbering (an article inserted at the
top), so after the first edit a "body edit" also undoes the previous renumbering and
re-renders the same citing pages.

    python bench/serve_bench.py --n 1000 --edits 10 [--reload] [--corpus DIR]
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from handbook_gen.serve import server as devserver  # noqa: E402
from handbook_gen.build.pipeline import BuildOptions  # noqa: E402

SEEN_JS = """
(() => {
  const check = () => {
    const marker = sessionStorage.getItem("bench-marker");
    const main = document.querySelector("main");
    if (!marker || !main || !main.textContent.includes(marker)) return;
    const seen = JSON.parse(sessionStorage.getItem("bench-seen") || "null");
    if (seen && seen.marker === marker) return;
    const nav = performance.getEntriesByType("navigation")[0];
    sessionStorage.setItem("bench-seen", JSON.stringify({
      marker, t: performance.timeOrigin + performance.now(), start: performance.timeOrigin,
      response: nav ? performance.timeOrigin + nav.responseStart : null}));
  };
  // the live-reload script either reloads the page (this runs again in the new
  // document) or replaces <main> in place (the observer sees the mutation)
  new MutationObserver(check).observe(document, {childList: true, subtree: true,
                                                 characterData: true});
  document.addEventListener("DOMContentLoaded", check);
})();
"""


class Stamps:
    """Wall-clock stamps from inside the server: first watcher event of a batch, the
    batch's delivery (after the debounce), the publication of its rebuild (the pages
    open in the browser; the server renders any other changed pages right after)."""

    def __init__(self, server, collector):
        self.events: list[float] = []
        self.batches: list[tuple[float, float, float]] = []
        self.published: list[float] = []
        self.cpu: list[float] = []
        """CPU seconds of each rebuild's thread: less sensitive to a busy machine."""
        add, deliver, rebuild = collector.add, collector.deliver, server.site.rebuild

        def on_add(change, *args):
            self.events.append(time.time())
            return add(change, *args)

        def on_deliver(batch):
            started = time.time()
            deliver(batch)
            self.batches.append((started, time.time(), server.last_rebuild_seconds))
        publish = getattr(server, "_publish", None)

        def on_publish(*args):
            self.published.append(time.time())
            return publish(*args)
        if publish is not None:
            server._publish = on_publish

        def on_rebuild(*args, **kwargs):
            started = time.thread_time()
            try:
                return rebuild(*args, **kwargs)
            finally:
                self.cpu.append(time.thread_time() - started)
        collector.add, collector.deliver = on_add, on_deliver
        server.site.rebuild = on_rebuild

    def clear(self) -> None:
        self.events.clear()
        self.batches.clear()
        self.published.clear()
        self.cpu.clear()


def seen(page, marker: str, timeout: float = 30.0) -> dict:
    """Wait (polling is fine: the time comes from the page) until the page recorded
    the marker; the page may be navigating meanwhile."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            raw = page.evaluate("() => sessionStorage.getItem('bench-seen')")
        except Exception:  # the execution context went away with a reload
            raw = None
        if raw:
            data = json.loads(raw)
            if data["marker"] == marker:
                return data
        time.sleep(0.02)
    raise TimeoutError(f"{marker} never showed up")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--pause", type=float, default=0.3,
                    help="seconds between the new text showing and the next edit")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--corpus", type=Path, help="use (or create) the corpus in this directory")
    ap.add_argument("--reload", action="store_true",
                    help="always reload the page (no in-place update of <main>)")
    ap.add_argument("--deferred-in-thread", action="store_true",
                    help="build the compiled edition and search index in a server thread "
                    "instead of the low-priority worker process (for comparison)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        src = args.corpus or Path(tmp) / "policies"
        if not (src / "_handbook.yaml").is_file():
            subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(args.n), str(src)],
                           check=True, capture_output=True)
        t = time.perf_counter()
        server, collector, observer, _ = devserver.start(src, "127.0.0.1", 0, BuildOptions(),
                                                     deferred_worker=not args.deferred_in_thread)
        server.swap = not args.reload
        print(f"initial build of {args.n} policies: {time.perf_counter() - t:.2f} s")
        stamps = Stamps(server, collector)
        target = sorted(p for p in src.glob("*/*.md") if p.name != "_chapter.md")[args.n // 2]
        pid = re.search(r"^id: (\S+)", target.read_text("utf-8"), re.M).group(1)
        original = target.read_text("utf-8")
        rows = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium,
                                            args=["--no-sandbox", "--disable-gpu",
                                                  "--disable-background-networking"])
                page = browser.new_page()
                page.add_init_script(SEEN_JS)
                page.goto(server.url + f"policies/{pid.lower()}.html")
                for i in range(args.edits):
                    marker = f"基准标记{i:03d}"
                    text = original.replace("\n§", f"\n§ {marker}。\n\n§", 1) if i % 2 else \
                        original.rstrip("\n") + f"\n\n{marker}。\n"
                    time.sleep(args.pause)  # let the previous reload settle
                    page.evaluate("m => { sessionStorage.setItem('bench-marker', m);"
                                  " sessionStorage.removeItem('bench-seen'); }", marker)
                    stamps.clear()
                    t0 = time.time()
                    target.write_text(text, "utf-8")
                    data = seen(page, marker)
                    deadline = time.time() + 30
                    while not stamps.batches and time.time() < deadline:
                        time.sleep(0.01)  # the rest of the rebuild (pages not open)
                    event = stamps.events[0] if stamps.events else float("nan")
                    delivered, rebuilt, _ = stamps.batches[-1] if stamps.batches else \
                        (float("nan"),) * 3
                    if stamps.published:  # the state the browser was updated to
                        rebuilt = stamps.published[0]
                    rows.append({
                        "kind": "renumber" if i % 2 else "body edit",
                        "pages": server.last_counters.get("pages_rendered"),
                        "total": data["t"] - t0 * 1000,
                        "event": (event - t0) * 1000,
                        "debounce": (delivered - event) * 1000,
                        "rebuild": (rebuilt - delivered) * 1000,
                        "rebuild_cpu": (stamps.cpu[-1] if stamps.cpu else float("nan")) * 1000,
                        "reload": data["t"] - rebuilt * 1000,
                        "swapped": data["start"] < t0 * 1000,  # no navigation since the write
                        "to_nav": data["start"] - rebuilt * 1000,
                        "to_response": (data["response"] or float("nan")) - data["start"],
                        "to_dom": data["t"] - (data["response"] or float("nan")),
                        "batches": len(stamps.batches),
                        "timings": dict(getattr(server, "last_timings", {}))})
                    r = rows[-1]
                    print(f"  edit {i} ({r['kind']}): {r['total']:.0f} ms = event "
                          f"{r['event']:.0f} + debounce {r['debounce']:.0f} + rebuild "
                          f"{r['rebuild']:.0f} + reload {r['reload']:.0f} "
                          + ("[in place] " if r["swapped"] else
                             f"[{r['to_nav']:.0f} to navigation, {r['to_response']:.0f} to "
                             f"response, {r['to_dom']:.0f} to DOM] ") + "(+ rest); "
                          f"{r['pages']} pages, {r['batches']} batch(es)")
                browser.close()
            report(rows, args.n)  # before shutting down, which the old server could not
        finally:
            target.write_text(original, "utf-8")
            collector.stop()
            observer.stop()
            server.shutdown()


def report(rows: list[dict], n: int) -> None:
    def med(key):
        return statistics.median(r[key] for r in rows)
    ms = sorted(r["total"] for r in rows)
    print(f"save-to-reloaded latency over {len(ms)} edits at {n} policies: median "
          f"{statistics.median(ms):.0f} ms (min {ms[0]:.0f}, max {ms[-1]:.0f})")
    swaps = sum(r["swapped"] for r in rows)
    print(f"  median parts: watcher event {med('event'):.0f} ms, debounce {med('debounce'):.0f} ms, "
          f"rebuild {med('rebuild'):.0f} ms (CPU {med('rebuild_cpu'):.0f} ms), "
          f"reload {med('reload'):.0f} ms "
          f"({swaps} of {len(rows)} updated in place, the rest reloaded)")
    phases = sorted({k for r in rows for k in r["timings"]} - {"rebuild"})
    print("  rebuild phases (median ms): " + ", ".join(
        f"{k} {statistics.median(r['timings'].get(k, 0) for r in rows) * 1000:.0f}" for k in phases))
    for kind in ("body edit", "renumber"):
        counts = [r["pages"] for r in rows if r["kind"] == kind]
        print(f"pages re-rendered per {kind}: {sorted(set(counts))}", flush=True)


if __name__ == "__main__":
    main()
