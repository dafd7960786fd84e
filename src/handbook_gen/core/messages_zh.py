"""Simplified Chinese text of every diagnostic: English message/hint template -> Chinese
template with the same ``{fields}``. A diagnostic recorded with parameters
(``diags.add(code, template, loc, hint=..., **params)``) is written in Chinese by looking
its templates up here.
"""
from __future__ import annotations

ZH: dict[str, str] = {
}
