"""Test helpers: a temporary handbook project built from inline files."""
from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

from click.testing import CliRunner

from handbook_gen.build.output import MARKER, MARKER_TEXT
from handbook_gen.cli import main

HANDBOOK_YAML = """\
title: 测试汇编
departments:
  - id: GMO
    name: 总经理办公室
    duties: [统筹协调]
  - id: FIN
    name: 财务部
    parent: GMO
  - id: HR
    name: 人力资源部
    parent: GMO
"""

CHAPTER = "---\ntitle: {title}\n---\n{body}"


def policy(pid: str, title: str = "测试制度", body: str = "§{purpose} 为规范管理，制定本制度。\n",
           owner: str = "GMO", status: str = "active", extra: str = "") -> str:
    return (f"---\nid: {pid}\ntitle: {title}\nowner: {owner}\nstatus: {status}\n"
            f"effective: 2025-01-01\nversion: \"1.0\"\n{extra}---\n{body}")


class Project:
    """A handbook under tmp/policies with helpers to write files and run commands."""

    def __init__(self, base: Path):
        self.base = base
        self.src = base / "policies"
        self.src.mkdir()
        self.write("_handbook.yaml", HANDBOOK_YAML)
        self.write("01-general/_chapter.md", CHAPTER.format(title="总则", body=""))

    def write(self, rel: str, text: str | bytes, dedent: bool = False) -> Path:
        path = self.src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8")
        return path

    def run(self, *args: str):
        runner = CliRunner()
        return runner.invoke(main, [*args], catch_exceptions=False,
                             env={"HANDBOOK_CACHE_DIR": str(self.base / ".cache")})

    def check(self, *extra: str):
        return self.run("check", str(self.src), *extra)

    def build(self, *extra: str, out: str = "site"):
        return self.run("build", str(self.src), "--out", str(self.base / out), *extra)

    def page(self, rel: str, out: str = "site") -> str:
        return (self.base / out / rel).read_text(encoding="utf-8")


def main_html(html: str) -> str:
    """The <main> element's content, whitespace between tags normalised."""
    m = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    assert m, "page has no <main>"
    return re.sub(r">\s+<", ">\n<", m.group(1).strip())


def cli_zh(*args: str):
    """The CLI's result for `args`, written in Chinese (``--lang zh``) whatever the
    environment says."""
    return CliRunner().invoke(main, [*args, "--lang", "zh"])


def get(server, path: str) -> tuple[int, str]:
    """(status, text) of GET `path` from a preview server (anything with a ``port``)."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", path, headers={"Host": f"127.0.0.1:{server.port}"})
    r = conn.getresponse()
    return r.status, r.read().decode("utf-8", "replace")


def codes(output: str) -> list[str]:
    return re.findall(r"(?:error|warning|info)\[(HB\d+)\]", output)


def with_marker(files: dict[str, bytes], digest: str) -> dict[str, bytes]:
    """The files of a site written with `digest`: `files` and the marker."""
    return {**files, MARKER: MARKER_TEXT + f"digest: {digest}\n".encode()}


def manifest(root: Path) -> dict[str, bytes] | None:
    """Every file under `root`, or None when `root` does not exist."""
    if not os.path.lexists(root):
        return None
    assert root.is_dir() and not root.is_symlink()
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}
