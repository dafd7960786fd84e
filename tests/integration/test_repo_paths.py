"""Diagnostic paths are relative to the root of the git repository that holds the
handbook (repo/docs/policies → ``docs/policies/…``), in every format, wherever the CLI
runs from; outside git they stay relative to the source folder's parent."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from handbook_gen.cli import main
from gitrepo import git
from helpers import Project, policy

BAD = policy("GN-001", owner="NOPE")  # HB121 at the key, line 4, column 1


@pytest.fixture
def repo(tmp_path):
    """A git repository with the handbook in docs/policies (committed), and a folder
    elsewhere to run the CLI from."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    project = Project(root / "docs")
    project.write("01-general/a.md", BAD)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "x")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return project, elsewhere


def _check(project, cwd, *args):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["check", str(project.src), *args],
                                  catch_exceptions=False,
                                  env={"HANDBOOK_CACHE_DIR": str(project.base / ".cache")})
    finally:
        os.chdir(old)


def test_text_json_and_github_paths_are_relative_to_the_repository(repo):
    project, elsewhere = repo
    text = _check(project, elsewhere)
    assert "docs/policies/01-general/a.md:4:1: error[HB121]" in text.output
    assert "\n4 | owner: NOPE" in text.output  # the source line is still found
    rows = [json.loads(line) for line in _check(project, elsewhere, "--format", "json")
            .output.splitlines() if line.startswith("{")]
    (row,) = [r for r in rows if r["code"] == "HB121"]
    assert (row["path"], row["line"], row["col"]) == ("docs/policies/01-general/a.md", 4, 1)
    github = _check(project, elsewhere, "--format", "github").output
    assert "::error file=docs/policies/01-general/a.md,line=4,col=1,title=HB121::" in github


def test_from_a_subfolder_of_the_repository_too(repo):
    project, _ = repo
    r = _check(project, project.src / "01-general", "--format", "github")
    assert "file=docs/policies/01-general/a.md," in r.output


def test_outside_git_paths_stay_relative_to_the_source_parent(tmp_path):
    project = Project(tmp_path)
    project.write("01-general/a.md", BAD)
    r = _check(project, tmp_path, "--format", "github")
    assert "::error file=policies/01-general/a.md,line=4,col=1,title=HB121::" in r.output
