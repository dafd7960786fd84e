"""Front matter: split the leading ``---`` block and type it into PolicyMeta/ChapterMeta.

Keeps the line offset of the body so Markdown positions map back to the file. An empty
block (nothing but blank lines and comments) is an error, never a silently dropped file.
"""
from __future__ import annotations

import re

import yaml

from handbook_gen.core import ids, lang
from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.model import STATUSES, Change, ChapterMeta, PolicyMeta, Status
from handbook_gen.source.reader import SourceFile
from handbook_gen.source.yamlsafe import YamlScope, no_value

POLICY_REQUIRED = ("id", "title", "owner", "status", "effective", "version")
POLICY_OPTIONAL = ("review_by", "supersedes", "related", "tags", "aliases", "approved_by", "doc_no",
                   "changes", "expires", "lang")
CHANGE_KEYS = ("version", "date", "summary")
CHAPTER_KEYS = ("title", "order")
CHINESE_KEYS = {
    "编号": "id", "制度编号": "id", "标题": "title", "名称": "title", "制度名称": "title",
    "章节名称": "title", "归口部门": "owner", "主管部门": "owner", "责任部门": "owner",
    "状态": "status", "生效日期": "effective", "施行日期": "effective", "版本": "version",
    "版本号": "version", "复审日期": "review_by", "替代": "supersedes", "相关制度": "related",
    "标签": "tags", "别名": "aliases", "简称": "aliases", "批准人": "approved_by",
    "审批人": "approved_by", "文号": "doc_no", "发文字号": "doc_no", "失效日期": "expires",
    "修订记录": "changes", "顺序": "order", "排序": "order",
}
"""Keys an editor may write in Chinese, and the key meant (reported, never read)."""
_OPEN = re.compile(r"---[ \t]*")
_FENCE = re.compile(r"(---|\.\.\.)[ \t]*")
_BLANK_OR_COMMENT = re.compile(r"[ \t]*(#.*)?")
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def split(src: SourceFile, diags: Diagnostics) -> tuple[str | None, str, int] | None:
    """(yaml text or None, body, body line offset); None when the block is unterminated."""
    text = src.text
    if not _OPEN.fullmatch(text.split("\n", 1)[0]):
        return None, text, 0
    start = pos = text.find("\n") + 1  # the block's first line (0: there is none)
    i = 1  # the number of the line at pos, 0-based
    while pos:  # line by line up to the closing one: the body is cut, never split
        end = text.find("\n", pos)
        if _FENCE.fullmatch(text[pos:] if end < 0 else text[pos:end]):
            return text[start:pos] or "\n", text[end + 1:] if end >= 0 else "", i + 1
        pos, i = end + 1, i + 1
    diags.add("HB110", "front matter opened here is never closed with a '---' line",
              Location(src.path, 1, 1), hint="add a line '---' after the last key")
    return None


def _is_empty(src: SourceFile, yaml_text: str, message: str, keys: str,
              diags: Diagnostics) -> bool:
    """Report a block holding nothing but blank lines and comments (HB114)."""
    if all(_BLANK_OR_COMMENT.fullmatch(line) for line in yaml_text.split("\n")):
        diags.add("HB114", message, Location(src.path, 1, 1),
                  hint="write {keys} between the '---' lines", keys=keys)
        return True
    return False


def parse_policy_meta(src: SourceFile, yaml_text: str, diags: Diagnostics) -> PolicyMeta | None:
    if _is_empty(src, yaml_text, "front matter is empty: the policy is not published",
                 ", ".join(POLICY_REQUIRED), diags):
        return None
    scope = YamlScope(src, 1, diags)
    root = scope.load(yaml_text)
    if root is None:
        return None
    items = scope.mapping(root, "front matter")
    if items is None:
        return None
    items, named = _chinese_keys(scope, items, POLICY_REQUIRED + POLICY_OPTIONAL,
                                 POLICY_REQUIRED, diags)
    scope.unknown_keys(items, POLICY_REQUIRED + POLICY_OPTIONAL, "front-matter")
    ok = True
    for key in POLICY_REQUIRED:
        if key not in items:
            if key not in named:
                diags.add("HB102", "missing required key '{key}'", Location(src.path, 1, 1),
                          hint="add '{key}: …' to the front matter", key=key)
            ok = False
    if not ok:
        return None
    values: dict = {}
    for key in ("id", "title", "owner", "status", "version", "approved_by", "doc_no"):
        if key in items:
            values[key] = scope.text(items[key][1], key)
    for key in ("effective", "review_by", "expires"):
        if key in items:
            values[key] = scope.date(items[key][1], key)
    for key in ("supersedes", "related"):
        if key in items:
            values[key] = tuple(scope.text_list(items[key][1], key))
    if "tags" in items:
        values["tags"] = tuple(v for v, _ in scope.text_list(items["tags"][1], "tags"))
    if "changes" in items:
        values["changes"] = _changes(scope, items["changes"][1], diags)
    if "aliases" in items:
        values["aliases"] = _aliases(scope.text_list(items["aliases"][1], "aliases"),
                                     values.get("title"), diags)
    if "lang" in items:
        values["lang"] = _lang(scope, items["lang"][1], diags)
    for key in POLICY_REQUIRED:
        node = items[key][1]
        if no_value(node):
            diags.add("HB102", "required key '{key}' has no value", scope.loc(node),
                      hint="write the value after '{key}: '", key=key)
            ok = False
        elif values.get(key) is None:  # already reported (bad date, wrong type)
            ok = False
    problem = ids.problem(values["id"]) if values.get("id") else None
    if problem:
        diags.add("HB112", "policy id '{id}' {problem!t}", scope.loc(items["id"][1]),
                  hint="e.g. QM-001", id=ids.shown(values["id"]), problem=problem)
        ok = False
    if values.get("status") and values["status"] not in STATUSES:
        hint, guess = _status_hint(values["status"])
        diags.add("HB112", "status '{status}' must be one of {statuses}",
                  scope.loc(items["status"][1]), hint=hint, status=values["status"],
                  statuses=", ".join(STATUSES), guess=guess)
        ok = False
    if not ok:
        return None
    return PolicyMeta(key_locations={k: scope.loc(kn) for k, (kn, _) in items.items()},
                      **values)


def _changes(scope: YamlScope, node, diags: Diagnostics) -> tuple[Change, ...]:
    """``changes:``, a list of ``{version, date (optional), summary}``; an entry without
    version or summary is reported (HB102) and left out, as is a version listed twice
    (HB106)."""
    if no_value(node):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        diags.add("HB103", "'changes' must be a list of entries (version, date, summary)",
                  scope.loc(node), hint='- {version: "2.0", date: 2025-01-01, summary: …}')
        return ()
    out: list[Change] = []
    for entry in node.value:
        fields = scope.mapping(entry, "a 'changes' entry")
        if fields is None:
            continue
        scope.unknown_keys(fields, CHANGE_KEYS, "'changes' entry")
        version = scope.text(fields["version"][1], "version") if "version" in fields else None
        summary = scope.text(fields["summary"][1], "summary") if "summary" in fields else None
        date = scope.date(fields["date"][1], "date") if "date" in fields else None
        for key, value in (("version", version), ("summary", summary)):
            if value is None and (key not in fields or no_value(fields[key][1])):
                diags.add("HB102", "a 'changes' entry has no {key}", scope.loc(entry),
                          hint="write version and summary, e.g. "
                          '{{version: "2.0", summary: 新增第九条}}', key=key)
        if version is None or summary is None:
            continue
        if any(c.version == version for c in out):
            diags.add("HB106", "version {version} is listed twice in 'changes'",
                      scope.loc(fields["version"][1]), hint="merge the two summaries",
                      version=version)
            continue
        out.append(Change(version, " ".join(summary.split()), date, scope.loc(entry)))
    return tuple(out)


def _aliases(found: list[tuple[str, Location]], title: str | None,
             diags: Diagnostics) -> tuple[str, ...]:
    """The declared aliases, stripped; an empty one, one equal to the title or a repeat is
    reported (HB116) and left out."""
    out: list[str] = []
    for value, loc in found:
        alias = " ".join(value.split())
        if not alias:
            diags.add("HB116", "an alias is empty", loc, hint="remove it or write the short name")
        elif alias == (title or "").strip():
            diags.add("HB116", "alias '{alias}' is the title itself", loc,
                      hint="aliases are other names: short names, former names", alias=alias)
        elif alias in out:
            diags.add("HB116", "alias '{alias}' is listed twice", loc,
                      hint="remove one of them", alias=alias)
        else:
            out.append(alias)
    return tuple(out)


_LANG_WORDS = {"繁体": "zh-Hant", "繁體": "zh-Hant", "traditional": "zh-Hant",
               "简体": "zh-Hans", "簡體": "zh-Hans", "simplified": "zh-Hans"}


def _lang(scope: YamlScope, node, diags: Diagnostics) -> str | None:
    """The `lang:` tag in its usual case (zh-hant → zh-Hant); one that is not a language tag
    is reported (HB112) and left out (the language is then detected from the text)."""
    value = scope.text(node, "lang")
    if not value:
        return None
    tag = lang.normalize(value)
    if tag is None:
        guess = _LANG_WORDS.get(value.strip().lower()) or lang.normalize(value.replace("_", "-"))
        diags.add("HB112", "lang '{value}' is not a language tag", scope.loc(node),
                  hint="write '{guess}'" if guess else "e.g. zh-Hant, zh-HK or zh-CN",
                  value=value, guess=guess)
    return tag


def _chinese_keys(scope: YamlScope, items: dict, allowed: tuple[str, ...],
                  required: tuple[str, ...], diags: Diagnostics) -> tuple[dict, set[str]]:
    """Keys written in Chinese (标题: for title:): each is reported with the English key
    to write (HB102 at its position when it stands for a missing required key, else
    HB101: the value is ignored) and left out. Returns the other items and the English
    keys reported this way (their missing-key error is the one given here)."""
    rest, named = {}, set()
    for key, (key_node, value_node) in items.items():
        english = CHINESE_KEYS.get(key)
        if english is None or english not in allowed:
            rest[key] = (key_node, value_node)
            continue
        value = value_node.value if isinstance(value_node, yaml.ScalarNode) else "…"
        fixed = f"{english}: {value or '…'}"[:60]
        if english in items:
            diags.add("HB101", "key '{key}' is written in Chinese and '{english}' is also "
                      "given; it is ignored", scope.loc(key_node), hint="remove it",
                      key=key, english=english)
        elif english in required:
            named.add(english)
            diags.add("HB102", "missing required key '{english}': keys are written in English, "
                      "not as '{key}'", scope.loc(key_node), hint="write {fixed}", key=key,
                      english=english, fixed=fixed)
        else:
            diags.add("HB101", "key '{key}' is written in Chinese: keys are English, so it is "
                      "ignored", scope.loc(key_node), hint="write {fixed}", key=key,
                      fixed=fixed)
    return rest, named


def _status_hint(value: str) -> tuple[str | None, str | None]:
    """(hint template, the status meant) for a status that is not one of STATUSES."""
    from handbook_gen.core.diagnostics import DID_YOU_MEAN, closest
    chinese = {Status(s).label: s for s in STATUSES} | {"有效": "active", "废止": "retired"}
    if value in chinese:
        return "write '{guess}'", chinese[value]
    guess = closest(value, STATUSES)
    return (DID_YOU_MEAN if guess else None), guess


def parse_chapter_meta(src: SourceFile, yaml_text: str | None, default_order: int,
                       fallback_title: str, diags: Diagnostics) -> ChapterMeta:
    if yaml_text is None:
        diags.add("HB113", "chapter file has no front matter with a 'title'",
                  Location(src.path, 1, 1), hint="start the file with ---, title: …, ---")
        return ChapterMeta(fallback_title, default_order)
    if _is_empty(src, yaml_text, "chapter front matter is empty", "'title: …'", diags):
        return ChapterMeta(fallback_title, default_order)
    scope = YamlScope(src, 1, diags)
    root = scope.load(yaml_text)
    items = scope.mapping(root, "front matter") if root is not None else None
    if not items:
        if root is not None and items is not None:
            diags.add("HB102", "missing required key 'title'", Location(src.path, 1, 1))
        return ChapterMeta(fallback_title, default_order)
    items, named = _chinese_keys(scope, items, CHAPTER_KEYS, ("title",), diags)
    scope.unknown_keys(items, CHAPTER_KEYS, "chapter")
    title = scope.text(items["title"][1], "title") if "title" in items else None
    if "title" not in named and ("title" not in items or no_value(items["title"][1])):
        diags.add("HB102", "missing required key 'title'", Location(src.path, 1, 1))
    title = title or fallback_title
    order = default_order
    if "order" in items:
        raw = items["order"][1]
        value = raw.value if hasattr(raw, "value") and isinstance(raw.value, str) else None
        if value is None or not _WHOLE_NUMBER.fullmatch(value.strip()):
            diags.add("HB103", "'order' must be a whole number", scope.loc(raw),
                      hint="e.g. order: 3")
        else:
            order = int(value)
    return ChapterMeta(title, order)
