"""Short names derived from policy titles, for search (the index's title field, the client's
exact-title preference and citations such as 上海控烟条例第十条). Owns the rules below; the
`aliases:` a policy declares in its front matter come first (feed.py).

A title is cut into a place part and the rest, and the aliases are the combinations of a
form of each (without the title itself):

* the rest: the title without ``中华人民共和国`` (anywhere), without a leading ``中国（X）``
  (kept as the place X: ``中国（山东）自由贸易试验区条例``), a company name (``××有限公司``, not
  子公司 / 分公司 …) and the place; ``实施《X》办法`` becomes ``X实施办法``; a trailing
  ``（试行）`` / ``（暂行）`` / ``（修订）`` / ``（草案）`` is dropped. A title with a quoted
  term and a document type (``关于…“一网通办”改革的决定``) also gives ``一网通办决定``.
* the rest compressed: every known compression of ``COMPRESSIONS`` applied (社会保险 -> 社保,
  个人所得税 -> 个税, 招标投标 -> 招投标, 数据安全法 -> 数安法, 公共场所控制吸烟 -> 控烟 …);
  an entry with several short forms gives one variant per form.
* the place: leading provinces, regions and cities (two to seven characters ending in 省 / 市
  / 自治区 / 自治州 / 特别行政区 / 经济特区, the 市 not starting a word such as 市场 or 市容;
  the four municipalities without 市), as written, without
  their unit (``北京市`` -> ``北京``, the innermost place), as the province's one-character
  name (``上海`` -> ``沪``, with the compressed rest only), or left out.

A derived name shorter than two characters or a bare generic word (``条例``, ``管理办法``) is
not kept.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

#: Common compressions of legal and administrative names: (full form, short forms). A longer
#: full form comes before a shorter one it contains.
COMPRESSIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("个人信息保护法", ("个保法",)),
    ("消费者权益保护法", ("消法",)),
    ("消费者权益保护", ("消保",)),
    ("未成年人保护法", ("未保法",)),
    ("道路交通安全法", ("道交法",)),
    ("治安管理处罚法", ("治安处罚法",)),
    ("数据安全法", ("数安法",)),
    ("网络安全法", ("网安法",)),
    ("食品安全法", ("食安法",)),
    ("环境保护法", ("环保法",)),
    ("民事诉讼法", ("民诉法",)),
    ("刑事诉讼法", ("刑诉法",)),
    ("行政诉讼法", ("行诉法",)),
    ("个人所得税", ("个税",)),
    ("社会保险", ("社保",)),
    ("医疗保险", ("医保",)),
    ("招标投标", ("招投标",)),
    ("知识产权", ("知产",)),
    ("非物质文化遗产保护", ("非遗", "非遗保护")),
    ("非物质文化遗产", ("非遗",)),
    ("公共场所控制吸烟", ("控烟",)),
    ("控制吸烟", ("控烟",)),
    ("人民防空", ("人防",)),
    ("预防和制止家庭暴力", ("反家暴",)),
    ("自由贸易试验区", ("自贸区", "自贸试验区")),
    ("人民代表大会常务委员会", ("人大常委会",)),
    ("住房公积金", ("公积金",)),
)

#: One-character names of provinces and municipalities (上海 -> 沪), for the outermost place.
PROVINCE_ABBR = {
    "北京": "京", "天津": "津", "上海": "沪", "重庆": "渝", "河北": "冀", "山西": "晋", "辽宁": "辽",
    "吉林": "吉", "黑龙江": "黑", "江苏": "苏", "浙江": "浙", "安徽": "皖", "福建": "闽", "江西": "赣",
    "山东": "鲁", "河南": "豫", "湖北": "鄂", "湖南": "湘", "广东": "粤", "海南": "琼", "四川": "川",
    "贵州": "黔", "云南": "滇", "陕西": "陕", "甘肃": "甘", "青海": "青", "广西": "桂",
}

_PRC = "中华人民共和国"
_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
_CHINA_X = re.compile(r"^中国[（(]([\u4e00-\u9fff]{2,4})[)）]")
# a place: 2-7 characters ending in a unit; 市 not the start of 市场/市容/市政/市民/…
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,7}?)(特别行政区|经济特区|自治区|自治州|省|市(?![场容政民值级区县面]))")
_COMPANY = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9（）()]{2,20}?(?<![子分总母])(?:有限责任公司|股份有限公司|有限公司|集团|公司)")
_IMPLEMENT = re.compile(r"实施《([^》]+)》(办法|细则|条例|规定)")
_TRAILER = re.compile(r"[（(](?:试行|暂行|修订|草案)[)）]$")
_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,12})[”\"」].*?(决定|规定|条例|办法|细则)$")
_GENERIC = frozenset({"条例", "办法", "规定", "细则", "制度", "规则", "管理办法", "管理规定",
                      "管理制度", "管理条例", "实施办法", "实施细则", "若干规定"})


def _places(t: str) -> tuple[list[tuple[str, str]], str]:
    """Leading places as (name, unit) and the rest of the title."""
    places = []
    m = _CHINA_X.match(t)
    if m:
        places.append((m[1], ""))
        t = t[m.end():]
    while True:
        m = _PLACE.match(t)
        if m and len(t) - m.end() >= 2:
            places.append((m[1], m[2]))
            t = t[m.end():]
            continue
        bare = next((x for x in _MUNICIPALITIES if t.startswith(x)), None)
        if bare and len(t) - len(bare) >= 2:
            places.append((bare, ""))
            t = t[len(bare):]
            continue
        return places, t


def _compressed(rest: str) -> list[str]:
    """The rest with every known compression applied; one variant per alternative short form."""
    found = [(full, shorts) for full, shorts in COMPRESSIONS if full in rest]
    if not found:
        return []
    out = []
    for k in range(max(len(s) for _, s in found)):
        t = rest
        for full, shorts in found:
            t = t.replace(full, shorts[min(k, len(shorts) - 1)])
        if t not in out:
            out.append(t)
    return out


def derived_aliases(title: str) -> tuple[str, ...]:
    """Short names of a title by the rules above, without the title itself, in a fixed order."""
    t = title.strip().replace(_PRC, "")
    m = _COMPANY.match(t)
    if m and len(t) - m.end() >= 2:
        t = t[m.end():]
    places, rest = _places(t)
    rest = _IMPLEMENT.sub(lambda m: m[1] + "实施" + m[2], rest)
    rest = _TRAILER.sub("", rest)
    quoted = _QUOTED.search(rest)
    rests = [rest] + ([quoted[1] + quoted[2]] if quoted else [])
    short = rests + [c for r in rests for c in _compressed(r)]
    forms = [t]
    if places:
        full = "".join(n + u for n, u in places)
        inner = places[-1][0]
        abbr = PROVINCE_ABBR.get(places[0][0])
        forms += [full + r for r in short] + [inner + r for r in short]
        if abbr:
            forms += [abbr + r for r in short[1:]]
    forms += short
    out: list[str] = []
    for f in forms:
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
