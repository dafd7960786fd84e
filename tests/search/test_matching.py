"""The automatic matching set (issue: search), on the sample handbook and a 1,000-policy bench corpus:
≥ 500 substring queries of 2-8 characters with zero empty results, P@1 = 1.0 and P@10 ≥ 0.98;
Traditional forms give the same top 10; title pinyin and initials put the policy in the top 3
(≥ 95 %); id variants put the policy first; 第10条 ≡ 第十条."""
from __future__ import annotations

import shutil

import pytest

import matching

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")


@pytest.fixture(scope="module", params=["sample", pytest.param("bench1000", marks=pytest.mark.slow)])
def corpus_site(request, tmp_path_factory):
    if request.param == "sample":
        from sample_records import records

        recs = records()
    else:
        from bench_records import corpus, records

        recs = records(corpus(1000, tmp_path_factory.getbasetemp() / "bench-corpus"))
    return recs, matching.build(recs, tmp_path_factory.mktemp(request.param))


def test_substring_queries(corpus_site):
    recs, site = corpus_site
    q = matching.substring_quality(site, recs, matching.sample_substrings(recs, 260))
    assert q["zero"] == 0, q
    assert q["p1"] == 1.0, q
    assert q["p10"] >= 0.98, q
    assert q["traditional_same_top10"] == 1.0, q


def test_title_pinyin_and_initials(corpus_site):
    recs, site = corpus_site
    q = matching.pinyin_quality(site, recs)
    assert q["top3_dup_titles_as_one"] >= 0.95, q


def test_id_variants(corpus_site):
    recs, site = corpus_site
    q = matching.id_quality(site, recs)
    assert q["first"] == 1.0, q


def test_article_numbers(corpus_site):
    recs, site = corpus_site
    assert matching.article_number_quality(site, recs)["equivalent"] == 1.0
