"""The one source reader (sources.read_file) and discovery: special files are never
opened, sizes are checked before reading and reads are bounded, unreadable files and
folders are errors, symlinks stay inside the tree and loops are reported."""
from __future__ import annotations

import errno
import os
import signal

import pytest

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.source.reader import MAX_FILE_BYTES, discover, find_sources, read_file


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "policies"
    (root / "01-general").mkdir(parents=True)
    (root / "_handbook.yaml").write_text("title: x\n")
    (root / "01-general" / "a.md").write_text("正文\n")
    return root.resolve()


def lines(diags: Diagnostics) -> list[str]:
    return [f"{d.location}: {d.severity.label}[{d.code}]: {d.message}" for d in diags.sorted()]


@pytest.fixture
def opened(monkeypatch):
    """Paths passed to os.open."""
    calls: list[str] = []
    real = os.open

    def recording(path, flags, *args, **kwargs):
        calls.append(os.fspath(path))
        return real(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", recording)
    return calls


@pytest.fixture
def alarm():
    """Fail instead of hanging when a read blocks (a FIFO opened without O_NONBLOCK)."""
    def timeout(*_):
        raise TimeoutError("the read blocked")
    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_reads_a_regular_file(tree):
    diags = Diagnostics()
    got = read_file(tree, "policies/01-general/a.md", diags)
    assert got.data == "正文\n".encode() and got.stat.st_size == len(got.data)
    assert not diags.items


def test_fifo_is_refused_without_being_opened(tree, opened, alarm):
    os.mkfifo(tree / "01-general" / "pipe.md")
    diags = Diagnostics()
    assert read_file(tree, "policies/01-general/pipe.md", diags) is None
    assert lines(diags) == ["policies/01-general/pipe.md: error[HB007]: a named pipe (FIFO), "
                            "not a regular file; it is never opened"]
    assert not any(p.endswith("pipe.md") for p in opened)


def test_fifo_swapped_in_after_the_status_check_does_not_block(tree, monkeypatch, alarm):
    """A FIFO that replaces a file between lstat and open: the open does not wait for a
    writer, and the opened file's own status refuses it."""
    fifo = tree / "01-general" / "pipe.md"
    os.mkfifo(fifo)
    regular = os.lstat(tree / "01-general" / "a.md")
    real_lstat = os.lstat
    monkeypatch.setattr(os, "lstat", lambda p, *a, **k: regular if os.fspath(p) == str(fifo)
                        else real_lstat(p, *a, **k))
    diags = Diagnostics()
    assert read_file(tree, "policies/01-general/pipe.md", diags) is None
    assert [d.code for d in diags.items] == ["HB007"]


def test_size_is_checked_before_opening(tree, opened):
    big = tree / "01-general" / "big.md"
    with open(big, "wb") as fh:
        fh.truncate(3 * 1024 ** 3)  # sparse: costs nothing on disk
    opened.clear()
    diags = Diagnostics()
    assert read_file(tree, "policies/01-general/big.md", diags) is None
    assert lines(diags) == [f"policies/01-general/big.md: error[HB004]: file is {3 * 1024 ** 3} "
                            f"bytes; the limit is {MAX_FILE_BYTES}"]
    assert opened == []


def test_limit_is_inclusive(tree):
    (tree / "01-general" / "edge.md").write_bytes(b"a" * MAX_FILE_BYTES)
    (tree / "01-general" / "over.md").write_bytes(b"a" * (MAX_FILE_BYTES + 1))
    diags = Diagnostics()
    assert len(read_file(tree, "policies/01-general/edge.md", diags).data) == MAX_FILE_BYTES
    assert read_file(tree, "policies/01-general/over.md", diags) is None
    assert [d.code for d in diags.items] == ["HB004"]


def test_read_is_bounded_when_the_status_lies(tree, monkeypatch):
    """A file that grows after its status was taken: no more than the limit plus one
    byte is read."""
    big = tree / "01-general" / "grows.md"
    big.write_bytes(b"a" * (MAX_FILE_BYTES * 4))
    small = os.stat(tree / "01-general" / "a.md")
    monkeypatch.setattr(os, "lstat", lambda p, *a, **k: small)
    monkeypatch.setattr(os, "fstat", lambda fd: small)
    read: list[int] = []
    real_read = os.read

    def counting(fd, n):
        data = real_read(fd, n)
        read.append(len(data))
        return data
    monkeypatch.setattr(os, "read", counting)
    diags = Diagnostics()
    assert read_file(tree, "policies/01-general/grows.md", diags) is None
    assert sum(read) == MAX_FILE_BYTES + 1
    assert [d.code for d in diags.items] == ["HB004"]


def test_unreadable_file(tree, monkeypatch):
    real = os.open

    def refusing(path, flags, *args, **kwargs):
        if os.fspath(path).endswith("a.md"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", refusing)
    diags = Diagnostics()
    assert read_file(tree, "policies/01-general/a.md", diags) is None
    assert lines(diags) == ["policies/01-general/a.md: error[HB006]: cannot read file: "
                            "Permission denied"]


def test_symlink_inside_the_tree_is_read(tree):
    (tree / "01-general" / "link.md").symlink_to("a.md")
    diags = Diagnostics()
    assert "policies/01-general/link.md" in discover(tree, diags)
    assert read_file(tree, "policies/01-general/link.md", diags).data == "正文\n".encode()
    assert not diags.items


@pytest.mark.parametrize("links, code", [
    ({"self.md": "self.md"}, "HB007"),
    ({"x.md": "y.md", "y.md": "x.md"}, "HB007"),
    ({"dangling.md": "missing.md"}, "HB006"),
    ({"out.md": "../../outside.md"}, "HB003"),
    ({"dev.md": "/dev/null"}, "HB003"),
])
def test_bad_file_symlinks(tree, links, code, alarm):
    (tree.parent / "outside.md").write_text("secret")
    for name, target in links.items():
        (tree / "01-general" / name).symlink_to(target)
    diags = Diagnostics()
    tree_found = find_sources(tree, diags)
    for rel in tree_found.markdown:
        read_file(tree, rel, diags)
    assert sorted({d.code for d in diags.items}) == [code]
    assert {d.location.path for d in diags.items} == {f"policies/01-general/{n}" for n in links}


def test_symlink_to_a_fifo_inside_the_tree(tree, opened, alarm):
    os.mkfifo(tree / "01-general" / "pipe")
    (tree / "01-general" / "p.md").symlink_to("pipe")
    diags = Diagnostics()
    for rel in find_sources(tree, diags).markdown:
        read_file(tree, rel, diags)
    assert [str(d.location) + d.code for d in diags.items if d.code == "HB007"] == \
        ["policies/01-general/p.mdHB007"]
    assert not any("pipe" in p for p in opened)


@pytest.mark.parametrize("where, target", [
    ("01-general/up", ".."),
    ("01-general/here", "."),
    ("01-general/root", "../../policies"),
    ("loop", "loop"),
])
def test_folder_symlink_loops(tree, where, target):
    (tree / where).symlink_to(target)
    diags = Diagnostics()
    found = discover(tree, diags)
    assert found == ["policies/01-general/a.md", "policies/_handbook.yaml"]
    assert lines(diags) == [f"policies/{where}: error[HB007]: symlink loop ({target}); "
                            "it is never read"]


def test_folder_symlink_inside_the_tree_is_not_followed(tree):
    (tree / "02-hr").mkdir()
    (tree / "02-hr" / "b.md").write_text("b")
    (tree / "01-general" / "hr").symlink_to("../02-hr")
    diags = Diagnostics()
    assert discover(tree, diags) == ["policies/01-general/a.md", "policies/02-hr/b.md",
                                     "policies/_handbook.yaml"]
    assert not diags.items


def test_unreadable_folder_is_an_error(tree, monkeypatch):
    (tree / "02-hr").mkdir()
    (tree / "02-hr" / "b.md").write_text("b")
    real = os.scandir

    def refusing(path="."):
        if os.fspath(path).endswith("02-hr"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", refusing)
    diags = Diagnostics()
    tree_found = find_sources(tree, diags)
    assert tree_found.markdown == ["policies/01-general/a.md"]
    assert lines(diags) == ["policies/02-hr: error[HB008]: cannot read folder: Permission "
                            "denied; its files are missing from the handbook"]


def test_unreadable_root_is_one_error(tree, monkeypatch):
    real = os.scandir

    def refusing(path="."):
        if os.fspath(path) == str(tree):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", refusing)
    diags = Diagnostics()
    assert find_sources(tree, diags).markdown == []
    assert [(d.code, d.location.path) for d in diags.items] == [("HB008", "policies")]


def test_editor_droppings_and_hidden_files_are_ignored(tree):
    for name in (".a.md.swp", "a.md~", "#a.md#", ".#a.md", "4913", "a.md.tmp",
                 "a.md___jb_tmp___", ".DS_Store"):
        (tree / "01-general" / name).write_text("x")
    (tree / ".git").mkdir()
    (tree / ".git" / "x.md").write_text("x")
    diags = Diagnostics()
    assert discover(tree, diags) == ["policies/01-general/a.md", "policies/_handbook.yaml"]
    assert not diags.items


def test_stray_files_and_missing_config(tree):
    (tree / "_handbook.yaml").unlink()
    (tree / "01-general" / "notes.txt").write_text("x")
    diags = Diagnostics()
    found = find_sources(tree, diags)
    assert not found.has_config and found.markdown == ["policies/01-general/a.md"]
    assert [(d.code, d.location.path) for d in diags.sorted()] == [
        ("HB005", "policies/01-general/notes.txt"), ("HB126", "policies/_handbook.yaml")]


def test_names_that_are_not_utf8(tree):
    (tree / os.fsdecode(b"01-general/\xd6\xc6.md")).write_text("x")
    (tree / os.fsdecode(b"02-\xff")).mkdir()
    (tree / os.fsdecode(b"02-\xff/b.md")).write_text("x")
    (tree / os.fsdecode(b"01-general/.\xff.swp")).write_text("x")  # ignored anyway
    diags = Diagnostics()
    assert discover(tree, diags) == ["policies/01-general/a.md", "policies/_handbook.yaml"]
    assert [(d.code, d.location.path) for d in diags.sorted()] == [
        ("HB001", "policies/01-general/\\xd6\\xc6.md"), ("HB001", "policies/02-\\xff")]


def test_folder_deleted_during_the_walk_is_not_an_error(tree, monkeypatch):
    (tree / "02-hr").mkdir()
    real = os.scandir

    def vanishing(path="."):
        if os.fspath(path).endswith("02-hr"):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", os.fspath(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", vanishing)
    diags = Diagnostics()
    assert discover(tree, diags) == ["policies/01-general/a.md", "policies/_handbook.yaml"]
    assert not diags.items


@pytest.mark.parametrize("text, starts", [
    ("", (0,)), ("一", (0,)), ("一\n", (0, 2)), ("一\n二", (0, 2)), ("\n\n", (0, 1, 2)),
    ("第一条\n\n第二条\n", (0, 4, 5, 9))])
def test_line_starts_and_lines(text, starts):
    from handbook_gen.source.reader import SourceFile

    src = SourceFile("policies/a.md", text)
    assert src.line_starts == starts
    assert [src.line(n) for n in range(1, len(starts) + 2)] == [*text.split("\n"), ""]
    assert src.location_at(len(text)).line == len(starts)
