"""Short names derived from policy titles, for search (the index's title field and the
client's exact-title preference). Owns the rules below; the `aliases:` a policy declares
in its front matter are added by feed.py before these.

Rules, applied to the title (the results are the aliases, without the title itself):

1. Drop ``中华人民共和国`` wherever it occurs (``中华人民共和国劳动合同法`` -> ``劳动合同法``;
   ``北京市实施《中华人民共和国工会法》办法`` -> ``北京市实施《工会法》办法``).
2. Drop leading place names: a province, region or city (``上海市``, ``山东省``,
   ``宁夏回族自治区``, ``延边朝鲜族自治州``, ``郑州市`` …: two to seven characters ending in
   省 / 市 / 自治区 / 自治州 / 特别行政区, the 市 not starting a word such as 市场 or 市容) and
   the four municipalities written without 市 (``上海港口条例`` -> ``港口条例``), repeatedly
   (``广东省广州市…``).
3. Drop a leading company name ending in 有限公司 / 有限责任公司 / 集团 / 公司 (two or more
   characters before it, not 子公司 / 分公司 / 总公司 / 母公司).
4. ``实施《X》办法`` -> ``X实施办法`` (also 细则, 条例, 规定).
5. Drop a trailing ``（试行）`` / ``（暂行）`` / ``（修订）`` / ``（草案）``.
6. Known compressions (``COMPRESSIONS``: 社会保险法 -> 社保法, 个人所得税法 -> 个税法,
   招标投标法 -> 招投标法, 数据安全法 -> 数安法, …), each applied to the shortened title
   (one alias per compression found).

A derived name shorter than two characters, still holding a 《 (an intermediate form of
rule 4) or left as a bare generic word (``条例``, ``管理办法``), is not kept.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

#: Common compressions of legal and administrative names: (full form, short form). A
#: longer full form comes before a shorter one it contains.
COMPRESSIONS: tuple[tuple[str, str], ...] = (
    ("个人信息保护法", "个保法"),
    ("消费者权益保护法", "消法"),
    ("消费者权益保护", "消保"),
    ("未成年人保护法", "未保法"),
    ("道路交通安全法", "道交法"),
    ("治安管理处罚法", "治安处罚法"),
    ("数据安全法", "数安法"),
    ("网络安全法", "网安法"),
    ("食品安全法", "食安法"),
    ("环境保护法", "环保法"),
    ("民事诉讼法", "民诉法"),
    ("刑事诉讼法", "刑诉法"),
    ("行政诉讼法", "行诉法"),
    ("个人所得税", "个税"),
    ("社会保险", "社保"),
    ("医疗保险", "医保"),
    ("招标投标", "招投标"),
    ("知识产权", "知产"),
    ("非物质文化遗产", "非遗"),
    ("人民代表大会常务委员会", "人大常委会"),
    ("住房公积金", "公积金"),
)

_PRC = "中华人民共和国"
_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
# a place: 2-7 characters ending in a unit; 市 not the start of 市场/市容/市政/市民/…
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:特别行政区|自治区|自治州|省|市(?![场容政民值级区县面]))")
_COMPANY = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9（）()]{2,20}?(?<![子分总母])(?:有限责任公司|股份有限公司|有限公司|集团|公司)")
_IMPLEMENT = re.compile(r"实施《([^》]+)》(办法|细则|条例|规定)")
_TRAILER = re.compile(r"[（(](?:试行|暂行|修订|草案)[)）]$")
_GENERIC = frozenset({"条例", "办法", "规定", "细则", "制度", "规则", "管理办法", "管理规定",
                      "管理制度", "管理条例", "实施办法", "实施细则", "若干规定"})


def _strip_places(t: str) -> str:
    while True:
        m = _PLACE.match(t)
        cut = m.end() if m else 0
        if not cut:
            cut = next((len(x) for x in _MUNICIPALITIES if t.startswith(x)), 0)
        if not cut or len(t) - cut < 2:
            return t
        t = t[cut:]


def _shortened(title: str) -> list[str]:
    """The title after rules 1-5, as successive forms (each a candidate alias)."""
    forms = []
    t = title.strip().replace(_PRC, "")
    forms.append(t)
    m = _COMPANY.match(t)
    if m and len(t) - m.end() >= 2:
        t = t[m.end():]
        forms.append(t)
    t = _strip_places(t)
    forms.append(t)
    implemented = _IMPLEMENT.sub(lambda m: m[1] + "实施" + m[2], t)
    if implemented != t:
        forms.append(implemented)
        t = implemented
    trimmed = _TRAILER.sub("", t)
    if trimmed != t:
        forms.append(trimmed)
    return forms


def derived_aliases(title: str) -> tuple[str, ...]:
    """Short names of a title by the rules above, without the title itself, in a fixed order."""
    forms = _shortened(title)
    out: list[str] = []
    for f in list(forms):
        for full, short in COMPRESSIONS:
            if full in f and full != short:
                forms.append(f.replace(full, short))
    for f in forms:
        f = f.strip()
        if len(f) >= 2 and f != title and "《" not in f and f not in _GENERIC and f not in out:
            out.append(f)
    return tuple(out)


def policy_aliases(title: str, declared: Iterable[str] = ()) -> tuple[str, ...]:
    """A policy's other names: the declared ones first, then the derived ones (no repeats,
    never the title)."""
    out: list[str] = []
    for a in list(declared) + list(derived_aliases(title)):
        if a and a != title and a not in out:
            out.append(a)
    return tuple(out)
