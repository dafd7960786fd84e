"""Save-to-reloaded latency of `handbook serve` at N policies, in headless Chromium.

Generates the synthetic corpus, starts the preview server in-process (real file watching),
opens a policy page, then repeatedly edits that policy's source and measures the time
from the write until the browser shows the new text. Also prints how many pages each
kind of edit re-rendered.

    python bench/serve_bench.py --n 1000 --edits 10
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from handbook_gen import devserver  # noqa: E402
from handbook_gen.pipeline import BuildOptions  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "policies"
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(args.n), str(src)],
                       check=True, capture_output=True)
        t = time.perf_counter()
        server, collector, observer, _ = devserver.start(src, "127.0.0.1", 0, BuildOptions())
        print(f"initial build of {args.n} policies: {time.perf_counter() - t:.2f} s")
        target = sorted(p for p in src.glob("*/*.md") if p.name != "_chapter.md")[args.n // 2]
        pid = re.search(r"^id: (\S+)", target.read_text("utf-8"), re.M).group(1)
        original = target.read_text("utf-8")
        latencies, pages, rebuilds = [], [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium,
                                        args=["--no-sandbox", "--disable-gpu",
                                              "--disable-background-networking"])
            page = browser.new_page()
            page.goto(server.url + f"policies/{pid.lower()}.html")
            for i in range(args.edits):
                marker = f"基准标记{i:03d}"
                text = original.replace("\n§", f"\n§ {marker}。\n\n§", 1) if i % 2 else \
                    original.rstrip("\n") + f"\n\n{marker}。\n"
                time.sleep(0.3)  # let the previous reload settle
                t0 = time.perf_counter()
                target.write_text(text, "utf-8")
                expect(page.locator("main")).to_contain_text(marker, timeout=30000)
                latencies.append(time.perf_counter() - t0)
                pages.append((("renumber" if i % 2 else "body edit"),
                              server.last_counters.get("pages_rendered")))
                rebuilds.append(server.last_rebuild_seconds)
            browser.close()
        collector.stop()
        observer.stop()
        server.shutdown()
    ms = sorted(x * 1000 for x in latencies)
    print(f"save-to-reloaded latency over {len(ms)} edits at {args.n} policies: median "
          f"{statistics.median(ms):.0f} ms (min {ms[0]:.0f}, max {ms[-1]:.0f})")
    print(f"of which the rebuild itself: median {statistics.median(rebuilds) * 1000:.0f} ms")
    for kind in ("body edit", "renumber"):
        counts = [c for k, c in pages if k == kind]
        print(f"pages re-rendered per {kind}: {sorted(set(counts))}")


if __name__ == "__main__":
    main()
