"""The dev server reads sources exactly as `check` and `build` do (sources.read_file):
a FIFO or an oversize file appearing while serving is reported with the same code and
message, nothing blocks, the last good site stays, and removing the file recovers."""
from __future__ import annotations

import errno
import os
import signal

import pytest
from helpers import policy

from handbook_gen.build import pipeline
from handbook_gen.serve.live import SOURCE, Change, LiveSite
from handbook_gen.source.reader import MAX_FILE_BYTES

A = "policies/01-general/a.md"
GIB3 = 3 * 1024 ** 3


@pytest.fixture
def live(project):
    project.write("01-general/a.md", policy("GN-001", title="甲制度"))
    site = LiveSite(project.src)
    site.rebuild(defer=True)
    assert site.ok
    return site


@pytest.fixture(autouse=True)
def alarm():
    """Fail instead of hanging when something opens a FIFO and waits for a writer."""
    def timeout(*_):
        raise TimeoutError("reading blocked")
    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def shown(diagnostics) -> list[str]:
    return [f"{d.location}: {d.severity.label}[{d.code}]: {d.message}" for d in diagnostics]


def check_lines(project) -> list[str]:
    """What `check` reports for the same tree."""
    return shown(pipeline.check(project.src, pipeline.BuildOptions()).diagnostics.sorted())


def test_fifo_appearing_while_serving(project, live):
    good = dict(live.files)
    pipe = project.src / "01-general" / "b.md"
    os.mkfifo(pipe)
    result = live.rebuild([Change(SOURCE, str(pipe))], defer=True)
    expected = "policies/01-general/b.md: error[HB007]: a named pipe (FIFO), not a regular " \
               "file; it is never opened"
    assert shown(result.diagnostics.sorted()) == [expected] == check_lines(project)
    assert not live.ok and live.files == good
    assert not live.audit()  # a known special file is not a change
    pipe.unlink()
    live.rebuild([Change(SOURCE, str(pipe))], defer=True)
    assert live.ok


def test_source_replaced_by_a_fifo(project, live):
    path = project.src / "01-general" / "a.md"
    path.unlink()
    os.mkfifo(path)
    result = live.rebuild([Change(SOURCE, str(path))], defer=True)  # a known source
    assert [d.code for d in result.diagnostics.items] == ["HB007"]
    assert shown(result.diagnostics.sorted()) == check_lines(project)


def test_oversize_file_appearing_while_serving(project, live):
    good = dict(live.files)
    big = project.src / "01-general" / "big.md"
    with open(big, "wb") as fh:
        fh.truncate(GIB3)
    result = live.rebuild([Change(SOURCE, str(big))], defer=True)
    assert shown(result.diagnostics.sorted()) == [
        f"policies/01-general/big.md: error[HB004]: file is {GIB3} bytes; the limit is "
        f"{MAX_FILE_BYTES}"] == check_lines(project)
    assert not live.ok and live.files == good
    big.unlink()
    live.rebuild([Change(SOURCE)], defer=True)
    assert live.ok


def test_known_source_growing_over_the_limit(project, live):
    path = project.src / "01-general" / "a.md"
    with open(path, "ab") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    result = live.rebuild([Change(SOURCE, str(path))], defer=True)
    assert [d.code for d in result.diagnostics.items] == ["HB004"]
    assert "policies/gn-001.html" in live.files  # the last good site


def test_unreadable_folder_while_serving(project, live, monkeypatch):
    project.write("02-hr/_chapter.md", "---\ntitle: 人事\n---\n")
    project.write("02-hr/b.md", policy("HR-001"))
    real = os.scandir
    folder = str(project.src / "02-hr")

    def scandir(path="."):
        if os.fspath(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", folder)
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)
    result = live.rebuild([Change(SOURCE)], defer=True)
    assert shown(result.diagnostics.sorted()) == [
        "policies/02-hr: error[HB008]: cannot read folder: Permission denied; its files are "
        "missing from the handbook"] == check_lines(project)
    assert not live.ok


@pytest.mark.parametrize("target, code", [("b.md", "HB007"), ("missing.md", "HB006"),
                                          ("../../outside.md", "HB003")])
def test_symlinks_while_serving(project, live, target, code):
    (project.base / "outside.md").write_text("secret")
    link = project.src / "01-general" / "b.md"
    link.symlink_to(target)
    result = live.rebuild([Change(SOURCE, str(link))], defer=True)
    assert [d.code for d in result.diagnostics.items] == [code]
    assert shown(result.diagnostics.sorted()) == check_lines(project)
