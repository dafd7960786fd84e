"""Source files: discovery under the handbook root, reading, strict decoding, line/col
lookup.

The one home of what may be read as a source and how (the build, ``check`` and the dev
server all go through find_sources() and read_file()): editor droppings are ignored,
unlistable folders, special files, symlink loops and symlinks out of the tree are
reported, sizes are checked before reading. Reading is the only IO here, and nothing is
ever written to the source tree.
"""
from __future__ import annotations

import bisect
import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from handbook_gen.core.diagnostics import Diagnostics, Location

CONFIG_NAME = "_handbook.yaml"
MAX_FILE_BYTES = 2 * 1024 * 1024
# Editor droppings and hidden files are never sources (vim swap/backup, emacs locks, JetBrains safe-write).
_IGNORED = re.compile(r"^(\.|#)|~$|\.(swp|swo|swx|tmp|bak|orig)$|___jb_(tmp|old)___$|^4913$")
# C0/C1 controls, bidirectional overrides and isolates (they can make a sentence read
# differently from how it is stored), U+FFFD and noncharacters.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffd\ufdd0-\ufdef\ufffe\uffff]")
_NONCHARACTER = re.compile(r"[\ufdd0-\ufdef\ufffe\uffff]")
"""Never for interchange: U+FDD0… are the parser's placeholders, so they are replaced on input."""


@dataclass(frozen=True)
class SourceFile:
    """A decoded source: project-relative POSIX path (e.g. ``policies/04-quality/qm.md``),
    text with BOM removed and newlines normalised to LF, and its line start offsets (made
    when first asked for: only some diagnostics need them)."""

    path: str
    text: str

    @cached_property
    def line_starts(self) -> tuple[int, ...]:
        # each line's end + 1 is the next line's start (the last one is past the end)
        starts = [0, *accumulate(map((1).__add__, map(len, self.text.split("\n"))))]
        starts.pop()
        return tuple(starts)

    def location_at(self, offset: int) -> Location:
        line = bisect.bisect_right(self.line_starts, offset)
        return Location(self.path, line, offset - self.line_starts[line - 1] + 1)

    def line(self, n: int) -> str:
        """Line n (1-based) without its newline, or '' when out of range."""
        if n < 1 or n > len(self.line_starts):
            return ""
        start = self.line_starts[n - 1]
        end = self.line_starts[n] - 1 if n < len(self.line_starts) else len(self.text)
        return self.text[start:end]


def decode(path: str, data: bytes, diags: Diagnostics) -> SourceFile | None:
    """Decode strict UTF-8 (BOM allowed), normalise CRLF/CR to LF and to NFC.

    A file in another encoding (GBK, …) is an error at the first bad byte; no guessing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        prefix = data[:bad]
        line = prefix.count(b"\n") + 1
        col = len(prefix[prefix.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        diags.add("HB001", "not valid UTF-8 (byte 0x{byte}); the file looks like GBK or "
                  "another legacy encoding", Location(path, line, col),
                  hint="re-save the file as UTF-8", byte=f"{data[bad]:02X}")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if _CONTROL.search(text) is None:  # the common case, in one scan (noncharacters included)
        return SourceFile(path, text)
    src = SourceFile(path, _NONCHARACTER.sub("\ufffd", text))
    for m in _CONTROL.finditer(text):
        template = ("U+FFFD replacement character in text (pasted from another program?)"
                    if m.group() == "\ufffd" else
                    "noncharacter U+{char}, replaced by U+FFFD, in text (pasted from another "
                    "program?)" if _NONCHARACTER.match(m.group()) else
                    "control character U+{char} in text (pasted from another program?)")
        diags.add("HB002", template, src.location_at(m.start()), hint="delete it",
                  char=f"{ord(m.group()):04X}")
    return src


def is_ignored(name: str) -> bool:
    return bool(_IGNORED.search(name))


@dataclass(frozen=True)
class Tree:
    """What discovery found under a source root: the configuration's path, whether it
    exists, and the Markdown sources (project-relative, sorted)."""

    config: str
    has_config: bool
    markdown: list[str]


def find_sources(root: Path, diags: Diagnostics) -> Tree:
    """Discover the sources under root (resolved) and sort them: the configuration
    (HB126 when missing) and the Markdown files (anything else is stray, HB005)."""
    unreadable: list[str] = []
    paths = discover(root, diags, unreadable)
    config = f"{root.name}/{CONFIG_NAME}"
    has_config = config in paths
    if not has_config and root.name not in unreadable:
        diags.add("HB126", "no {name} in {root}", Location(config),
                  hint="create it with at least 'title:' and 'departments:'",
                  name=CONFIG_NAME, root=root)
    markdown = []
    for rel in paths:
        if rel == config:
            continue
        if rel.endswith(".md"):
            markdown.append(rel)
        else:
            diags.add("HB005", "not a Markdown file; it is ignored", Location(rel))
    return Tree(config, has_config, markdown)


def discover(root: Path, diags: Diagnostics, unreadable: list[str] | None = None) -> list[str]:
    """Project-relative paths of every source under root (``policies/…``), sorted.

    A folder that cannot be listed is an error naming it (HB008; its path is added to
    `unreadable`). Symlinks that leave the source tree are reported and never read
    (HB003); a symlink loop is an error (HB007). Symlinked folders are not followed."""
    root = root.resolve()
    base = root.parent

    def cannot_list(exc: OSError) -> None:
        if isinstance(exc, FileNotFoundError):
            return  # deleted while the tree was walked (a checkout): nothing is missing
        rel = os.path.relpath(exc.filename, base) if exc.filename else root.name
        rel = Path(rel).as_posix()
        if unreadable is not None:
            unreadable.append(rel)
        diags.add("HB008", "cannot read folder: {problem!t}; its files are missing from "
                  "the handbook", Location(rel),
                  hint="give the build read and execute permission on the folder",
                  problem=exc.strerror or str(exc))

    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=cannot_list, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not is_ignored(d)
                             and _utf8_name(here / d, base, diags))
        filenames = [f for f in filenames if _utf8_name(here / f, base, diags)]
        for d in list(dirnames):
            p = here / d
            if p.is_symlink():
                dirnames.remove(d)
                _check_link(p, root, base, diags, found, is_dir=True)
        for name in sorted(filenames):
            if is_ignored(name):
                continue
            p = here / name
            if p.is_symlink():
                _check_link(p, root, base, diags, found, is_dir=False)
                continue
            found.append(p.relative_to(base).as_posix())
    return sorted(found)


def _utf8_name(p: Path, base: Path, diags: Diagnostics) -> bool:
    """False (and HB001) for a file or folder name that is not UTF-8: no path of the
    handbook could name it."""
    try:
        p.name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        if is_ignored(p.name):
            return False
        shown = os.fsencode(p.relative_to(base)).decode("utf-8", "backslashreplace")
        diags.add("HB001", "the name is not valid UTF-8 (a legacy encoding?); it is not read",
                  Location(Path(shown).as_posix()), hint="rename it")
        return False


def _check_link(p: Path, root: Path, base: Path, diags: Diagnostics, found: list[str],
                is_dir: bool) -> None:
    """A symlink inside the tree: a file link that stays in the tree is a source (it is
    read through read_file, which reports a dangling or special target); a folder link
    is not followed, and one to its own folder or an ancestor is a loop."""
    rel = p.relative_to(base).as_posix()
    target = Path(os.path.realpath(p))
    if not target.is_relative_to(root):
        diags.add("HB003", "symlink points outside the source tree ({target}); it is not "
                  "read", Location(rel), hint="copy the file into the source folder instead",
                  target=os.readlink(p))
        return
    try:
        os.stat(p)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            _loop(rel, p, diags)
            return
    if is_dir:
        if p.is_relative_to(target):
            _loop(rel, p, diags)
    else:
        found.append(rel)


def _loop(rel: str, link: Path, diags: Diagnostics) -> None:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    diags.add("HB007", "symlink loop ({target}); it is never read", Location(rel),
              hint="point the link at a file, or delete it", target=target)


class Read(NamedTuple):
    """A source's bytes and the status of the file they were read from."""

    data: bytes
    stat: os.stat_result


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) \
    | getattr(os, "O_CLOEXEC", 0)


def read_file(root: Path, rel: str, diags: Diagnostics) -> Read | None:
    """Read project file `rel` (under the resolved source root), or report why not.

    Only a regular file is opened: a FIFO, device or socket is refused from its status
    (HB007; opening a FIFO would block), as is a symlink loop. The size limit is checked
    from the status before reading (HB004), and the read stops one byte past the limit,
    so a huge or sparse file costs nothing. A file that cannot be read is HB006; a
    symlink leaving the tree is HB003."""
    full = os.path.join(root.parent, rel)
    loc = Location(rel)
    try:
        st = os.lstat(full)
        path = full
        if stat.S_ISLNK(st.st_mode):
            path = os.path.realpath(full)
            if not Path(path).is_relative_to(root):
                diags.add("HB003", "symlink points outside the source tree ({target}); it "
                          "is not read", loc, hint="copy the file into the source folder "
                          "instead", target=os.readlink(full))
                return None
            if not os.path.lexists(path):
                diags.add("HB006", "broken symlink: {target} does not exist", loc,
                          hint="point the link at a file, or delete it",
                          target=os.readlink(full))
                return None
            st = os.stat(path)
        if not _regular(st, rel, diags) or _too_large(st.st_size, rel, diags):
            return None
        fd = os.open(path, _OPEN_FLAGS)
        try:
            st = os.fstat(fd)  # the file opened may differ from the one examined
            if not _regular(st, rel, diags) or _too_large(st.st_size, rel, diags):
                return None
            chunks, left = [], MAX_FILE_BYTES + 1
            while left > 0 and (chunk := os.read(fd, left)):
                chunks.append(chunk)
                left -= len(chunk)
            if left <= 0:  # it grew while being read
                _too_large(max(os.fstat(fd).st_size, MAX_FILE_BYTES + 1), rel, diags)
                return None
        finally:
            os.close(fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            _loop(rel, Path(full), diags)
        else:
            diags.add("HB006", "cannot read file: {problem!t}", loc,
                      hint="check that the build may read the file",
                      problem=exc.strerror or str(exc))
        return None
    return Read(b"".join(chunks), st)


def _regular(st: os.stat_result, rel: str, diags: Diagnostics) -> bool:
    if stat.S_ISREG(st.st_mode):
        return True
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else
            "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
            "a socket" if stat.S_ISSOCK(st.st_mode) else
            "a folder" if stat.S_ISDIR(st.st_mode) else "a special file")
    diags.add("HB007", "{kind!t}, not a regular file; it is never opened", Location(rel),
              hint="replace it with a plain Markdown file, or delete it", kind=kind)
    return False


def _too_large(size: int, rel: str, diags: Diagnostics) -> bool:
    if size <= MAX_FILE_BYTES:
        return False
    diags.add("HB004", "file is {size} bytes; the limit is {limit}", Location(rel),
              hint="split it into several policies", size=size, limit=MAX_FILE_BYTES)
    return True


def read_source(root: Path, rel: str, diags: Diagnostics) -> SourceFile | None:
    """read_file, then decode."""
    got = read_file(root, rel, diags)
    return decode(rel, got.data, diags) if got else None
