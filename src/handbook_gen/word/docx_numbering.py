"""Word's automatic numbering as a reader sees it: resolves numbering.xml (abstractNum
levels with their numFmt, lvlText such as ``第%1条`` or ``（%1）``, start, lvlRestart and
isLgl; num instances with lvlOverride / startOverride) and style-linked numbering (a
paragraph style that carries numPr, a level bound to a style by pStyle, numStyleLink) into
the literal label of each numbered paragraph, in document order.

Counting follows Word: instances (w:num) of one abstract numbering share its counters and
continue each other, an instance with a startOverride restarts the overridden levels where
it is first used, using a level restarts the levels below it (unless their lvlRestart says
otherwise), and an unused level in lvlText shows its start value.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from handbook_gen.word.numfmt import SUPPORTED, format_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEVELS = 9


def _val(el, tag: str) -> str | None:
    child = el.find(W + tag) if el is not None else None
    return child.get(W + "val") if child is not None else None


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None
    """lvlRestart: None = after any higher level, 0 = never, k = after level k (1-based)."""
    style: str | None = None
    legal: bool = False
    suffix: str = "tab"


def _level(el) -> Level:
    return Level(start=_int(_val(el, "start"), 1), fmt=_val(el, "numFmt") or "decimal",
                 text=_val(el, "lvlText") or "", restart=_int(_val(el, "lvlRestart"), None),
                 style=_val(el, "pStyle"), legal=el.find(W + "isLgl") is not None and
                 _val(el, "isLgl") not in ("0", "false"), suffix=_val(el, "suff") or "tab")


class Numbering:
    """The numbering definitions of one document and the counters of a pass over it."""

    def __init__(self, numbering_el, styles_el):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_link: dict[str, str] = {}
        """abstractNum id -> numbering style id (numStyleLink)."""
        self.nums: dict[str, tuple[str | None, dict[int, tuple[int | None, Level | None]]]] = {}
        """numId -> (abstractNum id, {ilvl: (startOverride, replacing lvl)} of its
        lvlOverride elements)."""
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_name: dict[str, str] = {}
        self.style_outline: dict[str, int] = {}
        self.unsupported: set[str] = set()
        if styles_el is not None:
            self._read_styles(styles_el)
        if numbering_el is not None:
            self._read_numbering(numbering_el)
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()

    def _read_styles(self, styles_el) -> None:
        raw: dict[str, tuple[str | None, tuple, int | None]] = {}
        for st in styles_el.iter(W + "style"):
            sid = st.get(W + "styleId")
            if not sid:
                continue
            self.style_name[sid] = _val(st, "name") or sid
            ppr = st.find(W + "pPr")
            numpr = ppr.find(W + "numPr") if ppr is not None else None
            pair = (_val(numpr, "numId"), _int(_val(numpr, "ilvl"), None)) \
                if numpr is not None else (None, None)
            outline = _int(_val(ppr, "outlineLvl"), None) if ppr is not None else None
            raw[sid] = (_val(st, "basedOn"), pair, outline)
        for sid in raw:  # inherit numPr and outline level along basedOn
            num, ilvl, outline, seen, cur = None, None, None, set(), sid
            while cur in raw and cur not in seen:
                seen.add(cur)
                based, (n, i), o = raw[cur]
                num = num if num is not None else n
                ilvl = ilvl if ilvl is not None else i
                outline = outline if outline is not None else o
                cur = based
            if num is not None or ilvl is not None:
                self.style_numpr[sid] = (num, ilvl)
            if outline is not None:
                self.style_outline[sid] = outline

    def _read_numbering(self, el) -> None:
        for ab in el.iter(W + "abstractNum"):
            aid = ab.get(W + "abstractNumId")
            self.abstract[aid] = {_int(lv.get(W + "ilvl"), 0): _level(lv)
                                  for lv in ab.findall(W + "lvl")}
            link = _val(ab, "numStyleLink")
            if link:
                self.style_link[aid] = link
        for num in el.iter(W + "num"):
            overrides: dict[int, tuple[int | None, Level | None]] = {}
            for ov in num.findall(W + "lvlOverride"):
                lvl = ov.find(W + "lvl")
                overrides[_int(ov.get(W + "ilvl"), 0)] = (
                    _int(_val(ov, "startOverride"), None), _level(lvl) if lvl is not None else None)
            self.nums[num.get(W + "numId")] = (_val(num, "abstractNumId"), overrides)

    def _abstract_of(self, num_id: str) -> str | None:
        """The abstractNum whose levels a num shows, following numStyleLink once."""
        aid = self.nums.get(num_id, (None, {}))[0]
        link = self.style_link.get(aid)
        if link and link in self.style_numpr:
            linked = self.style_numpr[link][0]
            if linked and linked != num_id and linked in self.nums:
                return self.nums[linked][0]
        return aid

    def _levels(self, num_id: str) -> tuple[str | None, dict[int, Level]]:
        aid = self._abstract_of(num_id)
        levels = dict(self.abstract.get(aid, {}))
        for ilvl, (start, lvl) in self.nums[num_id][1].items():
            level = lvl or levels.get(ilvl, Level())
            levels[ilvl] = replace(level, start=start) if start is not None else level
        return aid, levels

    def paragraph_numpr(self, ppr, style_id: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph: its own numPr over its style's; None when not
        numbered (numId 0 removes a style's numbering)."""
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        num, ilvl = (_val(numpr, "numId"), _int(_val(numpr, "ilvl"), None)) \
            if numpr is not None else (None, None)
        snum, silvl = self.style_numpr.get(style_id or "", (None, None))
        num = num if num is not None else snum
        if num is None or num == "0" or num not in self.nums:
            return None
        if ilvl is None:
            ilvl = silvl
        if ilvl is None and style_id:
            _, levels = self._levels(num)
            ilvl = next((i for i, lv in levels.items() if lv.style == style_id), 0)
        return num, min(max(ilvl or 0, 0), LEVELS - 1)

    def label(self, num_id: str, ilvl: int) -> tuple[str, Level] | None:
        """Count one paragraph of list `num_id` at level `ilvl`; its label text (``第三条``)
        and level. None for a level the definitions lack."""
        aid, levels = self._levels(num_id)
        lvl = levels.get(ilvl)
        if lvl is None or aid is None:
            return None
        counters = self.counters.setdefault(aid, [None] * LEVELS)
        if num_id not in self.started:
            self.started.add(num_id)
            for ilvl_over, (start, replaced) in self.nums[num_id][1].items():
                if ilvl_over < LEVELS and (start is not None or replaced is not None):
                    counters[ilvl_over] = None  # this instance restarts the level
        counters[ilvl] = lvl.start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, LEVELS):
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        text = lvl.text
        for k in range(LEVELS, 0, -1):  # %10 does not exist; replace %9 … %1
            token = f"%{k}"
            if token in text:
                other = levels.get(k - 1, Level())
                value = counters[k - 1] if counters[k - 1] is not None else other.start
                fmt = "decimal" if lvl.legal and other.fmt not in ("bullet", "none") else other.fmt
                if fmt not in SUPPORTED:
                    self.unsupported.add(fmt)
                text = text.replace(token, format_number(value, fmt))
        if lvl.fmt == "bullet":
            text = ""
        return text, lvl
