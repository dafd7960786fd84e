"""The identifier grammar (ids.py) and the department hierarchy checks that keep
invalid ids and parent links out of the model."""
from __future__ import annotations

import pytest

from handbook_gen.core import ids

from handbook_gen.core import urls
from handbook_gen.source.config import MAX_DEPT_DEPTH, parse_config
from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.governance.orgchart import org_svg
from handbook_gen.source.reader import SourceFile


@pytest.mark.parametrize("good", ["QM-001", "FIN", "HK-ADM", "quality", "a", "A1-B2-C3",
                                  "CONSOLE", "COM10", "Index2", "A" * ids.MAX_ID_CHARS])
def test_valid_ids(good):
    assert ids.problem(good) is None


@pytest.mark.parametrize("bad", [
    "", "X\n", "QM-001\n", "\nQM-001", "../index", "a/b", "a\\b", "x y", "a#b", "a?b",
    "a%20b", "a.b", "HK_ADM", "1A", "-A", "A-", "A--B", "质量", "Ａ", "ǅ", "A\x00",
    "A" * (ids.MAX_ID_CHARS + 1), "A" * 300,
])
def test_invalid_ids(bad):
    assert ids.problem(bad)


@pytest.mark.parametrize("name", ["CON", "con", "Prn", "AUX", "nul", "COM0", "com9", "LPT1",
                                  "lpt9", "index", "INDEX"])
def test_reserved_names(name):
    assert "reserved" in ids.problem(name)


def test_length_is_reported_before_the_grammar():
    assert ids.problem("A" * 300) == "is longer than the limit of 64 characters"


def test_fold_is_what_urls_use():
    assert ids.fold("QM-001") == ids.fold("qm-001") == "qm-001"
    assert urls.policy_url("QM-001") == "policies/qm-001.html"
    assert urls.department_url("HK-ADM") == "departments/hk-adm.html"
    assert urls.chapter_url("Finance") == "chapters/finance.html"


def test_shown_escapes_controls_and_shortens():
    assert ids.shown("X\n") == "X\\n"
    assert ids.shown("\x1b]0;x\x07") == "\\x1b]0;x\\x07"
    assert ids.shown("质量") == "质量"
    assert ids.shown("A" * 300) == "A" * 40 + "…"


def _config(departments: list[tuple[str, str | None]]):
    lines = ["title: 汇编", "departments:"]
    for dept_id, parent in departments:
        lines += [f"  - id: {dept_id}", f"    name: 部门{dept_id}"]
        if parent:
            lines.append(f"    parent: {parent}")
    diags = Diagnostics()
    config = parse_config(SourceFile("policies/_handbook.yaml",
                                               "\n".join(lines) + "\n"), diags)
    return config.departments, diags


def test_a_deep_chain_is_cut_at_the_limit_and_can_be_drawn():
    depts, diags = _config([(f"D{i}", f"D{i - 1}" if i else None) for i in range(1000)])
    assert [d.message for d in diags.items] == [
        f"department 'D{MAX_DEPT_DEPTH}' is {MAX_DEPT_DEPTH + 1} levels deep in the "
        f"hierarchy; the limit is {MAX_DEPT_DEPTH}"]
    assert depts[f"D{MAX_DEPT_DEPTH - 1}"].parent == f"D{MAX_DEPT_DEPTH - 2}"
    assert all(depts[f"D{i}"].parent is None for i in range(MAX_DEPT_DEPTH, 1000))
    assert org_svg(list(depts.values()), lambda d: "#").startswith("<svg")


def test_the_limit_itself_is_allowed():
    depts, diags = _config([(f"D{i}", f"D{i - 1}" if i else None)
                            for i in range(MAX_DEPT_DEPTH)])
    assert diags.items == []
    assert depts[f"D{MAX_DEPT_DEPTH - 1}"].parent == f"D{MAX_DEPT_DEPTH - 2}"


def test_cycle_members_are_detached_and_their_descendants_not_blamed():
    depts, diags = _config([("A", "B"), ("B", "A"), ("C", "A"), ("S", "S")])
    assert sorted(d.message for d in diags.items) == [
        "department 'A' is its own ancestor (A → B → A)",
        "department 'B' is its own ancestor (B → A → B)",
        "department 'S' is its own ancestor (S → S)"]
    assert depts["A"].parent is depts["B"].parent is depts["S"].parent is None
    assert depts["C"].parent == "A"


def test_a_long_cycle_is_shortened_in_every_message():
    depts, diags = _config([(f"C{i}", f"C{(i + 1) % 1000}") for i in range(1000)])
    assert len(diags.items) == 1000
    assert diags.items[5].message == ("department 'C5' is its own ancestor "
                                      "(C5 → C6 → C7 → C8 → … → C5; 1000 departments in the cycle)")
    assert all(d.parent is None for d in depts.values())


def test_unknown_parent_is_detached():
    depts, diags = _config([("A", None), ("B", "Z")])
    assert [d.code for d in diags.items] == ["HB125"]
    assert depts["B"].parent is None


def test_invalid_and_colliding_ids_are_not_registered():
    depts, diags = _config([("QA", None), ("qa", None), ("../index", None), ("X", None)])
    assert list(depts) == ["QA", "X"]
    assert [d.code for d in diags.items] == ["HB122", "HB112"]
