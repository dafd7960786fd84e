"""Word documents for the import tests, written with python-docx plus raw numbering XML
(abstractNum / num / lvlOverride), tracked changes, comments and images, as Word writes
them. Every text is original writing in the genre."""
from __future__ import annotations

import struct
import zlib
from io import BytesIO
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.enum.text import WD_ALIGN_PARAGRAPH

W_NS = nsdecls("w")


class Doc:
    """A document being written: paragraphs, numbering definitions, tables."""

    def __init__(self):
        self.doc = docx.Document()
        self.numbering = self.doc.part.numbering_part.element
        for child in list(self.numbering):  # start from no definitions
            self.numbering.remove(child)

    def abstract(self, aid: int, levels: list[dict], style_link: str | None = None) -> None:
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="{lv.get("start", 1)}"/>'
            f'<w:numFmt w:val="{lv["fmt"]}"/>'
            + (f'<w:lvlRestart w:val="{lv["restart"]}"/>' if "restart" in lv else "")
            + (f'<w:pStyle w:val="{lv["style"]}"/>' if "style" in lv else "")
            + (f'<w:suff w:val="{lv["suff"]}"/>' if "suff" in lv else "")
            + f'<w:lvlText w:val="{lv["text"]}"/><w:lvlJc w:val="left"/></w:lvl>'
            for i, lv in enumerate(levels))
        link = f'<w:numStyleLink w:val="{style_link}"/>' if style_link else ""
        el = parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{aid}">'
                       f'<w:multiLevelType w:val="multilevel"/>{link}{lvls}</w:abstractNum>')
        nums = self.numbering.findall(qn("w:num"))
        if nums:
            nums[0].addprevious(el)
        else:
            self.numbering.append(el)

    def num(self, num_id: int, aid: int, restart: dict[int, int] | None = None) -> int:
        over = "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="{s}"/></w:lvlOverride>'
                       for i, s in (restart or {}).items())
        self.numbering.append(parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId '
                                        f'w:val="{aid}"/>{over}</w:num>'))
        return num_id

    def p(self, text: str = "", num: int | None = None, ilvl: int = 0, style: str | None = None,
          center: bool = False):
        para = self.doc.add_paragraph(text, style=style)
        if num is not None:
            ppr = para._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/>'
                                 f'<w:numId w:val="{num}"/></w:numPr>'))
        if center:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return para

    def raw(self, xml: str) -> None:
        """A paragraph given as WordprocessingML (runs, w:ins, w:del)."""
        self.doc.element.body.insert(len(self.doc.element.body) - 1,
                                     parse_xml(f"<w:p {W_NS}>{xml}</w:p>"))

    def style_numbering(self, style_name: str, num_id: int, ilvl: int = 0) -> None:
        """Numbering carried by a paragraph style (as Word's 'link level to style')."""
        style = self.doc.styles[style_name]
        ppr = style.element.get_or_add_pPr()
        for old in ppr.findall(qn("w:numPr")):
            ppr.remove(old)
        ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/>'
                             f'<w:numId w:val="{num_id}"/></w:numPr>'))

    def save(self, path: Path) -> Path:
        self.doc.save(str(path))
        return path


def png() -> bytes:
    """A 2x2 white PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\xff\xff" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


ARTICLE = {"fmt": "chineseCounting", "text": "第%1条", "suff": "space"}
ITEMS = [{"fmt": "chineseCounting", "text": "（%1）"}, {"fmt": "decimal", "text": "%2."},
         {"fmt": "decimal", "text": "（%3）"}]


def auto_articles(path: Path) -> Path:
    """第%1条 on chineseCounting, twelve articles in three typed chapters."""
    d = Doc()
    d.abstract(1, [ARTICLE])
    n = d.num(1, 1)
    d.p("车辆使用管理办法", style="Title")
    texts = ["为规范公司公务车辆的使用，降低运行成本，制定本办法。", "本办法适用于公司各部门。",
             "行政部是公务车辆的归口管理部门。", "车辆实行集中管理、统一调度。",
             "用车部门应当提前一个工作日提出申请。", "紧急用车的，可以先行电话申请。",
             "驾驶员应当按照审批的路线行驶。", "车辆应当定期保养，保养记录留存备查。",
             "严禁公车私用。", "违反本办法第九条的，按公司有关规定处理。",
             "本办法由行政部负责解释。", "本办法自2025年7月1日起施行。"]
    chapters = {0: "第一章　总则", 3: "第二章　使用与管理", 10: "第三章　附则"}
    for i, t in enumerate(texts):
        if i in chapters:
            d.p(chapters[i], style="Heading 2")
        d.p(t, num=n)
    return d.save(path)


def restart_per_chapter(path: Path, continuous: bool, title: str = "会议管理办法") -> Path:
    """One multilevel list: 第%1章 (level 0) and 第%2条 (level 1); with `continuous` the
    article level never restarts (lvlRestart 0), as a legal text wants; without, Word
    restarts it in every chapter and the reader sees 第一条 twice. Items restart per
    article through a new num with a startOverride."""
    d = Doc()
    article = dict(ARTICLE, text="第%2条")
    if continuous:
        article["restart"] = 0
    d.abstract(1, [{"fmt": "chineseCounting", "text": "第%1章", "suff": "space"}, article])
    d.abstract(2, ITEMS)
    n = d.num(1, 1)
    d.p(title, style="Title")
    d.p("总则", num=n, ilvl=0)
    d.p("为提高会议效率，制定本办法。", num=n, ilvl=1)
    d.p("本办法所称会议包括下列会议：", num=n, ilvl=1)
    items = d.num(2, 2)
    d.p("总经理办公会；", num=items)
    d.p("部门例会。", num=items)
    d.p("会议组织", num=n, ilvl=0)
    d.p("会议通知应当载明下列事项：", num=n, ilvl=1)
    items = d.num(3, 2, restart={0: 1})
    d.p("会议时间；", num=items)
    d.p("会议议题。", num=items)
    d.p("会议纪要由行政部负责整理。本办法自2025年1月1日起施行。", num=n, ilvl=1)
    return d.save(path)


def hand_typed(path: Path) -> Path:
    d = Doc()
    d.p("印章管理办法", center=True)
    for t in ("第一章　总　则", "第一条　为加强印章管理，防范用印风险，制定本办法。",
              "第二条　本办法所称印章，包括公章、合同专用章和财务专用章。",
              "第二章　用　印", "第三条　用印应当履行审批手续。",
              "需要外带印章的，应当经总经理批准。",
              "第四条　用印登记簿应当载明用印事由、份数和经办人。",
              "第三章　附　则", "第五条　本办法由行政部负责解释。",
              "第六条　本办法自2025年5月1日起施行。"):
        d.p(t)
    return d.save(path)


def mixed(path: Path) -> Path:
    """Articles numbered by a paragraph style that carries numbering, typed chapters, a
    typed 第三条之一 between automatic articles, hand-typed items."""
    d = Doc()
    d.abstract(1, [dict(ARTICLE, style="ListNumber")])
    n = d.num(1, 1)
    d.style_numbering("List Number", n)
    d.p("档案管理办法", style="Title")
    d.p("第一章　总则", style="Heading 2")
    d.p("为规范档案的收集、整理和利用，制定本办法。", style="List Number")
    d.p("本办法适用于公司各部门形成的文件材料。", style="List Number")
    d.p("档案按照下列类别整理：", style="List Number")
    d.p("（一）文书档案；")
    d.p("（二）合同档案；")
    d.p("（三）财务档案。")
    d.p("第三条之一　电子文件与纸质文件同等归档。")
    d.p("第二章　利用", style="Heading 2")
    d.p("借阅档案应当登记。", style="List Number")
    d.p("本办法自2025年3月1日起施行。", style="List Number")
    return d.save(path)


def item_levels(path: Path) -> Path:
    """（一） / 1. / （1） as a three-level automatic list inside hand-typed articles."""
    d = Doc()
    d.abstract(1, ITEMS)
    n = d.num(1, 1)
    d.p("采购管理办法", style="Title")
    d.p("第一条　为规范采购行为，制定本办法。")
    d.p("第二条　采购分为下列方式：")
    d.p("公开询价：", num=n, ilvl=0)
    d.p("金额在五万元以上的；", num=n, ilvl=1)
    d.p("有三家以上供应商的。", num=n, ilvl=1)
    d.p("单一来源采购；", num=n, ilvl=0)
    d.p("紧急采购：", num=n, ilvl=0)
    d.p("发生自然灾害的；", num=n, ilvl=1)
    d.p("生产停工待料，且：", num=n, ilvl=1)
    d.p("库存不足三日用量；", num=n, ilvl=2)
    d.p("无替代物料。", num=n, ilvl=2)
    d.p("第三条　本办法自2025年2月1日起施行。")
    return d.save(path)


def inserted(path: Path) -> Path:
    d = Doc()
    d.p("保密管理规定", style="Title")
    for t in ("第一条　为保守公司商业秘密，制定本规定。", "第二条　员工应当遵守保密义务。",
              "第二条之一　离职员工在离职后二年内仍负保密义务。",
              "第二条之二　违反前款规定的，公司依法追究责任。",
              "第三条　涉密文件应当加锁保管。", "第四条　本规定自2025年6月1日起施行。"):
        d.p(t)
    return d.save(path)


def merged_table(path: Path) -> Path:
    d = Doc()
    d.p("差旅费管理办法", style="Title")
    d.p("第一条　为规范差旅费开支，制定本办法。")
    d.p("第二条　住宿费标准如下表：")
    t = d.doc.add_table(rows=3, cols=3)
    for r, row in enumerate((("职级", "一线城市", "其他城市"), ("高级管理人员", "800元", "600元"),
                             ("其他员工", "500元", "400元"))):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    t.cell(1, 2).merge(t.cell(2, 2))  # a vertical merge
    d.p("第三条　本办法自2025年1月1日起施行。")
    return d.save(path)


def title_block(path: Path) -> Path:
    """A 题注 with 发文字号 and dates, the interpreting department and a replaced policy."""
    d = Doc()
    d.p("考勤管理办法", style="Title")
    d.p("（2025年8月15日总经理办公会审议通过　华衡人〔2025〕12号印发）", center=True)
    d.p("第一章　总则", style="Heading 2")
    d.p("第一条　为规范员工考勤，制定本办法。")
    d.p("第二条　本办法适用于公司全体员工。")
    d.p("第二章　附则", style="Heading 2")
    d.p("第三条　本办法由人力资源部负责解释。")
    d.p("第四条　本办法自2025年9月1日起施行。原《考勤暂行规定》同时废止。")
    return d.save(path)


def traditional(path: Path) -> Path:
    d = Doc()
    d.p("香港辦事處費用管理辦法", style="Title")
    for t in ("第一章　總則", "第一條　為規範香港辦事處的費用開支，制定本辦法。",
              "第二條　本辦法適用於香港辦事處全體員工。", "第二章　附則",
              "第三條　本辦法由辦事處行政組負責解釋。", "第四條　本辦法自2025年10月1日起施行。"):
        d.p(t)
    return d.save(path)


def tracked(path: Path) -> Path:
    d = Doc()
    d.p("值班管理办法", style="Title")
    d.p("第一条　为做好节假日值班工作，制定本办法。")
    d.raw('<w:r><w:t xml:space="preserve">第二条　值班人员应当</w:t></w:r>'
          '<w:del w:id="1" w:author="审核人" w:date="2025-01-02T00:00:00Z"><w:r><w:delText>按时</w:delText></w:r></w:del>'
          '<w:ins w:id="2" w:author="审核人" w:date="2025-01-02T00:00:00Z"><w:r><w:t>提前十分钟</w:t></w:r></w:ins>'
          '<w:r><w:t>到岗。</w:t></w:r>'
          '<w:moveFrom w:id="3" w:author="审核人" w:date="2025-01-02T00:00:00Z"><w:r><w:t>（已移至第三条）</w:t></w:r></w:moveFrom>')
    d.p("第三条　本办法自2025年1月1日起施行。")
    return d.save(path)


def commented(path: Path) -> Path:
    d = Doc()
    d.p("访客管理办法", style="Title")
    p = d.p("第一条　为加强访客管理，制定本办法。")
    d.doc.add_comment(p.runs, text="请法务部确认措辞", author="审核人")
    d.p("第二条　本办法自2025年1月1日起施行。")
    return d.save(path)


def with_image(path: Path) -> Path:
    d = Doc()
    d.p("消防安全管理办法", style="Title")
    d.p("第一条　为做好消防安全工作，制定本办法。")
    d.p("第二条　疏散路线见下图。")
    d.doc.add_picture(BytesIO(png()))
    d.p("第三条　本办法自2025年1月1日起施行。")
    return d.save(path)


def thousand(path: Path) -> Path:
    """105 articles on chineseCountingThousand (一百〇五); from the 51st on they are
    paragraphs of a second num of the same list, which continues the count."""
    d = Doc()
    d.abstract(1, [dict(ARTICLE, fmt="chineseCountingThousand")])
    first, second = d.num(1, 1), d.num(2, 1)
    d.p("信息系统运行维护规程", style="Title")
    for i in range(1, 106):
        d.p(f"运行维护事项{i}应当按计划完成。" if i < 105 else "本规程自2025年1月1日起施行。",
            num=first if i <= 50 else second)
    return d.save(path)
