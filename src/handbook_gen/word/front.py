"""Front matter from what an imported document says: its title (the title block, the
title/heading style, the document's title property, else the file name), 发文字号 (doc_no),
the dates of its 题注, the effective date (本办法自…起施行), the body that interprets it
(由…负责解释) and the policies it replaces (原《…》同时废止).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from handbook_gen.word.blocks import Block, Source
from handbook_gen.word.numfmt import read_number
from handbook_gen.word.structure import Structure

_CN_DIGITS = "〇○零一二三四五六七八九"
_DATE = re.compile(rf"(\d{{4}}|[{_CN_DIGITS}]{{4}})年(\d{{1,2}}|[{_CN_DIGITS}十]{{1,3}})月"
                   rf"(\d{{1,2}}|[{_CN_DIGITS}十]{{1,3}})日")
DOC_NO = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,16}[〔\[［【(（]\d{4}[〕\]］】)）]第?\d{1,4}号")
_EFFECTIVE = re.compile(rf"自({_DATE.pattern})起(?:施行|执行|實施|实施|執行|生效)")
_ON_ISSUE = re.compile(r"自(?:发布|發布|印发|印發|公布|下发|签发)之日起(?:施行|执行|实施|實施|生效)")
_OWNER = re.compile(r"由(?:公司)?([^，。；、\s由]{2,20}?)[负負][责責](?:解释|解釋|修订和解释|解释和修订)")
_REPEAL = re.compile(r"[废廢]止")
_TITLE_IN = re.compile(r"《([^《》\n]{2,60})》")
_POLICY_END = ("办法", "制度", "规定", "细则", "规则", "条例", "准则", "规程", "守则", "方案",
               "规范", "须知", "程序", "章程", "标准")


def parse_date(text: str) -> dt.date | None:
    m = _DATE.search(text)
    if not m:
        return None
    parts = [read_number(m[1]), read_number(m[2]), read_number(m[3])]
    try:
        return dt.date(*parts) if None not in parts else None
    except ValueError:
        return None


@dataclass
class Front:
    title: str = ""
    title_from: str = ""
    """Where the title came from: 'block', 'property', 'file'."""
    title_block: Block | None = None
    doc_no: str | None = None
    doc_no_block: Block | None = None
    issued: dt.date | None = None
    """The date of the title block's 题注 (adopted, issued)."""
    effective: dt.date | None = None
    effective_block: Block | None = None
    effective_on_issue: bool = False
    owner_name: str | None = None
    owner_block: Block | None = None
    replaced: list[tuple[str, Block]] = field(default_factory=list)
    preamble: list[Block] = field(default_factory=list)
    dropped: list[Block] = field(default_factory=list)
    """The 公文's masthead and addressee lines."""


_TITLE_STYLES = ("title", "标题", "公文标题", "文件标题")
_MASTHEAD = re.compile(r"^.{2,24}文件$")
"""A 公文's 发文机关标志 (华衡科技有限公司文件) above its title."""
_ADDRESSEE = re.compile(r"^[^，。；]{2,40}[：:]$")
"""A 公文's 主送机关 line (公司各部门：) between the title and the text."""


def _is_title(b: Block) -> bool:
    return (b.rows is None and 2 <= len(b.text) <= 60 and not re.search(r"[。；;，,：:]$", b.text)
            and not b.text.startswith(("（", "(")) and not DOC_NO.fullmatch(b.text)
            and not _MASTHEAD.match(b.text))


def read_front(src: Source, st: Structure, blocks_after: list[Block]) -> Front:
    """`blocks_after`: the body's paragraphs, searched for the effective date, the
    interpreting body and the replaced policies."""
    front = Front()
    rest = list(st.front)
    candidates = [b for b in rest if _is_title(b)]
    styled = [b for b in candidates if b.heading == 1 or b.style.lower() in _TITLE_STYLES]
    pick = (styled or [b for b in candidates if b.centered] or candidates[:1])
    if pick:
        b = pick[0]
        i = rest.index(b)
        title = b.text
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        if nxt and _is_title(nxt) and not title.endswith(_POLICY_END) and \
                nxt.text.endswith(_POLICY_END):  # 华衡科技有限公司 / 费用报销管理办法
            title += nxt.text
            rest.pop(i + 1)
        front.title, front.title_from, front.title_block = title, "block", b
        rest.pop(i)
    elif src.title:
        front.title, front.title_from = src.title, "property"
    else:
        front.title, front.title_from = Path(src.path).stem, "file"
    front.title = re.sub(r"\s+", "", front.title) if len(front.title) <= 30 else front.title
    for b in list(rest):
        if b.rows is not None:
            continue
        no = DOC_NO.search(b.text)
        if no and front.doc_no is None:
            front.doc_no, front.doc_no_block = no[0], b
        date = parse_date(b.text)
        is_note = b.text.startswith(("（", "(")) or (no and len(b.text) <= len(no[0]) + 4)
        if date and front.issued is None and (is_note or re.search(
                r"通过|发布|印发|公布|施行|修订|签发", b.text)):
            front.issued = date
            is_note = True
        if is_note:
            rest.remove(b)
    front.dropped = [b for b in rest if b.rows is None and (
        _MASTHEAD.match(b.text) or _ADDRESSEE.match(b.text))]
    front.preamble = [b for b in rest if b not in front.dropped]
    for b in blocks_after:
        text = b.text
        m = _EFFECTIVE.search(text)
        if m and front.effective is None:
            front.effective, front.effective_block = parse_date(m[1]), b
        elif _ON_ISSUE.search(text) and front.effective is None:
            front.effective_on_issue, front.effective_block = True, b
        owner = _OWNER.search(text)
        if owner and front.owner_name is None:
            front.owner_name, front.owner_block = owner[1], b
        if _REPEAL.search(text):
            for sentence in re.split(r"[。；]", text):
                repeal = _REPEAL.search(sentence)
                if repeal:
                    front.replaced += [(t, b) for t in _TITLE_IN.findall(sentence[:repeal.start()])]
    return front
