"""Folding (NFKC, case, Traditional->Simplified, 第N条) and tokenisation."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook_gen.search.normalize import (compact, fold, normalize, normalize_many,
                                           t2s_js_string, t2s_table)
from handbook_gen.search.pinyin import heading_pinyin_terms, syllables
from handbook_gen.search.tokens import doc_terms, heading_label, query_terms


@pytest.mark.parametrize("trad, simp", [
    ("運營管理", "运营管理"), ("財務管理", "财务管理"), ("員工請假", "员工请假"),
    ("考勤與休假管理制度", "考勤与休假管理制度"), ("臺灣", "台湾"), ("台灣", "台湾"), ("發票", "发票"),
    ("辦事處", "办事处"), ("質量", "质量"), ("裡面", "里面"), ("裏面", "里面"), ("什麼", "什么"),
])
def test_traditional_folds_to_simplified(trad, simp):
    assert normalize(trad) == normalize(simp) == simp


def test_simplified_text_is_unchanged():
    text = "为加强质量管理，什么时候都应当遵守本制度。"
    assert fold(text) == text.replace("，", ",").replace("。", "。")


def test_table_is_idempotent_and_compact():
    table = t2s_table()
    assert len(table) > 3000
    assert all(table.get(v, v) == v for v in table.values())
    js = t2s_js_string()
    assert len(js) == 2 * len(table)


def test_nfkc_and_case():
    assert normalize("ＱＭ－００１") == "qm-001"
    assert normalize("ISO9001") == "iso9001"
    assert compact("ＱＭ－００１") == compact("QM 001") == compact("qm001") == "qm001"


def test_article_numbers_are_canonical():
    assert normalize("第10条") == normalize("第十条") == "第十条"
    assert normalize("第１０５條") == "第一百零五条"
    assert normalize("依照第3条第2款") == "依照第三条第二款"
    assert normalize("2026年10条") == "2026年10条"  # no 第: left alone
    assert normalize("第1234号") == "第1234号"  # more than three digits: left alone


def test_fold_table_matches_fold_per_character():
    """The builder's BMP table (all characters folded in one string) equals `fold` of each."""
    from handbook_gen.search.normalize import _bmp_table

    tbl, slow = _bmp_table()
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        f = fold(chr(cp))
        if len(f) == 1:
            assert not slow[cp] and tbl[cp] == ord(f), hex(cp)
        else:
            assert slow[cp], hex(cp)


def test_normalize_many_matches_normalize():
    texts = ["ＱＭ－００１ 第10條…㈠ 𠀀運營", "", "財務①", "a\x00b", "第2条"]
    assert normalize_many(texts) == [normalize(t.replace("\x00", " ")) for t in texts]
    # the vectorised path (table fold, runs of spaces in numpy) and the texts it hands to
    # normalize (characters folding to several, non-BMP characters, 第 before a digit)
    parts = ["质量管理", "運營", "  ", "\t", " \t ", "\u3000\u3000", "ＡＢＣ", "ﬁ", "㎏", "⑴", "½", "😀", "𠀀",
             "第", "第１０条", "第1000条", "第a", "İ", "Σ", "，", "。", " ", "x"]
    import random

    rnd = random.Random(3)
    texts = ["".join(rnd.choice(parts) for _ in range(rnd.randrange(0, 12))) for _ in range(2000)]
    assert normalize_many(texts) == [normalize(t) for t in texts]


def test_doc_terms_bigrams_unigrams_and_ids():
    t = doc_terms(normalize("质量管理 QM-001"), unigrams=True)
    assert {"质量", "量管", "管理", "质", "理"} <= set(t)
    assert {"qm", "001", "qm001"} <= set(t)
    body = doc_terms(normalize("质量管理"), unigrams=False)
    assert body == ["质量", "量管", "管理"]


def test_boundary_terms_for_mixed_text():
    t = set(doc_terms(normalize("人发〔2026〕3号 ISO9001认证 2026年1月1日"), unigrams=False))
    assert {"3号", "2026", "iso9001", "iso", "9001", "9001认", "iso9001认", "2026年", "年1", "1月", "1日"} <= t


def test_query_terms():
    assert query_terms("质量管理")[0] == ["质量", "量管", "管理"]

    assert query_terms("qm-001")[0] == ["qm001"]
    assert query_terms("qm-001")[2] == {"qm001": ["qm", "001"]}
    assert query_terms("qm 001")[0] == ["qm", "001"]
    assert query_terms("qm001")[2] == {"qm001": ["qm", "001"]}
    assert query_terms("税") == (["税"], [], {})
    req, opt, _ = query_terms(normalize("人发〔2026〕3号"))
    assert set(req) == {"人发", "发〔", "2026", "3号"} and opt == []
    req, opt, _ = query_terms("报销 第三条")
    assert req == ["报销", "第三", "三条"]
    req, opt, _ = query_terms("差旅 费")
    assert req == ["差旅"] and opt == ["费", "旅 费"]


def test_every_query_term_is_a_document_term():
    """A query's required terms are always among the terms of a text that contains it."""
    text = normalize("依照《合同管理办法》第12条，单笔金额超过5万元的QM-001-A项目，ISO9001认证于2026年1月1日完成。")
    terms = set(doc_terms(text, unigrams=False))
    for a in range(len(text)):
        for b in range(a + 2, min(len(text), a + 9) + 1):
            q = text[a:b]
            req, _, fb = query_terms(q)
            for t in req:
                if t in fb and t not in terms:
                    continue  # a joined form cut in the middle falls back to its parts
                if len(t) == 1:
                    continue  # one Han character: title/heading unigram only
                ok = t in terms or any(t == x for x in terms)
                # a run cut by the query boundary (e.g. "02" from "2026") is not a document term
                cut = (a > 0 and text[a - 1].isalnum() and text[a].isalnum() and text[a] in t) or \
                      (b < len(text) and text[b].isalnum() and text[b - 1].isalnum() and text[b - 1] in t)
                assert ok or cut, (q, t)


def test_heading_labels_and_pinyin():
    assert heading_label("第二章 质量目标") == "质量目标"
    assert heading_label("第五条") == ""
    assert heading_label("一、总体要求") == "总体要求"
    assert heading_label("（三）报销") == "报销"
    assert heading_pinyin_terms("质量目标") == ["zhiliangmubiao", "zlmb"]
    assert heading_pinyin_terms("税") == []
    assert syllables("银行账户") == ("yin", "hang", "zhang", "hu")
    assert syllables("重庆办事处") == ("chong", "qing", "ban", "shi", "chu")
    assert syllables(normalize("绿色办公 QM-001")) == ("lv", "se", "ban", "gong", "qm", "001")



def _lazy_pinyin_syllables(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(s for item in lazy_pinyin(text, style=Style.NORMAL, errors="default", strict=False)
                 for s in re.findall(r"[0-9a-z]+", item.lower()))


def test_syllables_are_pypinyins_lazy_pinyin():
    """syllables() segments and reads words itself (once per word): the same as lazy_pinyin on
    every heading and title of the sample handbook and on heteronyms, phrases cut at a run's
    end (and a rest that only begins a word), characters without a reading (ê, extension B) and letters/digits around Han."""
    texts = ["银行行长长大了", "重庆市长江大桥", "会计与审计", "了解了", "ê̄〇一二a1b", "\U00020000重要x9",
             "中华人民共和国个人所得税法实施条例", "的士", "乐乐乐", "qm-001 长期",
             "七返还", "下不了"]  # (a run's rest that only begins a word: read per character)
    for f in sorted(Path(__file__).resolve().parents[2].joinpath("policies").rglob("*.md")):
        texts += [line.lstrip("#§ ") for line in f.read_text("utf-8").splitlines()
                  if line.startswith(("#", "title:"))]
    texts = [normalize(t) for t in texts]
    assert len(texts) > 100
    for t in texts:
        assert syllables(t) == _lazy_pinyin_syllables(t), t

def test_pypinyin_tables_are_read_as_pypinyin_has_them():
    """The tables read from pypinyin's data files without importing it (pinyin._tables) are
    pypinyin's own: every phrase and its readings, every character's readings, and the
    toneless form of every reading is its NORMAL style."""
    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.style import convert

    from handbook_gen.search.pinyin import _tables, _toneless, char_readings, phrase_readings

    _, _, words, prefixes = _tables()
    assert sorted(words) == sorted(PHRASES_DICT)
    assert prefixes == {w[:i] for w in PHRASES_DICT for i in range(1, len(w) + 1)}
    assert all(phrase_readings(w) == [r[0] for r in PHRASES_DICT[w]] for w in words)
    assert phrase_readings("银行x") is None
    assert all(char_readings(chr(k)) == v for k, v in PINYIN_DICT.items())
    assert char_readings("a") == ""
    readings = {r for v in PINYIN_DICT.values() for r in v.split(",")}
    readings |= {r for v in PHRASES_DICT.values() for x in v for r in x}
    assert {"ê̄", "lǜ", "ḿ"} <= readings
    assert all(_toneless(r) == convert(r, Style.NORMAL, False, default=r) for r in readings)


def test_punctuation_pairs():
    assert query_terms(normalize("记录。评价"))[0] == ["录。评", "记录", "评价"]
    assert query_terms(normalize("落实。《会议"))[0] == ["实。《会", "落实", "会议"]
    assert query_terms(normalize("细则》"))[0] == ["则》", "细则"]
    assert query_terms(normalize("针、"))[0] == ["针、"]  # a lone character next to punctuation
    t = doc_terms(normalize("检查记录。评价报告（一）"), unigrams=False)
    assert {"录。", "。评", "告(", "(一", "一)", "录。评", "告(一"} <= set(t)


def test_builder_character_classes_match_the_tokeniser():
    """The index builder's vectorised class table agrees with tokens.is_han / is_punct (the
    one definition) on every BMP code point and on samples above it."""
    import numpy as np

    from handbook_gen.search.index import C_DIG, C_HAN, C_LET, C_PUN, _classes
    from handbook_gen.search.tokens import is_han, is_punct

    cps = [c for c in range(0x10000) if not 0xD800 <= c < 0xE000] + [0x20000, 0x2A6DF, 0x3134F, 0x31350, 0x1F600]
    cls = _classes(np.array(cps, dtype=np.uint32)).tolist()
    for c, k in zip(cps, cls):
        ch = chr(c)
        assert bool(k & C_HAN) == is_han(ch), hex(c)
        assert bool(k & C_PUN) == is_punct(ch), hex(c)
        assert bool(k & (C_DIG | C_LET)) == bool("0" <= ch <= "9" or "a" <= ch <= "z"), hex(c)
