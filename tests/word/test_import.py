"""handbook import: Word and text policies in, article numbers exactly as in the source.

The .docx fixtures are written by tests/word/docx_fixtures.py (python-docx + raw numbering
XML); all of them and two text policies are imported in one run into a small handbook,
which is then built: every policy page must show the source's article numbers."""
from __future__ import annotations

import json
import re
import sys

import pytest

from handbook_gen.word.numfmt import format_number, read_number
import docx_fixtures as fx
from helpers import Project, policy

HANDBOOK = """\
title: 测试汇编
departments:
  - id: GMO
    name: 总经理办公室
  - id: ADM
    name: 行政部
    parent: GMO
  - id: HR
    name: 人力资源部
    parent: GMO
"""

LEGAL_TXT = """\
员工培训管理办法
第一章　总　则
第一条　为提高员工素质，规范培训管理，制定本办法。
第二条　本办法适用于公司全体员工。
第二章　培训组织
第三条　培训分为下列类型：
（一）入职培训；
（二）岗位培训；
（三）管理培训。
第四条　培训费用的报销依照《员工奖惩办法》第二条和本办法第三条执行；《劳动合同法》另有规定的，从其规定。
员工违反本办法第九十条的，不予报销。
第三章　附　则
第五条
本办法由人力资源部负责解释。
第六条　本办法自2025年4月1日起施行。
"""

OUTLINE_TXT = """\
办公用品领用须知
一、领用范围
办公用品包括文具、耗材和小型办公设备。
二、领用程序
（一）填写领用单
领用人填写领用单，注明品名和数量。
（二）审批
部门负责人审批后到行政部领取。
"""

EXPECTED = {  # fixture -> the article numbers its reader sees
    "auto_articles": [f"第{n}条" for n in "一二三四五六七八九十"] + ["第十一条", "第十二条"],
    "restart_continuous": ["第一条", "第二条", "第三条", "第四条"],
    "restart_per_chapter": ["第一条", "第二条", "第一条", "第二条"],
    "hand_typed": ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条"],
    "mixed": ["第一条", "第二条", "第三条", "第三条之一", "第四条", "第五条"],
    "item_levels": ["第一条", "第二条", "第三条"],
    "inserted": ["第一条", "第二条", "第二条之一", "第二条之二", "第三条", "第四条"],
    "merged_table": ["第一条", "第二条", "第三条"],
    "title_block": ["第一条", "第二条", "第三条", "第四条"],
    "traditional": ["第一条", "第二条", "第三条", "第四条"],
    "tracked": ["第一条", "第二条", "第三条"],
    "commented": ["第一条", "第二条"],
    "with_image": ["第一条", "第二条", "第三条"],
    "legal": ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条"],
    "outline": [],
}


def _write_sources(folder):
    folder.mkdir()
    for name in EXPECTED:
        if name in ("legal", "outline", "restart_continuous", "restart_per_chapter"):
            continue
        getattr(fx, name)(folder / f"{name}.docx")
    fx.restart_per_chapter(folder / "restart_continuous.docx", True)
    fx.restart_per_chapter(folder / "restart_per_chapter.docx", False, title="例会管理办法")
    fx.thousand(folder / "thousand.docx")
    (folder / "legal.txt").write_text(LEGAL_TXT, encoding="utf-8")
    (folder / "outline.md").write_text(OUTLINE_TXT, encoding="utf-8")


def _project(tmp_path) -> Project:
    project = Project(tmp_path)
    project.write("_handbook.yaml", HANDBOOK)
    project.write("01-general/hr-001.md", policy("HR-001", "考勤暂行规定", owner="HR"))
    project.write("01-general/hr-002.md", policy(
        "HR-002", "员工奖惩办法", owner="HR",
        body="§{purpose} 为规范奖惩，制定本办法。\n\n§{training} 培训不合格的，不予晋级。\n"))
    return project


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    base = tmp_path_factory.mktemp("import")
    project = _project(base)
    _write_sources(base / "sources")
    result = project.run("import", str(base / "sources"), "--src", str(project.src),
                         "--chapter", "01-general", "--id-prefix", "IM", "--format", "json",
                         "--today", "2025-12-01")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    files = {re.sub(r"\.\w+$", "", f["source"].rsplit("/", 1)[-1]): f for f in report["files"]}
    built = project.build("--drafts", "--no-search", "--no-history", "--today", "2025-12-01")
    assert built.exit_code == 0, built.output
    return project, files


def _articles_on_page(project, pid: str) -> list[str]:
    html = project.page(f"policies/{pid.lower()}.html")
    return re.findall(r'class="article-no"[^>]*>([^<]+)<', html)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_built_pages_show_the_source_article_numbers(imported, name):
    project, files = imported
    f = files[name]
    assert f["state"] == "written" and f["articles"]["match"]
    assert f["articles"]["source"] == EXPECTED[name]
    assert _articles_on_page(project, f["id"]) == EXPECTED[name]


def test_chinese_counting_thousand_past_one_hundred(imported):
    project, files = imported
    shown = _articles_on_page(project, files["thousand"]["id"])
    assert len(shown) == 105 and shown[99:] == ["第一百条", "第一百零一条", "第一百零二条",
                                               "第一百零三条", "第一百零四条", "第一百零五条"]


def _markdown(project, f) -> str:
    return (project.src / "01-general" / f"{f['id'].lower()}.md").read_text(encoding="utf-8")


def test_structure_written_in_our_syntax(imported):
    project, files = imported
    auto = _markdown(project, files["auto_articles"])
    assert "## 总则\n" in auto and "## 使用与管理\n" in auto  # the build numbers the chapters
    assert "§{purpose} 为规范公司公务车辆的使用" in auto and "§{scope} 本办法适用于" in auto
    label = re.search(r"§\{([a-z-]+)\} 严禁公车私用", auto)[1]
    assert f"违反本办法[[#{label}]]的" in auto  # 本办法第九条 follows renumbering now
    items = _markdown(project, files["item_levels"])
    assert ("1. 公开询价：\n   1. 金额在五万元以上的；\n   2. 有三家以上供应商的。\n"
            "2. 单一来源采购；") in items
    assert "   2. 生产停工待料，且：\\\n      （1）库存不足三日用量；\\\n      （2）无替代物料。" in items
    assert re.search(r"\n§\+\{[a-z-]+\} 电子文件与纸质文件同等归档", _markdown(project, files["mixed"]))
    per_chapter = _markdown(project, files["restart_per_chapter"])
    assert "\n第一条 会议通知应当载明下列事项：" in per_chapter  # kept as typed: Word restarted
    assert "1. 会议时间；\n2. 会议议题。" in per_chapter  # startOverride restarted the items
    outline = _markdown(project, files["outline"])
    assert "## 一、领用范围" in outline and "### （一）填写领用单" in outline


def _notes(f, code):
    return [n for n in f["notes"] if n["code"] == code]


def test_front_matter_from_the_title_block(imported):
    project, files = imported
    f = files["title_block"]
    assert (f["title"], f["doc_no"], f["effective"], f["owner"], f["status"]) == (
        "考勤管理办法", "华衡人〔2025〕12号", "2025-09-01", "HR", "active")
    assert f["supersedes"] == ["HR-001"]
    text = _markdown(project, f)
    assert 'doc_no: "华衡人〔2025〕12号"' in text and "supersedes: [HR-001]" in text
    assert "本办法由[[dept:HR]]负责解释" in text
    assert "2025年8月15日" not in text  # the 题注 went into the front matter


def test_losses_are_reported_with_their_paragraph(imported):
    _, files = imported
    table = _notes(files["merged_table"], "HB506")
    assert len(table) == 1 and table[0]["kind"] == "loss" and table[0]["paragraph"] == 4
    assert "| 高级管理人员 | 800元 | 600元 400元 |\n| 其他员工 | 500元 |   |" in _markdown(
        imported[0], files["merged_table"])
    tracked = _notes(files["tracked"], "HB508")
    assert tracked[0]["paragraph"] == 3 and tracked[0]["excerpt"].startswith("第二条")
    duty = _markdown(imported[0], files["tracked"])
    assert "值班人员应当提前十分钟到岗。\n" in duty and "按时" not in duty and "已移至" not in duty
    comment = _notes(files["commented"], "HB509")
    assert comment[0]["paragraph"] == 2 and "请法务部确认措辞" in comment[0]["message"]
    image = _notes(files["with_image"], "HB507")
    assert image and image[0]["kind"] == "loss"


def test_guesses_are_reported(imported):
    _, files = imported
    trad = files["traditional"]
    owner = _notes(trad, "HB502")  # 辦事處行政組 is no registered department
    assert owner and owner[0]["paragraph"] == 6 and trad["owner"] == "HR"
    assert "办事处行政组" not in owner[0]["message"] and "辦事處行政組" in owner[0]["message"]
    assert _notes(files["restart_per_chapter"], "HB510")[0]["paragraph"] == 8
    assert files["auto_articles"]["counts"]["auto_numbered"] == 12
    assert files["auto_articles"]["counts"]["chapter"] == 3


def test_citations(imported):
    project, files = imported
    legal = files["legal"]
    text = _markdown(project, legal)
    assert "依照[[HR-002#training]]和本办法[[#" in text
    assert "《劳动合同法》另有规定的" in text  # not a policy of the handbook: text
    assert "员工违反本办法第九十条的" in text
    assert [n["paragraph"] for n in _notes(legal, "HB504")] == [11]
    assert "§{interpretation} 本办法由[[dept:HR]]负责解释。" in text  # 第五条 alone on its line
    assert legal["counts"]["citations_other"] == 1 and legal["counts"]["citations_local"] == 1


def test_the_handbook_checks_clean_after_import(imported):
    project, _ = imported
    result = project.check()
    assert result.exit_code == 0, result.output
    assert "error[" not in result.output


def test_refusals_dry_run_and_force(tmp_path):
    project = _project(tmp_path)
    source = fx.hand_typed(tmp_path / "seal.docx")
    args = ("import", str(source), "--src", str(project.src), "--chapter", "01-general",
            "--id-prefix", "ADM")
    dry = project.run(*args, "--dry-run")
    assert dry.exit_code == 0 and not (project.src / "01-general" / "adm-001.md").exists()
    assert "试运行" in dry.output
    assert project.run(*args).exit_code == 0
    target = project.src / "01-general" / "adm-001.md"
    first = target.read_text(encoding="utf-8")
    target.write_text(first.replace("用印应当履行审批手续", "已编辑"), encoding="utf-8")
    again = project.run(*args)
    assert again.exit_code == 2 and "--force" in again.output
    assert "已编辑" in target.read_text(encoding="utf-8")  # untouched
    forced = project.run(*args, "--force")
    assert forced.exit_code == 0 and target.read_text(encoding="utf-8") == first
    assert sorted(p.name for p in target.parent.glob("adm-*.md")) == ["adm-001.md"]
    unknown = project.run("import", str(source), "--src", str(project.src), "--chapter", "nope")
    assert unknown.exit_code == 2 and "nope" in unknown.output


def test_missing_python_docx_and_libreoffice(tmp_path, monkeypatch):
    project = _project(tmp_path)
    docx_file = fx.hand_typed(tmp_path / "seal.docx")
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setattr("handbook_gen.word.importer.soffice", lambda: None)
    result = project.run("import", str(legacy), "--src", str(project.src), "--chapter", "01-general")
    assert result.exit_code == 3 and "LibreOffice" in result.output and "另存为 .docx" in result.output
    monkeypatch.setitem(sys.modules, "docx", None)
    result = project.run("import", str(docx_file), "--src", str(project.src), "--chapter", "01-general")
    assert result.exit_code == 3 and "handbook-gen[word]" in result.output
    assert not (project.src / "01-general" / "hr-003.md").exists()
    monkeypatch.setitem(sys.modules, "lxml", None)  # text needs neither
    text = tmp_path / "training.txt"
    text.write_text(LEGAL_TXT, encoding="utf-8")
    result = project.run("import", str(text), "--src", str(project.src), "--chapter", "01-general")
    assert result.exit_code == 0, result.output
    assert (project.src / "01-general" / "hr-003.md").exists()


FAKE_SOFFICE = """#!{python}
import shutil, sys
args = sys.argv[1:]
assert "--headless" in args and args[args.index("--convert-to") + 1] == "docx", args
out, src = args[args.index("--outdir") + 1], args[-1]
# the test's .doc holds .docx bytes: converting is copying to <outdir>/<stem>.docx
shutil.copy(src, out + "/" + src.rsplit("/", 1)[-1].rsplit(".", 1)[0] + ".docx")
"""


def test_doc_and_wps_are_converted_by_libreoffice(tmp_path, monkeypatch):
    """The .doc / .wps route with a stand-in for soffice (LibreOffice itself is exercised by
    the export tests): the command line it gets and the .docx it leaves are used."""
    fake = tmp_path / "soffice"
    fake.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr("handbook_gen.word.importer.soffice", lambda: str(fake))
    project = _project(tmp_path)
    fx.inserted(tmp_path / "secret.doc")
    fx.hand_typed(tmp_path / "seal.wps")
    result = project.run("import", str(tmp_path / "secret.doc"), str(tmp_path / "seal.wps"),
                         "--src", str(project.src), "--chapter", "01-general", "--id-prefix",
                         "SEC", "--format", "json")
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert [f["articles"]["built"] for f in files] == [EXPECTED["inserted"],
                                                       EXPECTED["hand_typed"]]
    assert [f["id"] for f in files] == ["SEC-001", "SEC-002"]


@pytest.mark.parametrize("n,fmt,text", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (21, "chineseCounting", "二十一"),
    (105, "chineseCounting", "一〇五"), (105, "chineseCountingThousand", "一百〇五"),
    (110, "chineseCountingThousand", "一百一十"), (12, "chineseLegalSimplified", "壹拾贰"),
    (3, "ideographTraditional", "丙"), (11, "ideographTraditional", "甲"),
    (2, "ideographZodiac", "丑"), (105, "ideographDigital", "一〇五"),
    (12, "decimalFullWidth", "１２"), (3, "decimalEnclosedCircle", "③"), (4, "lowerRoman", "iv"),
    (28, "upperLetter", "BB"), (7, "decimalZero", "07"), (5, "bullet", ""), (9, "someFormat", "9")])
def test_word_number_formats(n, fmt, text):
    assert format_number(n, fmt) == text


@pytest.mark.parametrize("text,n", [("一〇五", 105), ("一○五", 105), ("一百〇五", 105),
                                    ("壹拾贰", 12), ("１２", 12), ("⑿", 12), ("③", 3),
                                    ("二〇二五", 2025), ("十", 10), ("条", None)])
def test_read_number(text, n):
    assert read_number(text) == n


def test_round_trip_through_export(tmp_path):
    """A policy of the sample handbook exported as .docx (real Word numbering: 第%1条 on
    chineseCountingThousand, （%1）, %1.) and imported again has the same articles (an
    inserted one among them), title and 发文字号 under the 公文 masthead, and does not
    supersede itself."""
    from pathlib import Path
    from helpers import HANDBOOK_YAML
    sample = Path(__file__).resolve().parents[2] / "policies"
    project = Project(tmp_path)
    exported = project.run("export", "OP-011", "--docx", "--src", str(sample), "--out",
                           str(tmp_path / "out"), "--issuer", "华衡科技有限公司文件",
                           "--to", "公司各部门")
    assert exported.exit_code == 0, exported.output
    project.write("_handbook.yaml", HANDBOOK_YAML)
    project.write("01-general/op-011.md", policy("OP-011", "费用报销管理办法", owner="FIN"))
    result = project.run("import", str(tmp_path / "out" / "OP-011.docx"), "--src",
                         str(project.src), "--chapter", "01-general", "--owner", "FIN",
                         "--force", "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    f = json.loads(result.stdout)["files"][0]
    from handbook_gen.scaffold import _model
    original = _model(sample).handbook.policies["OP-011"]
    from handbook_gen.core.numerals import article_name
    assert f["articles"]["built"] == [article_name(a.number) for a in original.body.articles]
    assert any("之一" in name for name in f["articles"]["built"])
    assert (f["title"], f["doc_no"]) == (original.title, original.meta.doc_no)
    assert f["id"] == "OP-011" and f["overwrites"]  # --force replaces the policy of that title
    assert f["supersedes"] == []  # its 原《费用报销管理办法…》 is not itself
    dropped = [n["excerpt"] for n in f["notes"] if n["code"] == "HB511"]
    assert dropped == ["华衡科技有限公司文件", "公司各部门："]  # the 公文's masthead, addressee


def test_ids_follow_the_chapter_without_a_prefix(tmp_path):
    project = _project(tmp_path)
    for name in ("hand_typed", "inserted"):
        getattr(fx, name)(tmp_path / f"{name}.docx")
    result = project.run("import", str(tmp_path / "hand_typed.docx"), str(tmp_path / "inserted.docx"),
                         "--src", str(project.src), "--chapter", "总则", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [f["id"] for f in json.loads(result.stdout)["files"]] == ["HR-003", "HR-004"]
