"""config.parse_config on its own: _handbook.yaml's site keys, severity overrides and the
department registry, with the position of every problem. The hierarchy limits (depth,
long cycles, case collisions) are in test_ids.py."""
from __future__ import annotations

import pytest

from handbook_gen.core.diagnostics import Diagnostics, Location, Severity
from handbook_gen.source.config import parse_config
from handbook_gen.source.reader import SourceFile

PATH = "policies/_handbook.yaml"
DEPTS = "title: 汇编\ndepartments:\n"


def parse(text: str):
    diags = Diagnostics()
    config = parse_config(SourceFile(PATH, text), diags)
    return config, [(d.code, str(d.location), d.message) for d in diags.items], diags


def test_site_settings():
    config, found, _ = parse("title: 汇编\nlanguage: zh-HK\nbase_url: https://x.example/h/\n")
    assert (config.site.title, config.site.language, config.site.base_url) == \
        ("汇编", "zh-HK", "https://x.example/h/")
    assert not found


def test_no_file_is_the_default_without_a_report():
    diags = Diagnostics()
    config = parse_config(None, diags)
    assert (config.site.title, config.departments, diags.items) == ("制度汇编", {}, [])


@pytest.mark.parametrize("text", ["", "\n", "# 待填写\n"])
def test_an_empty_file_is_a_missing_title(text):
    config, found, diags = parse(text)
    assert config.site.title == "制度汇编"
    assert found == [("HB102", f"{PATH}:1:1", "missing required key 'title'")]
    assert "empty" in diags.items[0].hint


@pytest.mark.parametrize("text, found", [
    ("title:\n", [("HB102", f"{PATH}:1:1", "missing required key 'title'")]),
    ("language: zh-CN\n", [("HB102", f"{PATH}:1:1", "missing required key 'title'")]),
    ("title: [汇编]\n", [("HB103", f"{PATH}:1:8", "'title' must be text, not a list")]),
    ("- title: 汇编\n", [("HB111", f"{PATH}:1:1",
                          "_handbook.yaml must be a mapping of keys to values, found a list")]),
    ("title: 汇编\ntitle: 又一个\n",
     [("HB106", f"{PATH}:2:1", "duplicate key 'title' (first defined on line 1)")]),
])
def test_title_problems(text, found):
    config, got, _ = parse(text)
    assert got == found
    assert config.site.title in ("汇编", "制度汇编")


def test_unknown_top_level_key_is_warned_with_a_suggestion():
    _, found, diags = parse("title: 汇编\ndepartment:\n  - {id: A, name: 甲}\n")
    assert found == [("HB101", f"{PATH}:2:1", "unknown configuration key 'department'")]
    assert diags.items[0].hint == "did you mean 'departments'?"


# ---- diagnostics: severity overrides ---------------------------------------------------
def test_overrides_are_case_insensitive_levels():
    config, found, _ = parse("title: 汇编\ndiagnostics:\n  HB203: Error\n  HB101: info\n")
    assert config.overrides == {"HB203": Severity.ERROR, "HB101": Severity.INFO}
    assert not found


@pytest.mark.parametrize("entry, code, col, message", [
    ("HB999: error", "HB101", 3, "unknown diagnostic code 'HB999'"),
    ("HB203: fatal", "HB112", 10, "severity for HB203 must be error, warning or info"),
    ("HB203:", "HB112", 9, "severity for HB203 must be error, warning or info"),
    ("HB132: warning", "HB112", 3, "the severity of HB132 (unsafe-url) cannot be changed: it "
     "means content would be lost or the output unsafe"),
])
def test_bad_overrides_are_dropped_and_reported(entry, code, col, message):
    config, found, _ = parse(f"title: 汇编\ndiagnostics:\n  {entry}\n")
    assert config.overrides == {}
    assert found == [(code, f"{PATH}:3:{col}", message)]


def test_a_fixed_code_may_be_restated_at_its_own_severity():
    config, found, _ = parse("title: 汇编\ndiagnostics:\n  HB132: error\n")
    assert config.overrides == {"HB132": Severity.ERROR} and not found


# ---- departments -----------------------------------------------------------------------
def test_a_department_tree():
    config, found, _ = parse(DEPTS + "  - id: GM\n    name: 总经理\n"
                             "  - id: FIN\n    name: 财务部\n    parent: GM\n"
                             "    duties: [预算, 核算]\n  - {id: AUD, name: 审计部, duties: 内审}\n")
    assert not found
    depts = config.departments
    assert list(depts) == ["GM", "FIN", "AUD"]
    assert (depts["FIN"].parent, depts["FIN"].duties) == ("GM", ("预算", "核算"))
    assert depts["AUD"].duties == ("内审",)  # a single duty is a one-item list
    assert depts["FIN"].location == Location(PATH, 5, 5)


@pytest.mark.parametrize("text, found", [
    ("departments: GM\n", [("HB103", f"{PATH}:2:14",
                             "'departments' must be a list of departments")]),
    ("departments:\n  - GM\n", [("HB111", f"{PATH}:3:5",
                                 "a department must be a mapping of keys to values, found text")]),
    ("departments:\n  - {id: GM}\n",
     [("HB125", f"{PATH}:3:5", "a department needs an 'id' and a 'name'")]),
    ("departments:\n  - {id: GM, name: }\n",
     [("HB125", f"{PATH}:3:5", "a department needs an 'id' and a 'name'")]),
    ("departments:\n  - {id: GM, name: [甲]}\n", [("HB103", f"{PATH}:3:20",
                                                 "'name' must be text, not a list")]),
])
def test_malformed_departments_are_not_registered(text, found):
    config, got, _ = parse("title: 汇编\n" + text)
    assert config.departments == {}
    assert got == found


def test_duplicate_id_is_reported_at_the_second_and_the_first_kept():
    config, found, _ = parse(DEPTS + "  - {id: GM, name: 总经理}\n  - {id: GM, name: 另一个}\n")
    assert config.departments["GM"].name == "总经理"
    assert found == [("HB125", f"{PATH}:4:10", "duplicate department id 'GM'")]


def test_duplicate_name_is_reported_but_both_kept():
    config, found, diags = parse(DEPTS + "  - {id: A, name: 财务部}\n  - {id: B, name: 财务部}\n")
    assert list(config.departments) == ["A", "B"]
    assert found == [("HB125", f"{PATH}:4:19", "duplicate department name '财务部' (also 'A')")]
    assert diags.items[0].hint == "each department needs its own name"


def test_ids_differing_only_in_case_collide():
    config, found, diags = parse(DEPTS + "  - {id: Fin, name: 财务部}\n  - {id: FIN, name: 财务}\n")
    assert list(config.departments) == ["Fin"]
    assert found == [("HB122", f"{PATH}:4:10",
                      "department ids 'Fin' and 'FIN' map to the same page URL")]


def test_unknown_department_key_is_warned_with_a_suggestion():
    config, found, diags = parse(DEPTS + "  - {id: A, name: 甲, dutys: [x]}\n")
    assert config.departments["A"].duties == ()
    assert found == [("HB101", f"{PATH}:3:22", "unknown department key 'dutys'")]
    assert diags.items[0].hint == "did you mean 'duties'?"


def test_unknown_parent_is_detached_with_a_suggestion():
    config, found, diags = parse(DEPTS + "  - {id: FIN, name: 财务部}\n"
                                 "  - {id: TAX, name: 税务组, parent: FNI}\n")
    assert config.departments["TAX"].parent is None
    assert found == [("HB125", f"{PATH}:4:5", "department 'TAX' has unknown parent 'FNI'")]
    assert diags.items[0].hint == "did you mean 'FIN'?"


def test_a_three_cycle_is_reported_at_each_member_from_itself():
    config, found, _ = parse(DEPTS + "  - {id: A, name: 甲, parent: C}\n"
                             "  - {id: B, name: 乙, parent: A}\n  - {id: C, name: 丙, parent: B}\n"
                             "  - {id: D, name: 丁, parent: C}\n")
    assert found == [
        ("HB125", f"{PATH}:3:5", "department 'A' is its own ancestor (A → C → B → A)"),
        ("HB125", f"{PATH}:5:5", "department 'C' is its own ancestor (C → B → A → C)"),
        ("HB125", f"{PATH}:4:5", "department 'B' is its own ancestor (B → A → C → B)")]
    assert [config.departments[d].parent for d in "ABCD"] == [None, None, None, "C"]


@pytest.mark.parametrize("parent", ["", " ~", ' ""', " ''"])
def test_an_empty_parent_is_no_parent(parent):
    config, found, _ = parse(DEPTS + f"  - id: A\n    name: 甲\n    parent:{parent}\n")
    assert config.departments["A"].parent is None and not found
