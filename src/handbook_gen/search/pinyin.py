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
def _lazy():
    from pypinyin import Style, lazy_pinyin  # build-time dependency

    return lambda s: lazy_pinyin(s, style=Style.NORMAL, errors="default", strict=False)


@lru_cache(maxsize=200_000)
def syllables(text: str) -> tuple[str, ...]:
    """Normalised text -> syllables: Han characters become toneless pinyin
    (ü written v, as typed), letter/digit runs are kept as one 'syllable' each."""
    if not HAN_RUN.search(text):
        return tuple(_ALNUM.findall(text))
    out: list[str] = []
    for item in _lazy()(text):
        out.extend(_ALNUM.findall(item.lower()))
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
