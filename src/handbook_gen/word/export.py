"""`handbook export`: official copies as .docx — one file per policy, or the compiled
edition (制度汇编) as one file.

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
from handbook_gen.core.diagnostics import Diagnostics, fill as fill_template
from handbook_gen.core.model import Handbook, Policy
from handbook_gen.core.numerals import to_chinese
from handbook_gen.governance.flows import flow_html
from handbook_gen.markdown.placeholders import fill, fill_flows
from handbook_gen.word import docx_out

REFERENCE = "reference.docx"
"""A handbook's own Word template, in the ``templates/`` folder beside ``policies/``."""


class ExportRefused(Exception):
    """The request names something that cannot be exported; nothing was written (exit 2).
    Carries an English template and its parameters, like scaffold.ScaffoldRefused."""

    def __init__(self, template: str, **params):
        self.template, self.params = template, params
        super().__init__(fill_template(template, params))


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
