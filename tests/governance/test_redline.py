"""The 修订对照表 of one revision (governance.redline): rows by article identity, the
character-level redline, notes, and article timelines; on articles parsed from Markdown."""
from __future__ import annotations

from handbook_gen.governance import redline
from handbook_gen.markdown.document import parse_document


def articles(*items: str, pid: str = "OP-011", version: str = "1.0"):
    """The articles of a policy whose body is one article per item ('§{label} text' or
    '§ text' for an unlabelled one)."""
    body = "".join(f"{item}\n\n" for item in items)
    text = (f"---\nid: {pid}\ntitle: 费用报销管理办法\nowner: FIN\nstatus: active\n"
            f"effective: 2025-01-01\nversion: \"{version}\"\n---\n{body}")
    doc = parse_document("policies/01-general/exp.md", text.encode())
    assert not [d for d in doc.diagnostics if d.severity == "error"], doc.diagnostics
    return doc.body.articles


def table(old, new, summary=None):
    return redline.rows(old, new, lambda a: a.text, lambda a: a.text, summary)


def brief(rows):
    """(kind, 第N条→第M条, notes) per row."""
    return [(r.kind, r.numbers, r.notes) for r in rows]


V1 = ("§{purpose} 为规范费用报销，制定本办法。",
      "§{scope} 本办法适用于公司全体员工。",
      "§{limit} 单笔报销金额超过五千元的，须经部门负责人审批。",
      "§{deadline} 报销应当在费用发生后三十日内提出。")


# ---- alignment --------------------------------------------------------------------

def test_insertion_renumbers_the_articles_after_it():
    new = V1[:2] + ("§{receipts} 报销单据应当真实、完整。",) + V1[2:]
    rows = table(articles(*V1), articles(*new, version="2.0"))
    assert brief(rows) == [
        ("未修改", "第一条", ()),
        ("未修改", "第二条", ()),
        ("新增", "第三条", ("新增条文",)),
        ("调整", "第三条→第四条", ("条文顺延",)),
        ("调整", "第四条→第五条", ("条文顺延",)),
    ]
    assert [r.id for r in rows] == ["n-purpose", "n-scope", "n-receipts", "n-limit",
                                    "n-deadline"]
    assert rows[2].old_html == "" and rows[2].new_html == "报销单据应当真实、完整。"


def test_deletion_has_its_own_row_after_the_article_it_followed():
    new = (V1[0], V1[1], V1[3])
    rows = table(articles(*V1), articles(*new), "删除原第三条")
    assert brief(rows) == [
        ("未修改", "第一条", ()),
        ("未修改", "第二条", ()),
        ("删除", "第三条", ("删除条文", "删除原第三条")),
        ("调整", "第四条→第三条", ("条文序号前移",)),
    ]
    assert rows[2].id == "o-limit" and rows[2].new_html == ""
    assert rows[2].old_html == "单笔报销金额超过五千元的，须经部门负责人审批。"


def test_changed_article_gets_a_character_redline_and_its_summary_clause():
    new = V1[:2] + ("§{limit} 单笔报销金额超过一万元的，须经部门负责人和财务部审批。",) + V1[3:]
    rows = table(articles(*V1), articles(*new), "第三条提高审批金额；新增第五条")
    assert brief(rows)[2] == ("修改", "第三条", ("第三条提高审批金额",))
    assert rows[2].old_html == "单笔报销金额超过<del>五千</del>元的，须经部门负责人审批。"
    assert rows[2].new_html == "单笔报销金额超过<ins>一万</ins>元的，须经部门负责人<ins>和财务部</ins>审批。"


def test_moved_and_retitled_article_keeps_its_identity():
    # the deadline article moves before the limit and goes into a new chapter
    old = ("## 总则", *V1[:2], "## 审批", V1[2], V1[3])
    new = ("## 总则", *V1[:2], "## 时限", V1[3], "## 审批", V1[2])
    rows = table(articles(*old), articles(*new))
    assert brief(rows) == [
        ("未修改", "第一条", ()),
        ("未修改", "第二条", ()),
        ("调整", "第四条→第三条", ("条文位置调整", "移至第二章 时限")),
        ("调整", "第三条→第四条", ("条文顺延", "移至第三章 审批")),
    ]


def test_unlabelled_articles_are_aligned_by_similarity_and_flagged():
    old = ("§ 为规范费用报销，制定本办法。", "§ 本办法适用于公司全体员工。",
           "§ 单笔报销金额超过五千元的，须经部门负责人审批。")
    new = ("§ 为规范费用报销，制定本办法。", "§ 报销单据应当真实、完整，不得虚报。",
           "§ 本办法适用于公司全体员工和劳务派遣人员。",
           "§ 单笔报销金额超过五千元的，须经部门负责人审批。")
    rows = table(articles(*old), articles(*new))
    assert brief(rows) == [
        ("未修改", "第一条", ("按相似度对齐",)),
        ("新增", "第二条", ("新增条文",)),
        ("修改", "第二条→第三条", ("条文顺延", "按相似度对齐")),
        ("调整", "第三条→第四条", ("条文顺延", "按相似度对齐")),
    ]
    assert [r.by_similarity for r in rows] == [True, False, True, True]
    assert rows[2].new_html == "本办法适用于公司全体员工<ins>和劳务派遣人员</ins>。"


def test_unlabelled_article_rewritten_beyond_recognition_is_deleted_and_added():
    old = ("§ 为规范费用报销，制定本办法。", "§ 差旅费按公司差旅标准报销。")
    new = ("§ 为规范费用报销，制定本办法。", "§ 本办法由财务部负责解释，自发布之日起施行。")
    assert [r.kind for r in table(articles(*old), articles(*new))] == ["未修改", "删除", "新增"]


def test_traditional_text():
    old = ("§{scope} 本辦法適用於香港辦事處全體員工。", "§{limit} 單筆報銷金額超過五千港元的，須經主任審批。")
    new = ("§{scope} 本辦法適用於香港辦事處全體員工及實習生。",
           "§{limit} 單筆報銷金額超過一萬港元的，須經主任審批。")
    rows = table(articles(*old), articles(*new))
    assert [r.kind for r in rows] == ["修改", "修改"]
    assert rows[0].new_html == "本辦法適用於香港辦事處全體員工<ins>及實習生</ins>。"
    assert rows[1].old_html == "單筆報銷金額超過<del>五千</del>港元的，須經主任審批。"


def test_summary_clause_names_articles_exactly():
    new = V1 + ("§{audit} 财务部每季度抽查报销单据。",)
    rows = table(articles(*V1), articles(*new),
                 "新增第五条，第十五条不变；在第四条之后不设第四条之一。"
                 "原第二条至第四条依次顺延")
    assert rows[-1].notes == ("新增条文", "新增第五条")
    assert [r.notes for r in rows[:-1]] == [(), (), (), ()]


# ---- the redline ------------------------------------------------------------------

def test_redline_diffs_characters_not_words():
    old, new = redline.redline("经部门负责人审批", "经分管副总经理审批")
    assert old == "经<del>部门负责人</del>审批"
    assert new == "经<ins>分管副总经理</ins>审批"


def test_tiny_equal_runs_between_changes_are_merged():
    # 的 alone between two changes would scatter the redline
    segments = redline.diff("甲乙的丙丁", "戊己的庚辛")
    assert segments == [("-", "甲乙的丙丁"), ("+", "戊己的庚辛")]
    # a longer run shared between two small changes stays
    assert redline.diff("一、报销应当在三十日内提出，二", "甲、报销应当在三十日内提出，乙") == [
        ("-", "一"), ("+", "甲"), ("=", "、报销应当在三十日内提出，"), ("-", "二"), ("+", "乙")]


def test_redline_escapes_html_and_keeps_line_breaks():
    old, new = redline.redline("<b>甲</b>\n乙", "<b>甲</b>\n丙")
    assert old == "&lt;b&gt;甲&lt;/b&gt;<br><del>乙</del>"
    assert new == "&lt;b&gt;甲&lt;/b&gt;<br><ins>丙</ins>"


def test_long_changed_run_beyond_the_cap_is_aligned_by_clauses_then_whole():
    a = "，".join(f"第{i}项内容甲" for i in range(400))
    b = a.replace("第7项内容甲", "第7项内容乙").replace("第390项内容甲", "第390项内容乙")
    assert len(a) * len(b) > redline.CHAR_CAP  # one sentence: clauses align it
    segments = redline.diff(a, b)
    assert [s for s in segments if s[0] != "="] == [("-", "甲"), ("+", "乙"), ("-", "甲"),
                                                     ("+", "乙")]
    # no unit to align by: shown deleted and inserted whole (bounded cost)
    x, y = "甲乙" * 1000, "乙甲" * 1000
    assert redline.diff(x, y) == [("-", x), ("+", y)]


def test_diff_of_equal_and_empty_texts():
    assert redline.diff("", "") == []
    assert redline.diff("甲", "甲") == [("=", "甲")]
    assert redline.diff("", "乙") == [("+", "乙")]
    assert redline.diff("甲", "") == [("-", "甲")]


# ---- timelines -------------------------------------------------------------------

def test_timeline_follows_each_article_through_versions():
    v1 = articles(*V1)
    v2 = articles(*V1[:2], "§{receipts} 报销单据应当真实、完整。",
                  "§{limit} 单笔报销金额超过一万元的，须经部门负责人审批。", V1[3])
    v3 = articles(V1[0], "§{receipts} 报销单据应当真实、完整，不得虚报。",
                  "§{limit} 单笔报销金额超过一万元的，须经部门负责人审批。", V1[3])
    t2, t3 = table(v1, v2), table(v2, v3)
    current, deleted = redline.timelines([t2, t3], v1)

    def events(a):
        return [(e.what, e.version, e.row) for e in current[id(a)]]

    assert events(v3[0]) == [("新增", 0, "")]
    assert events(v3[1]) == [("新增", 1, "n-receipts"), ("修改", 2, "n-receipts")]
    assert events(v3[2]) == [("新增", 0, ""), ("修改", 1, "n-limit")]
    assert events(v3[3]) == [("新增", 0, "")]  # renumbered only: no event
    assert [(a.label, [(e.what, e.version, e.row) for e in ev]) for a, ev in deleted] == [
        ("scope", [("新增", 0, ""), ("删除", 2, "o-scope")])]


def test_counts():
    new = V1[:2] + ("§{receipts} 报销单据应当真实、完整。",) + V1[2:]
    assert redline.counts(table(articles(*V1), articles(*new))) == {
        "修改": 0, "新增": 1, "删除": 0, "调整": 2, "未修改": 2}


def test_a_change_in_reference_numbers_only_is_noted():
    old = articles(*V1[:3], "§{deadline} 报销应当在三十日内提出，依照[[#limit]]审批。")
    new = articles(*V1[:2], "§{receipts} 报销单据应当真实、完整。", V1[2],
                   "§{deadline} 报销应当在三十日内提出，依照[[#limit]]审批。")
    # the texts as shown: references filled with each version's own numbering
    shown = {id(a): a.text.replace("\ufdd00\ufdd1", f"第{'三' if a in old else '四'}条")
             for a in (*old, *new)}
    rows = redline.rows(old, new, lambda a: shown[id(a)], lambda a: shown[id(a)])
    assert brief(rows)[-1] == ("修改", "第四条→第五条", ("条文顺延", "引用条号随之调整"))
    assert rows[-1].new_html == "报销应当在三十日内提出，依照第<ins>四</ins>条审批。"


def test_long_unlabelled_text_amended_throughout_stays_aligned():
    # 60 x 61 pairs is beyond versions.MAX_PAIRS: compared only near their places
    texts = [f"§ {'甲乙丙丁戊己庚辛壬癸'[k % 10]}类事项第{k}项由{'财务部人事部行政部'[k % 3 * 3:k % 3 * 3 + 3]}"
             f"在{k + 3}个工作日内办结，逾期{k}日以上的报总经理。" for k in range(60)]
    amended = [t.replace("办结", "办理完毕") for t in texts]
    rows = table(articles(*texts), articles(*amended[:3], "§ 新增的条文：各部门应当建立台账。",
                                            *amended[3:]))
    assert redline.counts(rows) == {"修改": 60, "新增": 1, "删除": 0, "调整": 0, "未修改": 0}
    assert rows[10].numbers == "第十条→第十一条" and "按相似度对齐" in rows[10].notes


def test_revision_page_groups_count_unchanged_and_join_renumbered_runs():
    from handbook_gen.governance.versionpages import _groups
    new = V1[:2] + ("§{receipts} 报销单据应当真实、完整。",) + V1[2:]
    groups = _groups(table(articles(*V1), articles(*new, version="2.0")))
    assert [(g["kind"], g.get("label"), g.get("count")) for g in groups] == [
        ("same", "第一条至第二条", 2),
        ("新增", None, None),
        ("shift", "原第三条至第四条依次改为第四条至第五条", 2)]
    assert groups[2]["notes"] == ("条文顺延",)
    # a single renumbered article keeps its row with both texts
    one = V1[:3] + ("§{receipts} 报销单据应当真实、完整。",) + V1[3:]
    groups = _groups(table(articles(*V1), articles(*one, version="2.0")))
    assert [(g["kind"], g.get("numbers")) for g in groups][-1] == ("调整", "第四条→第五条")
    assert groups[-1]["old_html"] == groups[-1]["new_html"] == "报销应当在费用发生后三十日内提出。"
