"""frontmatter on its own: splitting the leading block (delimiters, BOM, CRLF), typing it
into PolicyMeta / ChapterMeta, and where each problem is reported."""
from __future__ import annotations

import datetime as dt

import pytest

from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.source.frontmatter import (POLICY_REQUIRED, parse_chapter_meta,
                                             parse_policy_meta, split)
from handbook_gen.source.reader import SourceFile, decode

PATH = "policies/01-a/a.md"
CHAPTER = "policies/01-a/_chapter.md"
META = ('id: QM-001\ntitle: 质量制度\nowner: QA\nstatus: active\neffective: 2025-03-01\n'
        'version: "2.1"\n')


def src(text: str, path: str = PATH) -> SourceFile:
    return SourceFile(path, text)


def policy(yaml_text: str):
    diags = Diagnostics()
    meta = parse_policy_meta(src("---\n" + yaml_text + "---\n"), yaml_text, diags)
    return meta, [(d.code, str(d.location), d.message) for d in diags.items], diags


def chapter(yaml_text: str | None, order: int = 4):
    diags = Diagnostics()
    meta = parse_chapter_meta(src(f"---\n{yaml_text}---\n", CHAPTER), yaml_text, order,
                              "quality", diags)
    return meta, [(d.code, str(d.location), d.message) for d in diags.items]


# ---- split -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("---\na: 1\n---\n正文\n", ("a: 1\n", "正文\n", 3)),
    ("---  \na: 1\n...\t\n\n正文\n", ("a: 1\n", "\n正文\n", 3)),
    ("---\n---\n正文", ("\n", "正文", 2)),
    ("正文\n---\na: 1\n---\n", (None, "正文\n---\na: 1\n---\n", 0)),
    ("\n---\na: 1\n---\n", (None, "\n---\na: 1\n---\n", 0)),
    ("----\na: 1\n---\n", (None, "----\na: 1\n---\n", 0)),
    ("---\na: 1\n---- \nb: 2\n---\n", ("a: 1\n---- \nb: 2\n", "", 5)),
    ("---\na: 1\n---", ("a: 1\n", "", 3)), ("---\n...", ("\n", "", 2)),
])
def test_split_delimiters_and_body_offset(text, expected):
    diags = Diagnostics()
    assert split(src(text), diags) == expected
    assert not diags.items


@pytest.mark.parametrize("text", ["---\nid: QM-001\n\n正文没有结束标记\n", "---", "---\n"])
def test_unterminated_block_is_reported_at_its_opening(text):
    diags = Diagnostics()
    assert split(src(text), diags) is None
    assert [(d.code, str(d.location)) for d in diags.items] == [("HB110", f"{PATH}:1:1")]
    assert diags.items[0].hint == "add a line '---' after the last key"


def test_bom_and_crlf_split_exactly_like_lf():
    text = "---\n" + META + "---\n正文\n"
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    diags = Diagnostics()
    decoded = decode(PATH, raw, diags)
    assert split(decoded, diags) == split(src(text), diags)
    yaml_text = split(decoded, diags)[0]
    meta = parse_policy_meta(decoded, yaml_text, diags)
    assert meta.key_locations["version"] == Location(PATH, 7, 1)
    assert not diags.items


# ---- policy front matter ---------------------------------------------------------------
def test_a_complete_policy_block():
    meta, found, _ = policy(META + "review_by: 2027-03-01\nsupersedes: [QM-009]\n"
                            "related: QM-002\ntags: [质量, 目标]\n")
    assert not found
    assert (meta.id, meta.title, meta.owner, meta.status, meta.version) == \
        ("QM-001", "质量制度", "QA", "active", "2.1")
    assert (meta.effective, meta.review_by) == (dt.date(2025, 3, 1), dt.date(2027, 3, 1))
    assert meta.supersedes == (("QM-009", Location(PATH, 9, 14)),)
    assert meta.related == (("QM-002", Location(PATH, 10, 10)),)
    assert meta.tags == ("质量", "目标")
    assert meta.key_locations["review_by"] == Location(PATH, 8, 1)


def test_every_missing_required_key_is_reported_with_a_hint():
    meta, found, diags = policy("id: QM-001\ntitle: 质量制度\n")
    assert meta is None
    missing = [k for k in POLICY_REQUIRED if k not in ("id", "title")]
    assert found == [("HB102", f"{PATH}:1:1", f"missing required key '{k}'") for k in missing]
    assert diags.items[0].hint == "add 'owner: …' to the front matter"


@pytest.mark.parametrize("key, line, col", [("id", 2, 4), ("owner", 4, 7), ("effective", 6, 11),
                                             ("version", 7, 9)])
def test_a_required_key_without_a_value_is_reported_at_the_value(key, line, col):
    yaml_text = "\n".join(f"{k}:" if k == key else f"{k}: {v}" for k, v in
                          (x.split(": ", 1) for x in META.strip().split("\n"))) + "\n"
    meta, found, _ = policy(yaml_text)
    assert meta is None
    assert found == [("HB102", f"{PATH}:{line}:{col}", f"required key '{key}' has no value")]


@pytest.mark.parametrize("text", ["", "\n  \n", "# 待填写\n", "  # a\n\t\n"])
def test_an_empty_block_is_an_error_not_a_dropped_file(text):
    meta, found, diags = policy(text)
    assert meta is None
    assert found == [("HB114", f"{PATH}:1:1",
                      "front matter is empty: the policy is not published")]
    assert diags.items[0].hint.startswith("write id, title, owner")


@pytest.mark.parametrize("value, hint", [("现行", "write 'active'"), ("已废止", "write 'retired'"),
                                         ("actve", "did you mean 'active'?"),
                                         ("Active", "did you mean 'active'?")])
def test_status_must_be_one_of_three_with_a_hint(value, hint):
    meta, found, diags = policy(META.replace("status: active", f"status: {value}"))
    assert meta is None
    assert found == [("HB112", f"{PATH}:5:9",
                      f"status '{value}' must be one of draft, active, retired")]
    assert diags.items[0].hint == hint


@pytest.mark.parametrize("value", ["../index", "GN/001", "质量-1", "AUX"])
def test_an_invalid_id_is_reported_at_the_value(value):
    meta, found, _ = policy(META.replace("id: QM-001", f"id: {value}"))
    assert meta is None
    assert [(c, where) for c, where, _ in found] == [("HB112", f"{PATH}:2:5")]
    assert found[0][2].startswith(f"policy id '{value}' ")


def test_one_bad_value_drops_the_policy_but_every_problem_is_reported():
    meta, found, _ = policy(META.replace("2025-03-01", "2025-02-30")
                            .replace("title: 质量制度", "title: [甲, 乙]") + "titel: x\n")
    assert meta is None
    assert [(c, where) for c, where, _ in found] == [
        ("HB101", f"{PATH}:8:1"), ("HB103", f"{PATH}:3:8"), ("HB105", f"{PATH}:6:12")]


def test_not_a_mapping():
    meta, found, _ = policy("- id: QM-001\n")
    assert meta is None
    assert [(c, where) for c, where, _ in found] == [("HB111", f"{PATH}:2:1")]


# ---- chapter front matter --------------------------------------------------------------
def test_chapter_title_and_order():
    meta, found = chapter("title: 质量管理\norder: -2\n")
    assert (meta.title, meta.order, found) == ("质量管理", -2, [])
    meta, found = chapter("title: 质量管理\n")
    assert (meta.title, meta.order, found) == ("质量管理", 4, [])


def test_chapter_without_front_matter_keeps_the_folder_defaults():
    meta, found = chapter(None)
    assert (meta.title, meta.order) == ("quality", 4)
    assert found == [("HB113", f"{CHAPTER}:1:1", "chapter file has no front matter with a 'title'")]


@pytest.mark.parametrize("text, code, where", [
    ("# title: 总则\n", "HB114", "1:1"), ("order: 2\n", "HB102", "1:1"), ("title:\n", "HB102", "1:1"),
    ("title: [甲]\n", "HB103", "2:8"), ("- 甲\n", "HB111", "2:1"), ("title: 甲\nname: 乙\n", "HB101", "3:1"),
])
def test_chapter_problems_fall_back_to_the_folder_title(text, code, where):
    meta, found = chapter(text)
    assert meta.title == ("甲" if "name" in text else "quality")
    assert [(c, w) for c, w, _ in found] == [(code, f"{CHAPTER}:{where}")]


@pytest.mark.parametrize("value", ["x", "1.5", "'+3'", "1e3", "'--3'", "'3-'", "²", "３", "'٣'",
                                   "[1]", "''"])
def test_chapter_order_must_be_a_whole_number(value):
    meta, found = chapter(f"title: 甲\norder: {value}\n")
    assert meta.order == 4
    assert found == [("HB103", f"{CHAPTER}:3:8", "'order' must be a whole number")]
