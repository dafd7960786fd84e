"""Tests of bench/gen_corpus.py: determinism, valid references, sizes."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import gen_corpus  # noqa: E402

REF = re.compile(r"\[\[([^\]]+)\]\]")
LABEL = re.compile(r"^§\{([a-z0-9-]+)\} ", re.M)
ARTICLE = re.compile(r"^§(\{[^}]*\})? ", re.M)
ALLOWED_KEYS = {"id", "title", "owner", "status", "effective", "version", "review_by", "approved_by",
                "doc_no", "supersedes", "related", "tags"}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def split(text: str) -> tuple[dict[str, str], str]:
    """Front matter (flat ``key: value`` lines, as the generator writes it) and body."""
    assert text.startswith("---\n")
    fm, body = text[4:].split("\n---\n", 1)
    meta = dict(line.split(": ", 1) for line in fm.splitlines())
    return meta, body


def load(root: Path) -> tuple[set[str], dict[str, tuple[dict[str, str], str]]]:
    hb = (root / "_handbook.yaml").read_text(encoding="utf-8")
    depts = set(re.findall(r"^  - id: (\S+)$", hb, re.M))
    policies = {}
    for f in sorted(root.glob("*/*.md")):
        if f.name == "_chapter.md":
            continue
        meta, body = split(f.read_text(encoding="utf-8"))
        assert meta["id"] not in policies, f"duplicate id {meta['id']}"
        policies[meta["id"]] = (meta, body)
    return depts, policies


@pytest.fixture(scope="module")
def corpus200(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("c200") / "policies"
    gen_corpus.generate(200, root, seed=7)
    return root


def test_deterministic(tmp_path):
    gen_corpus.generate(20, tmp_path / "a", seed=3)
    gen_corpus.generate(20, tmp_path / "b", seed=3)
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert len(a) > 20
    assert a == b
    gen_corpus.generate(20, tmp_path / "c", seed=4)
    assert tree(tmp_path / "c") != a


def test_deterministic_across_hash_seeds(tmp_path):
    """Same bytes from the CLI whatever PYTHONHASHSEED is (no set/dict-order leaks)."""
    for name, hash_seed in (("x", "1"), ("y", "4242")):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        subprocess.run([sys.executable, str(BENCH / "gen_corpus.py"), "20", str(tmp_path / name)],
                       env=env, check=True, capture_output=True)
    assert tree(tmp_path / "x") == tree(tmp_path / "y")


def test_layout(tmp_path):
    root = tmp_path / "p"
    gen_corpus.generate(20, root, seed=1)
    chapters = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert 7 <= len(chapters) <= 12
    for ch in chapters:
        assert re.fullmatch(r"\d\d-[a-z-]+", ch)
        assert (root / ch / "_chapter.md").read_text(encoding="utf-8").startswith("---\ntitle: ")
    _, policies = load(root)
    assert len(policies) == 20


def test_references_resolve(corpus200):
    depts, policies = load(corpus200)
    labels = {}
    for pid, (_, body) in policies.items():
        found = LABEL.findall(body)
        assert len(found) == len(set(found)), f"{pid}: duplicate labels"
        labels[pid] = set(found)
    counts = {"policy": 0, "article": 0, "self": 0, "dept": 0}
    for pid, (meta, body) in policies.items():
        for ref in REF.findall(body):
            if ref.startswith("dept:"):
                assert ref[5:] in depts, (pid, ref)
                counts["dept"] += 1
            elif ref.startswith("#"):
                assert ref[1:] in labels[pid], (pid, ref)
                counts["self"] += 1
            elif "#" in ref:
                target, label = ref.split("#")
                assert target != pid and target in labels, (pid, ref)
                assert label in labels[target], (pid, ref)
                counts["article"] += 1
            else:
                assert ref != pid and ref in policies, (pid, ref)
                counts["policy"] += 1
        for key in ("related", "supersedes"):
            for target in meta.get(key, "[]").strip("[]").split(", "):
                assert not target or target in policies, (pid, key, target)
    assert all(counts.values()), counts
    assert 14 <= sum(counts.values()) / len(policies) <= 28, counts


def test_front_matter(corpus200):
    depts, policies = load(corpus200)
    statuses = []
    for pid, (meta, body) in policies.items():
        assert set(meta) <= ALLOWED_KEYS, pid
        assert re.fullmatch(r"[A-Z]+-\d{4}", pid)
        assert meta["owner"] in depts, (pid, meta["owner"])
        assert re.fullmatch(r'"\d+\.\d+"', meta["version"]), meta["version"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", meta["effective"])
        statuses.append(meta["status"])
        # Document control: chapters and standard articles.
        assert body.lstrip().startswith("## 总则") and "\n## 附则\n" in body, pid
        for label in gen_corpus.STANDARD_LABELS:
            assert f"§{{{label}}} " in body, (pid, label)
        assert len(ARTICLE.findall(body)) >= 8, pid
    assert set(statuses) <= {"active", "retired", "draft"}
    assert statuses.count("active") > 0.8 * len(statuses)


def test_average_size(corpus200):
    _, policies = load(corpus200)
    sizes = [len(body.encode("utf-8")) for _, body in policies.values()]
    mean = sum(sizes) / len(sizes)
    assert 0.7 * 16384 <= mean <= 1.3 * 16384, mean
    assert min(sizes) >= 3 * 1024 and max(sizes) <= 44 * 1024


def test_plain_sites_keep_bodies(tmp_path):
    root = tmp_path / "policies"
    gen_corpus.generate(12, root, seed=2)
    gen_corpus.write_plain(root, tmp_path)
    assert (tmp_path / "hugo" / "hugo.toml").is_file()
    assert (tmp_path / "mkdocs" / "mkdocs.yml").is_file()
    for f in root.glob("*/*.md"):
        hugo_name = "_index.md" if f.name == "_chapter.md" else f.name
        mk_name = "index.md" if f.name == "_chapter.md" else f.name
        assert (tmp_path / "hugo" / "content" / f.parent.name / hugo_name).read_bytes() == f.read_bytes()
        assert (tmp_path / "mkdocs" / "docs" / f.parent.name / mk_name).read_bytes() == f.read_bytes()
