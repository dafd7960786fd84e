"""The real-text corpus (1,000 local regulations) for benchmarks and the judged search set.

The corpus lives outside the project, in ``../shared/corpus/local-regulations-1000.tar.xz``
(``CORPUS_TARBALL``); it is never copied into the project. This module owns reading it:

    from real_corpus import unpack, write_hugo_site, policies
    src = unpack(tmp)                      # -> tmp/policies, a handbook in our input contract
    site = write_hugo_site(src, tmp / "hugo")   # -> a Hugo site of the same Markdown
    for p in policies(src): p.id, p.title, p.path

``write_hugo_site`` gives every policy page the URL ``/policies/<id lower-case>/`` (front matter
``url``), so a Pagefind result maps back to a policy id as our ``policies/<id>.html`` does. Hugo
pages have no per-article anchors (articles are hand-numbered paragraphs, not headings).

Command line: ``python bench/real_corpus.py DEST [--hugo]`` unpacks into DEST (and writes
DEST/hugo). Stdlib only.
"""
from __future__ import annotations

import argparse
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

import gen_corpus  # the peers' site layout (a sibling script in bench/)

ROOT = Path(__file__).resolve().parents[1]
CORPUS_TARBALL = ROOT.parent / "shared" / "corpus" / "local-regulations-1000.tar.xz"

# The Hugo site is the synthetic benchmark's, with policy bodies marked for Pagefind (so that it
# indexes policy pages only, as ours does).
HUGO_CONFIG = gen_corpus.HUGO_CONFIG
HUGO_LAYOUTS = dict(gen_corpus.HUGO_LAYOUTS)
HUGO_LAYOUTS["single.html"] = HUGO_LAYOUTS["single.html"].replace("<article>", "<article data-pagefind-body>", 1)
assert "data-pagefind-body" in HUGO_LAYOUTS["single.html"]

_FIELD = re.compile(r'^(id|title|status):\s*"?(.*?)"?\s*$', re.M)


@dataclass(frozen=True)
class Policy:
    id: str        # "LAW-0001"
    title: str     # "上海口岸服务条例"
    status: str    # "active" | "retired"
    path: Path     # the Markdown source


def unpack(dest: str | Path, tarball: str | Path = CORPUS_TARBALL) -> Path:
    """Unpack the corpus tarball into ``dest``; returns ``dest/policies`` (the handbook source)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:xz") as tf:
        tf.extractall(dest, filter="data")
    return dest / "policies"


def _front_matter(text: str) -> tuple[str, str]:
    """(front matter without the fences, body) of a Markdown file with ``---`` fences."""
    if not text.startswith("---\n"):
        return "", text
    end = text.index("\n---\n", 3)
    return text[4:end + 1], text[end + 5:]


def policies(policies_dir: str | Path) -> list[Policy]:
    """The corpus' policies (chapter files excluded), in path order."""
    out = []
    for f in sorted(Path(policies_dir).glob("*/*.md")):
        if f.name == "_chapter.md":
            continue
        fm = dict(_FIELD.findall(_front_matter(f.read_text("utf-8"))[0]))
        out.append(Policy(fm["id"], fm["title"], fm.get("status", "active"), f))
    return out


def write_hugo_site(policies_dir: str | Path, out_dir: str | Path) -> Path:
    """Write a Hugo site of the corpus into ``out_dir`` and return it.

    ``hugo.toml`` (taxonomies, RSS, sitemap off), minimal layouts (title + content; the
    article is marked ``data-pagefind-body``), ``content/<chapter>/_index.md`` from each
    ``_chapter.md`` and ``content/<chapter>/<file>.md`` per policy: the same Markdown with
    ``url: "/policies/<id>/"`` added to its front matter. Build it with
    ``hugo --quiet -s OUT -d PUBLIC``.
    """
    def with_url(f: Path) -> str:
        fm, body = _front_matter(f.read_text("utf-8"))
        pid = dict(_FIELD.findall(fm))["id"]
        return f'---\n{fm}url: "/policies/{pid.lower()}/"\n---\n{body}'

    return gen_corpus.write_hugo_site(policies_dir, out_dir, HUGO_LAYOUTS, with_url)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dest", help="folder to unpack into (gets DEST/policies)")
    ap.add_argument("--hugo", action="store_true", help="also write the Hugo site into DEST/hugo")
    a = ap.parse_args(argv)
    src = unpack(a.dest)
    print(src)
    if a.hugo:
        print(write_hugo_site(src, Path(a.dest) / "hugo"))


if __name__ == "__main__":
    main()
