"""What a rebuild reads: only the files the watcher named when that is enough, else a
scan that re-reads files whose stat signature changed (or that were racily clean); an
audit catches what a watcher lost. And the deferred outputs built from a request in
another process equal the ones built in place."""
from __future__ import annotations

import os
import time

import pytest
from helpers import policy

from handbook_gen.serve import live as incremental
from handbook_gen.serve.live import SOURCE, Change, DeferredBuilder, LiveSite

OLD = time.time() - 3600  # an mtime well before any read: the signature can be trusted


@pytest.fixture
def site(project, monkeypatch):
    for i in range(1, 5):
        project.write(f"01-general/p{i}.md", policy(f"GN-00{i}", title=f"制度{i}",
                                                    body=f"§{{a}} 第{i}版正文。\n"))
    for path in project.src.rglob("*"):
        os.utime(path, (OLD, OLD))
    live = LiveSite(project.src)
    assert live.rebuild(defer=True).counters["sources_parsed"] == 5
    reads: list[str] = []
    real = incremental.read_file

    def counting(root, rel, diags):
        if rel.endswith(".md"):
            reads.append(rel.rsplit("/", 1)[-1])
        return real(root, rel, diags)
    monkeypatch.setattr(incremental, "read_file", counting)
    return project, live, reads


def write(project, name: str, text: str, mtime: float | None = None) -> str:
    path = project.write(f"01-general/{name}", text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return str(path)


def test_named_change_reads_only_that_file(site):
    project, live, reads = site
    path = write(project, "p1.md", policy("GN-001", title="制度1", body="§{a} 新正文。\n"))
    result = live.rebuild([Change(SOURCE, path)], defer=True)
    assert reads == ["p1.md"] and result.counters["sources_parsed"] == 1
    assert "新正文" in live.files["policies/gn-001.html"].decode()


def test_scan_reads_only_files_whose_signature_changed(site):
    project, live, reads = site
    write(project, "p2.md", policy("GN-002", title="制度2", body="§{a} 扫描发现。\n"))
    result = live.rebuild([Change(SOURCE)], defer=True)  # no path: scan the tree
    assert reads == ["p2.md"] and result.counters["sources_parsed"] == 1
    assert "扫描发现" in live.files["policies/gn-002.html"].decode()


def test_scan_detects_a_same_size_rewrite_with_the_same_mtime(site):
    project, live, reads = site
    before = (project.src / "01-general/p3.md").read_bytes()
    text = policy("GN-003", title="制度3", body="§{a} 第9版正文。\n")  # same length
    assert len(text.encode()) == len(before)
    write(project, "p3.md", text, mtime=OLD)  # size and mtime as before; ctime differs
    live.rebuild([Change(SOURCE)], defer=True)
    assert "第9版正文" in live.files["policies/gn-003.html"].decode()


def test_racily_clean_files_are_read_again(site, monkeypatch):
    """On a file system whose only clock is a coarse mtime, a same-size rewrite within
    the same tick leaves the signature unchanged: a file read shortly after it was
    modified is not trusted and is read again by the next scan."""
    project, live, reads = site
    monkeypatch.setattr(incremental, "_signature", lambda st: (st.st_size, st.st_mtime_ns))
    live.rebuild([Change(SOURCE)], defer=True)  # every signature recorded in that shape
    tick = time.time() - 0.5
    path = write(project, "p4.md", policy("GN-004", title="制度4", body="§{a} 第5版正文。\n"),
                 mtime=tick)
    live.rebuild([Change(SOURCE, path)], defer=True)
    write(project, "p4.md", policy("GN-004", title="制度4", body="§{a} 第6版正文。\n"),
          mtime=tick)  # same size, same timestamp
    reads.clear()
    live.rebuild([Change(SOURCE)], defer=True)
    assert "p4.md" in reads and "p1.md" not in reads  # trusted files are not read
    assert "第6版正文" in live.files["policies/gn-004.html"].decode()


def test_new_deleted_and_renamed_files_fall_back_to_a_scan(site):
    project, live, reads = site
    new = write(project, "p5.md", policy("GN-005", title="制度5"))
    live.rebuild([Change(SOURCE, new)], defer=True)
    assert "policies/gn-005.html" in live.files
    old, renamed = project.src / "01-general/p5.md", project.src / "01-general/p6.md"
    os.replace(old, renamed)
    live.rebuild([Change(SOURCE, str(old)), Change(SOURCE, str(renamed))], defer=True)
    assert live.ok and "policies/gn-005.html" in live.files
    assert "policies/01-general/p6.md" in live.sources
    assert "policies/01-general/p5.md" not in live.sources
    renamed.unlink()
    live.rebuild([Change(SOURCE, str(renamed))], defer=True)
    assert "policies/gn-005.html" not in live.files


def test_audit_finds_what_the_watcher_missed(site):
    project, live, reads = site
    assert not live.audit()
    write(project, "p2.md", policy("GN-002", title="制度2", body="§{a} 无人通知。\n"))
    path = write(project, "p1.md", policy("GN-001", title="制度1", body="§{a} 有通知。\n"))
    live.rebuild([Change(SOURCE, path)], defer=True)  # the event for p2.md was lost
    assert "无人通知" not in live.files["policies/gn-002.html"].decode()
    assert live.audit()
    live.rebuild([Change(SOURCE)], defer=True)
    assert "无人通知" in live.files["policies/gn-002.html"].decode()
    assert not live.audit()
    write(project, "p9.md", policy("GN-009", title="制度9"))
    assert live.audit()  # a new file
    live.rebuild([Change(SOURCE)], defer=True)
    (project.src / "01-general/p9.md").unlink()
    assert live.audit()  # a deleted one


def test_deferred_builder_equals_in_place_build(site):
    """What the dev server's worker process builds from requests equals what the
    LiveSite builds itself, and later requests carry only the changed sources."""
    project, live, _ = site
    builder = DeferredBuilder(live.root, live.options)
    sent: dict = {}

    def via_builder():
        request = live.deferred_request(sent)
        builder.take(request)
        reply = builder.build(request)
        assert reply[0] == "ok"
        return request, live.deferred_result(reply)

    request, outputs = via_builder()
    assert request.full and len(request.sources) == len(live.sources)
    assert outputs == live.deferred_outputs()
    assert any(p.startswith("search/") for p in outputs[0])
    live.apply_deferred(outputs)
    path = write(project, "p2.md", policy("GN-002", title="制度2", body="§{a} 汇编新文。\n"))
    live.rebuild([Change(SOURCE, path)], defer=True)
    request, outputs = via_builder()
    assert list(request.sources) == ["policies/01-general/p2.md"] and not request.full
    assert outputs == live.deferred_outputs()
    live.apply_deferred(outputs)
    assert "汇编新文" in live.files["compiled.html"].decode()
    clean = LiveSite(project.src)
    clean.rebuild()
    assert clean.files == live.files


def test_deferred_builder_takes_queued_requests_and_can_be_cancelled(site):
    project, live, _ = site
    builder = DeferredBuilder(live.root, live.options)
    sent: dict = {}
    builder.take(live.deferred_request(sent))
    path = write(project, "p3.md", policy("GN-003", title="制度3", body="§{a} 排队的请求。\n"))
    live.rebuild([Change(SOURCE, path)], defer=True)
    newest = live.deferred_request(sent)
    builder.take(newest)  # two requests taken, one build
    assert builder.build(newest, cancelled=lambda: True) is None
    reply = builder.build(newest)
    assert live.deferred_result(reply) == live.deferred_outputs()
