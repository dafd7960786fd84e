"""output.py on its own: the site-path checks, collisions, --out refusals for the build's
inputs, the renameat2 exchange (wrapper and raw syscall), the fallback swap, recovery of
each interrupted state and the lock's failures."""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import platform
from pathlib import Path

import pytest

from handbook_gen.build import output
from handbook_gen.build.output import (MARKER, OutputFailed, OutputRefused, SiteWriter,
                                 UnsafeOutputPath, check_out_dir, check_site_path, write_site)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir()
                  if p.name.startswith(".") and not p.name.endswith(".lock"))


# ---- site paths --------------------------------------------------------------------------
@pytest.mark.parametrize("rel", [
    "", "/etc/passwd", "../x.html", "departments/../../x.html", "departments/..",
    "a//b.html", "a/", "./a.html", "a/./b.html", "a\\..\\b.html", "a\0b.html",
    "departments/x\n.html", "a\x1b[31m.html", "a\x7f.html", "x" * 256 + ".html",
    "policies/" + "制" * 86 + ".html",  # 86 × 3 bytes + 5 > 255
])
def test_unsafe_site_paths_are_refused(rel):
    with pytest.raises(UnsafeOutputPath, match="refusing to write"):
        check_site_path(rel)


@pytest.mark.parametrize("rel", ["index.html", "departments/qa.html", "static/a/b/c.css",
                                 "policies/" + "制" * 80 + ".html", ".handbook-site",
                                 "search/d/0.js", "x" * 255])
def test_plain_site_paths_pass(rel):
    check_site_path(rel)


def test_distinct_names_are_no_collision(tmp_path):
    write_site({"straße.html": b"1", "strasse.html": b"2", "a.html": b"3", "a.htm": b"4"},
               tmp_path / "site")


def test_write_refuses_before_touching_the_disk(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)
    for rel in ("../index.html", "../../outside.html", "/tmp/abs.html", "a\0b"):
        with pytest.raises(UnsafeOutputPath):
            write_site({"index.html": b"new", rel: b"x"}, out)
    assert tree(out) == {"index.html": b"old", MARKER: output.MARKER_TEXT + b"digest: \n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_path_written_twice_fails(tmp_path):
    with pytest.raises(UnsafeOutputPath, match="two pages of the site have the path 'a.html'"):
        with SiteWriter(tmp_path / "site") as site:
            site.write("a.html", b"1")
            site.write("a.html", b"2")
    assert leftovers(tmp_path) == [] and not (tmp_path / "site").exists()


def test_a_replaceable_file_is_replaced_once_a_page_has_the_path(tmp_path):
    out = tmp_path / "site"
    with SiteWriter(out) as site:
        site.write_all({"static/x.css": b"theme", "static/y.css": b"theme"}, replaceable=True)
        site.write("static/x.css", b"page")
        site.commit()
    assert (out / "static/x.css").read_bytes() == b"page"
    assert (out / "static/y.css").read_bytes() == b"theme"


@pytest.mark.parametrize("a, b", [("departments/QA.html", "departments/qa.html"),
                                  ("Policies/a.html", "policies/b.html"),
                                  ("caf\u00e9.html", "cafe\u0301.html"),
                                  ("Ω.html", "ω.html")])
def test_case_collisions_fail_the_commit(tmp_path, a, b):
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)
    before = tree(out)
    with pytest.raises(UnsafeOutputPath, match="differ only in case"):
        write_site({a: b"1", b: b"2"}, out)
    assert tree(out) == before
    assert leftovers(tmp_path) == []


# ---- --out and the build's inputs ---------------------------------------------------------
@pytest.fixture
def layout(tmp_path):
    for d in ("policies", "templates", "cache", "theme"):
        (tmp_path / d).mkdir()
    inputs = {"the project templates folder": tmp_path / "templates",
              "the built-in theme": tmp_path / "theme", "the cache directory": tmp_path / "cache",
              "nothing": None}
    return tmp_path, inputs


@pytest.mark.parametrize("out, message", [
    ("templates", "is the project templates folder"),
    ("templates/x", "is inside the project templates folder"),
    ("policies/../templates/x", "is inside the project templates folder"),
    ("theme", "is the built-in theme"),
    ("theme/static", "is inside the built-in theme"),
    ("cache", "is the cache directory"),
    ("cache/site", "is inside the cache directory"),
    ("policies", "is the source tree"),
    ("policies/site", "is inside the source tree"),
    ("deploy/.git/site", "inside a .git directory"),
])
def test_out_refused_for_each_input(layout, out, message):
    base, inputs = layout
    with pytest.raises(OutputRefused, match=message):
        check_out_dir(base / out, base / "policies", inputs)


def test_out_refused_when_it_contains_an_input(tmp_path):
    (tmp_path / "src").mkdir()
    cache = tmp_path / "var" / "cache" / "handbook"
    with pytest.raises(OutputRefused, match="contains the cache directory"):
        check_out_dir(tmp_path / "var", tmp_path / "src", {"the cache directory": cache})
    with pytest.raises(OutputRefused, match="contains the project templates folder"):
        check_out_dir(tmp_path / "var", tmp_path / "src",
                      {"the project templates folder": tmp_path / "var" / "a" / "templates"})


def test_out_refused_through_a_symlink_to_an_input(layout):
    base, inputs = layout
    (base / "link").symlink_to(base / "templates")
    with pytest.raises(OutputRefused, match="is the project templates folder"):
        check_out_dir(base / "link", base / "policies", inputs)
    with pytest.raises(OutputRefused, match="is inside the project templates folder"):
        check_out_dir(base / "link" / "x", base / "policies", inputs)


def test_out_beside_the_inputs_is_accepted(layout):
    base, inputs = layout
    check_out_dir(base / "site", base / "policies", inputs)
    check_out_dir(base / "templates-site", base / "policies", inputs)


# ---- the exchange ---------------------------------------------------------------------------
def _exchange_with(fn, a: Path, b: Path) -> int:
    return fn(-100, os.fsencode(a), -100, os.fsencode(b), output.RENAME_EXCHANGE)


def _two_dirs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "f").write_text("a")
    (b / "f").write_text("b")
    return a, b


@pytest.mark.skipif(platform.system() != "Linux", reason="renameat2 is Linux only")
def test_renameat2_through_the_libc_wrapper_and_the_raw_syscall(tmp_path):
    libc = ctypes.CDLL(None, use_errno=True)
    a, b = _two_dirs(tmp_path)
    assert _exchange_with(output._load_renameat2(libc, platform.machine()), a, b) == 0
    assert (a / "f").read_text() == "b" and (b / "f").read_text() == "a"

    class NoWrapper:  # a libc older than glibc 2.28: only syscall()
        syscall = libc.syscall
    fn = output._load_renameat2(NoWrapper(), platform.machine())
    if fn is None:
        pytest.skip(f"no SYS_renameat2 number for {platform.machine()}")
    assert _exchange_with(fn, a, b) == 0
    assert (a / "f").read_text() == "a" and (b / "f").read_text() == "b"
    assert output._load_renameat2(NoWrapper(), "vax") is None


def _fake_renameat2(err: int):
    def fn(*args):
        ctypes.set_errno(err)
        return -1
    return lambda: fn


def _record_steps(monkeypatch) -> list[str]:
    steps: list[str] = []
    for name in ("_exchange", "_rename", "_remove_tree"):
        real = getattr(output, name)

        def step(*args, _name=name, _real=real):
            steps.append(_name)
            return _real(*args)
        monkeypatch.setattr(output, name, step)
    return steps


@pytest.mark.skipif(platform.system() != "Linux", reason="renameat2 is Linux only")
def test_publish_uses_one_exchange_and_a_first_site_one_rename(tmp_path, monkeypatch):
    out = tmp_path / "site"
    steps = _record_steps(monkeypatch)
    write_site({"index.html": b"1"}, out)
    assert steps[-3:] == ["_rename", "_remove_tree", "_remove_tree"]
    assert "_exchange" not in steps
    steps.clear()
    inode = os.stat(out).st_ino
    write_site({"index.html": b"2"}, out)
    assert steps == ["_exchange", "_remove_tree", "_remove_tree"]
    assert not out.is_symlink() and os.stat(out).st_ino != inode
    assert (out / "index.html").read_bytes() == b"2"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("err", [errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM])
def test_no_exchange_falls_back_to_two_renames(tmp_path, monkeypatch, err):
    out = tmp_path / "site"
    write_site({"index.html": b"1"}, out)
    monkeypatch.setattr(output, "_renameat2", _fake_renameat2(err))
    steps = _record_steps(monkeypatch)
    write_site({"index.html": b"2"}, out)
    assert steps == ["_exchange", "_rename", "_rename", "_remove_tree", "_remove_tree"]
    assert (out / "index.html").read_bytes() == b"2"
    assert leftovers(tmp_path) == []


def test_off_linux_falls_back_to_two_renames(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site({"index.html": b"1"}, out)
    monkeypatch.setattr(output, "_renameat2", lambda: None)
    write_site({"index.html": b"2"}, out)
    assert (out / "index.html").read_bytes() == b"2"
    assert leftovers(tmp_path) == []


def test_a_failing_exchange_keeps_the_old_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site({"index.html": b"1"}, out)
    monkeypatch.setattr(output, "_renameat2", _fake_renameat2(errno.EIO))
    with pytest.raises(OutputFailed, match="could not swap in the new site"):
        write_site({"index.html": b"2"}, out)
    assert (out / "index.html").read_bytes() == b"1"
    assert leftovers(tmp_path) == []


def test_a_failing_second_rename_puts_the_old_site_back(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site({"index.html": b"1"}, out)
    monkeypatch.setattr(output, "_renameat2", lambda: None)
    real = output._rename

    def rename(src, dst):
        if Path(src).name.startswith(".site.staging"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)
    monkeypatch.setattr(output, "_rename", rename)
    with pytest.raises(OutputFailed, match="No space left"):
        write_site({"index.html": b"2"}, out)
    assert (out / "index.html").read_bytes() == b"1"
    assert leftovers(tmp_path) == []


# ---- recovery of interrupted builds ------------------------------------------------------------
def _old_site(tmp_path) -> tuple[Path, dict]:
    out = tmp_path / "site"
    write_site({"index.html": b"old", "a/b.html": b"old b"}, out, "old")
    return out, tree(out)


def test_recovers_an_aside_copy_when_out_is_missing(tmp_path):
    out, old = _old_site(tmp_path)
    os.rename(out, tmp_path / ".site.old-4242")
    (tmp_path / ".site.staging-4242").mkdir()  # the new site, never renamed in
    with SiteWriter(out) as site:
        assert tree(out) == old  # restored before anything else
        site.write("index.html", b"new")
        site.commit()
    assert tree(out)["index.html"] == b"new" and leftovers(tmp_path) == []


def test_drops_an_aside_copy_when_out_is_present(tmp_path):
    out, old = _old_site(tmp_path)
    os.rename(out, tmp_path / ".site.old-4242")
    write_site({"index.html": b"newer"}, out)  # as if a later build published
    write_site({"index.html": b"newest"}, out)
    assert tree(out)["index.html"] == b"newest" and leftovers(tmp_path) == []


def test_drops_the_old_tree_left_after_an_exchange(tmp_path):
    out, old = _old_site(tmp_path)
    (tmp_path / ".site.staging-4242").mkdir()
    (tmp_path / ".site.staging-4242" / MARKER).write_text("the exchanged old tree")
    with SiteWriter(out):
        assert leftovers(tmp_path) == [".site.staging-" + str(os.getpid())]
        assert tree(out) == old
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["site[1]", "site?", "a*b"])
def test_recovers_an_output_whose_name_holds_glob_characters(tmp_path, name):
    out = tmp_path / name
    write_site({"index.html": b"old"}, out, "old")
    old = tree(out)
    os.rename(out, tmp_path / f".{name}.old-4242")  # killed between the two renames
    (tmp_path / f".{name}.staging-4242").mkdir()
    with SiteWriter(out):
        pass  # a build that fails publishes nothing: the old site is back
    assert tree(out) == old and leftovers(tmp_path) == []


def test_recovery_leaves_other_outputs_leftovers_alone(tmp_path):
    """'site?' as a glob matches '.site1.old-…', and 'site' as a prefix matches
    '.site.old-x.old-…': the old sites that the killed builds of 'site1' and 'site.old-x'
    set aside, which their own next builds put back."""
    others = ("site1", "site.old-x")
    for other in others:
        write_site({"index.html": other.encode()}, tmp_path / other, other)
        os.rename(tmp_path / other, tmp_path / f".{other}.old-4242")
    write_site({"index.html": b"q"}, tmp_path / "site?")
    write_site({"index.html": b"s"}, tmp_path / "site")
    for other in others:
        with SiteWriter(tmp_path / other):
            pass
        assert tree(tmp_path / other)["index.html"] == other.encode()
    assert leftovers(tmp_path) == []


# ---- the lock and the output's parent ---------------------------------------------------------
def test_lock_held_by_another_process(tmp_path):
    lock = tmp_path / ".site.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    os.write(fd, b"4242")
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(OutputFailed, match=r"another build is writing this site \(pid 4242\)"):
            write_site({"index.html": b"x"}, tmp_path / "site")
    finally:
        os.close(fd)
    assert not (tmp_path / "site").exists()


def test_lock_file_that_cannot_be_created(tmp_path, monkeypatch):
    real = os.open

    def denied(path, *args, **kw):
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kw)
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(OutputFailed, match=f"cannot create the lock file {tmp_path}/.site.lock: "
                                           "Permission denied"):
        write_site({"index.html": b"x"}, tmp_path / "site")


def test_output_parent_that_cannot_be_created(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputFailed, match=f"cannot create {tmp_path}/file"):
        write_site({"index.html": b"x"}, tmp_path / "file" / "site")
