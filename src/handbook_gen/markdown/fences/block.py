"""What a fence handler is given: one fenced block, with source positions."""
from __future__ import annotations

from typing import NamedTuple

from handbook_gen.core.diagnostics import Location


class FencedBlock(NamedTuple):
    name: str
    """The word after the opening fence: ``flow`` in ```` ```flow 采购流程 ````."""
    title: str
    """The rest of that line: ``采购流程``; '' when there is none."""
    lines: list[tuple[int, int, str]]
    """(line number, column of the text's first character, text) of each content line."""
    location: Location
    """The opening fence."""
