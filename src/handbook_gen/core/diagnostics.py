"""Diagnostics: positions, severities, the registry of stable codes, and the collector;
message templates (English, with parameters; ``fill``) and TemplateError, the exception
whose message is such a template; ``closest`` for 'did you mean' hints.

Every content problem becomes a Diagnostic pushed into a Diagnostics collector; phases
keep going and the caller decides at the end. Writing them out, in English or Chinese
(messages_zh.py), is core/report.py's.
"""
from __future__ import annotations

import enum
import string
from dataclasses import dataclass, field
from typing import NamedTuple


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class Location(NamedTuple):
    """A 1-based position in a project file, e.g. ``policies/04-quality/qm.md:12:5``."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


# code -> (default severity, short name). Documented in docs/diagnostics.md; never renumber.
CODES: dict[str, tuple[Severity, str]] = {
    # files and encodings
    "HB001": (Severity.ERROR, "not-utf8"),
    "HB002": (Severity.WARNING, "control-character"),
    "HB003": (Severity.ERROR, "symlink-outside-source"),
    "HB004": (Severity.ERROR, "file-too-large"),
    "HB005": (Severity.WARNING, "stray-file"),
    "HB006": (Severity.ERROR, "unreadable-file"),
    "HB007": (Severity.ERROR, "special-file"),
    "HB008": (Severity.ERROR, "unreadable-folder"),
    "HB009": (Severity.INFO, "cache-ignored"),
    # front matter and configuration
    "HB100": (Severity.ERROR, "yaml-syntax"),
    "HB101": (Severity.WARNING, "unknown-key"),
    "HB102": (Severity.ERROR, "missing-key"),
    "HB103": (Severity.ERROR, "wrong-type"),
    "HB104": (Severity.WARNING, "yaml-typing-trap"),
    "HB105": (Severity.ERROR, "invalid-date"),
    "HB106": (Severity.ERROR, "duplicate-yaml-key"),
    "HB107": (Severity.ERROR, "yaml-alias"),
    "HB108": (Severity.ERROR, "yaml-too-deep"),
    "HB109": (Severity.ERROR, "front-matter-too-large"),
    "HB110": (Severity.ERROR, "unterminated-front-matter"),
    "HB111": (Severity.ERROR, "front-matter-not-mapping"),
    "HB112": (Severity.ERROR, "invalid-value"),
    "HB113": (Severity.ERROR, "missing-front-matter"),
    "HB114": (Severity.ERROR, "empty-front-matter"),
    "HB115": (Severity.ERROR, "control-character-in-value"),
    "HB116": (Severity.WARNING, "invalid-alias"),
    "HB117": (Severity.WARNING, "ambiguous-alias"),
    # handbook model
    "HB120": (Severity.ERROR, "duplicate-policy-id"),
    "HB121": (Severity.ERROR, "unknown-owner"),
    "HB122": (Severity.ERROR, "url-collision"),
    "HB123": (Severity.ERROR, "missing-chapter-file"),
    "HB124": (Severity.ERROR, "policy-outside-chapter"),
    "HB125": (Severity.ERROR, "invalid-department"),
    "HB126": (Severity.ERROR, "missing-config"),
    # markdown content
    "HB130": (Severity.ERROR, "raw-html"),
    "HB131": (Severity.WARNING, "html-comment"),
    "HB132": (Severity.ERROR, "unsafe-url"),
    "HB133": (Severity.ERROR, "nesting-too-deep"),
    "HB134": (Severity.ERROR, "broken-link"),
    "HB135": (Severity.ERROR, "link-escapes-root"),
    "HB136": (Severity.WARNING, "empty-heading-anchor"),
    "HB137": (Severity.ERROR, "unclosed-comment"),
    "HB138": (Severity.ERROR, "too-large-structure"),
    "HB139": (Severity.ERROR, "parse-budget-exceeded"),
    # articles and references
    "HB200": (Severity.ERROR, "unknown-policy"),
    "HB201": (Severity.ERROR, "unknown-article"),
    "HB202": (Severity.ERROR, "unknown-department-ref"),
    "HB203": (Severity.WARNING, "ref-to-inactive-policy"),
    "HB204": (Severity.ERROR, "malformed-ref"),
    "HB205": (Severity.WARNING, "prose-citation-unresolved"),
    "HB206": (Severity.ERROR, "local-ref-without-articles"),
    "HB207": (Severity.WARNING, "citation-drift"),
    "HB210": (Severity.ERROR, "duplicate-label"),
    "HB211": (Severity.ERROR, "unknown-related-id"),
    "HB212": (Severity.ERROR, "supersedes-cycle"),
    "HB213": (Severity.WARNING, "superseded-still-active"),
    "HB220": (Severity.WARNING, "hand-numbering"),
    # lifecycle, history and process flows
    "HB300": (Severity.INFO, "history-unavailable"),
    "HB301": (Severity.INFO, "history-shallow-clone"),
    "HB302": (Severity.WARNING, "review-before-effective"),
    "HB303": (Severity.WARNING, "successor-is-draft"),
    "HB304": (Severity.WARNING, "expires-before-effective"),
    "HB310": (Severity.ERROR, "flow-syntax"),
    "HB311": (Severity.ERROR, "flow-unknown-department"),
    "HB312": (Severity.ERROR, "flow-unknown-step"),
    "HB313": (Severity.ERROR, "flow-duplicate-step"),
    "HB314": (Severity.WARNING, "flow-unreachable-step"),
    # templates and output
    "HB400": (Severity.ERROR, "template-error"),
    "HB401": (Severity.ERROR, "output-error"),
    "HB402": (Severity.ERROR, "policy-page-missing"),
    "HB403": (Severity.ERROR, "internal-error"),
    # handbook import (the conversion report: guesses and losses, by source paragraph)
    "HB500": (Severity.INFO, "import-title"),
    "HB501": (Severity.WARNING, "import-no-effective-date"),
    "HB502": (Severity.WARNING, "import-owner-unmatched"),
    "HB503": (Severity.WARNING, "import-supersedes-unknown"),
    "HB504": (Severity.WARNING, "import-citation-unresolved"),
    "HB505": (Severity.INFO, "import-citation-external"),
    "HB506": (Severity.WARNING, "import-table-simplified"),
    "HB507": (Severity.WARNING, "import-image-dropped"),
    "HB508": (Severity.WARNING, "import-tracked-changes"),
    "HB509": (Severity.WARNING, "import-comment-dropped"),
    "HB510": (Severity.WARNING, "import-number-kept"),
    "HB511": (Severity.INFO, "import-structure-guess"),
    "HB512": (Severity.WARNING, "import-content-dropped"),
    "HB513": (Severity.WARNING, "import-numbering-format"),
    "HB514": (Severity.INFO, "import-date-guess"),
    "HB515": (Severity.WARNING, "import-encoding"),
    "HB516": (Severity.ERROR, "import-articles-differ"),
    # the live preview (handbook serve)
    "HB900": (Severity.ERROR, "preview-internal-error"),
}

# Codes whose severity `diagnostics:` in _handbook.yaml cannot change: if the build went
# on, a file, a policy, a department or a block of text would be missing from the site,
# or the output would be unsafe or incomplete. Documented in docs/diagnostics.md.
FIXED = frozenset({
    "HB001", "HB003", "HB004", "HB006", "HB007", "HB008",
    "HB100", "HB102", "HB103", "HB105", "HB107", "HB108", "HB109", "HB110", "HB111",
    "HB112", "HB113", "HB114", "HB115",
    "HB120", "HB122", "HB124", "HB125",
    "HB130", "HB132", "HB133", "HB137", "HB138", "HB139",
    "HB400", "HB401", "HB402", "HB403",
    "HB900",
})


def overridable(code: str) -> bool:
    """Whether `diagnostics:` overrides may change this code's severity."""
    return code not in FIXED


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    location: Location | None = None
    hint: str | None = None
    template: str | None = None
    """The English message template the message was formatted from; the key of its
    translations (None for a diagnostic made without Diagnostics.add)."""
    hint_template: str | None = None
    params: tuple[tuple[str, object], ...] = field(default=(), compare=False, hash=False)
    """The parameters both templates were formatted with, as (name, value) pairs."""

    def sort_key(self) -> tuple:
        loc = self.location or Location("")
        return (loc.path, loc.line, loc.col, self.code, self.message)


def diagnostic(code: str, message: str, /, location: Location | None = None,
               hint: str | None = None, severity: Severity | None = None,
               **params) -> Diagnostic:
    """One diagnostic, its message and hint formatted from their templates (see
    Diagnostics.add); `severity` defaults to the code's."""
    params = {k: v if v is None or isinstance(v, (int, float, str)) else str(v)
              for k, v in params.items()}
    template, hint_template = message, hint
    if params:
        message = fill(message, params)
        hint = fill(hint, params) if hint is not None else None
    return Diagnostic(code, CODES[code][0] if severity is None else severity, message,
                      location, hint, template, hint_template, tuple(params.items()))


@dataclass
class Diagnostics:
    """Collects diagnostics; applies per-code severity overrides (except to FIXED codes)
    and --strict."""

    overrides: dict[str, Severity] = field(default_factory=dict)
    strict: bool = False
    items: list[Diagnostic] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def add(self, code: str, message: str, /, location: Location | None = None,
            hint: str | None = None, **params) -> None:
        """Record a diagnostic. `message` and `hint` are English templates
        (``"unknown owner '{owner}'"``, formatted with `fill`) and are kept with the
        parameters, so the diagnostic can be written in another language (the report
        looks the templates up in messages_zh). Without parameters they are plain text
        (no fields, braces as they are). Parameter values other than numbers are kept as
        text."""
        severity = CODES[code][0]
        if overridable(code):
            severity = self.overrides.get(code, severity)
        if self.strict and severity == Severity.WARNING:
            severity = Severity.ERROR
        diag = diagnostic(code, message, location, hint, severity, **params)
        key = (code, diag.message, location)
        if key in self._seen:
            return
        self._seen.add(key)
        self.items.append(diag)

    def extend(self, diags: "list[Diagnostic]") -> None:
        for d in diags:
            if d.template is not None:
                self.add(d.code, d.template, d.location, d.hint_template, **dict(d.params))
            else:
                self.add(d.code, d.message, d.location, d.hint)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=Diagnostic.sort_key)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.items if d.severity == severity)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == Severity.ERROR for d in self.items)


class _Formatter(string.Formatter):
    """str.format plus the conversion ``!t``: a field whose value is itself an English
    phrase of a template (``{what!t}`` = "front matter"), looked up in `terms` when
    they are given (the phrase as it is otherwise)."""

    def __init__(self, terms: dict[str, str] | None = None, missing: list | None = None):
        self.terms, self.missing = terms, missing

    def convert_field(self, value, conversion):
        if conversion != "t":
            return super().convert_field(value, conversion)
        if self.terms is None:
            return value
        if value not in self.terms and self.missing is not None:
            self.missing.append(value)
        return self.terms.get(value, value)


_ENGLISH = _Formatter()


def fill(template: str, params: dict, terms: dict[str, str] | None = None,
         missing: list | None = None) -> str:
    """`template` formatted with `params`; ``{x!t}`` fields translated through `terms`
    (phrases not found there are appended to `missing`)."""
    return (_ENGLISH if terms is None else _Formatter(terms, missing)).vformat(
        template, (), params)


def fields(template: str) -> set[tuple[str, str, str]]:
    """The (name, conversion, format spec) of every field of a template."""
    return {(name, conv or "", spec or "") for _, name, spec, conv
            in string.Formatter().parse(template) if name is not None}


class TemplateError(Exception):
    """An exception whose message is an English template with parameters (as for
    Diagnostics.add), so the CLI can write it in the output language. The refusals and
    failures a command reports as one ``error:`` line subclass it."""

    def __init__(self, template: str, **params):
        self.template, self.params = template, params
        super().__init__(fill(template, params) if params else template)


DID_YOU_MEAN = "did you mean '{guess}'?"
"""The hint template of a near miss; the call passes ``guess=closest(...)``."""


def closest(word: str, candidates) -> str | None:
    """The candidate closest to `word` (for a 'did you mean …?' hint), or None."""
    import difflib
    import unicodedata

    folded = {unicodedata.normalize("NFKC", c).lower(): c for c in candidates}
    match = difflib.get_close_matches(unicodedata.normalize("NFKC", word).lower(),
                                      list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None
