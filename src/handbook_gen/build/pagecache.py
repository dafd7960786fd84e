"""The page cache: rendered pages kept from one build to the next, for the kinds that
ask for it (``PageKind.cached``: policy pages and the pages of their old versions and
revisions, many and costly, most of which a rebuild leaves as they were).

A page's key is a hash of the code and templates of the build and of the page's path and
context, pickled: everything its template is given, its costly parts as ``Derived``
inputs (render.site), so a key cannot miss an input the page shows. The large parts of
a parsed document (its HTML, articles, references, front matter), as context values or
inputs of Derived values, enter a key as their name, the document's path and git blob
id (``name_document``): a document is a function of its path, its bytes and the code,
so the name stands for the content without copying it into every key. Any other
list, tuple or mapping (a version's resolved links, a policy's summary) and any dataclass
instance (a policy, its state, the site's settings) is pickled once per build and enters
the keys of every page that shares it as its digest: a build keeps each such value alive
(so its identity is never reused) and never changes it.
A context that cannot be pickled has no key: that page is rendered every time.

A page whose key a recent build stored is hard-linked into the new site instead of
being rendered (copied when the cache is on another file system), and the diagnostics
its rendering gave are reported again. Entries are files named by key in
``<cache>/pages/``; a new entry is a hard link to the page just written into the
staging site, so keeping it writes no bytes. The index (``pages/index``: key -> the
entry's size, modification time, inode and content hash, and its diagnostics) lists the
entries the last few builds used; the others are deleted. The index carries an HMAC under
this user's cache key (build.cache), so a planted index is ignored. An entry is used
as it is when its file still has the size, time and inode the index recorded; else
(a cache restored from an archive, as CI does) when its bytes still have the recorded
hash; else (rewritten, damaged) the page is rendered again, never published.
"""
from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import hmac
import io
import json
import os
import pickle
import stat
import types
from pathlib import Path

from handbook_gen.build.cache import user_key
from handbook_gen.core import report
from handbook_gen.core.diagnostics import CODES, Diagnostic
from handbook_gen.render.memo import Derived

Entry = tuple[str, list]
"""(key, [size, mtime_ns, inode, content hash, diagnostics as JSON]) of a page in the
cache; the index adds the number of the last build that used it."""
KEEP = 4
"""Entries stay while one of the last KEEP builds used them."""

MAGIC = b"handbook-gen page cache 1\n"
_MAC = 32
_NAMED_MIN = 256
"""A document's HTML shorter than this pickles as it is."""


def _proxy(contents: dict) -> types.MappingProxyType:
    return types.MappingProxyType(contents)


_REDUCE = copyreg.dispatch_table | {types.MappingProxyType: lambda m: (_proxy, (dict(m),))}
"""Read-only mappings (registries) pickle as their contents."""


_CONTAINERS = (list, tuple, dict, types.MappingProxyType)


def _name(text: str) -> bytes:
    """A named document part, or a shared value's digest, in a key. Markers in keys are
    bytes, which page contexts (text) do not hold, and which pickle writes without a call
    into Python, unlike a named tuple (a third of a key's time)."""
    return b"\0name\0" + text.encode("utf-8", "surrogatepass")


_MADE = b"\0made\0"
"""Starts a Derived value in a key: (_MADE, its function, its inputs)."""
_OBJECT = b"\0object\0"
"""Starts a dataclass instance in a key: (_OBJECT, its type, its fields as they enter
keys), so that a policy's parsed parts enter by name there too."""
_ROWS = b"\0rows\0"
"""Starts a list of named tuples of one type in a key: (_ROWS, the type, plain rows)."""


def _records(value):
    """A list of named tuples of one type (resolved links, citations) as its type and
    plain rows: pickle calls a Python method for each named tuple, none for a tuple."""
    if type(value) is list and value and hasattr(type(value[0]), "_fields"):
        kind = type(value[0])
        if all(type(x) is kind for x in value):
            return _ROWS, kind, [tuple(x) for x in value]
    return value


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


class PageCache:
    def __init__(self, directory: Path | None, salt: bytes, save: bool = True):
        self.dir = directory / "pages" if directory else None
        self.salt = salt
        self.secret = user_key(create=save) if directory else None
        self.index: dict[str, list] = {}
        self.names: dict[int, tuple[object, str]] = {}
        self.shared: dict[int, tuple[object, bytes]] = {}
        if self.dir is None or self.secret is None:
            self.dir = None
            return
        try:
            blob = (self.dir / "index").read_bytes()
            head, mac, body = blob[:len(MAGIC)], blob[len(MAGIC):len(MAGIC) + _MAC], \
                blob[len(MAGIC) + _MAC:]
            if head == MAGIC and hmac.compare_digest(mac, self._mac(body)):
                index = json.loads(body)
                self.index = index if isinstance(index, dict) else {}
        except (OSError, ValueError, RecursionError):
            pass  # no cache yet, or a damaged one: every page is rendered

    @property
    def enabled(self) -> bool:
        return self.dir is not None

    def _mac(self, body: bytes) -> bytes:
        return hmac.digest(self.secret, body, "sha256")

    def name_document(self, path: str, blob: str, meta, body) -> None:
        """Let the large parts of a document (its front matter `meta` and parsed `body`,
        made from git blob `blob` at `path`) enter keys as their name."""
        name = f"{path}\0{blob}"
        parts = [("meta", meta, 0)]
        if body is not None:
            parts += [("html", body.html, _NAMED_MIN), ("articles", body.articles, 4),
                      ("refs", body.refs, 4)]
        for part, value, least in parts:  # (small values may be shared singletons: "", ())
            if value is not None and (not least or len(value) >= least):
                self.names[id(value)] = (value, f"{name}\0{part}")

    def key(self, path: str, context: dict) -> str | None:
        """The page's key, None when its context cannot be pickled."""
        try:
            return self._hash((path, {k: self._named(v) for k, v in context.items()}))
        except Exception:  # noqa: BLE001 - a context that is no data is never cached
            return None

    def _hash(self, value) -> str:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.dispatch_table = _REDUCE
        pickler.fast = True  # no memo: equal values give equal bytes, shared or not
        pickler.dump(value)
        return hashlib.blake2b(self.salt + buffer.getbuffer(), digest_size=20).hexdigest()

    def _named(self, value):
        """`value` as it enters a key: a named document part as its name, a Derived
        value as its function and inputs, a container as the digest of its contents and a
        dataclass instance as the digest of its type and fields (each computed once per
        build), anything else as it is."""
        named = self.names.get(id(value))
        if named is not None:
            return _name(named[1])
        if isinstance(value, Derived):
            return _MADE, value.fn, tuple(self._named(a) for a in value.args)
        hit = self.shared.get(id(value))
        if hit is not None:
            return hit[1]
        if type(value) in _CONTAINERS:
            hit = self.shared[id(value)] = (value, _name(self._hash(_records(value))))
            return hit[1]
        if hasattr(type(value), "__dataclass_fields__"):
            made = _OBJECT, type(value), tuple(self._named(getattr(value, f.name))
                                               for f in dataclasses.fields(value))
            hit = self.shared[id(value)] = (value, _name(self._hash(made)))
            return hit[1]
        return value

    def get(self, key: str) -> tuple[Path, list[Diagnostic], Entry] | None:
        """The file of the cached page of `key`, its diagnostics and its entry; None when
        there is none or its file is not the one the index recorded."""
        found = self.index.get(key)
        try:
            size, mtime, inode, digest, rows = found[:5]
            path = self.dir / key
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size != size:
                return None
            if [st.st_mtime_ns, st.st_ino] != [mtime, inode]:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                with os.fdopen(fd, "rb") as fh:
                    if _digest(fh.read()) != digest:
                        return None
                    st = os.fstat(fd)
                found = [st.st_size, st.st_mtime_ns, st.st_ino, digest, rows]
            diags = [report.from_json(row) for row in rows]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not all(d.code in CODES for d in diags):
            return None
        return path, diags, (key, found)

    def put(self, key: str, staged: Path, data: bytes, diags: list[Diagnostic]) -> Entry | None:
        """Keep the page just written to `staged` under `key`; its entry, None when the
        cache could not take it."""
        tmp = self.dir / f".{key}.tmp-{os.getpid()}"
        try:
            self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                os.link(staged, tmp)
            except OSError:
                with open(tmp, "wb") as fh:
                    fh.write(data)
            os.replace(tmp, self.dir / key)
            st = os.lstat(self.dir / key)
        except OSError:
            return None
        return key, [st.st_size, st.st_mtime_ns, st.st_ino, _digest(data),
                     [report.to_json(d) for d in diags]]

    def save(self, entries: list[Entry]) -> None:
        """Add `entries` (this build's pages) to the index and delete the entries no
        build of the last KEEP used (another kind of build, ``--no-history`` or a PDF's,
        does not push out the pages of the usual one)."""
        if self.dir is None:
            return
        ages = [row[5] for row in self.index.values() if len(row) > 5]
        now = max(ages, default=0) + 1
        index = {key: row for key, row in self.index.items()
                 if len(row) > 5 and isinstance(row[5], int) and row[5] > now - KEEP}
        index.update((key, [*row[:5], now]) for key, row in entries)
        if {k: v[:5] for k, v in index.items()} == {k: v[:5] for k, v in self.index.items()}:
            return
        body = json.dumps(index, ensure_ascii=False, sort_keys=True).encode()
        try:
            self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.dir / f".index.tmp-{os.getpid()}"
            tmp.write_bytes(MAGIC + self._mac(body) + body)
            os.replace(tmp, self.dir / "index")
            for name in os.listdir(self.dir):
                if name not in index and name != "index":
                    os.unlink(self.dir / name)
        except OSError:
            pass  # an optimisation only: a read-only cache must not fail the build
        self.index = index
