"""Word's number formats (the ``w:numFmt`` values of numbering.xml) as the text a reader
sees: 12 in ``chineseCounting`` is 十二, in ``ideographTraditional`` 乙 is 2, and the
reverse, reading a typed list number (一百〇五, 一○五, 壹拾贰, １２, ⑿) back into an int.

The one home of these formats for both directions of Word files: import resolves the
numbering a document shows, export picks the format for each level it writes. Plain legal
numerals (第一百零五条) are core/numerals.py's; this module adds Word's variants.
"""
from __future__ import annotations

from handbook_gen.core.numerals import from_chinese, to_chinese

_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_WORD_ZERO = "〇"
_DIGITS_WORD = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_LEGAL_SIMPLIFIED = str.maketrans("一二三四五六七八九十百千万", "壹贰叁肆伍陆柒捌玖拾佰仟万")
_LEGAL_TRADITIONAL = str.maketrans("一二三四五六七八九十百千万", "壹貳參肆伍陸柒捌玖拾佰仟萬")
_TO_PLAIN = str.maketrans({
    **{c: d for c, d in zip("壹贰貳叁參肆伍陆陸柒捌玖", "一二二三三四五六六七八九")},
    "拾": "十", "佰": "百", "仟": "千", "萬": "万", "○": "〇", "Ｏ": "〇", "O": "〇",
    **{chr(0xFF10 + i): str(i) for i in range(10)}})

SUPPORTED = frozenset({
    "decimal", "decimalZero", "decimalFullWidth", "decimalFullWidth2", "decimalHalfWidth",
    "decimalEnclosedCircle", "decimalEnclosedCircleChinese", "decimalEnclosedParen",
    "decimalEnclosedFullstop", "upperLetter", "lowerLetter", "upperRoman", "lowerRoman",
    "chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
    "ideographTraditional", "ideographZodiac", "ideographDigital", "ideographLegalTraditional",
    "taiwaneseCounting", "taiwaneseCountingThousand", "taiwaneseDigital",
    "japaneseCounting", "japaneseDigitalTenThousand", "bullet", "none"})
"""Formats this module writes exactly; any other falls back to decimal."""


def _counting(n: int) -> str:
    """chineseCounting as Word shows it: 一…九十九 in full, then digit by digit (一〇五)."""
    if n < 100:
        return to_chinese(n)
    return "".join(_DIGITS_WORD[int(d)] for d in str(n))


def _counting_thousand(n: int) -> str:
    """chineseCountingThousand: 一百〇五, 一千〇一十 (Word writes its zero as 〇)."""
    return to_chinese(n).replace("零", _WORD_ZERO)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                       (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                       (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += sym * count
    return out


def _letter(n: int) -> str:
    """Word's letters: A…Z, then AA…ZZ, AAA… (the letter repeated, not base 26)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _cycle(chars: str, n: int) -> str:
    return chars[(n - 1) % len(chars)]


def _table(chars: str, n: int) -> str:
    return chars[n - 1] if 1 <= n <= len(chars) else str(n)


def format_number(n: int, fmt: str) -> str:
    """The text of list number `n` in Word number format `fmt` (decimal for an unknown
    format: check ``fmt in SUPPORTED`` to report it)."""
    if fmt in ("bullet", "none"):
        return ""
    if n <= 0 and fmt != "decimal":
        return str(n)
    if fmt in ("chineseCounting", "taiwaneseCounting", "japaneseCounting"):
        return _counting(n)
    if fmt in ("chineseCountingThousand", "taiwaneseCountingThousand"):
        return _counting_thousand(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_DIGITS_WORD[int(d)] for d in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        plain = to_chinese(n)  # formal numerals always write the one of 壹拾
        plain = "一" + plain if plain.startswith("十") else plain
        return plain.translate(_LEGAL_SIMPLIFIED if fmt == "chineseLegalSimplified"
                               else _LEGAL_TRADITIONAL)
    if fmt == "ideographTraditional":
        return _cycle(_STEMS, n)
    if fmt == "ideographZodiac":
        return _cycle(_BRANCHES, n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _table(_CIRCLED, n)
    if fmt == "decimalEnclosedParen":
        return _table(_PAREN, n)
    if fmt == "decimalEnclosedFullstop":
        return _table(_FULLSTOP, n)
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


def read_number(text: str) -> int | None:
    """A typed list or article number back to an int: 十二, 一百〇五, 一○五 (digit by
    digit), 壹拾贰, １２, ⑿, ③; None when it is not one."""
    if not text:
        return None
    for table in (_CIRCLED, _PAREN, _FULLSTOP):
        if len(text) == 1 and text in table:
            return table.index(text) + 1
    plain = text.translate(_TO_PLAIN)
    if plain.isdigit() and plain.isascii():
        return int(plain)
    if len(plain) > 1 and all(c in _DIGITS_WORD or c == "零" for c in plain):
        return int("".join(str(_DIGITS_WORD.index(c)) if c in _DIGITS_WORD else "0"
                           for c in plain))  # 一〇五: digit by digit
    return from_chinese(plain)
