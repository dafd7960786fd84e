"""Diagnostic formatters: human text (source line + caret + hint), JSON lines, and
GitHub Actions annotations. Imports: diagnostics, sources.
"""
from __future__ import annotations

import json
from pathlib import Path

from handbook_gen.diagnostics import Diagnostic, Severity

FORMATS = ("text", "json", "github")


def _source_line(base: Path, diag: Diagnostic) -> str | None:
    loc = diag.location
    if loc is None or loc.line <= 0:
        return None
    try:
        text = (base / loc.path).read_bytes().decode("utf-8-sig", "replace")
    except OSError:
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[loc.line - 1] if loc.line <= len(lines) else None


def _width(s: str) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def format_text(diag: Diagnostic, base: Path, color: bool = False) -> str:
    sev = diag.severity.label
    if color:
        code = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}[diag.severity]
        sev = f"\033[1;{code}m{sev}\033[0m"
    where = f"{diag.location}: " if diag.location else ""
    out = [f"{where}{sev}[{diag.code}]: {diag.message}"]
    line = _source_line(base, diag)
    if line is not None:
        col = max(diag.location.col, 1)
        gutter = str(diag.location.line)
        out.append(f"{' ' * len(gutter)} |")
        out.append(f"{gutter} | {line}")
        out.append(f"{' ' * len(gutter)} | {' ' * _width(line[:col - 1])}^")
    if diag.hint:
        out.append(f"  = help: {diag.hint}")
    return "\n".join(out)


def format_json(diag: Diagnostic) -> str:
    loc = diag.location
    return json.dumps({"code": diag.code, "severity": diag.severity.label,
                       "message": diag.message, "path": loc.path if loc else None,
                       "line": loc.line if loc else None, "col": loc.col if loc else None,
                       "hint": diag.hint}, ensure_ascii=False, sort_keys=True)


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return s.replace(":", "%3A").replace(",", "%2C") if prop else s


def format_github(diag: Diagnostic) -> str:
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[diag.severity]
    props = [f"title={_gh_escape(diag.code, True)}"]
    if diag.location:
        props.insert(0, f"file={_gh_escape(diag.location.path, True)}")
        if diag.location.line:
            props.insert(1, f"line={diag.location.line}")
            props.insert(2, f"col={max(diag.location.col, 1)}")
    msg = diag.message + (f" ({diag.hint})" if diag.hint else "")
    return f"::{kind} {','.join(props)}::{_gh_escape(msg)}"


def render(diags: list[Diagnostic], fmt: str, base: Path, color: bool = False) -> str:
    if fmt == "json":
        return "\n".join(format_json(d) for d in diags)
    if fmt == "github":
        return "\n".join(format_github(d) for d in diags)
    return "\n\n".join(format_text(d, base, color) for d in diags)
