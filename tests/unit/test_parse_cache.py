"""The parse cache runs no code from data: it lives outside the source tree, is signed
with a per-user key kept in the user cache directory, and is unpickled only after its
signature verifies; anything else is ignored once (HB009) and rebuilt. The build record
beside it is data, and a damaged one is treated as absent."""
from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import policy

from handbook_gen.build.cache import (MAGIC, ParseCache, default_cache_dir, parser_modules,
                                user_cache_home, user_key)
from handbook_gen.cli import main
from handbook_gen.core.diagnostics import Diagnostics


class Exploit:
    """Unpickling this creates the marker file: the proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("HANDBOOK_CACHE_DIR", raising=False)
    return home


def codes(diags: Diagnostics) -> list[str]:
    return [d.code for d in diags.items]


def test_default_location_is_outside_the_source_tree(project, xdg, monkeypatch):
    where = default_cache_dir(project.src)
    assert where.parent == xdg / "handbook-gen"
    assert not where.is_relative_to(project.src)
    assert default_cache_dir(project.src) == where  # stable per source root
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(project.base / "elsewhere"))
    assert default_cache_dir(project.src) == project.base / "elsewhere"


def test_default_location_without_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_cache_home() == tmp_path / ".cache" / "handbook-gen"


def test_key_is_private_and_created_once(xdg):
    key = user_key()
    assert len(key) == 32 and user_key() == key
    st = os.stat(xdg / "handbook-gen" / "key")
    assert stat.S_IMODE(st.st_mode) == 0o600


def test_a_readable_key_is_refused(xdg, tmp_path):
    user_key()
    os.chmod(xdg / "handbook-gen" / "key", 0o644)
    assert user_key() is None
    diags = Diagnostics()
    assert ParseCache(tmp_path / "c", diags).file is None
    assert codes(diags) == ["HB009"]


def test_round_trip(xdg, tmp_path):
    diags = Diagnostics()
    first = ParseCache(tmp_path / "c", diags)
    k = first.key("policies/a.md", b"x")
    first.entries[k] = pickle.dumps({"doc": 1})
    first.dirty = True
    first.save({k})
    again = ParseCache(tmp_path / "c", diags)
    assert again.get(k) == {"doc": 1} and not diags.items


def signed_by(key: bytes, payload: bytes) -> bytes:
    import hmac
    return MAGIC + hmac.digest(key, payload, "sha256") + payload


@pytest.mark.parametrize("shape", ["raw", "magic-no-mac", "foreign-key", "tampered"])
def test_unauthenticated_cache_is_never_unpickled(xdg, tmp_path, shape):
    marker = tmp_path / "pwned"
    directory = tmp_path / "c"
    directory.mkdir()
    evil = pickle.dumps(Exploit(marker))  # runs when the container is unpickled
    blob = {"raw": evil,
            "magic-no-mac": MAGIC + evil,
            "foreign-key": signed_by(os.urandom(32), evil),
            "tampered": signed_by(user_key(), pickle.dumps({}))[:-1] + evil}[shape]
    (directory / "parsed.cache").write_bytes(blob)
    diags = Diagnostics()
    parse_cache = ParseCache(directory, diags)
    assert parse_cache.get(b"k") is None
    assert not marker.exists()
    assert codes(diags) == ["HB009"]
    assert "parsed.cache is ignored" in diags.items[0].message


def test_fifo_as_cache_file_is_ignored(xdg, tmp_path):
    directory = tmp_path / "c"
    directory.mkdir()
    os.mkfifo(directory / "parsed.cache")
    diags = Diagnostics()
    ParseCache(directory, diags)
    assert codes(diags) == ["HB009"]


def plant(project, where, marker):
    """A malicious pickle at the old location and at the default one (no key)."""
    payload = pickle.dumps(Exploit(marker))
    old = project.base / ".handbook-cache"
    old.mkdir(exist_ok=True)
    (old / "parsed.pickle").write_bytes(payload)
    where.mkdir(parents=True, exist_ok=True)  # in today's format, without a valid signature
    (where / "parsed.cache").write_bytes(MAGIC + bytes(32) + payload)
    (where / "parsed.pickle").write_bytes(payload)


@pytest.mark.parametrize("command", [("check", "--strict"), ("build",)])
def test_planted_pickles_do_not_run(project, xdg, command):
    project.write("01-general/a.md", policy("GN-001"))
    marker = project.base / "pwned"
    plant(project, default_cache_dir(project.src), marker)
    args = [command[0], str(project.src), *command[1:]]
    if command[0] == "build":
        args += ["--out", str(project.base / "site")]
    r = CliRunner().invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert not marker.exists()
    assert r.output.count("info[HB009]") == 1
    if command[0] == "build":  # the cache it wrote is used silently by the next run
        assert (default_cache_dir(project.src) / "parsed.cache").read_bytes().startswith(MAGIC)
        r = CliRunner().invoke(main, ["check", str(project.src)], catch_exceptions=False)
        assert "HB009" not in r.output and r.exit_code == 0


_ROW = b'"message": "x", "path": null, "line": null, "col": null, "hint": null}'


@pytest.mark.parametrize("record", [b"{", b"[]", b'{"diagnostics": 1, "manifest": {}}',
                                    b'{"diagnostics": [{"code": "HB999", "severity": "error", ' +
                                    _ROW + b'], "manifest": {}}',
                                    b'{"diagnostics": [{"code": "HB001", "severity": "bad", ' +
                                    _ROW + b'], "manifest": {}}',
                                    b'{"diagnostics": [["HB001", "ERROR", "x", null, 0, 0, null]],'
                                    b' "manifest": {}}',  # an older version's record
                                    b"\xff\xfe", b"[" * 100000])
def test_damaged_build_record_is_absent(project, record):
    project.write("01-general/a.md", policy("GN-001"))
    assert project.build().exit_code == 0
    records = list((project.base / ".cache" / "builds").glob("*.json"))
    assert len(records) == 1
    records[0].write_bytes(record)
    r = project.build()
    assert r.exit_code == 0 and "up to date" not in r.output, r.output


def test_check_creates_no_key(project, xdg):
    """`check` writes nothing: without a key there is nothing to verify a cache with."""
    project.write("01-general/a.md", policy("GN-001"))
    r = CliRunner().invoke(main, ["check", str(project.src)], catch_exceptions=False)
    assert r.exit_code == 0 and "HB009" not in r.output
    assert not (xdg / "handbook-gen").exists()
    plant(project, default_cache_dir(project.src), project.base / "pwned")
    r = CliRunner().invoke(main, ["check", str(project.src)], catch_exceptions=False)
    assert r.output.count("info[HB009]") == 1 and "当前用户的密钥无法验证它" in r.output
    assert not (project.base / "pwned").exists()


def test_the_parser_fingerprint_covers_every_module_parsing_imports(tmp_path):
    """The fingerprint's modules are found from the import statements; every package
    module that parsing a rich policy really loads must be among them."""
    import subprocess
    import sys



    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from handbook_gen.markdown.document import parse_document\n"
        "text = Path(sys.argv[1]).read_bytes()\n"
        "parse_document('policies/01-general/a.md', text)\n"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items()\n"
        "                 if n.startswith('handbook_gen') and getattr(m, '__file__', None)))\n")
    policy = tmp_path / "a.md"
    policy.write_text("---\nid: GN-001\ntitle: 甲\nowner: GMO\nstatus: active\n"
                      "effective: 2025-01-01\nversion: \"1\"\n---\n## 总则\n\n"
                      "§{a} 见[[GN-002#b]]和本办法第二条。\n\n§ 第二条。\n\n"
                      "```flow 流程\n申请 | GMO | 提出\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
                      encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", script, str(policy)], capture_output=True,
                         text=True, check=True).stdout.split()
    loaded = {Path(f).resolve() for f in out if not f.endswith("__init__.py")}
    covered = {p.resolve() for p in parser_modules()}
    assert loaded, "parsing loaded no package module?"
    assert loaded <= covered, sorted(str(p) for p in loaded - covered)
    assert any(p.name == "ids.py" for p in covered)  # the module the old hand-kept list missed


def test_import_statements_are_read_in_every_form():
    from handbook_gen.build.cache import _imported

    text = ('"""Doc."""\n'
            "import os, handbook_gen.core.ids as ids\n"
            "from handbook_gen.core import (\n"
            "    numerals,  # a comment, with a comma\n"
            "    urls as u,\n"
            ")\n"
            "from handbook_gen.markdown.limits import MAX  # noqa: E402\n"
            "def f():\n"
            "    from handbook_gen.markdown import fences\n"
            "    import handbook_gen.source.reader\n"
            "    from handbook_gen.core import lang; x = 1\n")
    names = set(_imported(text))
    assert {"handbook_gen.core.ids", "handbook_gen.core", "handbook_gen.core.numerals",
            "handbook_gen.core.urls", "handbook_gen.markdown.limits",
            "handbook_gen.markdown.fences", "handbook_gen.source.reader",
            "handbook_gen.core.lang"} <= names
    assert "os" in names and not any("comment" in n for n in names)
    assert _imported("from handbook_gen.core import \n") == ["handbook_gen.core"]  # (prose)
