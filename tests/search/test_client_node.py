"""The real client (static/search.js) in node over the fixture index: matching and ranking rules."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")


HAN2 = re.compile(r"[\u4e00-\u9fff]{2}")


def run(site: Path, queries, cold=True, top=0):
    qs = [q if isinstance(q, dict) else {"q": q} for q in queries]
    p = subprocess.run(["node", str(HERE / "node_harness.js")], capture_output=True, text=True, check=True,
                       input=json.dumps({"site": str(site), "cold": cold, "queries": qs, "top": top}))
    return [json.loads(line) for line in p.stdout.splitlines()]


def ids(r):
    return [g["id"] for g in r["results"]]


def urls(r):
    return [h["url"] for g in r["results"] for h in g["hits"]]


def test_policy_id_variants_rank_the_policy_first(fixture_site):
    for r in run(fixture_site, ["QM-001", "qm001", "QM 001", "ＱＭ－００１", "qm-001"]):
        assert ids(r)[0] == "QM-001", r["q"]


def test_document_numbers(fixture_site):
    r, = run(fixture_site, ["人发〔2026〕3号"])
    assert ids(r)[0] == "HR-003"
    r, = run(fixture_site, ["华衡质〔2025〕3号"])
    assert ids(r)[0] == "QM-001"


def test_article_numbers_arabic_and_chinese_are_equivalent(fixture_site):
    a, b = run(fixture_site, ["第10条", "第十条"])
    assert urls(a) == urls(b) and urls(a)[0] == "policies/qm-001.html#a6"
    a, b = run(fixture_site, ["质量管理制度第十条", "质量管理制度 第10条"])
    assert urls(a)[0] == urls(b)[0] == "policies/qm-001.html#a6"


def test_traditional_and_simplified_queries_give_the_same_results(fixture_site):
    pairs = [("運營管理", "运营管理"), ("費用報銷", "费用报销"), ("質量檢查", "质量检查"), ("帶薪年休假", "带薪年休假")]
    res = run(fixture_site, [q for p in pairs for q in p])
    for i in range(0, len(res), 2):
        assert urls(res[i]) == urls(res[i + 1]) and urls(res[i]), res[i]["q"]
    assert ids(res[0])[0] == "OP-010"  # written in Traditional, found in Simplified


def test_every_substring_is_found_first(fixture_site):
    from fixtures import records
    from handbook_gen.search.normalize import normalize

    recs = records()
    hay = {r.url: normalize(" ".join((r.policy_title, r.policy_id, r.doc_no))) + "\n" +
           normalize(" ".join(x for x in (r.section, r.heading) if x)) + "\n" + normalize(r.text) for r in recs}
    # a policy the query names leads with its page: the page link holds the title
    for r in recs:
        hay.setdefault(r.url.split("#")[0], normalize(" ".join((r.policy_title, r.policy_id, r.doc_no))))
    qs = []
    for r in recs:
        t = r.text
        for a in range(0, len(t) - 2, 5):
            for n in (2, 3, 5, 8):
                q = t[a:a + n]
                # at least two adjacent Han characters, or a letter/digit run (a lone Han character
                # between punctuation only matches title and heading unigrams)
                cut = (a > 0 and t[a - 1].isascii() and t[a - 1].isalnum() and q[0].isascii() and q[0].isalnum()) or (
                    a + n < len(t) and t[a + n].isascii() and t[a + n].isalnum() and q[-1].isascii() and q[-1].isalnum())
                if len(q) == n and q.strip() == q and not cut and (HAN2.search(q) or re.search(r"[0-9A-Za-z]", q)):
                    qs.append(q)
    res = run(fixture_site, qs)
    for q, r in zip(qs, res):
        u = urls(r)
        assert u, q
        assert normalize(q) in hay[u[0]], (q, u[0])


def test_active_before_retired_and_marked(fixture_site):
    r, = run(fixture_site, ["质量分析"])
    assert r["results"] and r["results"][0]["id"] == "QM-003" and r["results"][0]["active"] == 0
    r, = run(fixture_site, ["产品交付合格率"])
    assert ids(r) == ["QM-001", "QM-003"]  # both contain the phrase: the active one first


def test_pinyin_full_spaced_initials_and_heading(fixture_site):
    cases = {"caiwuguanlizhidu": "OP-004", "caiwu guanli": "OP-004", "cwgl": "OP-004", "cwglzd": "OP-004",
             "zlglzd": "QM-001", "xinxianquan": "IM-001", "xxaq": "IM-001", "kqyxjglzd": "HR-003",
             "kaoqin": "HR-003", "caiwgl": "OP-004"}
    res = run(fixture_site, list(cases))
    for r in res:
        assert cases[r["q"]] in ids(r)[:3], (r["q"], ids(r))
    r, = run(fixture_site, ["zlmb"])  # heading 第二章 质量目标
    assert urls(r)[0].startswith("policies/qm-001.html#")


def test_pinyin_matches_from_a_later_syllable(fixture_site):
    # the query's first letter starts no title, only a later syllable of one (the client cuts a
    # name into syllables only when some syllable starts with that letter)
    cases = {"xiujiaguanli": "HR-003", "jiancha": "QM-002", "ruzhi": "HR-004", "xjgl": "HR-003", "aqgl": "IM-001"}
    for r in run(fixture_site, list(cases)):
        assert ids(r)[:1] == [cases[r["q"]]], (r["q"], ids(r))
        assert r["results"][0]["pinyin"], r["q"]


def test_warm_engine_answers_as_a_cold_one(fixture_site):
    # (the fixture index has 2 shards) a term's entry is found by skipping the entries before it
    # once per shard: a term asked after one that sits later in the same shard is still found
    from fixtures import records

    qs = sorted({b for r in records() for b in HAN2.findall(r.heading + r.text)})[::7][:40]
    assert len(qs) >= 30

    def answers(rs):
        return [(r["q"], [(g["id"], [h["url"] for h in g["hits"]]) for g in r["results"]]) for r in rs]

    cold = answers(run(fixture_site, qs))
    assert sum(1 for _, a in cold if a) >= 30
    assert answers(run(fixture_site, qs, cold=False)) == cold
    assert answers(run(fixture_site, qs[::-1], cold=False))[::-1] == cold


def test_filters(fixture_site):
    res = run(fixture_site, [{"q": "质量", "filter": {"status": "active"}}, {"q": "质量", "filter": {"status": "retired"}},
                             {"q": "报销", "filter": {"chapter": "办事处专项管理"}}, {"q": "报销", "filter": {"owner": "财务部"}}])
    assert "QM-003" not in ids(res[0]) and ids(res[1]) == ["QM-003"]
    assert ids(res[2]) == ["OP-010"] and ids(res[3]) == ["OP-004"]


def test_mixed_latin_digits_and_single_characters(fixture_site):
    res = run(fixture_site, ["ISO27001认证", "iso27001", "98%", "5万元", "24小时", "税", "费"])
    assert ids(res[0])[0] == "IM-001" and ids(res[1])[0] == "IM-001"
    assert ids(res[2])[0] == "QM-001" and ids(res[3])[0] == "OP-004" and ids(res[4])[0] == "OP-010"
    assert res[5]["results"] == []  # no title or heading has 税
    assert ids(res[6])  # 费 in headings (费用报销)


def test_partial_matches_when_no_record_has_every_term(fixture_site):
    r, = run(fixture_site, ["出差住宿标准"])  # 出差 住宿 标准, not side by side
    assert ids(r)[0] == "OP-004"
    r, = run(fixture_site, [{"q": "住宿报销", "opts": {"fuzzy": False}}])  # 宿报 occurs nowhere
    assert r["partial"] and ids(r)[0] == "OP-004"
    r, = run(fixture_site, ["住宿报销"])  # (the fallback: 住宿 报销, both words)
    assert r["fuzzy"] and not r["partial"] and ids(r)[0] == "OP-004"
    r, = run(fixture_site, ["完全无关的查询词语"])
    assert r["results"] == [] or r["partial"]


def test_grouping_at_most_three_hits_per_policy(fixture_site):
    r, = run(fixture_site, ["质量"])
    assert all(len(g["hits"]) <= 3 for g in r["results"])
    assert len(set(ids(r))) == len(ids(r))


def test_cold_query_loads_only_what_it_needs(fixture_site):
    r, = run(fixture_site, ["运营管理"])
    # (f/: the forgiving-matching lexicon, tried when the query finds fewer than 3 policies)
    assert set(r["files"]) <= {"s/0.js", "d/0.js"} | {f for f in r["files"] if f.startswith(("s/", "d/", "f/"))}
    assert not any(f.startswith("p/") for f in r["files"])  # pinyin catalogue only for letter queries


def test_candidate_selection_equals_a_full_sort(fixture_site):
    """The client ranks only the candidates that can be among its best TOP (by the terms they
    certainly have) and sorts the others only when needed: with a tiny TOP (selection, lazy
    sorting and the fallback all used) the results are those of the default."""
    from fixtures import records

    qs = []
    for r in records()[::3]:
        t = r.text
        qs += [t[a:a + n] for a in range(0, max(len(t) - 8, 1), 29) for n in (2, 4, 7) if t[a:a + n].strip()]
    qs += [{"q": "质量", "filter": {"status": "active"}}, {"q": "报销", "filter": {"owner": "财务部"}}, "出差住宿标准",
           "住宿报销", "质量 管理 制度", "资讯 安全", "管理", "制度", "部门", "应当", "规定", "负责"]
    a = run(fixture_site, qs)
    b = run(fixture_site, qs, top=2)
    strip = [{k: v for k, v in r.items() if k not in ("ms", "files")} for r in a]
    assert strip == [{k: v for k, v in r.items() if k not in ("ms", "files")} for r in b]


def test_engine_states_and_aliases(tmp_path):
    from handbook_gen.search import SearchRecord
    from sitebuild import write_site

    states = [("active", "pending"), ("active", ""), ("retired", ""), ("active", "overdue"), ("retired", "expired")]
    recs = [SearchRecord(f"p/{i}.html", f"S-{i}", f"第{i}号制度", "第一条", "", "本条规定有关事项。", "c", "o",
                         status, "", state=state, aliases=("社保法",) if i == 3 else ())
            for i, (status, state) in enumerate(states)]
    site = write_site(tmp_path / "site", recs, pages=False)
    script = f"""
      require({json.dumps(str(HERE.parents[1] / 'templates' / 'static' / 'search.js'))});
      const fs = require('fs'), path = require('path');
      const eng = new globalThis.HBSearch.Engine((k, n, p) => {{
        const s = fs.readFileSync(path.join({json.dumps(str(site / 'search'))}, p), 'utf8');
        const a = s.indexOf(',', s.indexOf(',') + 1);
        return Promise.resolve(JSON.parse(s.slice(a + 1, s.lastIndexOf(')'))));
      }});
      eng.init().then(() => eng.search('社保法', {{limit: 10}})).then(r => process.stdout.write(JSON.stringify(
        {{state: Array.from(eng.fState), active: Array.from(eng.fActive), ids: r.results.map(g => g.id)}})));
    """
    out = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    assert out["state"] == ["pending", "active", "retired", "overdue", "expired"]
    assert out["active"] == [0, 1, 0, 1, 0]
    assert out["ids"][:1] == ["S-3"]


def _shard_files(site: Path, terms) -> set[str]:
    import zlib

    meta = (site / "search" / "meta.js").read_text("utf-8")
    n = json.loads(meta[meta.index(",", meta.index(",") + 1) + 1:meta.rindex(")")])["shards"]
    return {f"s/{zlib.crc32(t.encode()) & (n - 1):x}.js" for t in terms}


@pytest.fixture(scope="module")
def small_shards(tmp_path_factory) -> Path:
    """The fixture handbook with shards of about 64 bytes (hundreds of files): the shards a
    query loads tell which terms it looked up."""
    from fixtures import records
    from sitebuild import write_site

    from handbook_gen.search import build_search_index, index

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index, "SHARD_TARGET", 64)
        files = build_search_index(records())
    return write_site(tmp_path_factory.mktemp("small"), records(), files=files, pages=False)


def test_long_query_looks_up_only_the_bigrams_that_cover_it(small_shards):
    """Of a Han run of 8+ characters every other bigram and the last are looked up (a shard file
    each); the ones between are checked in the candidates' texts. A query no record has whole
    runs again with every bigram, so its partial matches rank as always."""
    q = "规范会计核算和资金管理"  # OP-004, article 0
    load = ["规范", "会计", "核算", "和资", "金管", "管理"]  # skipped: 范会 计核 算和 资金
    r, = run(small_shards, [q])
    assert urls(r)[0] == "policies/op-004.html#a0" and r["results"][0]["hits"][0]["phrase"] == 3
    assert {f for f in r["files"] if f.startswith("s/")} == _shard_files(small_shards, load)
    assert not any(f.startswith("f/") for f in r["files"])  # found as typed: no fallback lexicon
    q = "会计核算和资金管理的质量目标"  # the words exist, never together
    r, = run(small_shards, [{"q": q, "opts": {"fuzzy": False}}])
    assert r["partial"] and {"OP-004", "QM-001"} <= set(ids(r))
    every = [q[i:i + 2] for i in range(len(q) - 1)]
    assert _shard_files(small_shards, every) <= set(r["files"])
