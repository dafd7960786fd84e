"""Headless Chromium via Playwright, using the system browser (Debian's `chromium`;
set CHROMIUM to another path). A missing browser fails loudly: CI installs it."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from handbook_gen.build.pipeline import BuildOptions, build

POLICIES = Path(__file__).resolve().parents[2] / "policies"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    assert build(POLICIES, out, BuildOptions()).ok
    return out


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under the URL path `under`, without logging; a missing page
    answers the folder's 404.html with status 404 when it has one (a web server's
    error_page / ErrorDocument)."""
    under = "/"

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.under):
            return str(Path(self.directory) / "\0outside")
        return super().translate_path("/" + path[len(self.under):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def serve_dir():
    """serve_dir(path, under="/") -> origin (http://127.0.0.1:port) of a loopback HTTP
    server with the folder at `path` under the URL path `under` (a missing page gets the
    folder's 404.html, status 404, when there is one)."""
    servers = []

    def start(root: Path, under: str = "/") -> str:
        handler = type("Handler", (_SiteHandler,), {"under": under})
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"
    yield start
    for s in servers:
        s.shutdown()
