"""Output safety: refused --out targets, atomic swap, failed builds leave the old site,
sources never written, byte-identical rebuilds."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from helpers import policy

from handbook_gen.output import MARKER, OutputFailed, write_site


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def good(project):
    project.write("01-general/a.md", policy("GN-001", body="## 总则\n\n§{purpose} 目的。\n"))
    return project


@pytest.mark.parametrize("target", ["SRC", "BASE", "INSIDE", "ROOT"])
def test_refuses_dangerous_out(good, target):
    out = {"SRC": str(good.src), "BASE": str(good.base), "INSIDE": str(good.src / "site"),
           "ROOT": "/"}[target]
    before = tree_hash(good.base)
    r = good.run("build", str(good.src), "--out", out)
    assert r.exit_code == 2, r.output
    assert "error:" in r.output
    assert tree_hash(good.base) == before


def test_refuses_home(good, monkeypatch):
    monkeypatch.setenv("HOME", str(good.base / "home"))
    (good.base / "home").mkdir()
    r = good.run("build", str(good.src), "--out", str(good.base / "home"))
    assert r.exit_code == 2 and "home directory" in r.output


def test_refuses_git_checkout_and_foreign_dir(good):
    repo = good.base / "deploy"
    (repo / ".git").mkdir(parents=True)
    assert good.build(out="deploy").exit_code == 2
    foreign = good.base / "docs"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    r = good.build(out="docs")
    assert r.exit_code == 2 and MARKER in r.output
    assert (foreign / "keep.txt").read_text() == "mine"


def test_rebuild_replaces_previous_output(good):
    assert good.build().exit_code == 0
    assert (good.base / "site" / MARKER).is_file()
    (good.base / "site" / "stale.html").write_text("old")
    assert good.build().exit_code == 0
    assert not (good.base / "site" / "stale.html").exists()


def test_failed_build_leaves_previous_site_untouched(good):
    assert good.build().exit_code == 0
    before = tree_hash(good.base / "site")
    good.write("01-general/b.md", policy("GN-002", body="[[NOPE-1]]\n"))
    r = good.build()
    assert r.exit_code == 1 and "nothing was written" in r.output
    assert tree_hash(good.base / "site") == before
    assert not list(good.base.glob(".site.staging-*"))


def test_sources_never_written(good):
    good.write("01-general/b.md", policy("GN-002", body="<!-- 备注 -->\n§ 正文\n"))
    before = tree_hash(good.src)
    assert good.build().exit_code == 0
    assert good.check().exit_code == 0
    assert tree_hash(good.src) == before


def test_write_failure_keeps_old_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)
    real_open = open

    def failing_open(path, mode="r", *a, **kw):
        if mode in ("wb", "xb") and str(path).endswith("b.html"):
            raise OSError(28, "No space left on device", str(path))
        return real_open(path, mode, *a, **kw)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OutputFailed, match="No space left"):
        write_site({"index.html": b"new", "b.html": b"x"}, out)
    monkeypatch.undo()
    assert (out / "index.html").read_bytes() == b"old"
    assert not list(tmp_path.glob(".site.staging-*"))


def test_killed_between_renames_recovers(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)
    os.rename(out, tmp_path / ".site.old-99999")  # as if killed between the two renames
    write_site({"index.html": b"new"}, out)
    assert (out / "index.html").read_bytes() == b"new"
    assert not list(tmp_path.glob(".site.old-*"))


def test_killed_build_process_leaves_old_site(good):
    """SIGKILL a real build mid-write: the published site stays the complete old one."""
    assert good.build().exit_code == 0
    before = tree_hash(good.base / "site")
    for i in range(40):
        good.write(f"01-general/p{i}.md", policy(f"GN-{100 + i}", body="§ 内容。\n" * 50))
    env = dict(os.environ, HANDBOOK_CACHE_DIR=str(good.base / ".cache"),
               PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "handbook_gen", "build", str(good.src),
                             "--out", str(good.base / "site")], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import time
    time.sleep(0.25)
    proc.kill()
    proc.wait()
    after = tree_hash(good.base / "site")
    assert after == before or (good.base / "site" / "policies" / "gn-139.html").exists()
    assert good.build().exit_code == 0  # and the next build recovers


def test_two_builds_are_byte_identical(good):
    good.write("01-general/b.md", policy("GN-002", body="§ 见[[GN-001#purpose]]。\n"))
    assert good.build(out="one").exit_code == 0
    r = good.run("build", str(good.src), "--out", str(good.base / "two"), "--no-cache")
    assert r.exit_code == 0
    assert tree_hash(good.base / "one") == tree_hash(good.base / "two")


def test_determinism_across_hash_seeds_and_timezones(good):
    good.write("01-general/b.md", policy("GN-002", body="§ 见[[GN-001#purpose]]和[[dept:FIN]]。\n"))
    hashes = set()
    for seed, tz in (("0", "UTC"), ("1", "Asia/Shanghai"), ("12345", "America/New_York")):
        env = dict(os.environ, PYTHONHASHSEED=seed, TZ=tz,
                   HANDBOOK_CACHE_DIR=str(good.base / f".cache{seed}"),
                   PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
        out = good.base / f"out{seed}"
        subprocess.run([sys.executable, "-m", "handbook_gen", "build", str(good.src), "--out",
                        str(out)], env=env, check=True, capture_output=True)
        hashes.add(tree_hash(out))
    assert len(hashes) == 1


@pytest.fixture
def big(project):
    """A handbook large enough for the parallel render path (workers write the files)."""
    from handbook_gen.pipeline import PARALLEL_THRESHOLD
    for i in range(PARALLEL_THRESHOLD * 4):
        project.write(f"01-general/p{i:03d}.md", policy(
            f"GN-{i:03d}", title=f"制度{i}",
            body=f"## 总则\n\n§{{purpose}} 为规范第{i}项工作，制定本制度。\n\n§ 参照[[GN-000#purpose]]执行。\n"))
    return project


def test_parallel_render_matches_serial(big, tmp_path):
    from handbook_gen.pipeline import BuildOptions, build
    for jobs, out in ((1, "serial"), (2, "parallel")):
        result = build(big.src, tmp_path / out, BuildOptions(cache_dir=None, jobs=jobs,
                                                             today=date(2026, 1, 1)))
        assert result.ok and result.counters["pages_rendered"] > 200
    assert tree_hash(tmp_path / "serial") == tree_hash(tmp_path / "parallel")
    assert any((tmp_path / "parallel" / "search").rglob("*.js"))


@pytest.mark.parametrize("failing", ["policies/gn-100.html", "search/meta.js"])
def test_write_failure_in_a_worker_keeps_old_site(big, tmp_path, monkeypatch, failing):
    """A page or index file that a forked worker cannot write fails the whole build."""
    from handbook_gen.pipeline import BuildOptions, build
    out = tmp_path / "site"
    options = BuildOptions(cache_dir=None, jobs=2, today=date(2026, 1, 1))
    assert build(big.src, out, options).ok
    before = tree_hash(out)
    big.write("01-general/p000.md", policy("GN-000", title="改过的制度"))
    real_open = open

    def failing_open(path, mode="r", *a, **kw):
        if mode in ("wb", "xb") and str(path).endswith(failing):
            raise OSError(28, "No space left on device", str(path))
        return real_open(path, mode, *a, **kw)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OutputFailed, match="No space left"):
        build(big.src, out, options)
    monkeypatch.undo()
    assert tree_hash(out) == before
    assert not list(tmp_path.glob(".site.staging-*"))


def test_index_files_split_by_directory():
    from handbook_gen.pipeline import _by_directory
    files = {f"search/{d}/{i}.js": b"x" for d, n in (("d", 6), ("s", 3), ("b", 2)) for i in range(n)}
    files["search/meta.js"] = b"m"
    parts = _by_directory(files, 2)
    assert {rel: data for part in parts for rel, data in part.items()} == files
    assert sum(map(len, parts)) == len(files)
    dirs = [{rel.rsplit("/", 1)[0] for rel in part} for part in parts]
    assert not dirs[0] & dirs[1]  # no directory written by two processes
    assert sorted(map(len, parts)) == [6, 6]
