"""The page cache (build.pagecache) on policy pages and the pages of old versions: a rebuild writes them
from the cache byte for byte, a page whose inputs changed (a title it shows, a template)
is made again, and a damaged entry is rendered again, never published."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from test_version_pages import make_repo

from handbook_gen import builtin_theme_dir
from handbook_gen.build.pagecache import PageCache
from handbook_gen.build.pipeline import BuildOptions, build


def run(src: Path, out: Path, cache: Path | None):
    options = BuildOptions(history=True, search=False, today=dt.date(2026, 6, 1),
                           cache_dir=cache)
    result = build(src, out, options)
    assert result.ok, [d.message for d in result.diagnostics.items]
    return result


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != ".handbook-site"}


def cached_pages(site: Path) -> list[str]:
    """The pages of the cached kinds: policies, their versions and revisions."""
    return [rel for rel in files(site) if rel.startswith(("versions/", "revisions/",
                                                          "policies/"))]


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path)


def test_rebuild_writes_old_version_pages_from_the_cache(repo, tmp_path):
    cache = tmp_path / "cache"
    first = run(repo.src, tmp_path / "a", cache)
    assert first.counters["pages_from_cache"] == 0
    again = run(repo.src, tmp_path / "b", cache)
    pages = cached_pages(tmp_path / "a")
    assert len(pages) == 10  # OP-011: 3 versions, 2 revisions; GN-002: 2, 1; 2 policies
    assert again.counters["pages_from_cache"] == len(pages)
    assert files(tmp_path / "b") == files(tmp_path / "a")
    assert files(tmp_path / "a") == files(run_fresh(repo.src, tmp_path / "fresh"))


def run_fresh(src: Path, out: Path) -> Path:
    run(src, out, None)
    return out


def test_a_changed_title_reaches_the_cached_pages(repo, tmp_path):
    cache = tmp_path / "cache"
    run(repo.src, tmp_path / "a", cache)
    exp = repo.src / "01-general" / "exp.md"
    exp.write_text(exp.read_text("utf-8").replace("title: 费用报销管理办法",
                                                  "title: 费用报销与借款管理办法"), "utf-8")
    again = run(repo.src, tmp_path / "b", cache)
    assert files(tmp_path / "b") == files(run_fresh(repo.src, tmp_path / "fresh"))
    old = (tmp_path / "b" / "versions" / "op-011_v1.0.html").read_text("utf-8")
    assert "费用报销与借款管理办法" in old
    assert again.counters["pages_from_cache"] < len(cached_pages(tmp_path / "a"))


def test_a_changed_template_reaches_the_cached_pages(repo, tmp_path):
    cache = tmp_path / "cache"
    run(repo.src, tmp_path / "a", cache)
    templates = repo.root / "templates"
    templates.mkdir()
    shutil.copy(builtin_theme_dir() / "version.html", templates / "version.html")
    text = (templates / "version.html").read_text("utf-8")
    (templates / "version.html").write_text(text.replace("{% block content %}",
                                                         "{% block content %}<p>项目模板</p>", 1),
                                            "utf-8")
    run(repo.src, tmp_path / "b", cache)
    assert "<p>项目模板</p>" in (tmp_path / "b" / "versions" / "op-011_v1.0.html").read_text(
        "utf-8")


def test_a_damaged_entry_is_rendered_again(repo, tmp_path):
    cache = tmp_path / "cache"
    run(repo.src, tmp_path / "a", cache)
    entries = sorted(p for p in (cache / "pages").iterdir() if p.name != "index")
    assert len(entries) == 10
    with open(entries[0], "r+b") as fh:  # same size, same inode, new bytes
        data = fh.read()
        fh.seek(0)
        fh.write(data.replace(b"<main", b"<mian", 1))
    again = run(repo.src, tmp_path / "b", cache)
    assert again.counters["pages_from_cache"] == 9
    assert files(tmp_path / "b") == files(run_fresh(repo.src, tmp_path / "fresh"))


def test_a_cache_restored_from_an_archive_is_used(repo, tmp_path):
    run(repo.src, tmp_path / "a", tmp_path / "cache")
    shutil.copytree(tmp_path / "cache", tmp_path / "restored")  # new inodes
    again = run(repo.src, tmp_path / "b", tmp_path / "restored")
    assert again.counters["pages_from_cache"] == 10
    assert files(tmp_path / "b") == files(tmp_path / "a")
    assert run(repo.src, tmp_path / "c", tmp_path / "restored").counters[
        "pages_from_cache"] == 10


def test_a_planted_index_is_ignored(repo, tmp_path):
    cache = tmp_path / "cache"
    run(repo.src, tmp_path / "a", cache)
    index = cache / "pages" / "index"
    magic = b"handbook-gen page cache 1\n"
    data = index.read_bytes()
    assert data.startswith(magic)
    index.write_bytes(magic + bytes(32) + data[len(magic) + 32:])  # a signature not ours
    assert run(repo.src, tmp_path / "b", cache).counters["pages_from_cache"] == 0
    assert files(tmp_path / "b") == files(tmp_path / "a")


def test_an_entry_that_goes_before_it_is_linked_is_rendered(repo, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    run(repo.src, tmp_path / "a", cache)
    real_get = PageCache.get

    def get_then_lose(self, key):  # another build's clean-up deletes it meanwhile
        found = real_get(self, key)
        if found is not None:
            found[0].unlink()
        return found

    monkeypatch.setattr(PageCache, "get", get_then_lose)
    again = run(repo.src, tmp_path / "b", cache)
    assert again.counters["pages_from_cache"] == 0
    assert files(tmp_path / "b") == files(tmp_path / "a")


def test_another_kind_of_build_does_not_push_out_the_pages(repo, tmp_path):
    cache = tmp_path / "cache"
    run(repo.src, tmp_path / "a", cache)
    plain = build(repo.src, tmp_path / "plain", BuildOptions(
        history=False, search=False, today=dt.date(2026, 6, 1), cache_dir=cache))
    assert plain.ok and plain.counters["pages_from_cache"] == 0  # no timeline: other pages
    again = run(repo.src, tmp_path / "b", cache)
    assert again.counters["pages_from_cache"] == 10


def test_without_a_cache_directory_nothing_is_cached(repo, tmp_path):
    result = run(repo.src, tmp_path / "a", None)
    assert result.counters["pages_from_cache"] == 0
    assert not (tmp_path / "a" / "pages").exists()
