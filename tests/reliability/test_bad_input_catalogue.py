"""Runs every row of the bad-input catalogue (rows_*.py): exit code, diagnostics with
their positions, no traceback, sources untouched, nothing written outside the output.
Rows run in the default language, Chinese: a message or phrase without a translation
(written in English instead) fails the row. A row's expected texts are matched against
the output, or (for rows that quote English wording) against the same output with each
Chinese message put back into the English it was translated from."""
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

from handbook_gen.core import report  # noqa: E402


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
    monkeypatch.delenv("HANDBOOK_LANG", raising=False)
    untranslated: list[str] = []
    english: dict[str, str] = {"  = 提示：": "  = help: "}
    translate = report.translate

    def recording(template, params, lang, missing=None):
        text = translate(template, params, lang, untranslated)
        english[text] = translate(template, params, "en")
        return text
    monkeypatch.setattr(report, "translate", recording)
    skip = ("site", "out", ".cache", ".site.lock", ".out.lock")
    before_base = snapshot(base, skip)
    before_out = snapshot(tmp_path, ("work",))
    args = [a.replace("{src}", str(project.src)).replace("{out}", str(base / "site"))
            for a in case.args]
    result = project.run(*args)  # catch_exceptions=False: a traceback fails the row
    output = result.output
    assert "Traceback" not in output
    assert result.exit_code == case.exit, output
    shadow = output
    for _ in range(3):  # messages inside messages (a refusal inside "错误：…")
        for zh in sorted(english, key=len, reverse=True):
            shadow = shadow.replace(report.visible(zh), report.visible(english[zh]))
    for text in case.expect:
        assert text in output or text in shadow, f"missing {text!r} in:\n{output}"
    for text in case.absent:
        assert text not in output, f"unexpected {text!r} in:\n{output}"
    assert not untranslated, f"written in English: {untranslated}"
    assert snapshot(base, skip) == before_base, "a source or a file beside the output changed"
    assert snapshot(tmp_path, ("work",)) == before_out, "a file outside the project changed"
    if case.post:
        case.post(project, result)
