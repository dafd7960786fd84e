"""Output safety: refused --out targets, atomic swap, failed builds leave the old site,
sources never written, byte-identical rebuilds."""
from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from helpers import manifest, policy, with_marker

from handbook_gen.build import output
from handbook_gen.build.output import MARKER, OutputFailed, write_site


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


KILL_AT = """
import os, signal, sys
from handbook_gen.build import output
from handbook_gen.cli import main

point, src, out = sys.argv[1:4]
kill = lambda: os.kill(os.getpid(), signal.SIGKILL)  # nothing runs after it
if point.startswith("write:"):  # before the n-th file goes into the staging directory
    n, written = int(point[6:]), []
    def counted(real):  # written, or linked from the page cache
        def put(site, *args, **kw):
            written.append(1)
            if len(written) == n:
                kill()
            return real(site, *args, **kw)
        return put
    output.SiteWriter.write = counted(output.SiteWriter.write)
    output.SiteWriter.link = counted(output.SiteWriter.link)
elif point == "exchanged":  # the new site swapped in, the old tree not yet deleted
    real_exchange = output._exchange
    def exchange(a, b):
        if not real_exchange(a, b):
            sys.exit("this file system cannot exchange")
        kill()
    output._exchange = exchange
elif point == "set-aside":  # two renames: killed between them
    output._renameat2 = lambda: None
    real_rename = output._rename
    def rename(a, b):
        real_rename(a, b)
        kill()
    output._rename = rename
main(["build", src, "--out", out, "--jobs", "1"])
"""


@pytest.mark.parametrize("point", ["write:30", "exchanged", "set-aside"])
def test_killed_build_process_leaves_an_exact_state(good, point):
    """SIGKILL a real build process at a named point (no timing): the disk is exactly
    the old site (killed while writing), the new one (killed after the exchange) or
    the old one set aside (killed between two renames), beside what the kill left; the
    next build recovers and publishes exactly what a clean build does."""
    assert good.build().exit_code == 0
    site = good.base / "site"
    before = tree_hash(site)
    for i in range(40):
        good.write(f"01-general/p{i}.md", policy(f"GN-{100 + i}", body="§ 内容。\n" * 50))
    assert good.build(out="fresh").exit_code == 0
    new = tree_hash(good.base / "fresh")
    env = dict(os.environ, HANDBOOK_CACHE_DIR=str(good.base / ".cache"),
               PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    proc = subprocess.run([sys.executable, "-c", KILL_AT, point, str(good.src), str(site)],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    left = {p.name.rsplit("-", 1)[0]: p for p in good.base.glob(".site.*-*")}
    assert sorted(left) == [".site.old", ".site.staging"][point != "set-aside":]
    if point == "write:30":
        assert tree_hash(site) == before
        assert len([p for p in left[".site.staging"].rglob("*") if p.is_file()]) == 29
    elif point == "exchanged":
        assert tree_hash(site) == new
        assert tree_hash(left[".site.staging"]) == before  # the old tree, to be deleted
    else:
        assert not site.exists() and tree_hash(left[".site.old"]) == before
        assert tree_hash(left[".site.staging"]) == new  # complete, never renamed in
    assert good.build().exit_code == 0  # the next build recovers
    assert tree_hash(site) == new
    assert not list(good.base.glob(".site.*-*"))


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
        # the build date is pinned: without it the local date differs across zones
        # for part of every day, which is correct behaviour, not nondeterminism
        env = dict(os.environ, PYTHONHASHSEED=seed, TZ=tz, SOURCE_DATE_EPOCH="1767225600",
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
    from handbook_gen.build.pipeline import PARALLEL_THRESHOLD
    for i in range(PARALLEL_THRESHOLD * 4):
        project.write(f"01-general/p{i:03d}.md", policy(
            f"GN-{i:03d}", title=f"制度{i}",
            body=f"## 总则\n\n§{{purpose}} 为规范第{i}项工作，制定本制度。\n\n§ 参照[[GN-000#purpose]]执行。\n"))
    return project


def test_parallel_render_matches_serial(big, tmp_path):
    from handbook_gen.build.pipeline import BuildOptions, build
    for jobs, out in ((1, "serial"), (2, "parallel")):
        result = build(big.src, tmp_path / out, BuildOptions(cache_dir=None, jobs=jobs,
                                                             today=date(2026, 1, 1)))
        assert result.ok and result.counters["pages_rendered"] > 200
    assert tree_hash(tmp_path / "serial") == tree_hash(tmp_path / "parallel")
    assert any((tmp_path / "parallel" / "search").rglob("*.js"))


def test_parallel_render_with_the_page_cache(big, tmp_path):
    """The parent links the pages the cache has; the workers render the others, under the
    keys the parent looked up, and the cache then has them too."""
    from handbook_gen.build.pipeline import BuildOptions, build
    options = BuildOptions(cache_dir=tmp_path / "cache", jobs=2, today=date(2026, 1, 1))
    first = build(big.src, tmp_path / "a", options)
    assert first.ok and first.counters["pages_from_cache"] == 0
    big.write("01-general/p150.md", policy(
        "GN-150", title="制度150", body="## 总则\n\n§{purpose} 为规范第150项工作，另行制定本制度。\n\n"
                           "§ 参照[[GN-000#purpose]]执行。\n"))  # (GN-000 still cited)
    second = build(big.src, tmp_path / "b", options)
    pages = first.counters["policy_pages"]
    assert second.ok and second.counters["pages_from_cache"] == pages - 1
    third = build(big.src, tmp_path / "c", options)
    assert third.counters["pages_from_cache"] == pages
    assert build(big.src, tmp_path / "fresh", BuildOptions(
        cache_dir=None, jobs=1, today=date(2026, 1, 1))).ok
    assert tree_hash(tmp_path / "b") == tree_hash(tmp_path / "c") == tree_hash(tmp_path / "fresh")


@pytest.mark.parametrize("failing", ["policies/gn-100.html", "search/meta.js"])
def test_write_failure_in_a_worker_keeps_old_site(big, tmp_path, monkeypatch, failing):
    """A page or index file that a forked worker cannot write fails the whole build."""
    from handbook_gen.build.pipeline import BuildOptions, build
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


# ---- --out and the build's other inputs ------------------------------------------------------
@pytest.mark.parametrize("out", ["templates", "policies/../templates/x", "templates/static"])
def test_refuses_the_templates_folder(good, out):
    """A site published into templates/ would be loaded as templates by the next build,
    so a `{{ … }}` in a policy title would run. The next build shows it as text."""
    good.write("01-general/b.md", policy("GN-002", title='"{{ 7*7 }}"'))
    (good.base / "templates" / "static").mkdir(parents=True)
    before = tree_hash(good.base)
    r = good.run("build", str(good.src), "--out", str(good.base / out))
    assert r.exit_code == 2 and "project templates folder" in r.output, r.output
    assert tree_hash(good.base) == before
    assert sorted(p.name for p in (good.base / "templates").rglob("*")) == ["static"]
    assert good.build().exit_code == 0
    page = good.page("policies/gn-002.html")
    assert "{{ 7*7 }}" in page and "49" not in page


def test_refuses_the_builtin_theme_and_the_cache(good):
    from handbook_gen import builtin_theme_dir
    for out, what in ((builtin_theme_dir(), "built-in theme"),
                      (builtin_theme_dir() / "static", "built-in theme"),
                      (good.base / ".cache", "cache directory"),
                      (good.base / ".cache" / "site", "cache directory")):
        r = good.run("build", str(good.src), "--out", str(out))
        assert r.exit_code == 2 and what in r.output, r.output


# ---- paths that must not be written --------------------------------------------------------------
@pytest.mark.parametrize("page, message", [
    ("../escaped.html", "refusing to write '../escaped.html' into the site: it has the component '..'"),
    ("index.html", "two pages of the site have the path 'index.html'"),
    ("Index.html", "two site paths differ only in case: 'Index.html' and 'index.html'"),
])
def test_an_unsafe_page_path_fails_the_build_and_keeps_the_old_site(good, monkeypatch, page, message):
    """The last line of defence: a page path that escaped validation (the status page
    kind's path changed here) fails the build with HB401 and exit 1; the old site stays."""
    import dataclasses

    from handbook_gen.build.pipeline import REGISTRY
    assert good.build().exit_code == 0
    before = tree_hash(good.base)
    monkeypatch.setitem(REGISTRY.kinds, "status",
                        dataclasses.replace(REGISTRY.kind("status"), path=lambda task: page))
    r = good.build("--no-cache")
    assert r.exit_code == 1, r.output
    assert f"error[HB401]: {message}" in r.output
    assert "nothing was written" in r.output
    assert tree_hash(good.base) == before  # no escaped.html, old site, no staging left
    r = good.build("--no-cache", "--format", "json")
    assert r.exit_code == 1 and '"code": "HB401"' in r.output


def test_theme_static_file_replaced_by_a_page_but_not_by_a_case_variant(good):
    from handbook_gen.governance.compiled import PRINT_CSS
    good.write("../templates/" + PRINT_CSS, "/* the project's */")
    assert good.build().exit_code == 0
    assert "project's" not in good.page(PRINT_CSS)  # the generated page wins, as before
    good.write("../templates/static/Handbook.css", "/* a case variant of handbook.css */")
    r = good.build()
    assert r.exit_code == 1 and "error[HB401]: two site paths differ only in case: " \
        "'static/Handbook.css' and 'static/handbook.css'" in r.output, r.output


# ---- the swap under injected failures and kills ------------------------------------------------------
KILLED, FAILED = 77, 3
OLD = {"index.html": b"old index", "a/1.html": b"old 1", "a/2.html": b"old 2", "old.html": b"o"}
NEW = {"index.html": b"new index", "a/1.html": b"new 1", "b/3.html": b"new 3"}
NEWER = {"index.html": b"newer index"}




class Steps:
    """Counts the steps of a build's output phase (each file written, each exchange,
    rename and tree removal of the swap and of recovery) and, at step `k` (a number, or
    the name of a step: its first call), kills the process before or after the step or
    makes the step fail."""

    def __init__(self, k: int = 0, action: str = ""):
        self.k, self.action, self.log = k, action, []
        real_write = output.SiteWriter.write
        output.SiteWriter.write = lambda site, *a, **kw: self.step("write", real_write, site, *a, **kw)
        for name in ("_exchange", "_rename", "_remove_tree"):
            real = getattr(output, name)
            setattr(output, name, lambda *a, _n=name, _r=real: self.step(_n, _r, *a))

    def step(self, name, real, *args, **kw):
        self.log.append(name)
        now = (len(self.log) == self.k if isinstance(self.k, int)
               else name == self.k and self.log.count(name) == 1)
        if now and self.action == "kill-before":
            os._exit(KILLED)
        if now and self.action == "fail":
            if name == "write":
                raise OutputFailed("injected")
            if name == "_remove_tree":
                return None  # rmtree ignores errors: the tree just stays
            raise OSError(errno.EIO, "injected")
        result = real(*args, **kw)
        if now and self.action == "kill-after":
            os._exit(KILLED)
        return result


def in_child(fn) -> int:
    """Run fn() in a forked child (patches stay there); its exit status."""
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            fn()
            code = 0
        except OutputFailed:
            code = FAILED
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def publish(out: Path, files: dict, digest: str, k: int | str = 0, action: str = "",
            exchange: bool = True) -> int:
    def run():
        if not exchange:
            output._renameat2 = lambda: None
        steps = Steps(k, action)
        write_site(files, out, digest)
        if action == "count":
            os._exit(min(len(steps.log), 250))
    return in_child(run)


def stale(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".staging-" in p.name or ".old-" in p.name)


@pytest.mark.parametrize("scheme", ["exchange", "two-renames", "first-site"])
@pytest.mark.parametrize("action", ["kill-before", "kill-after", "fail"])
def test_swap_interrupted_at_every_step(tmp_path, scheme, action):
    """For each step k of publishing (a file written, the exchange or a rename, a tree
    removed): the published site is the complete old one or the complete new one, never
    missing (with the exchange) and never mixed; the next build recovers and leaves no
    staging or aside directory."""
    exchange = scheme != "two-renames"
    n = None
    for k in range(1, 100):
        parent = tmp_path / f"{k}"
        parent.mkdir()
        out = parent / "site"
        old = None
        if scheme != "first-site":
            write_site(OLD, out, "old")
            old = with_marker(OLD, "old")
        if n is None:
            n = publish(parent / "count" / "site", NEW, "new", action="count", exchange=exchange)
            assert 5 <= n < 250
        if k > n:
            break
        status = publish(out, NEW, "new", k, action, exchange)
        assert status in (0, KILLED, FAILED), status
        now = manifest(out)
        if status == 0:
            assert now == with_marker(NEW, "new"), (k, action)
        elif status == FAILED:
            assert now == old, (k, action)
        elif now is None and scheme == "two-renames":
            # killed between the two renames: the complete old site waits aside
            [aside] = [p for p in parent.iterdir() if ".site.old-" in p.name]
            assert manifest(aside) == old, k
        else:
            assert now in (old, with_marker(NEW, "new")), (k, action)
        assert publish(out, NEWER, "newer") == 0  # the next build recovers
        assert manifest(out) == with_marker(NEWER, "newer")
        assert stale(parent) == [], (k, action)
    assert k == n + 1


def test_recovery_itself_interrupted(tmp_path):
    """Killed between the two renames, then the recovering build killed at each of its
    own steps: the build after that still finds and restores the old site."""
    for k in range(1, 20):
        parent = tmp_path / f"{k}"
        parent.mkdir()
        out = parent / "site"
        write_site(OLD, out, "old")
        assert publish(out, NEW, "new", "_rename", "kill-after", exchange=False) == KILLED
        assert manifest(out) is None  # out set aside, the new site not yet renamed in
        status = publish(out, NEWER, "newer", k, "kill-before", exchange=False)
        now = manifest(out)
        if now is None:
            [aside] = [p for p in parent.iterdir() if ".site.old-" in p.name]
            assert manifest(aside) == with_marker(OLD, "old"), k
        else:
            assert now in (with_marker(OLD, "old"), with_marker(NEWER, "newer")), k
        if status == 0:
            break
        assert status == KILLED
        assert publish(out, NEWER, "newer") == 0
        assert manifest(out) == with_marker(NEWER, "newer") and stale(parent) == []
    assert k > 3


def test_reader_never_sees_the_site_missing(tmp_path):
    """A reader polls out/index.html while 20 builds publish: it never misses it."""
    out = tmp_path / "site"
    files = {f"p/{i}.html": b"x" * 100 for i in range(60)}
    write_site({**files, "index.html": b"build 0"}, out)
    stop = tmp_path / "stop"
    ready_r, ready_w = os.pipe()
    result_r, result_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the reader
        try:
            reads = misses = 0
            os.write(ready_w, b"r")
            deadline = time.monotonic() + 20
            while not os.path.exists(stop) and time.monotonic() < deadline:
                for _ in range(100):
                    try:
                        with open(out / "index.html", "rb") as fh:
                            misses += not fh.read().startswith(b"build ")
                    except FileNotFoundError:
                        misses += 1
                    reads += 1
            os.write(result_w, f"{reads} {misses}".encode())
        finally:
            os._exit(0)
    os.read(ready_r, 1)
    try:
        for i in range(1, 21):
            write_site({**files, "index.html": f"build {i}".encode()}, out)
    finally:
        stop.touch()
        reads, misses = map(int, os.read(result_r, 100).split())
        os.waitpid(pid, 0)
    assert misses == 0 and reads >= 200, (reads, misses)
    assert stale(tmp_path) == []


# These tests quote the English messages; english_output also checks each has its Chinese.
pytestmark = pytest.mark.usefixtures("english_output")
