"""Revision history from git: per source file, the commits that changed it (date, author,
subject), newest first, following renames.

One ``git log`` runs for the whole source tree, so the cost does not grow with the
number of policies. Without git, outside a repository, or when git fails, the build
goes on without history and says so once (HB300, info). In a shallow clone the
boundary commits are left out (they would claim to have added every file) and the
history is marked incomplete (HB301, info). The git date is when the text last
changed; it is not the policy's effective date.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from handbook_gen.core.diagnostics import Diagnostics

GIT_TIMEOUT = 120
_RS, _US = "\x1e", "\x1f"


@dataclass(frozen=True)
class Revision:
    commit: str
    """Abbreviated commit id (12 hex digits)."""
    date: str
    """Author date, YYYY-MM-DD."""
    author: str
    subject: str


@dataclass
class History:
    revisions: dict[str, tuple[Revision, ...]] = field(default_factory=dict)
    """Source path (as in Policy.path, e.g. ``policies/03-operations/sales.md``) ->
    its revisions, newest first. Files git does not know have no entry."""
    available: bool = False
    complete: bool = True
    """False in a shallow clone: older revisions are missing."""

    def of(self, path: str) -> tuple[Revision, ...]:
        return self.revisions.get(path, ())


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=GIT_TIMEOUT)


def head_commit(root: Path) -> str:
    """The commit checked out for the repository holding `root`, '' when none; part of
    the build's input digest when history is shown."""
    if shutil.which("git") is None:
        return ""
    try:
        proc = _git(["rev-parse", "HEAD"], root)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.decode("ascii", "replace").strip() if proc.returncode == 0 else ""


def git_dir(root: Path) -> Path | None:
    """The git directory of the repository holding `root`, None when there is none."""
    if shutil.which("git") is None:
        return None
    try:
        proc = _git(["rev-parse", "--absolute-git-dir"], root)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(proc.stdout.decode("utf-8", "replace").strip()) if proc.returncode == 0 else None


def head_stamp(git_dir: Path) -> tuple | None:
    """A cheap sign that HEAD may have moved, for ``serve``: size, time and inode of the
    repository's HEAD file and of its reflog, which git appends to whenever HEAD moves
    (commit, checkout, reset, pull). None when either is missing (no reflog: ask git)."""
    try:
        files = [os.stat(git_dir / "HEAD"), os.stat(git_dir / "logs" / "HEAD")]
    except OSError:
        return None
    return tuple((s.st_size, s.st_mtime_ns, s.st_ino) for s in files)


def collect(root: Path, paths: list[str], diags: Diagnostics) -> History:
    """History of `paths` (relative to root's parent, like every source path)."""
    root = root.resolve()
    if shutil.which("git") is None:
        diags.add("HB300", "git is not installed: pages show no revision history")
        return History()
    try:
        top = _git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], root)
    except (OSError, subprocess.SubprocessError) as exc:
        diags.add("HB300", f"git failed ({exc}): pages show no revision history")
        return History()
    if top.returncode != 0:
        reason = top.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else "not a git repository"
        if "not a git repository" in detail:
            detail = "the sources are not in a git repository"
        diags.add("HB300", f"{detail}: pages show no revision history")
        return History()
    toplevel_text, shallow_text = (top.stdout.decode("utf-8", "replace").splitlines() + ["", ""])[:2]
    toplevel = Path(toplevel_text).resolve()
    shallow = shallow_text.strip() == "true"
    boundary: set[str] = set()
    if shallow:
        boundary = _shallow_boundary(root)
        diags.add("HB301", "shallow clone: revision history is incomplete",
                  hint="fetch the full history (git fetch --unshallow) to show every revision")
    try:
        rel_root = root.relative_to(toplevel).as_posix()
    except ValueError:
        diags.add("HB300", "the sources are outside the git work tree: no revision history")
        return History()
    try:
        proc = _git(["log", "--no-color", "--no-merges", "-M", "--name-status", "--date=short",
                     f"--format={_RS}%H{_US}%ad{_US}%an{_US}%s", "--", rel_root or "."],
                    toplevel)
    except (OSError, subprocess.SubprocessError) as exc:
        diags.add("HB300", f"git log failed ({exc}): pages show no revision history")
        return History()
    if proc.returncode != 0:
        # e.g. a repository without commits yet
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        diags.add("HB300", "git log failed" + (f" ({message[-1]})" if message else "") +
                  ": pages show no revision history")
        return History()
    prefix = root.parent.relative_to(toplevel).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    tracked = {prefix + p: p for p in paths}
    revisions: dict[str, list[Revision]] = {}
    for record in proc.stdout.decode("utf-8", "replace").split(_RS)[1:]:
        header, _, changes = record.partition("\n")
        fields = header.split(_US)
        if len(fields) != 4:
            continue
        commit, date, author, subject = fields
        if commit in boundary:
            continue
        rev = Revision(commit[:12], date, author, subject)
        for line in changes.splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status, names = parts[0], parts[1:]
            if status.startswith(("R", "C")) and len(names) == 2:
                old, new = names
                source = tracked.get(new)
                if source is not None:
                    revisions.setdefault(source, []).append(rev)
                    if status.startswith("R"):
                        tracked[old] = source  # older commits know the file by its old name
            else:
                source = tracked.get(names[-1])
                if source is not None and not status.startswith("D"):
                    revisions.setdefault(source, []).append(rev)
    return History({p: tuple(r) for p, r in revisions.items()}, available=True,
                   complete=not shallow)


def _shallow_boundary(root: Path) -> set[str]:
    try:
        proc = _git(["rev-parse", "--git-path", "shallow"], root)
        path = Path(proc.stdout.decode("utf-8", "replace").strip())
        if not path.is_absolute():
            path = root / path
        return set(path.read_text("ascii").split())
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return set()
