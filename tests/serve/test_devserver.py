"""The preview server: serves only the in-memory site, refuses foreign Host headers and
traversal, injects live reload at serve time, overlays errors and survives them."""
from __future__ import annotations

import http.client
import json
import threading

import pytest
from helpers import policy

from handbook_gen.devserver import DevServer, safe_site_path
from handbook_gen.incremental import SOURCE, Change, LiveSite


@pytest.fixture
def server(project):
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 原文。\n"))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0)
    dev.rebuild(None)
    threading.Thread(target=dev.serve_forever, daemon=True).start()
    yield project, dev
    dev.shutdown()


def get(dev, path, host=None):
    conn = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{dev.port}")
    conn.endheaders()
    r = conn.getresponse()
    return r.status, r.read().decode("utf-8", "replace"), dict(r.getheaders())


def test_serves_pages_with_injected_reload(server):
    project, dev = server
    status, body, headers = get(dev, "/policies/gn-001.html")
    assert status == 200 and "原文" in body
    assert f'<script src="/__handbook/livereload.js" data-epoch="{dev.epoch}" defer></script>' in body
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "livereload" not in dev.site.files["policies/gn-001.html"].decode()  # never built in
    assert get(dev, "/")[0] == 200
    assert get(dev, "/__handbook/livereload.js")[0] == 200


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fetc",
                                  "/..%5c..%5cetc", "//evil/../x", "/.handbook-site",
                                  "/policies/", "/static/../../secret", "/%00"])
def test_traversal_and_dotfiles_are_404(server, path):
    _, dev = server
    assert get(dev, path)[0] == 404


def test_foreign_host_header_refused(server):
    _, dev = server
    assert get(dev, "/", host="evil.example")[0] == 403
    assert get(dev, "/", host=f"localhost:{dev.port}")[0] == 200


def test_safe_site_path():
    assert safe_site_path("/") == "index.html"
    assert safe_site_path("/policies/gn-001.html") == "policies/gn-001.html"
    assert safe_site_path("/%E7%AB%A0.html") == "章.html"
    assert safe_site_path("/a/../b") is None and safe_site_path("/.git/config") is None


def test_failed_rebuild_shows_overlay_then_clears(server):
    project, dev = server
    epoch = dev.epoch
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 见[[NOPE-1]]。\n"))
    dev.rebuild([Change(SOURCE)])
    assert dev.epoch == epoch + 1 and not dev.site.ok
    status, body, _ = get(dev, "/policies/gn-001.html")
    assert status == 200 and "原文" in body  # the last good page
    assert 'id="handbook-overlay"' in body
    assert "policies/01-general/a.md:9:7</span>: error[HB200]: unknown policy &#x27;NOPE-1&#x27;" in body
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body="§{x} 修好了。\n"))
    dev.rebuild([Change(SOURCE)])
    status, body, _ = get(dev, "/policies/gn-001.html")
    assert "handbook-overlay" not in body and "修好了" in body


def test_internal_error_never_kills_the_server(server, monkeypatch):
    project, dev = server
    monkeypatch.setattr(dev.site, "rebuild", lambda *a, **k: 1 / 0)
    dev.rebuild([Change(SOURCE)])
    status, body, _ = get(dev, "/index.html")
    assert status == 200 and "internal error during rebuild" in body


def test_long_poll_returns_on_new_epoch(server):
    project, dev = server
    seen = dev.epoch
    result = {}

    def poll():
        result["r"] = get(dev, f"/__handbook/poll?epoch={seen}")
    t = threading.Thread(target=poll)
    t.start()
    dev.rebuild([Change(SOURCE)])
    t.join(10)
    assert json.loads(result["r"][1]) == {"epoch": seen + 1}
