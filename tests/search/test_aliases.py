"""Policy aliases: the abbreviations derived from titles (search/aliases.py) and the
`aliases:` front-matter key (typed, validated with HB116 at the entry's line and column)."""
from __future__ import annotations

import json

import pytest

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.search.aliases import derived_aliases, policy_aliases
from handbook_gen.source.frontmatter import parse_policy_meta
from handbook_gen.source.reader import SourceFile


@pytest.mark.parametrize("title, expected", [
    ("中华人民共和国社会保险法", ("社会保险法", "社保法")),
    ("中华人民共和国个人所得税法", ("个人所得税法", "个税法")),
    ("中华人民共和国个人所得税法实施条例", ("个人所得税法实施条例", "个税法实施条例")),
    ("招标投标法", ("招投标法",)),
    ("中华人民共和国数据安全法", ("数据安全法", "数安法")),
    ("上海市产品质量条例", ("上海产品质量条例", "产品质量条例")),
    ("上海口岸服务条例", ("口岸服务条例",)),
    ("广东省广州市城市管理条例", ("广州城市管理条例", "城市管理条例")),
    ("北京市实施《中华人民共和国工会法》办法", ("北京市工会法实施办法", "北京工会法实施办法", "工会法实施办法")),
    ("上海市公共场所控制吸烟条例", ("上海市控烟条例", "上海公共场所控制吸烟条例", "上海控烟条例", "沪控烟条例",
                                 "公共场所控制吸烟条例", "控烟条例")),
    ("中国（山东）自由贸易试验区条例", ("山东自由贸易试验区条例", "山东自贸区条例", "山东自贸试验区条例", "鲁自贸区条例",
                                   "鲁自贸试验区条例", "自由贸易试验区条例", "自贸区条例", "自贸试验区条例")),
    ("浙江省保障“最多跑一次”改革规定", ("浙江省最多跑一次规定", "浙江保障“最多跑一次”改革规定", "浙江最多跑一次规定",
                                   "浙最多跑一次规定", "保障“最多跑一次”改革规定", "最多跑一次规定")),
    ("深圳经济特区中医药条例", ("深圳中医药条例", "中医药条例")),
    ("华衡科技有限公司费用报销管理办法", ("费用报销管理办法",)),
    ("上海市招标投标条例（试行）", ("上海市招标投标条例", "上海市招投标条例", "上海招标投标条例", "上海招投标条例",
                                "沪招投标条例", "招标投标条例", "招投标条例")),
    # nothing to drop: a word starting with 市, a subsidiary, a title that is all generic
    ("农贸市场管理条例", ()), ("子公司管理办法", ()), ("费用报销管理办法", ()), ("上海市管理办法", ("上海管理办法",)),
])
def test_derived_aliases(title, expected):
    assert derived_aliases(title) == expected


def test_declared_aliases_come_first_without_repeats():
    assert policy_aliases("中华人民共和国社会保险法", ["社保法", "旧社会保险法"]) == ("社保法", "旧社会保险法", "社会保险法")


def meta(yaml_text: str):
    diags = Diagnostics()
    src = SourceFile("policies/01-a/a.md", "---\n" + yaml_text + "---\n")
    m = parse_policy_meta(src, yaml_text, diags)
    return m, [(d.code, str(d.location), d.message) for d in diags.items]


BASE = 'id: QM-001\ntitle: 质量制度\nowner: QA\nstatus: active\neffective: 2025-03-01\nversion: "2.1"\n'


def test_aliases_key():
    m, diags = meta(BASE + "aliases: [质量规定, 品质制度]\n")
    assert m.aliases == ("质量规定", "品质制度") and diags == []
    m, diags = meta(BASE + "aliases: 质量规定\n")  # one name
    assert m.aliases == ("质量规定",) and diags == []
    assert meta(BASE)[0].aliases == ()


def test_bad_aliases_are_reported_where_they_are_and_left_out():
    m, diags = meta(BASE + "aliases:\n  - 质量规定\n  - ''\n  - 质量制度\n  - 质量规定\n  - [x]\n")
    assert m is not None and m.aliases == ("质量规定",)
    assert sorted((loc, c) for c, loc, _ in diags) == [
        ("policies/01-a/a.md:10:5", "HB116"), ("policies/01-a/a.md:11:5", "HB116"),
        ("policies/01-a/a.md:12:5", "HB116"), ("policies/01-a/a.md:13:5", "HB103")]
    m, diags = meta(BASE + "aliases: {a: b}\n")
    assert m.aliases == () and [c for c, _, _ in diags] == ["HB103"]


def test_an_alias_another_policy_answers_to_is_reported(project):
    from helpers import policy
    project.write("01-general/a.md", policy("GN-001", title="印章管理办法",
                                            extra="aliases: [用印办法, 档案管理办法]\n"))
    project.write("01-general/b.md", policy("GN-002", title="档案管理办法",
                                            extra="aliases: [用印办法, 档案规定]\n"))
    project.write("01-general/c.md", policy("GN-003", title="会议管理办法",
                                            extra="aliases: [会议规定]\n"))
    r = project.run("check", str(project.src), "--format", "json")
    found = sorted((d["code"], d["path"], d["line"], d["message"]) for d in
                   (json.loads(line) for line in r.output.splitlines() if line.startswith("{"))
                   if d["code"] == "HB117")
    assert [(c, f.rsplit("/", 1)[1], line) for c, f, line, _ in found] == [
        ("HB117", "a.md", 8), ("HB117", "a.md", 8), ("HB117", "b.md", 8)]  # the aliases: line
    assert "档案管理办法" in found[0][3] + found[1][3] and "GN-002" in found[0][3] + found[1][3]
    assert r.exit_code == 0  # a warning
