"""Revision history from git: per source file, the commits that changed it (date, author,
subject, the file's blob), newest first, following renames; and the blobs themselves,
read when asked for.

One ``git log`` runs for the whole source tree, and one ``git cat-file --batch`` reads
the texts a step asks for at once (``History.read``: only those no cache holds), so the
number of processes started does not grow with the number of policies or revisions. governance.versions makes versions of the revisions. Without git, outside a repository, or when git fails, the build
goes on without history and says so once (HB300, info). In a shallow clone the
boundary commits are left out (they would claim to have added every file) and the
history is marked incomplete (HB301, info). The git date is when the text last
changed; it is not the policy's effective date.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable
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
    blob: str = ""
    """The file's git blob id (40 hex) after this commit."""
    path: str = ""
    """The file's path at this commit (like Policy.path): differs before a rename."""


@dataclass
class History:
    revisions: dict[str, tuple[Revision, ...]] = field(default_factory=dict)
    """Source path (as in Policy.path, e.g. ``policies/03-operations/sales.md``) ->
    its revisions, newest first. Files git does not know have no entry."""
    available: bool = False
    complete: bool = True
    """False in a shallow clone: older revisions are missing."""
    base: dict[str, Revision] = field(default_factory=dict)
    """Shallow clone: source path -> its state at the clone's boundary commit (what the
    file was before the first revision shown; its own commit is not known)."""
    order: dict[str, int] = field(default_factory=dict)
    """Abbreviated commit id -> its position in the log (0 = newest)."""
    toplevel: Path | None = None
    """The git work tree's top folder, where ``read`` asks git for blobs."""
    blobs: dict[str, bytes] = field(default_factory=dict, repr=False)
    """Blob id -> contents, of the blobs read so far (``read``): only texts that no cache
    had are read."""
    fronts: dict[str, tuple] = field(default_factory=dict, repr=False)
    """Blob id -> the keys of its front matter that tell versions apart
    (governance.versions.front_keys), read or from a cache."""
    versions: dict[str, tuple] = field(default_factory=dict)
    """Policy id -> its versions (governance.versions.Version), oldest first; filled by
    governance.versions.read_versions."""
    drifts: list = field(default_factory=list)
    """The drifted citations the last history stage found (governance.drift.Drift)."""
    documents: dict[str, object] = field(default_factory=dict, repr=False)
    """Blob id -> markdown.document.Document parsed from it, filled as needed (versions,
    drift checks), so serve never parses a blob twice for one HEAD."""

    def of(self, path: str) -> tuple[Revision, ...]:
        return self.revisions.get(path, ())

    def read(self, ids: Iterable[str]) -> None:
        """Read the contents of blobs `ids` not read yet into ``blobs``, in one ``git
        cat-file --batch``; a blob git cannot give stays missing."""
        missing = sorted({i for i in ids if i not in self.blobs})
        if missing and self.toplevel is not None:
            self.blobs.update(_read_blobs(self.toplevel, missing))


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=GIT_TIMEOUT)


def blob_id(data: bytes) -> str:
    """The git blob id of `data` (what ``git hash-object`` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


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
        diags.add("HB300", "git failed ({problem}): pages show no revision history",
                  problem=str(exc))
        return History()
    if top.returncode != 0:
        reason = top.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else "not a git repository"
        if "not a git repository" in detail:
            diags.add("HB300", "the sources are not in a git repository: pages show no "
                      "revision history")
        else:
            diags.add("HB300", "git: {problem}: pages show no revision history",
                      problem=detail)
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
        proc = _git(["log", "--no-color", "--no-merges", "-M", "--raw", "--no-abbrev",
                     "--date=short",
                     f"--format={_RS}%H{_US}%ad{_US}%aN{_US}%s", "--", rel_root or "."],
                    toplevel)
    except (OSError, subprocess.SubprocessError) as exc:
        diags.add("HB300", "git log failed ({problem}): pages show no revision history",
                  problem=str(exc))
        return History()
    if proc.returncode != 0:
        # e.g. a repository without commits yet
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        diags.add("HB300", "git log failed ({problem}): pages show no revision history",
                  problem=message[-1] if message else "?")
        return History()
    prefix = root.parent.relative_to(toplevel).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    tracked = {prefix + p: p for p in paths}
    revisions: dict[str, list[Revision]] = {}
    base: dict[str, Revision] = {}
    order: dict[str, int] = {}
    for record in proc.stdout.decode("utf-8", "replace").split(_RS)[1:]:
        header, _, changes = record.partition("\n")
        fields = header.split(_US)
        if len(fields) != 4:
            continue
        commit, date, author, subject = fields
        order[commit[:12]] = len(order)
        at_boundary = commit in boundary
        for line in changes.splitlines():
            # ":100644 100644 <old blob> <new blob> M\tpath" ("R096\told\tnew" for a rename)
            meta, _, names_text = line.partition("\t")
            parts, names = meta.split(), names_text.split("\t")
            if len(parts) < 5 or not names_text:
                continue
            status, blob = parts[4], parts[3]
            source = tracked.get(names[-1])
            if source is None or status.startswith("D"):
                continue
            name = names[-1]
            rev = Revision(commit[:12], date, author, subject, blob,
                           name[len(prefix):] if name.startswith(prefix) else name)
            if at_boundary:  # claims to add every file: only the state it starts from
                base.setdefault(source, rev)
            else:
                revisions.setdefault(source, []).append(rev)
            if status.startswith("R") and len(names) == 2:
                tracked[names[0]] = source  # older commits know the file by its old name
    return History({p: tuple(r) for p, r in revisions.items()}, available=True,
                   complete=not shallow, base=base, order=order, toplevel=toplevel)


def reachable(root: Path, rev: str) -> tuple[str, set[str]] | None:
    """(`rev` as an abbreviated commit id, the abbreviated ids of the commits reachable
    from it that changed the source tree), None when git does not know `rev`."""
    try:
        proc = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                    root)
        if proc.returncode != 0:
            return None
        commit = proc.stdout.decode("ascii", "replace").strip()
        listed = _git(["rev-list", commit, "--", "."], root)
    except (OSError, subprocess.SubprocessError):
        return None
    if listed.returncode != 0:
        return None
    return commit[:12], {line[:12] for line in listed.stdout.decode("ascii", "replace").split()}


def _read_blobs(toplevel: Path, wanted: list[str]) -> dict[str, bytes]:
    """The contents of blobs `wanted`, in one ``git cat-file --batch``; a blob git cannot
    give is left out (its revision then has no text)."""
    try:
        proc = subprocess.run(["git", "cat-file", "--batch"], cwd=toplevel,
                              input="".join(w + "\n" for w in wanted).encode("ascii"),
                              capture_output=True, timeout=GIT_TIMEOUT,
                              env=dict(os.environ, LC_ALL="C", GIT_OPTIONAL_LOCKS="0"))
    except (OSError, subprocess.SubprocessError):
        return {}
    out, pos, blobs = proc.stdout, 0, {}
    while pos < len(out):
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # "<id> missing"
        size = int(header[2])
        blobs[header[0].decode("ascii")] = out[pos:pos + size]
        pos += size + 1
    return blobs


def _shallow_boundary(root: Path) -> set[str]:
    try:
        proc = _git(["rev-parse", "--git-path", "shallow"], root)
        path = Path(proc.stdout.decode("utf-8", "replace").strip())
        if not path.is_absolute():
            path = root / path
        return set(path.read_text("ascii").split())
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return set()
