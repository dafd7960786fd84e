"""Handbook configuration: ``policies/_handbook.yaml`` (site settings, department
registry, per-code severity overrides), validated with key-level positions.

Department ids follow the identifier grammar of ids.py (they become page names); an
invalid id is never registered and an invalid parent link is never kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from handbook_gen.core import ids
from handbook_gen.core.diagnostics import (CODES, DID_YOU_MEAN, Diagnostics, Location, Severity,
                                           closest, overridable)
from handbook_gen.core.model import Department, SiteInfo
from handbook_gen.source.reader import CONFIG_NAME, SourceFile
from handbook_gen.source.yamlsafe import YamlScope, no_value

TOP_KEYS = ("title", "language", "base_url", "departments", "diagnostics", "search")
SEARCH_KEYS = ("synonyms",)
DEPT_KEYS = ("id", "name", "parent", "duties")
MAX_DEPT_DEPTH = 32
"""Levels of the department hierarchy. Real organisations have fewer than ten; the text
org chart stops at this depth (governance/pages.py), and drawing the chart recurses once
per level, so a chain a thousand deep would exhaust Python's stack (RecursionError)."""


@dataclass
class HandbookConfig:
    site: SiteInfo
    departments: dict[str, Department] = field(default_factory=dict)
    overrides: dict[str, Severity] = field(default_factory=dict)


def configured_language(root: Path) -> str | None:
    """The `language:` of the handbook in `root` (read quietly: the build reports what is
    wrong with the file), or None when it sets none or cannot be read."""
    from handbook_gen.source.reader import read_source
    root = root.resolve()
    if not (root / CONFIG_NAME).is_file():
        return None
    quiet = Diagnostics()
    src = read_source(root, f"{root.name}/{CONFIG_NAME}", quiet)
    scope = YamlScope(src, 0, quiet) if src else None
    root_node = scope.load(src.text) if scope else None
    items = scope.mapping(root_node, CONFIG_NAME) if root_node is not None else None
    if not items or "language" not in items:
        return None
    return scope.text(items["language"][1], "language")


def parse_config(src: SourceFile | None, diags: Diagnostics) -> HandbookConfig:
    default = HandbookConfig(SiteInfo("制度汇编", "zh-CN", None))
    if src is None:
        return default
    scope = YamlScope(src, 0, diags)
    before = len(diags.items)
    root = scope.load(src.text)
    if root is None and len(diags.items) == before:  # nothing but blank lines and comments
        diags.add("HB102", "missing required key 'title'", Location(src.path, 1, 1),
                  hint="the file is empty: write at least 'title:' and 'departments:'")
    items = scope.mapping(root, CONFIG_NAME) if root is not None else None
    if items is None:
        return default
    scope.unknown_keys(items, TOP_KEYS, "configuration")
    title = scope.text(items["title"][1], "title") if "title" in items else None
    if "title" not in items or no_value(items["title"][1]):  # other cases are reported
        diags.add("HB102", "missing required key 'title'", Location(src.path, 1, 1))
    title = title or default.site.title
    language = (scope.text(items["language"][1], "language") if "language" in items
                else None) or "zh-CN"
    base_url = scope.text(items["base_url"][1], "base_url") if "base_url" in items else None
    synonyms = _search(scope, items["search"][1], diags) if "search" in items else ()
    config = HandbookConfig(SiteInfo(title, language, base_url, synonyms))
    if "diagnostics" in items:
        config.overrides = _overrides(scope, items["diagnostics"][1], diags)
    if "departments" in items:
        config.departments = _departments(scope, items["departments"][1], diags)
    return config


def _search(scope: YamlScope, node, diags: Diagnostics) -> tuple[tuple[str, ...], ...]:
    """``search: {synonyms: [[辞退, 解除劳动合同], ...]}``: the handbook's synonym groups for
    search (search/synonyms.py), each a list of at least two words."""
    import yaml
    items = scope.mapping(node, "'search'")
    if items is None:
        return ()
    scope.unknown_keys(items, SEARCH_KEYS, "search")
    if "synonyms" not in items or no_value(items["synonyms"][1]):
        return ()
    node = items["synonyms"][1]
    if not isinstance(node, yaml.SequenceNode):
        diags.add("HB103", "'synonyms' must be a list of word lists", scope.loc(node),
                  hint="e.g. synonyms: [[辞退, 解除劳动合同], [加班费, 加班工资]]")
        return ()
    out: list[tuple[str, ...]] = []
    for item in node.value:
        if not isinstance(item, yaml.SequenceNode):
            diags.add("HB103", "a synonym group must be a list of words", scope.loc(item),
                      hint="e.g. [加班费, 加班工资]")
            continue
        words = tuple(dict.fromkeys(w.strip() for w, _ in scope.text_list(item, "synonyms") if w.strip()))
        if len(words) < 2:
            diags.add("HB112", "a synonym group needs at least two different words",
                      scope.loc(item), hint="e.g. [辞退, 解除劳动合同]")
            continue
        out.append(words)
    return tuple(out)


def _overrides(scope: YamlScope, node, diags: Diagnostics) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    items = scope.mapping(node, "'diagnostics'")
    for code, (key_node, value_node) in (items or {}).items():
        if code not in CODES:
            guess = closest(code, CODES)
            diags.add("HB101", "unknown diagnostic code '{code}'", scope.loc(key_node),
                      hint=DID_YOU_MEAN if guess else None, code=code, guess=guess)
            continue
        level = (scope.text(value_node, code) or "").lower()
        if level not in ("error", "warning", "info"):
            diags.add("HB112", "severity for {code} must be error, warning or info",
                      scope.loc(value_node), hint="e.g. {code}: warning", code=code)
            continue
        if not overridable(code) and Severity[level.upper()] != CODES[code][0]:
            diags.add("HB112", "the severity of {code} ({name}) cannot be changed: it means "
                      "content would be lost or the output unsafe", scope.loc(key_node),
                      hint="fix the problem it reports instead; the fixed codes are listed "
                      "in docs/diagnostics.md", code=code, name=CODES[code][1])
            continue
        out[code] = Severity[level.upper()]
    return out


def _departments(scope: YamlScope, node, diags: Diagnostics) -> dict[str, Department]:
    import yaml
    if not isinstance(node, yaml.SequenceNode):
        diags.add("HB103", "'departments' must be a list of departments", scope.loc(node),
                  hint="write each as '- id: FIN' with 'name: 财务部' below it")
        return {}
    out: dict[str, Department] = {}
    folded: dict[str, str] = {}
    names: dict[str, str] = {}
    for item in node.value:
        fields = scope.mapping(item, "a department")
        if fields is None:
            continue
        scope.unknown_keys(fields, DEPT_KEYS, "department")
        dept_id = scope.text(fields["id"][1], "id") if "id" in fields else None
        name = scope.text(fields["name"][1], "name") if "name" in fields else None
        if not dept_id or not name:  # a refused value (wrong type, control character) is reported
            if any(k not in fields or no_value(fields[k][1]) for k in ("id", "name")):
                diags.add("HB125", "a department needs an 'id' and a 'name'", scope.loc(item),
                          hint="e.g. '- id: FIN' and 'name: 财务部'")
            continue
        id_loc = scope.loc(fields["id"][1])
        problem = ids.problem(dept_id)
        if problem:  # never registered: the id would become a file name
            diags.add("HB112", "department id '{id}' {problem!t}", id_loc,
                      hint="e.g. FIN or HK-ADM", id=ids.shown(dept_id), problem=problem)
            continue
        if dept_id in out:
            diags.add("HB125", "duplicate department id '{id}'", id_loc,
                      hint="each department needs its own id", id=dept_id)
            continue
        if ids.fold(dept_id) in folded:
            diags.add("HB122", "department ids '{first}' and '{id}' map to the same page URL",
                      id_loc, hint="ids must differ in more than letter case",
                      first=folded[ids.fold(dept_id)], id=dept_id)
            continue
        if name in names:
            diags.add("HB125", "duplicate department name '{name}' (also '{other}')",
                      scope.loc(fields["name"][1]), hint="each department needs its own name",
                      name=name, other=names[name])
        parent = (scope.text(fields["parent"][1], "parent") if "parent" in fields
                  else None) or None  # parent: "" is no parent, as parent: is
        duties = tuple(v for v, _ in scope.text_list(fields["duties"][1], "duties")) \
            if "duties" in fields else ()
        out[dept_id] = Department(dept_id, name, parent, duties, scope.loc(item))
        folded[ids.fold(dept_id)] = dept_id
        names.setdefault(name, dept_id)
    return _hierarchy(out, diags)


def _hierarchy(out: dict[str, Department], diags: Diagnostics) -> dict[str, Department]:
    """Report unknown parents, parent cycles and nesting deeper than MAX_DEPT_DEPTH, and
    detach those departments from their parents, so that no later phase follows an
    invalid parent link. Each department is visited once (linear in the registry)."""
    cut: set[str] = set()
    for dept in out.values():
        if dept.parent and dept.parent not in out:
            guess = closest(dept.parent, out)
            diags.add("HB125", "department '{id}' has unknown parent '{parent}'",
                      dept.location, hint=DID_YOU_MEAN if guess else None, id=dept.id,
                      parent=dept.parent, guess=guess)
            cut.add(dept.id)
    depth: dict[str, int] = {}
    for start in out:
        path: list[str] = []
        on_path: dict[str, int] = {}
        cur: str | None = start
        while cur is not None and cur not in depth and cur not in on_path:
            on_path[cur] = len(path)
            path.append(cur)
            cur = out[cur].parent if cur not in cut and out[cur].parent else None
        if cur is not None and cur in on_path:  # path[on_path[cur]:] is a cycle
            cycle = path[on_path[cur]:]
            for i, dept_id in enumerate(cycle):
                chain = " → ".join(_cycle_from(cycle, i))
                diags.add("HB125", "department '{id}' is its own ancestor ({chain})"
                          if len(cycle) <= 4 else "department '{id}' is its own ancestor "
                          "({chain}; {n} departments in the cycle)",
                          out[dept_id].location, hint="remove one 'parent' of the cycle",
                          id=dept_id, chain=chain, n=len(cycle))
                depth[dept_id] = 1
                cut.add(dept_id)
            path = path[:on_path[cur]]
        level = depth[cur] if cur is not None else 0
        for dept_id in reversed(path):
            level += 1
            depth[dept_id] = level
    for dept_id, level in depth.items():
        if level == MAX_DEPT_DEPTH + 1:
            diags.add("HB125", "department '{id}' is {level} levels deep in the hierarchy; "
                      "the limit is {limit}", out[dept_id].location,
                      hint="attach it, and the departments below it, higher up",
                      id=dept_id, level=level, limit=MAX_DEPT_DEPTH)
        if level > MAX_DEPT_DEPTH:
            cut.add(dept_id)
    return {k: replace(d, parent=None) if k in cut else d for k, d in out.items()}


def _cycle_from(cycle: list[str], i: int, shown: int = 4) -> list[str]:
    """The cycle read from its i-th member back to it; long cycles are shortened."""
    n = len(cycle)
    if n <= shown:
        return [cycle[(i + k) % n] for k in range(n + 1)]
    return [cycle[(i + k) % n] for k in range(shown)] + ["…", cycle[i]]
