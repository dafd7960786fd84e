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
