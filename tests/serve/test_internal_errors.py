"""An exception inside a rebuild is an internal error (HB900) in the overlay, never a
positionless message of another code; the server keeps serving the last good site and
the next save rebuilds what the failed rebuild left undone."""
from __future__ import annotations

import multiprocessing
import threading
import time

import pytest
from helpers import get, policy

from handbook_gen.serve import server as devserver

from handbook_gen.build import pipeline
from handbook_gen.serve import live as incremental
from handbook_gen.serve.server import DevServer
from handbook_gen.serve.live import SOURCE, THEME, Change, LiveSite

REBUILD_ERROR = ("error[HB900]: 重新构建时发生内部错误：RuntimeError: boom；"
                 "仍在提供上一次成功构建的站点")  # (the overlay speaks the handbook's language)


@pytest.fixture
def served(project):
    a = project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 原文。\n"))
    project.write("01-general/b.md", policy("GN-002", title="另一制度", body="§ 乙文。\n"))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0, deferred_worker=False)
    dev.rebuild(None)
    threading.Thread(target=dev.serve_forever, daemon=True).start()
    yield project, dev, a
    dev.shutdown()


def boom(*args, **kwargs):
    raise RuntimeError("boom")


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("stage", ["parse_all", "assemble", "resolve", "run_checks"])
def test_a_stage_that_raises_is_hb900_and_the_next_save_recovers(served, monkeypatch, stage):
    project, dev, a = served
    monkeypatch.setattr(pipeline, stage, boom)  # the stages serve shares with build
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 新文。\n"))
    dev.rebuild([Change(SOURCE, str(a))])
    status, body = get(dev, "/policies/gn-001.html")
    assert status == 200 and "原文" in body  # the last good page, under the overlay
    assert REBUILD_ERROR in body
    assert [d.code for d in dev.site.diagnostics] == ["HB900"]
    monkeypatch.undo()
    # the next save is of another file: the first one's change is not lost
    b = project.write("01-general/b.md", policy("GN-002", title="另一制度", body="§ 乙改。\n"))
    dev.rebuild([Change(SOURCE, str(b))])
    assert dev.site.ok
    status, body = get(dev, "/policies/gn-001.html")
    assert "新文" in body and "handbook-overlay" not in body
    assert "乙改" in get(dev, "/policies/gn-002.html")[1]


def test_a_theme_change_whose_rebuild_raised_is_applied_by_the_next_save(served, monkeypatch):
    project, dev, a = served
    templates = project.base / "templates"
    templates.mkdir()
    (templates / "policy.html").write_text(
        '{% extends "builtin/policy.html" %}{% block policy_meta %}<p>主题标记</p>{% endblock %}',
        encoding="utf-8")
    monkeypatch.setattr(pipeline, "assemble", boom)
    dev.rebuild([Change(THEME, str(templates / "policy.html"))])
    assert [d.code for d in dev.site.diagnostics] == ["HB900"]
    monkeypatch.undo()
    dev.rebuild([Change(SOURCE, str(a))])  # a source save: the theme is still reloaded
    assert dev.site.ok and "主题标记" in dev.site.files["policies/gn-001.html"].decode()


def test_an_error_in_the_pages_rendered_after_the_open_ones_is_hb900(served, monkeypatch):
    project, dev, a = served
    monkeypatch.setattr(dev, "viewed", lambda: {"policies/gn-002.html"})
    monkeypatch.setattr(dev.site, "finish", boom)
    dev.rebuild([Change(SOURCE, str(a))])
    assert REBUILD_ERROR in get(dev, "/index.html")[1]


def test_a_failed_whole_site_build_is_hb900_and_the_pages_stay(served, monkeypatch):
    project, dev, a = served
    monkeypatch.setattr(devserver, "DEFERRED_QUIET_SECONDS", 0.05)
    wait_until(lambda: dev.deferred_applied >= 1)
    monkeypatch.setattr(LiveSite, "_whole_site", staticmethod(boom))
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 新文。\n"))
    dev.rebuild([Change(SOURCE, str(a))])
    wait_until(lambda: dev.deferred_error is not None)
    status, body = get(dev, "/policies/gn-001.html")
    assert status == 200 and "新文" in body
    assert ("error[HB900]: 生成搜索索引和汇编本时发生内部错误：RuntimeError: boom；"
            "仍在提供它们的上一版本") in body
    monkeypatch.undo()
    dev.rebuild([Change(SOURCE, str(a))])
    wait_until(lambda: dev.deferred_error is None)
    assert "handbook-overlay" not in get(dev, "/policies/gn-001.html")[1]
    assert "新文" in dev.site.files["compiled.html"].decode()


class DeadWorker:
    """A worker process that is gone at once."""

    def __init__(self):
        self.conn, theirs = multiprocessing.Pipe()
        theirs.close()

    def is_alive(self) -> bool:
        return False

    def join(self, timeout=None) -> None:
        pass

    def terminate(self) -> None:
        pass


def test_a_dead_worker_is_hb900(project, monkeypatch):
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 原文。\n"))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0)
    monkeypatch.setattr(devserver, "DEFERRED_QUIET_SECONDS", 0.05)

    def start_process():
        worker = DeadWorker()
        return worker, worker.conn
    monkeypatch.setattr(dev._deferred, "_start_process", start_process)
    try:
        dev.rebuild(None)
        wait_until(lambda: dev.deferred_error is not None)
        assert [d.code for d in dev.deferred_error] == ["HB900"]
        assert "internal error while building the search index" in dev.deferred_error[0].message
        assert dev.site.ok and "policies/gn-001.html" in dev.site.files
    finally:
        dev.shutdown()


def test_a_scan_that_raised_reads_every_source_again(served, monkeypatch):
    """The files read before the exception count as unread: their new bytes are not lost."""
    import os
    project, dev, a = served
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 新文。\n"))
    os.utime(a, (time.time() - 60, time.time() - 60))  # (not racily clean: trusted if read)
    real = incremental.read_file

    def read_then_fail(root, rel, diags):
        if rel.endswith("b.md"):
            raise RuntimeError("boom")
        return real(root, rel, diags)
    monkeypatch.setattr(incremental, "read_file", read_then_fail)
    dev.rebuild([Change(SOURCE)])  # a full scan: a.md is read, then b.md raises
    assert [d.code for d in dev.site.diagnostics] == ["HB900"]
    monkeypatch.undo()
    dev.rebuild([Change(SOURCE)])
    assert dev.site.ok and "新文" in dev.site.files["policies/gn-001.html"].decode()
