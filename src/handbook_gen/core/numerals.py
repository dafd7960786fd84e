"""Chinese numerals for article numbering: 5 <-> 五, 105 <-> 一百零五, 第五条 parsing.

The one writer of numerals in Python (parser, search index, compiled edition). The search
client cannot import it: `cnum` in templates/static/search.js writes the same numerals
for the numbers it meets (第 + up to three digits, or 第 + 4-12 digits + 条), checked under node by
tests/unit/test_numerals.py.
"""
from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = "零一二三四五六七八九"
_VALUE = {c: i for i, c in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
NUMERAL_CLASS = "〇零一二三四五六七八九十百千两0-9"


@lru_cache(maxsize=4096)
def to_chinese(n: int) -> str:
    """Chinese numeral as used in legal numbering: 10 -> 十, 12 -> 十二, 105 -> 一百零五,
    10015 -> 一万零一十五 (any size: 万 and 亿 groups)."""
    if n < 0:
        return str(n)
    for unit, name in ((100000000, "亿"), (10000, "万")):
        if n >= unit:
            high, low = divmod(n, unit)
            if not low:
                return to_chinese(high) + name
            rest = to_chinese(low)
            return to_chinese(high) + name + ("零" if low < unit // 10 else "") + \
                ("一" + rest if rest[0] == "十" else rest)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    out = ""
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero = False
    started = False
    for value, name in units:
        d, n = divmod(n, value)
        if d:
            if zero and started:
                out += "零"
            out += _DIGITS[d] + name
            started, zero = True, False
        elif started:
            zero = True
    return out


def from_chinese(text: str) -> int | None:
    """Parse 十二 / 一百零五 / 两百 / 12 into an int; None when it is not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _VALUE:
            current = _VALUE[ch]
        elif ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


_ARTICLE_KEY = re.compile(rf"^(?:第([{NUMERAL_CLASS}]+)条|(\d+))$")


def parse_article_key(key: str) -> int | None:
    """'5' or '第五条' -> 5; anything else (a label) -> None."""
    m = _ARTICLE_KEY.match(key)
    if not m:
        return None
    return from_chinese(m[1]) if m[1] else int(m[2])


@lru_cache(maxsize=4096)
def article_name(n: int) -> str:
    return f"第{to_chinese(n)}条"


@lru_cache(maxsize=256)
def paragraph_name(n: int) -> str:
    return f"第{to_chinese(n)}款"
