"""`handbook init` and `handbook new policy|chapter`: write valid starting files.

`init` copies the starter handbook (the package data in ``starter/``: the configuration
with a department registry, the seven chapters with one exemplary policy each, the
README, ``.gitignore`` and the CI files for GitHub and GitLab) into a folder, with the
title, the company name, the dates and the pinned handbook-gen version filled in; it
builds with no warning. The new policy of `new policy` gets the next free id of its
chapter's prefix, today's date, status draft and the standard opening and closing
articles; the owner is checked against the registry. Neither ever overwrites a file.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from handbook_gen import __version__

from handbook_gen.core.diagnostics import Diagnostics, TemplateError, closest
from handbook_gen.core.ids import fold as id_fold, problem as id_problem, shown
from handbook_gen.markdown.document import CHAPTER_FILE, chapter_folder_info
from handbook_gen.build.pipeline import BuildOptions, BuildResult, load


class ScaffoldRefused(TemplateError):
    """The request cannot be carried out; nothing was written (exit 2)."""


POLICY_TEMPLATE = """---
id: {id}
title: {title}
owner: {owner}
status: draft
effective: {today}
version: "0.1"
---
## 总则

§{{purpose}} 为规范……，根据《运营管理制度总则》及有关规定，制定本{kind}。

§{{scope}} 本{kind}适用于公司各部门及各办事处。

§{{responsibility}} [[dept:{owner}]]是本{kind}的归口管理部门，负责本{kind}的组织实施与监督检查。

## 附则

§{{interpretation}} 本{kind}由[[dept:{owner}]]负责解释。

§{{effective}} 本{kind}自发布之日起施行。
"""

CHAPTER_TEMPLATE = """---
title: {title}
---
（本章简介：说明本章包括哪些制度、它们之间的关系。）
"""


def _model(root: Path) -> BuildResult:
    result = BuildResult(Diagnostics())
    load(root, BuildOptions(), result)
    return result


def _find_chapter(hb, chapter: str):
    for ch in hb.chapters:
        if chapter in (ch.id, ch.folder, ch.title):
            return ch
    guess = closest(chapter, [c.folder for c in hb.chapters] + [c.title for c in hb.chapters])
    if guess:
        raise ScaffoldRefused("no chapter '{chapter}'; did you mean '{guess}'?",
                              chapter=chapter, guess=guess)
    raise ScaffoldRefused("no chapter '{chapter}'; chapters: {chapters}", chapter=chapter,
                          chapters=", ".join(c.folder for c in hb.chapters))


def next_id(ids: list[str], prefix: str | None = None) -> str | None:
    """The next free id after the chapter's most common prefix: QM-004 -> QM-005. With
    `prefix` ('QM' or 'QM-'), the next id of that prefix (QM-001 when none has it yet)."""
    parsed = [m.groups() for m in (re.match(r"^(.*?)(\d+)$", i) for i in ids) if m]
    if prefix is not None:
        parsed = [(p, n) for p, n in parsed if p in (prefix, prefix + "-")]
        if not parsed:
            return f"{prefix}{'-' if prefix[-1:].isalnum() else ''}001"
    if not parsed:
        return None
    prefix = Counter(p for p, _ in parsed).most_common(1)[0][0]
    numbers = [n for p, n in parsed if p == prefix]
    width = max(len(n) for n in numbers)
    return f"{prefix}{max(int(n) for n in numbers) + 1:0{width}d}"


def new_policy(root: Path, chapter: str, title: str, policy_id: str | None = None,
               owner: str | None = None, today: dt.date | None = None) -> Path:
    hb = _model(root).handbook
    ch = _find_chapter(hb, chapter)
    existing = list(hb.policies)
    policy_id = policy_id or next_id(list(ch.policy_ids))
    if policy_id is None:
        raise ScaffoldRefused("chapter '{chapter}' has no policies to number after; "
                              "give --id", chapter=ch.folder)
    if id_problem(policy_id):
        raise ScaffoldRefused("policy id '{id}' {problem!t}", id=shown(policy_id),
                              problem=id_problem(policy_id))
    if policy_id in existing or policy_id.lower() in {i.lower() for i in existing}:
        raise ScaffoldRefused("policy id '{id}' is already used", id=policy_id)
    if owner is None:
        owners = Counter(hb.policies[i].meta.owner for i in ch.policy_ids)
        owner = owners.most_common(1)[0][0] if owners else None
    if owner is None or owner not in hb.departments:
        guess = closest(owner or "", hb.departments)
        if guess:
            raise ScaffoldRefused("owner '{owner}' is not in the department registry; "
                                  "did you mean '{guess}'?", owner=owner, guess=guess)
        raise ScaffoldRefused("owner '{owner}' is not in the department registry; "
                              "give --owner", owner=str(owner))
    kind = next((w for w in ("办法", "规定", "细则", "程序", "制度") if title.endswith(w)), "制度")
    target = root / ch.folder / f"{policy_id.lower()}.md"
    text = POLICY_TEMPLATE.format(id=policy_id, title=title, owner=owner, kind=kind,
                                  today=(today or dt.date.today()).isoformat())
    _write_new(target, text)
    return target


def new_chapter(root: Path, title: str, slug: str) -> Path:
    if id_problem(slug) or slug != id_fold(slug):
        raise ScaffoldRefused("chapter slug '{slug}' {problem!t}", slug=shown(slug),
                              problem=id_problem(slug) or "must be lower-case")
    folders = [p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if any(chapter_folder_info(f)[0] == slug for f in folders):
        raise ScaffoldRefused("a chapter with slug '{slug}' already exists", slug=slug)
    number = max((chapter_folder_info(f)[1] for f in folders), default=0) + 1
    target = root / f"{number:02d}-{slug}" / CHAPTER_FILE
    target.parent.mkdir()
    _write_new(target, CHAPTER_TEMPLATE.format(title=title))
    return target


def _write_new(target: Path, text: str) -> None:
    try:
        with open(target, "x", encoding="utf-8") as fh:  # "x": never overwrite
            fh.write(text)
    except FileExistsError:
        raise ScaffoldRefused("{path} already exists; nothing was written",
                              path=str(target)) from None


STARTER = Path(__file__).resolve().parent / "starter"
"""The starter handbook; a leading ``dot-`` in a name stands for ``.`` (so no packaging
tool drops it as a hidden file)."""
DEFAULT_COMPANY = "示例科技有限公司"
_TOKEN = re.compile(r"@@([A-Z_]+)@@")
_NOT_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\[\]{}<>|*_`#§@\\]")
"""Characters a title or company name may not hold: they would be markup in the
Markdown or YAML the name is written into."""


@dataclass
class InitResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    """Files that already existed (never overwritten)."""


def _name(value: str, what: str) -> str:
    value = value.strip()
    if not value or len(value) > 100:
        raise ScaffoldRefused("the {what!t} must be 1 to 100 characters", what=what)
    bad = _NOT_IN_NAMES.search(value)
    if bad:
        raise ScaffoldRefused("the {what!t} may not contain '{char}'", what=what, char=bad.group())
    return value


def starter_files() -> list[tuple[str, Path]]:
    """(path in the new handbook, starter file) of every starter file, in order."""
    out = []
    for path in sorted(STARTER.rglob("*")):
        rel = path.relative_to(STARTER).parts
        if path.is_file() and "__pycache__" not in rel:
            out.append(("/".join("." + p[4:] if p.startswith("dot-") else p for p in rel), path))
    return out


def _fill(text: str, values: dict[str, str], yaml: bool) -> str:
    def value(m: re.Match) -> str:
        v = values[m.group(1)]  # a KeyError is a starter file with an unknown token: a bug
        return json.dumps(v, ensure_ascii=False) if yaml and m.group(1) in ("TITLE", "COMPANY") else v
    return _TOKEN.sub(value, text)


def init_handbook(target: Path, title: str | None = None, company: str | None = None,
                  force: bool = False, today: dt.date | None = None) -> InitResult:
    """Write the starter handbook into `target` (created if missing). A folder that holds
    anything but ``.git`` is refused unless `force`; even then no existing file is
    overwritten (it is listed in ``skipped``)."""
    company = _name(DEFAULT_COMPANY if company is None else company, "company name")
    title = _name(f"{company}运营管理制度汇编" if title is None else title, "title")
    if target.exists() and not target.is_dir():
        raise ScaffoldRefused("'{target}' exists and is not a folder", target=str(target))
    if target.is_dir() and not force and any(p.name != ".git" for p in target.iterdir()):
        raise ScaffoldRefused("'{target}' is not empty; use --force to add the starter files "
                          "beside what is there (existing files are never overwritten)",
                          target=str(target))
    today = today or dt.date.today()
    effective = dt.date(today.year, 1, 1)
    values = {"TITLE": title, "COMPANY": company, "YEAR": str(today.year),
              "EFFECTIVE": effective.isoformat(),
              "REVIEW_BY": effective.replace(year=today.year + 3).isoformat(),
              "VERSION": __version__}
    result = InitResult()
    for rel, source in starter_files():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = _fill(source.read_text("utf-8"), values, source.suffix in (".yaml", ".yml"))
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except FileExistsError:
            result.skipped.append(path)
            continue
        result.written.append(path)
    return result
