"""`handbook new policy|chapter`: write a valid skeleton into the handbook.

The new policy gets the next free id of its chapter's prefix, today's date, status
draft and the standard opening and closing articles; the owner is checked against the
registry; an existing file is never overwritten.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from handbook_gen.core.diagnostics import Diagnostics, did_you_mean
from handbook_gen.core.ids import fold as id_fold, problem as id_problem, shown
from handbook_gen.markdown.document import CHAPTER_FILE, chapter_folder_info
from handbook_gen.build.pipeline import BuildOptions, BuildResult, load


class ScaffoldRefused(Exception):
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
    raise ScaffoldRefused(f"no chapter '{chapter}'" + (
        f"; {did_you_mean(chapter, [c.folder for c in hb.chapters] + [c.title for c in hb.chapters])}"
        if did_you_mean(chapter, [c.folder for c in hb.chapters]) else
        f"; chapters: {', '.join(c.folder for c in hb.chapters)}"))


def next_id(ids: list[str]) -> str | None:
    """The next free id after the chapter's most common prefix: QM-004 -> QM-005."""
    parsed = [m.groups() for m in (re.match(r"^(.*?)(\d+)$", i) for i in ids) if m]
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
        raise ScaffoldRefused(f"chapter '{ch.folder}' has no policies to number after; "
                              "give --id")
    if id_problem(policy_id):
        raise ScaffoldRefused(f"policy id '{shown(policy_id)}' {id_problem(policy_id)}")
    if policy_id in existing or policy_id.lower() in {i.lower() for i in existing}:
        raise ScaffoldRefused(f"policy id '{policy_id}' is already used")
    if owner is None:
        owners = Counter(hb.policies[i].meta.owner for i in ch.policy_ids)
        owner = owners.most_common(1)[0][0] if owners else None
    if owner is None or owner not in hb.departments:
        hint = did_you_mean(owner or "", hb.departments)
        raise ScaffoldRefused(f"owner '{owner}' is not in the department registry"
                              + (f"; {hint}" if hint else "; give --owner"))
    kind = next((w for w in ("办法", "规定", "细则", "程序", "制度") if title.endswith(w)), "制度")
    target = root / ch.folder / f"{policy_id.lower()}.md"
    text = POLICY_TEMPLATE.format(id=policy_id, title=title, owner=owner, kind=kind,
                                  today=(today or dt.date.today()).isoformat())
    _write_new(target, text)
    return target


def new_chapter(root: Path, title: str, slug: str) -> Path:
    if id_problem(slug) or slug != id_fold(slug):
        raise ScaffoldRefused(f"chapter slug '{shown(slug)}' "
                              f"{id_problem(slug) or 'must be lower-case'}")
    folders = [p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if any(chapter_folder_info(f)[0] == slug for f in folders):
        raise ScaffoldRefused(f"a chapter with slug '{slug}' already exists")
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
        raise ScaffoldRefused(f"{target} already exists; nothing was written") from None
