"""An imported policy in our Markdown: front matter, then headings (numbers left to the
build where the source counts regularly), ``§{label}`` articles (``§+`` for 第N条之一; the
number typed as in the source where it does not follow on), 款 as paragraphs, （一） 项 and
1. 目 as ordered lists, tables, and citations of articles turned into references
(``[[#label]]``, ``[[ID#label]]``).

Labels: a standard article gets an English name for its topic (purpose, basis, scope,
definitions, principles, interpretation, effective, repeal); any other the toneless pinyin
of the first four characters of its first clause in pairs (``baoxiao-shenpi``), with -2,
-3 for repeats: words an editor can read and that do not change when articles move.
"""
from __future__ import annotations

import re

from handbook_gen.core.numerals import (InsertedNumber, article_name, inserted_after,
                                        parse_article_key)
from handbook_gen.markdown.citations import Quotes, prose_citations
from handbook_gen.search.pinyin import syllables
from handbook_gen.word.structure import Node

_TOPICS = (
    ("purpose", re.compile(r"^为(?:了)?.{0,200}?(?:制定|修订)本"), 0),
    ("basis", re.compile(r"^(?:根据|依据).{0,200}?(?:制定|修订)本"), 0),
    ("scope", re.compile(r"适用于|适用范围"), 30),
    ("definitions", re.compile(r"^本.{0,4}所称"), 0),
    ("principles", re.compile(r"(?:遵循|坚持).{0,30}原则"), 30),
    ("interpretation", re.compile(r"负责解释"), 0),
    ("effective", re.compile(r"起(?:施行|执行|实施|生效)"), 0),
    ("repeal", re.compile(r"废止"), 0),
)
_LEADING = re.compile(r"^(?:本(?:办法|制度|规定|细则|规则|条例|准则|规程|守则|方案)(?:所称)?|公司|各|对于|对|在|凡|"
                      r"经|由|如|若)+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_STOP = set("的应按由和与及是在对将须必可不本给向为")
"""Characters that end the words a label is made of (员工报销费用应当… -> yuangong-baoxiao)."""


def make_label(text: str, used: set[str]) -> str:
    """The label of an article from its first words (see the module docstring)."""
    label = ""
    for name, pattern, within in _TOPICS:
        found = pattern.search(text[:within] if within else text)
        if found and (within or pattern.pattern.startswith("^") or len(text) <= 80):
            label = name
            break
    if not label:
        clause = re.split(r"[，。；：:、,（(]", _LEADING.sub("", text), maxsplit=1)[0]
        han = "".join(_HAN.findall(clause)) or "".join(_HAN.findall(text))
        stop = next((i for i, c in enumerate(han) if i >= 2 and c in _STOP), None)
        han = han[:min(stop or 4, 4)]
        syl = list(syllables(han)) if han else []
        label = "-".join("".join(syl[i:i + 2]) for i in range(0, len(syl), 2)) or "tiao"
        label = re.sub(r"[^a-z0-9-]", "", label) or "tiao"
    candidate, n = label, 1
    while candidate in used:
        n += 1
        candidate = f"{label}-{n}"
    used.add(candidate)
    return candidate


_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~&$])")
_LEAD_LIST = re.compile(r"^(\d{1,9})([.)])")
_LEAD_ARTICLE = re.compile(r"^第(?=[〇零一二三四五六七八九十百千两0-9]+条)")


def escape(text: str, start: bool = True) -> str:
    """Text that Markdown shows as written: ASCII punctuation escaped, and at the start of
    a block nothing that would make it a list, heading, article (§, 第N条) or fence."""
    out = _ESCAPE.sub(r"\\\1", text)
    if not start:
        return out
    out = _LEAD_LIST.sub(r"\1\\\2", out)
    if out[:1] in "-+=:" and out:
        out = "\\" + out
    if out.startswith("§"):
        out = "&#167;" + out[1:]
    return _LEAD_ARTICLE.sub("&#31532;", out)


class Citations:
    """Turns the prose citations of one document's text into references; what it cannot
    resolve stays text and is recorded."""

    def __init__(self, labels: dict, paragraphs: dict, own_title: str, policies: dict,
                 note):
        self.labels, self.paragraphs, self.own_title = labels, paragraphs, own_title
        self.policies = policies
        """title -> (id, {number: label or None}, {number: paragraphs})."""
        self.note = note
        self.local = self.other = 0

    def convert(self, text: str, node: Node, start: bool = True) -> str:
        """`text` escaped for Markdown, its resolvable citations as references
        (``本办法第五条`` -> ``本办法[[#label]]``, which shows the same words)."""
        out: list[str] = []
        pos = 0
        for c in prose_citations(text, Quotes()):
            if c.quoted:
                continue
            raw = text[c.start:c.end]
            number = int(c.key) if c.key.isdigit() else parse_article_key(c.key)
            ref = self._ref(c, raw, number, node, continuation=raw.startswith("第"))
            if ref is None:
                continue
            head = raw[:raw.index("第")] if c.kind == "local" else ""
            out.append(escape(text[pos:c.start] + head, start and pos == 0))
            out.append(ref)
            pos = c.end
        out.append(escape(text[pos:], start and pos == 0))
        return "".join(out)

    def _ref(self, c, raw: str, number, node: Node, continuation: bool) -> str | None:
        para = f".{c.paragraph}" if c.paragraph else ""
        if c.kind == "local" or c.target == self.own_title:
            if number not in self.labels:
                self.note("HB504", "citation '{text}' stays text: this document has no {article}",
                          node.block, text=raw, article=article_name(number))
                return None
            if c.paragraph and c.paragraph > self.paragraphs.get(number, 1):
                self.note("HB504", "citation '{text}' stays text: {article} has no paragraph "
                          "{para}", node.block, text=raw, article=article_name(number),
                          para=c.paragraph)
                return None
            self.local += 1
            anchor = self.labels[number] or article_name(number)
            if c.kind == "local":
                return f"[[#{anchor}{para}]]"
            return f"[[#{anchor}{para}|{escape(raw, False)}]]"
        target = self.policies.get(c.target)
        if target is None:
            self.note("HB505", "《{title}》 is not a policy of the handbook: '{text}' stays text",
                      node.block, title=c.target, text=raw)
            return None
        pid, labels, paragraphs = target
        if number not in labels or (c.paragraph and c.paragraph > paragraphs.get(number, 1)):
            self.note("HB504", "citation '{text}' stays text: {policy} has no such article or "
                      "paragraph", node.block, text=raw, policy=pid)
            return None
        self.other += 1
        anchor = labels[number] or article_name(number)
        if continuation:
            return f"[[{pid}#{anchor}{para}|{escape(raw, False)}]]"
        return f"[[{pid}#{anchor}{para}]]"


def expected_article(number: int, last: int) -> str | None:
    """'§' or '§+' when `number` is what the build would give the next article after
    `last` (0 for none), else None (the number must be typed)."""
    if type(number) is InsertedNumber:
        return "§+" if last and number == inserted_after(last) else None
    return "§" if number == int(last) + 1 else None
