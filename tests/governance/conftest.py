"""Fixtures shared by the governance tests."""
from __future__ import annotations

import pytest
from gitrepo import Repo, expense_history


@pytest.fixture
def repo(tmp_path) -> Repo:
    """A repository holding the expense policy's history (gitrepo.expense_history); its
    ``ids`` are the commits of that history. A module may define its own ``repo``."""
    repo = Repo(tmp_path)
    repo.ids = expense_history(repo)
    return repo
