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
import unicodedata

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
# What a Chinese input method types in a "key: value" line: a full-width colon after the
# key, a full-width space after the colon, full-width spaces in the indentation.
_KEY_LINE = re.compile(r"(?P<indent>[ \t\u3000]*)(?:-[ \t]+)?(?P<key>[^\s:：#'\"\[\]{}|>&*!%@`-]"
                       r"[^:：#]{0,30}?)[ \t]*(?P<colon>：|:(?=\u3000)|:(?=[ \t]|$))"
                       r"(?P<space>\u3000*)(?P<value>.*)")
_ASCII_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# Dates as Chinese editors write them, year first (unambiguous): 2026年1月1日, 2026.1.1,
# 2026/1/1, with full-width digits too (NFKC makes them ASCII).
_CHINESE_DATE = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?|"
                           r"([./])(\d{1,2})\4(\d{1,2}))")


def _iso_guess(value: str) -> str | None:
    """YYYY-MM-DD for a date written day or month first with a four-digit year at the
    end (1/2/2026), when day and month cannot be mixed up (one of them is over 12)."""
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", unicodedata.normalize("NFKC", value))
    if not m:
        return None
    a, b = int(m[1]), int(m[2])
    if a > 12 >= b:
        return f"{m[3]}-{b:02d}-{a:02d}"
    if b > 12 >= a:
        return f"{m[3]}-{a:02d}-{b:02d}"
    return None


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
        self.shifts: dict[int, int] = {}
        """line (0-based) -> column after which the repaired text has one character more
        than the file (a full-width colon written as ': ')."""

    def loc(self, node_or_mark) -> Location:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        col = mark.column
        if mark.line in self.shifts and col > self.shifts[mark.line]:
            col -= 1
        return Location(self.src.path, self.line_offset + mark.line + 1, col + 1)

    # ---- input-method traps ----------------------------------------------------------
    def _ime_traps(self, text: str) -> str:
        """Report (HB100) each key line typed with a full-width colon or space, and return
        the text with them written as YAML needs, so that the rest is still checked. Only
        a line at most as deep as the key line before it (or a list item) can be a key
        line: the continuation of a value and the text of a block scalar (``|``, ``>``)
        are never touched."""
        lines = text.split("\n")
        base = 10 ** 6  # indentation of the last key line (the first line may be any)
        block: int | None = None  # the indentation of a block scalar's key, while in it
        for i, line in enumerate(lines):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip(" \t\u3000"))
            if block is not None and indent > block:
                continue
            block = None
            if "\u3000" in line[:indent]:
                self.diags.add("HB100", "full-width space in the indentation",
                               self._at(i, line.index("\u3000")),
                               hint="indent with ordinary spaces (switch the input method to "
                               "half-width)")
                line = lines[i] = line[:indent].replace("\u3000", " ") + line[indent:]
            m = _KEY_LINE.match(line)
            item = line.lstrip(" \t").startswith("- ")
            if not m or (indent > base and not item) or (item and not _ASCII_KEY.fullmatch(
                    m["key"].strip())):  # "- 手册：员工版" is a list item's text
                continue
            base = indent + (2 if item else 0)
            key, value = m["key"].strip(), m["value"].strip()
            fixed = f"{key}: {value}"[:60]
            if m["colon"] == "：":
                self.diags.add("HB100", "full-width colon '：' after the key '{key}': YAML "
                               "needs an ASCII colon and a space", self._at(i, m.start("colon")),
                               hint="write {fixed}", key=key, fixed=fixed)
                if m["space"] or m["value"][:1] in (" ", "\t", ""):
                    line = line[:m.start("colon")] + ":" + line[m.end("colon"):]
                else:
                    line = line[:m.start("colon")] + ": " + line[m.end("colon"):]
                    self.shifts[i] = m.start("colon")
            if m["space"]:
                self.diags.add("HB100", "full-width space after '{key}:': YAML needs an "
                               "ordinary space after the colon", self._at(i, m.start("space")),
                               hint="write {fixed}", key=key, fixed=fixed)
                line = line[:m.start("space")] + " " * len(m["space"]) + line[m.end("space"):]
            lines[i] = line
            if value[:1] in ("|", ">"):
                block = indent
        return "\n".join(lines)

    def _at(self, line: int, col: int) -> Location:
        return Location(self.src.path, self.line_offset + line + 1, col + 1)

    # ---- loading -------------------------------------------------------------------
    def load(self, text: str):
        """Compose `text` into a node tree, or None after reporting why not. Input-method
        traps are reported and read as meant, so the rest of the block is checked too."""
        if len(text.encode("utf-8")) > MAX_YAML_BYTES:
            self.diags.add("HB109", "YAML block exceeds {kib} KiB",
                           Location(self.src.path, self.line_offset + 1, 1),
                           kib=MAX_YAML_BYTES // 1024)
            return None
        if "：" in text or "\u3000" in text:
            text = self._ime_traps(text)
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
        m = _DATE.match(unicodedata.normalize("NFKC", value))
        if not m:  # 2026年1月1日, 2026.1.1, 2026/1/1: unambiguous, read as meant
            c = _CHINESE_DATE.fullmatch(unicodedata.normalize("NFKC", value))
            if c:
                return self._valid_date(node, key, value, c[1], c[2] or c[5], c[3] or c[6])
        if not m:
            iso = _iso_guess(value)
            self.diags.add("HB105", "'{key}' must be a date written YYYY-MM-DD, got '{value}'",
                           self.loc(node), hint="write {key}: {iso}" if iso else
                           "e.g. {key}: 2026-01-01", key=key, value=shown(value), iso=iso)
            return None
        return self._valid_date(node, key, value, m[1], m[2], m[3])

    def _valid_date(self, node, key: str, value: str, year: str, month: str,
                    day: str) -> _dt.date | None:
        try:
            return _dt.date(int(year), int(month), int(day))
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
