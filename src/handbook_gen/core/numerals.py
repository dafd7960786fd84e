"""Chinese numerals for article numbering: 5 <-> 五, 105 <-> 一百零五, 第五条 parsing, and
the numbers of inserted articles (第一百二十条之一, InsertedNumber).

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


@lru_cache(maxsize=4096)  # a handbook's numerals repeat: 第一条 … in every policy
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


class InsertedNumber(int):
    """The number of an inserted article, 第一百二十条之一 (inserted so that the articles after
    it keep their numbers): its int value is the article it follows (120) and ``sub`` its
    place among the articles inserted there (1 for 之一). It compares, orders and hashes as
    (120, 1), never as 120, so it is its own key wherever article numbers are; arithmetic
    gives plain ints (the next article after 第一百二十条之一 is 121). Every other article
    number is a plain int: make numbers with ``article_number``."""

    def __new__(cls, base: int, sub: int):
        self = super().__new__(cls, base)
        self.sub = sub
        return self

    def __getnewargs__(self):
        return int(self), self.sub

    def __repr__(self) -> str:
        return f"InsertedNumber({int(self)}, {self.sub})"

    __str__ = __repr__  # never the bare base number by accident (an id, a placeholder)

    def __hash__(self) -> int:
        return hash((int(self), self.sub))

    def __eq__(self, other) -> bool:
        return isinstance(other, int) and _key(self) == _key(other)

    def __ne__(self, other) -> bool:
        return not self == other

    def __lt__(self, other) -> bool:
        return _key(self) < _key(other)

    def __le__(self, other) -> bool:
        return _key(self) <= _key(other)

    def __gt__(self, other) -> bool:
        return _key(self) > _key(other)

    def __ge__(self, other) -> bool:
        return _key(self) >= _key(other)


def _key(n: int) -> tuple[int, int]:
    return int(n), getattr(n, "sub", 0)


def article_number(base: int, sub: int = 0) -> int:
    """第{base}条, or with `sub` its 之{sub}: a plain int, or an InsertedNumber."""
    return InsertedNumber(base, sub) if sub else base


def inserted_after(n: int) -> int:
    """The number of an article inserted right after article `n`: 第五条 -> 第五条之一,
    第五条之一 -> 第五条之二."""
    return InsertedNumber(int(n), getattr(n, "sub", 0) + 1)


def number_key(n: int) -> str:
    """An article number as id text: '5', '120_1' for 第一百二十条之一 (never '120-1', the
    shape of the second '120' in a page's ids). Article anchors are 'a' + this."""
    return f"{int(n)}_{n.sub}" if type(n) is InsertedNumber else str(n)


def from_number_key(key: str) -> int:
    """Inverse of number_key."""
    base, _, sub = key.partition("_")
    return article_number(int(base), int(sub) if sub else 0)


_ARTICLE_KEY = re.compile(rf"^(?:第([{NUMERAL_CLASS}]+)条(?:之([{NUMERAL_CLASS}]+))?|(\d+))$")


def parse_article_key(key: str) -> int | None:
    """'5' or '第五条' -> 5, '第五条之一' -> 第五条之一's number; anything else (a label) -> None."""
    m = _ARTICLE_KEY.match(key)
    if not m:
        return None
    if m[3]:
        return int(m[3])
    base, sub = from_chinese(m[1]), from_chinese(m[2]) if m[2] else 0
    return None if base is None or sub is None else article_number(base, sub)


@lru_cache(maxsize=4096)
def article_name(n: int) -> str:
    """第五条; 第一百二十条之一 for an inserted article."""
    base, sub = _key(n)
    return f"第{to_chinese(base)}条" + (f"之{to_chinese(sub)}" if sub else "")


@lru_cache(maxsize=256)
def paragraph_name(n: int) -> str:
    return f"第{to_chinese(n)}款"
