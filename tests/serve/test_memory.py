"""The preview's memory stays level under a stream of edits: no old site is kept once the
new one is complete, an unchanged whole-site file stays one object, and the worker
neither builds nor sends what a newer rebuild made stale."""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import time

import pytest
from helpers import policy

from handbook_gen.serve import server as devserver
from handbook_gen.serve.server import DevServer
from handbook_gen.serve.live import SOURCE, Change, LiveSite, deferred_worker


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def dev(project, monkeypatch):
    monkeypatch.setattr(devserver, "DEFERRED_QUIET_SECONDS", 0.05)
    for i in range(6):
        project.write(f"01-general/p{i}.md", policy(f"GN-00{i}", title=f"制度{i}",
                                                    body=f"§{{x}} 第{i}份原文。\n"))
    server = DevServer(LiveSite(project.src), "127.0.0.1", 0, deferred_worker=False)
    server.rebuild(None)
    wait_until(lambda: server.deferred_applied >= 1)
    yield project, server
    server.shutdown()


def edit(project, server, i: int) -> None:
    path = project.write(f"01-general/p{i % 6}.md", policy(
        f"GN-00{i % 6}", title=f"制度{i % 6}", body=f"§{{x}} 第{i}次修改。\n"))
    applied = server.deferred_applied
    server.rebuild([Change(SOURCE, str(path))])
    wait_until(lambda: server.deferred_applied > applied)


def test_no_old_site_is_kept_over_many_rebuilds(dev):
    project, server = dev
    old: list[bytes] = []  # every version of the compiled edition and of an edited page
    for i in range(8):
        files = server.site.files
        old += [files["compiled.html"], files[f"policies/gn-00{i % 6}.html"]]
        edit(project, server, i)
    del files
    old.append(os.urandom(16))  # held by this list alone
    gc.collect()
    alone = [sys.getrefcount(data) for data in old][-1]
    current = set(map(id, server.site.files.values()))
    kept = [data[:40] for data in old if id(data) not in current and
            sys.getrefcount(data) > alone]
    assert kept == []  # only this list still holds them


def test_an_unchanged_whole_site_file_stays_one_object(dev):
    project, server = dev
    before = dict(server.site.files)
    edit(project, server, 1)
    after = server.site.files
    search = [p for p in after if p.startswith("search/")]
    assert search
    replaced = {p for p in search if after[p] is not before.get(p)}
    assert replaced == {p for p in search if after[p] != before.get(p)}


@pytest.fixture
def worker(project, monkeypatch):
    """The real worker loop, in a thread (at normal priority)."""
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 原文。\n"))
    monkeypatch.setattr(os, "sched_setscheduler", lambda *args: None)
    monkeypatch.setattr(os, "nice", lambda n: 0)
    site = LiveSite(project.src)
    site.rebuild(None, defer=True)
    ours, theirs = multiprocessing.Pipe()
    thread = threading.Thread(target=deferred_worker, args=(theirs, site.root, site.options),
                              daemon=True)
    thread.start()
    yield site, ours
    ours.send(None)
    thread.join(10)


def test_a_cancelled_request_is_not_answered(worker):
    site, conn = worker
    conn.send((1, site.deferred_request({})))
    conn.send((1, None))  # a rebuild made it stale
    assert not conn.poll(3)  # no reply to drop (at 5,000 policies: hundreds of MB)
    site.rebuild([Change(SOURCE)], defer=True)
    conn.send((2, site.deferred_request({})))
    assert conn.poll(30)
    seq, reply = conn.recv()
    assert seq == 2 and reply[0] == "ok"


def test_a_rebuild_leaves_no_reference_cycles(project):
    """The server collects garbage only when idle: a reference cycle made by a rebuild
    (a nested recursive function closing over the render state was one) would keep that
    rebuild's whole state alive until then, and memory would climb with every save."""
    for i in range(3):
        project.write(f"01-general/p{i}.md", policy(f"GN-00{i}", title=f"制度{i}",
                                                    body=f"§{{x}} 见[[GN-000#x]]。{i}\n"))
    site = LiveSite(project.src)
    site.rebuild(defer=True)
    site.apply_deferred(site.deferred_outputs())
    gc.collect()
    gc.disable()
    try:
        project.write("01-general/p1.md", policy("GN-001", title="制度1", body="§{x} 改。\n"))
        site.rebuild([Change(SOURCE)], defer=True)
        site.finish()  # (the whole-site outputs are built in the worker process)
        assert site.ok and gc.collect() == 0
    finally:
        gc.enable()
