"""Smoke test of bench/real_bench.py's pure helpers on a tiny handbook: corpus replication
(ids, titles, supersedes; the copy still builds) and deterministic query generation; the
latency part's byte counting (wire sizes, the server's log of files sent) and ratio table."""
from __future__ import annotations

import gzip
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import real_bench  # noqa: E402

HANDBOOK = "title: 测试汇编\nlanguage: zh-CN\ndepartments:\n- id: D01\n  name: 归口部门\n"
POLICY = """---
id: "{id}"
title: "{title}"
owner: "D01"
status: "{status}"
effective: 2020-05-14
version: "1"
{extra}---

## 第一章  总则

第一条 为了规范城市绿化管理，制定本条例。

第二条 本条例适用于本市行政区域内的绿化规划和建设。

## 第二章  附则

第十二条 本条例自公布之日起施行，原办法同时废止。
"""


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    root = tmp_path / "policies"
    (root / "01-c01").mkdir(parents=True)
    (root / "_handbook.yaml").write_text(HANDBOOK, encoding="utf-8")
    (root / "01-c01" / "_chapter.md").write_text("---\ntitle: 上海\n---\n\n上海。\n", encoding="utf-8")
    (root / "01-c01" / "old.md").write_text(
        POLICY.format(id="LAW-0001", title="上海市绿化条例", status="retired", extra=""), encoding="utf-8")
    (root / "01-c01" / "new.md").write_text(
        POLICY.format(id="LAW-0002", title="上海市城市绿化条例", status="active",
                      extra='supersedes: ["LAW-0001"]\n'), encoding="utf-8")
    return root


def front(path: Path) -> dict[str, str]:
    fm, _ = real_bench.split_front(path.read_text("utf-8"))
    return dict(line.split(": ", 1) for line in fm.splitlines())


def test_replicate_gives_distinct_ids_and_titles_and_keeps_supersedes_in_its_copy(tiny, tmp_path):
    dest = tmp_path / "big"
    assert real_bench.replicate(tiny, dest, 3) == 6
    assert (dest / "01-c01" / "new.md").read_bytes() == (tiny / "01-c01" / "new.md").read_bytes()
    metas = {p.name: front(p) for p in (dest / "01-c01").glob("*.md") if p.name != "_chapter.md"}
    assert len({m["id"] for m in metas.values()}) == 6
    assert len({m["title"] for m in metas.values()}) == 6
    assert metas["new-r2.md"]["id"] == '"LAW-0002-R2"'
    assert metas["new-r2.md"]["title"] == '"上海市城市绿化条例（3）"'
    assert metas["new-r2.md"]["supersedes"] == '["LAW-0001-R2"]'
    body = real_bench.split_front((tiny / "01-c01" / "new.md").read_text("utf-8"))[1]
    assert real_bench.split_front((dest / "01-c01" / "new-r1.md").read_text("utf-8"))[1] == body
    # the replicated handbook is valid input: it builds (pages only, to stay fast)
    subprocess.run([sys.executable, "-m", "handbook_gen", "build", str(dest), "--out", str(tmp_path / "site"),
                    "--no-search", "--no-history", "--no-cache"], check=True, capture_output=True)
    assert (tmp_path / "site" / "policies").is_dir()


def test_queries_are_deterministic_mixed_and_cite_existing_articles(tiny):
    pols = [(front(p)["title"].strip('"'), real_bench.split_front(p.read_text("utf-8"))[1])
            for p in sorted((tiny / "01-c01").glob("[a-z]*.md"))]
    qs = real_bench.make_queries(pols, 16, seed=3)
    assert qs == real_bench.make_queries(pols, 16, seed=3)
    assert len(qs) == 16 and len({q for _, q in qs}) == 16
    assert [k for k, _ in qs[:4]] == list(real_bench.KINDS)
    for kind, q in qs:
        if kind == "citation":
            n = re.search(r"第?([一二十]+|\d+)条$", q)[1]
            assert (real_bench.cn_to_int(n) if not n.isdigit() else int(n)) in (1, 2, 12), q
            assert any(t in q for t, _ in pols), q
        elif kind == "pinyin":
            assert re.fullmatch(r"[a-z]+", q), q
        else:
            assert re.fullmatch(r"[\u4e00-\u9fff《》、]+", q), q


@pytest.mark.parametrize("text,n", [("九", 9), ("十九", 19), ("二十", 20), ("一百零五", 105),
                                    ("一百二十", 120), ("一千一百六十五", 1165)])
def test_cn_to_int(text, n):
    assert real_bench.cn_to_int(text) == n


def test_wire_sizes_take_gzip_files_as_they_are_and_compress_the_others(tmp_path):
    (tmp_path / "pagefind" / "index").mkdir(parents=True)
    packed = gzip.compress("索引".encode() * 500)
    (tmp_path / "pagefind" / "index" / "a.pf_index").write_bytes(packed)
    (tmp_path / "pagefind" / "pagefind.js").write_text("var x = 1;\n" * 400)
    (tmp_path / "other.html").write_text("<p>not asked for</p>")
    sizes = real_bench.wire_sizes(tmp_path, ["pagefind"], "pf/")
    assert sizes["pf/pagefind/index/a.pf_index"] == len(packed)
    assert 0 < sizes["pf/pagefind/pagefind.js"] < 400 * 11 // 10
    assert set(sizes) == {"pf/pagefind/index/a.pf_index", "pf/pagefind/pagefind.js"}


def test_server_notes_each_file_it_sent_under_its_mount_without_the_query(tmp_path):
    (tmp_path / "site" / "search").mkdir(parents=True)
    (tmp_path / "site" / "search" / "s1.js").write_text("__hbs('s', 1, []);")
    srv = real_bench.Server({"ours": tmp_path / "site"})
    try:
        body = urllib.request.urlopen(srv.base + "ours/search/s1.js?v=abc").read()
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(srv.base + "ours/search/missing.js")
        assert body == b"__hbs('s', 1, []);"
        assert srv.srv.sent == ["ours/search/s1.js"]
    finally:
        srv.close()
    assert not srv.root.exists()


def test_ratio_rows_divide_ours_by_the_peer_per_percentile():
    ours = {k: [10.0] * 18 + [40.0] * 2 for k in ("cold_ms", "cold_rcpu", "warm_ms", "warm_rcpu", "repeat_ms",
                                                "repeat_rcpu")}
    peer = {k: [20.0] * 18 + [400.0] * 2 for k in ours}
    rows = real_bench.ratio_rows("1k", "ours, HTTP", ours, peer)
    assert rows[0] == "| 1k | ours, HTTP / Pagefind, HTTP | cold | 0.50× | 0.10× | 0.50× | 0.10× |"
    assert [r.split(" | ")[2] for r in rows] == ["cold", "warm", "repeat"]
