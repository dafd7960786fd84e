"""The bad-input catalogue's row type and runner.

A row is one hostile or broken input: the files it writes (project-relative, e.g.
``policies/01-general/a.md``), an optional ``setup(project, monkeypatch)`` for what
files cannot express (a FIFO, an unreadable folder, a symlink loop), the command, the
exit code, the diagnostics that must appear (``"policies/01-general/a.md:3:1: error[HB112]"``
or any substring) and, optionally, ``post(project, result)`` for further assertions.
Rows live in ``rows_<area>.py`` modules as a list named ``ROWS``; ``test_bad_input_catalogue.py``
runs them all and checks, for every row, that no traceback escaped, that the sources
are byte-identical afterwards and that nothing outside the output and cache changed.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from helpers import policy  # noqa: F401  (rows import it from here)

# Shared by the row modules: the files rows usually write, and a registry whose
# departments end on line 10, so a department a row appends starts on line 11.
A = "policies/01-general/a.md"
B = "policies/01-general/b.md"
CH = "policies/01-general/_chapter.md"
CFG = "policies/_handbook.yaml"
BUILD = ("build", "{src}", "--out", "{out}")
HB_YAML = ("title: 测试汇编\ndepartments:\n  - id: GMO\n    name: 总经理办公室\n"
           "  - id: FIN\n    name: 财务部\n    parent: GMO\n  - id: HR\n    name: 人力资源部\n"
           "    parent: GMO\n")


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    args: tuple[str, ...] = ("check", "{src}")
    """CLI arguments; ``{src}`` and ``{out}`` are replaced by the project's paths."""
    exit: int = 1
    expect: tuple[str, ...] = ()
    """Substrings that must each appear in the output (usually ``path:line:col: sev[CODE]``)."""
    absent: tuple[str, ...] = ()
    """Substrings that must not appear."""
    setup: Callable | None = None
    post: Callable | None = None
    prebuild: bool = False
    """Build the handbook once (without the row's files) first, so a published site
    exists that the row must leave complete."""


def snapshot(base: Path, skip: tuple[str, ...]) -> dict[str, str]:
    """Every file under base (except the top-level names in skip) with its sha1."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(base):
        rel_dir = os.path.relpath(dirpath, base)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in skip]
        for name in filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, base)
            if rel in skip:
                continue
            try:
                if os.path.islink(path) or not os.path.isfile(path):
                    out[rel] = "special"
                    continue
                st = os.stat(path)
                if st.st_size > 64 * 1024 * 1024:  # a sparse giant: its status stands for it
                    out[rel] = f"large:{st.st_size}:{st.st_mtime_ns}"
                    continue
                with open(path, "rb") as fh:
                    out[rel] = hashlib.sha1(fh.read()).hexdigest()
            except OSError:
                out[rel] = "unreadable"
    return out
