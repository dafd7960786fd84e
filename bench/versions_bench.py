"""What reading versions from git costs a build: a handbook of N policies with V versions
each, built with history (git log, the versions, the citation drift check, and whatever
pages show them) and with ``--no-history``; prints CPU seconds (the build process and its
workers) and the ratio, median of R runs, with warm parse and page caches and with none.

The repository: the synthetic corpus (gen_corpus.py) in git; each policy also cites
another policy's article by number in prose (《…》第三条), so the drift check has work.
Then V-1 revision rounds: every active policy gets its version and effective date bumped
and one edit, in turn an inserted article (renumbering what follows), a modified
article, and a deleted article (one an earlier round inserted: nothing cites it); each
round is one commit (the cost is in the number of revisions and texts, not of commits).

Three settings: warm caches (the same repository built again), no cache, and after a
commit (what CI does: each build follows a new commit that revises one policy; the
caches are warm otherwise). With ``--keep``, that last setting's commits stay in the
repository.

    python bench/versions_bench.py [--n 200] [--versions 10] [--runs 3] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import generate  # noqa: E402

_VERSION = re.compile(r'^version: "[^"]*"$', re.M)
_EFFECTIVE = re.compile(r"^effective: (\d{4})-(\d\d)-(\d\d)$", re.M)
_REVIEW = re.compile(r"^review_by: .*$", re.M)
_INSERTED = re.compile(r"§\{rev\d+\}")


def git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com")
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo, env=env,
                   check=True, capture_output=True)


def policies(src: Path) -> list[Path]:
    return sorted(p for p in src.rglob("*.md") if p.name != "_chapter.md")


def titles(files: list[Path]) -> list[str]:
    out = []
    for f in files:
        m = re.search(r"^title: (.+)$", f.read_text("utf-8"), re.M)
        out.append(m[1] if m else "")
    return out


def add_prose_citations(files: list[Path], r: random.Random) -> None:
    """One prose citation of another policy's 第三条 in each policy's first article."""
    names = titles(files)
    for i, f in enumerate(files):
        text = f.read_text("utf-8")
        other = names[(i + 1 + r.randrange(len(files) - 1)) % len(files)]
        text = re.sub(r"^(§[^\n]*?。)", lambda m: m[1] + f"有关事项依照《{other}》第三条办理。",
                      text, count=1, flags=re.M)
        f.write_text(text, "utf-8")


def revise(f: Path, round_: int, r: random.Random) -> bool:
    """One revision of a policy: version and effective date bumped and one edit to its
    articles; False for a policy that is not active (left as it is)."""
    text = f.read_text("utf-8")
    if "\nstatus: active\n" not in text:
        return False
    text = _VERSION.sub(f'version: "{round_}.0"', text, count=1)
    m = _EFFECTIVE.search(text)
    year = int(m[1]) + round_  # a year per version keeps the effective dates in order
    text = _EFFECTIVE.sub(f"effective: {year}-{m[2]}-{m[3]}", text, count=1)
    text = _REVIEW.sub(f"review_by: {year + 2}-{m[2]}-{m[3]}", text, count=1)
    lines = text.split("\n")
    articles = [i for i, line in enumerate(lines) if line.startswith("§")]
    at = articles[r.randrange(1, len(articles) - 1)] if len(articles) > 2 else articles[-1]
    kind = round_ % 3
    if kind == 0:
        lines.insert(at, f"§{{rev{round_}}} 第{round_}次修订新增的条文，规定相关事项的办理时限。\n")
    elif kind == 1:
        lines[at] += f"修订（{round_}）：办理时限缩短为五个工作日。"
    else:  # an article no reference names: one inserted by an earlier round
        gone = [i for i in articles if _INSERTED.match(lines[i])]
        if gone:
            del lines[gone[0]]
    f.write_text("\n".join(lines), "utf-8")
    return True


def make_repo(root: Path, n: int, versions: int, seed: int) -> Path:
    src = root / "policies"
    generate(n, src, seed=seed)
    r = random.Random(seed)
    files = policies(src)
    add_prose_citations(files, r)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    for round_ in range(2, versions + 1):
        for f in files:
            revise(f, round_, r)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"v{round_}")
    return src


def compile_package() -> None:
    """Compile the package the builds run to bytecode first, as an installed package is
    (where PYTHONDONTWRITEBYTECODE is set, every build would compile it again: ~0.2 s of
    CPU in both kinds of build, which would flatter the ratio)."""
    subprocess.run([sys.executable, "-c", "import compileall, os, handbook_gen; "
                    "compileall.compile_dir(os.path.dirname(handbook_gen.__file__), quiet=1)"],
                   check=True)


def build_cpu(src: Path, out: Path, *extra: str, cache: Path | None,
              stages: dict | None = None) -> float:
    """CPU seconds (user + system) of one build, its worker processes included; with
    `stages`, the build's stage times (wall seconds, ``--timings``) are added to it."""
    if out.exists():
        shutil.rmtree(out)
    env = dict(os.environ)
    args = [sys.executable, "-m", "handbook_gen", "build", str(src), "--out", str(out),
            "--today", "2030-01-01", *extra]
    if cache is None:
        args.append("--no-cache")
    else:
        env["HANDBOOK_CACHE_DIR"] = str(cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stderr[-2000:]}")
    for m in re.finditer(r"^  (\S+) +([\d.]+) s$", proc.stderr, re.M):
        if stages is not None:
            stages.setdefault(m[1], []).append(float(m[2]))
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def after_commits(root: Path, src: Path, work: Path, cache: Path, runs: int, seed: int,
                  round_: int) -> tuple[list, list, dict]:
    """What CI does: each build follows a commit that revises one policy (a new version:
    its source parsed again, its pages and those citing it made again), warm caches
    otherwise; the new versions are numbered from `round_` + 1 on. Each of the 2 × `runs`
    builds gets its own commit, the two kinds of build
    in turn, so that neither finds the other's work for the same commit in the cache."""
    r = random.Random(seed + 1)
    files = [f for f in policies(src) if "\nstatus: active\n" in f.read_text("utf-8")]
    plain, history, stages = [], [], {}
    for i in range(2 * runs):
        round_ += 1
        revise(files[r.randrange(len(files))], round_, r)
        git(root, "commit", "-q", "-a", "-m", f"revise one policy ({round_})")
        if (i + i // 2) % 2 == 0:  # no-history first in rounds 0, 3, 4, 7, ...
            plain.append(build_cpu(src, work / "site", "--no-history", cache=cache))
        else:
            history.append(build_cpu(src, work / "site", "--timings", stages=stages,
                                     cache=cache))
    return plain, history, stages


def report(label: str, plain: list[float], history: list[float], stages: dict) -> None:
    a, b = statistics.median(plain), statistics.median(history)
    print(f"{label:>17}: --no-history {a:6.2f} s CPU, with history {b:6.2f} s CPU, "
          f"ratio {b / a:.2f}  (median of {len(plain)})")
    print(" " * 19 + "stages with history (wall s): " + ", ".join(
        f"{k} {statistics.median(v):.2f}" for k, v in stages.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--versions", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="make the repository here and keep it")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="versions-bench-"))
    root = args.keep or work / "repo"
    try:
        started = time.perf_counter()
        if (root / "policies").is_dir():
            src = root / "policies"
        else:
            root.mkdir(parents=True, exist_ok=True)
            src = make_repo(root, args.n, args.versions, args.seed)
        print(f"repository: {args.n} policies, {args.versions} versions each "
              f"({time.perf_counter() - started:.1f} s to make) in {root}")
        compile_package()
        cache = work / "cache"
        for label, cached in (("warm caches", True), ("no cache", False)):
            if cached:  # fill the cache (sources and old texts) once
                build_cpu(src, work / "site", cache=cache)
            plain, history, stages = [], [], {}
            for _ in range(args.runs):
                plain.append(build_cpu(src, work / "site", "--no-history",
                                       cache=cache if cached else None))
                history.append(build_cpu(src, work / "site", "--timings", stages=stages,
                                         cache=cache if cached else None))
            report(label, plain, history, stages)
        plain, history, stages = after_commits(root, src, work, cache, args.runs, args.seed,
                                                 args.versions)
        report("after a commit", plain, history, stages)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
