"""An edit storm through the real watcher: saves coalesce into far fewer rebuilds, and a
file that becomes a FIFO or is deleted in the middle of it is reported, never fatal."""
from __future__ import annotations

import os
import time

import pytest
from helpers import get, policy

from handbook_gen.serve import server as devserver
from handbook_gen.build.pipeline import BuildOptions

SAVES = 300


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def served(project):
    for name, pid in [("a", "GN-001"), ("b", "GN-002"), ("c", "GN-003"), ("d", "GN-004")]:
        project.write(f"01-general/{name}.md", policy(pid, title=f"制度{name}", body="§{x} 原文。\n"))
    server, collector, observer, note = devserver.start(
        project.src, "127.0.0.1", 0, BuildOptions(), deferred_worker=False)
    yield project, server, collector
    collector.stop()
    observer.stop()
    observer.join()
    server.shutdown()


def settled(server, collector) -> bool:
    """The watcher has been quiet for a while and no rebuild is running."""
    if not collector.quiet(0.5) or not server.build_lock.acquire(timeout=1):
        return False
    server.build_lock.release()
    return True


def test_storm_with_a_fifo_and_a_deletion(served):
    project, server, collector = served
    epoch = server.epoch
    c, d = project.src / "01-general/c.md", project.src / "01-general/d.md"
    for i in range(SAVES):
        name, pid = ("a", "GN-001") if i % 2 else ("b", "GN-002")
        project.write(f"01-general/{name}.md", policy(pid, title=f"制度{name}",
                                                      body=f"§{{x}} 第{i}次保存。\n"))
        if i == SAVES // 3:
            c.unlink()
            os.mkfifo(c)  # a named pipe where a policy was: never opened
        if i == SAVES // 2:
            d.unlink()
    wait_for(lambda: settled(server, collector) and not server.site.ok)
    status, body = get(server, "/policies/gn-001.html")
    assert status == 200  # alive
    assert 'policies/01-general/c.md</span>: error[HB007]' in body
    assert server.epoch - epoch < SAVES / 3  # coalesced
    c.unlink()  # fixed: the FIFO goes, the last saves show
    wait_for(lambda: server.site.ok and settled(server, collector))
    assert f"第{SAVES - 1}次保存" in get(server, "/policies/gn-001.html")[1]
    assert f"第{SAVES - 2}次保存" in get(server, "/policies/gn-002.html")[1]
    assert "policies/gn-003.html" not in server.site.files
    assert "policies/gn-004.html" not in server.site.files
    assert "handbook-overlay" not in get(server, "/index.html")[1]
