"""Shared fixtures: write small handbooks from inline file maps, run the CLI."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import Project  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden expectation files from the current output")


@pytest.fixture(autouse=True, scope="session")
def _user_cache_dir(tmp_path_factory):
    """Every test's user cache directory (the parse cache key, default cache folders) is a
    temporary one, never the real ~/.cache."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    yield
    patch.undo()


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path)


@pytest.fixture
def english_output(monkeypatch):
    """For tests that quote the English messages: the CLI writes English, and every
    message it writes must still have its Chinese (checked as it is written, as the
    Chinese default would write it); the test fails on any that has none."""
    from handbook_gen.core import report
    monkeypatch.setenv("HANDBOOK_LANG", "en")
    untranslated: list[str] = []
    localize, translate = report.localize, report.translate

    def localize_checked(diag, lang, missing=None):
        localize(diag, "zh", untranslated)
        return localize(diag, lang, missing)

    def translate_checked(template, params, lang, missing=None):
        translate(template, params, "zh", untranslated)
        return translate(template, params, lang, missing)
    monkeypatch.setattr(report, "localize", localize_checked)
    monkeypatch.setattr(report, "translate", translate_checked)
    yield
    assert not untranslated, f"no Chinese for: {sorted(set(untranslated))}"
