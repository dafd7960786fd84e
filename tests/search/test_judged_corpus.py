"""The judged query set over the real corpus (data/judged_corpus.jsonl): its schema, and that every
unit it expects exists in a build of the corpus (the policy page, and the article's anchor in it)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "bench"))
import real_corpus  # noqa: E402

DATA = HERE / "data" / "judged_corpus.jsonl"
KINDS = {"citation", "abbreviation", "traditional", "pinyin", "typo", "question", "phrase"}
UNIT = re.compile(r"^LAW-\d{4}(#a\d+(_\d+)?)?$")


def load() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line.strip()]


def test_schema():
    rows = load()
    assert len(rows) >= 150
    assert Counter(r["kind"] for r in rows).keys() == KINDS
    assert min(Counter(r["kind"] for r in rows).values()) >= 20
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["q"] for r in rows}) == len(rows), "a query is judged once"
    for r in rows:
        assert set(r) == {"id", "kind", "q", "expect", "note"}, r
        assert r["note"].strip() and 0 < len(r["q"]) <= 40, r
        assert r["expect"] and all(UNIT.match(u) and g in (1, 2) for u, g in r["expect"].items()), r
        assert 2 in r["expect"].values(), ("every query has an answer (grade 2)", r)


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> Path:
    if not real_corpus.CORPUS_TARBALL.is_file():
        pytest.skip(f"the real corpus is not at {real_corpus.CORPUS_TARBALL}")
    work = tmp_path_factory.mktemp("corpus")
    src = real_corpus.unpack(work)
    site = work / "site"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run([sys.executable, "-m", "handbook_gen", "build", str(src), "--out", str(site), "--no-search",
                    "--no-history"],
                   check=True, capture_output=True, env=env)
    return site


def test_expected_units_exist(corpus_site):
    pages: dict[str, str] = {}
    missing = []
    for r in load():
        for unit in r["expect"]:
            pid, _, anchor = unit.partition("#")
            page = corpus_site / "policies" / f"{pid.lower()}.html"
            if pid not in pages:
                pages[pid] = page.read_text("utf-8") if page.is_file() else ""
            if not pages[pid] or (anchor and f'id="{anchor}"' not in pages[pid]):
                missing.append((r["id"], unit))
    assert not missing, missing
