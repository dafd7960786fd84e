"""Diagnostic formatters, the one place a diagnostic is written out: human text (source
line + caret + hint; the CLI), the HTML of the dev server's error overlay (the same lines,
without the source), GitHub Actions annotations, and JSON (``to_json``/``from_json``, the
form of ``--format json`` and of the build record).

Language: every format writes a diagnostic's message and hint in Simplified Chinese
(``zh``, the templates looked up in messages_zh.ZH) or English (``en``, as recorded);
``language`` decides which, and ``say`` writes the CLI's own messages from the same
catalogue. Paths: a location is shown relative to the repository root when the handbook
is inside a git work tree (``repo_prefix``), else relative to the source folder's parent.

Every string that reaches a terminal passes through ``visible``: control characters
(ESC, BEL, NUL, C1, bidi overrides, lone surrogates, newlines inside a message) are
printed as ``\\x1b``-style escapes, never raw. Output is linear in the input: each
source file is read once per ``render`` call, a quoted source line is cut to a window
around the column, and the human formats print at most MAX_PER_CODE diagnostics of one
code per file (then a count of the rest); JSON lists every diagnostic.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

from handbook_gen.core.diagnostics import CODES, Diagnostic, Location, Severity, fill
from handbook_gen.core.messages_zh import ZH

FORMATS = ("text", "json", "github")
LANGUAGES = ("zh", "en")
WINDOW = 120
"""Characters of a long source line shown around the column."""
MAX_PER_CODE = 100
"""Diagnostics of one code per file that text and github print; json prints all."""

# DEL and C1, zero-width and bidi controls, lone surrogates (from undecodable file names);
# with C0 except tab (and except newline in multi-line text)
_OTHER = "\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f{_OTHER}]")
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER}]")
_UNSAFE_JSON = re.compile(f"[{_OTHER}]")  # json.dumps escapes C0 itself


def _escape(m: re.Match) -> str:
    n = ord(m.group())
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def visible(s: str, lines: bool = False) -> str:
    """`s` with every character that could control a terminal written as an escape;
    with `lines`, newlines are kept."""
    return (_UNSAFE_KEEP_LINES if lines else _UNSAFE).sub(_escape, s)


def visible_json(text: str) -> str:
    """JSON text with the characters json.dumps leaves raw escaped as \\uXXXX."""
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def language(option: str | None, env: str | None, configured: str | None) -> str:
    """The language diagnostics and CLI messages are written in: `option` (--lang) wins,
    then `env` (HANDBOOK_LANG), then the handbook's `language:`; Chinese for ``zh-*`` or
    an unset language, English for any other."""
    for value in (option, env):
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh" if not configured or configured.lower().startswith("zh") else "en"


def translate(template: str, params: dict, lang: str, missing: list | None = None) -> str:
    """`template` (English, with `params` when it has fields) written in `lang`; a
    template or phrase with no translation is written in English and appended to
    `missing`."""
    if lang == "zh":
        if template not in ZH and missing is not None:
            missing.append(template)
        template = ZH.get(template, template)
        return fill(template, params, ZH, missing) if params else template
    return fill(template, params) if params else template


def say(template: str, lang: str, **params) -> str:
    """A message of the CLI itself (a summary, a refusal), written in `lang`."""
    return translate(template, params, lang)


def localize(diag: Diagnostic, lang: str, missing: list | None = None
             ) -> tuple[str, str | None]:
    """(message, hint) of `diag` in `lang`. A diagnostic made without a template (one
    read back from an older record) keeps its recorded text."""
    if lang == "en" or diag.template is None:
        if diag.template is None and lang != "en" and missing is not None:
            missing.append(diag.message)
        return diag.message, diag.hint
    params = dict(diag.params)
    message = translate(diag.template, params, lang, missing)
    hint = (translate(diag.hint_template, params, lang, missing)
            if diag.hint_template is not None else None)
    return message, hint


def repo_prefix(base: Path) -> str:
    """What to put before a location's path (relative to `base`) to make it relative
    to the root of the git work tree holding `base` (``docs/`` for a handbook in
    repo/docs/policies); '' outside git or when `base` is the root."""
    try:
        base = base.resolve()
    except OSError:
        return ""
    for parent in (base, *base.parents):
        if (parent / ".git").exists():
            rel = base.relative_to(parent).as_posix()
            return "" if rel == "." else rel + "/"
    return ""


class _Lines:
    """Source lines of the files diagnostics point into, each file read once."""

    def __init__(self, base: Path):
        self.base = base
        self.files: dict[str, list[str] | None] = {}

    def get(self, diag: Diagnostic) -> str | None:
        loc = diag.location
        if loc is None or loc.line <= 0:
            return None
        if loc.path not in self.files:
            try:
                text = (self.base / loc.path).read_bytes().decode("utf-8-sig", "replace")
                self.files[loc.path] = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            except (OSError, ValueError):  # gone, a folder, a name the OS refuses
                self.files[loc.path] = None
        lines = self.files[loc.path]
        return lines[loc.line - 1] if lines is not None and loc.line <= len(lines) else None


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _window(line: str, col: int) -> tuple[str, str]:
    """(the part of `line` before column `col`, the part from it on), cut to about
    WINDOW characters around the column with an ellipsis where something was left out."""
    if len(line) <= WINDOW:
        return line[:col - 1], line[col - 1:]
    start = min(max(col - 1 - WINDOW // 2, 0), len(line) - WINDOW)
    end = start + WINDOW
    before = ("…" if start > 0 else "") + line[start:col - 1]
    return before, line[col - 1:end] + ("…" if end < len(line) else "")


class Style:
    """How diagnostics are written: the language and the prefix that makes their paths
    relative to the repository root (see `repo_prefix`)."""

    def __init__(self, lang: str = "en", prefix: str = ""):
        self.lang, self.prefix = lang, prefix

    def where(self, loc: Location) -> str:
        return str(loc._replace(path=self.prefix + loc.path))


_PLAIN = Style()


def _summary(diag: Diagnostic, escape, style: Style, sev: str | None = None,
             loc=lambda where: where) -> tuple[str, str | None]:
    """(the first line: ``path:line:col: error[HB201]: message``, the help line or None),
    each piece of text passed through `escape`, the location through `loc`."""
    message, hint = localize(diag, style.lang)
    where = f"{loc(escape(style.where(diag.location)))}: " if diag.location else ""
    head = f"{where}{sev or diag.severity.label}[{diag.code}]: {escape(message)}"
    label = "  = 提示：" if style.lang == "zh" else "  = help: "
    return head, (f"{label}{escape(hint)}" if hint else None)


def format_text(diag: Diagnostic, lines: _Lines, color: bool = False,
                style: Style = _PLAIN) -> str:
    sev = diag.severity.label
    if color:
        code = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}[diag.severity]
        sev = f"\033[1;{code}m{sev}\033[0m"
    head, help_line = _summary(diag, visible, style, sev)
    out = [head]
    line = lines.get(diag)
    if line is not None:
        col = min(max(diag.location.col, 1), len(line) + 1)
        before, after = _window(line, col)
        before = visible(before)
        gutter = str(diag.location.line)
        out.append(f"{' ' * len(gutter)} |")
        out.append(f"{gutter} | {before}{visible(after)}")
        out.append(f"{' ' * len(gutter)} | {' ' * _width(before)}^")
    if help_line:
        out.append(help_line)
    return "\n".join(out)


def format_html(diag: Diagnostic, style: Style = _PLAIN) -> str:
    """One ``<li>`` of the dev server's error overlay: the text format without the source."""
    head, help_line = _summary(diag, lambda s: html.escape(visible(s)), style,
                               loc=lambda where: f'<span class="loc">{where}</span>')
    cls = "error" if diag.severity == Severity.ERROR else "warning"
    text = head + ("\n" + help_line if help_line else "")
    return f'<li class="{cls}">{text}</li>'


_SEVERITIES = {s.label: s for s in Severity}


def to_json(diag: Diagnostic, style: Style = _PLAIN) -> dict:
    """The JSON object of a diagnostic (``--format json``, the build record): `message`
    and `hint` in the style's language, `code` and its short `name`, the position, and
    for tools and for reading it back the English `template`/`hint_template` with their
    `params` (null for a diagnostic without a template)."""
    loc = diag.location
    message, hint = localize(diag, style.lang)
    return {"code": diag.code, "name": CODES.get(diag.code, (None, None))[1],
            "severity": diag.severity.label, "lang": style.lang, "message": message,
            "path": style.prefix + loc.path if loc else None,
            "line": loc.line if loc else None, "col": loc.col if loc else None,
            "hint": hint, "template": diag.template, "hint_template": diag.hint_template,
            "params": dict(diag.params) if diag.template is not None else None}


def from_json(obj: dict) -> Diagnostic:
    """The diagnostic `to_json` wrote (in English, without prefix); KeyError or
    TypeError for anything else."""
    path = obj["path"]
    location = Location(path, obj["line"], obj["col"]) if path is not None else None
    template = obj.get("template")
    params = obj.get("params") or {}
    if template is not None and not (isinstance(template, str) and isinstance(params, dict)):
        raise TypeError("template")
    return Diagnostic(obj["code"], _SEVERITIES[obj["severity"]], obj["message"], location,
                      obj["hint"], template, obj.get("hint_template"), tuple(params.items()))


def format_json(diag: Diagnostic, style: Style = _PLAIN) -> str:
    return visible_json(json.dumps(to_json(diag, style), ensure_ascii=False, sort_keys=True))


def _gh_escape(s: str, prop: bool = False) -> str:
    s = visible(s).replace("%", "%25")
    return s.replace(":", "%3A").replace(",", "%2C") if prop else s


def format_github(diag: Diagnostic, style: Style = _PLAIN) -> str:
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[diag.severity]
    props = [f"title={_gh_escape(diag.code, True)}"]
    if diag.location:
        props.insert(0, f"file={_gh_escape(style.prefix + diag.location.path, True)}")
        if diag.location.line:
            props.insert(1, f"line={diag.location.line}")
            props.insert(2, f"col={max(diag.location.col, 1)}")
    message, hint = localize(diag, style.lang)
    msg = message + ((f"（{hint}）" if style.lang == "zh" else f" ({hint})") if hint else "")
    return f"::{kind} {','.join(props)}::{_gh_escape(msg)}"


def _capped(diags: list[Diagnostic], style: Style):
    """Each diagnostic, or after the MAX_PER_CODE-th of one code in one file the text
    of a note saying how many more there are."""
    def key(d: Diagnostic) -> tuple[str, str]:
        return (d.location.path if d.location else "", d.code)
    total = Counter(key(d) for d in diags)
    shown: Counter = Counter()
    for d in diags:
        k = key(d)
        shown[k] += 1
        if shown[k] <= MAX_PER_CODE:
            yield d
        if shown[k] == MAX_PER_CODE and total[k] > MAX_PER_CODE:
            more = f"{total[k] - MAX_PER_CODE:,}"
            if k[0]:
                yield say("… and {more} more {code} in {path} (--format json lists them all)",
                          style.lang, more=more, code=d.code, path=style.prefix + k[0])
            else:
                yield say("… and {more} more {code} (--format json lists them all)",
                          style.lang, more=more, code=d.code)


def render(diags: list[Diagnostic], fmt: str, base: Path, color: bool = False,
           style: Style = _PLAIN) -> str:
    """`diags` in format `fmt`; `base` is the folder their paths are relative to."""
    if fmt == "json":
        return "\n".join(format_json(d, style) for d in diags)
    if fmt == "github":
        return "\n".join(format_github(d, style) if isinstance(d, Diagnostic)
                         else f"::notice::{_gh_escape(d)}" for d in _capped(diags, style))
    lines = _Lines(base)
    return "\n\n".join(format_text(d, lines, color, style) if isinstance(d, Diagnostic)
                       else visible(d) for d in _capped(diags, style))
