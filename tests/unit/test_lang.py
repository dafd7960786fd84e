"""A policy's language: the front-matter `lang:` (checked, case-normalised, reported where
it is wrong) and, without it, Traditional Chinese told from Simplified by its characters."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook_gen.core import lang
from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.source.frontmatter import parse_policy_meta
from handbook_gen.source.reader import SourceFile

META = ('id: QM-001\ntitle: 质量制度\nowner: QA\nstatus: active\neffective: 2025-03-01\n'
        'version: "2.1"\n')
TRADITIONAL = "為規範香港辦事處的運營管理，明確辦事處的授權範圍和報告責任，制定本制度。"
SIMPLIFIED = "为规范香港办事处的运营管理，明确办事处的授权范围和报告责任，制定本制度。"


@pytest.mark.parametrize("value, tag", [
    ("zh-Hant", "zh-Hant"), ("zh-hant-hk", "zh-Hant-HK"), ("ZH-cn", "zh-CN"), ("en", "en"),
    (" zh-TW ", "zh-TW"), ("zh-419", "zh-419"),
    ("zh_TW", None), ("繁体", None), ("traditional", None), ("zh-", None), ("", None),
])
def test_language_tags_are_checked_and_normalised(value, tag):
    assert lang.normalize(value) == tag


@pytest.mark.parametrize("tag, traditional", [
    ("zh-Hant", True), ("zh-TW", True), ("zh-HK", True), ("zh-Hant-CN", True),
    ("zh-CN", False), ("zh", False), ("zh-Hans-HK", False), ("en", None),
])
def test_which_tags_mean_traditional_characters(tag, traditional):
    assert lang.is_traditional(tag) is traditional


def test_the_script_is_told_from_the_text():
    assert lang.detect_traditional(TRADITIONAL) is True
    assert lang.detect_traditional(SIMPLIFIED) is False
    assert lang.detect_traditional("第一条 ABC 123") is None  # nothing that tells
    # a Simplified title quoted in a Traditional text does not turn it
    assert lang.detect_traditional(TRADITIONAL * 3 + "《费用报销管理办法》") is True


def test_front_matter_wins_over_detection_and_the_site_language_is_the_default():
    assert lang.page_lang(None, TRADITIONAL, "zh-CN") == "zh-Hant"
    assert lang.page_lang(None, SIMPLIFIED, "zh-CN") == "zh-CN"
    assert lang.page_lang("zh-HK", TRADITIONAL, "zh-CN") == "zh-HK"
    assert lang.page_lang("zh-CN", TRADITIONAL, "zh-CN") == "zh-CN"  # declared wins
    assert lang.page_lang(None, SIMPLIFIED, "zh-TW") == "zh-Hans"   # a Traditional site
    assert lang.page_lang(None, TRADITIONAL, "zh-TW") == "zh-TW"
    assert lang.page_lang(None, TRADITIONAL, "en") == "en"          # not a Chinese site


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["這", "个", "們", "来", "條", "规", "第", "A", "一"]), max_size=12),
       st.integers(0, 3), st.sampled_from(["zh-CN", "zh-TW", "zh-Hant-HK", "zh"]))
def test_the_page_language_is_what_detection_finds_on_the_sample(chars, at, site):
    """page_lang counts the site's own script only when the other's could win: the
    result is still detection's on the first SAMPLE characters, also where the
    distinguishing characters straddle the end of the sample."""
    text = "文" * (lang.SAMPLE - at) + "".join(chars)
    found = lang.detect_traditional(text[:lang.SAMPLE])
    site_traditional = lang.is_traditional(site)
    expected = site if found is None or found == site_traditional else (
        "zh-Hant" if found else "zh-Hans")
    assert lang.page_lang(None, text, site) == expected
    assert lang.page_lang(None, "".join(chars), site) == (
        site if lang.detect_traditional("".join(chars)) in (None, site_traditional)
        else "zh-Hant" if not site_traditional else "zh-Hans")


def _meta(extra: str):
    text = "---\n" + META + extra + "---\n"
    diags = Diagnostics()
    meta = parse_policy_meta(SourceFile("policies/01-a/a.md", text), META + extra, diags)
    return meta, diags


def test_front_matter_lang_is_read_in_its_usual_case():
    meta, diags = _meta("lang: zh-hant\n")
    assert meta.lang == "zh-Hant" and not diags.items
    assert _meta("")[0].lang is None


@pytest.mark.parametrize("value, guess", [("繁體", "zh-Hant"), ("zh_TW", "zh-TW"), ("中文", None)])
def test_a_value_that_is_not_a_tag_is_an_error_at_its_position_with_the_tag_meant(value, guess):
    meta, diags = _meta(f"lang: {value}\n")
    assert meta is not None and meta.lang is None  # published; the language is detected
    [d] = diags.items
    assert (d.code, d.location.line, d.location.col) == ("HB112", 8, 7)
    assert dict(d.params)["guess"] == guess
    assert d.hint == (f"write '{guess}'" if guess else "e.g. zh-Hant, zh-HK or zh-CN")
