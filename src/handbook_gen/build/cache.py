"""The parse cache: where it lives and how it is trusted.

The cache holds pickled documents, and unpickling runs code, so cache data is used only
when it provably came from this user: the file carries an HMAC-SHA256 of its contents
under a per-user key (32 random bytes, mode 0600, in the user cache directory, never in a
repository), checked before anything is unpickled. A corrupt, foreign or planted cache
is ignored with one info diagnostic (HB009) and rebuilt. The cache lives outside the
source tree: ``$HANDBOOK_CACHE_DIR``, else ``$XDG_CACHE_HOME/handbook-gen/<source root
hash>`` (``~/.cache`` when XDG_CACHE_HOME is unset).
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import os
import pickle
import re
import stat
from pathlib import Path

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.markdown.document import Document

CACHE_ENV = "HANDBOOK_CACHE_DIR"
MAGIC = b"handbook-gen parse cache 2\n"
_MAC = 32


def user_cache_home() -> Path:
    """``$XDG_CACHE_HOME/handbook-gen`` (``~/.cache/handbook-gen`` when unset or relative)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "handbook-gen"


def default_cache_dir(src: Path) -> Path:
    """The cache directory for source root `src`: ``$HANDBOOK_CACHE_DIR`` when set, else
    one folder per source root in the user cache directory."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    name = hashlib.sha256(os.fsencode(src.resolve())).hexdigest()[:16]
    return user_cache_home() / name


def user_key(create: bool = True) -> bytes | None:
    """This user's cache key, created on first use when `create`; None when there is
    none, it cannot be read or created, or the key file is not a private 32-byte file of
    this user."""
    path = user_cache_home() / "key"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return _new_key(path) if create else None
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if (not stat.S_ISREG(st.st_mode) or st.st_size != 32 or st.st_mode & 0o077
                or st.st_uid != os.getuid()):
            return None
        key = fh.read(33)
    return key if len(key) == 32 else None


def _new_key(path: Path) -> bytes | None:
    """Write a fresh key beside `path` and link it into place, so that two builds
    creating it at once agree on the one that won."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"key.tmp-{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    except OSError:
        return None
    return user_key()


_IMPORTS = re.compile(r"^[ \t]*(?:from[ \t]+(handbook_gen[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|.*)"
                      r"|import[ \t]+(.*))", re.M)
"""An import statement at the start of a line (also inside a function): the module and
what is imported from it, or the modules imported."""


def _imported(text: str) -> list[str]:
    """The dotted names a module's import statements may import: every word of what
    they import, comments left out (a word that names no module, such as ``as`` or an
    alias, names no file and is harmless)."""
    names = []
    for m in _IMPORTS.finditer(text):
        words = re.findall(r"[\w.]+", re.sub(r"#.*", "", m[2] if m[1] else m[3]))
        names += [m[1], *(f"{m[1]}.{w}" for w in words)] if m[1] else words
    return names


def parser_modules() -> list[Path]:
    """The package's modules that parsing runs: ``markdown/document.py`` and everything it imports
    from the package, transitively (read from the import statements, also those inside
    functions), so no hand-kept list can miss one."""
    package = Path(__file__).parents[1]
    todo, seen = [package / "markdown" / "document.py"], set()
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        for name in _imported(path.read_text("utf-8")):
            parts = name.split(".")
            if parts[0] != "handbook_gen" or len(parts) < 2:
                continue
            base = package.joinpath(*parts[1:])
            todo += [base.with_suffix(".py"), base / "__init__.py"]
    return sorted(seen)


@functools.lru_cache(maxsize=1)
def _parser_fingerprint() -> bytes:
    """Changes whenever parsing code changes, so stale cache entries are never used. Read
    once per process (the sources' cache and the old texts' cache share it)."""
    h = hashlib.sha1()
    package = Path(__file__).parents[1]
    for path in parser_modules():
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    import markdown_it
    import mdit_py_plugins
    h.update(f"{markdown_it.__version__}/{mdit_py_plugins.__version__}".encode())
    return h.digest()


class ParseCache:
    """Parsed documents keyed by sha1(parser code, path, bytes): one file, MAGIC, then
    the HMAC of the rest, then a pickled dict of individually pickled documents (so
    saving never re-pickles a document). `diags` hears once about a cache that is
    ignored. Without `save` (``check``) nothing is written, not even a new key: a cache
    that no key can verify is ignored like a foreign one."""

    def __init__(self, directory: Path | None, diags: Diagnostics, save: bool = True,
                 name: str = "parsed.cache"):
        self.file = directory / name if directory else None
        self.fingerprint = _parser_fingerprint() if directory else b""
        self.entries: dict[bytes, bytes] = {}
        self.dirty = False
        self.secret = user_key(create=save) if directory else None
        if self.file and self.secret is None:
            if save:
                diags.add("HB009", "the parse cache is not used: no private key in {path} "
                          "(it could not be created or is not this user's 0600 file)",
                          path=user_cache_home())
            elif os.path.lexists(self.file):
                self._ignored(diags, "no key of this user can verify it")
            self.file = None
        if self.file:
            self.entries = self._load(diags)

    def _load(self, diags: Diagnostics) -> dict[bytes, bytes]:
        try:
            fd = os.open(self.file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            return {}
        except OSError as exc:
            return self._ignored(diags, exc.strerror)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return self._ignored(diags, "not a regular file")
            blob = memoryview(fh.read())
        head, mac, body = blob[:len(MAGIC)], blob[len(MAGIC):len(MAGIC) + _MAC], \
            blob[len(MAGIC) + _MAC:]
        if head != MAGIC or not hmac.compare_digest(mac, self._mac(body)):
            return self._ignored(diags, "corrupt, foreign or not written by this user: "
                                 "no valid signature")
        try:  # authenticated: written by this user's own build
            entries = pickle.loads(body)
        except Exception:  # noqa: BLE001 - an unreadable cache is a cold cache
            return self._ignored(diags, "its contents cannot be read")
        return entries if isinstance(entries, dict) else {}

    def _ignored(self, diags: Diagnostics, why: str) -> dict:
        diags.add("HB009", "the parse cache {path} is ignored ({why!t}); the next build "
                  "replaces it", path=self.file, why=why)
        self.dirty = True
        return {}

    def _mac(self, body) -> bytes:
        return hmac.digest(self.secret, body, "sha256")

    def key(self, path: str, data: bytes) -> bytes:
        return hashlib.sha1(self.fingerprint + path.encode() + b"\0" + data).digest()

    def get(self, key: bytes) -> Document | None:
        blob = self.entries.get(key)
        if not isinstance(blob, bytes):
            return None
        try:
            return pickle.loads(blob)
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            return None

    def save(self, live: set[bytes]) -> None:
        if not self.file or (not self.dirty and live == set(self.entries)):
            return
        self.entries = {k: v for k, v in self.entries.items() if k in live}
        body = pickle.dumps(self.entries, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.file.with_name(f"{self.file.name}.tmp-{os.getpid()}")
            with open(tmp, "wb") as fh:
                fh.write(MAGIC + self._mac(body))
                fh.write(body)
            os.replace(tmp, self.file)
        except OSError:
            pass  # the cache is an optimisation; a read-only disk must not fail the build
