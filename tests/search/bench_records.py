"""SearchRecords from a bench/gen_corpus.py tree, for scale and matching tests.

A light stand-in for the real pipeline (which produces the records the site uses):
front matter, `##`/`###` headings, `§` articles numbered 第N条 through the policy,
references replaced by their text. Drafts are skipped, as the pipeline does.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from handbook_gen.search import SearchRecord
from handbook_gen.core.numerals import to_chinese

REPO = Path(__file__).resolve().parents[2]
_REF = re.compile(r"\[\[([^\]]+)\]\]")
_ART = re.compile(r"^§(?:\{([a-z0-9-]+)\})?\s+")


def corpus(n: int, cache: Path, seed: int = 1) -> Path:
    out = cache / f"corpus-{n}-{seed}"
    if not (out / "_handbook.yaml").exists():
        subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(n), str(out),
                        "--seed", str(seed), "--force"], check=True, stdout=subprocess.DEVNULL)
    return out


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text("utf-8")
    _, fm, body = text.split("---\n", 2)
    return yaml.safe_load(fm), body


def records(root: Path) -> list[SearchRecord]:
    hb = yaml.safe_load((root / "_handbook.yaml").read_text("utf-8"))
    depts = {d["id"]: d["name"] for d in hb["departments"]}
    files = []
    for chdir in sorted(p for p in root.iterdir() if p.is_dir()):
        chapter = _split(chdir / "_chapter.md")[0]["title"]
        for f in sorted(chdir.glob("*.md")):
            if f.name != "_chapter.md":
                meta, body = _split(f)
                files.append((chapter, meta, body))
    titles = {m["id"]: m["title"] for _, m, _ in files}
    out: list[SearchRecord] = []
    for chapter, meta, body in files:
        if meta.get("status") == "draft":
            continue
        out.extend(_policy(chapter, meta, body, titles, depts))
    return out


def _policy(chapter, meta, body, titles, depts) -> list[SearchRecord]:
    pid = meta["id"]
    labels: dict[str, int] = {}
    n = 0
    for line in body.splitlines():
        m = _ART.match(line)
        if m:
            n += 1
            if m.group(1):
                labels[m.group(1)] = n

    def ref(m: re.Match) -> str:
        t = m.group(1)
        if t.startswith("dept:"):
            return depts.get(t[5:], t[5:])
        tid, _, label = t.partition("#")
        label = label.split(".")[0]
        if not tid:
            return f"第{to_chinese(labels[label])}条" if label in labels else "本条"
        return f"《{titles.get(tid, tid)}》"

    recs: list[tuple[str, str, list[str], str]] = []  # (section, heading, lines, anchor)
    ch_no = sec_no = art = 0
    chapter_h = section_h = ""
    cur = ("", "", [], "")
    recs.append(cur)
    for line in body.splitlines():
        s = line.strip()
        if not s or s.startswith(":::") or s.startswith("[^") or re.fullmatch(r"\|?\s*:?-+.*", s):
            continue
        if s.startswith("### "):
            sec_no += 1
            section_h = f"第{to_chinese(sec_no)}节 {s[4:].strip()}"
            continue
        if s.startswith("## "):
            ch_no += 1
            sec_no = 0
            chapter_h, section_h = f"第{to_chinese(ch_no)}章 {s[3:].strip()}", ""
            continue
        m = _ART.match(s)
        if m:
            art += 1
            anchor = m.group(1) or f"art-{art}"
            cur = (" ".join(x for x in (chapter_h, section_h) if x), f"第{to_chinese(art)}条", [], anchor)
            recs.append(cur)
            s = s[m.end():]
        s = re.sub(r"^\d+\.\s+", "", s)
        s = _REF.sub(ref, s)
        s = re.sub(r"\[\^\d+\]", "", s).replace("|", " ").strip()
        if s:
            cur[2].append(s)
    url = f"policies/{pid.lower()}.html"
    owner = depts.get(meta.get("owner", ""), meta.get("owner", ""))
    out = []
    for section, heading, lines, anchor in recs:
        if not lines and not heading:
            continue
        out.append(SearchRecord(url + (f"#{anchor}" if anchor else ""), pid, meta["title"], heading, section,
                                "".join(lines), chapter, owner, meta.get("status", "active"),
                                str(meta.get("doc_no") or "")))
    return out


def real_corpus(cache: Path) -> Path:
    """The real-regulation corpus (../shared/corpus, bench/real_corpus.py) unpacked under `cache`."""
    sys.path.insert(0, str(REPO / "bench"))
    from real_corpus import unpack

    out = cache / "real"
    if not (out / "policies" / "_handbook.yaml").exists():
        unpack(out)
    return out / "policies"


def pipeline_records(root: Path) -> tuple[list[SearchRecord], dict[str, bytes]]:
    """The records the real pipeline feeds the index (read, parse, assemble, resolve, check; no
    pages) and the extra search files it passes with them (feed.search_files: the lexicon)."""
    from handbook_gen.build.pipeline import BuildOptions, BuildResult, load
    from handbook_gen.core.diagnostics import Diagnostics
    from handbook_gen.search import feed

    result = BuildResult(Diagnostics())
    load(root, BuildOptions(), result)
    records = feed.search_records(result.handbook, result.links)
    lexicon = getattr(feed, "lexicon_for", None)
    return records, (lexicon(records, result.handbook.site.synonyms, None) if lexicon else {})
