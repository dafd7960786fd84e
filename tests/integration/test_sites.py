"""Golden fixture sites (one concern each): build tests/sites/<case>/policies and compare
the <main> of every expected page. `pytest --update-golden` rewrites the expectations;
an expected file for a page that is no longer produced fails the test."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from helpers import main_html

from handbook_gen.build.pipeline import BuildOptions, build

SITES = Path(__file__).resolve().parents[1] / "sites"
BUILD_DATE = datetime.date(2026, 6, 1)
CASES = sorted(p.name for p in SITES.iterdir() if (p / "policies").is_dir())


@pytest.mark.parametrize("case", CASES)
def test_golden_site(case, tmp_path, update_golden):
    root = SITES / case
    out = tmp_path / "site"
    # a fixed build date: policy states (复审逾期, 尚未生效) must not change with the calendar
    result = build(root / "policies", out, BuildOptions(today=BUILD_DATE))
    assert result.ok, [str(d) for d in result.diagnostics.items]
    expected_dir = root / "expected"
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    if update_golden:
        for page in pages:
            target = expected_dir / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(main_html((out / page).read_text("utf-8")) + "\n", "utf-8")
        return
    expected = sorted(p.relative_to(expected_dir).as_posix() for p in expected_dir.rglob("*.html"))
    assert expected, f"no expectations for {case}: run pytest --update-golden"
    stale = set(expected) - set(pages)
    assert not stale, f"expected pages no longer produced: {stale}"
    for page in expected:
        want = (expected_dir / page).read_text("utf-8")
        got = main_html((out / page).read_text("utf-8")) + "\n"
        assert got == want, f"{case}/{page} differs"
