"""Pinyin of titles and headings at build time (pypinyin).

Owns: syllable lists for the policy-title catalogue (matched in the browser as full
pinyin, spaced pinyin, initials or a mix) and the whole-heading pinyin/initials
terms added to the heading field of the index.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .tokens import HAN_RUN

_ALNUM = re.compile(r"[0-9a-z]+")


@lru_cache(maxsize=1)
def _pypinyin():
    """(Han run pattern, word segmenter, phrase table, character table) of pypinyin."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS  # build-time dependency
    from pypinyin.seg.mmseg import seg

    # RE_HANS is ^…$ around "one or more characters that have a reading": its runs
    runs = re.compile(RE_HANS.pattern.removeprefix("^").removesuffix("$"))
    return runs, seg, PHRASES_DICT, PINYIN_DICT


@lru_cache(maxsize=None)
def _toneless(reading: str) -> str:
    """pypinyin's NORMAL style of one tone-marked reading ('lǜ' -> 'lv')."""
    from pypinyin import Style
    from pypinyin.style import convert

    return convert(reading, Style.NORMAL, False, default=reading)


@lru_cache(maxsize=50_000)
def _word(word: str) -> tuple[str, ...]:
    """Readings of one segmented word, as pypinyin's lazy_pinyin gives them: the phrase
    table's for a known word (银行 yin hang), else each character's usual reading (a
    character without one stays itself)."""
    _, _, phrases, chars = _pypinyin()
    if word in phrases:
        return tuple(_toneless(x[0]) for x in phrases[word])
    out = []
    for ch in word:
        raw = chars.get(ord(ch))
        out.append(_toneless(raw.split(",")[0]) if raw else ch)
    return tuple(out)


@lru_cache(maxsize=200_000)
def syllables(text: str) -> tuple[str, ...]:
    """Normalised text -> syllables: Han characters become toneless pinyin
    (ü written v, as typed), letter/digit runs are kept as one 'syllable' each.

    The same as ``lazy_pinyin(text, style=NORMAL, strict=False)`` of pypinyin (its word
    segmentation, phrase and character tables; tests/search/test_normalize_tokens.py
    compares the two), computed once per distinct word instead of once per character
    through pypinyin's converter (a fifth of the index's CPU on the real corpus)."""
    if not HAN_RUN.search(text):
        return tuple(_ALNUM.findall(text))
    hans, seg, _, _ = _pypinyin()
    out: list[str] = []
    at = 0
    for m in hans.finditer(text):
        out += _ALNUM.findall(text[at:m.start()].lower())
        for w in seg.cut(m.group()):
            for item in _word(w):
                out += _ALNUM.findall(item.lower())
        at = m.end()
    out += _ALNUM.findall(text[at:].lower())
    return tuple(out)


def heading_pinyin_terms(label: str) -> list[str]:
    """Full pinyin and initials of a heading label (Han part only), e.g. 质量目标 ->
    ['zhiliangmubiao', 'zlmb']. Empty when the label has fewer than two Han characters."""
    han = "".join(HAN_RUN.findall(label))
    if len(han) < 2:
        return []
    syl = [s for s in syllables(han) if s.isalpha()]
    if len(syl) < 2:
        return []
    return ["".join(syl), "".join(s[0] for s in syl)]
