"""yamlsafe.YamlScope on its own: what load() refuses before composing (anchors, tags,
depth, size), syntax errors with line:col and hints, and the typed accessors (mapping,
text, date, text_list) with the position of every problem."""
from __future__ import annotations

import datetime as dt

import pytest

from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.source.reader import SourceFile
from handbook_gen.source.yamlsafe import MAX_DEPTH, MAX_YAML_BYTES, YamlScope, no_value

PATH = "policies/01-a/a.md"


def scope(offset: int = 1) -> YamlScope:
    """A scope for a block that starts after `offset` lines (front matter: after '---')."""
    return YamlScope(SourceFile(PATH, ""), offset, Diagnostics())


def found(s: YamlScope) -> list[tuple[str, str]]:
    return [(d.code, str(d.location)) for d in s.diags.items]


def load(text: str, offset: int = 1):
    s = scope(offset)
    return s.load(text), s


def items(text: str):
    s = scope()
    return s.mapping(s.load(text), "front matter"), s


# ---- load: refused before anything is constructed ------------------------------------
@pytest.mark.parametrize("text, where", [
    ("tags: &a [x]\n", "2:7"),
    ("a: 1\nb:\n  - *a\n", "4:5"),
    ("a: !!str &x y\n", "2:4"),
])
def test_anchors_and_aliases_are_refused_where_they_stand(text, where):
    root, s = load(text)
    assert root is None
    assert found(s) == [("HB107", f"{PATH}:{where}")]
    assert s.diags.items[0].hint == "write the value out in full"


@pytest.mark.parametrize("text, tag", [
    ("a: !foo x\n", "!foo"),
    ("a: !!python/object/apply:os.system [ls]\n", "tag:yaml.org,2002:python/object/apply:os.system"),
    ("a: !!binary eHg=\n", "tag:yaml.org,2002:binary"),
    ("a: !!set {x}\n", "tag:yaml.org,2002:set"),
    ("%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n", "tag:example.com,2000:x"),
])
def test_tags_outside_the_core_schema_are_refused(text, tag):
    root, s = load(text)
    assert root is None
    assert [(d.code, d.message) for d in s.diags.items] == \
        [("HB103", f"YAML tag '{tag}' is not allowed")]


def test_core_schema_tags_are_accepted():
    root, s = load("a: !!str 1\nb: !!int '2'\nc: ! x\n")
    assert root is not None and not s.diags.items


def test_nesting_limit_is_inclusive_and_reported_at_the_deepest_opening():
    root, s = load("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    assert root is not None and not s.diags.items
    root, s = load("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert root is None
    # the outer mapping is level 1, so the MAX_DEPTH-th '[' is one too many
    assert found(s) == [("HB108", f"{PATH}:2:{3 + MAX_DEPTH}")]


def test_size_limit_counts_utf8_bytes():
    # '甲' is 3 bytes: the block is measured as the file stores it, not in characters
    fits = "t: " + "甲" * ((MAX_YAML_BYTES - 4) // 3) + "\n"
    assert len(fits.encode()) <= MAX_YAML_BYTES < len(fits.encode()) + 3
    root, s = load(fits)
    assert root is not None and not s.diags.items
    root, s = load(fits.replace("t:", "t: 甲"), offset=7)
    assert root is None
    assert found(s) == [("HB109", f"{PATH}:8:1")]
    assert s.diags.items[0].message == f"YAML block exceeds {MAX_YAML_BYTES // 1024} KiB"


@pytest.mark.parametrize("text, where, hint", [
    ("title: 制度: 考勤\n", "2:10", "quote the value if it contains ': '"),
    ("tags:\n\t- a\n", "3:1", "indent with spaces, not tabs"),
    ("a:\n  b: 1\n\tc: 2\n", "4:1", "indent with spaces, not tabs"),
    ("title: [\n", "3:1", None),
    ("a: 1\n---\nb: 2\n", "3:1", None),
])
def test_syntax_errors_have_the_position_and_a_hint(text, where, hint):
    root, s = load(text)
    assert root is None
    assert found(s) == [("HB100", f"{PATH}:{where}")]
    assert s.diags.items[0].message.startswith("YAML syntax error: ")
    assert s.diags.items[0].hint == hint


def test_an_empty_block_composes_to_nothing_without_a_report():
    root, s = load("# 只有注释\n\n")
    assert root is None and not s.diags.items


# ---- mapping and keys ------------------------------------------------------------------
def test_duplicate_key_names_the_first_line_in_file_numbering():
    got, s = items("id: A\ntitle: 甲\nid: B\n")
    assert list(got) == ["id", "title"] and got["id"][1].value == "A"
    assert found(s) == [("HB106", f"{PATH}:4:1")]
    assert s.diags.items[0].message == "duplicate key 'id' (first defined on line 2)"


@pytest.mark.parametrize("text, kind, hint", [
    ("- a\n- b\n", "a list", None),
    ("just text\n", "text", None),
])
def test_a_block_that_is_not_a_mapping(text, kind, hint):
    got, s = items(text)
    assert got is None
    assert found(s) == [("HB111", f"{PATH}:2:1")]
    assert s.diags.items[0].message == \
        f"front matter must be a mapping of keys to values, found {kind}"
    assert s.diags.items[0].hint == hint


def test_keys_must_be_plain_text_without_controls():
    got, s = items("? [a, b]\n: 1\n\"doc\\eno\": x\nok: y\n")
    assert list(got) == ["ok"]
    assert [(d.code, str(d.location)) for d in s.diags.items] == [
        ("HB103", f"{PATH}:2:3"), ("HB115", f"{PATH}:4:1")]
    assert "U+001B" in s.diags.items[1].message and "\x1b" not in s.diags.items[1].message


def test_unknown_keys_are_warned_with_a_suggestion():
    got, s = items("titel: 甲\nowner: GMO\n")
    s.unknown_keys(got, ("title", "owner"), "front-matter")
    assert found(s) == [("HB101", f"{PATH}:2:1")]
    assert s.diags.items[0].message == "unknown front-matter key 'titel'"
    assert s.diags.items[0].hint == "did you mean 'title'?"


# ---- text: the author's text, typing traps warned --------------------------------------
@pytest.mark.parametrize("raw, what", [
    ("NO", "a boolean"), ("on", "a boolean"), ("0755", "an integer"), ("1.10", "a number"),
    ("10:00", "a sexagesimal number"), ("2025-01-01", "a date"),
])
def test_unquoted_typing_traps_stay_text_and_warn_at_the_value(raw, what):
    got, s = items(f"version: {raw}\n")
    assert s.text(got["version"][1], "version") == raw
    assert found(s) == [("HB104", f"{PATH}:2:10")]
    assert s.diags.items[0].message == (f"unquoted '{raw}' in 'version' is {what} to YAML 1.1 "
                                        f"tools; it is kept as the text '{raw}'")
    assert s.diags.items[0].hint == f'quote it: version: "{raw}"'


@pytest.mark.parametrize("raw, value", [('"NO"', "NO"), ("'1.10'", "1.10"), ("考勤", "考勤"),
                                        ("~", None), ("", None), ("null", None)])
def test_quoted_text_and_empty_values_are_not_reported(raw, value):
    got, s = items(f"a: {raw}\n")
    assert s.text(got["a"][1], "a") == value
    assert not s.diags.items


def test_text_refuses_lists_mappings_and_control_characters():
    got, s = items('a: [x]\nb: {c: 1}\nd: "考勤\\0制度"\ne: "考勤\\t制度"\n')
    assert [s.text(got[k][1], k) for k in "abde"] == [None, None, None, "考勤\t制度"]
    assert [(d.code, str(d.location), d.message) for d in s.diags.items] == [
        ("HB103", f"{PATH}:2:4", "'a' must be text, not a list"),
        ("HB103", f"{PATH}:3:4", "'b' must be text, not a mapping"),
        ("HB115", f"{PATH}:4:4", "'d' holds the control character U+0000: '考勤\\x00制度'")]


def test_no_value():
    got, _ = items('a:\nb: ~\nc: ""\nd: "~"\ne: x\n')
    assert [no_value(got[k][1]) for k in "abcde"] == [True, True, True, False, False]


# ---- dates -----------------------------------------------------------------------------
@pytest.mark.parametrize("raw, value", [("2025-03-01", dt.date(2025, 3, 1)),
                                        ('"2025-03-01"', dt.date(2025, 3, 1)),
                                        ("2025-3-1", dt.date(2025, 3, 1)), ("", None), ("~", None)])
def test_dates(raw, value):
    got, s = items(f"effective: {raw}\n")
    assert s.date(got["effective"][1], "effective") == value
    assert not s.diags.items


@pytest.mark.parametrize("raw, message", [
    ("2026-02-30", "invalid date '2026-02-30' in 'effective': day is out of range for month"),
    ("2025-13-01", "invalid date '2025-13-01' in 'effective': month must be in 1..12"),
    ("2025-03-01 10:00", "'effective' must be a date written YYYY-MM-DD, got '2025-03-01 10:00'"),
    ("[2025-03-01]", "'effective' must be a date, not a list or mapping"),
])
def test_bad_dates_are_reported_at_the_value(raw, message):
    got, s = items(f"effective: {raw}\n")
    assert s.date(got["effective"][1], "effective") is None
    assert [(str(d.location), d.message) for d in s.diags.items] == [(f"{PATH}:2:12", message)]


# ---- lists -----------------------------------------------------------------------------
def test_text_list_keeps_each_item_position():
    got, s = items("supersedes: QM-001\nrelated:\n  - QM-002\n  -\n  - '0755'\ntags: {a: 1}\n")
    assert s.text_list(got["supersedes"][1], "supersedes") == [
        ("QM-001", Location(PATH, 2, 13))]
    assert s.text_list(got["related"][1], "related") == [
        ("QM-002", Location(PATH, 4, 5)), ("0755", Location(PATH, 6, 5))]
    assert s.text_list(got["tags"][1], "tags") == []
    assert found(s) == [("HB103", f"{PATH}:7:7")]
