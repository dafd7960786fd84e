"""Identifiers that become file names and URLs: policy ids, department ids, chapter
folder slugs. One grammar, one length limit,
one list of reserved names and one case fold, so that every page name is safe on every
file system and two ids map to the same page exactly when their folds are equal.

- Grammar: ASCII letters and digits in groups joined by single hyphens, starting with a
  letter (``QM-001``, ``HK-ADM``, ``quality``), matched with ``fullmatch`` so a trailing
  newline never slips through. Nothing needs quoting in a URL or a shell, nothing
  changes under Unicode normalisation (macOS stores names decomposed), and the ids stay
  citable as ``[[ID]]``.
- Length: at most 64 characters. A page name is the id plus ``.html`` (69 bytes), well
  under every file system's name limit (255 bytes on ext4/NTFS/APFS, 143 in an eCryptfs
  home) and leaving about 190 characters of Windows' 260-character path for the folder
  the site is copied into.
- Reserved: Windows device names (``CON``, ``PRN``, ``AUX``, ``NUL``, ``COM0``–``COM9``,
  ``LPT0``–``LPT9``: ``con.html`` cannot be created or opened there) and ``index``, the
  name web servers answer for the folder itself. The folders that hold id pages
  (``policies/``, ``departments/``, ``chapters/``) hold no other page (``urls.py``), so no
  further site page name can collide.
"""
from __future__ import annotations

import re

MAX_ID_CHARS = 64
_GRAMMAR = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
RESERVED = frozenset({"con", "prn", "aux", "nul", "index",
                      *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
_SHOWN_CHARS = 40


def fold(identifier: str) -> str:
    """The case fold two ids collide under (and the page name is built from)."""
    return identifier.lower()


def problem(identifier: str) -> str | None:
    """Why `identifier` cannot name a page (a phrase to follow "'<id>' "), or None."""
    if len(identifier) > MAX_ID_CHARS:
        return f"is longer than the limit of {MAX_ID_CHARS} characters"
    if not _GRAMMAR.fullmatch(identifier):
        return "must be letters, digits and single hyphens, starting with a letter"
    if fold(identifier) in RESERVED:
        return "is a reserved name (a Windows device name or a folder's index page)"
    return None


def shown(value: str) -> str:
    """`value` for a message: control characters escaped, long values shortened."""
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in value[:_SHOWN_CHARS])
    return text + ("…" if len(value) > _SHOWN_CHARS else "")
