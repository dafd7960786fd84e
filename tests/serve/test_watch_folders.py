"""`handbook serve` watches a `templates/` folder however it appears: created after
start-up, or deleted and re-created (as `git checkout` does), with inotify and with
polling."""
from __future__ import annotations

import shutil
import threading
import time

import pytest
from helpers import policy

from handbook_gen.serve import server as devserver
from handbook_gen.build.pipeline import BuildOptions


def override(marker: str) -> str:
    return ('{% extends "builtin/policy.html" %}'
            f'{{% block policy_meta %}}<p class="marker">{marker}</p>{{% endblock %}}')


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture(params=[False, True], ids=["inotify", "poll"])
def served(project, request):
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 原文。\n"))
    server, collector, observer, note = devserver.start(
        project.src, "127.0.0.1", 0, BuildOptions(), poll=request.param, deferred_worker=False)
    assert note is None
    yield project, server
    collector.stop()
    observer.stop()
    observer.join()
    server.shutdown()


def page(server) -> str:
    return server.site.files["policies/gn-001.html"].decode()


def test_templates_folder_created_after_start_and_recreated(served):
    project, server = served
    templates = project.base / "templates"
    assert not templates.exists() and "marker" not in page(server)

    templates.mkdir()  # created after start-up
    (templates / "policy.html").write_text(override("一"), encoding="utf-8")
    wait_for(lambda: ">一<" in page(server))
    (templates / "policy.html").write_text(override("二"), encoding="utf-8")  # then edited
    wait_for(lambda: ">二<" in page(server))

    shutil.rmtree(templates)  # deleted: the built-in theme again
    wait_for(lambda: "marker" not in page(server))
    templates.mkdir()  # and re-created
    (templates / "policy.html").write_text(override("三"), encoding="utf-8")
    wait_for(lambda: ">三<" in page(server))
    (templates / "policy.html").write_text(override("四"), encoding="utf-8")
    wait_for(lambda: ">四<" in page(server))
    assert server.site.ok


def test_templates_folder_replaced_at_once(served):
    """A checkout removes the folder and writes it again before any rebuild happens."""
    project, server = served
    templates = project.base / "templates"
    templates.mkdir()
    (templates / "policy.html").write_text(override("旧"), encoding="utf-8")
    wait_for(lambda: ">旧<" in page(server))
    shutil.rmtree(templates)
    templates.mkdir()
    (templates / "policy.html").write_text(override("新"), encoding="utf-8")
    wait_for(lambda: ">新<" in page(server))
    time.sleep(1.5)  # (past the polling interval: the new watch is in place)
    (templates / "policy.html").write_text(override("再"), encoding="utf-8")
    wait_for(lambda: ">再<" in page(server))


def test_folder_replaced_before_its_events_are_handled(served, monkeypatch):
    """Under load the events of the deletion are handled after the folder is back: the
    watch of the deleted folder is replaced all the same."""
    from handbook_gen.serve import watch
    project, server = served
    templates = project.base / "templates"
    templates.mkdir()
    (templates / "policy.html").write_text(override("旧"), encoding="utf-8")
    wait_for(lambda: ">旧<" in page(server))
    gate = threading.Event()
    handle = watch._Folders.on_any_event
    monkeypatch.setattr(watch._Folders, "on_any_event",
                        lambda self, event: (gate.wait(10), handle(self, event)))
    shutil.rmtree(templates)
    templates.mkdir()
    (templates / "policy.html").write_text(override("新"), encoding="utf-8")
    time.sleep(1.5)  # (the polling observer has seen it)
    gate.set()
    wait_for(lambda: ">新<" in page(server))
    time.sleep(1.5)
    (templates / "policy.html").write_text(override("再"), encoding="utf-8")
    wait_for(lambda: ">再<" in page(server))


def test_source_folder_deleted_and_restored(served, monkeypatch):
    """`git checkout` of a branch without the handbook, then back."""
    project, server = served
    monkeypatch.setattr(server._deferred, "_audit", lambda: False)  # the watcher alone
    saved = project.base / "saved"
    shutil.copytree(project.src, saved)
    shutil.rmtree(project.src)
    wait_for(lambda: not server.site.ok)  # HB126: no _handbook.yaml
    shutil.copytree(saved, project.src)
    wait_for(lambda: server.site.ok)
    time.sleep(1.5)  # (past the polling interval: the new watch is in place)
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 回来了。\n"))
    wait_for(lambda: "回来了" in page(server))
