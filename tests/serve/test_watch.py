"""Watching: every editor save style and a git checkout become exactly one batch; reads,
temp files and the tool's own output never trigger a rebuild."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from handbook_gen.serve.live import CONFIG, SOURCE, THEME, Change
from handbook_gen.serve.watch import ChangeCollector, classify, start_observer

DEBOUNCE = 0.15


@pytest.fixture
def watched(tmp_path):
    root = tmp_path / "policies"
    (root / "01-a").mkdir(parents=True)
    (root / "01-a" / "a.md").write_text("原文", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    batches: list[list[Change]] = []
    collector = ChangeCollector(root, templates, batches.append, debounce=DEBOUNCE)
    observer, note = start_observer(collector, [root, templates])
    assert note is None
    time.sleep(0.2)
    yield root, templates, collector
    observer.stop()
    observer.join()


def batches_after(collector, action) -> list[list[Change]]:
    action()
    out = []
    while True:
        batch = collector.take_batch(timeout=DEBOUNCE * 4)
        if not batch:
            return out
        out.append(batch)


def test_classify():
    root, tpl = Path("/p/policies"), Path("/p/templates")
    assert classify("/p/policies/01-a/a.md", root, tpl) == Change(SOURCE, "/p/policies/01-a/a.md")
    assert classify("/p/policies/_handbook.yaml", root, tpl).kind == CONFIG
    assert classify("/p/templates/base.html", root, tpl).kind == THEME
    for ignored in ("/p/policies/01-a/.a.md.swp", "/p/policies/01-a/a.md~", "/p/policies/01-a/4913",
                    "/p/policies/01-a/a.md___jb_tmp___", "/p/site/index.html",
                    "/p/policies/01-a/.#a.md", "/p/policies/01-a/notes.txt"):
        assert classify(ignored, root, tpl) is None, ignored


def test_plain_write_is_one_batch(watched):
    root, _, c = watched
    out = batches_after(c, lambda: (root / "01-a" / "a.md").write_text("新文", encoding="utf-8"))
    assert len(out) == 1 and {x.kind for x in out[0]} == {SOURCE}


def test_atomic_rename_save_is_one_batch(watched):
    root, _, c = watched

    def save():
        tmp = root / "01-a" / "a.md.tmp"
        tmp.write_text("新文", encoding="utf-8")
        os.replace(tmp, root / "01-a" / "a.md")
    out = batches_after(c, save)
    assert len(out) == 1
    assert any(x.path.endswith("a.md") for x in out[0])


def test_vim_backup_and_swap_dance_is_one_batch(watched):
    root, _, c = watched
    a = root / "01-a" / "a.md"

    def save():
        (root / "01-a" / ".a.md.swp").write_bytes(b"swap")
        (root / "01-a" / "4913").write_bytes(b"")
        (root / "01-a" / "4913").unlink()
        os.rename(a, root / "01-a" / "a.md~")
        a.write_text("新文", encoding="utf-8")
        (root / "01-a" / "a.md~").unlink()
        (root / "01-a" / ".a.md.swp").unlink()
    out = batches_after(c, save)
    assert len(out) == 1


def test_jetbrains_safe_write_is_one_batch(watched):
    root, _, c = watched
    a = root / "01-a" / "a.md"

    def save():
        tmp = root / "01-a" / "a.md___jb_tmp___"
        tmp.write_text("新文", encoding="utf-8")
        os.rename(a, root / "01-a" / "a.md___jb_old___")
        os.rename(tmp, a)
        (root / "01-a" / "a.md___jb_old___").unlink()
    assert len(batches_after(c, save)) == 1


def test_checkout_of_many_files_is_one_batch(watched):
    root, _, c = watched

    def checkout():
        for i in range(300):
            (root / "01-a" / f"p{i}.md").write_text(f"文{i}", encoding="utf-8")
    out = batches_after(c, checkout)
    assert len(out) == 1 and len(out[0]) >= 300


def test_reads_and_swap_files_alone_trigger_nothing(watched):
    root, templates, c = watched

    def touch_nothing_relevant():
        (root / "01-a" / "a.md").read_text(encoding="utf-8")
        (root / "01-a" / ".a.md.swp").write_bytes(b"x")
        (root / "01-a" / "a.md~").write_bytes(b"x")
    assert batches_after(c, touch_nothing_relevant) == []


def test_template_change_is_a_theme_batch(watched):
    _, templates, c = watched
    out = batches_after(c, lambda: (templates / "policy.html").write_text("x"))
    assert len(out) == 1 and out[0][0].kind == THEME


def test_debounce_with_fake_clock():
    now = [0.0]
    c = ChangeCollector(Path("/r"), Path("/t"), lambda b: None, debounce=1.0, clock=lambda: now[0])
    c.add(Change(SOURCE, "/r/a.md"))
    c.add(Change(SOURCE, "/r/a.md"))
    now[0] = 5.0
    assert c.take_batch(timeout=0.1) == [Change(SOURCE, "/r/a.md")]  # duplicates folded


def test_a_finished_single_write_goes_after_the_short_settle():
    now = [0.0]
    c = ChangeCollector(Path("/r"), Path("/t"), lambda b: None, debounce=1.0, clock=lambda: now[0],
                        settle=0.02)
    c.add(Change(SOURCE, "/r/a.md"), written=True)  # closed after writing, or moved onto
    now[0] = 0.05  # quiet for longer than settle, far less than debounce
    assert c.take_batch(timeout=0.1) == [Change(SOURCE, "/r/a.md")]


@pytest.mark.parametrize("events", [
    [("/r/a.md", False)],                      # still being written
    [("/r/a.md", True), ("/r/b.md", True)],    # several files: a checkout, say
    [("/r/a.md", True), ("/r/a.md", False)],   # written again after closing
])
def test_other_batches_wait_the_full_debounce(events):
    import threading
    now = [0.0]
    c = ChangeCollector(Path("/r"), Path("/t"), lambda b: None, debounce=1.0, clock=lambda: now[0],
                        settle=0.02)
    for path, written in events:
        c.add(Change(SOURCE, path), written=written)
    now[0] = 0.05
    out = []
    t = threading.Thread(target=lambda: out.append(c.take_batch(timeout=0.1)), daemon=True)
    t.start()
    t.join(0.3)
    assert t.is_alive() and out == []  # still debouncing
    now[0] = 1.5
    with c.cond:
        c.cond.notify_all()
    t.join(2)
    assert out and {x.path for x in out[0]} == {p for p, _ in events}


@pytest.mark.parametrize("style", ["plain", "atomic", "vim"])
def test_editor_saves_arrive_well_before_a_long_debounce(tmp_path, style):
    """Every save style ends with the file closed or renamed onto: with a 2 s debounce
    the batch still comes within the short settle time (and in one batch)."""
    root = tmp_path / "policies"
    (root / "01-a").mkdir(parents=True)
    a = root / "01-a" / "a.md"
    a.write_text("原文", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    collector = ChangeCollector(root, templates, lambda b: None, debounce=2.0)
    observer, _ = start_observer(collector, [root, templates])
    time.sleep(0.2)
    try:
        started = time.monotonic()
        if style == "plain":
            a.write_text("新文", encoding="utf-8")
        elif style == "atomic":
            (root / "01-a" / "a.md.tmp").write_text("新文", encoding="utf-8")
            os.replace(root / "01-a" / "a.md.tmp", a)
        else:
            os.rename(a, root / "01-a" / "a.md~")
            a.write_text("新文", encoding="utf-8")
            (root / "01-a" / "a.md~").unlink()
        batch = collector.take_batch(timeout=5)
        assert batch and time.monotonic() - started < 1.0
        assert collector.take_batch(timeout=0.3) == []
    finally:
        observer.stop()
        observer.join()


def test_quiet():
    now = [10.0]
    c = ChangeCollector(Path("/r"), Path("/t"), lambda b: None, clock=lambda: now[0])
    assert c.quiet(1.0)
    c.add(Change(SOURCE, "/r/a.md"))
    assert not c.quiet(1.0)  # pending
    c.pending.clear()  # (delivered)
    now[0] = 10.5
    assert not c.quiet(1.0)  # a recent event
    now[0] = 11.5
    assert c.quiet(1.0)
