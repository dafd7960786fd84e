"""Forgiving matching (the real client in node over the fixture handbook with its lexicon):
homophones, pinyin of content words, questions with synonyms, the _handbook.yaml synonym
key, the options that turn it off, and that queries which match as typed are unchanged."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")

NOTICE = "没有完全匹配，以下是相近结果"


def site_with_lexicon(out: Path, synonyms=()) -> Path:
    from fixtures import records
    from sitebuild import write_site

    from handbook_gen.search import build_search_index
    from handbook_gen.search.lexicon import lexicon_for

    recs = records()
    files = build_search_index(recs, extra=lexicon_for(recs, synonyms))
    return write_site(out, recs, files=files, pages=False)


@pytest.fixture(scope="module")
def lex_site(tmp_path_factory) -> Path:
    return site_with_lexicon(tmp_path_factory.mktemp("lexsite"))


def run(site: Path, queries) -> list[dict]:
    qs = [q if isinstance(q, dict) else {"q": q} for q in queries]
    p = subprocess.run(["node", str(HERE / "node_forgiving.js")], capture_output=True, text=True, check=True,
                       input=json.dumps({"site": str(site), "queries": qs}))
    return [json.loads(line) for line in p.stdout.splitlines()]


def ids(r):
    return [g["id"] for g in r["results"]]


def test_homophone_slip_finds_the_word_and_says_so(lex_site):
    r, = run(lex_site, ["报消"])  # the IME slip for 报销 (same pinyin)
    assert r["fuzzy"] and r["notice"] == NOTICE and r["variants"][0] == "报销"
    assert ids(r)[:2] == ["OP-004", "OP-010"] and all(g["fuzzy"] for g in r["results"])
    r, = run(lex_site, ["费用报消单"])  # a slip inside a longer phrase
    assert r["fuzzy"] and r["results"][0]["urls"][0] == "policies/op-004.html#a2"


def test_pinyin_of_content_words(lex_site):
    zhusu, mixed, partial = run(lex_site, ["zhusu", "住su", "zhus"])  # 住宿 (a body word)
    for r in (zhusu, mixed, partial):
        assert r["fuzzy"] and r["results"][0]["urls"][0] == "policies/op-004.html#a1", r["q"]
    r, = run(lex_site, ["qingbingjia"])  # 请病假
    assert r["variants"][0] == "请病假" and r["results"][0]["urls"][0] == "policies/hr-003.html#a2"


def test_question_in_everyday_words_reaches_the_article(lex_site):
    # the question words dropped, the words cut where the corpus never joins them (期最)
    r, = run(lex_site, ["试用期最长多久"])
    assert r["fuzzy"] and "试用期 最长" in r["variants"] and r["results"][0]["urls"][0] == "policies/hr-003.html#a3"
    r, = run(lex_site, ["年假有几天"])  # 年假 -> 年休假 (synonym table)
    assert "带薪年休假" in r["variants"] or "年休假" in r["variants"]
    assert r["fuzzy"] and r["results"][0]["urls"][0] == "policies/hr-003.html#a1"


def test_options_turn_synonyms_and_fallback_off(lex_site):
    on, nosyn, off = run(lex_site, ["年假有几天", {"q": "年假有几天", "opts": {"synonyms": False}},
                                    {"q": "报消", "opts": {"fuzzy": False}}])
    assert on["results"] and on["results"][0]["urls"][0] == "policies/hr-003.html#a1"
    assert not any("年休假" in v for v in nosyn["variants"])
    assert not (nosyn["results"] and nosyn["results"][0]["urls"][0] == "policies/hr-003.html#a1")
    assert not off["fuzzy"] and not off["results"] and not any(f.startswith("f/") for f in off["files"])


def test_handbook_synonyms_extend_the_table(tmp_path):
    q = "入职带教"  # not in the fixture; the handbook says it means 入职培训
    site = site_with_lexicon(tmp_path / "a", synonyms=[["带教", "培训"]])
    r, = run(site, [q])
    assert r["fuzzy"] and r["results"][0]["id"] == "HR-004"
    r, = run(site_with_lexicon(tmp_path / "b"), [q])
    assert not r["fuzzy"] and r["partial"]  # (带教 stays one word: the rewrite 入职 带教 finds nothing)


def test_queries_found_as_typed_do_not_change(lex_site):
    """A query with 3+ policies matching as typed never falls back; fewer keeps its own results
    first (compared with the same site and {fuzzy: false})."""
    qs = ["报销", "质量", "质量检查", "管理制度", "第十条", "QM-001", "zlgl", "试用期", "運營管理", "信息安全",
          "baoxiao", "jiancha"]  # (the last two: 1 policy as typed, then fuzzy ones)
    with_lex = run(lex_site, qs)
    without = run(lex_site, [{"q": q, "opts": {"fuzzy": False}} for q in qs])
    for a, b in zip(with_lex, without):
        exact = [g["id"] for g in a["results"] if not g["fuzzy"]]
        assert exact and ids(a)[:len(exact)] == exact == ids(b)[:len(exact)], a["q"]  # first, unchanged
        if len(ids(b)) >= 3 and not b["partial"]:  # no fallback: nothing more loaded
            assert not a["fuzzy"] and ids(a) == ids(b) and not any(f.startswith("f/") for f in a["files"]), a["q"]


def test_config_search_synonyms():
    from handbook_gen.core.diagnostics import Diagnostics
    from handbook_gen.source.config import parse_config
    from handbook_gen.source.reader import SourceFile

    def parse(text):
        diags = Diagnostics()
        return parse_config(SourceFile("policies/_handbook.yaml", text), diags), diags

    cfg, diags = parse("title: T\nsearch:\n  synonyms:\n    - [辞退, 解除劳动合同]\n    - [带教, 培训, 带教]\n")
    assert cfg.site.synonyms == (("辞退", "解除劳动合同"), ("带教", "培训")) and not diags.items
    cfg, diags = parse("title: T\nsearch:\n  synonyms:\n    - [辞退]\n    - 加班费\n  synonym: []\n")
    got = sorted((d.code, d.location.line, d.location.col) for d in diags.items)
    assert got == [("HB101", 6, 3), ("HB103", 5, 7), ("HB112", 4, 7)], got
    assert cfg.site.synonyms == ()
    cfg, diags = parse("title: T\nsearch:\n  synonyms: 辞退\n")
    assert [(d.code, d.location.line) for d in diags.items] == [("HB103", 3)]


def test_no_fallback_for_a_phrase_found_as_typed_or_a_whole_title_in_pinyin(lex_site):
    """Fewer than 3 policies, but no slip: 4+ characters found as typed, or letters spelling a
    whole title (3+ syllables in full). Neither tries the fallback or loads its lexicon; a
    2-character query found as typed still may be a slip (报消 in 举报消防) and does."""
    phrase, title, initials = run(lex_site, ["规范会计核算", "caiwuguanlizhidu", "cwglzd"])
    for r in (phrase, title):
        assert not r["fuzzy"] and r["results"] and not any(f.startswith("f/") for f in r["files"]), r["q"]
    assert ids(phrase) == ["OP-004"] and ids(title)[0] == "OP-004"
    assert any(f.startswith("f/") for f in initials["files"])  # initials: no syllable in full
