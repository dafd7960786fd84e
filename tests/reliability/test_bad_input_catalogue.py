"""Runs every row of the bad-input catalogue (rows_*.py): exit code, diagnostics with
their positions, no traceback, sources untouched, nothing written outside the output."""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import Case, snapshot  # noqa: E402
from helpers import Project  # noqa: E402


def _rows() -> list[Case]:
    rows: list[Case] = []
    for mod in sorted(m.name for m in pkgutil.iter_modules([str(HERE)])
                      if m.name.startswith("rows_")):
        rows += importlib.import_module(mod).ROWS
    return rows


ROWS = _rows()
MIN_ROWS = 150


def test_catalogue_is_complete():
    ids = [r.id for r in ROWS]
    assert len(ids) == len(set(ids)), "duplicate row ids"
    assert len(ids) >= MIN_ROWS, f"only {len(ids)} rows"


@pytest.mark.parametrize("case", ROWS, ids=[r.id for r in ROWS])
def test_bad_input(case: Case, tmp_path, monkeypatch):
    base = tmp_path / "work"
    base.mkdir()
    outside = tmp_path / "outside"  # a neighbour that no build may touch
    outside.mkdir()
    (outside / "keep.txt").write_text("untouched")
    project = Project(base)
    if case.prebuild:
        r = project.build()
        assert r.exit_code == 0, r.output
    for rel, data in case.files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    if case.setup:
        case.setup(project, monkeypatch)
    skip = ("site", "out", ".cache", ".site.lock", ".out.lock")
    before_base = snapshot(base, skip)
    before_out = snapshot(tmp_path, ("work",))
    args = [a.replace("{src}", str(project.src)).replace("{out}", str(base / "site"))
            for a in case.args]
    result = project.run(*args)  # catch_exceptions=False: a traceback fails the row
    output = result.output
    assert "Traceback" not in output
    assert result.exit_code == case.exit, output
    for text in case.expect:
        assert text in output, f"missing {text!r} in:\n{output}"
    for text in case.absent:
        assert text not in output, f"unexpected {text!r} in:\n{output}"
    assert snapshot(base, skip) == before_base, "a source or a file beside the output changed"
    assert snapshot(tmp_path, ("work",)) == before_out, "a file outside the project changed"
    if case.post:
        case.post(project, result)
