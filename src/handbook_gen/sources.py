"""Source files: discovery under the handbook root, strict decoding, line/col lookup.

Owns SourceFile and discover(); reading is the only IO here, and nothing is ever
written to the source tree. Imports: diagnostics.
"""
from __future__ import annotations

import bisect
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from handbook_gen.diagnostics import Diagnostics, Location

MAX_FILE_BYTES = 2 * 1024 * 1024
# Editor droppings and hidden files are never sources (vim swap/backup, emacs locks, JetBrains safe-write).
_IGNORED = re.compile(r"^(\.|#)|~$|\.(swp|swo|swx|tmp|bak|orig)$|___jb_(tmp|old)___$|^4913$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A decoded source: project-relative POSIX path (e.g. ``policies/04-quality/qm.md``),
    text with BOM removed and newlines normalised to LF, and its line start offsets."""

    path: str
    text: str
    line_starts: tuple[int, ...] = field(repr=False, default=())

    @classmethod
    def from_text(cls, path: str, text: str) -> "SourceFile":
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return cls(path, text, tuple(starts))

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
        diags.add("HB001", f"not valid UTF-8 (byte 0x{data[bad]:02X}); the file looks like "
                  "GBK or another legacy encoding", Location(path, line, col),
                  hint="re-save the file as UTF-8")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    src = SourceFile.from_text(path, text)
    for m in _CONTROL.finditer(text):
        what = "U+FFFD replacement character" if m.group() == "\ufffd" else \
            f"control character U+{ord(m.group()):04X}"
        diags.add("HB002", f"{what} in text (pasted from another program?)",
                  src.location_at(m.start()), hint="delete it")
    return src


def read_source(root: Path, rel: str, diags: Diagnostics) -> SourceFile | None:
    """Read project file ``rel`` (relative to root's parent naming) from disk."""
    full = root.parent / rel
    try:
        data = full.read_bytes()
    except OSError as exc:
        diags.add("HB006", f"cannot read file: {exc.strerror}", Location(rel))
        return None
    if len(data) > MAX_FILE_BYTES:
        diags.add("HB004", f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}",
                  Location(rel))
        return None
    return decode(rel, data, diags)


def is_ignored(name: str) -> bool:
    return bool(_IGNORED.search(name))


def discover(root: Path, diags: Diagnostics) -> list[str]:
    """Project-relative paths of every source under root (``policies/…``), sorted.

    Symlinks that leave the source tree are reported and never read."""
    root = root.resolve()
    base = root.parent
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not is_ignored(d))
        here = Path(dirpath)
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


def _check_link(p: Path, root: Path, base: Path, diags: Diagnostics, found: list[str],
                is_dir: bool) -> None:
    rel = p.relative_to(base).as_posix()
    target = p.resolve()
    if not target.is_relative_to(root):
        diags.add("HB003", f"symlink points outside the source tree ({os.readlink(p)}); "
                  "it is not read", Location(rel))
    elif not is_dir and target.is_file():
        found.append(rel)
