"""Deterministic fault injection for the README's safety guarantees about publishing:

* a build whose template fails publishes nothing: the old site stays byte-identical;
* a filesystem step that fails during publishing (a rename of the swap, the exchange,
  any write) leaves the old site;
* the swap is atomic: after every filesystem step the output is the complete old site
  or the complete new one, never missing (where the exchange exists) and never mixed;
* a build killed at any step leaves a disk from which the next build restores the
  published site (the old site set aside is put back), even when that build is itself
  killed.

Nothing here depends on timing. ``Steps`` hooks every filesystem call that changes
something: os.rename, os.replace, os.unlink, os.remove, os.rmdir, os.mkdir, the
renameat2 exchange and every file opened for writing. Each call is one step; a test
makes step k fail, checks the disk after every step, or copies the disk as it is after
step k, which is exactly what a build killed there would leave (nothing after a kill
runs, so the copy is taken without letting the build clean up).
"""
from __future__ import annotations

import builtins
import ctypes
import errno
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from helpers import manifest, policy, with_marker

from handbook_gen.build import output
from handbook_gen.build.output import OutputFailed, SiteWriter, write_site
from handbook_gen.build.pipeline import BuildOptions, build

HOOKED = ("rename", "replace", "unlink", "remove", "rmdir", "mkdir")
OLD = {"index.html": b"old index", "a/1.html": b"old 1", "a/2.html": b"old 2", "old.html": b"o"}
NEW = {"index.html": b"new index", "a/1.html": b"new 1", "b/3.html": b"new 3"}
NEWER = {"index.html": b"newer index"}
OTHER_PID = "4242"  # a killed build's leftovers carry its pid; the next build has another


class Steps:
    """While entered, every filesystem call that changes something is a step. The step
    that `fail` picks (its number k, or a predicate of the step names so far) raises
    EIO instead of running (the exchange returns -1 with errno EIO, as renameat2 does);
    ``after(k, name)`` runs after each other step k, with the hooks off.
    `exchange=False` is a system without renameat2 (two renames)."""

    def __init__(self, exchange: bool = True, fail=0, after=None):
        self.exchange, self.fail, self.after = exchange, fail, after
        self.names: list[str] = []
        self.busy = False
        self.patch = pytest.MonkeyPatch()

    def __enter__(self) -> Steps:
        for name in HOOKED:
            self.patch.setattr(os, name, self._hooked(name, getattr(os, name)))
        real_open = builtins.open

        def open_(file, mode="r", *args, **kw):
            if any(c in mode for c in "wxa+"):
                return self._step("open", real_open, file, mode, *args, **kw)
            return real_open(file, mode, *args, **kw)
        self.patch.setattr(builtins, "open", open_)
        real = output._renameat2() if self.exchange else None
        hooked = self._hooked("renameat2", real) if real else None
        self.patch.setattr(output, "_renameat2", lambda: hooked)
        return self

    def __exit__(self, *exc) -> None:
        self.patch.undo()

    def _hooked(self, name, real):
        return lambda *args, **kw: self._step(name, real, *args, **kw)

    def _step(self, name, real, *args, **kw):
        if self.busy:
            return real(*args, **kw)
        self.names.append(name)
        k = len(self.names)
        if (self.fail(self.names) if callable(self.fail) else k == self.fail):
            if name == "renameat2":
                ctypes.set_errno(errno.EIO)
                return -1
            raise OSError(errno.EIO, f"injected failure of step {k} ({name})")
        try:
            return real(*args, **kw)
        finally:  # (also after a call that raised: mkdir of a folder that exists)
            if self.after is not None:
                self.busy = True
                try:
                    self.after(k, name)
                finally:
                    self.busy = False


# ---- the disk ------------------------------------------------------------------------------


def asides(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.old-*"))


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and not p.name.endswith(".lock"))


def published(out: Path, step: str = "") -> dict[str, bytes] | None:
    """The site this disk publishes: `out`, or, when a killed swap left it missing,
    the one old site set aside for the next build to put back."""
    now = manifest(out)
    if now is None and (aside := asides(out)):
        assert len(aside) == 1, f"{step}: two old sites set aside: {aside}"
        return manifest(aside[0])
    return now


def atomic(out: Path, sites: list, exchange: bool, trace: list):
    """An ``after`` hook asserting that after each step `out` is one of `sites`
    (complete) and never missing with the exchange; when two renames leave it missing,
    the complete old site is aside. Appends the index of each state to `trace`."""
    def after(k: int, name: str) -> None:
        step = f"after step {k} ({name})"
        now = manifest(out)
        if now is None and sites[0] is not None:
            assert not exchange, f"{step}: the output directory is missing"
            assert [manifest(p) for p in asides(out)] == [sites[0]], \
                f"{step}: the output is missing and the complete old site is not aside"
            now = sites[0]
        assert now in sites, f"{step}: the output is neither site but a mix: {sorted(now or {})}"
        trace.append(sites.index(now))
    return after


def copy_disk(parent: Path, dest: Path) -> Path:
    """`parent` as a killed build leaves it, its pid-named leftovers renamed as
    another process's."""
    shutil.copytree(parent, dest, symlinks=True)
    for p in dest.iterdir():
        if p.name.endswith(f"-{os.getpid()}"):
            p.rename(p.with_name(p.name.rsplit("-", 1)[0] + f"-{OTHER_PID}"))
    return dest


def old_site(parent: Path) -> tuple[Path, dict[str, bytes]]:
    parent.mkdir(parents=True)
    out = parent / "site"
    write_site(OLD, out, "old")
    return out, with_marker(OLD, "old")


SCHEMES = ["exchange", "two-renames", "first-site"]


def setup(tmp_path: Path, scheme: str, name: str = "site-parent"):
    """(out, the old site or None, whether the exchange is used)."""
    if scheme == "first-site":
        (tmp_path / name).mkdir()
        return tmp_path / name / "site", None, True
    out, old = old_site(tmp_path / name)
    return out, old, scheme == "exchange"


def count_steps(tmp_path: Path, scheme: str) -> int:
    out, _, exchange = setup(tmp_path, scheme, "count")
    with Steps(exchange) as steps:
        write_site(NEW, out, "new")
    return len(steps.names)


# ---- the swap is atomic --------------------------------------------------------------------
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_swap_is_atomic_at_every_step(tmp_path, scheme):
    """After every filesystem step of a build, the output is the complete old site or
    the complete new one, and it changes once, from old to new."""
    out, old, exchange = setup(tmp_path, scheme)
    new = with_marker(NEW, "new")
    trace: list[int] = []
    with Steps(exchange, after=atomic(out, [old, new], exchange, trace)) as steps:
        write_site(NEW, out, "new")
    assert manifest(out) == new and leftovers(out) == []
    assert len(trace) == len(steps.names) > 5
    assert trace == sorted(trace) and trace[-1] == 1, trace  # old ... old, new ... new
    if scheme == "exchange":
        assert steps.names.count("renameat2") == 1 and "rename" not in steps.names


# ---- a step that fails ---------------------------------------------------------------------
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_step_that_fails_leaves_the_old_site(tmp_path, scheme):
    """Each step k of a build fails in turn (every rename, the exchange, every write and
    removal): a build that reports the failure has left the old site exactly as it
    was, and nothing beside it when the failing step is one of the swap's renames; a
    build that succeeds despite it (a failed removal of the old tree is ignored) has
    published the new site. Either way the next build publishes and cleans up."""
    n = count_steps(tmp_path, scheme)
    new = with_marker(NEW, "new")
    swaps = 0
    for k in range(1, n + 1):
        out, old, exchange = setup(tmp_path, scheme, f"k{k}")
        with Steps(exchange, fail=k, after=atomic(out, [old, new], exchange, [])) as steps:
            try:
                write_site(NEW, out, "new")
                failed = False
            except OutputFailed:
                failed = True
        failing = steps.names[k - 1]
        assert manifest(out) == (old if failed else new), (k, failing)
        if failing in ("rename", "renameat2"):
            swaps += 1
            assert failed and leftovers(out) == [], (k, failing, leftovers(out))
        write_site(NEWER, out, "newer")
        assert manifest(out) == with_marker(NEWER, "newer") and leftovers(out) == [], k
    assert swaps == {"exchange": 1, "two-renames": 2, "first-site": 1}[scheme]


# ---- a build killed at any step ------------------------------------------------------------
def killed_states(parent: Path, out: Path, files: dict, digest: str, exchange: bool,
                  dest: Path) -> list[Path]:
    """Run a build publishing `files` into `out` (in `parent`) and copy the disk after
    each of its steps: the states that killing it there leaves."""
    states: list[Path] = []

    def after(k, name):
        states.append(copy_disk(parent, dest / f"{k}-{name}"))
    with Steps(exchange, after=after):
        write_site(files, out, digest)
    return states


def recovered(state: Path) -> dict[str, bytes] | None:
    """What the next build restores from a killed build's disk `state` (used up): a
    build that fails after starting publishes nothing, so the output is what its
    recovery left."""
    out = state / "site"
    with SiteWriter(out):
        pass  # the build failed: no commit
    assert leftovers(out) == [], f"{state.name}: {leftovers(out)} left after recovery"
    site = manifest(out)
    shutil.rmtree(state)
    return site


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_killed_build_is_recovered_from_every_step(tmp_path, scheme):
    """A build killed after any step k leaves the old or the new site published (with
    two renames, possibly the old one set aside); the next build puts exactly that site
    back in place even when it publishes nothing, and a build killed while recovering
    (after any of its own steps j) leaves a disk that the build after it recovers
    too."""
    out, old, exchange = setup(tmp_path, scheme)
    new, newer = with_marker(NEW, "new"), with_marker(NEWER, "newer")
    states = killed_states(out.parent, out, NEW, "new", exchange, tmp_path / "killed")
    assert len(states) > 5
    seen_aside = False
    for state in states:
        site = published(state / "site", state.name)
        assert site in (old, new), state.name
        seen_aside |= manifest(state / "site") is None and site is not None
        # the next build (which publishes NEWER) killed after each of its steps
        again = copy_disk(state, tmp_path / "again" / state.name)
        inner = killed_states(again, again / "site", NEWER, "newer", exchange,
                              tmp_path / "again" / f"{state.name}-killed")
        assert recovered(state) == site, state.name
        for second in inner:
            now = published(second / "site", f"{state.name} then {second.name}")
            assert now in (site, newer), (state.name, second.name)
            assert recovered(second) == now, (state.name, second.name)
    assert seen_aside == (scheme == "two-renames")


def test_a_half_written_staging_directory_is_no_site(tmp_path):
    """A build killed while writing left a staging directory and no output at all (the
    first build): nothing is published from it, the next build deletes it."""
    out = tmp_path / "p" / "site"
    (tmp_path / "p").mkdir()
    states = killed_states(out.parent, out, NEW, "new", True, tmp_path / "killed")
    before_swap = [s for s in states if manifest(s / "site") is None]
    assert len(before_swap) > 3 and all(recovered(s) is None for s in before_swap)


# ---- the pipeline: template errors, a failing swap, atomicity in a real build ----------------
OPTIONS = BuildOptions(cache_dir=None, jobs=1, today=date(2026, 1, 1))


@pytest.fixture
def built(project):
    """A project with a published site; returns (project, out, the site's files)."""
    project.write("01-general/a.md", policy("GN-001", body="## 总则\n\n§{purpose} 目的。\n"))
    project.write("01-general/b.md", policy("GN-002", body="§ 见[[GN-001#purpose]]。\n"))
    out = project.base / "site"
    assert build(project.src, out, OPTIONS).ok
    return project, out, manifest(out)


@pytest.mark.parametrize("template, text", [
    ("policy.html", "{% block x %}{{ }}"),  # syntax error: every policy page fails
    ("policy.html", '{% extends "builtin/policy.html" %}{% block policy_meta %}'
                    '{% if meta.id == "GN-002" %}{{ no_such() }}{% endif %}{% endblock %}'),
    ("status.html", "{{ no_such.attr.deeper }}"),  # a governance page
    ("404.html", "{% if %}"),
])
def test_a_template_error_publishes_nothing(built, template, text):
    """A template that fails (for every page or for one page only) while the sources
    changed too: the build reports HB400 and the published site, the folder around it
    and the sources stay byte-identical."""
    project, out, before = built
    project.write("01-general/a.md", policy("GN-001", title="改过的标题"))
    (project.base / "templates").mkdir(exist_ok=True)
    (project.base / "templates" / template).write_text(text, "utf-8")
    around = sorted(p.name for p in out.parent.iterdir())
    result = build(project.src, out, OPTIONS)
    assert not result.ok
    assert "HB400" in {d.code for d in result.diagnostics.items}
    assert manifest(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == around


def test_a_template_error_through_the_cli(built):
    project, out, before = built
    (project.base / "templates").mkdir()
    (project.base / "templates" / "policy.html").write_text("{{ no_such() }}", "utf-8")
    r = project.build()
    assert r.exit_code == 1 and "error[HB400]" in r.output and "未写入任何文件" in r.output
    assert manifest(out) == before


@pytest.mark.parametrize("error", ["sources", "template"])
def test_a_failing_build_puts_back_the_site_a_killed_swap_set_aside(built, error):
    """Killed between the two renames, the old site waits aside; the next build puts it
    back even when that build fails, on its sources (before rendering) or on a template
    (while rendering): the output is the old site again, byte-identical."""
    project, out, before = built
    os.rename(out, out.parent / f".site.old-{OTHER_PID}")
    if error == "sources":
        project.write("01-general/c.md", policy("GN-003", body="§ 见[[NOPE-1]]。\n"))
    else:
        (project.base / "templates").mkdir()
        (project.base / "templates" / "policy.html").write_text("{{ no_such() }}", "utf-8")
    assert not build(project.src, out, OPTIONS).ok
    assert manifest(out) == before and leftovers(out) == []


SWAP = ("rename", "renameat2")


def nth_swap_step(i: int):
    """A `fail` predicate: the i-th rename or exchange."""
    return lambda names: names[-1] in SWAP and sum(n in SWAP for n in names) == i


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_real_build_survives_each_failing_rename_then_swaps_atomically(built, exchange):
    """A real build of changed sources, with each rename of its swap (or the exchange)
    failing in turn: OutputFailed, the old site byte-identical, nothing left beside it.
    Then the build that succeeds, checked after every filesystem step."""
    project, out, before = built
    project.write("01-general/a.md", policy("GN-001", title="改过的标题"))
    for i in range(1, 2 if exchange else 3):
        with Steps(exchange, fail=nth_swap_step(i)) as steps:
            with pytest.raises(OutputFailed, match="could not swap in the new site"):
                build(project.src, out, OPTIONS)
        assert sum(n in SWAP for n in steps.names) >= i  # it was reached, and failed
        assert manifest(out) == before and leftovers(out) == [], i
    fresh = project.base / "fresh"
    assert build(project.src, fresh, OPTIONS).ok
    new = manifest(fresh)
    assert new != before
    trace: list[int] = []
    with Steps(exchange, after=atomic(out, [before, new], exchange, trace)) as steps:
        assert build(project.src, out, OPTIONS).ok
    assert manifest(out) == new and leftovers(out) == []
    assert trace[0] == 0 and trace[-1] == 1 and trace == sorted(trace), trace
    assert sum(name in SWAP for name in steps.names) == (1 if exchange else 2)
