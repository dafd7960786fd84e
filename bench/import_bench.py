"""handbook import on real text: a sample of the 1,000-regulation corpus, each policy's
body turned back into the plain text an OA system exports (front matter stripped, Markdown
heading marks removed, the title as the first line), imported as .txt, and the article
numbers of the written Markdown compared with our parse of the original file.

    python bench/import_bench.py [--n 200] [--corpus /tmp/corpus] [--show 10] [--docx]

With --docx the sample goes through Word instead: each policy is exported by `handbook
export --docx` (real Word numbering: 第%1条 on chineseCountingThousand, （%1）, %1.) and the
.docx files are imported.

Prints the agreement rate (same article numbers, in the same order), the mismatches with
their first difference, the report's notes by code, and CPU seconds. Uses the package only
(stdlib otherwise); the corpus is unpacked from ../shared/corpus when --corpus is absent.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handbook_gen.core.numerals import article_name  # noqa: E402
from handbook_gen.markdown.document import parse_document  # noqa: E402
from handbook_gen.word.importer import Options, run_import  # noqa: E402

HANDBOOK = "title: 导入基准\ndepartments:\n  - id: LEG\n    name: 法制办\n"


def sample(policies_dir: Path, n: int) -> list[Path]:
    files = sorted(p for p in policies_dir.glob("*/*.md") if p.name != "_chapter.md")
    step = max(1, len(files) // n)
    return files[::step][:n]


def as_text(path: Path) -> tuple[str, str]:
    """(title, the body as plain text) of a corpus policy."""
    text = path.read_text(encoding="utf-8")
    _, yaml_text, body = text.split("---\n", 2)
    title = re.search(r"^title:\s*\"?(.*?)\"?\s*$", yaml_text, re.M)[1]
    body = re.sub(r"(?m)^#{1,6}\s+", "", body)
    return title, f"{title}\n{body}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/corpus"))
    ap.add_argument("--show", type=int, default=10, help="mismatches to print")
    ap.add_argument("--docx", action="store_true", help="import .docx exported from the sample")
    args = ap.parse_args(argv)
    policies_dir = args.corpus / "policies"
    if not policies_dir.is_dir():
        import real_corpus
        policies_dir = real_corpus.unpack(args.corpus)
    files = sample(policies_dir, args.n)
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        root = Path(tmp) / "policies"
        (root / "01-laws").mkdir(parents=True)
        (root / "_handbook.yaml").write_text(HANDBOOK, encoding="utf-8")
        (root / "01-laws" / "_chapter.md").write_text("---\ntitle: 法规\n---\n", encoding="utf-8")
        sources = Path(tmp) / "sources"
        sources.mkdir()
        originals: dict[str, list] = {}
        ids = [re.search(r"^id:\s*\"?([^\"\n]+)", f.read_text(encoding="utf-8"), re.M)[1]
               for f in files]
        if args.docx:
            from handbook_gen.word.export import ExportOptions, export_policies
            cpu = time.process_time()
            export_policies(policies_dir, ids, ExportOptions(sources))
            print(f"export CPU: {time.process_time() - cpu:.2f} s")
        for i, (f, pid) in enumerate(zip(files, ids)):
            title, text = as_text(f)
            src = sources / (f"{pid}.docx" if args.docx else f"{i:04d}.txt")
            if not args.docx:
                src.write_text(text, encoding="utf-8")
            doc = parse_document(f"policies/{f.parent.name}/{f.name}", f.read_bytes())
            originals[str(src)] = [a.number for a in doc.body.articles] if doc.body else []
        cpu = time.process_time()
        results = run_import(root, [sources], Options("01-laws", "LAW", "LEG", dry_run=True))
        cpu = time.process_time() - cpu
    refused = [r for r in results if r.refused]
    imported = [r for r in results if not r.refused]
    same = [r for r in imported if r.built == originals[r.source]]
    print(f"documents: {len(results)}  articles in the originals: "
          f"{sum(len(v) for v in originals.values())}")
    print(f"same article numbers as our parse of the original: {len(same)}/{len(imported)} "
          f"imported = {len(same) / max(1, len(imported)):.1%}")
    for r in refused:
        print(f"  refused: {r.source}: " + r.refused[0].format(**r.refused[1]))
    print(f"import CPU: {cpu:.2f} s ({cpu / max(1, len(results)) * 1000:.0f} ms per document)")
    notes = Counter(d.code for r in results for d in r.notes)
    print("report notes by code: " + ", ".join(f"{c} {n}" for c, n in sorted(notes.items())))
    shown = 0
    for r in results:
        want = originals[r.source]
        if r.refused or r.built == want or shown >= args.show:
            continue
        shown += 1
        k = next((i for i, (a, b) in enumerate(zip(r.built, want)) if a != b),
                 min(len(r.built), len(want)))
        got = article_name(r.built[k]) if k < len(r.built) else "—"
        exp = article_name(want[k]) if k < len(want) else "—"
        print(f"  {r.title}: {len(r.built)} vs {len(want)} articles; #{k + 1}: {got} vs {exp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
