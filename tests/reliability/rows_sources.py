"""Catalogue rows for reading the source tree and the parse cache: special files (FIFOs,
sockets, devices) are never opened, sizes are checked before reading, unreadable files
and folders are errors, symlinks stay inside the tree and loops are reported, editor
droppings are ignored, and nothing in a cache runs code. These diagnostics are about a
whole file or folder, so they carry a path and no line:col.

Failures that chmod cannot produce as root (unreadable folders and files) are injected
by `setup` through monkeypatch: os.scandir / os.open raise for one path."""
from __future__ import annotations

import errno
import os
import pickle
import socket
import stat

import pytest
from catalogue import Case, policy

from handbook_gen.build.cache import MAGIC
from handbook_gen.source.reader import MAX_FILE_BYTES

A = "policies/01-general/a.md"
CFG = "policies/_handbook.yaml"
CHAPTER = "policies/01-general/_chapter.md"
CHECK_STRICT = ("check", "{src}", "--strict")
BUILD = ("build", "{src}", "--out", "{out}")
GIB3 = 3 * 1024 ** 3


def fifo(rel: str):
    def setup(project, monkeypatch):
        path = project.base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        os.mkfifo(path)
    return setup


def links(pairs: dict[str, str]):
    """Symlinks: project-relative path -> target (``{outside}``: the runner's neighbour
    folder outside the project)."""
    def setup(project, monkeypatch):
        for rel, target in pairs.items():
            path = project.base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(target.replace("{outside}", str(project.base.parent / "outside")))
    return setup


def sparse(rel: str, size: int):
    def setup(project, monkeypatch):
        with open(project.base / rel, "wb") as fh:
            fh.truncate(size)
    return setup


def refuse_listing(rel: str):
    """os.scandir fails with EACCES for one folder, as chmod 000 does for a non-root user."""
    def setup(project, monkeypatch):
        target = str(project.base / rel)
        real = os.scandir

        def scandir(path="."):
            if os.fspath(path) == target:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), target)
            return real(path)
        monkeypatch.setattr(os, "scandir", scandir)
    return setup


def refuse_open(rel: str, err: int = errno.EACCES):
    def setup(project, monkeypatch):
        target = str(project.base / rel)
        real = os.open

        def open_(path, flags, *args, **kwargs):
            if os.fspath(path) == target:
                raise OSError(err, os.strerror(err), target)
            return real(path, flags, *args, **kwargs)
        monkeypatch.setattr(os, "open", open_)
    return setup


def unix_socket(rel: str):
    def setup(project, monkeypatch):
        path = project.base / rel
        monkeypatch.chdir(path.parent)  # a socket path is limited to ~108 bytes
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(path.name)
    return setup


def device(rel: str):
    def setup(project, monkeypatch):
        try:
            os.mknod(project.base / rel, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null
        except PermissionError:
            pytest.skip("creating a device needs CAP_MKNOD")
    return setup


def _exploit(project) -> bytes:
    """A pickle that creates the file ``pwned`` when it is loaded."""
    class Exploit:
        def __reduce__(self):
            return (open, (str(project.base / "pwned"), "w"))
    return pickle.dumps(Exploit())


def plant(where: str, signed_shape: bool):
    """A malicious pickle at `where` (project-relative); with `signed_shape`, in the
    cache's own format with a signature of zeros (planted without the key)."""
    def setup(project, monkeypatch):
        path = project.base / where
        path.parent.mkdir(parents=True, exist_ok=True)
        data = _exploit(project)
        path.write_bytes(MAGIC + bytes(32) + data if signed_shape else data)
    return setup


def damage_record(data: bytes):
    def setup(project, monkeypatch):
        records = list((project.base / ".cache" / "builds").glob("*.json"))
        assert records, "the prebuild left no build record"
        for record in records:
            record.write_bytes(data)
    return setup


def no_marker(project, result):
    assert not (project.base / "pwned").exists()


def no_site(project, result):
    assert not (project.base / "site").exists()


def site_has(page: str):
    def post(project, result):
        assert (project.base / "site" / page).is_file()
    return post


def at_size(size: int) -> bytes:
    """A valid policy of exactly `size` bytes: paragraphs of 300 characters, then spaces."""
    text = policy("GN-001", body="§ " + "正文。" * 100 + "\n\n").encode()
    line = ("正文。" * 100 + "\n\n").encode()
    text += line * ((size - len(text)) // len(line))
    return text.ljust(size, b" ")


def hb007(rel: str, kind: str = "a named pipe (FIFO)") -> str:
    return f"{rel}: error[HB007]: {kind}, not a regular file; it is never opened"


ROWS: list[Case] = [
    # special files: never opened, so nothing hangs
    Case("src-fifo-md", setup=fifo(A), expect=(hb007(A),)),
    Case("src-fifo-md-build", setup=fifo(A), args=BUILD, expect=(hb007(A),), post=no_site),
    Case("src-fifo-md-prebuilt-site-kept", setup=fifo(A), args=BUILD, prebuild=True,
         expect=(hb007(A),), post=site_has("index.html")),
    Case("src-fifo-config", setup=fifo(CFG), expect=(hb007(CFG),), absent=("HB126",)),
    Case("src-fifo-chapter-file", setup=fifo(CHAPTER), expect=(hb007(CHAPTER),)),
    Case("src-fifo-not-markdown", setup=fifo("policies/01-general/notes"), exit=0,
         expect=("policies/01-general/notes: warning[HB005]",)),
    Case("src-fifo-editor-swap-ignored", {A: policy("GN-001")},
         setup=fifo("policies/01-general/.a.md.swp"), exit=0, absent=("HB00",)),
    Case("src-socket-md", setup=unix_socket("policies/01-general/s.md"),
         expect=(hb007("policies/01-general/s.md", "a socket"),)),
    Case("src-device-md", setup=device("policies/01-general/dev.md"),
         expect=(hb007("policies/01-general/dev.md", "a device"),)),
    Case("src-symlink-to-fifo-inside", setup=lambda p, m: (
        fifo("policies/01-general/pipe")(p, m),
        links({"policies/01-general/p.md": "pipe"})(p, m)),
         expect=(hb007("policies/01-general/p.md"),)),
    # sizes: from the status, before reading
    Case("src-oversize", {A: policy("GN-001", body="正" * (MAX_FILE_BYTES // 3 + 1))},
         expect=(f"{A}: error[HB004]: file is",)),
    Case("src-oversize-sparse-3gib", setup=sparse(A, GIB3),
         expect=(f"{A}: error[HB004]: file is {GIB3} bytes; the limit is {MAX_FILE_BYTES}",)),
    Case("src-oversize-sparse-3gib-build", setup=sparse(A, GIB3), args=BUILD,
         expect=(f"{A}: error[HB004]",), post=no_site),
    Case("src-oversize-config", setup=sparse(CFG, MAX_FILE_BYTES + 1),
         expect=(f"{CFG}: error[HB004]: file is {MAX_FILE_BYTES + 1} bytes",)),
    Case("src-exactly-at-limit", {A: at_size(MAX_FILE_BYTES)}, exit=0, absent=("HB004",)),
    Case("src-one-byte-over-limit", {A: at_size(MAX_FILE_BYTES + 1)},
         expect=(f"{A}: error[HB004]: file is {MAX_FILE_BYTES + 1} bytes",)),
    # unreadable folders and files: errors naming them, never skipped
    Case("src-unreadable-chapter-folder", {"policies/02-hr/_chapter.md": "---\ntitle: 人事\n---\n",
                                           "policies/02-hr/b.md": policy("HR-001")},
         setup=refuse_listing("policies/02-hr"),
         expect=("policies/02-hr: error[HB008]: cannot read folder: Permission denied; its "
                 "files are missing from the handbook",)),
    Case("src-unreadable-chapter-folder-build", {"policies/02-hr/b.md": policy("HR-001")},
         setup=refuse_listing("policies/02-hr"), args=BUILD, prebuild=True,
         expect=("policies/02-hr: error[HB008]",), post=site_has("index.html")),
    Case("src-unreadable-nested-folder", {"policies/01-general/sub/x.md": policy("GN-009")},
         setup=refuse_listing("policies/01-general/sub"),
         expect=("policies/01-general/sub: error[HB008]",)),
    Case("src-unreadable-root", setup=refuse_listing("policies"),
         expect=("policies: error[HB008]",), absent=("HB126",)),
    Case("src-unreadable-policy", {A: policy("GN-001")}, setup=refuse_open(A),
         expect=(f"{A}: error[HB006]: cannot read file: Permission denied",)),
    Case("src-unreadable-policy-io-error", {A: policy("GN-001")},
         setup=refuse_open(A, errno.EIO),
         expect=(f"{A}: error[HB006]: cannot read file: Input/output error",)),
    Case("src-unreadable-config", setup=refuse_open(CFG),
         expect=(f"{CFG}: error[HB006]: cannot read file: Permission denied",),
         absent=("HB126",)),
    Case("src-unreadable-chapter-file", setup=refuse_open(CHAPTER),
         expect=(f"{CHAPTER}: error[HB006]",)),
    # symlinks
    Case("src-symlink-file-out-of-tree", setup=links({"policies/01-general/leak.md": "{outside}/keep.txt"}),
         expect=("policies/01-general/leak.md: error[HB003]: symlink points outside the "
                 "source tree",)),
    Case("src-symlink-folder-out-of-tree", setup=links({"policies/02-linked": "{outside}"}),
         expect=("policies/02-linked: error[HB003]",)),
    Case("src-symlink-absolute-system-file", setup=links({"policies/01-general/pw.md": "/etc/passwd"}),
         expect=("policies/01-general/pw.md: error[HB003]",)),
    Case("src-symlink-self-loop", setup=links({"policies/01-general/a.md": "a.md"}),
         expect=("policies/01-general/a.md: error[HB007]: symlink loop (a.md)",)),
    Case("src-symlink-two-file-loop", setup=links({"policies/01-general/x.md": "y.md", "policies/01-general/y.md": "x.md"}),
         expect=("policies/01-general/x.md: error[HB007]: symlink loop",
                 "policies/01-general/y.md: error[HB007]: symlink loop")),
    Case("src-symlink-loop-not-markdown", setup=links({"policies/01-general/loop": "loop"}),
         expect=("policies/01-general/loop: error[HB007]: symlink loop",), absent=("HB005",)),
    Case("src-symlink-folder-to-parent", setup=links({"policies/01-general/up": ".."}),
         expect=("policies/01-general/up: error[HB007]: symlink loop (..)",)),
    Case("src-symlink-folder-to-itself", setup=links({"policies/01-general/here": "."}),
         expect=("policies/01-general/here: error[HB007]: symlink loop (.)",)),
    Case("src-symlink-folder-to-root-absolute",
         setup=lambda p, m: (p.src / "01-general" / "all").symlink_to(p.src),
         expect=("policies/01-general/all: error[HB007]: symlink loop",)),
    Case("src-symlink-dangling", setup=links({"policies/01-general/gone.md": "missing.md"}),
         expect=("policies/01-general/gone.md: error[HB006]: broken symlink: missing.md does "
                 "not exist",)),
    Case("src-symlink-inside-tree-works", {"policies/.shared/a.md": policy("GN-001")},
         setup=links({"policies/01-general/a.md": "../.shared/a.md"}), args=BUILD, exit=0,
         absent=("error[",), post=site_has("policies/gn-001.html")),
    Case("src-symlink-folder-inside-tree-not-followed", {A: policy("GN-001")},
         setup=links({"policies/02-again": "01-general"}), args=CHECK_STRICT, exit=0,
         absent=("HB00", "HB12")),  # its files are read once, where they are
    # names that are not UTF-8 (a GBK name unpacked from a zip): reported, never a crash
    Case("src-name-not-utf8", setup=lambda p, m: (p.base / os.fsdecode(
        b"policies/01-general/\xd6\xc6\xb6\xc8.md")).write_text(policy("GN-001")),
         expect=("policies/01-general/\\xd6ƶ\\xc8.md: error[HB001]: the name is not "
                 "valid UTF-8",)),
    Case("src-folder-name-not-utf8", setup=lambda p, m: (
        (p.base / os.fsdecode(b"policies/02-\xff")).mkdir(),
        (p.base / os.fsdecode(b"policies/02-\xff/a.md")).write_text(policy("GN-002"))),
         args=BUILD, expect=("policies/02-\\xff: error[HB001]",), post=no_site),
    # stray and ignored files
    Case("src-stray-file", {"policies/01-general/notes.txt": "笔记"}, exit=0,
         expect=("policies/01-general/notes.txt: warning[HB005]: not a Markdown file",)),
    Case("src-stray-file-strict", {"policies/01-general/notes.txt": "笔记"}, args=CHECK_STRICT,
         expect=("policies/01-general/notes.txt: error[HB005]",)),
    Case("src-editor-droppings-ignored", {
        A: policy("GN-001"),
        "policies/01-general/.a.md.swp": b"\xff\xfe binary swap",
        "policies/01-general/a.md~": "---\nbroken",
        "policies/01-general/#a.md#": "---\nbroken",
        "policies/01-general/.#a.md": "user@host.1234",
        "policies/01-general/4913": "",
        "policies/01-general/a.md___jb_tmp___": "---\nbroken",
        "policies/01-general/a.md.orig": "---\nbroken",
        "policies/.DS_Store": b"\x00\x00\x00\x01Bud1",
    }, args=CHECK_STRICT, exit=0, absent=("HB00", "HB1")),
    Case("src-hidden-folder-ignored", {A: policy("GN-001"), "policies/.git/x.md": "---\nbad",
                                       "policies/.obsidian/a.md": b"\xff"},
         args=CHECK_STRICT, exit=0, absent=("HB00", "HB1")),
    # the parse cache: no code from data
    Case("src-cache-planted-old-location", {A: policy("GN-001")},
         setup=plant(".handbook-cache/parsed.pickle", False), args=CHECK_STRICT, exit=0,
         post=no_marker),
    Case("src-cache-planted-old-location-build", {A: policy("GN-001")},
         setup=plant(".handbook-cache/parsed.pickle", False), args=BUILD, exit=0,
         post=no_marker),
    Case("src-cache-planted-new-location", {A: policy("GN-001")},
         setup=plant(".cache/parsed.cache", True), args=CHECK_STRICT, exit=0,
         expect=("info[HB009]: the parse cache",), post=no_marker),
    Case("src-cache-planted-new-location-build", {A: policy("GN-001")},
         setup=plant(".cache/parsed.cache", True), args=BUILD, exit=0,
         expect=("info[HB009]",), post=no_marker),
    Case("src-cache-raw-pickle-new-location", {A: policy("GN-001")},
         setup=plant(".cache/parsed.cache", False), args=CHECK_STRICT, exit=0,
         expect=("info[HB009]",), post=no_marker),
    Case("src-cache-fifo", {A: policy("GN-001")}, setup=fifo(".cache/parsed.cache"),
         args=CHECK_STRICT, exit=0, expect=("info[HB009]",)),
    Case("src-build-record-bad-json", {A: policy("GN-001")}, prebuild=True,
         setup=damage_record(b'{"diagnostics": [[1, 2'), args=BUILD, exit=0,
         absent=("up to date",)),
    Case("src-build-record-wrong-shape", {A: policy("GN-001")}, prebuild=True,
         setup=damage_record(b'{"diagnostics": [["HB999", "NOPE"]], "manifest": 7}'),
         args=BUILD, exit=0, absent=("up to date",)),
]
