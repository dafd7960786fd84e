"""Pinyin of titles and headings at build time (pypinyin's tables).

Owns: reading pypinyin's character and phrase tables and its word segmentation (for the
lexicon too), syllable lists for the policy-title catalogue (matched in the browser as full
pinyin, spaced pinyin, initials or a mix) and the whole-heading pinyin/initials
terms added to the heading field of the index.
"""
from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .tokens import HAN_CLASS, HAN_RUN

_ALNUM = re.compile(r"[0-9a-z]+")
_HANS = re.compile(f"[{HAN_CLASS}\ue815-\ue864]+")  # runs of characters pypinyin reads (its RE_HANS)
_FIRST = re.compile(r'\[\s*"([^"]*)"')  # in a phrase's readings [["yín"], ["háng", …]]: each first one


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], list[str], dict[str, int], set[str]]:
    """pypinyin's character table (code point -> tone-marked readings, the usual one first),
    its phrase file cut at the end of each key ('":'), the piece holding each phrase's readings, and
    every beginning of a phrase (the phrases too: its segmenter's prefix set).

    Read from pypinyin's data files without importing pypinyin: its import parses every
    phrase's readings and trains its segmenter (0.2 s CPU with the collector paused, as in a
    build; this, 0.1 s), while an index needs the readings of a few thousand words."""
    spec = importlib.util.find_spec("pypinyin")  # located, not imported (build-time dependency)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("pypinyin")
    root = Path(spec.origin).parent
    chars = {int(k): v for k, v in json.loads((root / "pinyin_dict.json").read_text("utf-8")).items()}
    text = (root / "phrases_dict.json").read_text("utf-8")
    # {"word": [["reading", …], …], …}: a key is the string before each '":' (readings hold no
    # quote or colon), its value starts after it
    pieces = text.split('":')
    at = {x[x.rindex('"') + 1:]: k + 1 for k, x in enumerate(pieces[:-1])}
    prefixes = {w[:i] for w in at for i in range(1, len(w))}
    prefixes.update(at)
    return chars, pieces, at, prefixes


def phrase_readings(word: str) -> list[str] | None:
    """pypinyin's tone-marked readings of a word of its phrase table (银行 -> yín, háng), or None."""
    _, pieces, at, _ = _tables()
    i = at.get(word)
    return None if i is None else _FIRST.findall(pieces[i])


def char_readings(ch: str) -> str:
    """pypinyin's tone-marked readings of a character, comma-separated, the usual one first ("" if none)."""
    return _tables()[0].get(ord(ch), "")


def _cut(run: str) -> list[str]:
    """pypinyin's word segmentation of a Han run (seg.mmseg.seg: the longest phrase-table word
    at each position, else one character; a rest that only begins a word is cut into characters)."""
    _, _, at, prefixes = _tables()
    out: list[str] = []
    while run:
        k, last = 1, 0
        while k <= len(run) and run[:k] in prefixes:
            if run[:k] in at:
                last = k
            k += 1
        if last:
            out.append(run[:last])
            run = run[last:]
        elif k > len(run):
            out += run
            break
        else:
            out.append(run[0])
            run = run[1:]
    return out


@lru_cache(maxsize=None)
def _toneless(reading: str) -> str:
    """pypinyin's NORMAL style of one tone-marked reading ('lǜ' -> 'lv', 'ê̄' -> 'ê')."""
    s = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return unicodedata.normalize("NFC", "".join(c for c in s if c == "\u0302" or not unicodedata.combining(c)))


@lru_cache(maxsize=50_000)
def _word(word: str) -> tuple[str, ...]:
    """Syllables of one segmented word, as pypinyin's lazy_pinyin reads it: the phrase table's
    readings for a known word (银行 yin hang), else each character's usual reading (a character
    without one stays itself, and gives no syllable)."""
    known = phrase_readings(word)
    if known is not None:
        items = [_toneless(r) for r in known]
    else:
        items = [_toneless(r.split(",")[0]) if (r := char_readings(ch)) else ch for ch in word]
    return tuple(s for item in items for s in _ALNUM.findall(item.lower()))


@lru_cache(maxsize=200_000)
def syllables(text: str) -> tuple[str, ...]:
    """Normalised text -> syllables: Han characters become toneless pinyin
    (ü written v, as typed), letter/digit runs are kept as one 'syllable' each.

    The same as ``lazy_pinyin(text, style=NORMAL, strict=False)`` of pypinyin (its word
    segmentation, phrase and character tables; tests/search/test_normalize_tokens.py
    compares the two), computed once per distinct word instead of once per character
    through pypinyin's converter (a fifth of the index's CPU on the real corpus), from
    pypinyin's data files (see _tables)."""
    if not HAN_RUN.search(text):
        return tuple(_ALNUM.findall(text))
    out: list[str] = []
    at = 0
    for m in _HANS.finditer(text):
        out += _ALNUM.findall(text[at:m.start()].lower())
        for w in _cut(m.group()):
            out += _word(w)
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
