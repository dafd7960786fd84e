"""The old texts' cache (``versions.cache``): a rebuild takes every old version's document
and every revision's version-telling front matter from it, keyed by git blob id, and
reads no text from git; a new commit reads only its own texts; a damaged or missing
entry is read and parsed again, never trusted."""
from __future__ import annotations

import pytest
from test_page_cache import files, run, run_fresh
from test_version_pages import V1, make_repo, policy_file

from handbook_gen.build.cache import ParseCache
from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.governance import history as history_module


@pytest.fixture
def read(monkeypatch) -> list[str]:
    """The blob ids the build asks git for."""
    asked: list[str] = []
    real = history_module._read_blobs

    def spy(toplevel, wanted):
        asked.extend(wanted)
        return real(toplevel, wanted)

    monkeypatch.setattr(history_module, "_read_blobs", spy)
    return asked


def test_a_rebuild_reads_no_old_text_from_git(tmp_path, read):
    repo = make_repo(tmp_path)
    cache = tmp_path / "cache"
    run(repo.src, tmp_path / "a", cache)
    first = sorted(read)
    assert len(first) == 5  # every revision's text: OP-011 three, GN-002 two
    read.clear()
    run(repo.src, tmp_path / "b", cache)
    assert read == []
    assert files(tmp_path / "b") == files(tmp_path / "a")
    assert files(tmp_path / "a") == files(run_fresh(repo.src, tmp_path / "fresh"))


def test_a_new_commit_reads_only_its_own_texts(tmp_path, read):
    repo = make_repo(tmp_path)
    cache = tmp_path / "cache"
    run(repo.src, tmp_path / "a", cache)
    repo.write("01-general/exp.md", policy_file("OP-011", "费用报销管理办法", "4.0",
                                                "2026-05-01", V1))
    repo.commit("费用报销管理办法 4.0", "2026-04-20")
    read.clear()
    result = run(repo.src, tmp_path / "b", cache)
    # the new revision's text (its front matter), and 3.0's, which was the working
    # tree's until now (parsed as a source, never as an old text)
    assert len(read) == 2
    assert (tmp_path / "b" / "revisions" / "op-011_v4.0.html").is_file()
    assert result.history.versions["OP-011"][-1].version == "4.0"
    assert files(tmp_path / "b") == files(run_fresh(repo.src, tmp_path / "fresh"))


def test_a_damaged_entry_is_parsed_again(tmp_path, read):
    repo = make_repo(tmp_path)
    cache = tmp_path / "cache"
    run(repo.src, tmp_path / "a", cache)
    store = ParseCache(cache, Diagnostics(), name="versions.cache")
    assert store.entries
    for key in store.entries:  # every document and the front matter table unreadable
        store.entries[key] = b"not a pickle"
    store.dirty = True
    store.save(set(store.entries))
    read.clear()
    run(repo.src, tmp_path / "b", cache)
    assert len(read) == 5
    assert files(tmp_path / "b") == files(tmp_path / "a")
