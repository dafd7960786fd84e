"""Statuses: one enum (core/model.py Status) carries every status value and its label;
no other Python module spells a label."""
from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from helpers import policy

import handbook_gen
from handbook_gen.assemble.lifecycle import policy_state
from handbook_gen.core.model import STATUSES, Policy, PolicyMeta, Status

PACKAGE = Path(handbook_gen.__file__).parent
LABELS = {"active": "现行", "overdue": "复审逾期", "pending": "尚未生效", "draft": "草案",
          "retired": "已废止", "expired": "已失效"}


def test_members_carry_value_and_label():
    assert {s.value: s.label for s in Status} == LABELS
    assert list(Status) == [Status.ACTIVE, Status.OVERDUE, Status.PENDING, Status.DRAFT,
                            Status.RETIRED, Status.EXPIRED]  # the order of the status page's counts
    assert Status.RETIRED == "retired" and f"{Status.RETIRED}" == "retired"
    assert Status("draft") is Status.DRAFT
    assert Status.label_of("overdue") == "复审逾期" and Status.label_of("nonsense") is None
    assert STATUSES == ("draft", "active", "retired")


@pytest.mark.parametrize("status, effective, state", [
    ("active", dt.date(2025, 1, 1), Status.ACTIVE), ("active", dt.date(2027, 1, 1), Status.PENDING),
    ("draft", dt.date(2025, 1, 1), Status.DRAFT), ("retired", dt.date(2025, 1, 1), Status.RETIRED)])
def test_policy_states_are_members(status, effective, state):
    meta = PolicyMeta("GN-001", "测试制度", "GMO", status, effective, "1.0")
    st = policy_state(Policy(meta, "general", "policies/01-general/a.md", None), dt.date(2026, 6, 1))
    assert st.state is state and st.label == state.label


def _string_constants(path: Path):
    """The string constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                id(node) not in docstrings:
            yield node.lineno, node.value


def test_labels_are_spelled_only_in_the_model():
    found = [f"{path.relative_to(PACKAGE)}:{line}: {value}"
             for path in sorted(PACKAGE.rglob("*.py")) if path != PACKAGE / "core" / "model.py"
             for line, value in _string_constants(path) if value in LABELS.values()]
    assert found == []


@pytest.mark.parametrize("written, hint", [("已废止", "write 'retired'"), ("草案", "write 'draft'"),
                                           ("有效", "write 'active'"), ("retird", "did you mean 'retired'?")])
def test_a_label_written_as_status_gets_the_value_as_hint(project, written, hint):
    project.write("01-general/a.md", policy("GN-001", status=written))
    out = project.check("--lang", "en").output
    assert f"error[HB112]: status '{written}' must be one of draft, active, retired" in out
    assert f"= help: {hint}" in out
