#!/usr/bin/env python3
"""Judged query set through the real results page (search.html?q=…) in headless Chromium.

    python tests/search/judged.py [--site SITE_DIR] [--http] [--queries FILE] [--verbose]

Without --site, a site for the sample handbook (policies/) is written to a temporary
folder from the generator's model (tests/search/sample_records.py) with the search
templates, client and index. Prints MRR@10 and recall@5 per query kind and overall.
A result's policy is read from its href (policies/<id>.html#…).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

CHROMIUM = "/usr/bin/chromium"
DEFAULT_QUERIES = HERE / "data" / "judged_sample.jsonl"


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def policy_of(href: str) -> str:
    m = re.search(r"policies/([^/#?]+)\.html", href)
    return m.group(1).upper() if m else href


def run_queries(page, base: str, queries: list[dict], path: str = "search.html") -> list[dict]:
    out = []
    for q in queries:
        page.goto(f"{base}{path}?q={quote(q['q'])}")
        page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=15000)
        hits = page.eval_on_selector_all("#search-results a[data-title]",
                                         "els => els.map(e => [e.getAttribute('href'), e.dataset.title])")
        partial = page.get_attribute("#search-results", "data-partial") == "true"
        ranked: list[str] = []
        for href, _title in hits:
            pid = policy_of(href)
            if pid not in ranked:
                ranked.append(pid)
        out.append({**q, "ranked": ranked, "partial": partial})
    return out


def score(r: dict) -> tuple[float, float]:
    exp = r["expect"]
    if not exp:  # no answer expected: nothing shown, or only flagged partial matches
        ok = 1.0 if (not r["ranked"] or r["partial"]) else 0.0
        return ok, ok
    rr = 0.0
    for i, pid in enumerate(r["ranked"][:10]):
        if pid in exp:
            rr = 1.0 / (i + 1)
            break
    rec = len(set(r["ranked"][:5]) & set(exp)) / len(exp)
    return rr, rec


def report(results: list[dict], label: str = "handbook-gen") -> dict:
    kinds: dict[str, list[tuple[float, float]]] = {}
    for r in results:
        kinds.setdefault(r["kind"], []).append(score(r))
    table = {}
    print(f"\n{label}: MRR@10 / recall@5 per kind")
    for k, v in kinds.items():
        mrr = sum(x[0] for x in v) / len(v)
        rec = sum(x[1] for x in v) / len(v)
        table[k] = {"n": len(v), "mrr10": round(mrr, 3), "recall5": round(rec, 3)}
        print(f"  {k:12s} n={len(v):3d}  MRR@10={mrr:.3f}  recall@5={rec:.3f}")
    allv = [score(r) for r in results]
    table["all"] = {"n": len(allv), "mrr10": round(sum(x[0] for x in allv) / len(allv), 3),
                    "recall5": round(sum(x[1] for x in allv) / len(allv), 3)}
    print(f"  {'all':12s} n={len(allv):3d}  MRR@10={table['all']['mrr10']:.3f}  recall@5={table['all']['recall5']:.3f}")
    return table


def build_sample_site(out: Path) -> Path:
    from sample_records import records
    from sitebuild import write_site

    return write_site(out, records())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def serve(directory: Path):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/"


PAGEFIND_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><div id="search-results"></div><script type="module" src="pf_run.js"></script></body></html>
"""
PAGEFIND_JS = """const q = new URLSearchParams(location.search).get('q') || '';
const box = document.getElementById('search-results');
const pagefind = await import('./pagefind/pagefind.js');
const r = await pagefind.search(q);
const top = await Promise.all(((r && r.results) || []).slice(0, 10).map(x => x.data()));
for (const d of top) {
  const a = document.createElement('a');
  a.href = (d.sub_results && d.sub_results[0] ? d.sub_results[0].url : d.url).replace(/^\\//, '');
  a.dataset.title = (d.meta && d.meta.title) || '';
  a.textContent = a.dataset.title;
  box.appendChild(a);
}
box.setAttribute('data-state', 'done');
"""


def pagefind_site(site: Path) -> str:
    """Index `site` with Pagefind (extended) and add a results page using its JS API."""
    import subprocess

    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site)], check=True, capture_output=True)
    (site / "pagefind_search.html").write_text(PAGEFIND_PAGE, "utf-8")
    (site / "pf_run.js").write_text(PAGEFIND_JS, "utf-8")
    return "pagefind_search.html"


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site")
    ap.add_argument("--http", action="store_true")
    ap.add_argument("--queries", default=str(DEFAULT_QUERIES))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--pagefind", action="store_true", help="also run the set against Pagefind (extended) on the same site, over HTTP")
    a = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    queries = load_queries(Path(a.queries))
    site = Path(a.site) if a.site else build_sample_site(Path(tempfile.mkdtemp(prefix="hb-judged-")))
    srv = None
    base = site.resolve().as_uri() + "/"
    if a.http or a.pagefind:
        srv, base = serve(site)
    pf_results = None
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM)
        page = b.new_page()
        results = run_queries(page, base, queries)
        if a.pagefind:
            pf_results = run_queries(page, base, queries, path=pagefind_site(site))
        b.close()
    if srv:
        srv.shutdown()
    if a.verbose:
        for r in results:
            rr, rec = score(r)
            if rr < 1:
                print(f"  [{r['kind']}] {r['q']!r}: expected {r['expect']} got {r['ranked'][:5]} partial={r['partial']}")
    table = report(results)
    if pf_results is not None:
        pf = report(pf_results, "Pagefind 1.5 (extended), same site")
        print("\nside by side: MRR@10 (recall@5)")
        print(f"  {'kind':12s} {'handbook-gen':>16s} {'Pagefind':>16s}")
        for k in table:
            print(f"  {k:12s} {table[k]['mrr10']:8.3f} ({table[k]['recall5']:.3f}) {pf[k]['mrr10']:8.3f} ({pf[k]['recall5']:.3f})")
    return table


if __name__ == "__main__":
    main()
