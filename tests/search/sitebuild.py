"""Write a small static site (stand-in templates + the real search templates, client and index)."""
from __future__ import annotations

import shutil
from pathlib import Path

import jinja2

from handbook_gen.search import SearchRecord, build_search_index

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def env(real_base: bool = False) -> jinja2.Environment:
    paths = [str(REPO / "templates")] if real_base else [str(HERE / "templates"), str(REPO / "templates")]
    return jinja2.Environment(loader=jinja2.FileSystemLoader(paths), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def write_site(out: Path, records: list[SearchRecord], title: str = "华衡科技有限公司制度汇编",
               files: dict[str, bytes] | None = None, pages: bool = True) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    if files is None:  # as the pipeline writes them (feed.search_files): with the lexicon
        from handbook_gen.search.lexicon import lexicon_for

        files = build_search_index(records, extra=lexicon_for(records))
    for path, data in files.items():
        p = out / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    (out / "static").mkdir(exist_ok=True)
    for name in ("search.js", "search.css"):
        shutil.copyfile(REPO / "templates" / "static" / name, out / "static" / name)
    e = env()
    site = {"title": title}
    (out / "search.html").write_text(e.get_template("search.html").render(root="", site=site, page_title="搜索"), "utf-8")
    (out / "index.html").write_text(e.get_template("index.html").render(root="", site=site, page_title=None), "utf-8")
    if pages:
        by: dict[str, dict] = {}
        for r in records:
            p = by.setdefault(r.url.split("#")[0], {"title": r.policy_title, "records": []})
            p["records"].append({"anchor": r.url.partition("#")[2], "heading": r.heading, "text": r.text})
        tpl = e.get_template("policy.html")
        for url, p in by.items():
            dest = out / url
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(tpl.render(root="../" * url.count("/"), site=site, page_title=p["title"], policy=p), "utf-8")
    return out
