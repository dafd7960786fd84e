"""Handbook configuration: ``policies/_handbook.yaml`` (site settings, department
registry, per-code severity overrides), validated with key-level positions.

Imports: diagnostics, sources, yamlsafe, model.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from handbook_gen.diagnostics import (CODES, Diagnostics, Location, Severity, did_you_mean,
                                      overridable)
from handbook_gen.model import Department, SiteInfo
from handbook_gen.sources import CONFIG_NAME, SourceFile
from handbook_gen.yamlsafe import YamlScope

TOP_KEYS = ("title", "language", "base_url", "departments", "diagnostics")
DEPT_KEYS = ("id", "name", "parent", "duties")


@dataclass
class HandbookConfig:
    site: SiteInfo
    departments: dict[str, Department] = field(default_factory=dict)
    overrides: dict[str, Severity] = field(default_factory=dict)


def parse_config(src: SourceFile | None, diags: Diagnostics) -> HandbookConfig:
    default = HandbookConfig(SiteInfo("制度汇编", "zh-CN", None))
    if src is None:
        return default
    scope = YamlScope(src, 0, diags)
    root = scope.load(src.text)
    items = scope.mapping(root, CONFIG_NAME) if root is not None else None
    if items is None:
        return default
    scope.unknown_keys(items, TOP_KEYS, "configuration")
    title = scope.text(items["title"][1], "title") if "title" in items else None
    if not title:
        diags.add("HB102", "missing required key 'title'", Location(src.path, 1, 1))
        title = default.site.title
    language = (scope.text(items["language"][1], "language") if "language" in items
                else None) or "zh-CN"
    base_url = scope.text(items["base_url"][1], "base_url") if "base_url" in items else None
    config = HandbookConfig(SiteInfo(title, language, base_url))
    if "diagnostics" in items:
        config.overrides = _overrides(scope, items["diagnostics"][1], diags)
    if "departments" in items:
        config.departments = _departments(scope, items["departments"][1], diags)
    return config


def _overrides(scope: YamlScope, node, diags: Diagnostics) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    items = scope.mapping(node, "'diagnostics'")
    for code, (key_node, value_node) in (items or {}).items():
        if code not in CODES:
            diags.add("HB101", f"unknown diagnostic code '{code}'", scope.loc(key_node),
                      hint=did_you_mean(code, CODES))
            continue
        level = (scope.text(value_node, code) or "").lower()
        if level not in ("error", "warning", "info"):
            diags.add("HB112", f"severity for {code} must be error, warning or info",
                      scope.loc(value_node))
            continue
        if not overridable(code) and Severity[level.upper()] != CODES[code][0]:
            diags.add("HB112", f"the severity of {code} ({CODES[code][1]}) cannot be changed: "
                      "it means content would be lost or the output unsafe",
                      scope.loc(key_node), hint="fix the problem it reports instead; the "
                      "fixed codes are listed in docs/diagnostics.md")
            continue
        out[code] = Severity[level.upper()]
    return out


def _departments(scope: YamlScope, node, diags: Diagnostics) -> dict[str, Department]:
    import yaml
    if not isinstance(node, yaml.SequenceNode):
        diags.add("HB103", "'departments' must be a list of {id, name, parent?, duties?}",
                  scope.loc(node))
        return {}
    out: dict[str, Department] = {}
    for item in node.value:
        fields = scope.mapping(item, "a department")
        if fields is None:
            continue
        scope.unknown_keys(fields, DEPT_KEYS, "department")
        dept_id = scope.text(fields["id"][1], "id") if "id" in fields else None
        name = scope.text(fields["name"][1], "name") if "name" in fields else None
        if not dept_id or not name:
            diags.add("HB125", "a department needs an 'id' and a 'name'", scope.loc(item))
            continue
        if dept_id in out:
            diags.add("HB125", f"duplicate department id '{dept_id}'", scope.loc(fields["id"][1]))
            continue
        parent = scope.text(fields["parent"][1], "parent") if "parent" in fields else None
        duties = tuple(v for v, _ in scope.text_list(fields["duties"][1], "duties")) \
            if "duties" in fields else ()
        out[dept_id] = Department(dept_id, name, parent, duties, scope.loc(item))
    for dept in out.values():
        if dept.parent and dept.parent not in out:
            diags.add("HB125", f"department '{dept.id}' has unknown parent '{dept.parent}'",
                      dept.location, hint=did_you_mean(dept.parent, out))
    for dept in out.values():  # parent cycles
        seen, cur = set(), dept
        while cur and cur.parent and cur.parent in out:
            if cur.id in seen:
                diags.add("HB125", f"department '{dept.id}' is its own ancestor",
                          dept.location)
                break
            seen.add(cur.id)
            cur = out[cur.parent]
    return out
