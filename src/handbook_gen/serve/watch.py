"""File watching for `handbook serve`: watchdog events -> debounced lists of Changes.

Editors save in many ways (plain write, write-to-temp-then-rename, vim's backup dance,
JetBrains safe-write); a `git checkout` touches hundreds of files. Every burst becomes
exactly one batch: events are filtered (directories, reads, temp and hidden files, paths
outside the watched trees), collected until the tree has been quiet for `debounce`
seconds, then handed over at once. Reads (`opened`, `closed_no_write`) are ignored, so the
build reading its sources never triggers another build.

The common case is faster: when the batch holds a single file whose last event finished
writing it (closed after writing, or renamed onto its name — every save style above ends
that way), the batch goes after only `settle` seconds of quiet. In between (vim has
renamed the file away and not yet written the new one, a write is still going on) and
for batches of several files (a checkout), the full debounce applies.

The watched folders may come and go while serving: a `templates/` folder created after
start-up, or deleted and re-created by a `git checkout`. Their parent folder is watched
too (not recursively); when a watched folder appears, goes or is replaced, its recursive
watch is renewed and the collector hears of a change of the whole folder.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from handbook_gen.source.config import CONFIG_NAME
from handbook_gen.serve.live import CONFIG, SOURCE, THEME, Change
from handbook_gen.source.reader import is_ignored

_IGNORED_EVENTS = {"opened", "closed_no_write"}
SETTLE = 0.02


def classify(path: str, root: Path, templates: Path) -> Change | None:
    """What a changed path means for the build, or None when it does not matter."""
    p = Path(path)
    if p.is_relative_to(root):
        rel = p.relative_to(root)
    elif p.is_relative_to(templates):
        rel = p.relative_to(templates)
        return None if any(is_ignored(part) for part in rel.parts) else Change(THEME, path)
    else:
        return None
    if not rel.parts:  # the source folder itself appeared or went: scan it
        return Change(SOURCE)
    if any(is_ignored(part) for part in rel.parts):
        return None
    if rel.as_posix() == CONFIG_NAME:
        return Change(CONFIG, path)
    if p.suffix == ".md":
        return Change(SOURCE, path)
    return None


class ChangeCollector(FileSystemEventHandler):
    """Collects relevant changes and delivers them in debounced batches."""

    def __init__(self, root: Path, templates: Path, deliver: Callable[[list[Change]], None],
                 debounce: float = 0.08, clock: Callable[[], float] = time.monotonic,
                 settle: float = SETTLE):
        self.root, self.templates = root.resolve(), templates.resolve()
        self.deliver, self.debounce, self.clock = deliver, debounce, clock
        self.settle = min(settle, debounce)
        self.pending: dict[tuple, Change] = {}
        self.last_event = 0.0
        self.written = False
        """The batch is one file and its last event finished writing it."""
        self.cond = threading.Condition()
        self.stopped = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        # directory events carry no content; moves and deletions of whole folders also
        # arrive as events for the files inside them
        if event.event_type in _IGNORED_EVENTS or event.is_directory:
            return
        paths = [(event.src_path, event.event_type == "closed")]
        if getattr(event, "dest_path", None):  # atomic saves arrive as a move onto the real file
            paths.append((event.dest_path, True))
        for path, written in paths:
            change = classify(str(path), self.root, self.templates)
            if change is not None:
                self.add(change, written)

    def add(self, change: Change, written: bool = False) -> None:
        """`written`: this event finished writing the file (closed, or moved onto it)."""
        with self.cond:
            self.pending[(change.kind, change.path)] = change
            self.last_event = self.clock()
            self.written = written and len(self.pending) == 1
            self.cond.notify()

    def quiet(self, seconds: float) -> bool:
        """Nothing pending, and no relevant event for `seconds`."""
        with self.cond:
            return not self.pending and self.clock() - self.last_event >= seconds

    def take_batch(self, timeout: float | None = None) -> list[Change]:
        """Block until a burst of changes has been quiet for `debounce`; return it."""
        with self.cond:
            deadline = None if timeout is None else self.clock() + timeout
            while not self.pending and not self.stopped:
                remaining = None if deadline is None else deadline - self.clock()
                if remaining is not None and remaining <= 0:
                    return []
                self.cond.wait(remaining)
            while not self.stopped:
                wait = self.settle if self.written else self.debounce
                quiet = self.clock() - self.last_event
                if quiet >= wait:
                    break
                self.cond.wait(wait - quiet)
            batch = list(self.pending.values())
            self.pending.clear()
            self.written = False
            return batch

    def run(self) -> None:
        while not self.stopped:
            batch = self.take_batch()
            if batch:
                self.deliver(batch)

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify_all()


class _Folders(FileSystemEventHandler):
    """Keeps a recursive watch on each watched folder that exists: told by a watch on
    the folders' parents whenever one of them is created, deleted or moved."""

    def __init__(self, observer, collector: ChangeCollector, folders: list[Path]):
        self.observer, self.collector = observer, collector
        self.watches: dict[str, object] = {str(f): None for f in folders}

    def sync(self, folder: str) -> None:
        """Watch `folder` afresh if it is a folder now (the old watch may follow a deleted
        or moved folder), or stop watching it."""
        old, self.watches[folder] = self.watches[folder], None
        if old is not None:
            try:
                self.observer.unschedule(old)
            except KeyError:  # (the observer is stopping)
                pass
        if os.path.isdir(folder):
            try:
                self.watches[folder] = self.observer.schedule(self.collector, folder,
                                                              recursive=True)
            except OSError:  # gone again already, or out of inotify watches
                pass

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in ("created", "deleted", "moved"):
            return
        for path in (event.src_path, getattr(event, "dest_path", None)):
            if path in self.watches:
                self.sync(path)  # before the change: the rebuild reads what is there now
                change = classify(path, self.collector.root, self.collector.templates)
                if change is not None:
                    self.collector.add(change)


def start_observer(collector: ChangeCollector, paths: list[Path], poll: bool = False):
    """Start watching the folders `paths` (recursively, also when they appear later);
    fall back to polling when inotify is unavailable or exhausted. Returns (observer,
    note) where note says why polling was chosen, if it was."""
    if poll:
        return _start(PollingObserver(), collector, paths), None
    try:
        return _start(Observer(), collector, paths), None
    except OSError as exc:
        note = (f"native file watching failed ({exc.strerror}); polling instead — raise "
                "fs.inotify.max_user_watches to avoid this")
    return _start(PollingObserver(), collector, paths), note


def _start(observer, collector: ChangeCollector, paths: list[Path]):
    folders = [p.resolve() for p in paths]
    handler = _Folders(observer, collector, folders)
    for parent in dict.fromkeys(f.parent for f in folders):
        observer.schedule(handler, str(parent), recursive=False)
    for folder in handler.watches:
        handler.sync(folder)
    observer.start()
    return observer
