"""`handbook export`: official copies as .docx — one file per policy, the compiled
edition (制度汇编) as one file, or a revision's 修订对照表 as a table.

The text is the site's: each policy's body as the build renders it (references filled in
as the reader sees them, flows as their step tables), so a copy never says something
the site does not. The layout is docx_out's.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from handbook_gen.assemble.lifecycle import Lifecycle, build_date
from handbook_gen.build.pipeline import BuildOptions, BuildResult, load
from handbook_gen.core.diagnostics import Diagnostics, TemplateError
from handbook_gen.core.model import Handbook, Policy
from handbook_gen.core.numerals import to_chinese
from handbook_gen.governance.flows import flow_html
from handbook_gen.markdown.placeholders import fill, fill_flows
from handbook_gen.word import docx_out

REFERENCE = "reference.docx"
"""A handbook's own Word template, in the ``templates/`` folder beside ``policies/``."""
_HEADER = ("原条文", "修订后条文", "修订说明")
"""The columns of a 修订对照表."""


class ExportRefused(TemplateError):
    """The request names something that cannot be exported; nothing was written (exit 2)."""


@dataclass(frozen=True)
class ExportOptions:
    out: Path
    issuer: str | None = None
    """发文机关标志 on the first page (e.g. ``华衡科技有限公司文件``); none when unset."""
    recipients: str | None = None
    """主送机关 (e.g. ``公司各部门``)."""
    today: _dt.date | None = None


def body_html(hb: Handbook, result: BuildResult, p: Policy) -> str:
    page = "export.html"
    html = fill(p.body.html, result.links.links.get(p.path, []), page)
    return fill_flows(html, p.body.flows, flow_html, hb.departments, page)


def _write_policy(document, numbering, hb: Handbook, result: BuildResult, p: Policy,
                  shift: int) -> None:
    writer = docx_out.BodyWriter(document, numbering, heading_shift=shift)
    writer.write(docx_out.parse_html(body_html(hb, result, p)))


def load_handbook(root: Path, options: ExportOptions) -> tuple[BuildResult, Lifecycle | None]:
    """The checked handbook and its states on the export date; refuses an output folder
    inside the sources (an export never writes into them)."""
    out, src = options.out.resolve(), root.resolve()
    if out == src or src in out.parents:
        raise ExportRefused("the output folder {out} is inside the source folder {src}; "
                            "choose another folder", out=str(options.out), src=str(root))
    result = BuildResult(Diagnostics())
    load(root, BuildOptions(today=options.today), result)
    if not result.ok or result.handbook is None:
        return result, None
    return result, Lifecycle(result.handbook, build_date(options.today))


def export_policies(root: Path, ids: list[str], options: ExportOptions) -> tuple[BuildResult, list[Path]]:
    """One .docx per policy id into options.out (``OP-011.docx``); nothing is written when
    the handbook has errors or an id is unknown (ExportRefused)."""
    result, _ = load_handbook(root, options)
    if not result.ok:
        return result, []
    hb = result.handbook
    by_id = {pid.lower(): pid for pid in hb.policies}
    missing = [i for i in ids if i.lower() not in by_id]
    if missing:
        raise ExportRefused("no policy with the id {ids}", ids=", ".join(missing))
    reference = root.parent / "templates" / REFERENCE
    options.out.mkdir(parents=True, exist_ok=True)
    written = []
    for pid in (by_id[i.lower()] for i in ids):
        p = hb.policies[pid]
        document = docx_out.start(reference)
        numbering = docx_out.Numbering(document)
        docx_out.masthead(document, docx_out.Masthead(
            p.title, options.issuer, p.meta.doc_no, options.recipients))
        _write_policy(document, numbering, hb, result, p, shift=0)
        path = options.out / f"{pid}.docx"
        docx_out.deterministic_save(document, path)
        written.append(path)
    return result, written


def export_compiled(root: Path, options: ExportOptions) -> tuple[BuildResult, list[Path]]:
    """The compiled edition as one .docx: a cover, a table of contents (a Word field,
    filled when the file is opened), then every policy in force in chapter order, each on
    a new page with its articles numbered from 第一条."""
    result, life = load_handbook(root, options)
    if not result.ok:
        return result, []
    hb = result.handbook
    document = docx_out.start(root.parent / "templates" / REFERENCE)
    numbering = docx_out.Numbering(document)
    docx_out.masthead(document, docx_out.Masthead(hb.site.title, options.issuer))
    document.add_paragraph(f"（内容截至 {life.today.isoformat()}）",
                           style=document.styles["发文字号"])
    docx_out.page_break(document)
    document.add_paragraph("目　录", style=document.styles["公文标题"])
    docx_out.toc_field(document)
    part = 0
    for ch in hb.chapters:
        policies = [hb.policies[pid] for pid in ch.policy_ids
                    if hb.policies[pid].meta.status != "draft" and life.state(pid).in_force]
        if not policies:
            continue
        part += 1
        docx_out.page_break(document)
        document.add_paragraph(f"第{to_chinese(part)}篇　{ch.title}",
                               style=document.styles["汇编篇标题"])
        for i, p in enumerate(policies):
            if i:
                docx_out.page_break(document)
            document.add_paragraph(p.title, style=document.styles["汇编制度标题"])
            if p.meta.doc_no:
                document.add_paragraph(p.meta.doc_no, style=document.styles["发文字号"])
            _write_policy(document, numbering, hb, result, p, shift=1)
    options.out.mkdir(parents=True, exist_ok=True)
    path = options.out / "compiled.docx"
    docx_out.deterministic_save(document, path)
    return result, [path]


def export_revision(root: Path, pid: str, version: str | None,
                    options: ExportOptions) -> tuple[BuildResult, list[Path]]:
    """The 修订对照表 of the revision that made `version` of policy `pid` (default: its
    newest version) as a .docx table on landscape A4, the rows as the site's revision page
    has them (changed, added, deleted and moved articles; unchanged ones counted)."""
    from handbook_gen.governance import redline, versionpages
    from handbook_gen.render.state import RenderOptions, RenderState

    result = BuildResult(Diagnostics())
    out, src = options.out.resolve(), root.resolve()
    if out == src or src in out.parents:
        raise ExportRefused("the output folder {out} is inside the source folder {src}; "
                            "choose another folder", out=str(options.out), src=str(root))
    load(root, BuildOptions(today=options.today, history=True), result)
    if not result.ok:
        return result, []
    hb = result.handbook
    found = {p.lower(): p for p in hb.policies}.get(pid.lower())
    if found is None:
        raise ExportRefused("no policy with the id {ids}", ids=pid)
    state = RenderState(hb, result.links, RenderOptions(today=options.today, include_drafts=True),
                        result.history)
    pv = versionpages.of(state, found)
    if pv is None or len(pv.versions) < 2:
        raise ExportRefused("{id} has no revision in the git history", id=found)
    names = [v.version for v in pv.versions]
    if version is None:
        i = len(names) - 1
    elif version in names[1:]:
        i = len(names) - 1 - names[::-1].index(version)
    else:
        raise ExportRefused("{id} has no revision to version {version} (its revisions: "
                            "{versions})", id=found, version=version,
                            versions=", ".join(names[1:]))
    old, new = pv.versions[i - 1], pv.versions[i]
    table = pv.table(i)
    document = docx_out.start(root.parent / "templates" / REFERENCE)
    docx_out.landscape(document)
    document.add_paragraph(f"《{new.document.meta.title}》修订对照表",
                           style=document.styles["公文标题"])
    document.add_paragraph(f"（{old.version} 版 → {new.version} 版，自 "
                           f"{new.effective.isoformat()} 起施行）",
                           style=document.styles["发文字号"])
    if new.summary:
        document.add_paragraph(f"修订说明：{new.summary}", style=document.styles["正文"])
    rows = [(_cell(row.old_number, row.old_html) or "（新增）",
             _cell(row.new_number, row.new_html) or "（删除）",
             "；".join(row.notes)) for row in table if row.kind != "未修改"]
    docx_out.comparison_table(document, docx_out.Numbering(document), _HEADER, rows,
                              (0.4, 0.4, 0.2))
    unchanged = redline.counts(table).get("未修改", 0)
    if unchanged:
        document.add_paragraph(f"其余 {unchanged} 条未修改。", style=document.styles["注释"])
    options.out.mkdir(parents=True, exist_ok=True)
    path = options.out / f"{found}-修订对照表-{new.version}.docx"
    docx_out.deterministic_save(document, path)
    return result, [path]


def _cell(number, html: str) -> str:
    """One side of a row as HTML: the article's number, then its redlined text."""
    if number is None:
        return ""
    from handbook_gen.core.numerals import article_name
    return f"<strong>{article_name(number)}</strong>\u3000{html}"
