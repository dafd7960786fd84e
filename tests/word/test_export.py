"""`handbook export --docx`: real Word numbering, the 公文 first page, page numbers, the
compiled edition, a handbook's reference.docx, determinism; and the text LibreOffice
lays out from the file (PDF), which is what a reader of the copy sees."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from helpers import policy

from handbook_gen.word.export import ExportOptions, ExportRefused, export_compiled, export_policies

SAMPLE = Path(__file__).resolve().parents[2] / "policies"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

INSERTED = policy("GN-009", title="印章管理办法", body=(
    "## 总则\n\n§{purpose} 为规范印章管理，制定本办法。\n\n§{scope} 本办法适用于公司各部门。\n\n"
    "§+{seal-kinds} 印章分为公章、合同专用章和财务专用章。\n\n"
    "§{duty} 用印应当履行下列手续：\n\n1. 填写用印申请单；\n2. 部门负责人审批；\n3. 登记后用印。\n\n"
    "## 附则\n\n§{effective} 本办法自发布之日起施行。\n"), extra="doc_no: 华衡综〔2026〕3号\n")
OTHER = policy("GN-010", title="档案管理办法", body="§{purpose} 为规范档案管理，制定本办法。\n\n"
               "§{ref} 印章使用记录依照[[GN-009#duty]]归档。\n")


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        pytest.fail("LibreOffice not found: install it (apt-get install -y libreoffice-writer-nogui)")
    return path


def pdf_text(files: list[Path], out: Path) -> dict[str, str]:
    """LibreOffice's PDF of each file, as NFKC text without whitespace."""
    import pypdf
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{out}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=240)
    texts = {}
    for f in files:
        reader = pypdf.PdfReader(out / (f.stem + ".pdf"))
        text = "".join(page.extract_text() for page in reader.pages)
        texts[f.stem] = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return texts


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    base = tmp_path_factory.mktemp("export")
    from helpers import Project
    project = Project(base)
    project.write("01-general/seal.md", INSERTED)
    project.write("01-general/archive.md", OTHER)
    out = base / "out"
    options = ExportOptions(out, issuer="华衡科技有限公司文件", recipients="公司各部门")
    result, files = export_policies(project.src, ["gn-009"], options)
    assert result.ok and files == [out / "GN-009.docx"]
    sample_options = ExportOptions(out)
    _, sample = export_policies(SAMPLE, ["OP-011"], sample_options)
    _, compiled = export_compiled(project.src, ExportOptions(out / "compiled"))
    texts = pdf_text([files[0], sample[0], compiled[0]], base / "pdf")
    return {"project": project, "out": out, "policy": files[0], "sample": sample[0],
            "compiled": compiled[0], "texts": texts}


def xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode()


def test_articles_and_items_carry_word_numbering(exported):
    numbering = xml(exported["policy"], "word/numbering.xml")
    assert re.search(r'<w:numFmt w:val="chineseCountingThousand"/>.*?<w:lvlText w:val="第%1条　"/>',
                     numbering, re.S)
    assert '<w:lvlText w:val="（%1）"/>' in numbering and '<w:numFmt w:val="chineseCounting"/>' in numbering
    body = xml(exported["policy"], "word/document.xml")
    # four numbered articles (第一、二、三、四条); 第二条之一 is literal text, not numbered
    article_num = re.findall(r'<w:pStyle w:val="[^"]*"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="(\d+)"/>',
                             body)
    counts = {n: article_num.count(n) for n in set(article_num)}
    assert sorted(counts.values()) == [3, 4], counts  # 4 articles, 3 items of 第三条
    assert "第二条之一" in body and "第二条之一" not in numbering


def test_libreoffice_shows_the_source_numbers(exported):
    text = exported["texts"]["GN-009"]
    assert "第一条为规范印章管理" in text
    assert "第二条之一印章分为公章" in text
    assert "第三条用印应当履行下列手续" in text  # numbering continues after the inserted article
    assert "(一)填写用印申请单;(二)部门负责人审批;(三)登记后用印。" in text
    assert "第四条本办法自发布之日起施行" in text
    sample = exported["texts"]["OP-011"]
    at = -1
    for name, text in sample_articles("OP-011"):  # every article, in order, as the site has it
        start = name + re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))[:12]
        assert sample.find(start, at + 1) > at, start
        at = sample.find(start, at + 1)


def sample_articles(pid: str) -> list[tuple[str, str]]:
    """(第N条, its text with references as the site writes them) of a sample policy."""
    from handbook_gen.build.pipeline import BuildOptions, BuildResult, load
    from handbook_gen.core.diagnostics import Diagnostics
    from handbook_gen.core.numerals import article_name
    from handbook_gen.markdown.placeholders import fill_text
    result = BuildResult(Diagnostics())
    load(SAMPLE, BuildOptions(), result)
    p = result.handbook.policies[pid]
    links = result.links.links.get(p.path, [])
    return [(article_name(a.number), fill_text(a.text, links)) for a in p.body.articles]


def test_first_page_is_a_gongwen_masthead(exported):
    text = exported["texts"]["GN-009"]
    assert text.startswith("华衡科技有限公司文件华衡综〔2026〕3号印章管理办法公司各部门:第一章总则")
    body = xml(exported["policy"], "word/document.xml")
    assert 'w:color="FF0000"' in body  # the red line under the masthead
    styles = xml(exported["policy"], "word/styles.xml")
    assert re.search(r'w:styleId="[^"]*"[^>]*>\s*<w:name w:val="发文机关标志"/>.*?<w:color w:val="FF0000"/>',
                     styles, re.S)
    for font in ("仿宋", "黑体", "方正小标宋简体"):
        assert f'w:eastAsia="{font}"' in styles


def test_page_numbers_in_dashes_odd_right_even_left(exported):
    with zipfile.ZipFile(exported["policy"]) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
        settings = z.read("word/settings.xml").decode()
    assert len(footers) == 2 and all(" PAGE " in f and "— " in f and " —" in f for f in footers)
    assert {re.search(r'<w:jc w:val="(\w+)"/>', f)[1] for f in footers} == {"right", "left"}
    assert "<w:evenAndOddHeaders/>" in settings
    assert "—1—" in exported["texts"]["GN-009"]


def test_compiled_edition_restarts_articles_per_policy(exported):
    text = exported["texts"]["compiled"]
    assert "目录" in text
    seal = text.index("印章管理办法华衡综〔2026〕3号第一章总则第一条为规范印章管理")
    archive = text.index("档案管理办法第一条为规范档案管理")
    assert "第二条印章使用记录依照《印章管理办法》第三条归档" in text[archive:]
    assert seal != archive
    assert 'TOC \\o "1-2"' in xml(exported["compiled"], "word/document.xml")


def test_same_input_same_bytes(exported, tmp_path):
    _, again = export_policies(exported["project"].src, ["GN-009"],
                               ExportOptions(tmp_path, issuer="华衡科技有限公司文件",
                                             recipients="公司各部门"))
    assert again[0].read_bytes() == exported["policy"].read_bytes()


def test_reference_docx_overrides_styles_and_page(exported, tmp_path):
    from docx import Document
    from docx.shared import Mm, Pt
    reference = Document()
    style = reference.styles.add_style("条文", 1)
    style.font.size = Pt(12)
    reference.sections[0].left_margin = Mm(40)
    templates = exported["project"].base / "templates"
    templates.mkdir(exist_ok=True)
    reference.save(templates / "reference.docx")
    try:
        _, files = export_policies(exported["project"].src, ["GN-009"], ExportOptions(tmp_path))
    finally:
        (templates / "reference.docx").unlink()
    doc = Document(files[0])
    assert doc.styles["条文"].font.size == Pt(12)
    assert doc.styles["款"].font.size == Pt(16)  # not in the reference: ours
    assert abs(doc.sections[0].left_margin - Mm(40)) < Mm(0.1)  # twips round


def test_refusals(exported, tmp_path):
    src = exported["project"].src
    with pytest.raises(ExportRefused, match="XX-404"):
        export_policies(src, ["XX-404"], ExportOptions(tmp_path))
    with pytest.raises(ExportRefused, match="source folder"):
        export_policies(src, ["GN-009"], ExportOptions(src / "out"))
    assert not (src / "out").exists()
    r = exported["project"].run("export", "GN-009", "--src", str(src))
    assert r.exit_code == 2 and "--docx" in r.output
    r = exported["project"].run("export", "XX-404", "--docx", "--src", str(src), "--out",
                                str(tmp_path / "x"))
    assert r.exit_code == 2 and "没有编号为 XX-404 的制度" in r.output
    assert not (tmp_path / "x").exists()


PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
             "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
             "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
             "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
             "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()


def test_paragraph_properties_in_schema_order(exported):
    """Word refuses a file whose w:pPr children are out of the schema's order
    (LibreOffice does not mind, so the PDF test cannot see it)."""
    from lxml import etree
    for path in (exported["policy"], exported["compiled"]):
        for part in ("word/document.xml", "word/styles.xml", "word/numbering.xml"):
            root = etree.fromstring(xml(path, part).encode())
            for ppr in root.iter(f"{W}pPr"):
                tags = [etree.QName(c).localname for c in ppr]
                positions = [PPR_ORDER.index(t) for t in tags]
                assert positions == sorted(positions), (part, tags)


def test_round_trip_import_build_export_import(exported, tmp_path):
    """The exported file imports back into the same articles: numbers (第二条之一 included)
    and text."""
    from helpers import Project

    from handbook_gen.build.pipeline import BuildOptions, BuildResult, load
    from handbook_gen.core.diagnostics import Diagnostics

    def articles(src: Path, title: str) -> list[tuple[str, str]]:
        result = BuildResult(Diagnostics())
        load(src, BuildOptions(), result)
        p = next(p for p in result.handbook.policies.values() if p.title == title)
        return [(str(a.number), re.sub(r"\s+", "", a.text)) for a in p.body.articles]

    fresh = Project(tmp_path)
    r = fresh.run("import", str(exported["policy"]), "--chapter", "general", "--id-prefix",
                  "GN-", "--owner", "GMO", "--src", str(fresh.src))
    assert r.exit_code == 0, r.output
    again = articles(fresh.src, "印章管理办法")
    assert again == articles(exported["project"].src, "印章管理办法")
    assert len(again) == 5 and again[2][1].startswith("印章分为公章")


def test_revision_table_as_docx(tmp_path):
    """--revision: the 修订对照表 of a revision from git, landscape, a header row repeated
    on every page, deletions struck through and insertions underlined, unchanged articles
    counted."""
    from docx import Document
    from gitrepo import Repo, policy_file

    repo = Repo(tmp_path)
    repo.write("01-general/fee.md", policy_file("GN-001", "费用管理办法", "1.0", "2025-01-01", [
        "{purpose} 为规范费用管理，制定本办法。", "{scope} 本办法适用于公司各部门。",
        "{phone} 通讯费每月报销一次。", "{effective} 本办法自发布之日起施行。"]))
    repo.commit("fee 1.0", "2025-01-01")
    repo.write("01-general/fee.md", policy_file("GN-001", "费用管理办法", "2.0", "2026-01-01", [
        "{purpose} 为加强费用管理，制定本办法。", "{scope} 本办法适用于公司各部门及办事处。",
        "{invoice} 报销应当取得合法票据。", "{effective} 本办法自发布之日起施行。"],
        extra="changes:\n  - version: \"2.0\"\n    summary: 删除原第三条（通讯费）\n"))
    repo.commit("fee 2.0", "2026-01-01")
    from handbook_gen.word.export import export_revision
    result, files = export_revision(repo.src, "gn-001", None, ExportOptions(tmp_path / "out"))
    assert result.ok and [f.name for f in files] == ["GN-001-修订对照表-2.0.docx"]
    doc = Document(files[0])
    assert doc.sections[0].orientation == 1  # landscape
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["原条文", "修订后条文", "修订说明"]
    body = {r[0][:4] + "|" + r[1][:4]: r for r in rows[1:]}
    assert set(body) == {"第一条　|第一条　", "第二条　|第二条　", "第三条　|（删除）", "（新增）|第三条　"}
    assert body["第二条　|第二条　"][1] == "第二条\u3000本办法适用于公司各部门及办事处。"
    assert body["第三条　|（删除）"][2] == "删除条文；删除原第三条（通讯费）"
    assert "新增条文" in body["（新增）|第三条　"][2]
    document = xml(files[0], "word/document.xml")
    assert '<w:strike/><w:color w:val="C00000"/></w:rPr><w:t>规范</w:t>' in document
    assert '<w:b/><w:u w:val="single"/></w:rPr><w:t>加强</w:t>' in document
    assert '<w:b/><w:u w:val="single"/></w:rPr><w:t>及办事处</w:t>' in document
    assert "<w:tblHeader/>" in document
    assert "其余 1 条未修改" in "".join(p.text for p in doc.paragraphs)
    with pytest.raises(ExportRefused, match="9.9"):
        export_revision(repo.src, "GN-001", "9.9", ExportOptions(tmp_path / "out"))
