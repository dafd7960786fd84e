"""Safe, position-keeping YAML for front matter and _handbook.yaml.

Every scalar stays the text the author typed (no YAML 1.1 implicit typing: `NO`,
`1.10`, `10:00`, `0755` remain strings), duplicate keys, aliases/anchors, custom tags,
deep nesting and oversized blocks are rejected with file:line:col before anything is
constructed, so an alias bomb costs nothing. Text values and keys holding control
characters (which YAML escapes such as ``"\\e]0;x\\a"`` or ``"\\0"`` can produce) are
refused, so they never reach a terminal, a file name or a page.
"""
from __future__ import annotations

import datetime as _dt
import re

import yaml

from handbook_gen.core.diagnostics import DID_YOU_MEAN, Diagnostics, Location, closest
from handbook_gen.core.ids import shown
from handbook_gen.source.reader import SourceFile

try:  # libyaml is 5–20x faster; the pre-pass below keeps it away from its crash cases
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python fallback
    _Loader = yaml.SafeLoader

MAX_YAML_BYTES = 64 * 1024
MAX_DEPTH = 16
_STD_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
             "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
             "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}
# What a YAML 1.1 reader would silently turn a plain scalar into, by resolved tag.
_TRAP_KINDS = {"tag:yaml.org,2002:bool": "a boolean", "tag:yaml.org,2002:int": "an integer",
               "tag:yaml.org,2002:float": "a number", "tag:yaml.org,2002:timestamp": "a date",
               "tag:yaml.org,2002:null": "null"}
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# C0 controls except tab and newline, DEL and C1 controls (ESC starts terminal sequences).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _char_at(text: str, mark) -> str:
    """The character at a YAML error mark ('' past the end of its line)."""
    lines = text.split("\n")
    return lines[mark.line][mark.column:mark.column + 1] if mark.line < len(lines) else ""


def no_value(node) -> bool:
    """An empty or null scalar (`key:`, `key: ~`, `key: ""`): a missing value, which
    YamlScope.text returns as None without reporting."""
    return getattr(node, "value", None) in ("", None) or (
        not getattr(node, "style", "x") and node.tag == "tag:yaml.org,2002:null")


class YamlScope:
    """Position mapping for one YAML block inside a source file."""

    def __init__(self, src: SourceFile, line_offset: int, diags: Diagnostics):
        self.src, self.line_offset, self.diags = src, line_offset, diags

    def loc(self, node_or_mark) -> Location:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        return Location(self.src.path, self.line_offset + mark.line + 1, mark.column + 1)

    # ---- loading -------------------------------------------------------------------
    def load(self, text: str):
        """Compose `text` into a node tree, or None after reporting why not."""
        if len(text.encode("utf-8")) > MAX_YAML_BYTES:
            self.diags.add("HB109", "YAML block exceeds {kib} KiB",
                           Location(self.src.path, self.line_offset + 1, 1),
                           kib=MAX_YAML_BYTES // 1024)
            return None
        try:
            depth = 0
            for ev in yaml.parse(text, Loader=_Loader):
                if isinstance(ev, (yaml.AliasEvent,)) or getattr(ev, "anchor", None):
                    self.diags.add("HB107", "YAML anchors and aliases are not allowed",
                                   self.loc(ev), hint="write the value out in full")
                    return None
                tag = getattr(ev, "tag", None)
                if tag and tag not in _STD_TAGS and tag != "!":
                    self.diags.add("HB103", "YAML tag '{tag}' is not allowed", self.loc(ev),
                                   hint="remove the tag (the '!…' before the value)", tag=tag)
                    return None
                if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    depth += 1
                    if depth > MAX_DEPTH:
                        self.diags.add("HB108", "YAML nested deeper than {depth} levels",
                                       self.loc(ev), depth=MAX_DEPTH)
                        return None
                elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    depth -= 1
            return yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            msg = (exc.problem or str(exc)).strip()
            hint = None
            if "mapping values are not allowed" in msg:
                hint = "quote the value if it contains ': '"
            elif mark and _char_at(text, mark) == "\t":  # libyaml's message does not say
                hint = "indent with spaces, not tabs"
            self.diags.add("HB100", "YAML syntax error: {problem!t}", self.loc(mark) if mark
                           else Location(self.src.path, self.line_offset + 1, 1), hint=hint,
                           problem=msg)
        except (yaml.YAMLError, ValueError, RecursionError) as exc:
            self.diags.add("HB100", "YAML error: {problem}",
                           Location(self.src.path, self.line_offset + 1, 1), problem=str(exc))
        return None

    # ---- typed access --------------------------------------------------------------
    def mapping(self, node, what: str) -> dict | None:
        """{key: (key_node, value_node)}; reports duplicates and non-mappings."""
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "text"
            hint = None
            if isinstance(node, yaml.ScalarNode) and "：" in node.value:
                hint = "use an ASCII colon ':' after each key, not the fullwidth '：'"
            self.diags.add("HB111", "{what!t} must be a mapping of keys to values, found {kind!t}",
                           self.loc(node), hint=hint, what=what, kind=kind)
            return None
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.diags.add("HB103", "keys must be plain text", self.loc(key_node),
                               hint="write the key as a plain word, e.g. title")
                continue
            key = key_node.value
            if self._has_control(key_node, None):
                continue
            if key in out:
                first = out[key][0].start_mark.line + self.line_offset + 1
                self.diags.add("HB106", "duplicate key '{key}' (first defined on line {first})",
                               self.loc(key_node), hint="remove one of them", key=key,
                               first=first)
                continue
            out[key] = (key_node, value_node)
        return out

    def unknown_keys(self, items: dict, allowed, what: str) -> None:
        for key, (key_node, _) in items.items():
            if key not in allowed:
                guess = closest(key, allowed)
                self.diags.add("HB101", "unknown {what!t} key '{key}'", self.loc(key_node),
                               hint=DID_YOU_MEAN if guess else None, what=what, key=key,
                               guess=guess)

    def text(self, node, key: str) -> str | None:
        """A string value; None for an empty value. Reports lists/maps and typing traps."""
        if not isinstance(node, yaml.ScalarNode):
            kind = "list" if isinstance(node, yaml.SequenceNode) else "mapping"
            self.diags.add("HB103", "'{key}' must be text, not a {kind!t}", self.loc(node),
                           key=key, kind=kind)
            return None
        value = node.value
        if self._has_control(node, key):
            return None
        if not node.style:  # plain (unquoted) scalar: the tag says what YAML 1.1 makes of it
            what = _TRAP_KINDS.get(node.tag)
            if what == "null" or value == "":
                return None
            if what:
                if what == "an integer" and _SEXAGESIMAL.match(value):
                    what = "a sexagesimal number"
                self.diags.add("HB104", "unquoted '{value}' in '{key}' is {what!t} to YAML 1.1 "
                               "tools; it is kept as the text '{value}'", self.loc(node),
                               hint='quote it: {key}: "{value}"', value=value, key=key,
                               what=what)
        return value

    def _has_control(self, node, key: str | None) -> bool:
        """Report a control character in a value of `key` (or, for None, in a key)."""
        m = _CONTROL.search(node.value)
        if m:
            self.diags.add("HB115", "a key holds the control character U+{char}: '{text}'"
                           if key is None else
                           "'{key}' holds the control character U+{char}: '{text}'",
                           self.loc(node), hint="remove it (escapes such as \\e, \\0 or \\x1b "
                           "in quoted values produce control characters)", key=key,
                           char=f"{ord(m[0]):04X}", text=shown(node.value))
        return m is not None

    def date(self, node, key: str) -> _dt.date | None:
        if not isinstance(node, yaml.ScalarNode):
            self.diags.add("HB103", "'{key}' must be a date, not a list or mapping",
                           self.loc(node), key=key)
            return None
        value = node.value.strip()
        if not value or (not node.style and node.tag == "tag:yaml.org,2002:null"):
            return None
        m = _DATE.match(value)
        if not m:
            self.diags.add("HB105", "'{key}' must be a date written YYYY-MM-DD, got '{value}'",
                           self.loc(node), hint="e.g. {key}: 2026-01-01", key=key,
                           value=shown(value))
            return None
        try:
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            self.diags.add("HB105", "invalid date '{value}' in '{key}': {problem!t}",
                           self.loc(node), hint="check the day and month", value=value,
                           key=key, problem=str(exc))
            return None

    def text_list(self, node, key: str) -> list[tuple[str, Location]]:
        """A list of strings (a single scalar counts as a one-item list)."""
        if isinstance(node, yaml.ScalarNode):
            value = self.text(node, key)
            return [] if value is None else [(value, self.loc(node))]
        if not isinstance(node, yaml.SequenceNode):
            self.diags.add("HB103", "'{key}' must be a list", self.loc(node),
                           hint="write one item per line: '- …'", key=key)
            return []
        out = []
        for item in node.value:
            value = self.text(item, key)
            if value is not None:
                out.append((value, self.loc(item)))
        return out
