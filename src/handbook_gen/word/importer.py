"""`handbook import`: Word (.docx; .doc and .wps through LibreOffice) and plain-text
(.txt, .md) policies into a chapter of the handbook.

Two passes over the sources: first each is read (blocks), its structure recognised and its
front matter found, and it gets an id, an owner and its article labels; then each is
written as Markdown with its citations resolved against the handbook and the other files of
the same import, and the Markdown is parsed again to check that its articles carry exactly
the numbers of the source. Nothing is written when any file is refused (an existing policy
of the same title without --force, a file that cannot be read), nor with --dry-run.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from handbook_gen.build.pipeline import BuildOptions, BuildResult, check, load
from handbook_gen.core.diagnostics import Diagnostic, Diagnostics, Severity, TemplateError
from handbook_gen.core.ids import problem as id_problem
from handbook_gen.core.numerals import article_name
from handbook_gen.markdown.document import parse_document
from handbook_gen.scaffold import next_id
from handbook_gen.word.blocks import Block, NotADocx, Source, excerpt, read_text
from handbook_gen.word.front import Front, read_front
from handbook_gen.word.structure import KINDS, Node, Structure, recognise
from handbook_gen.word.writer import Citations, escape, expected_article, make_label

TEXT_TYPES = (".txt", ".md")
WORD_TYPES = (".docx",)
LEGACY_TYPES = (".doc", ".wps")
ALL_TYPES = TEXT_TYPES + WORD_TYPES + LEGACY_TYPES


class ImportRefused(TemplateError):
    """The import cannot be carried out as asked; nothing was written (exit 2)."""


class ImportEnvironment(ImportRefused):
    """A tool the import needs is missing (exit 3)."""


@dataclass
class Options:
    chapter: str
    id_prefix: str | None = None
    owner: str | None = None
    dry_run: bool = False
    force: bool = False
    today: dt.date | None = None


@dataclass
class FileResult:
    """One source's import: what was recognised, what it became, and every guess and loss."""

    source: str
    target: str = ""
    id: str = ""
    title: str = ""
    owner: str = ""
    status: str = ""
    effective: str = ""
    doc_no: str | None = None
    supersedes: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    numbers: list = field(default_factory=list)
    """The article numbers of the source, in order."""
    built: list = field(default_factory=list)
    """The article numbers our parser gives the Markdown written for it."""
    notes: list[Diagnostic] = field(default_factory=list)
    excerpts: dict[int, str] = field(default_factory=dict)
    """Source paragraph (line) number -> the start of its text, for the notes."""
    markdown: str = ""
    refused: tuple[str, dict] | None = None
    """Why this file is not imported: an English template and its parameters."""
    overwrites: bool = False
    written: bool = False

    @property
    def numbers_match(self) -> bool:
        return self.numbers == self.built


def sources_of(paths: list[Path]) -> list[Path]:
    """The files to import: each file given, and the importable files of each folder given
    (sorted, hidden files and Word's ~$ lock files left out)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in ALL_TYPES
                          and not f.name.startswith((".", "~$")))
        else:
            out.append(p)
    return out


def require_tools(files: list[Path]) -> None:
    """python-docx for Word files, LibreOffice for .doc / .wps (ImportEnvironment)."""
    suffixes = {f.suffix.lower() for f in files}
    if suffixes & set(WORD_TYPES + LEGACY_TYPES):
        try:
            import docx  # noqa: F401
        except ImportError:
            raise ImportEnvironment("importing Word files needs python-docx: "
                                    "pip install 'handbook-gen[word]'") from None
    if suffixes & set(LEGACY_TYPES) and not soffice():
        names = ", ".join(f.name for f in files if f.suffix.lower() in LEGACY_TYPES)
        raise ImportEnvironment(
            "cannot import {names}: .doc and .wps files are converted to .docx by LibreOffice, "
            "and no soffice command was found; install LibreOffice (apt-get install "
            "libreoffice-writer) or save the files as .docx in Word or WPS", names=names)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert_legacy(path: Path) -> bytes:
    """A .doc / .wps as .docx bytes, converted by headless LibreOffice."""
    with tempfile.TemporaryDirectory(prefix="handbook-import-") as tmp:
        profile = Path(tmp) / "profile"
        cmd = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--convert-to", "docx", "--outdir", tmp, str(path)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise NotADocx(f"LibreOffice: {exc}") from None
        out = Path(tmp) / (path.stem + ".docx")
        if not out.is_file():
            raise NotADocx("LibreOffice wrote no .docx")
        return out.read_bytes()


def read_source(path: Path) -> Source:
    """Blocks of one source file (NotADocx when a Word file cannot be read)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_TYPES:
        return read_text(str(path), path.read_bytes())
    from handbook_gen.word.docx_reader import read_docx  # the [word] extra: require_tools
    if suffix in WORD_TYPES:
        return read_docx(str(path), path.read_bytes())
    if suffix in LEGACY_TYPES:
        return read_docx(str(path), _convert_legacy(path))
    raise NotADocx(f"{suffix or path.name}: not one of " + " ".join(ALL_TYPES))


@dataclass
class _Plan:
    path: Path
    result: FileResult
    src: Source | None = None
    st: Structure | None = None
    front: Front | None = None
    labels: dict = field(default_factory=dict)
    """article number -> label (None for an article whose number stays typed); the first
    article of a number that the source repeats (citations can only mean that one)."""
    node_labels: dict = field(default_factory=dict)
    """id(article node) -> its label (None: its number stays typed)."""
    paragraphs: dict = field(default_factory=dict)
    """article number -> its 款 count."""
    owner_dept: str | None = None


def _find_chapter(hb, chapter: str):
    for ch in hb.chapters:
        if chapter in (ch.id, ch.folder, ch.title):
            return ch
    raise ImportRefused("no chapter '{chapter}'; chapters: {chapters}", chapter=chapter,
                        chapters=", ".join(f"{c.folder} ({c.title})" for c in hb.chapters))


def run_import(root: Path, paths: list[Path], options: Options) -> list[FileResult]:
    files = sources_of(paths)
    if not files:
        raise ImportRefused("no files to import (types: {types})", types=" ".join(ALL_TYPES))
    require_tools(files)
    model = BuildResult(Diagnostics())
    load(root, BuildOptions(), model)
    hb = model.handbook
    if hb is None:
        raise ImportRefused("{root} cannot be read as a handbook; run handbook check",
                            root=str(root))
    chapter = _find_chapter(hb, options.chapter)
    if options.owner and options.owner not in hb.departments:
        raise ImportRefused("owner '{owner}' is not in the department registry",
                            owner=options.owner)
    today = options.today or dt.date.today()
    plans = [_Plan(f, FileResult(str(f))) for f in files]
    ids = list(hb.policies)
    titles = {p.title: p for p in hb.policies.values()}
    for plan in plans:
        try:
            plan.src = read_source(plan.path)
        except NotADocx as exc:
            plan.result.refused = ("cannot be read as a Word document: {problem}",
                                   {"problem": str(exc)})
            continue
        except OSError as exc:
            plan.result.refused = ("cannot be read: {problem}",
                                   {"problem": exc.strerror or str(exc)})
            continue
        _recognise(plan)
        _assign(plan, hb, chapter, options, ids, titles, root, today)
    batch_titles = Counter(p.result.title for p in plans if p.src)
    for plan in plans:
        if plan.src and batch_titles[plan.result.title] > 1 and not plan.result.refused:
            plan.result.refused = ("{n} files of this import have the title 《{title}》",
                                   {"n": batch_titles[plan.result.title],
                                    "title": plan.result.title})
    index = _title_index(hb, plans)
    for plan in plans:
        if plan.src and not plan.result.refused:
            _write_markdown(plan, index, hb)
    if any(p.result.refused for p in plans) or options.dry_run:
        return [p.result for p in plans]
    for plan in plans:
        target = Path(plan.result.target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w" if plan.result.overwrites else "x", encoding="utf-8") as fh:
            fh.write(plan.result.markdown)
        plan.result.written = True
    _check_written(root, plans)
    return [p.result for p in plans]


def _recognise(plan: _Plan) -> None:
    src, r = plan.src, plan.result
    st = plan.st = recognise(src)
    body = [n.block for n in st.nodes if n.block.rows is None]
    plan.front = read_front(src, st, body)
    counts = r.counts
    for n in st.nodes:
        if n.kind == "heading":
            counts[KINDS.get(n.unit, "chapter")] += 1
        elif n.kind == "article":
            counts["articles"] += 1
            counts["inserted"] += n.number != int(n.number)
            r.numbers.append(n.number)
        elif n.kind == "item":
            counts[f"items{min(n.depth, 3)}"] += 1
        elif n.kind == "table":
            counts["tables"] += 1
        elif n.kind == "outline":
            counts["outline"] += 1
        elif n.kind == "para":
            counts["paragraphs"] += 1
    counts["auto_numbered"] = sum(1 for b in src.blocks if b.auto)
    for block, why in st.dropped:
        if why == "toc":
            src.diags.add("HB511", "table of contents line dropped (the site makes its own): "
                          "'{excerpt}'", src.at(block), excerpt=excerpt(block.text))
        else:
            src.diags.add("HB511", "signature line after the last article dropped: '{excerpt}'",
                          src.at(block), excerpt=excerpt(block.text))
    for n in st.nodes:
        if n.kind == "heading" and not n.unit:
            src.diags.add("HB511", "'{excerpt}' has a heading style but no number: taken as a "
                          "chapter (the build numbers it)", src.at(n.block), excerpt=excerpt(n.text))


def _assign(plan: _Plan, hb, chapter, options: Options, ids: list[str], titles: dict,
            root: Path, today: dt.date) -> None:
    """Id, target file, owner, dates and labels of one source."""
    src, front, r = plan.src, plan.front, plan.result
    r.title = front.title
    for block in front.dropped:
        src.diags.add("HB511", "masthead or addressee line of the 公文 dropped: '{excerpt}'",
                      src.at(block), excerpt=excerpt(block.text))
    if front.title_from == "block":
        src.diags.add("HB500", "title '{title}' taken from line {para}"
                      if src.path.lower().endswith(TEXT_TYPES) else
                      "title '{title}' taken from paragraph {para}",
                      src.at(front.title_block), title=r.title, para=front.title_block.no)
    elif front.title_from == "property":
        src.diags.add("HB500", "title '{title}' taken from the document properties",
                      src.at(1), title=r.title)
    else:
        src.diags.add("HB500", "title '{title}' taken from the file name", src.at(1),
                      title=r.title)
    existing = titles.get(r.title)
    if existing is not None:
        if not options.force:
            r.refused = ("the handbook already has {id} 《{title}》 ({path}); give --force to "
                         "replace it with the imported text",
                         {"id": existing.id, "title": existing.title, "path": existing.path})
            return
        r.id, r.target, r.overwrites = existing.id, str(root.parent / existing.path), True
    else:
        if options.id_prefix:
            r.id = next_id([i for i in ids if i.startswith(options.id_prefix)], options.id_prefix)
        else:
            own = set(chapter.policy_ids) | set(ids[len(hb.policies):])  # and this import's
            r.id = next_id([i for i in ids if i in own]) or ""
            if not r.id:
                r.refused = ("chapter '{chapter}' has no policies to number after; give "
                             "--id-prefix (e.g. QM-)", {"chapter": chapter.folder})
                return
        if id_problem(r.id):
            r.refused = ("policy id '{id}' {problem}", {"id": r.id, "problem": id_problem(r.id)})
            return
        ids.append(r.id)
        r.target = str(root / chapter.folder / f"{r.id.lower()}.md")
        if Path(r.target).exists() and not options.force:
            r.refused = ("{path} already exists; give --force to overwrite it",
                         {"path": r.target})
            return
        r.overwrites = Path(r.target).exists()
    _owner(plan, hb, chapter, options)
    if front.effective:
        r.effective, r.status = front.effective.isoformat(), "active"
    elif front.effective_on_issue and front.issued:
        r.effective, r.status = front.issued.isoformat(), "active"
        src.diags.add("HB514", "effective date {date} is the date of the title block (the policy "
                      "takes effect when issued)", src.at(front.effective_block),
                      date=r.effective)
    else:
        r.effective, r.status = (front.issued or today).isoformat(), "draft"
        src.diags.add("HB501", "no effective date found (本…自…起施行): imported as a draft "
                      "dated {date}", src.at(1), hint="set effective and status: active",
                      date=r.effective)
    r.doc_no = front.doc_no
    for title, block in front.replaced:
        old = titles.get(title)
        if old is not None and old.id != r.id and old.id not in r.supersedes:
            r.supersedes.append(old.id)
        elif old is None and title != r.title:
            src.diags.add("HB503", "《{title}》 is named as replaced but is not a policy of the "
                          "handbook", src.at(block), title=title,
                          hint="add its id to supersedes once it is imported")
    used: set[str] = set()
    last, article = 0, None
    for n in plan.st.nodes:
        if n.kind == "article":
            label = make_label(n.text, used) if expected_article(n.number, last) else None
            plan.node_labels[id(n)] = label
            plan.labels.setdefault(n.number, label)
            plan.paragraphs.setdefault(n.number, 1)
            last, article = n.number, (n.number if plan.labels[n.number] == label else None)
        elif n.kind == "heading":
            article = None
        elif n.kind == "para" and article is not None:
            plan.paragraphs[article] += 1


def _owner(plan: _Plan, hb, chapter, options: Options) -> None:
    src, front, r = plan.src, plan.front, plan.result
    named = _department(hb, front.owner_name) if front.owner_name else None
    plan.owner_dept = named
    if options.owner:
        r.owner = options.owner
        return
    if named:
        r.owner = named
        return
    usual = Counter(hb.policies[i].meta.owner for i in chapter.policy_ids).most_common(1)
    if not usual:
        r.refused = ("no owner: the document names no department that interprets it and "
                     "the chapter has no policies to go by; give --owner", {})
        return
    r.owner = usual[0][0]
    if front.owner_name:
        src.diags.add("HB502", "'{name}' (由…负责解释) is not a department of the handbook; "
                      "owner set to {owner}, the chapter's usual owner", src.at(front.owner_block),
                      hint="give --owner or add the department to _handbook.yaml",
                      name=front.owner_name, owner=r.owner)
    else:
        src.diags.add("HB502", "the document names no interpreting department; owner set to "
                      "{owner}, the chapter's usual owner", src.at(1), hint="give --owner",
                      owner=r.owner)


def _department(hb, name: str) -> str | None:
    """The department a name in the text stands for: its exact name or id, else the
    longest registered name the text contains (公司人力资源部 -> 人力资源部)."""
    for dept in hb.departments.values():
        if name in (dept.name, dept.id):
            return dept.id
    inside = [d for d in hb.departments.values() if d.name and d.name in name]
    return max(inside, key=lambda d: len(d.name)).id if inside else None


def _title_index(hb, plans: list[_Plan]) -> dict:
    """Policy title -> (id, article labels by number, 款 counts by number), for the handbook
    and the files of this import."""
    index = {}
    for p in hb.policies.values():
        arts = p.body.articles if p.body else ()
        index[p.title] = (p.id, {a.number: a.label for a in arts},
                          {a.number: a.paragraphs for a in arts})
    for plan in plans:
        if plan.src and not plan.result.refused:
            index[plan.result.title] = (plan.result.id, plan.labels, plan.paragraphs)
    return index


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_markdown(plan: _Plan, index: dict, hb) -> None:
    src, st, r = plan.src, plan.st, plan.result

    def note(code, template, block, hint=None, **params):
        src.diags.add(code, template, src.at(block), hint=hint, **params)

    cites = Citations(plan.labels, plan.paragraphs, r.title, index, note)
    head = ["---", f"id: {_yaml(r.id)}", f"title: {_yaml(r.title)}", f"owner: {_yaml(r.owner)}",
            f"status: {r.status}", f"effective: {r.effective}", 'version: "1.0"']
    if r.doc_no:
        head.append(f"doc_no: {_yaml(r.doc_no)}")
    if r.supersedes:
        head.append("supersedes: [" + ", ".join(r.supersedes) + "]")
    head.append("---")
    blocks: list[str] = [cites.convert(b.text, Node("para", b)) if b.rows is None
                         else _table(b.rows) for b in plan.front.preamble]
    blocks += _body(plan, cites, note, hb)
    r.counts["citations_local"], r.counts["citations_other"] = cites.local, cites.other
    r.markdown = "\n".join(head) + "\n" + "\n\n".join(blocks) + "\n"
    doc = parse_document(f"{Path(r.target).parent.name}/{Path(r.target).name}",
                         r.markdown.encode("utf-8"))
    r.built = [a.number for a in doc.body.articles] if doc.body else []
    if not r.numbers_match:
        note("HB516", "the Markdown written has articles {built}, the source {source}", 1,
             built=_names(r.built), source=_names(r.numbers))
    r.notes = src.diags.sorted()
    noted = {d.location.line for d in r.notes if d.location}
    r.excerpts = {b.no: excerpt(b.text or " | ".join(b.rows[0] if b.rows else []))
                  for b in src.blocks if b.no in noted}


def _names(numbers: list) -> str:
    shown = [article_name(n) for n in numbers[:8]]
    return "、".join(shown) + ("…" if len(numbers) > 8 else "") + f" ({len(numbers)})"


def _table(rows: list[list[str]]) -> str:
    def line(cells):
        return "| " + " | ".join(escape(c, False) or " " for c in cells) + " |"
    return "\n".join([line(rows[0]), "|" + "---|" * len(rows[0])] + [line(r) for r in rows[1:]])


def _heading_levels(nodes: list[Node]) -> tuple[dict[str, int], dict[str, bool]]:
    """Markdown level of each unit, and whether the source numbers it regularly (then the
    build computes the number and the heading is written without it)."""
    units = {n.unit for n in nodes if n.kind == "heading"}
    order = [u for u in ("编", "分编", "章", "节") if u in units or u in ("章", "节")]
    if "编" not in units:
        order = ["章", "节"]
    levels = {u: i + 2 for i, u in enumerate(order)}
    levels[""] = levels["章"]
    regular = dict.fromkeys(levels, True)
    regular["编"] = regular["分编"] = False  # typed: they set the heading levels
    count = Counter()
    resets = {"编": ("分编", "章", "节"), "分编": ("节",), "章": ("节",), "节": ()}
    for n in nodes:
        if n.kind != "heading" or not n.unit:
            continue
        if n.number != count[n.unit] + 1 or not n.text:
            regular[n.unit] = False
        count[n.unit] = n.number
        for lower in resets[n.unit]:
            count[lower] = 0
    return levels, regular


def _body(plan: _Plan, cites: Citations, note, hb) -> list[str]:
    st = plan.st
    levels, regular = _heading_levels(st.nodes)
    out: list[str] = []
    last = 0
    nodes = st.nodes
    i = 0
    while i < len(nodes):
        n = nodes[i]
        if n.kind == "heading":
            text = escape(n.text, False) if regular.get(n.unit, False) else \
                escape(f"{n.typed} {n.text}".strip(), False)
            out.append("#" * levels[n.unit] + " " + text)
        elif n.kind == "article":
            prefix = expected_article(n.number, last)
            text = cites.convert(n.text, n, start=False)
            text = _owner_link(plan, hb, n.block, text)
            if prefix:
                out.append(f"{prefix}{{{plan.node_labels[id(n)]}}} {text}".rstrip())
            else:
                if last:
                    note("HB510", "{article} does not follow {before}: its number is kept as "
                         "typed (the build warns HB220)", n.block,
                         article=article_name(n.number), before=article_name(last))
                else:
                    note("HB510", "{article} is the first article: its number is kept as typed "
                         "(the build warns HB220)", n.block, article=article_name(n.number))
                out.append(f"{article_name(n.number)} {text}".rstrip())
            last = n.number
        elif n.kind == "item":
            j = i
            while j < len(nodes) and nodes[j].kind == "item":
                j += 1
            _items(nodes[i:j], out, cites, note)
            i = j
            continue
        elif n.kind == "table":
            out.append(_table(n.block.rows))
        elif n.kind == "outline":
            out.append("#" * (n.depth + 1) + " " + escape(n.text, False))
        else:
            text = _owner_link(plan, hb, n.block, cites.convert(n.text, n))
            out.append(text)
        i += 1
    return out


def _owner_link(plan: _Plan, hb, block: Block, text: str) -> str:
    """由人力资源部负责解释 -> 由[[dept:HR]]负责解释 when the name is the department's."""
    front = plan.front
    if plan.owner_dept and front.owner_block is block and \
            hb.departments[plan.owner_dept].name == front.owner_name:
        return text.replace(f"由{front.owner_name}负责", f"由[[dept:{plan.owner_dept}]]负责", 1)
    return text


def _regular_items(run: list[Node]) -> bool:
    """Items numbered as the build numbers a list: （一）（二）… from the first, 1. 2. …
    restarting under each （N）; deeper ones (（1）, ①) are kept as typed lines."""
    if run[0].depth != 1:
        return False
    count = {1: 0, 2: 0}
    for n in run:
        if n.depth >= 3:
            continue
        if n.depth == 2 and count[1] == 0:
            return False
        count[n.depth] += 1
        if n.depth == 1:
            count[2] = 0
        if n.number != count[n.depth]:
            return False
    return True


def _items(run: list[Node], out: list[str], cites: Citations, note) -> None:
    if not _regular_items(run):
        note("HB511", "items from '{excerpt}' are not numbered from the first in order: kept as "
             "typed lines", run[0].block, excerpt=excerpt(run[0].block.text))
        lines = [escape(n.typed, True) + cites.convert(n.text, n, start=False) for n in run]
        if out and not out[-1].startswith(("|", "#")):
            out[-1] = out[-1] + "\\\n" + "\\\n".join(lines)
        else:
            out.append("\\\n".join(lines))
        return
    lines: list[str] = []
    for n in run:
        if n.depth >= 3:
            indent = "      " if lines and lines[-1].startswith("   ") else "   "
            lines[-1] += "\\\n" + indent + escape(n.typed, True) + cites.convert(n.text, n, False)
        else:
            indent = "   " if n.depth == 2 else ""
            lines.append(f"{indent}{n.number}. " + cites.convert(n.text, n))
    out.append("\n".join(lines))


def _check_written(root: Path, plans: list[_Plan]) -> None:
    """`handbook check` over the handbook with the new files: their diagnostics go into their
    reports (an error there is the import's failure)."""
    result = check(root, BuildOptions())
    by_path = {str(Path(p.result.target).resolve()): p for p in plans if p.result.written}
    base = root.resolve().parent
    for d in result.diagnostics.items:
        if d.location is None:
            continue
        plan = by_path.get(str((base / d.location.path).resolve()))
        if plan is not None:
            plan.result.notes.append(d)


def severity_counts(results: list[FileResult]) -> tuple[int, int]:
    notes = [d for r in results for d in r.notes]
    return (sum(d.severity == Severity.ERROR for d in notes),
            sum(d.severity == Severity.WARNING for d in notes))
