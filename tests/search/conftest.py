"""Fixtures for the search tests: import path, a built fixture site, headless Chromium, a local HTTP server."""
from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    from fixtures import records
    from sitebuild import write_site

    return write_site(tmp_path_factory.mktemp("site"), records())


@pytest.fixture(scope="session")
def browser():
    pw = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    with pw.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM)
        yield b
        b.close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/hb/sub/"

    def translate_path(self, path):
        path = path.split("?", 1)[0]
        if not path.startswith(self.prefix):
            return "/nonexistent"
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, *a):
        pass


@pytest.fixture(scope="session")
def http_site(fixture_site):
    """The fixture site served at http://127.0.0.1:PORT/hb/sub/ (a sub-path)."""
    handler = functools.partial(_Handler, directory=str(fixture_site))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/hb/sub/"
    srv.shutdown()
    srv.server_close()
