"""The preview server: serves only the in-memory site, refuses foreign Host headers and
traversal, injects live reload at serve time, overlays errors and survives them."""
from __future__ import annotations

import gc
import http.client
import json
import multiprocessing
import threading
import time

import pytest
from helpers import policy

from handbook_gen.serve import server as devserver
from handbook_gen.serve.server import DevServer, safe_site_path
from handbook_gen.serve.live import SOURCE, Change, DeferredBuilder, LiveSite


@pytest.fixture
def server(project):
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 原文。\n"))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0)
    dev.rebuild(None)
    threading.Thread(target=dev.serve_forever, daemon=True).start()
    yield project, dev
    dev.shutdown()


def get(dev, path, host=None):
    conn = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{dev.port}")
    conn.endheaders()
    r = conn.getresponse()
    return r.status, r.read().decode("utf-8", "replace"), dict(r.getheaders())


def test_serves_pages_with_injected_reload(server):
    project, dev = server
    status, body, headers = get(dev, "/policies/gn-001.html")
    assert status == 200 and "原文" in body
    # content pages are updated in place when only their <main> changed
    assert (f'<script src="/__handbook/livereload.js" data-version="{dev.version}" data-swap '
            'defer></script>') in body
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "livereload" not in dev.site.files["policies/gn-001.html"].decode()  # never built in
    status, body, _ = get(dev, "/")
    assert status == 200
    assert f'<script src="/__handbook/livereload.js" data-version="{dev.version}" defer></script>' in body
    assert get(dev, "/__handbook/livereload.js")[0] == 200


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fetc",
                                  "/..%5c..%5cetc", "//evil/../x", "/.handbook-site",
                                  "/policies/", "/static/../../secret", "/%00"])
def test_traversal_and_dotfiles_are_404(server, path):
    _, dev = server
    assert get(dev, path)[0] == 404


def test_foreign_host_header_refused(server):
    _, dev = server
    assert get(dev, "/", host="evil.example")[0] == 403
    assert get(dev, "/", host=f"localhost:{dev.port}")[0] == 200


def test_safe_site_path():
    assert safe_site_path("/") == "index.html"
    assert safe_site_path("/policies/gn-001.html") == "policies/gn-001.html"
    assert safe_site_path("/%E7%AB%A0.html") == "章.html"
    assert safe_site_path("/a/../b") is None and safe_site_path("/.git/config") is None


def test_failed_rebuild_shows_overlay_then_clears(server):
    project, dev = server
    epoch = dev.epoch
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 见[[NOPE-1]]。\n"))
    dev.rebuild([Change(SOURCE)])
    assert dev.epoch == epoch + 1 and not dev.site.ok
    status, body, _ = get(dev, "/policies/gn-001.html")
    assert status == 200 and "原文" in body  # the last good page
    assert 'id="handbook-overlay"' in body
    assert "policies/01-general/a.md:9:7</span>: error[HB200]: 未知的制度编号“NOPE-1”" in body
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 修好了。\n"))
    dev.rebuild([Change(SOURCE)])
    status, body, _ = get(dev, "/policies/gn-001.html")
    assert "handbook-overlay" not in body and "修好了" in body


def test_internal_error_never_kills_the_server(server, monkeypatch):
    project, dev = server
    monkeypatch.setattr(dev.site, "rebuild", lambda *a, **k: 1 / 0)
    dev.rebuild([Change(SOURCE)])
    status, body, _ = get(dev, "/index.html")
    assert status == 200 and "error[HB900]: 重新构建时发生内部错误：" \
        "ZeroDivisionError: division by zero；仍在提供上一次成功构建的站点" in body


def test_long_poll_returns_on_new_version(server):
    project, dev = server
    seen, epoch = dev.version, dev.epoch
    result = {}

    def poll():
        result["r"] = get(dev, f"/__handbook/poll?version={seen}")
    t = threading.Thread(target=poll)
    t.start()
    dev.rebuild([Change(SOURCE)])
    t.join(10)
    assert json.loads(result["r"][1])["version"] == seen + 1
    assert dev.epoch == epoch + 1  # rebuilds are counted apart


def poll(dev, seen: int, page: str) -> dict:
    return json.loads(get(dev, f"/__handbook/poll?version={seen}&page={page}")[1])


def test_poll_says_whether_the_page_changed(server, monkeypatch):
    project, dev = server
    monkeypatch.setattr(devserver, "DEFERRED_QUIET_SECONDS", 0.05)
    wait_until(lambda: dev.deferred_applied >= 1, 60)
    # the deferred outputs are held back until the polls are done, however slow the machine
    monkeypatch.setattr(devserver, "DEFERRED_QUIET_SECONDS", 3600)
    seen, epoch = dev.version, dev.epoch
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 改过。\n"))
    dev.rebuild([Change(SOURCE)])
    assert poll(dev, seen, "/policies/gn-001.html") == {"version": seen + 1, "changed": True}
    assert poll(dev, seen, "/index.html") == {"version": seen + 1, "changed": False}
    assert poll(dev, seen, "/") == {"version": seen + 1, "changed": False}
    # the compiled edition follows with the deferred outputs: a new version for it alone
    monkeypatch.setattr(devserver, "DEFERRED_QUIET_SECONDS", 0.05)
    with dev.cond:
        dev.cond.notify_all()
    wait_until(lambda: dev.version == seen + 2, 60)
    assert dev.epoch == epoch + 1
    assert poll(dev, seen + 1, "/compiled.html")["changed"] is True
    assert poll(dev, seen + 1, "/policies/gn-001.html")["changed"] is False
    # a failed build changes every page (the overlay), and so does its repair
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 见[[NO-1]]。\n"))
    dev.rebuild([Change(SOURCE)])
    assert poll(dev, seen + 2, "/index.html")["changed"] is True
    assert poll(dev, 0, "/index.html")["changed"] is True  # from the first version on


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_whole_site_outputs_come_from_a_worker_process(server):
    project, dev = server
    wait_until(lambda: dev.deferred_applied >= 1, 60)
    assert dev._deferred.use_worker and dev._deferred.process is not None
    assert any(p.startswith("search/") for p in dev.site.files)
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 汇编新文。\n"))
    dev.rebuild([Change(SOURCE, str(project.src / "01-general/a.md"))])
    assert "汇编新文" not in dev.site.files["compiled.html"].decode()  # deferred
    wait_until(lambda: "汇编新文" in dev.site.files["compiled.html"].decode(), 60)
    assert dev.site.pending is None


def test_worker_builds_a_site_large_enough_for_parallel_parsing(project):
    """(The worker is a daemonic process: it must not try to start a parsing pool.)"""
    from handbook_gen.build.pipeline import PARALLEL_THRESHOLD
    for i in range(PARALLEL_THRESHOLD + 2):
        project.write(f"01-general/p{i:03d}.md", policy(f"GN-{i:03d}", title=f"制度{i}"))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0)
    try:
        dev.rebuild(None)
        wait_until(lambda: dev.deferred_applied >= 1 or dev.deferred_error, 120)
        assert dev.deferred_error is None and dev.site.pending is None
    finally:
        dev.shutdown()


class SlowWorker:
    """The deferred worker's protocol in a thread that answers each request after
    `delay` seconds: a long whole-site build. With `padding`, requests may carry that
    many extra bytes and replies carry them too (larger than any socket buffer)."""

    def __init__(self, site: LiveSite, delay: float, padding: int = 0):
        self.conn, theirs = multiprocessing.Pipe()
        self.builder = DeferredBuilder(site.root, site.options)
        self.requests: list[int] = []
        self.padding = padding
        self.thread = threading.Thread(target=self.run, args=(theirs, delay), daemon=True)
        self.thread.start()

    def run(self, conn, delay: float) -> None:
        while True:
            try:
                msg = conn.recv()
            except EOFError:
                return
            if msg is None:
                return
            seq, request = msg
            if request is None:  # the server cancelled request seq
                continue
            if isinstance(request, tuple):  # (request, padding)
                request = request[0]
            self.requests.append(seq)
            self.builder.take(request)
            time.sleep(delay)
            reply = self.builder.build(request)
            conn.send((seq, reply + (b"x" * self.padding,) if self.padding else reply))

    def is_alive(self) -> bool:
        return self.thread.is_alive()

    def join(self, timeout=None) -> None:
        self.thread.join(timeout)

    def terminate(self) -> None:
        pass


def test_large_request_while_the_worker_sends_a_large_stale_reply(project, monkeypatch):
    """Both sides sending more than a socket buffer holds at once must not deadlock: the
    server reads (and drops) the stale reply while its request goes out."""
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 原文。\n"))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0)
    workers: list[SlowWorker] = []
    padding = 8 << 20

    def start_process():
        workers.append(SlowWorker(dev.site, delay=1.0, padding=padding))
        return workers[-1], workers[-1].conn
    monkeypatch.setattr(dev._deferred, "_start_process", start_process)
    monkeypatch.setattr(devserver, "DEFERRED_QUIET_SECONDS", 0.05)
    real_request = dev.site.deferred_request
    monkeypatch.setattr(dev.site, "deferred_request",
                        lambda sent: (real_request(sent), b"y" * padding))
    real_result = dev.site.deferred_result
    monkeypatch.setattr(dev.site, "deferred_result", lambda reply: real_result(reply[:3]))
    try:
        dev.rebuild(None)
        wait_until(lambda: workers and workers[0].requests == [1])  # replies in 1 s
        project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 新文。\n"))
        dev.rebuild([Change(SOURCE)])
        wait_until(lambda: dev.deferred_applied == 1, 30)
        assert workers[0].requests == [1, 2]
        assert "新文" in dev.site.files["compiled.html"].decode()
    finally:
        dev.shutdown()


def test_deferred_work_never_delays_a_rebuild(project, monkeypatch):
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 原文。\n"))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0)
    workers: list[SlowWorker] = []

    def start_process():
        workers.append(SlowWorker(dev.site, delay=3.0))
        return workers[-1], workers[-1].conn
    monkeypatch.setattr(dev._deferred, "_start_process", start_process)
    monkeypatch.setattr(devserver, "DEFERRED_QUIET_SECONDS", 0.05)
    try:
        dev.rebuild(None)
        wait_until(lambda: workers and workers[0].requests == [1])  # busy for 3 s now
        project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 新文。\n"))
        started = time.monotonic()
        dev.rebuild([Change(SOURCE)])
        assert time.monotonic() - started < 2.0  # did not wait for the worker
        assert "新文" in dev.site.files["policies/gn-001.html"].decode()
        wait_until(lambda: dev.deferred_applied == 1, 30)
        assert workers[0].requests == [1, 2]  # the stale reply was dropped, not applied
        assert "新文" in dev.site.files["compiled.html"].decode()
        assert len(workers) == 1
    finally:
        dev.shutdown()


def test_lost_events_are_caught_by_the_audit(server, monkeypatch):
    project, dev = server
    monkeypatch.setattr(devserver, "DEFERRED_QUIET_SECONDS", 0.05)
    b = project.write("01-general/b.md", policy("GN-002", title="另一制度"))
    dev.rebuild([Change(SOURCE, str(b))])
    epoch = dev.epoch
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 悄悄改了。\n"))
    dev.rebuild([Change(SOURCE, str(b))])  # the event for a.md was lost
    wait_until(lambda: "悄悄改了" in dev.site.files["policies/gn-001.html"].decode(), 30)
    assert dev.epoch >= epoch + 2


def test_audit_runs_while_idle_and_leaves_reported_saves_to_the_watcher(project, monkeypatch):
    monkeypatch.setattr(devserver, "AUDIT_SECONDS", 0.2)
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 原文。\n"))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0, deferred_worker=False)
    watcher_busy = [True]
    dev.watcher_quiet = lambda seconds: not watcher_busy[0]
    try:
        dev.rebuild(None)
        epoch = dev.epoch
        project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 无声。\n"))
        time.sleep(1.0)  # the watcher is (said to be) busy with it: no audit rebuild
        assert dev.epoch == epoch
        watcher_busy[0] = False  # it never reported it: the periodic audit does
        wait_until(lambda: "无声" in dev.site.files["policies/gn-001.html"].decode(), 10)
        assert dev.epoch == epoch + 1
    finally:
        dev.shutdown()


def test_collection_paused_while_serving(project):
    project.write("01-general/a.md", policy("GN-001", title="总则制度"))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0)
    was = gc.isenabled()
    try:
        dev.rebuild(None)
        dev.pause_gc()
        assert not gc.isenabled()
    finally:
        dev.shutdown()
    assert gc.isenabled() == was
