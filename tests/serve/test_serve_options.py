"""`handbook serve` gets what `build` has: --strict, and the parse cache (--no-cache)."""
from __future__ import annotations

import pytest
from helpers import policy

from handbook_gen.build.cache import default_cache_dir
from handbook_gen.build.pipeline import BuildOptions
from handbook_gen.serve import server as devserver
from handbook_gen.serve.live import LiveSite

# cites a retired policy: a warning (HB203), an error under --strict
RETIRED = policy("GN-001", title="旧制度", status="retired", body="§ 旧文。\n")
CITING = policy("GN-002", title="新制度", body="§ 见[[GN-001]]。\n")


@pytest.fixture
def warned(project):
    project.write("01-general/a.md", RETIRED)
    project.write("01-general/b.md", CITING)
    return project


def test_strict_serve_fails_on_a_warning_as_build_does(warned):
    assert LiveSite(warned.src).rebuild().ok
    assert warned.build().exit_code == 0
    strict = LiveSite(warned.src, BuildOptions(strict=True))
    strict.rebuild()
    assert not strict.ok and "HB203" in [d.code for d in strict.diagnostics]
    assert warned.build("--strict").exit_code == 1


@pytest.mark.parametrize("flags, strict, cached", [((), False, True),
                                                   (("--strict", "--no-cache"), True, False)])
def test_serve_passes_strict_and_the_cache_on(warned, monkeypatch, flags, strict, cached):
    seen = []

    def start(src, host, port, options, poll=False, **more):
        seen.append(options)
        raise OSError(98, "Address already in use")
    monkeypatch.setattr(devserver, "start", start)
    result = warned.run("serve", str(warned.src), *flags)
    assert result.exit_code == 2 and len(seen) == 1
    assert seen[0].strict is strict
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(warned.base / ".cache"))  # as run() does
    assert seen[0].cache_dir == (default_cache_dir(warned.src) if cached else None)
